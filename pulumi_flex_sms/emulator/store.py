"""SQLite persistence for the emulator: in memory by default, a file with ``--state``.

Every resource is one row: its ``kind`` (``address_configuration``,
``phone_number``...), SID, owning account, an optional unique ``key`` (the
address of a configuration, the E.164 number of a phone number) and its fields
as JSON. Rows keep their insertion ``seq``, which orders lists and backs page
tokens.

One connection, one lock: every backend operation runs inside
:meth:`Store.transaction`, so a mutation is one SQLite transaction and no two
threads interleave. The unique index on ``(kind, account_sid, key)`` backs the
backend's "one configuration per address" check even if a rule were missed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
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
    "Row",
    "Store",
    "Transaction",
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


class Conflict(Exception):
    """A row with the same SID, or the same unique key in the account, exists."""


class Row(dict[str, Any]):
    """A resource's fields, plus its ``seq`` (insertion order) as an attribute."""

    seq: int = 0


def _row(seq: int, data: str) -> Row:
    row = Row(json.loads(data))
    row.seq = seq
    return row


class Transaction:
    """Reads and writes inside one SQLite transaction (see :meth:`Store.transaction`)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

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

    def insert(
        self, kind: str, sid: str, account_sid: str | None, data: dict[str, Any], key: str | None
    ) -> None:
        try:
            self._conn.execute(
                "INSERT INTO resources (kind, sid, account_sid, key, data) VALUES (?, ?, ?, ?, ?)",
                (kind, sid, account_sid, key, json.dumps(data, allow_nan=False)),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{kind} {sid} (key {key!r}) exists") from exc

    def update(self, kind: str, sid: str, data: dict[str, Any], key: str | None) -> None:
        try:
            self._conn.execute(
                "UPDATE resources SET data = ?, key = ? WHERE kind = ? AND sid = ?",
                (json.dumps(data, allow_nan=False), key, kind, sid),
            )
        except sqlite3.IntegrityError as exc:
            raise Conflict(f"{kind} key {key!r} exists") from exc

    def delete(self, kind: str, sid: str) -> bool:
        cursor = self._conn.execute("DELETE FROM resources WHERE kind = ? AND sid = ?", (kind, sid))
        return cursor.rowcount > 0

    def delete_all(self) -> None:
        self._conn.execute("DELETE FROM resources")
        self._conn.execute("DELETE FROM meta WHERE name != 'schema_version'")

    def get_meta(self, name: str) -> Any:
        found = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return json.loads(found[0]) if found else None

    def set_meta(self, name: str, value: Any) -> None:
        self._conn.execute(
            "INSERT INTO meta (name, value) VALUES (?, ?) "
            "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
            (name, json.dumps(value, allow_nan=False)),
        )

    def count(self) -> int:
        """How many resources of every kind and account there are."""
        (count,) = self._conn.execute("SELECT count(*) FROM resources").fetchone()
        return int(count)


class Store:
    """The emulator's database: ``path=None`` keeps it in memory."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = None if path is None else Path(path)
        target = ":memory:" if self.path is None else str(self.path)
        # One connection shared by the server's threads; the lock serialises them.
        self._conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self._lock = threading.RLock()
        self._depth = 0
        if self.path is not None:
            # WAL: a crash mid-write leaves the last committed state readable.
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
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

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """One SQLite transaction under the store's lock; rolled back on any exception.

        Re-entrant: an inner ``transaction()`` joins the outer one, so a seed
        made of many backend calls commits (or rolls back) as a whole.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield Transaction(self._conn)
                finally:
                    self._depth -= 1
                return
            self._conn.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield Transaction(self._conn)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise
            finally:
                self._depth = 0

    def close(self) -> None:
        with self._lock:
            self._conn.close()
