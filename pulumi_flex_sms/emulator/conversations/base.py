"""What the conversations domain's parts share: rows looked up, the lifecycle, cascades.

The domain's backend (:class:`~.backend.ConversationsBackend`) is assembled from
one class per resource family (``addresses``, ``services``, ``configuration``,
``conversations``, ``participants``, ``messages``, ``webhooks``); each builds on
:class:`ConversationsBase`, which keeps the rules more than one of them needs:

* a conversation lives in one Conversation Service; the top-level
  ``/v1/Conversations`` paths act on the account's default service
  (``default_chat_service_sid`` of ``/v1/Configuration``): "To access any
  non-default Conversation Service resources, the Service Sid (ISXXX) has to
  be a part of the url" (https://www.twilio.com/docs/conversations/api/service-resource);
* ``{Sid}`` may be the ``CH`` SID or the conversation's ``unique_name``;
* states: ``active`` -> ``inactive`` (by timer or API) -> ``active`` again (by
  API or a new message); ``closed`` is final (50377) and releases the
  (address, proxy address) pairs its participants bound; deleting a
  conversation releases them too
  (https://www.twilio.com/docs/conversations/states-timers);
* timers run from the conversation's last activity (creation, a message, a
  reactivation, new timers) and are applied when the conversation is next read,
  so a fixed clock makes them testable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..accounts.backend import AccountsBackend
from ..domain import Clock, DomainBackend, not_found
from ..errors import BadRequest, NotFound
from ..params import PageRequest, PageResult, select_page
from ..store import (
    CONVERSATION_MESSAGE,
    CONVERSATION_PARTICIPANT,
    CONVERSATION_V1,
    CONVERSATION_WEBHOOK,
    CONVERSATIONS_CONFIGURATION,
    PAIR_BINDING,
    SERVICE,
    Conflict,
    Row,
    Store,
    Transaction,
)
from .errors import ConversationClosed
from .timers import deadline

__all__ = [
    "CONFIGURATION_DEFAULTS",
    "CONVERSATION_STATES",
    "ConversationsBase",
    "Scope",
    "child_key",
    "child_not_found",
    "conversation_key",
    "pair_key",
]

#: ``conversation_enum_state`` of ``twilio_conversations_v1.json``.
CONVERSATION_STATES = ("initializing", "inactive", "active", "closed")
#: ``GET /v1/Configuration`` of an account that never set it.
CONFIGURATION_DEFAULTS: dict[str, Any] = {
    "default_chat_service_sid": None,
    "default_messaging_service_sid": None,
    "default_inactive_timer": None,
    "default_closed_timer": None,
}
_CONVERSATION_SID = re.compile(r"CH[0-9a-fA-F]{32}")
#: Where each kind of a conversation's children sits in its path: ``.../Participants/{sid}``.
_CHILD_SEGMENTS = {
    CONVERSATION_PARTICIPANT: "Participants",
    CONVERSATION_MESSAGE: "Messages",
    CONVERSATION_WEBHOOK: "Webhooks",
}


def pair_key(address: str, proxy_address: str) -> str:
    """The key of the binding of (``address``, ``proxy_address``) in an account."""
    return f"{address}|{proxy_address}"


@dataclass(frozen=True)
class Scope:
    """Where a request addresses conversations: a service's, or (``service`` None)
    the account's default service, as the top-level paths do."""

    account: str
    service: str | None = None

    def path(self, rest: str) -> str:
        """Twilio's path of ``rest`` in this scope (for 404 messages)."""
        return f"/Services/{self.service}{rest}" if self.service else rest


class ConversationsBase(DomainBackend):
    """Rows of the conversations domain, and the lifecycle rules its parts share."""

    def __init__(self, store: Store, clock: Clock, *, accounts: AccountsBackend) -> None:
        super().__init__(store, clock)
        self._accounts = accounts

    # -- configuration and services -------------------------------------------------

    @staticmethod
    def _configuration(tx: Transaction, account: str) -> dict[str, Any]:
        row: dict[str, Any] = tx.get(CONVERSATIONS_CONFIGURATION, account) or {}
        fields = {name: row.get(name, value) for name, value in CONFIGURATION_DEFAULTS.items()}
        return {"account_sid": account, **fields}

    def _service(self, tx: Transaction, account: str, sid: str) -> Row:
        return self._require_owned(tx, SERVICE, sid, account, f"/Services/{sid}")

    def _service_of(self, tx: Transaction, scope: Scope) -> str | None:
        """The service ``scope`` addresses: its own (which must exist), or the default."""
        if scope.service is not None:
            service: str = self._service(tx, scope.account, scope.service)["sid"]
            return service
        default: str | None = self._configuration(tx, scope.account)["default_chat_service_sid"]
        return default

    # -- conversations --------------------------------------------------------------

    def _conversation(self, tx: Transaction, scope: Scope, sid_or_name: str) -> Row:
        """The conversation ``sid_or_name`` in ``scope`` (timers applied), or a 404."""
        service = self._service_of(tx, scope)
        row: Row | None = None
        if service is not None:
            if _CONVERSATION_SID.fullmatch(sid_or_name):
                row = self._owned(tx, CONVERSATION_V1, sid_or_name, scope.account)
            else:
                siblings = tx.list_by_key_prefix(CONVERSATION_V1, scope.account, f"{service}/")
                row = next((r for r in siblings if r["unique_name"] == sid_or_name), None)
        if row is None or row["chat_service_sid"] != service:
            raise not_found(scope.path(f"/Conversations/{sid_or_name}"))
        return self._settle(tx, row)

    def _conversation_by_sid(self, tx: Transaction, account: str, sid: str) -> Row:
        """The account's conversation ``sid`` in any service (timers applied)."""
        row = self._require_owned(tx, CONVERSATION_V1, sid, account, f"/Conversations/{sid}")
        return self._settle(tx, row)

    @staticmethod
    def _writable(row: Row) -> None:
        if row["state"] == "closed":
            raise ConversationClosed(
                f"Can't update conversation {row['sid']} as it's in final closed state; "
                "a new conversation takes the pair's next messages"
            )

    def _settle(self, tx: Transaction, row: Row) -> Row:
        """``row`` after the timers that fell due by now (written, if any did)."""
        if row["state"] not in ("active", "inactive"):
            return row
        now = self._now()
        start, timers = row["timers_started"], row["timers"]
        closed_at = deadline(start, timers.get("closed"))
        if closed_at is not None and closed_at <= now:
            return self._set_state(tx, row, "closed", at=closed_at)
        inactive_at = deadline(start, timers.get("inactive"))
        if row["state"] == "active" and inactive_at is not None and inactive_at <= now:
            return self._set_state(tx, row, "inactive", at=inactive_at)
        return row

    def _set_state(self, tx: Transaction, row: Row, state: str, *, at: int) -> Row:
        """``row`` moved to ``state`` at ``at``: closing releases its pairs and timers;
        reactivating restarts the timers."""
        record = Row(row)
        record.seq = row.seq
        if state != record["state"]:
            record["state"] = state
            record["date_updated"] = at
            if state == "closed":
                self._unbind(tx, record)
            elif state == "active":
                record["timers_started"] = at
        tx.update(CONVERSATION_V1, record["sid"], record, key=conversation_key(record))
        return record

    def _unbind(self, tx: Transaction, conversation: dict[str, Any]) -> None:
        for participant in self._children(tx, CONVERSATION_PARTICIPANT, conversation):
            tx.delete(PAIR_BINDING, participant["sid"])

    @staticmethod
    def _children(tx: Transaction, kind: str, conversation: dict[str, Any]) -> list[Row]:
        return tx.list_by_key_prefix(kind, conversation["account_sid"], f"{conversation['sid']}/")

    def _children_of(self, kind: str, account: str, conversation_sid: str) -> list[Row]:
        """Every participant, message or scoped webhook (``kind``) of the account's
        conversation ``conversation_sid``, in any service."""
        with self.store.transaction() as tx:
            conversation = self._conversation_by_sid(tx, account, conversation_sid)
            return self._children(tx, kind, conversation)

    def _list_children(
        self, kind: str, scope: Scope, conversation_sid: str, page: PageRequest
    ) -> PageResult:
        """The API's list of a conversation's participants, messages or webhooks, by seq."""
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, scope, conversation_sid)
            return self._children_page(tx, kind, conversation, page)

    @staticmethod
    def _children_page(
        tx: Transaction, kind: str, conversation: dict[str, Any], page: PageRequest
    ) -> PageResult:
        """One page of the conversation's participants, messages or webhooks, by seq."""
        account, prefix = conversation["account_sid"], f"{conversation['sid']}/"
        return select_page(tx, kind, account, page, key_prefix=prefix)

    def _purge(self, tx: Transaction, conversation: dict[str, Any]) -> None:
        """Delete ``conversation`` with its participants (and their bindings),
        messages and scoped webhooks."""
        self._unbind(tx, conversation)
        for kind in (CONVERSATION_PARTICIPANT, CONVERSATION_MESSAGE, CONVERSATION_WEBHOOK):
            for child in self._children(tx, kind, conversation):
                tx.delete(kind, child["sid"])
        tx.delete(CONVERSATION_V1, conversation["sid"])

    @staticmethod
    def _child(
        tx: Transaction, kind: str, scope: Scope, conversation: dict[str, Any], sid: str
    ) -> Row:
        """The conversation's participant, message or scoped webhook ``sid``, or a 404."""
        row = tx.get(kind, sid)
        if row is None or row["conversation_sid"] != conversation["sid"]:
            raise child_not_found(kind, scope, conversation, sid)
        return row

    @staticmethod
    def _insert_child(tx: Transaction, kind: str, record: dict[str, Any]) -> None:
        """Insert ``record``, a new participant, message or scoped webhook of its conversation."""
        try:
            key = child_key(record["conversation_sid"], record["sid"])
            tx.insert(kind, record["sid"], record["account_sid"], record, key=key)
        except Conflict:
            raise BadRequest(f"{record['sid']} already exists") from None

    def _fetch_child(self, kind: str, scope: Scope, conversation_sid: str, sid: str) -> Row:
        """The API's fetch of a conversation's message or webhook ``sid``."""
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, scope, conversation_sid)
            return self._child(tx, kind, scope, conversation, sid)


def child_not_found(kind: str, scope: Scope, conversation: dict[str, Any], sid: str) -> NotFound:
    """The 404 for the conversation's child ``sid`` of ``kind``, at its path in ``scope``."""
    segment = _CHILD_SEGMENTS[kind]
    return not_found(scope.path(f"/Conversations/{conversation['sid']}/{segment}/{sid}"))


def conversation_key(record: dict[str, Any]) -> str:
    """A conversation's store key: its service, then its SID (listed by service)."""
    return f"{record['chat_service_sid']}/{record['sid']}"


def child_key(conversation_sid: str, sid: str) -> str:
    """A participant's, message's or scoped webhook's store key."""
    return f"{conversation_sid}/{sid}"
