"""A simulated inbound SMS meets the rest of the account: Messaging Services (R6, the
notes' §5 Q3-Q5), TwiML apps (SPEC-2010: the app replaces the number's URLs), the Flex
configuration's service (FLEX-BP) and legacy Flex Flows (R8, Q16)."""

from __future__ import annotations

from typing import Any

from support.emulator import EmulatorHandle
from support.receiver import WebhookReceiver
from support.simulation import FLEX_NUMBER, Simulate

MG = "MG" + "7" * 32
AP = "AP" + "7" * 32
FO = "FO" + "7" * 32
OTHER_SERVICE = "IS" + "7" * 32


def codes(trace: dict[str, Any]) -> list[str]:
    return [p["code"] for p in trace["problems"]]


def test_a_service_webhook_takes_the_numbers_messages(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    spare = emulator.numbers[2]
    messaging = emulator.client().messaging.v1
    service = messaging.services.create(
        friendly_name="Notifications",
        inbound_request_url=hooks.url("/service"),
        fallback_url=hooks.url("/service-fallback"),
    )
    messaging.services(service.sid).phone_numbers.create(phone_number_sid=spare.sid)
    hooks.answer("/service", status=502)
    # The number's own sms_url is not used: the service governs inbound (R6).
    emulator.client().incoming_phone_numbers(spare.sid).update(sms_url=hooks.url("/number"))
    trace = simulate(spare.phone_number)
    assert trace["messaging_service"] == {
        "sid": service.sid,
        "mode": "webhook",
        "mode_declared": False,
    }
    [delivery] = trace["deliveries"]
    assert delivery["kind"] == "messaging-service-webhook" and delivery["sid"] == service.sid
    assert delivery["fallback_used"] is True and delivery["delivered"] is True
    assert hooks.received("/number") == []
    [request] = hooks.received("/service")
    assert request.signature_valid and request.form["MessagingServiceSid"] == service.sid
    assert codes(trace) == ["messaging-service-overrides", "no-conversation"]
    [logged] = emulator.control.state()["accounts"][0]["sms_messages"]
    assert logged["messaging_service_sid"] == service.sid


def test_service_autocreate_creates_in_the_default_service_without_integration(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    spare = emulator.numbers[2]
    emulator.control.seed(
        {
            "messaging_services": [
                {"sid": MG, "friendly_name": "Flex", "incoming_mode": "autocreate"}
            ],
            "messaging_service_phone_numbers": [{"service_sid": MG, "sid": spare.sid}],
        }
    )
    emulator.client().conversations.v1.configuration().update(
        default_chat_service_sid=emulator.service_sid
    )
    trace = simulate(spare.phone_number)
    route = trace["conversation"]
    assert route["outcome"] == "created" and route["created_by"] == "messaging-service"
    assert route["messaging_service_sid"] == MG
    assert codes(trace) == ["no-integration"]
    conversation = emulator.client().conversations.v1.conversations(route["sid"]).fetch()
    assert conversation.messaging_service_sid == MG
    assert conversation.chat_service_sid == emulator.service_sid


def test_a_dropping_service_logs_and_calls_nothing(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    spare = emulator.numbers[2]
    emulator.client().incoming_phone_numbers(spare.sid).update(sms_url=hooks.url("/number"))
    emulator.control.seed(
        {
            "messaging_services": [{"sid": MG, "friendly_name": "Off", "incoming_mode": "drop"}],
            "messaging_service_phone_numbers": [{"service_sid": MG, "sid": spare.sid}],
        }
    )
    trace = simulate(spare.phone_number)
    assert trace["deliveries"] == [] and hooks.received() == []
    assert trace["created"]["sms_sid"] is None
    assert emulator.control.state()["accounts"][0]["sms_messages"] == []


def test_a_twiml_app_replaces_the_numbers_urls(
    emulator: EmulatorHandle, hooks: WebhookReceiver, simulate: Simulate
) -> None:
    spare = emulator.numbers[2]
    emulator.control.seed(
        {"applications": [{"sid": AP, "friendly_name": "Bot", "sms_url": hooks.url("/app")}]}
    )
    emulator.client().incoming_phone_numbers(spare.sid).update(
        sms_url=hooks.url("/number"), sms_application_sid=AP
    )
    hooks.answer("/app", body="<Response><Message>Bot here</Message></Response>")
    trace = simulate(spare.phone_number)
    [delivery] = trace["deliveries"]
    assert (delivery["kind"], delivery["sid"]) == ("twiml-app", AP)
    assert [r.path for r in hooks.received()] == ["/app"]
    assert hooks.received()[0].signature_valid
    assert [r["body"] for r in delivery["replies"]] == ["Bot here"]


def test_a_conversation_outside_the_flex_service_is_reported(
    emulator: EmulatorHandle, flex: dict[str, Any], simulate: Simulate
) -> None:
    emulator.control.seed(
        {
            "conversation_services": [{"sid": OTHER_SERVICE, "friendly_name": "Flex's own"}],
            "flex_configuration": {"chat_service_instance_sid": OTHER_SERVICE},
        }
    )
    trace = simulate(FLEX_NUMBER)
    assert codes(trace) == ["not-flex-service"] and trace["flex_paths"] == []
    assert trace["conversation"]["outcome"] == "created"  # made, in the wrong service
    # Pointing Flex at the address's service makes the same route clean.
    emulator.control.seed(
        {"flex_configuration": {"chat_service_instance_sid": flex["service_sid"]}}
    )
    assert simulate(FLEX_NUMBER, sender="+15551239999")["ok"] is True


def test_a_legacy_flex_flow_behind_the_proxy_webhook(
    emulator: EmulatorHandle, simulate: Simulate
) -> None:
    proxy = (
        f"https://webhooks.twilio.com/v1/Accounts/{emulator.account_sid}/Proxy/"
        f"KS{'1' * 32}/Webhooks/Message"
    )
    spare = emulator.numbers[2]
    emulator.client().incoming_phone_numbers(spare.sid).update(sms_url=proxy)
    emulator.control.seed(
        {
            "flex_flows": [
                {
                    "sid": FO,
                    "friendly_name": "SMS",
                    "chat_service_sid": emulator.service_sid,
                    "channel_type": "sms",
                    "contact_identity": spare.phone_number,
                    "enabled": True,
                    "integration_type": "studio",
                    "integration": {"flow_sid": emulator.flow_sid},
                }
            ]
        }
    )
    trace = simulate(spare.phone_number)
    assert [h["kind"] for h in trace["handlers"]] == ["number-sms-url", "legacy-flex-flow"]
    assert trace["flex_paths"] == ["legacy-flex-flow"] and codes(trace) == ["legacy-flex-flow"]
    # webhooks.twilio.com is not loopback: listed, not called.
    [delivery] = trace["deliveries"]
    assert delivery["skipped"] and delivery["attempts"] == []
