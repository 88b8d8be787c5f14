"""Api 2010 Applications (TwiML apps). No HTTP here.

A number whose ``sms_application_sid`` names an app is handled by the app's
``sms_url``: *"If an `sms_application_sid` is present, we ignore all of the
`sms_*_url` urls and use those set on the application"* (the
IncomingPhoneNumber schema in ``twilio_api_v2010.json``). That is why the
routing needs the apps.

Rules kept here, once:

* parameters as the create and update operations of
  ``/2010-04-01/Accounts/{AccountSid}/Applications.json`` in
  ``twilio_api_v2010.json`` describe them; unset URLs are ``null`` (the spec's
  ``readFull`` example), ``""`` clears one, methods default to ``POST``;
* deleting an app clears it from the account's numbers (``sms_application_sid``
  and ``voice_application_sid``). Twilio does not say what happens to them; a
  number may not name an app that does not exist (error 22108,
  https://www.twilio.com/docs/api/errors/22108), so the emulator keeps that
  true (INFERRED).
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..domain import DomainBackend, new_sid
from ..form_fields import ParamTable, checked_fields
from ..params import Form, PageResult
from ..store import APPLICATION, NUMBER, Row, Transaction, Where

__all__ = ["APPLICATION_DEFAULTS", "APPLICATION_PARAMS", "ApplicationsBackend", "application_path"]


def _url_or_none(value: str, name: str) -> str | None:
    return p.url(value, name) or None


def _api_version(value: str, name: str) -> str:
    return p.enum(value, name, ("2010-04-01", "2008-08-01"))


#: Writable parameters -> (field, check), from the create and update operations
#: (the same list) of the Applications paths in ``twilio_api_v2010.json``.
APPLICATION_PARAMS: ParamTable = {
    "FriendlyName": ("friendly_name", lambda v, n: p.text(v, n, 64)),
    "ApiVersion": ("api_version", _api_version),
    "VoiceUrl": ("voice_url", _url_or_none),
    "VoiceMethod": ("voice_method", p.http_method),
    "VoiceFallbackUrl": ("voice_fallback_url", _url_or_none),
    "VoiceFallbackMethod": ("voice_fallback_method", p.http_method),
    "StatusCallback": ("status_callback", _url_or_none),
    "StatusCallbackMethod": ("status_callback_method", p.http_method),
    "VoiceCallerIdLookup": ("voice_caller_id_lookup", p.boolean),
    "SmsUrl": ("sms_url", _url_or_none),
    "SmsMethod": ("sms_method", p.http_method),
    "SmsFallbackUrl": ("sms_fallback_url", _url_or_none),
    "SmsFallbackMethod": ("sms_fallback_method", p.http_method),
    "SmsStatusCallback": ("sms_status_callback", _url_or_none),
    "MessageStatusCallback": ("message_status_callback", _url_or_none),
    "PublicApplicationConnectEnabled": ("public_application_connect_enabled", p.boolean),
}

#: A new app, as the spec's ``readFull`` example shows one made with no settings.
APPLICATION_DEFAULTS: dict[str, Any] = {
    "friendly_name": None,
    "api_version": "2010-04-01",
    "voice_url": None,
    "voice_method": "POST",
    "voice_fallback_url": None,
    "voice_fallback_method": "POST",
    "status_callback": None,
    "status_callback_method": "POST",
    "voice_caller_id_lookup": False,
    "sms_url": None,
    "sms_method": "POST",
    "sms_fallback_url": None,
    "sms_fallback_method": "POST",
    "sms_status_callback": None,
    "message_status_callback": None,
    "public_application_connect_enabled": False,
}


def application_path(account: str, sid: str | None = None) -> str:
    """The Twilio path of the list (or of one app), as error messages quote it."""
    base = f"/2010-04-01/Accounts/{account}/Applications"
    return f"{base}/{sid}.json" if sid else f"{base}.json"


class ApplicationsBackend(DomainBackend):
    """The accounts' TwiML apps (rows ``application``)."""

    def _application(self, tx: Transaction, account: str, sid: str) -> Row:
        return self._require_owned(tx, APPLICATION, sid, account, application_path(account, sid))

    def create_application(
        self, account: str, form: Form, *, sid: str | None = None
    ) -> dict[str, Any]:
        now = self._now()
        record: dict[str, Any] = {
            "sid": sid or new_sid("AP"),
            "account_sid": account,
            **APPLICATION_DEFAULTS,
            "date_created": now,
            "date_updated": now,
        }
        record.update(checked_fields(form, APPLICATION_PARAMS))
        with self.store.transaction() as tx:
            self._insert_new(tx, APPLICATION, record)
        return record

    def list_applications(self, account: str, query: Form) -> PageResult:
        friendly = query.one("FriendlyName")
        where = () if friendly is None else (Where.equals("friendly_name", friendly),)
        return self._list_page(
            APPLICATION, account, query, 1000, where=where, token_error_code=21481
        )

    def fetch_application(self, account: str, sid: str) -> Row:
        with self.store.transaction() as tx:
            return self._application(tx, account, sid)

    def update_application(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        with self.store.transaction() as tx:
            record = dict(self._application(tx, account, sid))
            record.update(checked_fields(form, APPLICATION_PARAMS))
            record["date_updated"] = self._now()
            tx.update(APPLICATION, sid, record, key=None)
        return record

    def delete_application(self, account: str, sid: str) -> None:
        """DELETE: the app goes, and the account's numbers stop naming it."""
        with self.store.transaction() as tx:
            self._application(tx, account, sid)
            tx.delete(APPLICATION, sid)
            # The numbers domain's rows, changed in the same transaction.
            for number in tx.list(NUMBER, account):
                fields = ("sms_application_sid", "voice_application_sid")
                if any(number.get(field) == sid for field in fields):
                    changed = {
                        k: (None if k in fields and v == sid else v) for k, v in number.items()
                    }
                    changed["date_updated"] = self._now()
                    tx.update(NUMBER, number["sid"], changed, key=number["phone_number"])
