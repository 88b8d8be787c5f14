"""Bad FlexSmsAddress inputs over gRPC: a CheckFailure naming the property, no Twilio call."""

from __future__ import annotations

from typing import Any

import pytest
from support.auto_creation import studio
from support.engine import Resource

FLOW = "FW" + "e" * 32
OK_AC = studio(FLOW)
DROP = object()  # leave the property out

BAD_INPUTS: list[tuple[str, dict[str, Any], str, str]] = [
    ("no address", {"address": DROP}, "address", "required"),
    ("national number", {"address": "(311) 555-2368"}, "address", "E.164"),
    ("whatsapp address", {"address": "whatsapp:+13115552368"}, "address", "E.164"),
    ("long name", {"friendlyName": "n" * 300}, "friendlyName", "256"),
    ("country", {"addressCountry": "United States"}, "addressCountry", "alpha-2"),
    (
        "flow sid",
        {"autoCreation": {**OK_AC, "studioFlowSid": "FW-flow"}},
        "autoCreation.studioFlowSid",
        "32 hex",
    ),
    (
        "service sid",
        {"autoCreation": {**OK_AC, "conversationServiceSid": "IS1"}},
        "autoCreation.conversationServiceSid",
        "32 hex",
    ),
    (
        "retry 4",
        {"autoCreation": {**OK_AC, "studioRetryCount": 4}},
        "autoCreation.studioRetryCount",
        "0 to 3",
    ),
    (
        "studio w/o flow",
        {"autoCreation": {"enabled": True, "type": "studio"}},
        "autoCreation.studioFlowSid",
        "required",
    ),
    (
        "webhook w/o url",
        {"autoCreation": {"enabled": True, "type": "webhook"}},
        "autoCreation.webhookUrl",
        "required",
    ),
    (
        "http webhook",
        {"autoCreation": {"enabled": True, "type": "webhook", "webhookUrl": "http://x.example"}},
        "autoCreation.webhookUrl",
        "https",
    ),
    (
        "method",
        {
            "autoCreation": {
                "enabled": True,
                "type": "webhook",
                "webhookUrl": "https://x.example",
                "webhookMethod": "PATCH",
            }
        },
        "autoCreation.webhookMethod",
        "GET",
    ),
    (
        "filter",
        {
            "autoCreation": {
                "enabled": True,
                "type": "webhook",
                "webhookUrl": "https://x.example",
                "webhookFilters": ["onMessageSent"],
            }
        },
        "autoCreation.webhookFilters",
        "onMessageAdded",
    ),
    (
        "studio field on default",
        {"autoCreation": {"enabled": True, "type": "default", "studioFlowSid": FLOW}},
        "autoCreation.studioFlowSid",
        "not used",
    ),
    ("type", {"autoCreation": {"enabled": True, "type": "flex"}}, "autoCreation.type", "one of"),
    (
        "enabled",
        {"autoCreation": {**OK_AC, "enabled": "sometimes"}},
        "autoCreation.enabled",
        "true or false",
    ),
    (
        "typo",
        {"autoCreation": {**OK_AC, "studioRetries": 2}},
        "autoCreation.studioRetries",
        "did you mean",
    ),
    ("adopt", {"adoptExisting": "perhaps"}, "adoptExisting", "true or false"),
]


@pytest.mark.parametrize(
    ("change", "prop", "words"),
    [pytest.param(c, p, w, id=i) for i, c, p, w in BAD_INPUTS],
)
def test_bad_input_is_a_check_failure_naming_the_property(
    emulator: Any, address: Resource, change: dict[str, Any], prop: str, words: str
) -> None:
    props = {"address": emulator.number.phone_number, "autoCreation": OK_AC, **change}
    props = {k: v for k, v in props.items() if v is not DROP}
    failures = address.preview(props).failures
    assert prop in [f.property for f in failures], failures
    reason = next(f.reason for f in failures if f.property == prop)
    assert words in reason
    # The engine stops at a failed Check: nothing reached Twilio.
    assert emulator.requests() == []


def test_up_with_bad_input_changes_nothing(emulator: Any, address: Resource) -> None:
    from support.engine import CheckFailed

    with pytest.raises(CheckFailed):
        address.up(
            {
                "address": emulator.number.phone_number,
                "autoCreation": {**OK_AC, "studioRetryCount": 9},
            }
        )
    assert emulator.requests() == []
    assert emulator.client().conversations.v1.address_configurations.list() == []
