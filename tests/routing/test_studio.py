"""The Studio definition parser: a flow reaches Flex by its wiring, never by its names."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest
from support.routing_accounts import FLEX_DEFINITION, definition

from pulumi_flex_sms.routing import DefinitionError, flex_reach, parse_definition


def test_flex_default_flow_reaches_flex() -> None:
    reach = flex_reach(FLEX_DEFINITION)
    assert reach.reaches_flex
    assert reach.path == ("Trigger", "SendToAgent")


def test_reaches_flex_through_several_widgets_and_events() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingMessage": "", "incomingConversationMessage": "hours"}),
        ("hours", "split-based-on", {"noMatch": "closed_reply", "match": "lookup"}),
        ("closed_reply", "send-message", {"sent": "", "failed": ""}),
        ("lookup", "run-function", {"success": "route", "fail": "closed_reply"}),
        ("route", "set-variables", {"next": "queue_it"}),
        # The name says nothing; the type decides.
        ("queue_it", "send-to-flex", {"callComplete": "", "failedToEnqueue": ""}),
    )
    reach = flex_reach(flow)
    assert reach.reaches_flex, reach.reason
    assert reach.path == ("Trigger", "hours", "lookup", "route", "queue_it")
    assert "Trigger -> hours -> lookup -> route -> queue_it" in reach.reason


def test_names_do_not_count_only_types() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": "send_to_flex"}),
        ("send_to_flex", "send-message", {"sent": ""}),
    )
    reach = flex_reach(flow)
    assert not reach.reaches_flex
    assert "no Send to Flex widget" in reach.reason


def test_only_incoming_message_does_not_reach() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingMessage": "agent", "incomingCall": "agent"}),
        ("agent", "send-to-flex", {}),
    )
    reach = flex_reach(flow)
    assert not reach.reaches_flex
    assert "incomingConversationMessage" in reach.reason
    assert "wired on 'incomingMessage'" in reach.reason


def test_unconnected_conversation_transition_does_not_reach() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": ""}),
        ("agent", "send-to-flex", {}),
    )
    assert not flex_reach(flow).reaches_flex


def test_send_to_flex_unreachable_from_the_conversation_trigger() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": "reply", "incomingMessage": "x"}),
        ("reply", "send-message", {"sent": ""}),
        ("x", "send-message", {"sent": "agent"}),
        ("agent", "send-to-flex", {}),
    )
    reach = flex_reach(flow)
    assert not reach.reaches_flex
    assert "can be reached" in reach.reason


def test_cycles_terminate_with_and_without_send_to_flex() -> None:
    looping = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": "ask"}),
        ("ask", "send-and-wait-for-reply", {"incomingMessage": "check", "timeout": "ask"}),
        ("check", "split-based-on", {"noMatch": "ask", "match": "ask"}),
        ("orphan", "send-to-flex", {}),
    )
    assert not flex_reach(looping).reaches_flex
    escaping = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": "ask"}),
        ("ask", "send-and-wait-for-reply", {"incomingMessage": "check", "timeout": "ask"}),
        ("check", "split-based-on", {"noMatch": "ask", "match": "agent"}),
        ("agent", "send-to-flex", {}),
    )
    assert flex_reach(escaping).path == ("Trigger", "ask", "check", "agent")


def test_a_loop_back_to_the_trigger_does_not_take_its_other_events() -> None:
    # The Trigger's transitions are entry points, each taken only on its own event; a
    # widget that leads back to the Trigger does not make a conversation message take
    # the number-webhook ('incomingMessage') entry to Send to Flex.
    flow = definition(
        ("Trigger", "trigger", {"incomingMessage": "agent", "incomingConversationMessage": "hi"}),
        ("hi", "send-message", {"sent": "Trigger"}),
        ("agent", "send-to-flex", {}),
    )
    reach = flex_reach(flow)
    assert not reach.reaches_flex
    assert "no Send to Flex widget" in reach.reason and "can be reached" in reach.reason


def test_any_mapping_and_sequence_is_read_like_json_objects_and_lists() -> None:
    # A definition that arrives as an object, not text, need not be made of dicts and
    # lists: the policy SDK hands one over as read-only Mapping/Sequence proxies.
    frozen = MappingProxyType(
        {
            "initial_state": "Trigger",
            "states": tuple(
                MappingProxyType({**state, "transitions": tuple(state["transitions"])})
                for state in FLEX_DEFINITION["states"]
            ),
        }
    )
    assert flex_reach(frozen).path == ("Trigger", "SendToAgent")
    # Text is still not a list of states.
    reach = flex_reach({"states": "Trigger"})
    assert not reach.reaches_flex and "'states' list" in reach.reason


def test_a_transition_to_a_missing_state_leads_nowhere() -> None:
    flow = definition(
        ("Trigger", "trigger", {"incomingConversationMessage": "gone"}),
        ("agent", "send-to-flex", {}),
    )
    assert not flex_reach(flow).reaches_flex


def test_trigger_found_by_type_when_initial_state_is_not_one() -> None:
    flow = definition(
        ("Start", "trigger", {"incomingConversationMessage": "agent"}),
        ("agent", "send-to-flex", {}),
        initial="nonexistent",
    )
    assert flex_reach(flow).reaches_flex
    no_trigger = definition(("agent", "send-to-flex", {}))
    assert "no Trigger state" in flex_reach(no_trigger).reason


def test_definition_as_json_text() -> None:
    assert flex_reach(json.dumps(FLEX_DEFINITION)).reaches_flex


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("[" * 100_000, "nested too deeply"),
        ("[1, 2]", "must be a JSON object"),
        ({"initial_state": "Trigger"}, "no 'states' list"),
        ({"states": [{"type": "trigger"}]}, "states[0].name must be a non-empty string"),
        ({"states": ["Trigger"]}, "states[0] must be an object"),
        ({"states": [{"name": "T", "type": "trigger", "transitions": {}}]}, "must be a list"),
        (
            {"states": [{"name": "T", "type": "trigger", "transitions": [{"next": "x"}]}]},
            "states[0].transitions[0].event",
        ),
        (
            {
                "states": [
                    {"name": "T", "type": "trigger", "transitions": [{"event": "e", "next": 3}]}
                ]
            },
            ".next must be a state name",
        ),
        (
            {"states": [{"name": "A", "type": "trigger"}, {"name": "A", "type": "x"}]},
            "two states are named 'A'",
        ),
        (None, "no definition"),
    ],
)
def test_malformed_definitions_give_a_reason_not_a_crash(raw: object, reason: str) -> None:
    reach = flex_reach(raw)
    assert not reach.reaches_flex
    assert reason in reach.reason


def test_parse_definition_raises_naming_the_field() -> None:
    with pytest.raises(DefinitionError, match=r"states\[1\]\.type"):
        parse_definition({"states": [{"name": "a", "type": "trigger"}, {"name": "b"}]})
    parsed = parse_definition(FLEX_DEFINITION)
    assert parsed.trigger() is not None and parsed.trigger().name == "Trigger"
    assert parsed.state("SendToAgent").type == "send-to-flex"
