"""Accounts, credentials and settings. No HTTP here.

Rules kept here, once:

* credentials are an account SID and its auth token, or an API key SID
  (``SK``) and its secret; a key acts for its account;
* the default account (the command line's) always exists, with the startup
  credentials, also after a reset;
* a seed may add accounts and API keys, never replace an account's auth token
  (whoever can seed must not be able to take an account over);
* settings: the answer to a second address configuration on one address
  (Twilio documents none, so it is configurable; the conversations domain
  reads it); where simulated inbound messages' webhooks may go
  (``deliver_to``) and their timeouts (``delivery_timeouts``; the simulation
  reads them).
"""

from __future__ import annotations

import hmac
from typing import Any

from .. import params as p
from ..domain import Clock, DomainBackend
from ..errors import BadRequest, InvalidParameter, MissingParameter
from ..store import ACCOUNT, API_KEY, Store, Transaction
from ..webhooks import DELIVER_TO, DeliverTo

__all__ = [
    "DEFAULT_DELIVERY_TIMEOUTS",
    "DEFAULT_DELIVER_TO",
    "DEFAULT_DUPLICATE_ERROR",
    "AccountsBackend",
]

DEFAULT_DUPLICATE_ERROR = {"status": 400, "code": 20001}
DEFAULT_DELIVER_TO: DeliverTo = "loopback"
#: Seconds Twilio waits for a webhook's answer: 15 in all for an SMS webhook
#: (https://www.twilio.com/docs/api/errors/11205), 5 for a Conversations one
#: (https://www.twilio.com/docs/conversations/conversations-webhooks).
DEFAULT_DELIVERY_TIMEOUTS = {"sms": 15.0, "conversations": 5.0}
#: Settings a seed (or the command line) may give: objects of these fields, or a value.
_SETTINGS = {
    "duplicate_address_error": ("status", "code"),
    "deliver_to": (),
    "delivery_timeouts": tuple(DEFAULT_DELIVERY_TIMEOUTS),
}


class AccountsBackend(DomainBackend):
    """Accounts and API keys (rows ``account``, ``api_key``) and the settings."""

    def __init__(
        self,
        store: Store,
        clock: Clock,
        account_sid: str,
        auth_token: str,
        *,
        settings: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(store, clock)
        self.default_account_sid = p.sid(account_sid, "account SID", "AC")
        self._default_auth_token = auth_token
        # What a reset returns to: the settings the emulator was started with.
        self._startup_settings = dict(settings or {})
        # Username -> (secret, account SID) as read, valid while the store's version of
        # accounts and keys is the one noted: a request's check costs no transaction.
        self._credentials: dict[str, tuple[str, str]] = {}
        self._credentials_version = -1
        self.restore_defaults()

    def restore_defaults(self) -> None:
        """The default account with the startup credentials, and the startup settings."""
        sid = self.default_account_sid
        with self.store.transaction() as tx:
            data = {"sid": sid, "auth_token": self._default_auth_token}
            if tx.get(ACCOUNT, sid) is None:
                tx.insert(ACCOUNT, sid, sid, data, key=None)
            else:
                tx.update(ACCOUNT, sid, data, key=None)
            if self._startup_settings:
                self.configure(self._startup_settings)

    def authenticate(self, username: str, password: str) -> str | None:
        """The account SID that ``username``/``password`` (AC + token, or SK + secret) unlock."""
        known = self.known_credentials(username)
        if known is None:
            known = self._read_credentials(username)
        if known is None or not hmac.compare_digest(known[0].encode(), password.encode()):
            return None
        return known[1]

    def known_credentials(self, username: str) -> tuple[str, str] | None:
        """``(secret, account SID)`` of ``username`` as last read, if no account or key
        has been written since (no store access: safe on the event loop)."""
        if self._credentials_version != self.store.version(ACCOUNT, API_KEY):
            return None
        return self._credentials.get(username)

    def _read_credentials(self, username: str) -> tuple[str, str] | None:
        with self.store.transaction() as tx:
            version = self.store.version(ACCOUNT, API_KEY)
            if username.startswith("AC"):
                row = tx.get(ACCOUNT, username)
                found = (row["auth_token"], username) if row else None
            elif username.startswith("SK"):
                row = tx.get(API_KEY, username)
                found = (row["secret"], row["account_sid"]) if row else None
            else:
                return None
            # Under the lock, in a transaction of its own: what it read is committed.
            if found is not None and not self.store.in_nested_transaction:
                if self._credentials_version != version:
                    self._credentials = {}
                    self._credentials_version = version
                self._credentials[username] = found
        return found

    def add_account(self, sid: str, auth_token: str | None, friendly_name: str | None) -> None:
        """Create account ``sid``, or add to it; errors name the field (``parameter``)."""
        with self.store.transaction() as tx:
            existing = tx.get(ACCOUNT, sid)
            if existing is None and not auth_token:
                raise MissingParameter("required for a new account", parameter="auth_token")
            if (
                existing is not None
                and auth_token
                and not hmac.compare_digest(
                    auth_token.encode(), str(existing["auth_token"]).encode()
                )
            ):
                raise BadRequest(
                    f"account {sid} exists with another auth token; a seed does not replace "
                    "credentials (reset first, or leave auth_token out)",
                    parameter="auth_token",
                )
            record = dict(existing or {"sid": sid})
            if auth_token:
                record["auth_token"] = auth_token
            if friendly_name is not None:
                record["friendly_name"] = friendly_name
            if existing is None:
                tx.insert(ACCOUNT, sid, sid, record, key=None)
            else:
                tx.update(ACCOUNT, sid, record, key=None)

    def add_api_key(self, account: str, sid: str, secret: str) -> None:
        with self.store.transaction() as tx:
            if tx.get(API_KEY, sid) is not None:
                raise BadRequest(f"API key {sid} already exists")
            record = {"sid": sid, "account_sid": account, "secret": secret}
            tx.insert(API_KEY, sid, account, record, key=None)

    # -- settings -------------------------------------------------------------------

    def configure(self, settings: dict[str, Any]) -> None:
        """Merge ``settings`` into the current ones, checked; unknown names are a 400."""
        unknown = set(settings) - set(_SETTINGS)
        with self.store.transaction() as tx:
            current = tx.get_meta("settings") or {}
            dup = settings.get("duplicate_address_error")
            if dup is not None:
                current["duplicate_address_error"] = self._duplicate_address_error(
                    dup, current.get("duplicate_address_error", {})
                )
            if "deliver_to" in settings:
                current["deliver_to"] = p.enum(
                    str(settings["deliver_to"]), "settings.deliver_to", DELIVER_TO
                )
            timeouts = settings.get("delivery_timeouts")
            if timeouts is not None:
                current["delivery_timeouts"] = self._delivery_timeouts(
                    timeouts, current.get("delivery_timeouts", {})
                )
            if unknown:
                raise BadRequest(f"Unknown settings: {', '.join(sorted(unknown))}")
            tx.set_meta("settings", current)

    @staticmethod
    def _delivery_timeouts(value: Any, current: dict[str, float]) -> dict[str, float]:
        allowed = _SETTINGS["delivery_timeouts"]
        if not isinstance(value, dict) or set(value) - set(allowed):
            raise BadRequest(f"settings.delivery_timeouts takes {' and '.join(allowed)}")
        merged = dict(current)
        for name, seconds in value.items():
            where = f"settings.delivery_timeouts.{name}"
            if (
                isinstance(seconds, bool)
                or not isinstance(seconds, (int, float))
                or not 0 < seconds <= 60
            ):
                raise InvalidParameter(
                    f"Invalid {where}: {p.shown(seconds)} is not a number of seconds in (0, 60]",
                    parameter=where,
                )
            merged[name] = float(seconds)
        return merged

    @staticmethod
    def _duplicate_address_error(value: Any, current: dict[str, int]) -> dict[str, int]:
        if not isinstance(value, dict) or set(value) - set(_SETTINGS["duplicate_address_error"]):
            raise BadRequest("settings.duplicate_address_error takes status and code")
        merged = {**DEFAULT_DUPLICATE_ERROR, **current}
        # The status must be an error status: uvicorn cannot even send 1000,
        # and a 1xx/2xx/3xx would not be an error to any client.
        for name, low, high in (("status", 400, 599), ("code", 100, 99999)):
            if name in value:
                item = value[name]
                where = f"settings.duplicate_address_error.{name}"
                if isinstance(item, bool) or not isinstance(item, (int, str)):
                    raise InvalidParameter(
                        f"Invalid {where}: {p.shown(item)} is not an integer", parameter=where
                    )
                merged[name] = p.integer(str(item), where, low, high)
        return merged

    def delivery_settings(self, tx: Transaction) -> tuple[DeliverTo, dict[str, float]]:
        """Where simulated webhooks may go, and their timeouts (``sms``, ``conversations``)."""
        settings = tx.get_meta("settings") or {}
        timeouts = {**DEFAULT_DELIVERY_TIMEOUTS, **settings.get("delivery_timeouts", {})}
        return settings.get("deliver_to", DEFAULT_DELIVER_TO), timeouts

    def auth_token(self, tx: Transaction, account: str) -> str | None:
        """The account's auth token, which signs the webhooks Twilio sends for it."""
        row = tx.get(ACCOUNT, account)
        return None if row is None else str(row["auth_token"])

    def duplicate_address_error(self, tx: Transaction) -> dict[str, int]:
        """The ``status`` and ``code`` a second configuration on one address is answered."""
        configured = (tx.get_meta("settings") or {}).get("duplicate_address_error", {})
        return {**DEFAULT_DUPLICATE_ERROR, **configured}
