"""Conversations v1 Messages (``.../Conversations/{CH}/Messages``). No HTTP here.

Rules kept here, once:

* each message takes the conversation's next ``index`` (0, 1, ...);
* a message is activity: it restarts the conversation's timers, and moves an
  ``inactive`` conversation back to ``active``
  (https://www.twilio.com/docs/conversations/states-timers: "The Conversation
  will automatically move from an inactive to active state when a new text or
  media message arrives"); a closed conversation takes none (50377);
* ``author`` defaults to ``system``; a message whose author is a participant's
  identity or address is that participant's (``participant_sid``);
* the list answers ``Order=asc`` (the default) or ``desc`` by index.
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..domain import new_sid, not_found
from ..errors import BadRequest, InvalidParameter
from ..params import Form, PageRequest, PageResult
from ..store import (
    CONVERSATION_MESSAGE,
    CONVERSATION_PARTICIPANT,
    CONVERSATION_V1,
    Row,
    Transaction,
)
from .base import ConversationsBase, Scope, conversation_key
from .fields import attributes_of, date_created_of, newest_first

__all__ = ["MAX_BODY", "MESSAGE_SOURCES", "Messages"]

#: Where a message came from (the ``Source`` of Twilio's webhooks: SDK, API, SMS...).
MESSAGE_SOURCES = ("API", "SDK", "SMS", "WHATSAPP")
#: "The content of the message, can be up to 1,600 characters long."
MAX_BODY = 1600


class Messages(ConversationsBase):
    """Messages (rows keyed ``{CH}/{IM}``)."""

    # -- what the simulation (and seeds) call ------------------------------------------

    def add_message(
        self,
        account: str,
        conversation_sid: str,
        *,
        body: str | None,
        author: str = "system",
        participant_sid: str | None = None,
        attributes: str = "{}",
        source: str = "API",
        sid: str | None = None,
        index: int | None = None,
        date_created: int | None = None,
        restore: bool = False,
    ) -> dict[str, Any]:
        """A message appended to conversation ``conversation_sid`` (see the module rules).

        ``source`` is kept for the webhooks the simulation sends (``SMS`` for an
        inbound text). ``restore`` adds it as a seed declares it: no state
        change, no timer restart, a closed conversation takes it too.
        """
        p.enum(source, "source", MESSAGE_SOURCES)
        if body is not None:
            p.text(body, "Body", MAX_BODY)
        with self.store.transaction() as tx:
            conversation = self._conversation_by_sid(tx, account, conversation_sid)
            return self._append(
                tx,
                conversation,
                body=body,
                author=author,
                participant_sid=participant_sid,
                attrs=attributes,
                source=source,
                sid=sid,
                index=index,
                date_created=date_created,
                restore=restore,
            )

    # -- the API ---------------------------------------------------------------------

    def list_messages(
        self, account: str, service: str | None, conversation_sid: str, query: Form
    ) -> PageResult:
        order = query.one("Order")
        if order is not None:
            p.enum(order, "Order", ("asc", "desc"))
        page = PageRequest.parse(query, max_page_size=100, token_error_code=20001)
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, Scope(account, service), conversation_sid)
            if order != "desc":
                return self._children_page(tx, CONVERSATION_MESSAGE, conversation, page)
            rows = self._children(tx, CONVERSATION_MESSAGE, conversation)
        # Newest first is not seq order: the whole list, cut in memory.
        list_id = f"{CONVERSATION_MESSAGE}/{account}/{conversation['sid']}/desc"
        return p.paginate(newest_first(rows), page, list_id)

    def fetch_message(
        self, account: str, service: str | None, conversation_sid: str, sid: str
    ) -> Row:
        scope = Scope(account, service)
        return self._fetch_child(CONVERSATION_MESSAGE, scope, conversation_sid, sid)

    def create_message_from_form(
        self, account: str, service: str | None, conversation_sid: str, form: Form
    ) -> dict[str, Any]:
        """``POST .../Messages``: ``Author``, ``Body``, ``Attributes``, ``DateCreated``."""
        for unsupported in ("MediaSid", "ContentSid", "ContentVariables"):
            if form.one(unsupported):
                raise InvalidParameter(
                    f"{unsupported} is not emulated: send a Body", parameter=unsupported
                )
        body = form.one("Body") or None
        if body is None:
            raise InvalidParameter("Body is required (no media is emulated)", parameter="Body")
        attrs, created = attributes_of(form), date_created_of(form)
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, Scope(account, service), conversation_sid)
            return self._append(
                tx,
                conversation,
                body=p.text(body, "Body", MAX_BODY),
                author=form.one("Author") or "system",
                participant_sid=None,
                attrs=attrs,
                source="API",
                sid=None,
                index=None,
                date_created=created,
                restore=False,
            )

    # -- rules -----------------------------------------------------------------------

    def _append(
        self,
        tx: Transaction,
        conversation: Row,
        *,
        body: str | None,
        author: str,
        participant_sid: str | None,
        attrs: str,
        source: str,
        sid: str | None,
        index: int | None,
        date_created: int | None,
        restore: bool,
    ) -> dict[str, Any]:
        if not restore:
            self._writable(conversation)
        participants = self._children(tx, CONVERSATION_PARTICIPANT, conversation)
        if participant_sid is None:
            participant_sid = next(
                (
                    r["sid"]
                    for r in participants
                    if author in (r["identity"], (r["messaging_binding"] or {}).get("address"))
                ),
                None,
            )
        elif participant_sid not in {r["sid"] for r in participants}:
            raise not_found(f"/Conversations/{conversation['sid']}/Participants/{participant_sid}")
        if index is None:
            index = conversation["last_message_index"] + 1
        elif index <= conversation["last_message_index"]:
            raise BadRequest(
                f"Message index {index} is not after the conversation's last "
                f"({conversation['last_message_index']})",
                parameter="index",
            )
        now = self._now()
        created = now if date_created is None else date_created
        record: dict[str, Any] = {
            "sid": sid or new_sid("IM"),
            "account_sid": conversation["account_sid"],
            "conversation_sid": conversation["sid"],
            "chat_service_sid": conversation["chat_service_sid"],
            "index": index,
            "author": author,
            "body": body,
            "media": None,
            "participant_sid": participant_sid,
            "attributes": attrs,
            "source": source,
            "date_created": created,
            "date_updated": created,
        }
        self._insert_child(tx, CONVERSATION_MESSAGE, record)
        updated = Row(conversation)
        updated.seq = conversation.seq
        updated["last_message_index"] = index
        if not restore:
            updated["timers_started"] = now
        tx.update(CONVERSATION_V1, updated["sid"], updated, key=conversation_key(updated))
        if not restore and updated["state"] == "inactive":
            self._set_state(tx, updated, "active", at=now)
        return record
