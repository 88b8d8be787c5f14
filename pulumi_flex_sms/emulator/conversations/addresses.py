"""Conversations v1 Address Configurations (``/v1/Configuration/Addresses``). No HTTP here.

Rules kept here, once:

* one address configuration per address; ``Type``/``Address``/``AddressCountry``
  are fixed at create; an ``sms`` address must be a phone number the account
  owns; ``{Sid}`` may be the IG SID or the address itself;
* ``auto_creation`` keeps only the keys of its type; a referenced ``IS``
  service or ``FW`` flow must exist in the account; ``webhook`` needs a URL,
  ``studio`` a flow;
* parameters are checked as the create and update operations of
  ``/v1/Configuration/Addresses`` in ``twilio_conversations_v1.json`` describe
  them (enums, patterns, ranges).
"""

from __future__ import annotations

import re
from typing import Any

from .. import params as p
from ..domain import new_sid, not_found
from ..errors import InvalidParameter, MissingParameter
from ..params import Form, PageResult
from ..store import ADDRESS, FLOW, NUMBER, SERVICE, Conflict, Reads, Row, Transaction, Where
from .base import ConversationsBase
from .errors import DuplicateAddress, InvalidWebhookFilter, MissingWebhookUrl

__all__ = [
    "ADDRESS_TYPES",
    "AUTO_CREATION_KEYS",
    "AUTO_CREATION_TYPES",
    "DEFAULT_STUDIO_RETRY_COUNT",
    "WEBHOOK_FILTERS",
    "AddressConfigurations",
]

ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
AUTO_CREATION_TYPES = ("webhook", "studio", "default")
#: Twilio's post-event names (the ``AutoCreation.WebhookFilters`` description).
WEBHOOK_FILTERS = (
    "onMessageAdded",
    "onMessageUpdated",
    "onMessageRemoved",
    "onConversationUpdated",
    "onConversationStateUpdated",
    "onConversationRemoved",
    "onParticipantAdded",
    "onParticipantUpdated",
    "onParticipantRemoved",
    "onDeliveryUpdated",
)
#: The keys ``auto_creation`` holds for each type, as the spec's examples answer
#: them (schema ``conversations.v1.configuration_address``; the update example
#: switches webhook -> studio and answers the studio keys only).
AUTO_CREATION_KEYS: dict[str, tuple[str, ...]] = {
    "webhook": (
        "enabled",
        "type",
        "conversation_service_sid",
        "webhook_url",
        "webhook_method",
        "webhook_filters",
    ),
    "studio": (
        "enabled",
        "type",
        "conversation_service_sid",
        "studio_flow_sid",
        "studio_retry_count",
    ),
    "default": ("enabled", "type"),
}
#: Twilio publishes no default retry count; 3 is that of its Flex analogue,
#: ``Integration.RetryCount`` of ``/v1/FlexFlows`` in ``twilio_flex_v1.json``
#: ("from 0 to 3 with the default being 3").
DEFAULT_STUDIO_RETRY_COUNT = 3


class AddressConfigurations(ConversationsBase):
    """Address configurations (rows keyed by address)."""

    def _address_config(self, tx: Reads, account: str, sid_or_address: str) -> Row:
        if re.fullmatch(r"IG[0-9a-fA-F]{32}", sid_or_address):
            row = self._owned(tx, ADDRESS, sid_or_address, account)
        else:
            row = tx.find(ADDRESS, account, sid_or_address)
        if row is None:
            raise not_found(f"/Configuration/Addresses/{sid_or_address}")
        return row

    def list_address_configurations(self, account: str, query: Form) -> PageResult:
        type_filter = query.one("Type")
        # Stored types are ADDRESS_TYPES in any ASCII case, so SQL's lower() will do.
        where = (Where.equals_ignoring_case("type", type_filter),) if type_filter else ()
        return self._list_page(ADDRESS, account, query, 50, where=where)

    def fetch_address_configuration(self, account: str, sid_or_address: str) -> Row:
        with self.store.read() as tx:
            return self._address_config(tx, account, sid_or_address)

    def create_address_configuration(
        self, account: str, form: Form, *, sid: str | None = None
    ) -> dict[str, Any]:
        type_ = p.enum(form.required("Type"), "Type", ADDRESS_TYPES, ignore_case=True)
        address = form.required("Address")
        if type_.lower() == "sms" and not p.is_e164(address):
            raise InvalidParameter(
                f"Invalid Address: {p.shown(address)} is not an E.164 phone number",
                parameter="Address",
            )
        friendly_name = form.one("FriendlyName")
        country = form.one("AddressCountry")
        if country is not None and not re.fullmatch(r"[A-Za-z]{2}", country):
            raise InvalidParameter(
                f"Invalid AddressCountry: {p.shown(country)} is not an ISO 3166-1 alpha-2 code",
                parameter="AddressCountry",
            )
        now = self._now()
        with self.store.transaction() as tx:
            # The numbers domain's row: an sms address is a number the account owns.
            if type_.lower() == "sms" and not tx.has(NUMBER, account, address):
                raise InvalidParameter(
                    f"Invalid Address: {address} is not a phone number of account {account}",
                    parameter="Address",
                )
            existing = tx.find(ADDRESS, account, address)
            if existing is not None:
                raise self._duplicate(tx, address, existing["sid"])
            record: dict[str, Any] = {
                "sid": sid or new_sid("IG"),
                "account_sid": account,
                "type": type_,
                "address": address,
                "friendly_name": None
                if friendly_name is None
                else p.text(friendly_name, "FriendlyName", 256),
                "address_country": None if country is None else country.upper(),
                "auto_creation": self._auto_creation(tx, account, form, None),
                "date_created": now,
                "date_updated": now,
            }
            try:
                tx.insert(ADDRESS, record["sid"], account, record, key=address)
            except Conflict:
                raise self._duplicate(tx, address, None) from None
        return record

    def _duplicate(self, tx: Transaction, address: str, existing: str | None) -> DuplicateAddress:
        # Twilio documents no answer for a second configuration on one address
        # (the spec declares no error responses), hence configurable.
        configured = self._accounts.duplicate_address_error(tx)
        suffix = f": {existing}" if existing else ""
        return DuplicateAddress(
            f"Address Configuration already exists for address {address}{suffix}",
            status=configured["status"],
            code=configured["code"],
            parameter="Address",
        )

    def update_address_configuration(
        self, account: str, sid_or_address: str, form: Form
    ) -> dict[str, Any]:
        for fixed in ("Type", "Address", "AddressCountry"):
            if fixed in form:
                raise InvalidParameter(
                    f"{fixed} cannot be updated; delete and re-create the configuration",
                    parameter=fixed,
                )
        friendly_name = form.one("FriendlyName")
        with self.store.transaction() as tx:
            record = dict(self._address_config(tx, account, sid_or_address))
            if friendly_name is not None:
                record["friendly_name"] = p.text(friendly_name, "FriendlyName", 256)
            record["auto_creation"] = self._auto_creation(
                tx, account, form, record["auto_creation"]
            )
            record["date_updated"] = self._now()
            tx.update(ADDRESS, record["sid"], record, key=record["address"])
        return record

    def delete_address_configuration(self, account: str, sid_or_address: str) -> None:
        with self.store.transaction() as tx:
            row = self._address_config(tx, account, sid_or_address)
            tx.delete(ADDRESS, row["sid"])

    def _auto_creation(
        self, tx: Transaction, account: str, form: Form, current: dict[str, Any] | None
    ) -> dict[str, Any]:
        """``current`` with the ``AutoCreation.*`` parameters of ``form`` applied, checked."""
        ac: dict[str, Any] = dict(current or {"enabled": False, "type": "default"})
        value = form.one("AutoCreation.Enabled")
        if value is not None:
            ac["enabled"] = p.boolean(value, "AutoCreation.Enabled")
        value = form.one("AutoCreation.Type")
        if value is not None:
            new_type = p.enum(value, "AutoCreation.Type", AUTO_CREATION_TYPES)
            if new_type != ac["type"]:
                # Switching type drops the old type's settings: the response only
                # ever shows the current type's keys (AUTO_CREATION_KEYS).
                ac = {k: v for k, v in ac.items() if k in AUTO_CREATION_KEYS[new_type]}
            ac["type"] = new_type
        value = form.one("AutoCreation.ConversationServiceSid")
        if value is not None:
            ac["conversation_service_sid"] = value and p.sid(
                value, "AutoCreation.ConversationServiceSid", "IS"
            )
        value = form.one("AutoCreation.WebhookUrl")
        if value is not None:
            ac["webhook_url"] = p.url(value, "AutoCreation.WebhookUrl")
        value = form.one("AutoCreation.WebhookMethod")
        if value is not None:
            ac["webhook_method"] = p.http_method(value, "AutoCreation.WebhookMethod")
        if "AutoCreation.WebhookFilters" in form:
            filters = [f for f in form.all("AutoCreation.WebhookFilters") if f != ""]
            for name in filters:
                if name not in WEBHOOK_FILTERS:
                    raise InvalidWebhookFilter(
                        f"Invalid AutoCreation.WebhookFilters: {p.shown(name)} is not one of "
                        + ", ".join(WEBHOOK_FILTERS),
                        parameter="AutoCreation.WebhookFilters",
                    )
            ac["webhook_filters"] = filters
        value = form.one("AutoCreation.StudioFlowSid")
        if value is not None:
            ac["studio_flow_sid"] = value and p.sid(value, "AutoCreation.StudioFlowSid", "FW")
        value = form.one("AutoCreation.StudioRetryCount")
        if value is not None:
            ac["studio_retry_count"] = p.integer(value, "AutoCreation.StudioRetryCount", 0, 3)

        kind = ac["type"]
        ac = {k: v for k, v in ac.items() if k in AUTO_CREATION_KEYS[kind]}
        if kind in ("webhook", "studio"):
            ac["conversation_service_sid"] = ac.get("conversation_service_sid") or None
            service = ac["conversation_service_sid"]
            if service and not self._owned(tx, SERVICE, service, account):
                raise not_found(f"/Services/{service}")
        if kind == "webhook":
            if not ac.get("webhook_url"):
                raise MissingWebhookUrl(
                    "AutoCreation.WebhookUrl is required when AutoCreation.Type is webhook",
                    parameter="AutoCreation.WebhookUrl",
                )
            ac.setdefault("webhook_method", "POST")
            ac.setdefault("webhook_filters", [])
        if kind == "studio":
            flow = ac.get("studio_flow_sid")
            if not flow:
                raise MissingParameter(
                    "AutoCreation.StudioFlowSid is required when AutoCreation.Type is studio",
                    parameter="AutoCreation.StudioFlowSid",
                )
            # The studio domain's row: the flow must be the account's.
            if not self._owned(tx, FLOW, flow, account):
                raise not_found(f"/Flows/{flow}")
            ac.setdefault("studio_retry_count", DEFAULT_STUDIO_RETRY_COUNT)
        return ac
