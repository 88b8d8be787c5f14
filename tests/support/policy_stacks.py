"""Realistic property bags for the two resources, shaped as the providers guarantee.

``address_inputs`` / ``number_inputs`` are checked inputs (what ``Analyze`` sees,
and what ``AnalyzeStack`` sees in preview); ``address_outputs`` /
``number_outputs`` add what the providers return after ``pulumi up``. Keys come
from :mod:`pulumi_flex_sms.keys`, so a renamed key changes these bags too; the
test that feeds real provider outputs is what pins the keys to the providers.
"""

from __future__ import annotations

import json
from typing import Any

from pulumi_flex_sms.keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    TWILIO_ADDRESS_TYPE,
    TWILIO_FLEX_FLOW_TYPE,
    TWILIO_INCOMING_NUMBER_TYPE,
    TWILIO_SERVICE_NUMBER_TYPE,
    TWILIO_STUDIO_FLOW_TYPE,
    AddressKeys,
    AutoCreationKeys,
    PhoneNumberKeys,
    SmsSettingsKeys,
    TwilioAddressKeys,
    TwilioFlexFlowKeys,
    TwilioIncomingNumberKeys,
    TwilioServiceNumberKeys,
    TwilioStudioFlowKeys,
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


# -- The Terraform-bridged Twilio provider's resources --------------------------------
# Property bags shaped as that provider's SDK declares them (keys from
# pulumi_flex_sms.keys, its last section); inputs unless a SID (an output) is given.

TWILIO_NUMBER = TWILIO_INCOMING_NUMBER_TYPE
TWILIO_ADDRESS = TWILIO_ADDRESS_TYPE
TWILIO_SERVICE_NUMBER = TWILIO_SERVICE_NUMBER_TYPE
TWILIO_FLOW = TWILIO_STUDIO_FLOW_TYPE
TWILIO_FLEX_FLOW = TWILIO_FLEX_FLOW_TYPE

MESSAGING_SERVICE_SID = "MG" + "e" * 32
FLEX_FLOW_SID = "FO" + "f" * 32
#: The legacy Flex Proxy Service's message webhook (what Flex UI 1.x set on a number).
FLEX_PROXY_WEBHOOK = (
    f"https://webhooks.twilio.com/v1/Accounts/{ACCOUNT_SID}/Proxy/KS{'1' * 32}/Webhooks/Message"
)


def studio_definition(*, trigger_event: str = "incomingConversationMessage") -> str:
    """A Studio flow definition (JSON text, as the bridged provider takes it).

    Wired on Incoming Conversation it reaches Send to Flex through a widget;
    wired on ``incomingMessage`` (the number-webhook trigger) it never does.
    """
    return json.dumps(
        {
            "description": "Flex inbound SMS",
            "initial_state": "Trigger",
            "states": [
                {
                    "name": "Trigger",
                    "type": "trigger",
                    "transitions": [{"event": trigger_event, "next": "greet"}],
                },
                {
                    "name": "greet",
                    "type": "send-message",
                    "transitions": [{"event": "sent", "next": "to_agent"}],
                },
                {"name": "to_agent", "type": "send-to-flex", "transitions": []},
            ],
        }
    )


def twilio_number(
    number: str | None = SUPPORT,
    *,
    sid: str | None = None,
    sms_url: str | None = None,
    app: str | None = None,
) -> dict[str, Any]:
    """An ``ApiAccountsIncomingPhoneNumbers`` (``sid`` given: its outputs after up)."""
    props: dict[str, Any] = {"friendlyName": "Flex line"}
    if number is not None:
        props[TwilioIncomingNumberKeys.PHONE_NUMBER] = number
    if sid is not None:
        props[TwilioIncomingNumberKeys.SID] = sid
    if sms_url is not None:
        props[TwilioIncomingNumberKeys.SMS_URL] = sms_url
    if app is not None:
        props[TwilioIncomingNumberKeys.SMS_APPLICATION_SID] = app
    return props


def twilio_address(
    number: str = SUPPORT,
    *,
    enabled: Any = True,
    type_: str | None = "studio",
    channel: str = "sms",
    sid: str | None = None,
    **settings: Any,
) -> dict[str, Any]:
    """A ``ConversationsConfigurationAddressesV1`` routed to the Studio flow by default.

    ``settings`` are further keys (``autoCreationWebhookUrl=...``); None drops a key.
    """
    props: dict[str, Any] = {
        TwilioAddressKeys.ADDRESS: number,
        TwilioAddressKeys.TYPE: channel,
        TwilioAddressKeys.AUTO_CREATION_ENABLED: enabled,
        TwilioAddressKeys.AUTO_CREATION_TYPE: type_,
    }
    if type_ == "studio":
        props[TwilioAddressKeys.AUTO_CREATION_STUDIO_FLOW_SID] = FLOW_SID
    elif type_ == "webhook":
        props[TwilioAddressKeys.AUTO_CREATION_WEBHOOK_URL] = "https://hooks.example.com/flex"
    if sid is not None:
        props[TwilioAddressKeys.SID] = sid
    props.update(settings)
    return {k: v for k, v in props.items() if v is not None}


def twilio_service_number(
    phone_number_sid: str, service_sid: str = MESSAGING_SERVICE_SID
) -> dict[str, Any]:
    """A ``MessagingServicesPhoneNumbersV1``: the number in the service's sender pool."""
    return {
        TwilioServiceNumberKeys.PHONE_NUMBER_SID: phone_number_sid,
        TwilioServiceNumberKeys.SERVICE_SID: service_sid,
    }


def twilio_flow(
    *, sid: str | None = FLOW_SID, status: str = "published", definition: str | None = None
) -> dict[str, Any]:
    """A ``StudioFlowsV2`` (``sid`` None: a flow not created yet, as in a first preview)."""
    props: dict[str, Any] = {
        TwilioStudioFlowKeys.FRIENDLY_NAME: "Flex inbound",
        TwilioStudioFlowKeys.STATUS: status,
        TwilioStudioFlowKeys.DEFINITION: definition or studio_definition(),
    }
    if sid is not None:
        props[TwilioStudioFlowKeys.SID] = sid
    return props


def twilio_flex_flow(
    identity: str = SUPPORT, *, enabled: Any = True, channel: str = "sms"
) -> dict[str, Any]:
    """A ``FlexFlexFlowsV1``: a legacy Flex Flow claiming ``identity``."""
    return {
        "friendlyName": "Legacy SMS",
        "chatServiceSid": "IS" + "9" * 32,
        TwilioFlexFlowKeys.CHANNEL_TYPE: channel,
        TwilioFlexFlowKeys.CONTACT_IDENTITY: identity,
        TwilioFlexFlowKeys.ENABLED: enabled,
        "integrationType": "studio",
        "integrationFlowSid": FLOW_SID,
    }
