"""Test helpers around the Twilio emulator: processes, the standard seed, clients.

The fixtures in ``tests/conftest.py`` are built from these; tests that need
their own emulator (CLI, ``--state`` restarts) use :func:`start_process`, which
ships in :mod:`pulumi_flex_sms.testing.process` (the users' pytest plugin runs
its emulator with it too) and is re-exported here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import requests
from twilio.base.exceptions import TwilioException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.testing.process import FIRST_LINE_PREFIX, EmulatorProcess, start_process

from .openapi import spec_validator

__all__ = [
    "FIRST_LINE_PREFIX",
    "STANDARD",
    "EmulatorHandle",
    "EmulatorProcess",
    "SeededNumber",
    "ValidatingHttpClient",
    "arabic_indic",
    "full_width",
    "list_error",
    "start_process",
    "twilio_client",
    "validated_session",
]


def arabic_indic(text: str) -> str:
    """``text`` with its ASCII digits written as Arabic-Indic digits (U+0660..U+0669).

    Python's ``\\d`` and ``int()`` take them as digits; Twilio's patterns do not.
    """
    return text.translate({ord("0") + d: 0x0660 + d for d in range(10)})


def full_width(text: str) -> str:
    """``text`` with its printable ASCII written as full-width forms (U+FF01..U+FF5E)."""
    return text.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})


def list_error(action: Callable[[], object]) -> tuple[int, dict[str, Any]]:
    """The HTTP status and Twilio error body of a list call that fails.

    twilio-python's list trap: a failed page is a bare ``TwilioException("Unable
    to fetch page", response)``, not a ``TwilioRestException`` (twilio/base/page.py).
    """
    try:
        action()
    except TwilioException as exc:
        response = exc.args[1]
        return response.status_code, json.loads(response.text)
    raise AssertionError("the list call did not fail")


def _hex(digit: str) -> str:
    return digit * 32


@dataclass(frozen=True)
class SeededNumber:
    sid: str
    phone_number: str


@dataclass(frozen=True)
class _Standard:
    """The standard seed's fixed SIDs and credentials (the fixtures seed it each test)."""

    account_sid: str = "AC" + _hex("1")
    auth_token: str = "test-auth-token-" + "0" * 16
    api_key_sid: str = "SK" + _hex("2")
    api_key_secret: str = "test-api-key-secret-" + "0" * 12
    #: [0] clean ("A message comes in" blank), [1] has a legacy webhook, [2] spare.
    numbers: tuple[SeededNumber, ...] = (
        SeededNumber("PN" + _hex("a"), "+15005550001"),
        SeededNumber("PN" + _hex("b"), "+15005550002"),
        SeededNumber("PN" + _hex("c"), "+15005550003"),
    )
    legacy_sms_url: str = "https://legacy.example.com/sms"
    service_sid: str = "IS" + _hex("d")
    flow_sid: str = "FW" + _hex("e")
    other_account_sid: str = "AC" + _hex("9")
    other_auth_token: str = "other-auth-token-" + "0" * 15
    other_number: SeededNumber = SeededNumber("PN" + _hex("f"), "+15005550009")

    def seed(self) -> dict[str, Any]:
        clean, legacy, spare = self.numbers
        return {
            "accounts": [
                {
                    "sid": self.account_sid,
                    "auth_token": self.auth_token,
                    "api_keys": [{"sid": self.api_key_sid, "secret": self.api_key_secret}],
                    "phone_numbers": [
                        {"sid": clean.sid, "phone_number": clean.phone_number},
                        {
                            "sid": legacy.sid,
                            "phone_number": legacy.phone_number,
                            "friendly_name": "Legacy SMS line",
                            "sms_url": self.legacy_sms_url,
                            "sms_method": "POST",
                            "sms_fallback_url": "https://legacy.example.com/fallback",
                            "sms_fallback_method": "GET",
                        },
                        {"sid": spare.sid, "phone_number": spare.phone_number},
                    ],
                    "conversation_services": [
                        {"sid": self.service_sid, "friendly_name": "Flex Conversations Service"}
                    ],
                    "studio_flows": [
                        {
                            "sid": self.flow_sid,
                            "friendly_name": "Messaging Flow",
                            "status": "published",
                        }
                    ],
                },
                {
                    "sid": self.other_account_sid,
                    "auth_token": self.other_auth_token,
                    "phone_numbers": [
                        {
                            "sid": self.other_number.sid,
                            "phone_number": self.other_number.phone_number,
                        }
                    ],
                },
            ]
        }


STANDARD = _Standard()


def _validate_hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    validator = spec_validator()
    if validator is not None:
        validator.validate(
            response.request.method or "GET",
            response.request.url or "",
            response.status_code,
            response.headers,
            response.content,
        )


class ValidatingHttpClient(TwilioHttpClient):
    """twilio-python's HTTP client, checking every response against Twilio's specs."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(request_hooks={"response": [_validate_hook]}, **kwargs)


def validated_session(auth: tuple[str, str] | None = None) -> requests.Session:
    """A plain ``requests`` session whose responses are checked the same way."""
    session = requests.Session()
    session.auth = auth
    session.hooks["response"].append(_validate_hook)
    return session


def twilio_client(
    base_url: str,
    username: str,
    password: str,
    account_sid: str | None = None,
    *,
    validate: bool = True,
    timeout: float | None = 30,
) -> Client:
    """A twilio ``Client`` whose api/conversations/studio/messaging/flex-api domains point
    at ``base_url``."""
    http = ValidatingHttpClient(timeout=timeout) if validate else TwilioHttpClient(timeout=timeout)
    client = Client(username, password, account_sid, http_client=http, environment={})
    for attribute, domain in (
        ("api", "api"),
        ("conversations", "conversations"),
        ("studio", "studio"),
        ("messaging", "messaging"),
        ("flex_api", "flex-api"),
    ):
        getattr(client, attribute).base_url = f"{base_url}/{domain}"
    return client


@dataclass
class EmulatorHandle:
    """An emulator seeded with :data:`STANDARD`, as the ``emulator`` fixture yields it.

    ``numbers`` holds three :class:`SeededNumber`: [0] clean (``sms_url`` ""),
    [1] with a legacy ``sms_url`` (:attr:`legacy_sms_url`), [2] spare;
    ``number`` is ``numbers[0]``. ``other_*`` is a second account, for isolation.
    """

    base_url: str
    control: EmulatorControl
    account_sid: str = STANDARD.account_sid
    auth_token: str = STANDARD.auth_token
    api_key_sid: str = STANDARD.api_key_sid
    api_key_secret: str = STANDARD.api_key_secret
    numbers: tuple[SeededNumber, ...] = STANDARD.numbers
    legacy_sms_url: str = STANDARD.legacy_sms_url
    service_sid: str = STANDARD.service_sid
    flow_sid: str = STANDARD.flow_sid
    other_account_sid: str = STANDARD.other_account_sid
    other_auth_token: str = STANDARD.other_auth_token
    other_number: SeededNumber = STANDARD.other_number

    @property
    def number(self) -> SeededNumber:
        return self.numbers[0]

    def client(self, *, api_key: bool = False, validate: bool = True, **kwargs: Any) -> Client:
        """A twilio Client for the standard account (``api_key=True``: via the SK key)."""
        if api_key:
            return twilio_client(
                self.base_url,
                self.api_key_sid,
                self.api_key_secret,
                self.account_sid,
                validate=validate,
                **kwargs,
            )
        return twilio_client(
            self.base_url, self.account_sid, self.auth_token, validate=validate, **kwargs
        )

    def other_client(self) -> Client:
        return twilio_client(self.base_url, self.other_account_sid, self.other_auth_token)

    def env(self) -> dict[str, str]:
        """Environment variables that point pulumi-flex-sms's gateway at this emulator."""
        return {
            "TWILIO_ACCOUNT_SID": self.account_sid,
            "TWILIO_AUTH_TOKEN": self.auth_token,
            "FLEX_SMS_TWILIO_BASE_URL": self.base_url,
        }

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The request journal (see ``EmulatorControl.requests``)."""
        return self.control.requests(**filters)
