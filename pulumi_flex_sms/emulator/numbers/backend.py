"""Api 2010 IncomingPhoneNumbers: Twilio's rules for owned phone numbers. No HTTP here.

Rules kept here, once:

* a number belongs to one account; buying one another account holds is 400, 21422;
* ``""`` clears a URL or SID (twilio-python drops ``None``, so ``SmsUrl=`` is the
  only way a client can clear one); setting ``VoiceApplicationSid`` clears
  ``TrunkSid`` and vice versa;
* releasing a number (DELETE) also deletes its address configuration, as Twilio
  does (warning 50610, https://www.twilio.com/docs/api/errors/50610), and takes
  it out of its Messaging Service (the number leaves the account, and a
  service's sender pool holds the account's numbers only);
* a number's ``type`` is ``local``, ``mobile`` or ``tollfree`` (the words of
  Twilio's Numbers API ``Type`` filter): the sub-list it was bought through
  (``IncomingPhoneNumbers/Local.json``, ``/Mobile.json``, ``/TollFree.json``) or a
  seed's ``type``; otherwise inferred from the number: a NANP number in a US
  toll-free area code (800, 833, 844, 855, 866, 877, 888) is ``tollfree``, any
  other ``local``. A sub-list buys (400, 21422 otherwise) and lists only its type;
  for NANP numbers, a toll-free number only through TollFree.json;
* ``SmsApplicationSid`` and ``VoiceApplicationSid`` name an app of the account:
  400, 21420 when buying (https://www.twilio.com/docs/api/errors/21420: "not
  controlled by your account, or is invalid"), 22108 when updating
  (https://www.twilio.com/docs/api/errors/22108: "does not exist anymore or
  does not belong to your account").
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from .. import params as p
from ..domain import DomainBackend, new_sid
from ..errors import BadRequest, InvalidParameter, MissingParameter
from ..form_fields import ParamTable
from ..params import Form, PageRequest, PageResult
from ..store import ADDRESS, APPLICATION, MESSAGING_NUMBER, NUMBER, Row, Transaction, Where
from .errors import (
    ApplicationNotAccessible,
    InvalidApplicationSid,
    InvalidPhoneNumber,
    PhoneNumberUnavailable,
)
from .number_types import NUMBER_TYPES, number_type_of, sold_as

__all__ = [
    "NUMBER_DEFAULTS",
    "NUMBER_PARAMS",
    "SEED_ONLY_FIELDS",
    "NumbersBackend",
    "number_filter",
    "number_path",
]


def _sid_or_none(prefix: str) -> Callable[[str, str], str | None]:
    return lambda value, name: p.sid(value, name, prefix) if value else None


def _api_version(value: str, name: str) -> str:
    return p.enum(value, name, ("2010-04-01", "2008-08-01"))


#: Writable parameters -> (field, check), from the update operation of
#: ``/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json`` in
#: ``twilio_api_v2010.json``. ``""`` clears URLs and SIDs.
NUMBER_PARAMS: ParamTable = {
    "ApiVersion": ("api_version", _api_version),
    "FriendlyName": ("friendly_name", lambda v, n: p.text(v, n, 64)),
    "SmsApplicationSid": ("sms_application_sid", _sid_or_none("AP")),
    "SmsFallbackMethod": ("sms_fallback_method", p.http_method),
    "SmsFallbackUrl": ("sms_fallback_url", p.url),
    "SmsMethod": ("sms_method", p.http_method),
    "SmsUrl": ("sms_url", p.url),
    "StatusCallback": ("status_callback", p.url),
    "StatusCallbackMethod": ("status_callback_method", p.http_method),
    "VoiceApplicationSid": ("voice_application_sid", _sid_or_none("AP")),
    "VoiceCallerIdLookup": ("voice_caller_id_lookup", p.boolean),
    "VoiceFallbackMethod": ("voice_fallback_method", p.http_method),
    "VoiceFallbackUrl": ("voice_fallback_url", p.url),
    "VoiceMethod": ("voice_method", p.http_method),
    "VoiceUrl": ("voice_url", p.url),
    "EmergencyStatus": ("emergency_status", lambda v, n: p.enum(v, n, ("Active", "Inactive"))),
    "EmergencyAddressSid": ("emergency_address_sid", _sid_or_none("AD")),
    "TrunkSid": ("trunk_sid", _sid_or_none("TK")),
    "VoiceReceiveMode": ("voice_receive_mode", lambda v, n: p.enum(v, n, ("voice", "fax"))),
    "IdentitySid": ("identity_sid", _sid_or_none("RI")),
    "AddressSid": ("address_sid", _sid_or_none("AD")),
    "BundleSid": ("bundle_sid", _sid_or_none("BU")),
}

#: A freshly bought number. Unset URLs are "" for SMS (as Twilio's examples show)
#: and null for voice; unset SIDs are null, which is what the spec's patterns allow.
NUMBER_DEFAULTS: dict[str, Any] = {
    "address_sid": None,
    "address_requirements": "none",
    "api_version": "2010-04-01",
    "beta": False,
    "capabilities": {"voice": True, "sms": True, "mms": True, "fax": False},
    "identity_sid": None,
    "origin": "twilio",
    "sms_application_sid": None,
    "sms_fallback_method": "POST",
    "sms_fallback_url": "",
    "sms_method": "POST",
    "sms_url": "",
    "status_callback": "",
    "status_callback_method": "POST",
    "trunk_sid": None,
    "voice_receive_mode": "voice",
    "voice_application_sid": None,
    "voice_caller_id_lookup": False,
    "voice_fallback_method": "POST",
    "voice_fallback_url": None,
    "voice_method": "POST",
    "voice_url": None,
    "emergency_status": "Inactive",
    "emergency_address_sid": None,
    "emergency_address_status": "unregistered",
    "bundle_sid": None,
    "status": "in-use",
    "type": "local",
}


#: Fields a seed may give that the API never writes, checked against the schema
#: (``api.v2010.account.incoming_phone_number``).
SEED_ONLY_FIELDS: dict[str, Callable[[Any], bool]] = {
    "capabilities": lambda v: (
        isinstance(v, dict)
        and set(v) <= {"voice", "sms", "mms", "fax"}
        and all(isinstance(b, bool) for b in v.values())
    ),
    "beta": lambda v: isinstance(v, bool),
    "origin": lambda v: v in ("twilio", "hosted"),
    "status": lambda v: isinstance(v, str),
    "type": lambda v: v in NUMBER_TYPES,
    "address_requirements": lambda v: v in ("none", "any", "local", "foreign"),
}


def _check_extras(extra: dict[str, Any]) -> dict[str, Any]:
    for name, value in extra.items():
        if name not in SEED_ONLY_FIELDS or not SEED_ONLY_FIELDS[name](value):
            raise InvalidParameter(f"Invalid {name}: {p.shown(value)}", parameter=name)
    if "capabilities" in extra:
        extra = {
            **extra,
            "capabilities": {**NUMBER_DEFAULTS["capabilities"], **extra["capabilities"]},
        }
    return extra


def number_path(account: str, sid: str | None = None) -> str:
    """The Twilio path of the list (or of one number), as error messages quote it."""
    base = f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers"
    return f"{base}/{sid}.json" if sid else f"{base}.json"


def _friendly(e164: str) -> str:
    """Twilio's default friendly name: ``(808) 925-5327`` for NANP numbers."""
    m = re.fullmatch(r"\+1([0-9]{3})([0-9]{3})([0-9]{4})", e164)
    return f"({m[1]}) {m[2]}-{m[3]}" if m else e164


#: The fields that name an Application (``AP…``).
_APP_FIELDS = ("sms_application_sid", "voice_application_sid")


def number_filter(value: str) -> Where:
    """``PhoneNumber`` filter: "You can specify partial numbers and use '*' as a wildcard
    for any digit" (the list operation's parameter in ``twilio_api_v2010.json``): the
    numbers that contain ``value`` (stripped), each ``*`` in it standing for a digit.

    As a GLOB on the row's key, the E.164 number: ``+`` and ASCII digits are all a key
    holds, so a value with any other character matches none, and one that
    starts with ``+`` can only match at the start, which is a range on the key index.
    """
    wanted = value.strip()
    if not _NUMBER_FILTER.fullmatch(wanted):
        return Where.nothing()
    glob = wanted.replace("*", "[0-9]")
    if wanted.startswith("+"):
        return Where.key_glob(glob + "*")
    longest = max(wanted.split("*"), key=len)
    return Where.key_glob("*" + glob + "*", contains=longest)


_NUMBER_FILTER = re.compile(r"[+0-9*]*")


class NumbersBackend(DomainBackend):
    """The accounts' phone numbers (rows ``phone_number``, keyed by E.164 number)."""

    def _apply_number_params(
        self,
        tx: Transaction,
        record: dict[str, Any],
        form: Form,
        missing_app: type[InvalidParameter],
    ) -> None:
        for name, (field, check) in NUMBER_PARAMS.items():
            value = form.one(name)
            if value is None:
                continue
            record[field] = check(value, name)
            if field in _APP_FIELDS and record[field]:
                # The applications domain's row: the app must be the account's.
                if self._owned(tx, APPLICATION, record[field], record["account_sid"]) is None:
                    raise missing_app(
                        f"Invalid {name}: {record[field]} is not an application of account "
                        f"{record['account_sid']}",
                        parameter=name,
                    )
            # Twilio: setting one of these deletes the other.
            if field == "trunk_sid" and record[field]:
                record["voice_application_sid"] = None
            if field == "voice_application_sid" and record[field]:
                record["trunk_sid"] = None

    def _number(self, tx: Transaction, account: str, sid: str) -> Row:
        return self._require_owned(tx, NUMBER, sid, account, number_path(account, sid))

    def create_phone_number(
        self,
        account: str,
        form: Form,
        *,
        sid: str | None = None,
        extra: dict[str, Any] | None = None,
        number_type: str | None = None,
    ) -> dict[str, Any]:
        """Buy a number: ``PhoneNumber`` (E.164) or ``AreaCode`` (NANP) is required.
        Its ``type`` is ``number_type`` when given, else inferred from the number."""
        wanted, area = form.one("PhoneNumber"), form.one("AreaCode")
        if not wanted and not area:
            raise MissingParameter("You must provide an AreaCode or a PhoneNumber")
        if wanted and not p.is_e164(wanted):
            raise InvalidPhoneNumber(
                f"Invalid PhoneNumber: {p.shown(wanted)} is not in E.164 format",
                parameter="PhoneNumber",
            )
        if area and not wanted and not re.fullmatch(r"[2-9][0-9]{2}", area):
            raise InvalidParameter(
                f"Invalid AreaCode: {p.shown(area)} is not a NANP area code", parameter="AreaCode"
            )
        now = self._now()
        with self.store.transaction() as tx:
            if wanted is None:
                wanted = f"+1{area}555{secrets.randbelow(10**4):04d}"
                while tx.find_any(NUMBER, wanted) is not None:
                    wanted = f"+1{area}555{secrets.randbelow(10**4):04d}"
            elif tx.find_any(NUMBER, wanted) is not None:
                # A number belongs to one account at a time.
                raise PhoneNumberUnavailable(
                    f"+{wanted.lstrip('+')} is not available", parameter="PhoneNumber"
                )
            record: dict[str, Any] = {
                "sid": sid or new_sid("PN"),
                "account_sid": account,
                "phone_number": wanted,
                "friendly_name": _friendly(wanted),
                **NUMBER_DEFAULTS,
                "type": number_type or number_type_of(wanted),
                **_check_extras(extra or {}),
                "date_created": now,
                "date_updated": now,
            }
            self._apply_number_params(tx, record, form, ApplicationNotAccessible)
            tx.insert(NUMBER, record["sid"], account, record, key=wanted)
        return record

    def create_typed_number(self, number_type: str, account: str, form: Form) -> dict[str, Any]:
        """Buy through the sub-list of ``number_type``: ``PhoneNumber`` is required (no
        ``AreaCode``) and must be a number of that type."""
        wanted = form.one("PhoneNumber")
        if not wanted:
            raise MissingParameter(
                "Missing required parameter PhoneNumber in the post body", parameter="PhoneNumber"
            )
        if p.is_e164(wanted) and not sold_as(number_type, wanted):
            raise PhoneNumberUnavailable(
                f"{wanted} is a {number_type_of(wanted)} number: it is not available as "
                f"{number_type}",
                parameter="PhoneNumber",
            )
        return self.create_phone_number(account, form, number_type=number_type)

    def list_typed_numbers(self, number_type: str, account: str, query: Form) -> PageResult:
        """The account's numbers of ``number_type``, with the list's filters."""
        return self.list_phone_numbers(account, query, number_type=number_type)

    def list_phone_numbers(
        self, account: str, query: Form, *, number_type: str | None = None
    ) -> PageResult:
        page = PageRequest.parse(query, max_page_size=1000, token_error_code=21481)
        number, friendly, beta, origin = (
            query.one(name) for name in ("PhoneNumber", "FriendlyName", "Beta", "Origin")
        )
        include_beta = True if beta is None else p.boolean(beta, "Beta")
        where: list[Where] = []
        if number:
            where.append(number_filter(number))
        if friendly is not None:
            where.append(Where.equals("friendly_name", friendly))
        if not include_beta:
            where.append(Where.not_true("beta"))
        if origin:
            where.append(Where.equals("origin", origin))
        if number_type:
            where.append(Where.equals("type", number_type))
        with self.store.transaction() as tx:
            # A sub-list's page tokens name it (``parent``), so no other list takes them.
            return p.select_page(tx, NUMBER, account, page, where=where, parent=number_type or "")

    def fetch_phone_number(self, account: str, sid: str) -> Row:
        with self.store.transaction() as tx:
            return self._number(tx, account, sid)

    def update_phone_number(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        target = form.one("AccountSid")
        if target is not None and target != account:
            p.sid(target, "AccountSid", "AC")
            raise BadRequest(
                "AccountSid: moving numbers between accounts is not emulated",
                parameter="AccountSid",
            )
        with self.store.transaction() as tx:
            record = dict(self._number(tx, account, sid))
            self._apply_number_params(tx, record, form, InvalidApplicationSid)
            record["date_updated"] = self._now()
            tx.update(NUMBER, sid, record, key=record["phone_number"])
        return record

    def release_phone_number(self, account: str, sid: str) -> None:
        """DELETE: the number leaves the account, its address configuration and its
        Messaging Service."""
        with self.store.transaction() as tx:
            row = self._number(tx, account, sid)
            tx.delete(NUMBER, sid)
            # The conversations domain's row, gone in the same transaction.
            config = tx.find(ADDRESS, account, row["phone_number"])
            if config is not None:
                tx.delete(ADDRESS, config["sid"])
            # The messaging domain's row (keyed by the number's SID), likewise.
            tx.delete(MESSAGING_NUMBER, sid)
