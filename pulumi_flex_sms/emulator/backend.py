"""The emulator's state and Twilio's rules, per account. No HTTP here.

Handlers hand in a :class:`~.params.Form` of Twilio parameter names and get
back plain records (the resource's snake_case fields, dates as epoch seconds);
they serialise those into Twilio's JSON. Every operation is one store
transaction, so concurrent requests never see half a change.

Rules kept here, once:

* an account sees only its own resources (others' are 404, code 20404);
* one address configuration per address; ``Type``/``Address``/``AddressCountry``
  are fixed at create; referenced ``IS``/``FW`` SIDs must exist in the account;
  ``auto_creation`` keeps only the keys of its type; an ``sms`` address must be
  a phone number the account owns;
* a phone number belongs to one account; releasing it (DELETE) also deletes its
  address configurations (Twilio warning 50610);
* parameters are checked as Twilio documents them (patterns, enums, ranges).
"""

from __future__ import annotations

import hmac
import re
import secrets
import time
from collections.abc import Callable
from typing import Any

from . import params as p
from .backend_numbers import PhoneNumbersMixin
from .backend_simulation import SimulationMixin
from .documents import DocumentError, parse_json
from .errors import (
    BadRequest,
    DuplicateAddress,
    InvalidParameter,
    InvalidWebhookFilter,
    MissingParameter,
    NotFound,
)
from .params import Form, PageRequest, PageResult
from .store import (
    ACCOUNT,
    ADDRESS,
    API_KEY,
    FLOW,
    NUMBER,
    SERVICE,
    Conflict,
    Row,
    Store,
    Transaction,
)

__all__ = [
    "ADDRESS_TYPES",
    "AUTO_CREATION_KEYS",
    "AUTO_CREATION_TYPES",
    "WEBHOOK_FILTERS",
    "Backend",
    "new_sid",
]

ADDRESS_TYPES = ("sms", "whatsapp", "messenger", "gbm", "email", "rcs", "apple", "chat")
AUTO_CREATION_TYPES = ("webhook", "studio", "default")
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
#: The keys ``auto_creation`` holds for each type (facts 1.5).
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
#: Twilio publishes no default retry count; 3 is the Flex analogue's (facts 1.8).
DEFAULT_STUDIO_RETRY_COUNT = 3
DEFAULT_DUPLICATE_ERROR = {"status": 400, "code": 20001}


def new_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def _not_found(path: str) -> NotFound:
    return NotFound(f"The requested resource {path} was not found")


class Backend(PhoneNumbersMixin, SimulationMixin):
    """All emulated state, behind one :class:`~.store.Store`."""

    def __init__(
        self,
        store: Store,
        account_sid: str,
        auth_token: str,
        *,
        settings: dict[str, Any] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.store = store
        self.account_sid = p.sid(account_sid, "account SID", "AC")
        self.auth_token = auth_token
        # What reset() returns to: the settings the emulator was started with.
        self._startup_settings = dict(settings or {})
        self._clock = clock
        with store.transaction() as tx:
            self._ensure_default_account(tx)
            if self._startup_settings:
                self._configure(tx, self._startup_settings)

    def _now(self) -> int:
        return int(self._clock())

    def _ensure_default_account(self, tx: Transaction) -> None:
        data = {"sid": self.account_sid, "auth_token": self.auth_token}
        if tx.get(ACCOUNT, self.account_sid) is None:
            tx.insert(ACCOUNT, self.account_sid, self.account_sid, data, key=None)
        else:
            tx.update(ACCOUNT, self.account_sid, data, key=None)

    # -- accounts, credentials, settings ------------------------------------------

    def authenticate(self, username: str, password: str) -> str | None:
        """The account SID that ``username``/``password`` (AC + token, or SK + secret) unlock."""
        with self.store.transaction() as tx:
            if username.startswith("AC"):
                row = tx.get(ACCOUNT, username)
                secret, account = (row["auth_token"], username) if row else (None, None)
            elif username.startswith("SK"):
                row = tx.get(API_KEY, username)
                secret, account = (row["secret"], row["account_sid"]) if row else (None, None)
            else:
                return None
        if secret is None or not hmac.compare_digest(secret.encode(), password.encode()):
            return None
        return account

    def _configure(self, tx: Transaction, settings: dict[str, Any]) -> None:
        current = tx.get_meta("settings") or {}
        dup = settings.get("duplicate_address_error")
        if dup is not None:
            if not isinstance(dup, dict) or set(dup) - {"status", "code"}:
                raise BadRequest("settings.duplicate_address_error takes status and code")
            merged = {**DEFAULT_DUPLICATE_ERROR, **current.get("duplicate_address_error", {})}
            # The status must be an error status: uvicorn cannot even send 1000,
            # and a 1xx/2xx/3xx would not be an error to any client.
            for name, low, high in (("status", 400, 599), ("code", 100, 99999)):
                if name in dup:
                    value = dup[name]
                    where = f"settings.duplicate_address_error.{name}"
                    if isinstance(value, bool) or not isinstance(value, (int, str)):
                        raise InvalidParameter(
                            f"Invalid {where}: {p.shown(value)} is not an integer", parameter=where
                        )
                    merged[name] = p.integer(str(value), where, low, high)
            current["duplicate_address_error"] = merged
        unknown = set(settings) - {"duplicate_address_error"}
        if unknown:
            raise BadRequest(f"Unknown settings: {', '.join(sorted(unknown))}")
        tx.set_meta("settings", current)

    def reset(self) -> None:
        """Forget everything but the default account; settings return to the startup ones."""
        with self.store.transaction() as tx:
            tx.delete_all()
            self._ensure_default_account(tx)
            if self._startup_settings:
                self._configure(tx, self._startup_settings)

    def is_fresh(self) -> bool:
        """True while nothing but the default account exists (a new state file)."""
        with self.store.transaction() as tx:
            return tx.count() == 1  # the default account, always there

    # -- Conversations: address configurations -------------------------------------

    def _address_config(self, tx: Transaction, account: str, sid_or_address: str) -> Row:
        if re.fullmatch(r"IG[0-9a-fA-F]{32}", sid_or_address):
            row = tx.get(ADDRESS, sid_or_address)
            row = row if row and row["account_sid"] == account else None
        else:
            row = tx.find(ADDRESS, account, sid_or_address)
        if row is None:
            raise _not_found(f"/Configuration/Addresses/{sid_or_address}")
        return row

    def list_address_configurations(self, account: str, query: Form) -> PageResult:
        type_filter = query.one("Type")
        page = PageRequest.parse(query, max_page_size=50, token_error_code=20001)
        with self.store.transaction() as tx:
            rows = tx.list(ADDRESS, account)
        if type_filter:
            rows = [r for r in rows if r["type"].lower() == type_filter.lower()]
        return p.paginate(rows, page)

    def fetch_address_configuration(self, account: str, sid_or_address: str) -> Row:
        with self.store.transaction() as tx:
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
            if type_.lower() == "sms" and tx.find(NUMBER, account, address) is None:
                raise InvalidParameter(
                    f"Invalid Address: {address} is not a phone number of account {account}",
                    parameter="Address",
                )
            existing = tx.find(ADDRESS, account, address)
            if existing is not None:
                raise self._duplicate(tx, address, existing["sid"])
            record = {
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
        # Twilio's real answer is unknown (facts 1.10), hence configurable.
        configured = {
            **DEFAULT_DUPLICATE_ERROR,
            **(tx.get_meta("settings") or {}).get("duplicate_address_error", {}),
        }
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
                # ever shows the current type's keys (facts 1.5).
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
                raise _not_found(f"/Services/{service}")
        if kind == "webhook":
            if not ac.get("webhook_url"):
                raise MissingParameter(
                    "AutoCreation.WebhookUrl is required when AutoCreation.Type is webhook",
                    code=50369,
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
            if not self._owned(tx, FLOW, flow, account):
                raise _not_found(f"/Flows/{flow}")
            ac.setdefault("studio_retry_count", DEFAULT_STUDIO_RETRY_COUNT)
        return ac

    @staticmethod
    def _owned(tx: Transaction, kind: str, sid: str, account: str) -> Row | None:
        row = tx.get(kind, sid)
        return row if row is not None and row["account_sid"] == account else None

    # -- Conversations services and Studio flows -----------------------------------

    def _fetch(self, kind: str, account: str, sid: str, path: str) -> Row:
        with self.store.transaction() as tx:
            row = self._owned(tx, kind, sid, account)
        if row is None:
            raise _not_found(path)
        return row

    def _delete(self, kind: str, account: str, sid: str, path: str) -> None:
        with self.store.transaction() as tx:
            if self._owned(tx, kind, sid, account) is None:
                raise _not_found(path)
            tx.delete(kind, sid)

    def _list(self, kind: str, account: str, query: Form, max_page_size: int) -> PageResult:
        page = PageRequest.parse(query, max_page_size=max_page_size, token_error_code=20001)
        with self.store.transaction() as tx:
            rows = tx.list(kind, account)
        return p.paginate(rows, page)

    def create_service(self, account: str, form: Form, *, sid: str | None = None) -> dict[str, Any]:
        now = self._now()
        record = {
            "sid": sid or new_sid("IS"),
            "account_sid": account,
            "friendly_name": p.text(form.required("FriendlyName"), "FriendlyName", 256),
            "date_created": now,
            "date_updated": now,
        }
        with self.store.transaction() as tx:
            self._insert(tx, SERVICE, record)
        return record

    def _insert(self, tx: Transaction, kind: str, record: dict[str, Any]) -> None:
        try:
            tx.insert(kind, record["sid"], record["account_sid"], record, key=None)
        except Conflict:
            raise BadRequest(f"{record['sid']} already exists") from None

    def list_services(self, account: str, query: Form) -> PageResult:
        return self._list(SERVICE, account, query, 50)

    def fetch_service(self, account: str, sid: str) -> Row:
        return self._fetch(SERVICE, account, sid, f"/Services/{sid}")

    def delete_service(self, account: str, sid: str) -> None:
        self._delete(SERVICE, account, sid, f"/Services/{sid}")

    def create_flow(self, account: str, form: Form, *, sid: str | None = None) -> dict[str, Any]:
        now = self._now()
        record = {
            "sid": sid or new_sid("FW"),
            "account_sid": account,
            "author_sid": None,
            "friendly_name": form.required("FriendlyName"),
            "status": p.enum(form.required("Status"), "Status", ("draft", "published")),
            "definition": self._definition(form.required("Definition")),
            "revision": 1,
            "commit_message": form.one("CommitMessage"),
            "date_created": now,
            "date_updated": None,
        }
        with self.store.transaction() as tx:
            self._insert(tx, FLOW, record)
        return record

    @staticmethod
    def _definition(value: str) -> dict[str, Any]:
        try:
            definition = parse_json(value)
        except DocumentError as exc:
            raise InvalidParameter(f"Invalid Definition: {exc}", parameter="Definition") from None
        if not isinstance(definition, dict):
            raise InvalidParameter("Invalid Definition: not a JSON object", parameter="Definition")
        return definition

    def update_flow(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        status = p.enum(form.required("Status"), "Status", ("draft", "published"))
        with self.store.transaction() as tx:
            row = self._owned(tx, FLOW, sid, account)
            if row is None:
                raise _not_found(f"/Flows/{sid}")
            record = dict(row)
            record["status"] = status
            if form.one("FriendlyName") is not None:
                record["friendly_name"] = form.one("FriendlyName")
            if form.one("Definition") is not None:
                record["definition"] = self._definition(form.required("Definition"))
            record["commit_message"] = form.one("CommitMessage")
            record["revision"] += 1
            record["date_updated"] = self._now()
            tx.update(FLOW, sid, record, key=None)
        return record

    def list_flows(self, account: str, query: Form) -> PageResult:
        return self._list(FLOW, account, query, 50)

    def fetch_flow(self, account: str, sid: str) -> Row:
        return self._fetch(FLOW, account, sid, f"/Flows/{sid}")

    def delete_flow(self, account: str, sid: str) -> None:
        self._delete(FLOW, account, sid, f"/Flows/{sid}")
