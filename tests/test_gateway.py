"""The gateway: where credentials come from, routing to the emulator, retries, errors."""

from __future__ import annotations

import json
import ssl
from typing import Any

import pytest
import requests
import urllib3
from twilio.base.exceptions import TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from urllib3.exceptions import MaxRetryError, NewConnectionError

from pulumi_flex_sms import gateway
from pulumi_flex_sms.errors import (
    AuthenticationError,
    NotFoundError,
    RateLimitedError,
    ReferenceNotFoundError,
    ResponseLostError,
    ServerError,
    TransportError,
    TwilioError,
)

AC = "AC" + "1" * 32
SK = "SK" + "2" * 32
TOKEN = "tok-" + "9" * 28
SECRET = "sec-" + "8" * 28


def test_every_twilio_domain_is_routed_under_the_base_url() -> None:
    settings = gateway.settings_from(
        {
            "twilio:accountSid": AC,
            "twilio:authToken": TOKEN,
            "flexsms:twilioBaseUrl": "http://127.0.0.1:9/",
        },
        {},
    )
    http = gateway._GatewayHttpClient(settings)
    assert (
        http._route("https://conversations.twilio.com/v1/Configuration/Addresses")
        == "http://127.0.0.1:9/conversations/v1/Configuration/Addresses"
    )
    assert (
        http._route(f"https://api.twilio.com/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json")
        == f"http://127.0.0.1:9/api/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json"
    )
    # A next-page URL the emulator handed out is already local.
    assert http._route("http://127.0.0.1:9/studio/v2/Flows?Page=1") == (
        "http://127.0.0.1:9/studio/v2/Flows?Page=1"
    )


class Scripted:
    """Stands in for the network under the gateway's HTTP client."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: list[Any]):
        self.answers = list(answers)
        self.calls: list[str] = []
        self.sleeps: list[float] = []
        self.body = '{"code": 1, "message": "m"}'
        outer = self

        def fake(self_: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
            outer.calls.append(f"{method} {url}")
            answer = outer.answers.pop(0)
            if isinstance(answer, Exception):
                raise answer
            status, headers = answer
            return Response(status, outer.body, headers)

        monkeypatch.setattr(TwilioHttpClient, "request", fake)

    def client(self, **config: str) -> gateway._GatewayHttpClient:
        settings = gateway.settings_from(
            {"twilio:accountSid": AC, "twilio:authToken": TOKEN, **config}, {}
        )
        return gateway._GatewayHttpClient(settings, sleep=self.sleeps.append)


def test_429_is_retried_after_the_wait_twilio_asks_for(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Scripted(monkeypatch, [(429, {"Retry-After": "2"}), (429, {}), (200, {})])
    response = net.client().request("POST", "https://api.twilio.com/x")
    assert response.status_code == 200
    assert len(net.calls) == 3
    assert 2.0 <= net.sleeps[0] <= 2.25  # Retry-After plus a little jitter
    assert 0 <= net.sleeps[1] <= 0.5  # exponential backoff, full jitter


def test_429_even_on_a_create_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    # Twilio does not process a request it answers 429, so resending cannot duplicate.
    net = Scripted(monkeypatch, [(429, {"Retry-After": "0"}), (201, {})])
    with gateway.creating():
        assert (
            net.client().request("POST", "https://conversations.twilio.com/v1/x").status_code == 201
        )


def test_retry_budget_is_bounded_and_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Scripted(monkeypatch, [(503, {})] * 3)
    with pytest.raises(ServerError) as info:
        with gateway.twilio_errors("read the phone number PN1"):
            net.client(**{"flexsms:maxRetries": "2"}).request("GET", "https://api.twilio.com/x")
    assert len(net.calls) == 3
    assert "3 attempts (2 retries): HTTP 503 3 times" in str(info.value)
    assert "while trying to read the phone number PN1" in str(info.value)


def test_a_retry_after_longer_than_the_cap_is_not_waited_for_nor_counted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    net = Scripted(monkeypatch, [(429, {"Retry-After": "600"})])
    with pytest.raises(RateLimitedError) as info:
        net.client().request("POST", "https://api.twilio.com/x")
    assert net.sleeps == []
    text = str(info.value)
    assert "1 attempt, no retry: HTTP 429" in text
    assert "Retry-After" in text and "flexsms:maxRetryWaitSeconds (30)" in text
    assert "Nothing was changed" in text  # Twilio does not process a 429'd request
    assert "4 retries" not in text


def test_no_retries_allowed_says_none_were_made(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Scripted(monkeypatch, [(429, {})])
    with pytest.raises(RateLimitedError) as info:
        net.client(**{"flexsms:maxRetries": "0"}).request("POST", "https://api.twilio.com/x")
    assert "1 attempt, no retry" in str(info.value) and "flexsms:maxRetries (now 0)" in str(
        info.value
    )


def test_a_429_storm_on_a_write_changed_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Scripted(monkeypatch, [(429, {"Retry-After": "0"})] * 3)
    with pytest.raises(RateLimitedError) as info:
        net.client(**{"flexsms:maxRetries": "2"}).request("POST", "https://api.twilio.com/x")
    assert not isinstance(info.value, ResponseLostError)
    assert "3 attempts (2 retries): HTTP 429 3 times" in str(info.value)
    assert "Nothing was changed" in str(info.value)


@pytest.mark.parametrize(
    ("answers", "unanswered", "account"),
    [
        pytest.param(
            [requests.ConnectionError("dropped")] + [(503, {})] * 2,
            True,
            "3 attempts (2 retries): a dropped connection, then HTTP 503 twice",
            id="drop-then-503",
        ),
        pytest.param(
            [(503, {})] * 3, False, "3 attempts (2 retries): HTTP 503 3 times", id="503-storm"
        ),
        pytest.param(
            [requests.ReadTimeout("slow"), (429, {}), (429, {})],
            True,
            "3 attempts (2 retries): no answer within 15 s, then HTTP 429 twice",
            id="timeout-then-429",
        ),
    ],
)
def test_a_write_whose_outcome_is_unknown_says_so(
    monkeypatch: pytest.MonkeyPatch, answers: list[Any], unanswered: bool, account: str
) -> None:
    net = Scripted(monkeypatch, answers)
    with pytest.raises(ResponseLostError) as info:
        with gateway.twilio_errors("update the messaging settings of +15005550006"):
            net.client(**{"flexsms:maxRetries": "2"}).request("POST", "https://api.twilio.com/x")
    assert info.value.unanswered is unanswered
    text = str(info.value)
    assert account in text and "may or may not have been applied" in text
    assert "while trying to update the messaging settings of +15005550006" in text
    assert ("applied later" in text) is unanswered


def test_a_write_that_never_reached_twilio_changed_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refused = requests.ConnectionError(
        MaxRetryError(None, "/x", reason=NewConnectionError(None, "Connection refused"))
    )
    net = Scripted(monkeypatch, [refused, requests.ConnectTimeout("no route")])
    with pytest.raises(TransportError) as info:
        net.client(**{"flexsms:maxRetries": "1"}).request("POST", "https://api.twilio.com/x")
    assert not isinstance(info.value, ResponseLostError)
    assert "could not connect, then no connection within 15 s" in str(info.value)
    assert "Nothing was changed" in str(info.value)


def test_a_create_that_never_reached_twilio_is_simply_resent(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refused = requests.ConnectionError(
        MaxRetryError(None, "/x", reason=NewConnectionError(None, "Connection refused"))
    )
    net = Scripted(monkeypatch, [refused, (201, {})])
    with gateway.creating():
        response = net.client().request("POST", "https://conversations.twilio.com/v1/x")
    assert response.status_code == 201 and len(net.calls) == 2


def test_an_ambiguous_create_is_not_resent(monkeypatch: pytest.MonkeyPatch) -> None:
    for failure, unanswered in ((requests.ConnectionError("dropped"), True), ((503, {}), False)):
        net = Scripted(monkeypatch, [failure, (201, {})])
        with gateway.creating(), pytest.raises(ResponseLostError) as info:
            net.client().request("POST", "https://conversations.twilio.com/v1/x")
        assert len(net.calls) == 1
        assert info.value.unanswered is unanswered
        assert "1 attempt, no retry" in str(info.value)


def _untrusted_certificate() -> requests.exceptions.SSLError:
    """What requests raises when it refuses the server's certificate (as seen on the wire)."""
    refused = ssl.SSLCertVerificationError(
        1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
    )
    return requests.exceptions.SSLError(
        MaxRetryError(None, "/x", reason=urllib3.exceptions.SSLError(refused))
    )


def test_an_untrusted_certificate_sent_nothing_and_names_the_fix(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A proxy that inspects TLS: the handshake fails before the request is sent, so a
    # create is not "maybe applied" (which would end in a provisional, unconfirmed create).
    net = Scripted(monkeypatch, [_untrusted_certificate()])
    with gateway.creating(), pytest.raises(TransportError) as info:
        net.client(**{"flexsms:maxRetries": "1"}).request(
            "POST", "https://conversations.twilio.com/v1/x"
        )
    assert not isinstance(info.value, ResponseLostError)
    text = str(info.value)
    assert "1 attempt, no retry: an untrusted TLS certificate" in text  # retrying won't help
    assert "Nothing was changed" in text and "REQUESTS_CA_BUNDLE" in text


def test_a_proxy_that_refuses_the_connection_sent_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refused = requests.exceptions.ProxyError(
        MaxRetryError(None, "/x", reason=urllib3.exceptions.ProxyError("407", OSError("407")))
    )
    net = Scripted(monkeypatch, [refused, (201, {})])
    with gateway.creating():
        response = net.client().request("POST", "https://conversations.twilio.com/v1/x")
    assert response.status_code == 201 and len(net.calls) == 2  # simply sent again


def test_an_answer_cut_short_is_a_lost_answer_not_a_crash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # requests raises these while reading the body (a connection dropped after the status
    # line); they are neither ConnectionError nor Timeout, and used to escape as they were.
    cut = requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead(11 bytes)")
    net = Scripted(monkeypatch, [cut, (201, {})])
    with gateway.creating(), pytest.raises(ResponseLostError) as info:
        net.client().request("POST", "https://conversations.twilio.com/v1/x")
    assert len(net.calls) == 1  # a create is looked up, never resent blindly
    assert info.value.unanswered is False  # Twilio answered: nothing is still in flight
    assert "an answer cut short" in str(info.value)
    garbled = requests.exceptions.ContentDecodingError("incorrect header check")
    net = Scripted(monkeypatch, [cut, garbled, (200, {})])
    assert net.client().request("GET", "https://api.twilio.com/x").status_code == 200


def test_a_success_whose_body_is_not_json_is_a_lost_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # twilio-python would raise a bare JSONDecodeError after Twilio did the request.
    bodies = ['{"sid": "IG', "<html>proxy says hello</html>", '{"sid": "IG1"}']
    sent: list[str] = []

    def answer(_self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        sent.append(method)
        return Response(201 if method == "POST" else 200, bodies.pop(0))

    monkeypatch.setattr(TwilioHttpClient, "request", answer)
    settings = gateway.settings_from({"twilio:accountSid": AC, "twilio:authToken": TOKEN}, {})
    http = gateway._GatewayHttpClient(settings, sleep=lambda _: None)
    with gateway.creating(), pytest.raises(ResponseLostError) as info:
        http.request("POST", "https://conversations.twilio.com/v1/x")
    assert "HTTP 201 with a body that is not JSON" in str(info.value)
    assert info.value.unanswered is False and sent == ["POST"]  # looked up, not resent
    response = http.request("GET", "https://conversations.twilio.com/v1/x")
    assert response.text == '{"sid": "IG1"}' and sent == ["POST", "GET", "GET"]
    bodies.append("")  # a DELETE's 204 has no body at all: fine as it is
    monkeypatch.setattr(TwilioHttpClient, "request", lambda *_a, **_k: Response(204, bodies.pop(0)))
    assert http.request("DELETE", "https://conversations.twilio.com/v1/x").status_code == 204


def test_a_url_with_credentials_that_twilio_quotes_is_masked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gateway, "_settings", None)
    quoted = "Invalid Url https://flex:hunter2@hooks.example.com/in"
    with pytest.raises(TwilioError) as info:
        with gateway.twilio_errors("update the messaging settings of +15005550006"):
            raise _rest_error(400, 21402, quoted)
    assert "hunter2" not in str(info.value) and "hooks.example.com/in" in str(info.value)
    net = Scripted(monkeypatch, [(503, {})])
    net.body = json.dumps({"code": 20500, "message": quoted})
    with pytest.raises(TwilioError) as info:
        net.client(**{"flexsms:maxRetries": "0"}).request("GET", "https://api.twilio.com/x")
    assert "hunter2" not in str(info.value) and "hooks.example.com/in" in str(info.value)


@pytest.mark.parametrize(("status", "expected"), [(404, NotFoundError), (401, AuthenticationError)])
def test_an_rfc_9457_error_keeps_its_status(
    monkeypatch: pytest.MonkeyPatch, status: int, expected: type[Exception]
) -> None:
    # twilio-python raises TwilioServiceException for a body with type, title, status and
    # code; read as a plain TwilioException it lost its status (a 404 was no "not found").
    monkeypatch.setattr(gateway, "_settings", None)
    monkeypatch.setenv("TWILIO_ACCOUNT_SID", AC)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", TOKEN)
    problem = TwilioServiceException(
        "https://www.twilio.com/docs/errors/20404", "Not Found", status, 20404, "No such thing"
    )
    with pytest.raises(expected) as info:
        with gateway.twilio_errors("read the phone number PN0"):
            raise problem
    assert info.value.status == status and "No such thing" in str(info.value)


def test_idempotent_requests_survive_dropped_connections(monkeypatch: pytest.MonkeyPatch) -> None:
    net = Scripted(monkeypatch, [requests.ConnectionError("x"), requests.Timeout("y"), (200, {})])
    assert net.client().request("GET", "https://api.twilio.com/x").status_code == 200
    net = Scripted(monkeypatch, [requests.ConnectionError("x")] * 2)
    with pytest.raises(TransportError, match="flexsms:timeoutSeconds") as info:
        net.client(**{"flexsms:maxRetries": "1"}).request("GET", "https://api.twilio.com/x")
    assert "2 attempts (1 retry): a dropped connection twice" in str(info.value)


def _rest_error(status: int, code: int, msg: str) -> TwilioRestException:
    return TwilioRestException(status, "/x", msg=msg, code=code, method="GET")


def test_401_names_the_credential_source_but_not_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(gateway, "_settings", None)
    gateway.configure({"twilio:accountSid": AC, "twilio:authToken": TOKEN}, {})
    with pytest.raises(AuthenticationError) as info:
        with gateway.twilio_errors("read the address configuration +13115552368"):
            raise _rest_error(401, 20003, "Authentication Error - invalid username")
    text = str(info.value)
    assert "stack config twilio:accountSid and stack config twilio:authToken" in text
    assert "read the address configuration +13115552368" in text
    assert TOKEN not in text


def test_404_names_the_missing_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway, "_settings", None)
    gateway.configure({"twilio:accountSid": AC, "twilio:authToken": TOKEN}, {})
    flow = "FW" + "c" * 32
    with pytest.raises(ReferenceNotFoundError) as info:
        with gateway.twilio_errors(
            "create",
            references={"auto_creation.studio_flow_sid": flow, "x.service": "IS" + "d" * 32},
        ):
            raise _rest_error(404, 20404, f"The requested resource /Flows/{flow} was not found")
    assert f"auto_creation.studio_flow_sid={flow}" in str(info.value)
    assert "x.service" not in str(info.value)
    with pytest.raises(NotFoundError, match="gone"):
        with gateway.twilio_errors("update", references={"a": flow}, missing="it is gone"):
            raise _rest_error(404, 20404, "The requested resource /Configuration/Addresses/IG1")


def test_429_beyond_the_budget_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gateway, "_settings", None)
    with pytest.raises(RateLimitedError, match="flexsms:maxRetries"):
        with gateway.twilio_errors("create"):
            raise _rest_error(429, 20429, "Too many requests")
