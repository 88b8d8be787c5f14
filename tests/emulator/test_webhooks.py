"""What the emulator sends as Twilio: the signature, the request on the wire, the delivery
policy, TwiML replies (emulator/webhooks.py; no HTTP here)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest
from twilio.request_validator import RequestValidator

from pulumi_flex_sms.emulator.webhooks import (
    Attempt,
    Delivery,
    ReplyMessage,
    WebhookRequest,
    refusal,
    twilio_signature,
    twiml_messages,
)

TOKEN = "12345"


def test_signature_matches_twilios_published_test_vector() -> None:
    # https://www.twilio.com/docs/usage/webhooks/webhooks-security ("test vector").
    params = [
        ("CallSid", "CA1234567890ABCDE"),
        ("Caller", "+14158675310"),
        ("Digits", "1234"),
        ("From", "+14158675310"),
        ("To", "+18005551212"),
    ]
    url = "https://example.com/myapp.php?foo=1&bar=2"
    assert twilio_signature(TOKEN, url, params) == "L/OH5YylLD5NRKLltdqwSvS0BnU="
    # Parameter order does not matter: Twilio sorts them by name.
    assert twilio_signature(TOKEN, url, params[::-1]) == "L/OH5YylLD5NRKLltdqwSvS0BnU="
    assert twilio_signature("another-token", url, params) != "L/OH5YylLD5NRKLltdqwSvS0BnU="


def test_a_post_is_form_encoded_and_signed_over_url_and_sorted_params() -> None:
    request = WebhookRequest(
        kind="number-sms-url",
        sid=None,
        url="http://127.0.0.1:9/sms?tenant=a",
        params=(("To", "+15005550001"), ("Body", "héllo & bye"), ("From", "+15551230000")),
    )
    prepared = request.prepare(TOKEN)
    assert prepared.method == "POST" and prepared.url == "http://127.0.0.1:9/sms?tenant=a"
    form = dict(parse_qsl(prepared.body.decode()))
    assert form == {"To": "+15005550001", "Body": "héllo & bye", "From": "+15551230000"}
    assert prepared.headers["Content-Type"].startswith("application/x-www-form-urlencoded")
    assert RequestValidator(TOKEN).validate(
        prepared.url, form, prepared.headers["X-Twilio-Signature"]
    )


def test_a_get_puts_params_in_the_query_and_signs_the_whole_url() -> None:
    request = WebhookRequest(
        kind="number-sms-url",
        sid=None,
        url="http://localhost:9/sms?tenant=a",
        method="GET",
        params=(("Body", "a+b"), ("From", "+15551230000")),
    )
    prepared = request.prepare(TOKEN)
    assert prepared.body == b""
    query = dict(parse_qsl(urlsplit(prepared.url).query))
    assert query == {"tenant": "a", "Body": "a+b", "From": "+15551230000"}
    assert RequestValidator(TOKEN).validate(
        prepared.url, {}, prepared.headers["X-Twilio-Signature"]
    )


def test_user_info_is_sent_as_basic_auth_and_left_out_of_the_signed_url() -> None:
    request = WebhookRequest(
        kind="conversation-webhook",
        sid=None,
        url="https://user:s3cret@127.0.0.1:8443/hook",
        params=(("EventType", "onMessageAdded"),),
    )
    prepared = request.prepare(TOKEN)
    assert prepared.url == "https://127.0.0.1:8443/hook"  # port kept
    assert prepared.auth == ("user", "s3cret")
    assert prepared.headers["X-Twilio-Signature"] == twilio_signature(
        TOKEN, "https://127.0.0.1:8443/hook", request.params
    )


def test_the_fallback_uses_its_own_url_and_method() -> None:
    request = WebhookRequest(
        kind="number-sms-url",
        sid=None,
        url="http://127.0.0.1:9/sms",
        fallback_url="http://127.0.0.1:9/fallback",
        fallback_method="GET",
        params=(("Body", "x"),),
    )
    prepared = request.prepare(TOKEN, fallback=True)
    assert (prepared.method, prepared.url) == ("GET", "http://127.0.0.1:9/fallback?Body=x")


@pytest.mark.parametrize(
    ("url", "deliver_to", "refused"),
    [
        ("http://127.0.0.1:8000/x", "loopback", False),
        ("http://127.9.9.9/x", "loopback", False),
        ("http://localhost:8000/x", "loopback", False),
        ("http://[::1]:8000/x", "loopback", False),
        ("http://[::ffff:127.0.0.1]/x", "loopback", False),
        ("https://hooks.example.com/in", "loopback", True),
        ("https://demo.twilio.com/welcome/sms/reply", "loopback", True),
        ("http://10.0.0.1/x", "loopback", True),
        # A name is never taken for loopback: a resolver could point it anywhere.
        ("http://localtest.me/x", "loopback", True),
        ("https://hooks.example.com/in", "any", False),
        ("http://127.0.0.1:8000/x", "none", True),
        ("ftp://127.0.0.1/x", "any", True),
    ],
)
def test_the_delivery_policy(url: str, deliver_to: str, refused: bool) -> None:
    assert (refusal(url, deliver_to) is not None) is refused  # type: ignore[arg-type]


def test_a_refusal_says_how_to_widen_it() -> None:
    reason = refusal("https://hooks.example.com/in", "loopback")
    assert reason is not None and "hooks.example.com" in reason and "--deliver-to any" in reason


def test_twiml_messages_are_read_in_both_forms() -> None:
    twiml = b"""<?xml version="1.0" encoding="UTF-8"?>
        <Response>
          <Message>Thanks, an agent will answer.</Message>
          <Redirect>https://example.com/next</Redirect>
          <Message to="+15550001111" from="+15005550001"><Body>Copy</Body>
            <Media>https://example.com/a.png</Media></Message>
        </Response>"""
    first, second = twiml_messages(twiml)
    assert first == ReplyMessage(body="Thanks, an agent will answer.")
    assert second.body == "Copy" and second.to == "+15550001111"
    assert second.from_ == "+15005550001" and second.media == ("https://example.com/a.png",)
    assert twiml_messages(b"<Response/>") == ()
    assert twiml_messages(b"") == ()


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"<Response><Message>unclosed</Response>", "not TwiML"),
        (b"<html><body>hi</body></html>", "<html>"),
        # A DTD (the way to an entity expansion bomb) is refused outright.
        (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>'
            b"<Response><Message>&a;</Message></Response>",
            "not TwiML",
        ),
    ],
)
def test_what_is_not_twiml_is_an_error(content: bytes, words: str) -> None:
    with pytest.raises(ValueError) as err:
        twiml_messages(content)
    assert words in str(err.value)


def test_a_delivery_reports_its_last_attempt_with_credentials_masked() -> None:
    delivery = Delivery(
        kind="number-sms-url",
        sid="PN" + "a" * 32,
        url="https://u:p@127.0.0.1/sms",
        method="POST",
        attempts=(
            Attempt(url="https://127.0.0.1/sms", method="POST", error="HTTP 500", status_code=500),
            Attempt(url="https://u:p@127.0.0.1/fb", method="GET", status_code=200, duration_ms=2),
        ),
        fallback_used=True,
    )
    data = delivery.to_dict()
    assert data["url"] == "https://***:***@127.0.0.1/fb" and data["status_code"] == 200
    assert data["delivered"] is True and data["fallback_used"] is True
    assert [a["status_code"] for a in data["attempts"]] == [500, 200]
    skipped = Delivery(kind="number-sms-url", url="https://hooks.example.com/x", skipped="no")
    assert skipped.to_dict()["url"] == "https://hooks.example.com/x"
    assert not skipped.delivered and not skipped.failed
