"""An in-memory stand-in for :mod:`pulumi_flex_sms.twilio_api`, for fast provider unit tests.

:class:`FakeTwilioApi` has every public operation of the module, with the same
signature (a test checks), over dicts shaped like Twilio's records. It keeps the
contract the providers rely on, not Twilio's every rule: one address
configuration per address, a number is never created, a lost answer is settled
by the look-up the real module makes. Tests script what the real module meets
on the wire:

* :meth:`FakeTwilioApi.lose_next_answer`: the next write's answer is lost, the
  write applied or not, and the look-up that follows works or fails;
* :meth:`FakeTwilioApi.fail_next`: the next call of an operation raises an error.

Install it with :func:`installed`, which replaces the module where the providers
and the preflight look it up; ``calls`` then lists what they asked for.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

import pulumi_flex_sms
from pulumi_flex_sms import twilio_api
from pulumi_flex_sms.errors import (
    NotFoundError,
    ResponseLostError,
    ServerError,
    TwilioError,
)
from pulumi_flex_sms.providers import address as address_provider
from pulumi_flex_sms.providers import phone_number as phone_number_provider
from pulumi_flex_sms.twilio_api import Confirmed, Occupied, Record, Unconfirmed

ACCOUNT_SID = "AC" + "f" * 32
LOST = "1 attempt, no retry: a dropped connection"
_DATE = "2024-01-02T03:04:05Z"


@dataclass
class _LostAnswer:
    applied: bool
    look_fails: bool
    unanswered: bool

    def error(self) -> ResponseLostError:
        return ResponseLostError(
            "Twilio's answer was lost", status=None, attempts=LOST, unanswered=self.unanswered
        )


class FakeTwilioApi:
    """One Twilio account in memory, reached through twilio_api's operations."""

    def __init__(self, account_sid: str = ACCOUNT_SID) -> None:
        self.account = account_sid
        #: Address configurations and numbers, by SID.
        self.configurations: dict[str, Record] = {}
        self.numbers: dict[str, Record] = {}
        #: (operation, first argument) of every call, in order.
        self.calls: list[tuple[str, Any]] = []
        self._lost: _LostAnswer | None = None
        self._failures: dict[str, TwilioError] = {}
        self._sids = itertools.count(1)

    # --- scripting ----------------------------------------------------------------------

    def add_number(self, phone_number: str, **fields: Any) -> Record:
        """A number in the account, with Twilio's blanks for what is not given."""
        sid = fields.pop("sid", None) or self._sid("PN")
        record: Record = {
            "sid": sid,
            "account_sid": self.account,
            "phone_number": phone_number,
            "friendly_name": phone_number,
            "sms_url": "",
            "sms_method": "POST",
            "sms_fallback_url": "",
            "sms_fallback_method": "POST",
            "sms_application_sid": "",
            **fields,
        }
        self.numbers[sid] = record
        return record

    def add_configuration(self, address: str, **params: Any) -> Record:
        """An address configuration made outside the program (``params`` as twilio-python's)."""
        record = self._new_configuration({"type": "sms", "address": address, **params})
        self.configurations[record["sid"]] = record
        return record

    def lose_next_answer(
        self, *, applied: bool, look_fails: bool = False, unanswered: bool = True
    ) -> None:
        """The next write's answer is lost; it was ``applied`` or not; then the look-up."""
        self._lost = _LostAnswer(applied, look_fails, unanswered)

    def fail_next(self, operation: str, error: TwilioError) -> None:
        """The next call of ``operation`` (a twilio_api function name) raises ``error``."""
        self._failures[operation] = error

    # --- twilio_api's operations --------------------------------------------------------

    def account_sid(self) -> str:
        return self.account

    def not_in_account(self, number: str) -> str:
        return f"The phone number {number} is not in Twilio account {self.account}."

    def fetch_address_configuration(self, sid_or_address: str) -> Record | None:
        self._call("fetch_address_configuration", sid_or_address)
        found = self._configuration(sid_or_address)
        return dict(found) if found else None

    def list_address_configurations(self) -> list[Record]:
        self._call("list_address_configurations", None)
        return [dict(r) for r in self.configurations.values()]

    def create_address_configuration(
        self,
        params: Mapping[str, Any],
        *,
        is_ours: Callable[[Record], bool],
        references: Mapping[str, str] | None = None,
    ) -> Confirmed | Occupied | Unconfirmed:
        address = params["address"]
        self._call("create_address_configuration", address)
        lost, self._lost = self._lost, None
        existing = self._configuration(address)
        if existing is not None:
            return Occupied(dict(existing))  # Twilio refuses; the look-up finds this one
        record = self._new_configuration(params)
        if lost is None:
            self.configurations[record["sid"]] = record
            return Confirmed(dict(record))
        if lost.applied:
            self.configurations[record["sid"]] = record
        if lost.look_fails:
            return Unconfirmed(f"the create was lost ({LOST}), and the look-up failed")
        found = self._configuration(address)
        if found is not None:
            return Confirmed(dict(found)) if is_ours(found) else Occupied(dict(found))
        if lost.unanswered:
            return Unconfirmed(f"the create was lost ({LOST}); the look-up found nothing yet")
        raise ServerError("Twilio answered 503 to every try: none was created", status=503)

    def update_address_configuration(
        self,
        sid: str,
        params: Mapping[str, Any],
        *,
        address: str | None = None,
        references: Mapping[str, str] | None = None,
        missing: str | None = None,
    ) -> Record:
        self._call("update_address_configuration", sid)
        record = self._configuration(sid)
        if record is None:
            raise NotFoundError(missing or f"no address configuration {sid}", status=404)
        self._apply_configuration(record, params)
        return dict(record)

    def delete_address_configuration(self, sid_or_address: str) -> bool:
        self._call("delete_address_configuration", sid_or_address)
        record = self._configuration(sid_or_address)
        if record is None:
            return False
        del self.configurations[record["sid"]]
        return True

    def find_number(self, phone_number: str) -> Record:
        self._call("find_number", phone_number)
        for record in self.numbers.values():
            if record["phone_number"] == phone_number:
                return dict(record)
        raise NotFoundError(self.not_in_account(phone_number), status=404)

    def fetch_number(self, sid: str) -> Record | None:
        self._call("fetch_number", sid)
        found = self.numbers.get(sid)
        return dict(found) if found else None

    def list_numbers(self) -> list[Record]:
        self._call("list_numbers", None)
        return [dict(r) for r in self.numbers.values()]

    def update_number(
        self, sid: str, params: Mapping[str, Any], *, number: str | None = None
    ) -> Record:
        self._call("update_number", sid)
        lost, self._lost = self._lost, None
        record = self.numbers.get(sid)
        if record is None:
            raise NotFoundError(self.not_in_account(number or sid), status=404)
        if lost is None or lost.applied:
            for name, value in params.items():
                record[name] = value.upper() if name.endswith("_method") else value
        if lost is not None:
            self._lost = lost  # the look-up of update_number_confirmed still to come
            raise lost.error()
        return dict(record)

    def update_number_confirmed(
        self,
        sid: str,
        params: Mapping[str, Any],
        *,
        is_applied: Callable[[Record], bool],
        number: str | None = None,
    ) -> Confirmed | Unconfirmed:
        try:
            return Confirmed(self.update_number(sid, params, number=number))
        except ResponseLostError:
            lost, self._lost = self._lost, None
            assert lost is not None
        if lost.look_fails:
            return Unconfirmed(f"the update was lost ({LOST}), and a look-up failed too")
        now = self.fetch_number(sid)
        if now is None:
            raise NotFoundError(self.not_in_account(number or sid), status=404)
        if is_applied(now):
            return Confirmed(now)
        if not lost.unanswered:
            raise ServerError("every try failed; nothing was changed", status=503)
        return Unconfirmed(f"the update was lost ({LOST}); it may still be applied")

    def list_applications(self) -> list[Record]:
        self._call("list_applications", None)
        return []

    def fetch_application(self, sid: str) -> Record | None:
        self._call("fetch_application", sid)
        return None

    def list_messaging_services(self) -> list[tuple[Record, list[Record]]]:
        self._call("list_messaging_services", None)
        return []

    def list_flex_flows(self) -> list[Record]:
        self._call("list_flex_flows", None)
        return []

    def fetch_conversations_configuration(self) -> Record:
        self._call("fetch_conversations_configuration", None)
        return {"account_sid": self.account, "default_chat_service_sid": None}

    def fetch_flex_configuration(self) -> Record | None:
        self._call("fetch_flex_configuration", None)
        return None

    def fetch_studio_flow(self, sid: str) -> Record | None:
        self._call("fetch_studio_flow", sid)
        return None

    def fetch_conversation_service(self, sid: str) -> Record | None:
        self._call("fetch_conversation_service", sid)
        return None

    def list_conversation_services(self) -> list[Record]:
        self._call("list_conversation_services", None)
        return []

    # --- the account's rules ------------------------------------------------------------

    def _call(self, operation: str, argument: Any) -> None:
        self.calls.append((operation, argument))
        failure = self._failures.pop(operation, None)
        if failure is not None:
            raise failure

    def _sid(self, prefix: str) -> str:
        return f"{prefix}{next(self._sids):032x}"

    def _configuration(self, sid_or_address: str) -> Record | None:
        if sid_or_address in self.configurations:
            return self.configurations[sid_or_address]
        return next(
            (r for r in self.configurations.values() if r["address"] == sid_or_address), None
        )

    def _new_configuration(self, params: Mapping[str, Any]) -> Record:
        sid = self._sid("IG")
        record: Record = {
            "sid": sid,
            "account_sid": self.account,
            "type": params["type"],
            "address": params["address"],
            "friendly_name": None,
            "address_country": None,
            "auto_creation": {},
            "date_created": _DATE,
            "date_updated": _DATE,
            "url": f"https://conversations.twilio.com/v1/Configuration/Addresses/{sid}",
        }
        self._apply_configuration(record, params)
        return record

    @staticmethod
    def _apply_configuration(record: Record, params: Mapping[str, Any]) -> None:
        """Twilio's echo: blanks clear, methods come back upper-case."""
        auto_creation = record["auto_creation"]
        for name, value in params.items():
            if name in ("type", "address"):
                continue
            blank = value in ("", [""])
            if name.startswith("auto_creation_"):
                key = name.removeprefix("auto_creation_")
                if blank:
                    auto_creation.pop(key, None)
                else:
                    auto_creation[key] = value.upper() if key == "webhook_method" else value
            else:
                record[name] = None if blank else value


@contextmanager
def installed(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTwilioApi]:
    """A fresh fake wherever the providers and the preflight look twilio_api up."""
    fake = FakeTwilioApi()
    with monkeypatch.context() as patch:
        patch.setattr(address_provider, "twilio_api", fake)
        patch.setattr(phone_number_provider, "twilio_api", fake)
        patch.setattr(pulumi_flex_sms, "twilio_api", fake)
        yield fake


def public_operations() -> list[str]:
    """The functions twilio_api exports, which the fake must all have."""
    return [name for name in twilio_api.__all__ if inspect.isfunction(getattr(twilio_api, name))]
