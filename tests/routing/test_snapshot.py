"""Snapshot constructors: Twilio's JSON records in, routing data out.

The records are the example responses in Twilio's OpenAPI specs (skipped with
the reason when the specs are not on this machine), plus hand-written records
for the error cases, which run everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import pytest
from support.openapi import find_spec_dir, missing_reason
from support.routing_accounts import FLEX_DEFINITION, PROXY_WEBHOOK

from pulumi_flex_sms.routing import (
    AccountSnapshot,
    AddressConfiguration,
    AutoCreation,
    Conversation,
    ConversationsDefaults,
    FlexConfiguration,
    FlexFlow,
    Inbound,
    IncomingNumber,
    MessagingService,
    Participant,
    ScopedWebhook,
    ServiceNumber,
    SnapshotError,
    StudioFlow,
    TwimlApplication,
    is_flex_proxy_webhook,
    normalize_address,
    route,
)

API = "twilio_api_v2010.json"
CONVERSATIONS = "twilio_conversations_v1.json"
MESSAGING = "twilio_messaging_v1.json"
FLEX = "twilio_flex_v1.json"
STUDIO = "twilio_studio_v2.json"
NUMBER_PATH = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json"
APP_PATH = "/2010-04-01/Accounts/{AccountSid}/Applications/{Sid}.json"
CONVERSATION_PATH = "/v1/Conversations/{Sid}"
PARTICIPANT_PATH = "/v1/Conversations/{ConversationSid}/Participants/{Sid}"
WEBHOOK_PATH = "/v1/Conversations/{ConversationSid}/Webhooks/{Sid}"


@cache
def _spec(name: str) -> dict[str, Any]:
    directory = find_spec_dir()
    if directory is None or not (directory / name).is_file():
        pytest.skip(missing_reason() if directory is None else f"{name} not in {directory}")
    return json.loads((directory / name).read_text(encoding="utf-8"))


def example(spec: str, path: str) -> dict[str, Any]:
    """The spec's example 200 response of GET ``path``."""
    content = _spec(spec)["paths"][path]["get"]["responses"]["200"]["content"]
    examples = content["application/json"]["examples"]
    return dict(next(iter(examples.values()))["value"])


def properties(spec: str, path: str) -> set[str]:
    """The documented fields of GET ``path``'s response schema."""
    document = _spec(spec)
    ref = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    name = ref["schema"]["$ref"].rsplit("/", 1)[1]
    return set(document["components"]["schemas"][name]["properties"])


class Reading(dict):  # type: ignore[type-arg]
    """A record that notes which keys a constructor reads."""

    def __init__(self, data: Mapping[str, Any], read: set[str]) -> None:
        super().__init__(data)
        self.read = read

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)


def read_keys(constructor: Any, record: Mapping[str, Any]) -> set[str]:
    read: set[str] = set()
    constructor(Reading(record, read))
    return read


# -- each constructor, on the spec's own example ----------------------------------


@pytest.mark.parametrize(
    ("constructor", "spec", "path"),
    [
        (IncomingNumber.from_twilio, API, NUMBER_PATH),
        (TwimlApplication.from_twilio, API, APP_PATH),
        (AddressConfiguration.from_twilio, CONVERSATIONS, "/v1/Configuration/Addresses/{Sid}"),
        (ConversationsDefaults.from_twilio, CONVERSATIONS, "/v1/Configuration"),
        (Conversation.from_twilio, CONVERSATIONS, CONVERSATION_PATH),
        (Participant.from_twilio, CONVERSATIONS, PARTICIPANT_PATH),
        (ScopedWebhook.from_twilio, CONVERSATIONS, WEBHOOK_PATH),
        (MessagingService.from_twilio, MESSAGING, "/v1/Services/{Sid}"),
        (ServiceNumber.from_twilio, MESSAGING, "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}"),
        (FlexFlow.from_twilio, FLEX, "/v1/FlexFlows/{Sid}"),
        (FlexConfiguration.from_twilio, FLEX, "/v1/Configuration"),
        (StudioFlow.from_twilio, STUDIO, "/v2/Flows/{Sid}"),
    ],
    ids=lambda v: getattr(v, "__qualname__", None) if callable(v) else None,
)
def test_constructors_read_only_documented_fields(constructor: Any, spec: str, path: str) -> None:
    assert read_keys(constructor, example(spec, path)) <= properties(spec, path)


def test_incoming_number_example() -> None:
    number = IncomingNumber.from_twilio(example(API, NUMBER_PATH))
    assert number.sid.startswith("PN") and number.phone_number == "+18089255327"
    # The example's blank strings are "no handler".
    assert (number.sms_url, number.sms_application_sid, number.sms_method) == ("", "", "POST")


def test_application_example() -> None:
    app = TwimlApplication.from_twilio(example(API, APP_PATH))
    assert (app.sms_url, app.sms_method) == ("http://example.com", "GET")
    assert app.sms_fallback_url == "http://www.example.com/sms-fallback"


def test_address_configuration_example() -> None:
    address = AddressConfiguration.from_twilio(
        example(CONVERSATIONS, "/v1/Configuration/Addresses/{Sid}")
    )
    assert address.sid.startswith("IG") and address.address == "+37256123457"
    assert address.autocreates
    auto = address.auto_creation
    assert auto is not None and auto.type == "webhook"
    assert auto.webhook_filters == ("onParticipantAdded", "onMessageAdded")
    assert auto.conversation_service_sid is not None and auto.conversation_service_sid[:2] == "IS"


def test_conversations_configuration_example() -> None:
    defaults = ConversationsDefaults.from_twilio(example(CONVERSATIONS, "/v1/Configuration"))
    assert defaults.default_chat_service_sid is not None
    assert defaults.default_messaging_service_sid is not None
    assert (defaults.default_inactive_timer, defaults.default_closed_timer) == ("PT1M", "PT10M")


def test_conversation_with_participant_and_webhook_examples() -> None:
    conversation = Conversation.from_twilio(
        example(CONVERSATIONS, CONVERSATION_PATH),
        [example(CONVERSATIONS, PARTICIPANT_PATH)],
        [example(CONVERSATIONS, WEBHOOK_PATH)],
    )
    assert conversation.state == "active"
    assert conversation.binds("+15558675310", "+15017122661")
    assert not conversation.binds("+15017122661", "+15558675310")  # the pair is ordered
    webhook = conversation.webhooks[0]
    assert webhook.target == "studio" and webhook.flow_sid is not None
    assert webhook.url is None  # the resource's own url is not a webhook target


def test_messaging_service_example() -> None:
    service = MessagingService.from_twilio(
        example(MESSAGING, "/v1/Services/{Sid}"),
        [example(MESSAGING, "/v1/Services/{ServiceSid}/PhoneNumbers/{Sid}")],
    )
    assert service.use_inbound_webhook_on_number
    assert (service.mode, service.mode_declared) == ("defer", False)
    assert service.inbound_request_url == "https://www.example.com/"
    assert service.fallback_url is None
    assert [n.phone_number for n in service.phone_numbers] == ["12345"]


def test_flex_examples() -> None:
    flow = FlexFlow.from_twilio(example(FLEX, "/v1/FlexFlows/{Sid}"))
    assert (flow.channel_type, flow.contact_identity, flow.enabled) == ("sms", "12345", True)
    assert flow.integration_type == "studio" and flow.integration is not None
    config = FlexConfiguration.from_twilio(example(FLEX, "/v1/Configuration"))
    assert config.chat_service_instance_sid is not None


def test_studio_flow_example_is_read_and_its_stub_definition_judged() -> None:
    flow = StudioFlow.from_twilio(example(STUDIO, "/v2/Flows/{Sid}"))
    assert flow.status == "published"
    # The spec's example definition is a stub without states: it cannot reach Flex.
    assert not flow.reach.reaches_flex and "no 'states' list" in flow.reach.reason


def test_a_snapshot_of_spec_examples_routes() -> None:
    number = example(API, NUMBER_PATH)
    address = example(CONVERSATIONS, "/v1/Configuration/Addresses/{Sid}")
    address["address"] = number["phone_number"]
    configuration = example(CONVERSATIONS, "/v1/Configuration")
    flex = example(FLEX, "/v1/Configuration")
    snapshot = AccountSnapshot.from_twilio(
        numbers=[number],
        addresses=[address],
        conversations_configuration=configuration,
        flex_configuration=flex,
        conversation_services=[{"sid": address["auto_creation"]["conversation_service_sid"]}],
    )
    trace = route(snapshot, Inbound(sender="+15558675310", to=number["phone_number"]))
    assert trace.ok, [p.message for p in trace.problems]
    assert trace.integration is not None and trace.integration.url == "https://example.com"
    assert (
        trace.conversation.messaging_service_sid == configuration["default_messaging_service_sid"]
    )


# -- hand-written records: everything else, with or without the specs --------------


def test_account_snapshot_from_twilio_wires_every_part() -> None:
    snapshot = AccountSnapshot.from_twilio(
        account_sid="AC" + "0" * 32,
        numbers=[{"sid": "PN1", "phone_number": "+1 555 000 1111", "sms_url": None}],
        applications=[{"sid": "AP1", "sms_url": "https://a.example.com"}],
        addresses=[{"sid": "IG1", "address": "+15550001111", "type": "sms", "auto_creation": None}],
        messaging_services=[({"sid": "MG1"}, [{"sid": "PN1", "phone_number": "+15550001111"}])],
        messaging_service_modes={"MG1": "autocreate"},
        flex_flows=[{"sid": "FO1", "contact_identity": "+15550001111", "channel_type": "sms"}],
        conversations_configuration={"default_chat_service_sid": "IS1"},
        flex_configuration={"chat_service_instance_sid": "IS1"},
        conversation_services=[{"sid": "IS1"}],
        studio_flows=[{"sid": "FW1", "status": "draft", "definition": FLEX_DEFINITION}],
        conversations=[
            (
                {"sid": "CH1", "state": "closed"},
                [{"sid": "MB1", "messaging_binding": {"address": "+1", "proxy_address": "+2"}}],
                [],
            )
        ],
    )
    number = snapshot.number("+1 (555) 000-1111")
    assert number is not None and snapshot.number("PN1") is number
    assert number.sms_url == ""
    service = snapshot.messaging_service_of(number)
    assert service is not None and (service.mode, service.mode_declared) == ("autocreate", True)
    assert snapshot.address_for("+15550001111").auto_creation is None
    assert snapshot.application("AP1").sms_url == "https://a.example.com"
    assert snapshot.studio_flow("FW1").status == "draft"
    assert snapshot.studio_flow("FW1").reach.reaches_flex
    assert snapshot.conversation_services == frozenset({"IS1"})
    assert [f.sid for f in snapshot.flex_flows_for("+15550001111")] == ["FO1"]
    assert snapshot.bound_conversation("+1", "+2") is None  # closed frees the pair


def test_unknown_parts_stay_unknown() -> None:
    snapshot = AccountSnapshot.from_twilio(numbers=[{"sid": "PN1", "phone_number": "+1"}])
    assert snapshot.conversations_defaults is None
    assert snapshot.flex_configuration is None
    assert snapshot.conversation_services is None


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (
            lambda: IncomingNumber.from_twilio({"sid": "PN1"}),
            "incoming phone number record: 'phone_number'",
        ),
        (
            lambda: AddressConfiguration.from_twilio({"address": "+1"}),
            "address configuration record: 'sid'",
        ),
        (
            lambda: AddressConfiguration.from_twilio(
                {"sid": "IG1", "address": "+1", "auto_creation": "yes"}
            ),
            "'auto_creation' must be an object",
        ),
        (lambda: AutoCreation.from_twilio({"enabled": "maybe"}), "'enabled' must be true or false"),
        (
            lambda: AutoCreation.from_twilio({"enabled": True, "studio_retry_count": True}),
            "'studio_retry_count' must be a whole number",
        ),
        (
            lambda: AutoCreation.from_twilio({"enabled": True, "webhook_filters": [1]}),
            "webhook_filters must be a list of strings",
        ),
        (
            lambda: MessagingService(sid="MG1", incoming_mode="send"),
            "incoming_mode 'send' is not one of",
        ),
        (lambda: ScopedWebhook.from_twilio({"sid": "WH1"}), "'target' is missing"),
    ],
)
def test_bad_records_name_the_field(build: Any, message: str) -> None:
    with pytest.raises(SnapshotError, match=message.replace("(", r"\(")):
        build()


def test_auto_creation_flags_accept_twilio_string_booleans() -> None:
    assert AutoCreation.from_twilio({"enabled": "true", "type": "STUDIO"}).enabled
    assert AutoCreation.from_twilio({"enabled": "true", "type": "STUDIO"}).type == "studio"


def test_normalize_address_and_proxy_webhook() -> None:
    assert normalize_address(" +1 (311) 555-2368 ") == "+13115552368"
    assert normalize_address("whatsapp:+1 311 555 2368") == "whatsapp:+13115552368"
    assert is_flex_proxy_webhook(PROXY_WEBHOOK)
    assert is_flex_proxy_webhook(PROXY_WEBHOOK + "?x=1")
    assert not is_flex_proxy_webhook("https://webhooks.twilio.com/v1/Accounts/AC1/Flows/FW1")
    assert not is_flex_proxy_webhook("https://evil.example.com/Proxy/KS1/Webhooks/Message")
    assert not is_flex_proxy_webhook(None) and not is_flex_proxy_webhook("")
