"""Conversations v1 Participants (``.../Conversations/{CH}/Participants``). No HTTP here.

Rules kept here, once:

* a messaging participant binds (``messaging_binding.address``,
  ``proxy_address``); one participant of a non-closed conversation binds a
  pair in an account, across services: another is 50416 ("Participant and
  proxy address pair is already in use",
  https://www.twilio.com/docs/api/errors/50416; account-wide because that page
  speaks of a pair "registered in the system"). Closing or deleting the
  conversation, or removing the participant, frees the pair
  (https://www.twilio.com/docs/conversations/inbound-autocreation);
* the address must differ from the proxy address (50409); an ``sms`` binding
  takes E.164 numbers, a ``whatsapp`` one ``whatsapp:``-prefixed ones;
* a chat participant has an ``identity`` (unique in its conversation) and no
  binding; ``{Sid}`` may be the ``MB`` SID or the identity;
* a closed conversation takes no new participant (50377).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .. import params as p
from ..domain import new_sid
from ..errors import BadRequest, InvalidParameter, MissingParameter
from ..params import Form, PageRequest, PageResult
from ..store import CONVERSATION_PARTICIPANT, PAIR_BINDING, Row, Transaction
from .base import ConversationsBase, Scope, child_not_found, pair_key
from .errors import AddressIsProxyAddress, PairInUse
from .fields import attributes_of, date_created_of

__all__ = ["PairBinding", "Participants"]

_PARTICIPANT_SID = re.compile(r"MB[0-9a-fA-F]{32}")


@dataclass(frozen=True)
class PairBinding:
    """The non-closed conversation that binds a pair, and the participant binding it."""

    conversation: Row
    participant: Row


def _binding(identity: str | None, address: str | None, proxy: str | None) -> dict[str, Any] | None:
    """The ``messaging_binding`` of a participant with these parameters (None: chat only)."""
    if address is None:
        if identity is None:
            raise MissingParameter(
                "Either Identity or MessagingBinding.Address is required", parameter="Identity"
            )
        return None
    if proxy is None:
        raise MissingParameter(
            "MessagingBinding.ProxyAddress is required with MessagingBinding.Address",
            parameter="MessagingBinding.ProxyAddress",
        )
    kind = _binding_type(address, "MessagingBinding.Address")
    if _binding_type(proxy, "MessagingBinding.ProxyAddress") != kind:
        raise InvalidParameter(
            "Invalid MessagingBinding.ProxyAddress: not the same channel as "
            "MessagingBinding.Address",
            parameter="MessagingBinding.ProxyAddress",
        )
    return {"type": kind, "address": address, "proxy_address": proxy}


def _binding_type(address: str, name: str) -> str:
    if p.is_e164(address):
        return "sms"
    if address.startswith("whatsapp:") and p.is_e164(address[len("whatsapp:") :]):
        return "whatsapp"
    raise InvalidParameter(
        f"Invalid {name}: {p.shown(address)} is not an E.164 phone number (or whatsapp:+E.164)",
        parameter=name,
    )


class Participants(ConversationsBase):
    """Participants (rows keyed ``{CH}/{MB}``) and the pairs they bind (``{address}|{proxy}``)."""

    # -- what the simulation (and seeds) call ------------------------------------------

    def add_sms_participant(
        self,
        account: str,
        conversation_sid: str,
        address: str,
        proxy_address: str,
        *,
        attributes: str = "{}",
        sid: str | None = None,
        date_created: int | None = None,
        restore: bool = False,
    ) -> dict[str, Any]:
        """An SMS participant binding (``address``, ``proxy_address``), E.164 numbers,
        in the conversation (see :meth:`add_participant`)."""
        for value, name in (
            (address, "MessagingBinding.Address"),
            (proxy_address, "MessagingBinding.ProxyAddress"),
        ):
            if not p.is_e164(value):
                raise InvalidParameter(
                    f"Invalid {name}: {p.shown(value)} is not an E.164 phone number",
                    parameter=name,
                )
        return self.add_participant(
            account,
            conversation_sid,
            address=address,
            proxy_address=proxy_address,
            attributes=attributes,
            sid=sid,
            date_created=date_created,
            restore=restore,
        )

    def add_participant(
        self,
        account: str,
        conversation_sid: str,
        *,
        identity: str | None = None,
        address: str | None = None,
        proxy_address: str | None = None,
        attributes: str = "{}",
        sid: str | None = None,
        date_created: int | None = None,
        restore: bool = False,
    ) -> dict[str, Any]:
        """A chat participant (``identity``) or a messaging one (``address`` and
        ``proxy_address``: ``sms`` for E.164 numbers, ``whatsapp`` for
        ``whatsapp:+…``) in the conversation.

        ``restore`` adds it as a seed declares it: a closed conversation takes
        it (without binding the pair).
        """
        binding = _binding(identity, address, proxy_address)
        with self.store.transaction() as tx:
            conversation = self._conversation_by_sid(tx, account, conversation_sid)
            return self._add(
                tx, conversation, identity, binding, attributes, sid, date_created, restore
            )

    def find_bound_conversation(
        self, account: str, address: str, proxy_address: str
    ) -> PairBinding | None:
        """The non-closed conversation of the account whose participant binds
        (``address``, ``proxy_address``), in any service; None when the pair is free."""
        with self.store.transaction() as tx:
            return self._bound(tx, account, address, proxy_address)

    def participants_of(self, account: str, conversation_sid: str) -> list[Row]:
        """Every participant of the account's conversation ``conversation_sid``."""
        return self._children_of(CONVERSATION_PARTICIPANT, account, conversation_sid)

    # -- the API ---------------------------------------------------------------------

    def list_participants(
        self, account: str, service: str | None, conversation_sid: str, query: Form
    ) -> PageResult:
        page = PageRequest.parse(query, max_page_size=100, token_error_code=20001)
        scope = Scope(account, service)
        return self._list_children(CONVERSATION_PARTICIPANT, scope, conversation_sid, page)

    def fetch_participant(
        self, account: str, service: str | None, conversation_sid: str, sid: str
    ) -> Row:
        with self.store.transaction() as tx:
            return self._participant(tx, Scope(account, service), conversation_sid, sid)

    def create_participant_from_form(
        self, account: str, service: str | None, conversation_sid: str, form: Form
    ) -> dict[str, Any]:
        """``POST .../Participants``: a chat participant (``Identity``) or a messaging one
        (``MessagingBinding.Address`` and ``.ProxyAddress``)."""
        identity = form.one("Identity") or None
        binding = _binding(
            identity,
            form.one("MessagingBinding.Address") or None,
            form.one("MessagingBinding.ProxyAddress") or None,
        )
        attrs, created = attributes_of(form), date_created_of(form)
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, Scope(account, service), conversation_sid)
            return self._add(tx, conversation, identity, binding, attrs, None, created, False)

    def delete_participant(
        self, account: str, service: str | None, conversation_sid: str, sid: str
    ) -> None:
        """Remove a participant: the pair it bound is free again."""
        with self.store.transaction() as tx:
            participant = self._participant(tx, Scope(account, service), conversation_sid, sid)
            tx.delete(PAIR_BINDING, participant["sid"])
            tx.delete(CONVERSATION_PARTICIPANT, participant["sid"])

    # -- rules -----------------------------------------------------------------------

    def _participant(self, tx: Transaction, scope: Scope, conversation_sid: str, sid: str) -> Row:
        """The participant ``sid`` (its MB SID or identity) of the conversation in ``scope``."""
        conversation = self._conversation(tx, scope, conversation_sid)
        if _PARTICIPANT_SID.fullmatch(sid):
            return self._child(tx, CONVERSATION_PARTICIPANT, scope, conversation, sid)
        for row in self._children(tx, CONVERSATION_PARTICIPANT, conversation):
            if row["identity"] == sid:
                return row
        raise child_not_found(CONVERSATION_PARTICIPANT, scope, conversation, sid)

    def _bound(
        self, tx: Transaction, account: str, address: str, proxy_address: str
    ) -> PairBinding | None:
        binding = tx.find(PAIR_BINDING, account, pair_key(address, proxy_address))
        if binding is None:
            return None
        # Its conversation's close timer may have run out since: that frees the pair.
        conversation = self._conversation_by_sid(tx, account, binding["conversation_sid"])
        if conversation["state"] == "closed":
            return None
        participant = tx.get(CONVERSATION_PARTICIPANT, binding["sid"])
        assert participant is not None  # deleted together with its binding
        return PairBinding(conversation, participant)

    def _add(
        self,
        tx: Transaction,
        conversation: dict[str, Any],
        identity: str | None,
        binding: dict[str, Any] | None,
        attrs: str,
        sid: str | None,
        date_created: int | None,
        restore: bool,
    ) -> dict[str, Any]:
        if not restore:
            self._writable(Row(conversation))
        account = conversation["account_sid"]
        if identity is not None and any(
            r["identity"] == identity
            for r in self._children(tx, CONVERSATION_PARTICIPANT, conversation)
        ):
            raise BadRequest(
                f"Participant with identity {identity!r} already exists in "
                f"conversation {conversation['sid']}",
                parameter="Identity",
            )
        # Every check before the first write: a caller may go on in its own transaction.
        bind = binding is not None and self._check_pair(tx, conversation, binding)
        created = self._now() if date_created is None else date_created
        record: dict[str, Any] = {
            "sid": sid or new_sid("MB"),
            "account_sid": account,
            "conversation_sid": conversation["sid"],
            "chat_service_sid": conversation["chat_service_sid"],
            "identity": identity,
            "attributes": attrs,
            "messaging_binding": binding,
            "role_sid": None,
            "last_read_message_index": None,
            "last_read_timestamp": None,
            "date_created": created,
            "date_updated": created,
        }
        self._insert_child(tx, CONVERSATION_PARTICIPANT, record)
        if bind:
            self._bind(tx, conversation, record["sid"], binding or {})
        return record

    def _check_pair(
        self, tx: Transaction, conversation: dict[str, Any], binding: dict[str, Any]
    ) -> bool:
        """Whether a participant with ``binding`` binds its pair (the pair must be free)."""
        address, proxy = binding["address"], binding["proxy_address"]
        if address == proxy:
            raise AddressIsProxyAddress(
                f"MessagingBinding.Address {address} must differ from its proxy address",
                parameter="MessagingBinding.Address",
            )
        if conversation["state"] == "closed":
            return False  # restored into a closed conversation: binds nothing
        holder = self._bound(tx, conversation["account_sid"], address, proxy)
        if holder is not None:
            raise PairInUse(
                f"Participant and proxy address pair ({address}, {proxy}) is already in use "
                f"by participant {holder.participant['sid']} of conversation "
                f"{holder.conversation['sid']}: close or delete that conversation, or "
                "remove the participant, first",
                parameter="MessagingBinding.Address",
            )
        return True

    @staticmethod
    def _bind(
        tx: Transaction, conversation: dict[str, Any], participant: str, binding: dict[str, Any]
    ) -> None:
        account = conversation["account_sid"]
        address, proxy = binding["address"], binding["proxy_address"]
        row = {
            "sid": participant,
            "account_sid": account,
            "conversation_sid": conversation["sid"],
            "address": address,
            "proxy_address": proxy,
        }
        tx.insert(PAIR_BINDING, participant, account, row, key=pair_key(address, proxy))
