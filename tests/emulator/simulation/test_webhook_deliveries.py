"""The webhooks a simulated inbound SMS makes the emulator send, received by a real local HTTP
server that checks ``X-Twilio-Signature`` with twilio-python's ``RequestValidator``.

Parameters, order, timeouts and fallbacks as the routing notes give them
(§3.1 the SMS webhook, https://www.twilio.com/docs/messaging/guides/webhook-request;
§3.2 Conversations webhooks, https://www.twilio.com/docs/conversations/conversations-webhooks;
§3.4 signatures, https://www.twilio.com/docs/usage/webhooks/webhooks-security).
"""

from __future__ import annotations

import base64
from typing import Any

import pytest
from support.emulator import EmulatorHandle
from support.receiver import WebhookReceiver
from support.simulation import CUSTOMER, FLEX_NUMBER, FLEX_NUMBER_SID, Simulate

SPARE = "+15005550003"


def point_number(emulator: EmulatorHandle, sid: str = FLEX_NUMBER_SID, **urls: str) -> None:
    emulator.client().incoming_phone_numbers(sid).update(**urls)


def webhook_address(
    emulator: EmulatorHandle, url: str, filters: list[str] | None = None, method: str = "POST"
) -> str:
    config = emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=SPARE,
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_conversation_service_sid=emulator.service_sid,
        auto_creation_webhook_url=url,
        auto_creation_webhook_method=method,
        auto_creation_webhook_filters=filters or ["onParticipantAdded", "onMessageAdded"],
    )
    return str(config.sid)


# -- the number's own SMS webhook ----------------------------------------------------


def test_the_number_webhook_fires_in_parallel_signed_with_twilios_parameters(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    point_number(emulator, sms_url=hooks.url("/sms"))
    trace = simulate(FLEX_NUMBER, body="hi there")
    [request] = hooks.received("/sms")
    assert request.method == "POST" and request.signature_valid
    sms_sid = trace["created"]["sms_sid"]
    assert request.form == {
        "MessageSid": sms_sid,
        "SmsSid": sms_sid,
        "SmsMessageSid": sms_sid,
        "AccountSid": emulator.account_sid,
        "From": CUSTOMER,
        "To": FLEX_NUMBER,
        "Body": "hi there",
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsStatus": "received",
        "ApiVersion": "2010-04-01",
    }  # no MessagingServiceSid: the number is in no service
    assert request.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    # The conversation took the message too, and the trace says the handler is in the way.
    assert trace["conversation"]["outcome"] == "created"
    assert [p["code"] for p in trace["problems"]] == ["handler-in-parallel"]
    [sms, studio] = trace["deliveries"]
    assert (sms["kind"], sms["status_code"], sms["delivered"]) == ("number-sms-url", 200, True)
    assert sms["sid"] == FLEX_NUMBER_SID and sms["url"] == hooks.url("/sms")
    assert studio["kind"] == "studio-execution" and trace["ok"] is False


def test_exclusive_mode_keeps_the_number_webhook_quiet_next_to_a_conversation(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    point_number(emulator, sms_url=hooks.url("/sms"))
    trace = simulate(FLEX_NUMBER, mode="exclusive")
    assert hooks.received() == [] and trace["handlers"] == []
    assert [d["kind"] for d in trace["deliveries"]] == ["studio-execution"]
    # Without a conversation it is the only handler, in either mode.
    point_number(emulator, sid=emulator.numbers[2].sid, sms_url=hooks.url("/spare"))
    alone = simulate(SPARE, mode="exclusive")
    assert [r.path for r in hooks.received()] == ["/spare"]
    assert alone["conversation"]["outcome"] == "none"


def test_a_get_webhook_carries_the_parameters_in_its_query(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    point_number(emulator, sms_url=hooks.url("/sms?tenant=a"), sms_method="GET")
    simulate(FLEX_NUMBER, body="a+b & c")
    [request] = hooks.received("/sms")
    assert request.method == "GET" and request.signature_valid
    assert request.form["tenant"] == "a" and request.form["Body"] == "a+b & c"


def test_credentials_in_the_url_become_basic_auth_outside_the_signature(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    url = hooks.url("/sms").replace("http://", "http://hook-user:hook-pass@")
    point_number(emulator, sms_url=url)
    trace = simulate(FLEX_NUMBER)
    [request] = hooks.received("/sms")
    assert request.signature_valid
    expected = base64.b64encode(b"hook-user:hook-pass").decode()
    assert request.headers["Authorization"] == f"Basic {expected}"
    assert "hook-pass" not in str(trace)  # masked everywhere in the trace


def test_a_failing_webhook_falls_back_and_a_twiml_reply_is_logged(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    hooks.answer("/sms", status=500)
    hooks.answer(
        "/fallback",
        body="<?xml version='1.0'?><Response><Message>We got it, thanks!</Message></Response>",
    )
    point_number(
        emulator,
        sms_url=hooks.url("/sms"),
        sms_fallback_url=hooks.url("/fallback"),
        sms_fallback_method="GET",
    )
    trace = simulate(FLEX_NUMBER)
    [primary] = hooks.received("/sms")
    [fallback] = hooks.received("/fallback")
    assert primary.signature_valid and fallback.signature_valid and fallback.method == "GET"
    sms = trace["deliveries"][0]
    assert sms["fallback_used"] is True and sms["delivered"] is True
    assert [a["status_code"] for a in sms["attempts"]] == [500, 200]
    [reply] = sms["replies"]
    assert reply["body"] == "We got it, thanks!"
    assert (reply["from"], reply["to"]) == (FLEX_NUMBER, CUSTOMER)
    logged = emulator.control.state()["accounts"][0]["sms_messages"]
    assert [(m["direction"], m["sid"]) for m in logged] == [
        ("inbound", trace["created"]["sms_sid"]),
        ("outbound-reply", reply["sid"]),
    ]
    assert logged[1]["body"] == "We got it, thanks!" and logged[1]["to"] == CUSTOMER
    # Delivered by the fallback: no problem beyond the handler being there at all.
    assert [p["code"] for p in trace["problems"]] == ["handler-in-parallel"]


def test_a_timeout_without_fallback_is_a_failed_delivery(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    emulator.control.seed({"settings": {"delivery_timeouts": {"sms": 1}}})
    hooks.answer("/slow", delay=5)
    point_number(emulator, sid=emulator.numbers[2].sid, sms_url=hooks.url("/slow"))
    trace = simulate(SPARE)
    [sms] = trace["deliveries"]
    assert sms["error"].startswith("timeout") and sms["status_code"] is None
    assert sms["delivered"] is False and sms["duration_ms"] < 4500
    codes = [p["code"] for p in trace["problems"]]
    assert codes == ["no-conversation", "not-delivered"]
    assert "timeout" in trace["problems"][-1]["message"] and trace["ok"] is False


def test_a_host_that_is_not_loopback_is_never_called_by_default(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    # The standard seed's second number points at https://legacy.example.com/sms.
    trace = simulate(emulator.numbers[1].phone_number)
    [sms] = trace["deliveries"]
    assert sms["url"] == emulator.legacy_sms_url and sms["attempts"] == []
    assert "not a loopback host" in sms["skipped"] and "--deliver-to any" in sms["skipped"]
    # Not sent is not failed: the route may well be right.
    assert "not-delivered" not in [p["code"] for p in trace["problems"]]


def test_deliver_to_none_sends_nothing(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver, simulate: Simulate
) -> None:
    emulator.control.seed({"settings": {"deliver_to": "none"}})
    point_number(emulator, sms_url=hooks.url("/sms"))
    trace = simulate(FLEX_NUMBER)
    assert hooks.received() == []
    assert trace["deliveries"][0]["skipped"] == "deliveries are off (deliver_to: none)"
    emulator.control.reset()  # back to the startup setting
    assert "deliver_to" not in emulator.control.state()["settings"]


# -- the conversation's scoped webhook ------------------------------------------------


def test_the_scoped_webhook_hears_the_participant_then_the_message(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    webhook_address(emulator, hooks.url("/conversations"))
    trace = simulate(SPARE, body="first")
    created = trace["created"]
    events = hooks.received("/conversations")
    assert [e.form["EventType"] for e in events] == ["onParticipantAdded", "onMessageAdded"]
    assert all(e.signature_valid for e in events)
    participant, message = (e.form for e in events)
    for form in (participant, message):
        assert form["AccountSid"] == emulator.account_sid and form["Source"] == "SMS"
        assert form["ConversationSid"] == form["ChannelSid"] == created["conversation_sid"]
        assert form["ChatServiceSid"] == form["InstanceSid"] == emulator.service_sid
        assert form["RetryCount"] == "0"
    assert participant["ParticipantSid"] == created["participant_sid"]
    assert participant["MessagingBinding.Address"] == CUSTOMER
    assert participant["MessagingBinding.ProxyAddress"] == SPARE
    assert participant["MessagingBinding.Type"] == "SMS" and "Identity" not in participant
    assert message["MessageSid"] == created["message_sid"] and message["Index"] == "0"
    assert message["Body"] == "first" and message["Author"] == message["From"] == CUSTOMER
    assert message["ParticipantSid"] == created["participant_sid"]
    assert message["DateCreated"].endswith("Z") and "." in message["DateCreated"]
    assert [d["event"] for d in trace["deliveries"]] == ["onParticipantAdded", "onMessageAdded"]
    assert all(d["sid"] == created["webhook_sid"] for d in trace["deliveries"])
    assert trace["ok"] is True  # a webhook that hears onMessageAdded reaches Flex

    again = simulate(SPARE, body="second")
    later = hooks.received("/conversations")[2:]
    assert [(e.form["EventType"], e.form["Index"]) for e in later] == [("onMessageAdded", "1")]
    assert again["conversation"]["outcome"] == "appended"


def test_the_filters_decide_which_events_are_sent(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    webhook_address(emulator, hooks.url("/conversations"), filters=["onMessageAdded"])
    simulate(SPARE)
    assert [e.form["EventType"] for e in hooks.received()] == ["onMessageAdded"]


def test_a_scoped_webhook_that_fails_has_no_fallback(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    hooks.answer("/conversations", status=503)
    webhook_address(emulator, hooks.url("/conversations"), filters=["onMessageAdded"])
    trace = simulate(SPARE)
    [delivery] = trace["deliveries"]
    assert delivery["status_code"] == 503 and delivery["fallback_used"] is False
    failed = trace["problems"][-1]
    assert failed["code"] == "not-delivered" and "onMessageAdded" in failed["message"]


def test_a_reactivated_conversation_tells_its_webhook(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    webhook_address(
        emulator,
        hooks.url("/conversations"),
        filters=["onMessageAdded", "onConversationStateUpdated"],
    )
    sid = simulate(SPARE)["created"]["conversation_sid"]
    conversations = emulator.client().conversations.v1.services(emulator.service_sid)
    conversations.conversations(sid).update(state="inactive")
    simulate(SPARE, body="back")
    added, updated = (e.form for e in hooks.received()[1:])
    assert added["EventType"] == "onMessageAdded" and added["Body"] == "back"
    assert updated["EventType"] == "onConversationStateUpdated"
    assert (updated["StateFrom"], updated["StateTo"], updated["Reason"]) == (
        "inactive",
        "active",
        "EVENT",
    )


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"from": "12", "to": "+15005550001"}, "from"),
        ({"from": CUSTOMER}, "to"),
        ({"from": CUSTOMER, "to": "+15005550001", "number_webhook_mode": "sometimes"}, "mode"),
        ({"from": CUSTOMER, "to": "+15005550001", "sms_url_mode": "sometimes"}, "mode"),
        ({"from": CUSTOMER, "to": "+15005550001", "body": 7}, "body"),
        ({"from": CUSTOMER, "to": "+15005550001", "body": "x" * 1601}, "body"),
        ({"from": CUSTOMER, "to": "+15005550001", "cc": "x"}, "cc"),
        (
            {
                "from": CUSTOMER,
                "to": "+15005550001",
                "sms_url_mode": "parallel",
                "number_webhook_mode": "parallel",
            },
            "not both",
        ),
    ],
)
def test_bad_simulation_requests_are_400s_naming_the_field(
    emulator: EmulatorHandle, document: dict[str, Any], words: str
) -> None:
    from pulumi_flex_sms.emulator.control import EmulatorControlError

    with pytest.raises(EmulatorControlError) as err:
        emulator.control._call("POST", "simulate/inbound-sms", document)
    assert err.value.status == 400 and words in err.value.body["message"]


def test_the_old_mode_name_is_still_accepted(
    emulator: EmulatorHandle, flex: dict[str, Any], hooks: WebhookReceiver
) -> None:
    point_number(emulator, sms_url=hooks.url("/sms"))
    trace = emulator.control.simulate_inbound_sms(CUSTOMER, FLEX_NUMBER, sms_url_mode="exclusive")
    assert trace["number_webhook_mode"] == "exclusive" and hooks.received() == []


def test_filters_left_out_mean_on_message_added(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    # The notes' §5 Q19 default: a webhook address without filters hears onMessageAdded.
    emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=SPARE,
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_conversation_service_sid=emulator.service_sid,
        auto_creation_webhook_url=hooks.url("/conversations"),
    )
    trace = simulate(SPARE)
    assert trace["integration"]["filters"] == ["onMessageAdded"] and trace["ok"] is True
    assert [e.form["EventType"] for e in hooks.received()] == ["onMessageAdded"]
    [hook] = (
        emulator.client()
        .conversations.v1.services(emulator.service_sid)
        .conversations(trace["conversation"]["sid"])
        .webhooks.list()
    )
    assert hook.configuration["filters"] == ["onMessageAdded"]
