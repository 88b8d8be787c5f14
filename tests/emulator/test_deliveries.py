"""Webhook deliveries over real HTTP to a local receiver: signatures, fallbacks, timeouts,
the policy, TwiML replies, lanes (emulator/deliveries.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator, Sequence

import pytest
from support.receiver import WebhookReceiver

from pulumi_flex_sms.emulator.deliveries import deliver
from pulumi_flex_sms.emulator.webhooks import Delivery, WebhookRequest

TOKEN = "delivery-test-token"
PARAMS = (("From", "+15551230000"), ("To", "+15005550001"), ("Body", "hello"))


@pytest.fixture
def hooks() -> Iterator[WebhookReceiver]:
    with WebhookReceiver(TOKEN) as receiver:
        yield receiver


def run(requests: Sequence[WebhookRequest], deliver_to: str = "loopback") -> list[Delivery]:
    return asyncio.run(deliver(requests, auth_token=TOKEN, deliver_to=deliver_to))  # type: ignore[arg-type]


def sms(url: str, **fields: object) -> WebhookRequest:
    return WebhookRequest(
        kind="number-sms-url",
        sid="PN" + "a" * 32,
        url=url,
        params=PARAMS,
        expects_twiml=True,
        **fields,  # type: ignore[arg-type]
    )


def test_a_post_arrives_signed_with_the_parameters(hooks: WebhookReceiver) -> None:
    [delivery] = run([sms(hooks.url("/sms"))])
    assert delivery.delivered and delivery.attempts[0].status_code == 200
    [request] = hooks.received("/sms")
    assert request.method == "POST" and request.signature_valid
    assert request.form == dict(PARAMS)
    assert request.headers["User-Agent"] == "TwilioProxy/1.1"


def test_a_get_arrives_signed_with_the_parameters_in_the_query(hooks: WebhookReceiver) -> None:
    [delivery] = run([sms(hooks.url("/sms?tenant=a"), method="GET")])
    assert delivery.delivered
    [request] = hooks.received("/sms")
    assert request.method == "GET" and request.signature_valid
    assert request.form == {"tenant": "a", **dict(PARAMS)}


def test_a_signature_with_another_token_does_not_validate(hooks: WebhookReceiver) -> None:
    asyncio.run(deliver([sms(hooks.url("/sms"))], auth_token="wrong", deliver_to="loopback"))
    [request] = hooks.received("/sms")
    assert request.signature_valid is False


def test_a_failing_url_falls_back(hooks: WebhookReceiver) -> None:
    hooks.answer("/sms", status=500)
    hooks.answer("/fallback", body="<Response><Message>From the fallback</Message></Response>")
    [delivery] = run([sms(hooks.url("/sms"), fallback_url=hooks.url("/fallback"))])
    assert delivery.fallback_used and delivery.delivered
    assert [a.status_code for a in delivery.attempts] == [500, 200]
    assert delivery.attempts[0].error == "HTTP 500"
    assert [r.body for r in delivery.replies] == ["From the fallback"]
    assert hooks.received("/fallback")[0].signature_valid


def test_without_a_fallback_a_failure_is_reported(hooks: WebhookReceiver) -> None:
    hooks.answer("/sms", status=404)
    [delivery] = run([sms(hooks.url("/sms"))])
    assert delivery.failed and not delivery.fallback_used
    assert delivery.to_dict()["error"] == "HTTP 404"


def test_a_connection_failure_is_reported() -> None:
    with WebhookReceiver(TOKEN) as gone:
        url = gone.url("/sms")
    [delivery] = run([sms(url)])
    assert delivery.failed
    assert (delivery.attempts[0].error or "").startswith("connection failed")


def test_a_slow_endpoint_times_out_then_the_fallback_answers(hooks: WebhookReceiver) -> None:
    hooks.answer("/slow", delay=5)
    [delivery] = run([sms(hooks.url("/slow"), timeout=0.5, fallback_url=hooks.url("/fallback"))])
    first, second = delivery.attempts
    assert first.error is not None and first.error.startswith("timeout")
    assert first.status_code is None and first.duration_ms < 4000
    assert second.ok and delivery.fallback_used


def test_invalid_twiml_fails_the_attempt_like_twilios_12100(hooks: WebhookReceiver) -> None:
    hooks.answer("/sms", body="<Response><Message>oops</Respons>")
    hooks.answer("/fallback", body="")
    [delivery] = run([sms(hooks.url("/sms"), fallback_url=hooks.url("/fallback"))])
    assert "not TwiML" in (delivery.attempts[0].error or "")
    assert delivery.fallback_used and delivery.delivered and delivery.replies == ()


def test_plain_text_is_no_reply_and_says_so(hooks: WebhookReceiver) -> None:
    hooks.answer("/sms", body="OK", content_type="text/plain")
    [delivery] = run([sms(hooks.url("/sms"))])
    assert delivery.delivered and delivery.replies == ()
    assert delivery.detail is not None and "text/plain" in delivery.detail


def test_non_loopback_hosts_are_refused_by_default(hooks: WebhookReceiver) -> None:
    [refused, fallback_refused] = run(
        [
            sms("https://hooks.example.com/in"),
            sms(hooks.url("/sms"), fallback_url="https://hooks.example.com/fb"),
        ]
    )
    assert refused.skipped and refused.attempts == () and not refused.failed
    hooks.answer("/sms", status=503)
    # The primary was sent; its non-loopback fallback was not.
    assert fallback_refused.skipped is None and fallback_refused.attempts[0].ok
    [failed] = run([sms(hooks.url("/sms"), fallback_url="https://hooks.example.com/fb")])
    assert failed.failed and not failed.fallback_used
    assert failed.detail is not None and "not a loopback host" in failed.detail


def test_none_sends_nothing(hooks: WebhookReceiver) -> None:
    [delivery] = run([sms(hooks.url("/sms"))], deliver_to="none")
    assert delivery.skipped and hooks.received() == []


def test_a_lane_is_in_order_and_lanes_run_in_parallel(hooks: WebhookReceiver) -> None:
    hooks.answer("/sms", delay=1.0)

    def event(name: str) -> WebhookRequest:
        return WebhookRequest(
            kind="conversation-webhook",
            sid=None,
            url=hooks.url("/conversation"),
            params=(("EventType", name),),
            event=name,
            lane="conversation",
            timeout=5,
        )

    deliveries = run([sms(hooks.url("/sms")), event("onParticipantAdded"), event("onMessageAdded")])
    assert [d.kind for d in deliveries] == ["number-sms-url", *["conversation-webhook"] * 2]
    assert all(d.delivered for d in deliveries)
    events = hooks.received("/conversation")
    assert [r.form["EventType"] for r in events] == ["onParticipantAdded", "onMessageAdded"]
    # The conversation's events did not wait for the slow SMS webhook to answer.
    [slow] = hooks.received("/sms")
    assert events[-1].at - slow.at < 0.9
