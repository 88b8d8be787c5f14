"""SQLite persistence for the emulator: nothing kept by default, a file with ``--state``.

Without ``--state`` the database is SQLite's private temporary one (an empty
file name): unlinked as soon as it is opened, gone when the connection closes,
and held in the process only up to SQLite's page cache (2 MiB), the rest in the
operating system's file cache; a ``:memory:`` database would keep every row in
the process, tens of MiB for 10,000 phone numbers.

Every resource is one row: its ``kind`` (``address_configuration``,
``phone_number``...), SID, owning account, an optional unique ``key`` (the
address of a configuration, the E.164 number of a phone number) and its fields
as JSON. Rows keep their insertion ``seq``, which orders lists and backs page
tokens.

One connection, one lock: every backend operation runs inside
:meth:`Store.transaction`, so a mutation is one SQLite transaction and no two
threads interleave. The unique index on ``(kind, account_sid, key)`` backs the
backend's "one configuration per address" check even if a rule were missed.

Lists are read a page at a time (:meth:`Transaction.select`): the rows after
(or before) a ``seq``, filtered in SQL by :class:`Where` conditions on a row's
key or its JSON fields, so a page of a 10,000-row list reads and decodes about a
page of rows, walking ``resources_by_account`` (or the unique key index for a
key prefix) in ``seq`` order.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = [
    "ACCOUNT",
    "ADDRESS",
    "API_KEY",
    "APPLICATION",
    "CONVERSATIONS_CONFIGURATION",
    "CONVERSATION_MESSAGE",
    "CONVERSATION_PARTICIPANT",
    "CONVERSATION_V1",
    "CONVERSATION_WEBHOOK",
    "FLEX_CONFIGURATION",
    "FLEX_FLOW",
    "FLOW",
    "MESSAGING_NUMBER",
    "MESSAGING_SERVICE",
    "NUMBER",
    "PAIR_BINDING",
    "SERVICE",
    "SMS_MESSAGE",
    "STUDIO_EXECUTION",
    "Conflict",
    "Reads",
    "Row",
    "Store",
    "Transaction",
    "Where",
]

#: The kinds of rows the emulator keeps.
ACCOUNT = "account"
API_KEY = "api_key"
ADDRESS = "address_configuration"
SERVICE = "conversation_service"
FLOW = "studio_flow"
NUMBER = "phone_number"
#: The simulation's Programmable Messaging log: inbound SMS and TwiML replies (SM...).
SMS_MESSAGE = "sms_message"
APPLICATION = "application"
MESSAGING_SERVICE = "messaging_service"
#: A number in a Messaging Service's sender pool; its SID is the number's (PN…).
MESSAGING_NUMBER = "messaging_service_phone_number"
FLEX_FLOW = "flex_flow"
#: One per account; its row SID is the account's.
FLEX_CONFIGURATION = "flex_configuration"
#: Conversations v1 (conversations domain): the account's Configuration (one row, its
#: SID the account's), conversations (key ``{IS}/{CH}``), their participants,
#: messages and scoped webhooks (key ``{CH}/{sid}``), and the (address, proxy
#: address) pairs that non-closed conversations bind (key ``{address}|{proxy}``,
#: so the unique index keeps one binding per pair in an account).
CONVERSATIONS_CONFIGURATION = "conversations_configuration"
CONVERSATION_V1 = "conversation"
CONVERSATION_PARTICIPANT = "conversation_participant"
CONVERSATION_MESSAGE = "conversation_message"
CONVERSATION_WEBHOOK = "conversation_webhook"
PAIR_BINDING = "conversation_pair_binding"
#: Studio v2 executions (studio domain), key ``{FW}/{FN}``.
STUDIO_EXECUTION = "studio_execution"

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS resources (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    sid TEXT NOT NULL,
    account_sid TEXT,
    key TEXT,
    data TEXT NOT NULL,
    UNIQUE (kind, sid)
);
CREATE UNIQUE INDEX IF NOT EXISTS resources_unique_key
    ON resources (kind, account_sid, key) WHERE key IS NOT NULL;
CREATE INDEX IF NOT EXISTS resources_by_account ON resources (kind, account_sid, seq);
CREATE INDEX IF NOT EXISTS resources_by_key ON resources (kind, key);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


_FIELD = re.compile(r"[a-z_]+")
#: A row's fields as compact JSON (one encoder, not one built per ``json.dumps`` call;
#: no cycle check: a row is decoded JSON or built from one, never circular).
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode
#: The write counter that a reset (``delete_all``) bumps: every kind changed.
_EVERY_KIND = ""


@dataclass(frozen=True)
class Where:
    """One SQL condition on a row of ``resources`` (its ``key``, or a field of its JSON).

    Built by the class methods only, so the SQL text is fixed and the values
    are always bound parameters.
    """

    sql: str
    args: tuple[Any, ...] = ()
    #: A condition on the key alone: met by reading the key index, not the rows.
    on_key: bool = False

    @staticmethod
    def _path(field: str) -> str:
        if not _FIELD.fullmatch(field):
            raise ValueError(f"not a field name: {field!r}")
        return "$." + field

    @classmethod
    def equals(cls, field: str, value: str) -> Where:
        """The field is the string ``value`` (as ``row[field] == value``)."""
        return cls("json_extract(data, ?) = ?", (cls._path(field), value))

    @classmethod
    def equals_ignoring_case(cls, field: str, value: str) -> Where:
        """The field, ASCII-lowercased, is ``value.lower()`` (as ``row[field].lower() ==
        value.lower()`` for fields that hold ASCII, such as a checked enum)."""
        return cls("lower(json_extract(data, ?)) = ?", (cls._path(field), value.lower()))

    @classmethod
    def not_true(cls, field: str) -> Where:
        """The field is not JSON ``true`` (as ``not row[field]`` for a boolean or null)."""
        return cls("json_extract(data, ?) IS NOT 1", (cls._path(field),))

    @classmethod
    def at_least(cls, field: str, value: int) -> Where:
        return cls("json_extract(data, ?) >= ?", (cls._path(field), value))

    @classmethod
    def below(cls, field: str, value: int) -> Where:
        return cls("json_extract(data, ?) < ?", (cls._path(field), value))

    @classmethod
    def nothing(cls) -> Where:
        """No row (a filter no row can meet)."""
        return cls("0")

    @classmethod
    def key_glob(cls, pattern: str, contains: str = "") -> Where:
        """The key matches the SQLite GLOB ``pattern`` (case-sensitive; ``*``, ``?``,
        ``[...]``), which a key matching it must ``contain`` (a quick first test).

        Met on the key index alone: a pattern without a leading wildcard is a
        range of it, any other a scan of the account's keys there, which holds
        neither the rows' data nor anything of other accounts.
        """
        if contains:
            return cls("instr(key, ?) > 0 AND key GLOB ?", (contains, pattern), on_key=True)
        return cls("key GLOB ?", (pattern,), on_key=True)


class Conflict(Exception):
    """A row with the same SID, or the same unique key in the account, exists."""


class Row(dict[str, Any]):
    """A resource's fields, plus its ``seq`` (insertion order) as an attribute."""

    seq: int = 0


def _row(seq: int, data: str) -> Row:
    row = Row(json.loads(data))
    row.seq = seq
    return row


def _conditions(
    kind: str, account_sid: str, where: Sequence[Where], key_prefix: str | None
) -> tuple[str, tuple[Any, ...]]:
    sql = "kind = ? AND account_sid = ?"
    args: tuple[Any, ...] = (kind, account_sid)
    if key_prefix is not None:
        # A range, so the unique (kind, account_sid, key) index finds the children.
        sql += " AND key >= ? AND key < ?"
        args += (key_prefix, key_prefix + "\U0010ffff")
    on_key = [condition for condition in where if condition.on_key]
    if on_key:
        # The seqs of the keys that match, from the key index (it holds each row's
        # seq, its rowid); only the rows of these seqs are then read.
        sql += (
            " AND seq IN (SELECT seq FROM resources INDEXED BY resources_unique_key"
            " WHERE kind = ? AND account_sid = ? AND key IS NOT NULL"
        )
        args += (kind, account_sid)
        for condition in on_key:
            sql += f" AND {condition.sql}"
            args += condition.args
        sql += ")"
    for condition in where:
        if not condition.on_key:
            sql += f" AND {condition.sql}"
            args += condition.args
    return sql, args


class Reads:
    """Reads under the store's lock (see :meth:`Store.read`); :class:`Transaction` adds writes."""

    def __init__(self, conn: sqlite3.Connection, writes: Counter[str]) -> None:
        self._conn = conn
        self._writes = writes

    def get(self, kind: str, sid: str) -> Row | None:
        found = self._conn.execute(
            "SELECT seq, data FROM resources WHERE kind = ? AND sid = ?", (kind, sid)
        ).fetchone()
        return _row(*found) if found else None

    def find(self, kind: str, account_sid: str | None, key: str) -> Row | None:
        found = self._conn.execute(
            "SELECT seq, data FROM resources WHERE kind = ? AND account_sid IS ? AND key = ?",
            (kind, account_sid, key),
        ).fetchone()
        return _row(*found) if found else None

    def has(self, kind: str, account_sid: str, key: str) -> bool:
        """Whether the account has a row of ``kind`` with unique ``key`` (none is decoded)."""
        found = self._conn.execute(
            "SELECT 1 FROM resources WHERE kind = ? AND account_sid = ? AND key = ?",
            (kind, account_sid, key),
        ).fetchone()
        return found is not None

    def find_any(self, kind: str, key: str) -> Row | None:
        """The row of ``kind`` with unique ``key`` in whichever account holds it."""
        found = self._conn.execute(
            "SELECT seq, data FROM resources WHERE kind = ? AND key = ?", (kind, key)
        ).fetchone()
        return _row(*found) if found else None

    def list_by_key_prefix(self, kind: str, account_sid: str, prefix: str) -> list[Row]:
        """Rows of ``kind`` in the account whose key starts with ``prefix``, by seq.

        Children keyed ``{parent}/{sid}`` are listed through the unique index
        this way, without reading the parent's siblings.
        """
        cursor = self._conn.execute(
            "SELECT seq, data FROM resources WHERE kind = ? AND account_sid = ? "
            "AND key >= ? AND key < ? ORDER BY seq",
            (kind, account_sid, prefix, prefix + "\U0010ffff"),
        )
        return [_row(seq, data) for seq, data in cursor]

    def first_by_key_prefix(
        self, kind: str, account_sid: str, prefix: str, field: str, value: str
    ) -> Row | None:
        """The first row (by seq) of :meth:`list_by_key_prefix` whose top-level ``field``
        is ``value``; SQLite compares, so the other rows are never decoded here."""
        found = self._conn.execute(
            "SELECT seq, data FROM resources WHERE kind = ? AND account_sid = ? "
            "AND key >= ? AND key < ? AND json_extract(data, '$.' || ?) = ? "
            "ORDER BY seq LIMIT 1",
            (kind, account_sid, prefix, prefix + "\U0010ffff", field, value),
        ).fetchone()
        return _row(*found) if found else None

    def select(
        self,
        kind: str,
        account_sid: str,
        *,
        where: Sequence[Where] = (),
        key_prefix: str | None = None,
        after: int | None = None,
        before: int | None = None,
        offset: int = 0,
        limit: int,
    ) -> list[Row]:
        """Up to ``limit`` rows of ``kind`` in the account, by seq: those after seq
        ``after``, or the last ones before seq ``before``, or from the ``offset``-th;
        only rows whose key starts with ``key_prefix`` and that meet every ``where``.

        Only these rows are read from the table and decoded.
        """
        sql, args = _conditions(kind, account_sid, where, key_prefix)
        order = "ASC"
        if after is not None:
            sql, args = sql + " AND seq > ?", (*args, after)
        if before is not None:
            sql, args, order = sql + " AND seq < ?", (*args, before), "DESC"
        cursor = self._conn.execute(
            f"SELECT seq, data FROM resources WHERE {sql} ORDER BY seq {order} LIMIT ? OFFSET ?",
            (*args, limit, offset),
        )
        rows = [_row(seq, data) for seq, data in cursor]
        return rows[::-1] if order == "DESC" else rows

    def exists(
        self,
        kind: str,
        account_sid: str,
        *,
        where: Sequence[Where] = (),
        key_prefix: str | None = None,
        at_most: int | None = None,
        at_least: int | None = None,
    ) -> bool:
        """Whether a row like :meth:`select`'s has a seq ``<= at_most`` (or ``>= at_least``)."""
        sql, args = _conditions(kind, account_sid, where, key_prefix)
        order = "ASC"
        if at_most is not None:
            sql, args, order = sql + " AND seq <= ?", (*args, at_most), "DESC"
        if at_least is not None:
            sql, args = sql + " AND seq >= ?", (*args, at_least)
        found = self._conn.execute(
            f"SELECT 1 FROM resources WHERE {sql} ORDER BY seq {order} LIMIT 1", args
        ).fetchone()
        return found is not None

    def list(self, kind: str, account_sid: str | None = None) -> list[Row]:
        """Rows of ``kind`` (of one account, or all when ``account_sid`` is None) by seq."""
        if account_sid is None:
            cursor = self._conn.execute(
                "SELECT seq, data FROM resources WHERE kind = ? ORDER BY seq", (kind,)
            )
        else:
            cursor = self._conn.execute(
                "SELECT seq, data FROM resources WHERE kind = ? AND account_sid = ? ORDER BY seq",
                (kind, account_sid),
            )
        return [_row(seq, data) for seq, data in cursor]

    def get_meta(self, name: str) -> Any:
        found = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return json.loads(found[0]) if found else None

    def count(self) -> int:
        """How many resources of every kind and account there are."""
        (count,) = self._conn.execute("SELECT count(*) FROM resources").fetchone()
        return int(count)


class Transaction(Reads):
    """Reads and writes inside one SQLite transaction (see :meth:`Store.transaction`)."""

    def insert(
        self, kind: str, sid: str, account_sid: str | None, data: dict[str, Any], key: str | None
    ) -> None:
        self._writes[kind] += 1
        try:
            self._conn.execute(
                "INSERT INTO resources (kind, sid, account_sid, key, data) VALUES (?, ?, ?, ?, ?)",
                (kind, sid, account_sid, key, _encode(data)),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{kind} {sid} (key {key!r}) exists") from exc

    def update(self, kind: str, sid: str, data: dict[str, Any], key: str | None) -> None:
        self._writes[kind] += 1
        try:
            self._conn.execute(
                "UPDATE resources SET data = ?, key = ? WHERE kind = ? AND sid = ?",
                (_encode(data), key, kind, sid),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{kind} key {key!r} exists") from exc

    def delete(self, kind: str, sid: str) -> bool:
        self._writes[kind] += 1
        cursor = self._conn.execute("DELETE FROM resources WHERE kind = ? AND sid = ?", (kind, sid))
        return cursor.rowcount > 0

    def delete_all(self) -> None:
        self._writes[_EVERY_KIND] += 1
        self._conn.execute("DELETE FROM resources")
        self._conn.execute("DELETE FROM meta WHERE name != 'schema_version'")

    def set_meta(self, name: str, value: Any) -> None:
        self._conn.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, _encode(value)),
        )


class Store:
    """The emulator's database: ``path=None`` keeps nothing (a private temporary one)."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        target = "" if self.path is None else str(self.path)
        # One connection shared by the server's threads; the lock serialises them.
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        # Writes begun per kind (committed or not): see version().
        self._writes: Counter[str] = Counter()
        if self.path is not None:
            # WAL: a crash mid-write leaves the last committed state readable.
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
        else:
            # Nothing survives the process anyway: the rollback journal in memory
            # (a rollback still undoes a transaction), and no syncing to disk.
            self._conn.execute("PRAGMA journal_mode=MEMORY")
            self._conn.execute("PRAGMA synchronous=OFF")
        self._create_schema()

    def _create_schema(self) -> None:
        with self._lock:
            self._conn.executescript(_SCHEMA)
            with self.transaction() as tx:
                version = tx.get_meta("schema_version")
                if version is None:
                    tx.set_meta("schema_version", SCHEMA_VERSION)
                elif version != SCHEMA_VERSION:
                    raise RuntimeError(
                        f"state file {self.path} has schema {version}, "
                        f"this emulator writes {SCHEMA_VERSION}"
                    )

    def version(self, *kinds: str) -> int:
        """A number that changes whenever a row of one of ``kinds`` may have changed
        (a write to one begins, a reset): what a cache of such rows checks.

        Read without the lock: a write counts before it commits, so a reader that
        sees the old number may use what it cached; after the commit, it cannot.
        """
        writes = self._writes
        return writes[_EVERY_KIND] + sum(writes[kind] for kind in kinds)

    def try_acquire(self) -> bool:
        """Take the store's lock if no other thread holds it (then :meth:`release` it)."""
        return self._lock.acquire(blocking=False)

    def release(self) -> None:
        self._lock.release()

    @property
    def in_nested_transaction(self) -> bool:
        """True in a transaction joined by another (called with the lock held): what it
        reads may still be rolled back by the outer one, so it is nothing to cache."""
        return self._depth > 1

    def transaction(self) -> _TransactionScope:
        """One SQLite transaction under the store's lock; rolled back on any exception.

        Re-entrant: an inner ``transaction()`` joins the outer one, so a seed
        made of many backend calls commits (or rolls back) as a whole.
        """
        return _TransactionScope(self)

    def read(self) -> _ReadScope:
        """Reads under the store's lock, without a transaction of their own (inside
        one, they join it): for a request that only reads.

        As consistent as a transaction: every write goes through this one connection
        under the same lock, so nothing changes between the statements of a read,
        and each statement is atomic anyway. What it spares is ``BEGIN IMMEDIATE``
        and ``COMMIT``, two of the three statements of a fetch.
        """
        return _ReadScope(self)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


# The scopes are classes rather than @contextmanager generators: every request
# opens one, and a generator's set-up costs as much as the BEGIN and COMMIT.


class _TransactionScope:
    """What :meth:`Store.transaction` returns: ``with`` it for a :class:`Transaction`."""

    __slots__ = ("_joined", "_store")

    def __init__(self, store: Store) -> None:
        self._store = store
        self._joined = False

    def __enter__(self) -> Transaction:
        store = self._store
        store._lock.acquire()
        try:
            if store._depth:
                self._joined = True
                store._depth += 1
            else:
                store._conn.execute("BEGIN IMMEDIATE")
                store._depth = 1
        except BaseException:
            store._lock.release()
            raise
        return Transaction(store._conn, store._writes)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        store = self._store
        try:
            if self._joined:
                store._depth -= 1
                return
            try:
                if exc_type is None:
                    store._conn.execute("COMMIT")
                    return
            except BaseException:
                if store._conn.in_transaction:
                    store._conn.execute("ROLLBACK")
                raise
            if store._conn.in_transaction:
                store._conn.execute("ROLLBACK")
        finally:
            if not self._joined:
                store._depth = 0
            store._lock.release()


class _ReadScope:
    """What :meth:`Store.read` returns: ``with`` it for :class:`Reads`."""

    __slots__ = ("_store",)

    def __init__(self, store: Store) -> None:
        self._store = store

    def __enter__(self) -> Reads:
        store = self._store
        store._lock.acquire()
        return Reads(store._conn, store._writes)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._store._lock.release()
