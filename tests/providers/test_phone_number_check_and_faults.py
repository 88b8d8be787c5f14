"""PhoneNumberMessagingConfig: bad inputs (no Twilio call), faults, and the preflight warning."""

from __future__ import annotations

from typing import Any

import pytest
from support.engine import Resource

from pulumi_flex_sms import gateway
from pulumi_flex_sms.resources.phone_number import preflight_warning

PN = "PN" + "a" * 32
AP = "AP" + "1" * 32
ONE_NUMBER = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*"
NUMBERS = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers.json"

BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("no number", {}, "phoneNumber", "phone_number or phone_number_sid is required"),
    (
        "both",
        {"phoneNumber": "+15005550001", "phoneNumberSid": PN},
        "phoneNumberSid",
        "exactly one",
    ),
    ("not e164", {"phoneNumber": "5005550001"}, "phoneNumber", "E.164"),
    ("sid", {"phoneNumberSid": "PN12"}, "phoneNumberSid", "32 hex"),
    ("url", {"phoneNumberSid": PN, "smsUrl": "hooks.example.com/sms"}, "smsUrl", "http(s) URL"),
    (
        "fallback",
        {"phoneNumberSid": PN, "smsFallbackUrl": "mailto:x@y"},
        "smsFallbackUrl",
        "http(s)",
    ),
    ("method", {"phoneNumberSid": PN, "smsMethod": "PUT"}, "smsMethod", "'GET' or 'POST'"),
    ("fb method", {"phoneNumberSid": PN, "smsFallbackMethod": 1}, "smsFallbackMethod", "string"),
    (
        "app sid",
        {"phoneNumberSid": PN, "smsApplicationSid": "MG" + "1" * 32},
        "smsApplicationSid",
        "'AP'",
    ),
    (
        "app and url",
        {"phoneNumberSid": PN, "smsUrl": "https://x.example", "smsApplicationSid": AP},
        "smsApplicationSid",
        "Twilio ignores sms_url",
    ),
    (
        "on_delete",
        {"phoneNumberSid": PN, "onDelete": "release"},
        "onDelete",
        "'restore', 'leave' or 'clear'",
    ),
    ("typo", {"phoneNumberSid": PN, "smsURL": ""}, "smsURL", "did you mean 'sms_url'"),
]


@pytest.mark.parametrize(
    ("props", "prop", "words"), [pytest.param(p, q, w, id=i) for i, p, q, w in BAD_INPUTS]
)
def test_bad_input_is_a_check_failure_naming_the_property(
    emulator: Any, number_config: Resource, props: dict[str, Any], prop: str, words: str
) -> None:
    failures = number_config.preview(props).failures
    assert prop in [f.property for f in failures], failures
    assert words in next(f.reason for f in failures if f.property == prop)
    assert emulator.requests() == []


def test_listing_and_updating_survive_429_503_and_drops(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    emulator.control.add_fault(NUMBERS, method="GET", status=429, retry_after=1, times=1)
    emulator.control.add_fault(ONE_NUMBER, method="POST", status=503, times=1)
    emulator.control.add_fault(ONE_NUMBER, method="POST", action="drop", times=1)
    number_config.up({"phoneNumber": legacy.phone_number})
    assert [(r["method"], r["status"], r["fault"]) for r in emulator.requests()] == [
        ("GET", 429, "error"),
        ("GET", 200, None),
        ("POST", 503, "error"),
        ("POST", 200, "drop"),
        ("POST", 200, None),  # an update is safe to repeat
    ]
    assert number_config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    emulator.control.add_fault(ONE_NUMBER, method="POST", status=500, times=2)
    number_config.destroy()
    number = emulator.client().incoming_phone_numbers(legacy.sid).fetch()
    assert number.sms_url == emulator.legacy_sms_url


def test_preflight_warns_about_a_twiml_app_still_taking_messages(emulator: Any) -> None:
    emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": emulator.account_sid,
                    "applications": [{"sid": AP}],  # a number names an app of its account
                    "phone_numbers": [{"phone_number": "+15005550077", "sms_application_sid": AP}],
                }
            ]
        }
    )
    gateway.configure(
        {
            "twilio:accountSid": emulator.account_sid,
            "twilio:authToken": emulator.auth_token,
            "flexsms:twilioBaseUrl": emulator.base_url,
        },
        {},
    )
    try:
        message = preflight_warning("+15005550077", None)
        assert message is not None
        assert AP in message and "+15005550077" in message and 'sms_application_sid=""' in message
        assert preflight_warning(emulator.numbers[0].phone_number, None) is None
        assert preflight_warning(None, emulator.numbers[1].sid) is None  # a URL, no app
    finally:
        gateway.configure(None, {})


def test_program_prints_the_preflight_warning(
    emulator: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pulumi

    from pulumi_flex_sms import PhoneNumberMessagingConfig

    emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": emulator.account_sid,
                    "applications": [{"sid": AP}],  # a number names an app of its account
                    "phone_numbers": [{"phone_number": "+15005550078", "sms_application_sid": AP}],
                }
            ]
        }
    )
    warnings: list[tuple[str, Any]] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda msg, resource=None, **_: warnings.append((msg, resource))
    )

    class Echo(pulumi.runtime.Mocks):
        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            return "id", dict(args.inputs)

        def call(self, args: Any) -> dict[str, Any]:
            return {}

    pulumi.runtime.set_mocks(Echo(), project="p", stack="s", preview=True)
    pulumi.runtime.set_config("twilio:accountSid", emulator.account_sid)
    pulumi.runtime.set_config("twilio:authToken", emulator.auth_token)
    pulumi.runtime.set_config("flexsms:twilioBaseUrl", emulator.base_url)

    @pulumi.runtime.test
    def program() -> Any:
        with_app = PhoneNumberMessagingConfig("with-app", phone_number="+15005550078")
        quiet = PhoneNumberMessagingConfig("quiet", phone_number=emulator.numbers[0].phone_number)
        detached = PhoneNumberMessagingConfig(
            "detached", phone_number="+15005550078", sms_application_sid=""
        )
        return pulumi.Output.all(
            with_app.urn, quiet.urn, detached.urn, with_app._preflight, quiet._preflight
        )

    try:
        program()
    finally:
        gateway.configure(None, {})
    assert len(warnings) == 1, warnings
    message, resource = warnings[0]
    assert AP in message and resource is not None and resource._name == "with-app"
