"""Realistic property bags for the two resources, shaped as the providers guarantee.

``address_inputs`` / ``number_inputs`` are checked inputs (what ``Analyze`` sees,
and what ``AnalyzeStack`` sees in preview); ``address_outputs`` /
``number_outputs`` add what the providers return after ``pulumi up``. Keys come
from :mod:`pulumi_flex_sms.keys`, so a renamed key changes these bags too; the
test that feeds real provider outputs is what pins the keys to the providers.
"""

from __future__ import annotations

from typing import Any

from pulumi_flex_sms.keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    AddressKeys,
    AutoCreationKeys,
    PhoneNumberKeys,
    SmsSettingsKeys,
)

ADDRESS = FLEX_SMS_ADDRESS_TYPE
NUMBER = PHONE_NUMBER_MESSAGING_CONFIG_TYPE
PET = "random:index/randomPet:RandomPet"
#: An IncomingPhoneNumber of some other provider: pairs a PN SID with its number.
OTHER_NUMBER = "twilio:index/incomingPhoneNumber:IncomingPhoneNumber"

ACCOUNT_SID = "AC" + "a" * 32
FLOW_SID = "FW" + "b" * 32
SERVICE_SID = "IS" + "c" * 32
SUPPORT = "+13115552368"
SALES = "+13115550100"


def pn_sid(number: str) -> str:
    """A stable PN SID for a number (hex from its digits)."""
    digits = "".join(c for c in number if c.isdigit())
    return "PN" + digits.rjust(32, "0")[-32:]


def ig_sid(number: str) -> str:
    digits = "".join(c for c in number if c.isdigit())
    return "IG" + digits.rjust(32, "0")[-32:]


def address_inputs(
    number: str = SUPPORT,
    *,
    enabled: bool | str = True,
    type_: str = "studio",
    **auto_creation: Any,
) -> dict[str, Any]:
    """Checked inputs of a FlexSmsAddress routed to a Studio flow (the Flex default)."""
    auto: dict[str, Any] = {AutoCreationKeys.ENABLED: enabled, AutoCreationKeys.TYPE: type_}
    if type_ == "studio":
        auto[AutoCreationKeys.STUDIO_FLOW_SID] = FLOW_SID
        auto[AutoCreationKeys.STUDIO_RETRY_COUNT] = 3
    elif type_ == "webhook":
        auto[AutoCreationKeys.WEBHOOK_URL] = "https://hooks.example.com/flex"
        auto[AutoCreationKeys.WEBHOOK_METHOD] = "POST"
        auto[AutoCreationKeys.WEBHOOK_FILTERS] = ["onMessageAdded", "onParticipantAdded"]
    auto.update(auto_creation)
    auto = {k: v for k, v in auto.items() if v is not None}
    return {
        AddressKeys.ADDRESS: number,
        AddressKeys.FRIENDLY_NAME: "Support line",
        AddressKeys.AUTO_CREATION: auto,
    }


def address_outputs(number: str = SUPPORT, **kwargs: Any) -> dict[str, Any]:
    """Outputs of a FlexSmsAddress after ``pulumi up``."""
    sid = ig_sid(number)
    return {
        **address_inputs(number, **kwargs),
        AddressKeys.SID: sid,
        AddressKeys.ACCOUNT_SID: ACCOUNT_SID,
        AddressKeys.URL: f"https://conversations.twilio.com/v1/Configuration/Addresses/{sid}",
        AddressKeys.DATE_CREATED: "2026-01-02T03:04:05Z",
        AddressKeys.DATE_UPDATED: "2026-01-02T03:04:05Z",
    }


def number_inputs(
    number: str | None = SUPPORT,
    *,
    sid: str | None = None,
    sms_url: str = "",
    **settings: Any,
) -> dict[str, Any]:
    """Checked inputs of a PhoneNumberMessagingConfig (``smsUrl`` defaults to blank)."""
    props: dict[str, Any] = {}
    if number is not None:
        props[PhoneNumberKeys.PHONE_NUMBER] = number
    if sid is not None:
        props[PhoneNumberKeys.PHONE_NUMBER_SID] = sid
    props[PhoneNumberKeys.SMS_URL] = sms_url
    props[PhoneNumberKeys.ON_DELETE] = "restore"
    props.update({k: v for k, v in settings.items() if v is not None})
    return props


def number_outputs(
    number: str = SUPPORT,
    *,
    sms_url: str = "",
    original: dict[str, Any] | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """Outputs of a PhoneNumberMessagingConfig after ``pulumi up`` (number and SID resolved)."""
    return {
        **number_inputs(number, sid=pn_sid(number), sms_url=sms_url, **settings),
        PhoneNumberKeys.ACCOUNT_SID: ACCOUNT_SID,
        PhoneNumberKeys.FRIENDLY_NAME: "(311) 555-2368",
        PhoneNumberKeys.ORIGINAL_SETTINGS: {
            SmsSettingsKeys.SMS_URL: "https://demo.twilio.com/welcome/sms/reply",
            SmsSettingsKeys.SMS_METHOD: "POST",
            SmsSettingsKeys.SMS_FALLBACK_URL: "",
            SmsSettingsKeys.SMS_FALLBACK_METHOD: "POST",
            SmsSettingsKeys.SMS_APPLICATION_SID: "",
            **(original or {}),
        },
    }


def pet(name: str = "pet") -> tuple[str, str, dict[str, Any]]:
    """An unrelated resource, as stacks have plenty of."""
    return (PET, name, {"length": 2, "separator": "-", "id": f"{name}-happy-otter"})


def compliant_stack(outputs: bool = True) -> list[tuple[str, str, dict[str, Any]]]:
    """The README's example: a Studio-routed address next to its blanked number."""
    if outputs:
        return [
            (ADDRESS, "support-line", address_outputs(SUPPORT)),
            (NUMBER, "support-number", number_outputs(SUPPORT)),
            pet(),
        ]
    return [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "support-number", number_inputs(SUPPORT)),
        pet(),
    ]
