"""Check and settings errors over gRPC: values that only look right, and no echoed secret.

Each bad value must stop at ``check`` (a CheckFailure naming the property) or at
configuration (a ConfigurationError naming the key), and nothing may reach
Twilio: the emulator's request journal stays empty.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.engine import ProviderError, Resource

from pulumi_flex_sms import gateway
from pulumi_flex_sms.identifiers import MESSAGE_LIMIT
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider
from pulumi_flex_sms.resources.phone_number import preflight_warning

PASSWORD = "hunter2"
SECRET_URL = f"https://bot:{PASSWORD}@hooks.example.com/in"
AP = "AP" + "1" * 32


def _digits(number: str, zero: int) -> str:
    """``number`` with its digits after '+1' written from another script's zero."""
    return number[:2] + "".join(chr(zero + int(d)) for d in number[2:])


def _address_props(emulator: Any, **change: Any) -> dict[str, Any]:
    return {
        "address": emulator.number.phone_number,
        "autoCreation": {"enabled": True, "type": "studio", "studioFlowSid": emulator.flow_sid},
        **change,
    }


def _studio(emulator: Any, **change: Any) -> dict[str, Any]:
    return {"enabled": True, "type": "studio", "studioFlowSid": emulator.flow_sid, **change}


ADDRESS_CASES = [
    (
        "arabic-indic digits",
        lambda e: {"address": _digits(e.number.phone_number, 0x0660)},
        "address",
        "digits 0-9",
    ),
    (
        "full-width digits",
        lambda e: {"address": _digits(e.number.phone_number, 0xFF10)},
        "address",
        "digits 0-9",
    ),
    ("accented country", lambda e: {"addressCountry": "\u00c9S"}, "addressCountry", "A-Z"),
    ("sharp s country", lambda e: {"addressCountry": "\u00df"}, "addressCountry", "A-Z"),
    (
        "boolean retry count",
        lambda e: {"autoCreation": _studio(e, studioRetryCount=True)},
        "autoCreation.studioRetryCount",
        "not true or false",
    ),
    (
        "full-width flow sid",
        lambda e: {"autoCreation": _studio(e, studioFlowSid="FW" + "\uff41" * 32)},
        "autoCreation.studioFlowSid",
        "32 hex",
    ),
]


@pytest.mark.parametrize(
    ("change", "prop", "words"),
    [pytest.param(c, p, w, id=i) for i, c, p, w in ADDRESS_CASES],
)
def test_address_lookalikes_are_a_check_failure_with_no_request(
    emulator: Any, address: Resource, change: Any, prop: str, words: str
) -> None:
    failures = address.preview(_address_props(emulator, **change(emulator))).failures
    assert prop in [f.property for f in failures], failures
    assert words in next(f.reason for f in failures if f.property == prop)
    assert emulator.requests() == []


@pytest.mark.parametrize(
    ("auto_creation", "prop"),
    [
        (
            {"enabled": True, "type": "webhook", "webhookUrl": [SECRET_URL]},
            "autoCreation.webhookUrl",
        ),
        (
            {"enabled": True, "type": "webhook", "webhookUrl": {"primary": SECRET_URL}},
            "autoCreation.webhookUrl",
        ),
        ([{"enabled": True, "type": "webhook", "webhookUrl": SECRET_URL}], "autoCreation"),
    ],
    ids=["list", "dict", "nested"],
)
def test_credentials_in_the_wrong_type_are_masked_in_the_check_failure(
    emulator: Any, address: Resource, auto_creation: Any, prop: str
) -> None:
    failures = address.preview(_address_props(emulator, autoCreation=auto_creation)).failures
    assert prop in [f.property for f in failures], failures
    assert PASSWORD not in repr(failures)
    assert emulator.requests() == []


def test_long_values_are_cut_in_the_check_failure(emulator: Any, address: Resource) -> None:
    failures = address.preview(
        _address_props(emulator, address="+1" + "5" * 50_000, friendlyName="n" * 50_000)
    ).failures
    assert {f.property for f in failures} == {"address", "friendlyName"}
    for failure in failures:
        assert len(failure.reason.rsplit("; got ", 1)[1]) <= MESSAGE_LIMIT
    assert emulator.requests() == []


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"phoneNumber": "+1\u0665\u0660\u06605550001"}, "phoneNumber"),
        ({"phoneNumberSid": "PN" + "\uff41" * 32}, "phoneNumberSid"),
        ({"phoneNumber": "+15005550001", "smsUrl": [SECRET_URL]}, "smsUrl"),
        (
            {"phoneNumber": "+15005550001", "smsFallbackUrl": "https://h.example/\x00"},
            "smsFallbackUrl",
        ),
    ],
    ids=["arabic-indic digits", "full-width sid", "url in a list", "control character"],
)
def test_number_config_lookalikes_are_a_check_failure_with_no_request(
    emulator: Any, number_config: Resource, props: dict[str, Any], prop: str
) -> None:
    failures = number_config.preview(props).failures
    assert prop in [f.property for f in failures], failures
    assert PASSWORD not in repr(failures)
    assert emulator.requests() == []


# --- provider settings -----------------------------------------------------------------------


def _resources(process: Any) -> tuple[Resource, Resource]:
    return (
        Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "hardening-address"),
        Resource(
            process,
            PhoneNumberMessagingConfigProvider(),
            PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
            "hardening-number",
        ),
    )


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"flexsms:maxRetries": "nan"}, "flexsms:maxRetries must be a whole number"),
        ({"flexsms:timeoutSeconds": "1e400"}, "flexsms:timeoutSeconds must be a number"),
        ({"flexsms:maxRetryWaitSeconds": "-inf"}, "flexsms:maxRetryWaitSeconds must be a number"),
    ],
    ids=["nan retries", "infinite timeout", "negative wait"],
)
def test_bad_numeric_settings_are_a_configuration_error_naming_the_key(
    emulator: Any, provider_for: Any, config: dict[str, str], words: str
) -> None:
    address, number = _resources(provider_for(**config))
    with pytest.raises(ProviderError) as info:
        address.up(_address_props(emulator))
    assert info.value.message.startswith("pulumi_flex_sms.errors.ConfigurationError: ")
    assert words in info.value.message
    with pytest.raises(ProviderError) as info:
        number.up({"phoneNumber": emulator.number.phone_number})
    assert words in info.value.message
    assert emulator.requests() == []


@pytest.mark.parametrize(
    "base_url",
    [
        f"ftp://bot:{PASSWORD}@127.0.0.1:1",
        f"http://bot:{PASSWORD}@127.0.0.1:1?x",
        f"http://bot:{PASSWORD}@[::1",
        f'["http://bot:{PASSWORD}@127.0.0.1:1"]',  # structured config arrives as JSON text
    ],
    ids=["ftp", "query", "unparseable", "list"],
)
def test_a_malformed_base_url_is_masked_everywhere_in_the_error(
    emulator: Any, provider_for: Any, base_url: str
) -> None:
    address, _ = _resources(provider_for(**{"flexsms:twilioBaseUrl": base_url}))
    with pytest.raises(ProviderError) as info:
        address.up(_address_props(emulator))
    assert "ConfigurationError" in info.value.message
    assert "flexsms:twilioBaseUrl must" in info.value.message
    # The whole traceback the engine would print, not only its last line.
    assert PASSWORD not in info.value.details
    assert emulator.requests() == []


# --- the program's preflight read ------------------------------------------------------------


@pytest.fixture
def configured_gateway(emulator: Any) -> Any:
    gateway.configure(
        {
            "twilio:accountSid": emulator.account_sid,
            "twilio:authToken": emulator.auth_token,
            "flexsms:twilioBaseUrl": emulator.base_url,
        },
        {},
    )
    yield emulator
    gateway.configure(None, {})


@pytest.mark.parametrize(
    ("number", "sid"),
    [
        ("+1\u0665\u0660\u06605550077", None),
        ("+1\uff15\uff10\uff105550077", None),
        ("5005550077", None),
        (None, "PN" + "\uff41" * 32),
        (None, "../../Accounts"),
    ],
    ids=["arabic-indic", "full-width", "national", "full-width sid", "path in sid"],
)
def test_preflight_sends_nothing_for_what_check_will_refuse(
    configured_gateway: Any, number: str | None, sid: str | None
) -> None:
    assert preflight_warning(number, sid) is None
    assert configured_gateway.requests() == []


def test_preflight_looks_up_a_loosely_written_number_in_e164(configured_gateway: Any) -> None:
    emulator = configured_gateway
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
    message = preflight_warning("+1 (500) 555-0077", None)
    assert message is not None and AP in message and "+15005550077" in message
