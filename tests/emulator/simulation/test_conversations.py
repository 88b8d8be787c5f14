"""A simulated inbound SMS applied to the state: conversations, participants, messages, scoped
webhooks and Studio executions, as twilio-python then reads them from the emulator.

The rules are the routing model's (docs/routing.md) and the notes' defaults:
pair capture first (IAC), ``inactive`` still binds and is reactivated (§5 Q6),
``closed`` frees the pair (Q7), only a published flow executes (Q20), the
scoped webhook is attached before the participant (Q10).
"""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle
from support.simulation import CUSTOMER, DRAFT_FLOW, FLEX_FLOW, FLEX_NUMBER, NO_FLEX_FLOW, Simulate

from pulumi_flex_sms.emulator.control import EmulatorControlError

SPARE = "+15005550003"  # the standard seed's spare number


def address(emulator: EmulatorHandle, number: str = SPARE, **auto: Any) -> str:
    settings = {
        "auto_creation_enabled": True,
        "auto_creation_type": "studio",
        "auto_creation_conversation_service_sid": emulator.service_sid,
        "auto_creation_studio_flow_sid": FLEX_FLOW,
        **auto,
    }
    config = emulator.client().conversations.v1.address_configurations.create(
        type="sms", address=number, **settings
    )
    return str(config.sid)


def test_first_message_creates_the_conversation_as_twilio_shows_it(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    trace = simulate(FLEX_NUMBER, body="I need help")
    assert trace["ok"] is True and trace["problems"] == []
    route = trace["conversation"]
    assert route["outcome"] == "created" and route["created_by"] == "address-configuration"
    assert route["address_configuration_sid"] == flex["address_sid"]
    created = trace["created"]
    assert route["sid"] == created["conversation_sid"]

    conversations = emulator.client().conversations.v1
    conversation = conversations.conversations(route["sid"]).fetch()
    assert conversation.chat_service_sid == emulator.service_sid
    assert conversation.state == "active"
    [participant] = conversations.conversations(route["sid"]).participants.list()
    assert participant.sid == created["participant_sid"] and participant.identity is None
    assert participant.messaging_binding["address"] == CUSTOMER
    assert participant.messaging_binding["proxy_address"] == FLEX_NUMBER
    [message] = conversations.conversations(route["sid"]).messages.list()
    assert (message.sid, message.body, message.author) == (
        created["message_sid"],
        "I need help",
        CUSTOMER,
    )
    assert message.participant_sid == participant.sid and message.index == 0
    [hook] = conversations.conversations(route["sid"]).webhooks.list()
    assert hook.sid == created["webhook_sid"] and hook.target == "studio"
    assert hook.configuration["flow_sid"] == FLEX_FLOW
    # The same conversation under its service's path.
    listed = conversations.services(emulator.service_sid).conversations.list()
    assert [c.sid for c in listed] == [route["sid"]]


def test_the_pair_appends_until_closed_then_a_new_conversation_is_created(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    opening = simulate(FLEX_NUMBER)
    first = opening["conversation"]["sid"]
    second = simulate(FLEX_NUMBER, body="still there?")
    assert second["conversation"]["outcome"] == "appended"
    assert second["conversation"]["sid"] == first and second["ok"] is True
    # Authored by the participant that binds the pair.
    assert second["created"]["participant_sid"] == opening["created"]["participant_sid"]
    conversations = emulator.client().conversations.v1
    messages = conversations.conversations(first).messages.list(order="asc")
    assert [(m.index, m.body) for m in messages] == [(0, "hello"), (1, "still there?")]
    # Another sender to the same number gets a conversation of its own.
    other = simulate(FLEX_NUMBER, sender="+15551239999")
    assert other["conversation"]["outcome"] == "created"
    assert other["conversation"]["sid"] != first

    conversations.conversations(first).update(state="closed")
    anew = simulate(FLEX_NUMBER, body="back again")
    assert anew["conversation"]["outcome"] == "created"
    assert anew["conversation"]["sid"] not in (first, other["conversation"]["sid"])
    # The closed one kept its two messages; nothing was appended to it.
    assert len(conversations.conversations(first).messages.list()) == 2


def test_an_inactive_conversation_is_reactivated(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    sid = simulate(FLEX_NUMBER)["conversation"]["sid"]
    conversations = emulator.client().conversations.v1
    conversations.conversations(sid).update(state="inactive")
    trace = simulate(FLEX_NUMBER, body="wake up")
    assert trace["conversation"]["outcome"] == "appended"
    assert trace["conversation"]["sid"] == sid and trace["conversation"]["reactivated"] is True
    assert conversations.conversations(sid).fetch().state == "active"


def test_each_message_runs_the_published_flow_once(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    first = simulate(FLEX_NUMBER, body="one")
    second = simulate(FLEX_NUMBER, body="two")
    studio = emulator.client().studio.v2.flows(FLEX_FLOW)
    executions = studio.executions.list()
    assert {e.sid for e in executions} == {
        first["created"]["execution_sid"],
        second["created"]["execution_sid"],
    }
    for execution in executions:
        assert execution.contact_channel_address == CUSTOMER
        assert execution.status == "ended"  # Send to Flex hands the message over
    context = studio.executions(first["created"]["execution_sid"]).execution_context().fetch()
    trigger = context.context["trigger"]["conversation"]
    assert trigger["ConversationSid"] == first["conversation"]["sid"]
    assert trigger["Body"] == "one" and trigger["From"] == CUSTOMER
    [delivery] = first["deliveries"]
    assert delivery["kind"] == "studio-execution" and delivery["delivered"] is True
    assert delivery["flow_sid"] == FLEX_FLOW


def test_a_draft_flow_runs_nothing_and_says_so(
    emulator: EmulatorHandle, simulate: Simulate, flex: dict[str, Any]
) -> None:
    address(emulator, auto_creation_studio_flow_sid=DRAFT_FLOW)
    trace = simulate(SPARE)
    assert trace["ok"] is False
    assert [p["code"] for p in trace["problems"]] == ["flow-not-published"]
    assert trace["conversation"]["outcome"] == "created"  # the conversation is still made
    [delivery] = trace["deliveries"]
    assert delivery["delivered"] is False and "draft" in delivery["detail"]
    assert trace["created"]["execution_sid"] is None
    assert emulator.client().studio.v2.flows(DRAFT_FLOW).executions.list() == []


def test_a_flow_without_send_to_flex_runs_but_does_not_reach_flex(
    emulator: EmulatorHandle, simulate: Simulate, flex: dict[str, Any]
) -> None:
    address(emulator, auto_creation_studio_flow_sid=NO_FLEX_FLOW)
    trace = simulate(SPARE)
    assert [p["code"] for p in trace["problems"]] == ["flow-without-send-to-flex"]
    assert trace["flex_paths"] == [] and trace["ok"] is False
    [execution] = emulator.client().studio.v2.flows(NO_FLEX_FLOW).executions.list()
    assert execution.sid == trace["created"]["execution_sid"] and execution.status == "active"


def test_default_autocreation_makes_a_conversation_without_integration(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=SPARE,
        auto_creation_enabled=True,
        auto_creation_type="default",
    )
    emulator.client().conversations.v1.configuration().update(
        default_chat_service_sid=emulator.service_sid
    )
    trace = simulate(SPARE)
    assert trace["conversation"]["outcome"] == "created" and trace["integration"] is None
    assert trace["conversation"]["conversation_service_sid"] == emulator.service_sid
    assert [p["code"] for p in trace["problems"]] == ["no-integration"]
    sid = trace["conversation"]["sid"]
    assert emulator.client().conversations.v1.conversations(sid).webhooks.list() == []
    assert trace["deliveries"] == []


def test_no_service_to_create_in_creates_nothing(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    # Default autocreation, and the account has no default service.
    emulator.client().conversations.v1.address_configurations.create(
        type="sms", address=SPARE, auto_creation_enabled=True, auto_creation_type="default"
    )
    trace = simulate(SPARE)
    assert "service-missing" in [p["code"] for p in trace["problems"]]
    assert (
        trace["conversation"]["outcome"] == "none" and trace["created"]["conversation_sid"] is None
    )
    assert emulator.client().conversations.v1.conversations.list() == []


def test_without_autocreation_only_the_sms_log_changes(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    trace = simulate(SPARE)
    assert trace["conversation"]["outcome"] == "none"
    assert [p["code"] for p in trace["problems"]] == ["no-conversation"]
    assert emulator.client().conversations.v1.conversations.list() == []
    [logged] = emulator.control.state()["accounts"][0]["sms_messages"]
    assert logged["sid"] == trace["created"]["sms_sid"]
    assert (logged["direction"], logged["from"], logged["to"]) == ("inbound", CUSTOMER, SPARE)


def test_a_number_of_another_account_routes_in_that_account(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    trace = simulate(emulator.other_number.phone_number)
    assert trace["account_sid"] == emulator.other_account_sid
    assert trace["phone_number_sid"] == emulator.other_number.sid


def test_a_number_nobody_owns_is_not_delivered_and_changes_nothing(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    before = emulator.control.state()
    trace = simulate("+15559999999")
    assert trace["account_sid"] is None and trace["ok"] is False
    assert [p["code"] for p in trace["problems"]] == ["not-delivered"]
    assert emulator.control.state() == before


def test_the_sms_log_seeds_back_from_a_dump(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    simulate(SPARE)
    simulate(FLEX_NUMBER)
    logged = emulator.control.state()["accounts"][0]["sms_messages"]
    assert [m["direction"] for m in logged] == ["inbound", "inbound"]
    emulator.control.reset()
    emulator.control.seed({"accounts": [{"sid": emulator.account_sid, "sms_messages": logged}]})
    assert emulator.control.state()["accounts"][0]["sms_messages"] == logged


@pytest.mark.parametrize(
    ("entry", "words"),
    [
        ({"from": CUSTOMER, "to": SPARE, "direction": "sideways"}, "direction"),
        ({"from": "12", "to": SPARE}, "from"),
        ({"from": CUSTOMER, "to": SPARE, "date_created": "yesterday"}, "date_created"),
        ({"from": CUSTOMER, "to": SPARE, "messaging_service_sid": "MG1"}, "messaging_service_sid"),
    ],
)
def test_bad_sms_log_entries_are_refused(
    emulator: EmulatorHandle, entry: dict[str, Any], words: str
) -> None:
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed({"sms_messages": [entry]})
    assert err.value.status == 400 and words in err.value.body["message"]
