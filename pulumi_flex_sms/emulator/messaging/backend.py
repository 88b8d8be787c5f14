"""Messaging v1 Services and their sender pools (PhoneNumbers). No HTTP here.

A number in a Messaging Service is governed by the service's inbound settings,
not its own ``sms_url`` (notes R6; https://www.twilio.com/docs/messaging/services).
Rules kept here, once (``twilio_messaging_v1.json`` is SPEC-MSG):

* parameters as the create and update operations of ``/v1/Services`` describe
  them (``FriendlyName`` required, up to 64 characters; ``ValidityPeriod``
  1..36,000; ``ScanMessageContent`` and ``Usecase`` from their lists; ``""``
  clears a URL to ``null``);
* ``inbound_request_url`` ``null`` means inbound is disabled: *"When this
  property is `null`, receiving inbound messages is disabled"* (SPEC-MSG,
  ``messaging.v1.service.inbound_request_url``); a new service has none;
* ``use_inbound_webhook_on_number``: *"the webhook url defined on the phone
  number will override the `inbound_request_url`/`fallback_url`"* (SPEC-MSG,
  the Console's "Defer to sender's webhook");
* a number added to a service must be the account's (21421,
  https://www.twilio.com/docs/api/errors/21421) and able to message (21715);
  it is in at most one service: 409, 21712 when another service holds it
  (https://www.twilio.com/docs/api/errors/21712: "can only be associated with
  one Messaging Service at a time"), 409, 21710 when this one already does;
  a pool holds at most 400 numbers (412, 21714);
* deleting a service frees its numbers; releasing a number (the numbers
  domain) takes it out of its service.

The Console's "Incoming Messages" mode (defer / webhook / autocreate / drop)
is not in the API (notes §1.1: "Autocreate a Conversation" has no API field).
A seed may declare it per service (``incoming_mode``); it is stored, never
shown in API responses, and read by the simulation. Declaring one sets the API
fields it implies (``defer`` -> ``use_inbound_webhook_on_number`` true) and
refuses those it contradicts. Later API updates move it as the Console would
(INFERRED): ``UseInboundWebhookOnNumber=true`` makes it ``defer``;
``false`` on a ``defer`` service, or clearing a ``webhook`` service's
``InboundRequestUrl``, makes it unknown again (None), so the API fields decide.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from ...routing.vocabulary import SERVICE_MODES
from .. import params as p
from ..domain import DomainBackend, new_sid
from ..errors import BadRequest, InvalidParameter
from ..form_fields import ParamTable, checked_fields
from ..numbers.errors import InvalidPhoneNumber
from ..params import Form, PageRequest, PageResult
from ..store import MESSAGING_NUMBER, MESSAGING_SERVICE, NUMBER, Row, Transaction, Where
from .errors import (
    NumberAlreadyInService,
    NumberInAnotherService,
    NumberPoolFull,
    NumberWithoutMessaging,
)

__all__ = [
    "MAX_POOL_NUMBERS",
    "SEED_ONLY_FIELDS",
    "SERVICE_DEFAULTS",
    "SERVICE_PARAMS",
    "MessagingBackend",
]

#: https://www.twilio.com/docs/api/errors/21714: "up to a total of 400".
MAX_POOL_NUMBERS = 400
USECASES = ("notifications", "marketing", "verification", "discussion", "poll", "undeclared")


def _url_or_none(value: str, name: str) -> str | None:
    return p.url(value, name) or None


def _flag(value: str, name: str) -> bool:
    return p.boolean(value, name)


#: Writable parameters -> (field, check): the create (and the same update)
#: operation of ``/v1/Services`` in ``twilio_messaging_v1.json``.
SERVICE_PARAMS: ParamTable = {
    "FriendlyName": ("friendly_name", lambda v, n: p.text(v, n, 64)),
    "InboundRequestUrl": ("inbound_request_url", _url_or_none),
    "InboundMethod": ("inbound_method", p.http_method),
    "FallbackUrl": ("fallback_url", _url_or_none),
    "FallbackMethod": ("fallback_method", p.http_method),
    "StatusCallback": ("status_callback", _url_or_none),
    "StickySender": ("sticky_sender", _flag),
    "MmsConverter": ("mms_converter", _flag),
    "SmartEncoding": ("smart_encoding", _flag),
    "ScanMessageContent": (
        "scan_message_content",
        lambda v, n: p.enum(v, n, ("inherit", "enable", "disable")),
    ),
    "FallbackToLongCode": ("fallback_to_long_code", _flag),
    "AreaCodeGeomatch": ("area_code_geomatch", _flag),
    "ValidityPeriod": ("validity_period", lambda v, n: p.integer(v, n, 1, 36000)),
    "SynchronousValidation": ("synchronous_validation", _flag),
    "Usecase": ("usecase", lambda v, n: p.enum(v, n, USECASES)),
    "UseInboundWebhookOnNumber": ("use_inbound_webhook_on_number", _flag),
}

#: A new service. SPEC-MSG documents two defaults (``inbound_method`` POST,
#: ``validity_period`` 36,000); the rest are the emulator's: features the
#: Messaging Services page calls on by default on, inbound disabled (no URL).
SERVICE_DEFAULTS: dict[str, Any] = {
    "inbound_request_url": None,
    "inbound_method": "POST",
    "fallback_url": None,
    "fallback_method": "POST",
    "status_callback": None,
    "sticky_sender": True,
    "mms_converter": True,
    "smart_encoding": True,
    "scan_message_content": "inherit",
    "fallback_to_long_code": False,
    "area_code_geomatch": True,
    "synchronous_validation": False,
    "validity_period": 36000,
    "usecase": "undeclared",
    "us_app_to_person_registered": False,
    "use_inbound_webhook_on_number": False,
}

#: Fields only a seed may set: the Console mode, and a read-only API field.
SEED_ONLY_FIELDS: dict[str, Callable[[Any], bool]] = {
    "incoming_mode": lambda v: v is None or v in SERVICE_MODES,
    "us_app_to_person_registered": lambda v: isinstance(v, bool),
}


def _service_path(sid: str) -> str:
    return f"/Services/{sid}"


def _capabilities(number: Row) -> list[str]:
    """The pool's capability names (``MMS``, ``SMS``, ``Voice``, as SPEC-MSG's example)."""
    held = number.get("capabilities") or {}
    return [
        name for key, name in (("mms", "MMS"), ("sms", "SMS"), ("voice", "Voice")) if held.get(key)
    ]


def _country(phone_number: str) -> str | None:
    # Only NANP is known here; the schema allows null for the rest.
    return "US" if phone_number.startswith("+1") else None


class MessagingBackend(DomainBackend):
    """Messaging Services (rows ``messaging_service``) and their numbers
    (rows ``messaging_service_phone_number``, each with its number's PN SID)."""

    # -- services -------------------------------------------------------------------

    def _service(self, tx: Transaction, account: str, sid: str) -> Row:
        return self._require_owned(tx, MESSAGING_SERVICE, sid, account, _service_path(sid))

    def create_service(
        self,
        account: str,
        form: Form,
        *,
        sid: str | None = None,
        extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """Create a service; ``extra`` (seeds only) holds :data:`SEED_ONLY_FIELDS`."""
        p.text(form.required("FriendlyName"), "FriendlyName", 64)
        extra = dict(extra or {})
        for name, value in extra.items():
            if name not in SEED_ONLY_FIELDS or not SEED_ONLY_FIELDS[name](value):
                raise InvalidParameter(f"Invalid {name}: {p.shown(value)}", parameter=name)
        now = self._now()
        record: dict[str, Any] = {
            "sid": sid or new_sid("MG"),
            "account_sid": account,
            "friendly_name": None,
            **SERVICE_DEFAULTS,
            "us_app_to_person_registered": extra.get("us_app_to_person_registered", False),
            "incoming_mode": None,
            "date_created": now,
            "date_updated": now,
        }
        record.update(checked_fields(form, SERVICE_PARAMS))
        mode = extra.get("incoming_mode")
        if mode is not None:
            _declare_mode(record, mode, "UseInboundWebhookOnNumber" in form)
        with self.store.transaction() as tx:
            self._insert_new(tx, MESSAGING_SERVICE, record)
        return record

    def list_services(self, account: str, query: Form) -> PageResult:
        return self._list_page(MESSAGING_SERVICE, account, query, 1000)

    def fetch_service(self, account: str, sid: str) -> Row:
        return self._fetch_owned(MESSAGING_SERVICE, account, sid, _service_path(sid))

    def update_service(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        if form.one("FriendlyName") == "":
            raise BadRequest("FriendlyName cannot be blank", parameter="FriendlyName")
        with self.store.transaction() as tx:
            record = dict(self._service(tx, account, sid))
            record.update(checked_fields(form, SERVICE_PARAMS))
            mode = record["incoming_mode"]
            if mode is not None and "UseInboundWebhookOnNumber" in form:
                if record["use_inbound_webhook_on_number"]:
                    record["incoming_mode"] = "defer"
                elif mode == "defer":
                    record["incoming_mode"] = None
            if record["incoming_mode"] == "webhook" and not record["inbound_request_url"]:
                record["incoming_mode"] = None  # no webhook left to send to
            record["date_updated"] = self._now()
            tx.update(MESSAGING_SERVICE, sid, record, key=None)
        return record

    def delete_service(self, account: str, sid: str) -> None:
        """DELETE: the service goes; its numbers stay in the account, in no service."""
        with self.store.transaction() as tx:
            self._service(tx, account, sid)
            for member in self._members(tx, account, sid):
                tx.delete(MESSAGING_NUMBER, member["sid"])
            tx.delete(MESSAGING_SERVICE, sid)

    # -- a service's numbers ------------------------------------------------------------

    @staticmethod
    def _members(tx: Transaction, account: str, service_sid: str) -> list[Row]:
        return [r for r in tx.list(MESSAGING_NUMBER, account) if r["service_sid"] == service_sid]

    def _member(self, tx: Transaction, account: str, service_sid: str, sid: str) -> Row:
        self._service(tx, account, service_sid)
        return self._require_owned(
            tx,
            MESSAGING_NUMBER,
            sid,
            account,
            f"{_service_path(service_sid)}/PhoneNumbers/{sid}",
            under=("service_sid", service_sid),
        )

    def add_phone_number(
        self,
        account: str,
        service_sid: str,
        form: Form,
        *,
        phone_number: str | None = None,
    ) -> dict[str, Any]:
        """Add ``PhoneNumberSid`` to the pool (a seed may name the E.164 ``phone_number``)."""
        with self.store.transaction() as tx:
            self._service(tx, account, service_sid)
            number = self._number_to_add(tx, account, form, phone_number)
            held = tx.get(MESSAGING_NUMBER, number["sid"])
            if held is not None and held["service_sid"] == service_sid:
                raise NumberAlreadyInService(
                    f"Phone Number {number['phone_number']} is already in the Messaging "
                    f"Service {service_sid}",
                    parameter="PhoneNumberSid",
                )
            if held is not None:
                raise NumberInAnotherService(
                    f"Phone Number {number['phone_number']} is associated with another "
                    f"Messaging Service ({held['service_sid']}); remove it there first",
                    parameter="PhoneNumberSid",
                )
            if len(self._members(tx, account, service_sid)) >= MAX_POOL_NUMBERS:
                raise NumberPoolFull(
                    f"Messaging Service {service_sid} holds {MAX_POOL_NUMBERS} numbers already",
                    parameter="PhoneNumberSid",
                )
            now = self._now()
            record: dict[str, Any] = {
                "sid": number["sid"],
                "account_sid": account,
                "service_sid": service_sid,
                "phone_number": number["phone_number"],
                "date_created": now,
                "date_updated": now,
            }
            self._insert_new(tx, MESSAGING_NUMBER, record)
            return _with_number_fields(tx, Row(record))

    @staticmethod
    def _number_to_add(tx: Transaction, account: str, form: Form, phone_number: str | None) -> Row:
        """The numbers domain's row the request names, which must be the account's."""
        found: Row | None = None
        named = phone_number
        if "PhoneNumberSid" in form or phone_number is None:
            named = form.required("PhoneNumberSid")
            try:
                p.sid(named, "PhoneNumberSid", "PN")
            except InvalidParameter as exc:  # 21421 covers "an invalid Phone Number SID"
                raise InvalidPhoneNumber(exc.message, parameter="PhoneNumberSid") from None
            found = tx.get(NUMBER, named)
            if found is not None and found["account_sid"] != account:
                found = None
            if found is not None and phone_number not in (None, found["phone_number"]):
                raise InvalidPhoneNumber(
                    f"Invalid phone_number: {named} is {found['phone_number']}, not {phone_number}",
                    parameter="phone_number",
                )
        elif phone_number is not None:
            found = tx.find(NUMBER, account, phone_number)
        if found is None:
            raise InvalidPhoneNumber(
                f"Invalid PhoneNumberSid: {named} is not a phone number of account {account}",
                parameter="PhoneNumberSid",
            )
        held = found.get("capabilities") or {}
        if not (held.get("sms") or held.get("mms")):
            raise NumberWithoutMessaging(
                f"Phone Number {found['phone_number']} has neither SMS nor MMS capability",
                parameter="PhoneNumberSid",
            )
        return found

    def list_phone_numbers(self, account: str, service_sid: str, query: Form) -> PageResult:
        """A page of the pool; each record also has ``country_code`` and ``capabilities``."""
        page = PageRequest.parse(query, max_page_size=1000, token_error_code=20001)
        in_service = (Where.equals("service_sid", service_sid),)
        with self.store.transaction() as tx:
            self._service(tx, account, service_sid)
            result = p.select_page(
                tx, MESSAGING_NUMBER, account, page, where=in_service, parent=service_sid
            )
            items = [_with_number_fields(tx, row) for row in result.items]
        return dataclasses.replace(result, items=items)

    def fetch_phone_number(self, account: str, service_sid: str, sid: str) -> Row:
        """One pool entry, with ``country_code`` and ``capabilities``."""
        with self.store.transaction() as tx:
            return _with_number_fields(tx, self._member(tx, account, service_sid, sid))

    def remove_phone_number(self, account: str, service_sid: str, sid: str) -> None:
        """DELETE: the number leaves the pool (never the account)."""
        with self.store.transaction() as tx:
            self._member(tx, account, service_sid, sid)
            tx.delete(MESSAGING_NUMBER, sid)

    def service_for_number(self, account: str, number_sid: str) -> Row | None:
        """The service whose pool holds the number (with its ``incoming_mode``), or None."""
        with self.store.transaction() as tx:
            member = self._owned(tx, MESSAGING_NUMBER, number_sid, account)
            if member is None:
                return None
            return self._owned(tx, MESSAGING_SERVICE, member["service_sid"], account)


def _with_number_fields(tx: Transaction, member: Row) -> Row:
    """``member`` with what the API shows of its number, read from the numbers domain's row
    (so the pool never disagrees with the number)."""
    number = tx.get(NUMBER, member["sid"]) or Row()
    shown = Row(
        member,
        country_code=_country(member["phone_number"]),
        capabilities=_capabilities(number),
    )
    shown.seq = member.seq
    return shown


def _declare_mode(record: dict[str, Any], mode: str, flag_given: bool) -> None:
    """Set the Console mode a seed declares, with the API fields it implies."""
    defers = record["use_inbound_webhook_on_number"]
    if mode == "defer" and not flag_given:
        record["use_inbound_webhook_on_number"] = defers = True
    if mode == "defer" and not defers:
        raise InvalidParameter(
            "incoming_mode defer is the Console's 'Defer to sender's webhook', which is "
            "use_inbound_webhook_on_number: true; drop one of them",
            parameter="incoming_mode",
        )
    if mode != "defer" and defers:
        raise InvalidParameter(
            f"incoming_mode {mode} contradicts use_inbound_webhook_on_number: true (that is "
            "the defer mode; the Console allows one mode per service)",
            parameter="incoming_mode",
        )
    if mode == "webhook" and not record["inbound_request_url"]:
        raise InvalidParameter(
            "incoming_mode webhook needs inbound_request_url (the webhook it sends to)",
            parameter="incoming_mode",
        )
    record["incoming_mode"] = mode
