"""What every domain's backend is built on: the one store, the clock, owned rows.

The emulator is split by Twilio domain, as moto splits by AWS service: each
domain (``accounts``, ``applications``, ``conversations``, ``flex``,
``messaging``, ``numbers``, ``studio``, ``simulation``) is a subpackage whose
``backend.py`` holds Twilio's rules for its resources (no HTTP),
``handlers.py`` parses requests and serialises
Twilio's JSON, ``routes.py`` is its routing table, ``errors.py`` its one-line
error classes and ``seed.py`` the seed lists it declares. All backends share
one :class:`~.store.Store`, so a request that touches two domains (releasing a
number deletes its address configuration) is still one transaction.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import BadRequest, NotFound
from .params import Form, PageRequest, PageResult, select_page
from .store import Conflict, Reads, Row, Store, Transaction, Where

if TYPE_CHECKING:
    from .backend import Backend

__all__ = ["Clock", "DomainBackend", "SeedList", "new_sid", "not_found"]

#: Seconds since the epoch; a test passes a fixed one.
Clock = Callable[[], float]


def new_sid(prefix: str) -> str:
    """A fresh SID: ``prefix`` and 32 hexadecimal characters, as Twilio's are."""
    return prefix + secrets.token_hex(16)


def not_found(path: str) -> NotFound:
    """Twilio's 404 for ``path`` (its path at Twilio, as its messages quote it)."""
    return NotFound(f"The requested resource {path} was not found")


class DomainBackend:
    """One domain's state and rules, over the shared store (no HTTP here).

    Every public method is one store transaction (or joins the caller's, see
    :meth:`~.store.Store.transaction`), takes the account it acts for first,
    and returns plain records: the resource's snake_case fields, dates as
    epoch seconds.
    """

    def __init__(self, store: Store, clock: Clock) -> None:
        self.store = store
        self._clock = clock

    def _now(self) -> int:
        return int(self._clock())

    @staticmethod
    def _owned(tx: Reads, kind: str, sid: str, account: str) -> Row | None:
        """The row, when ``account`` owns it: another account's rows do not exist for it."""
        row = tx.get(kind, sid)
        return row if row is not None and row["account_sid"] == account else None

    @classmethod
    def _require_owned(
        cls,
        tx: Reads,
        kind: str,
        sid: str,
        account: str,
        path: str,
        *,
        under: tuple[str, str] | None = None,
    ) -> Row:
        """The row ``account`` owns, or Twilio's 404 for ``path``.

        With ``under=(field, parent_sid)`` the row must also belong to that parent: a
        child reached through another parent's URL does not exist there.
        """
        row = cls._owned(tx, kind, sid, account)
        if row is None or (under is not None and row[under[0]] != under[1]):
            raise not_found(path)
        return row

    @staticmethod
    def _insert_new(tx: Transaction, kind: str, record: dict[str, Any]) -> None:
        try:
            tx.insert(kind, record["sid"], record["account_sid"], record, key=None)
        except Conflict:
            raise BadRequest(f"{record['sid']} already exists") from None

    def _fetch_owned(self, kind: str, account: str, sid: str, path: str) -> Row:
        with self.store.read() as tx:
            return self._require_owned(tx, kind, sid, account, path)

    def _delete_owned(self, kind: str, account: str, sid: str, path: str) -> None:
        with self.store.transaction() as tx:
            self._require_owned(tx, kind, sid, account, path)
            tx.delete(kind, sid)

    def _list_page(
        self,
        kind: str,
        account: str,
        query: Form,
        max_page_size: int,
        *,
        where: tuple[Where, ...] = (),
        token_error_code: int = 20001,
    ) -> PageResult:
        """One page of the account's rows of ``kind`` that meet ``where`` (filters in
        SQL, see :func:`~.params.select_page`); an invalid ``PageToken`` is code
        20001 in v1 lists, 21481 in the 2010 API's."""
        page = PageRequest.parse(
            query, max_page_size=max_page_size, token_error_code=token_error_code
        )
        with self.store.read() as tx:
            return select_page(tx, kind, account, page, where=where)


@dataclass(frozen=True)
class SeedList:
    """One list of resources a seed account may declare, and the dump shows.

    ``create(backend, account, entry, sid)`` makes one resource through the
    same backend call (and checks) as the API's create; ``sid`` is the entry's
    own SID (checked against ``sid_prefix``) or None for a new one.

    A ``single`` list is one mapping per account (an account's settings, such
    as its Conversations Configuration), created with ``sid`` None. ``dump``,
    when given, is what the state dump shows for an account (resources with
    their children, say); by default every row of ``kind`` but its
    ``account_sid``.
    """

    #: The list's key in a seed account (and in the dump): ``phone_numbers``.
    name: str
    #: The store kind of its rows.
    kind: str
    sid_prefix: str
    #: What an entry may hold besides ``sid``.
    fields: frozenset[str]
    create: Callable[[Backend, str, dict[str, Any], str | None], dict[str, Any]]
    #: The fields of each created resource the seed's answer lists, besides ``sid``.
    summary: tuple[str, ...]
    #: One per account (the Flex configuration): the seed and the dump hold a
    #: mapping (or null), not a list, and no ``sid``; seeding it again merges.
    singleton: bool = False
    #: How the dump shows this list, when not row by row (``None``: each row's fields).
    dump: Callable[[Transaction, str], Any] | None = None
