"""A Twilio ``Host`` header on the main port is routed like the proxy's tunnels (hosts-file
set-ups); any other ``Host`` keeps the ``{base}/{domain}{path}`` scheme. ``requests``
directly, every answer spec-checked by the recorder as the host it was addressed to."""

from __future__ import annotations

import pytest
import requests
from support.emulator import STANDARD
from support.openapi import spec_validator
from support.proxy import Proxied

AUTH = (STANDARD.account_sid, STANDARD.auth_token)


def _get(proxy: Proxied, path: str, host: str, **kwargs: object) -> requests.Response:
    return requests.get(
        f"{proxy.base_url}{path}",
        headers={"Host": host},
        auth=kwargs.pop("auth", AUTH),  # type: ignore[arg-type]
        timeout=10,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("host", ["conversations.twilio.com", "conversations.twilio.com:8717"])
def test_a_twilio_host_header_routes_by_host(proxy: Proxied, host: str) -> None:
    created = requests.post(
        f"{proxy.base_url}/v1/Configuration/Addresses",
        headers={"Host": host},
        data={"Type": "sms", "Address": STANDARD.numbers[0].phone_number},
        auth=AUTH,
        timeout=10,
    )
    assert created.status_code == 201, created.text
    sid = created.json()["sid"]
    # Twilio's URL (https, no port): a client that follows it needs Twilio's host.
    assert (
        created.json()["url"]
        == f"https://conversations.twilio.com/v1/Configuration/Addresses/{sid}"
    )
    listed = _get(proxy, "/v1/Configuration/Addresses", host, params={"PageSize": 1})
    meta = listed.json()["meta"]
    assert (
        meta["url"]
        == "https://conversations.twilio.com/v1/Configuration/Addresses?PageSize=1&Page=0"
    )
    assert [c["sid"] for c in listed.json()["address_configurations"]] == [sid]
    # One backend: the plain route sees it, with its own URLs.
    plain = requests.get(
        f"{proxy.base_url}/conversations/v1/Configuration/Addresses/{sid}", auth=AUTH, timeout=10
    )
    assert plain.json()["url"] == f"{proxy.base_url}/conversations/v1/Configuration/Addresses/{sid}"
    assert [e["path"] for e in proxy.control.requests()] == [
        "/conversations/v1/Configuration/Addresses",
        "/conversations/v1/Configuration/Addresses",
        f"/conversations/v1/Configuration/Addresses/{sid}",
    ]
    assert proxy.recorder.validated == (3 if spec_validator() else 0)


def test_numbers_services_and_flows_by_host(proxy: Proxied) -> None:
    account = STANDARD.account_sid
    numbers = _get(
        proxy, f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json", "api.twilio.com"
    )
    assert numbers.status_code == 200
    assert numbers.json()["uri"].startswith(
        f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json"
    )
    service = _get(proxy, f"/v1/Services/{STANDARD.service_sid}", "conversations.twilio.com")
    links = service.json()["links"]
    assert links["conversations"] == (
        f"https://conversations.twilio.com/v1/Services/{STANDARD.service_sid}/Conversations"
    )
    flow = _get(proxy, f"/v2/Flows/{STANDARD.flow_sid}", "studio.dublin.ie1.twilio.com").json()
    assert flow["url"] == f"https://studio.dublin.ie1.twilio.com/v2/Flows/{STANDARD.flow_sid}"
    assert flow["webhook_url"] == (
        f"https://webhooks.dublin.ie1.twilio.com/v1/Accounts/{account}/Flows/{STANDARD.flow_sid}"
    )
    assert proxy.recorder.validated == (3 if spec_validator() else 0)


def test_errors_by_host_name_twilios_path(proxy: Proxied) -> None:
    missing = _get(proxy, "/v1/Nothing/Here", "conversations.twilio.com")
    assert missing.status_code == 404
    assert missing.json()["message"] == "The requested resource /v1/Nothing/Here was not found"
    unauthenticated = _get(
        proxy, "/v1/Configuration/Addresses", "conversations.twilio.com", auth=None
    )
    assert (unauthenticated.status_code, unauthenticated.json()["code"]) == (401, 20003)


@pytest.mark.parametrize(
    "host",
    ["conversations.twilio.com.example.com", "twilio.com", "example.com", "localhost"],
)
def test_any_other_host_keeps_the_base_url_scheme(proxy: Proxied, host: str) -> None:
    assert _get(proxy, "/v1/Configuration/Addresses", host).status_code == 404
    plain = _get(proxy, "/conversations/v1/Configuration/Addresses", host)
    assert plain.status_code == 200
    assert plain.json()["meta"]["url"].startswith(f"http://{host}/conversations/v1/")


@pytest.mark.parametrize("host", ["api.twilio.com", "conversations.twilio.com"])
def test_control_endpoints_never_answer_a_twilio_host(proxy: Proxied, host: str) -> None:
    for auth in (None, AUTH):
        state = _get(proxy, "/_emulator/state", host, auth=auth)
        assert state.status_code in (401, 404)
        assert "accounts" not in state.json()
    reset = requests.post(
        f"{proxy.base_url}/_emulator/reset", headers={"Host": host}, auth=AUTH, timeout=10
    )
    assert reset.status_code == 404
    assert proxy.control.state()["accounts"]  # nothing was reset
    assert requests.get(f"{proxy.base_url}/_emulator/health", timeout=10).status_code == 200
