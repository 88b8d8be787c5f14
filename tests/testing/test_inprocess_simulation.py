"""A simulated inbound SMS in the in-process emulator (docs/testing.md): routed, applied,
and its webhook sent for real to a receiver on loopback, signed with the account's token."""

from __future__ import annotations

from support.receiver import WebhookReceiver

from pulumi_flex_sms.testing import emulated_twilio

TOKEN = "e" * 32  # the in-process emulator's default auth token


def test_simulate_inbound_sms_in_process_sends_signed_webhooks() -> None:
    with WebhookReceiver(TOKEN) as hooks:
        number = {"phone_number": "+15005550006", "sms_url": hooks.url("/sms")}
        with emulated_twilio(seed={"phone_numbers": [number]}) as twilio:
            trace = twilio.control.simulate_inbound_sms("+15551230000", "+15005550006", "hi")
            logged = twilio.control.state()["accounts"][0]["sms_messages"]
        [request] = hooks.received("/sms")
    assert request.signature_valid and request.form["Body"] == "hi"
    assert trace["deliveries"][0]["status_code"] == 200
    assert [p["code"] for p in trace["problems"]] == ["no-conversation"]
    assert [m["sid"] for m in logged] == [request.form["MessageSid"]]
