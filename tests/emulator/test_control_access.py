"""Who can drive the emulator: no web page, no rebound DNS name, no default token off loopback.

A web page can make "simple" cross-site requests (text/plain or form bodies, no
preflight) to http://127.0.0.1:PORT, and a page whose DNS name it rebinds to
127.0.0.1 talks to the emulator as if same-origin. Neither may reset, seed or
read it. Each refusal is checked to change nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
from support.emulator import STANDARD, EmulatorHandle, EmulatorProcess, start_process, twilio_client

from pulumi_flex_sms.emulator.control import EmulatorControlError
from pulumi_flex_sms.emulator.server import DEFAULT_AUTH_TOKEN, EmulatorServer

NEW_SERVICE = {"conversation_services": [{"sid": "IS" + "8" * 32, "friendly_name": "Planted"}]}


def _port(emulator: EmulatorHandle) -> int:
    port = urlsplit(emulator.base_url).port
    assert port is not None
    return port


@pytest.mark.parametrize(
    ("headers", "status"),
    [
        ({"Content-Type": "text/plain"}, 415),  # a <form enctype="text/plain"> or fetch()
        ({"Content-Type": "application/x-www-form-urlencoded"}, 415),
        ({"Content-Type": "multipart/form-data; boundary=x"}, 415),
        ({"Content-Type": "application/json", "Origin": "http://evil.example"}, 403),
        ({"Content-Type": "application/json", "Origin": "null"}, 403),
        ({"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"}, 403),
        ({"Content-Type": "application/json", "Sec-Fetch-Site": "same-site"}, 403),
        # DNS rebinding: the page's own name now resolves to 127.0.0.1.
        ({"Content-Type": "application/json", "Host": "evil.example:{port}"}, 403),
        ({"Content-Type": "application/json", "Host": "127.0.0.1.nip.io:{port}"}, 403),
    ],
)
def test_web_pages_cannot_drive_the_control_endpoints(
    emulator: EmulatorHandle, headers: dict, status: int
) -> None:
    headers = {k: v.format(port=_port(emulator)) for k, v in headers.items()}
    before = emulator.control.state()
    base = emulator.base_url
    body = '{"conversation_services": [{"friendly_name": "Planted"}]}'
    for method, path, data in (
        ("POST", "seed", body),
        ("POST", "reset", ""),
        ("POST", "faults", '{"path": "/**", "status": 500}'),
        ("DELETE", "requests", None),
        ("GET", "state", None),
        ("GET", "requests", None),
    ):
        response = requests.request(
            method, f"{base}/_emulator/{path}", data=data, headers=headers, timeout=30
        )
        assert response.status_code == status, (method, path, response.text)
        assert response.json()["status"] == status
        assert response.json()["code"] == 20000 + status
    assert emulator.control.state() == before
    assert emulator.control.faults() == []


@pytest.mark.parametrize(
    "host", ["127.0.0.1:{port}", "localhost:{port}", "emulator.localhost", "[::1]:{port}"]
)
def test_local_names_and_addresses_are_served(emulator: EmulatorHandle, host: str) -> None:
    response = requests.post(
        f"{emulator.base_url}/_emulator/seed",
        json=NEW_SERVICE,
        headers={"Host": host.format(port=_port(emulator)), "Sec-Fetch-Site": "none"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert emulator.client().conversations.v1.services("IS" + "8" * 32).fetch()


async def _asgi_status(app: object, host: str, client: tuple[str, int]) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/_emulator/health",
        "raw_path": b"/_emulator/health",
        "query_string": b"",
        "headers": [(b"host", host.encode())],
        "client": client,
        "server": ("0.0.0.0", 8717),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)  # type: ignore[operator]
    return sent[0]["status"]


@pytest.mark.parametrize(("allow", "status"), [(False, 403), (True, 200)])
def test_remote_control_is_reached_by_any_name_only_when_allowed(allow: bool, status: int) -> None:
    server = EmulatorServer(host="0.0.0.0", auth_token="t", allow_remote_control=allow)
    try:
        named = asyncio.run(_asgi_status(server.app, "twilio:8717", ("127.0.0.1", 4000)))
        address = asyncio.run(_asgi_status(server.app, "10.1.2.3:8717", ("127.0.0.1", 4000)))
    finally:
        server.stop()
    assert (named, address) == (status, 200)


def test_a_seed_does_not_replace_an_accounts_credentials(emulator: EmulatorHandle) -> None:
    takeover = {"accounts": [{"sid": emulator.account_sid, "auth_token": "attacker-token"}]}
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(takeover)
    assert err.value.status == 400
    assert "accounts[0].auth_token" in err.value.body["message"]
    # The owner's token still works; the attacker's does not.
    assert emulator.client().studio.v2.flows(emulator.flow_sid).fetch()
    refused = requests.get(
        f"{emulator.base_url}/studio/v2/Flows", auth=(emulator.account_sid, "attacker-token")
    )
    assert refused.status_code == 401
    # Naming the account with its own token (as the standard seed does) still adds to it.
    same = {"accounts": [{"sid": emulator.account_sid, "auth_token": emulator.auth_token}]}
    assert emulator.control.seed({**same, **NEW_SERVICE})["accounts"][0]["sid"]


@pytest.fixture
def processes() -> Iterator[list[EmulatorProcess]]:
    started: list[EmulatorProcess] = []
    yield started
    for process in started:
        process.stop()


def test_a_non_loopback_host_refuses_the_default_token(processes: list) -> None:
    with pytest.raises(RuntimeError) as err:
        processes.append(start_process(["--host", "0.0.0.0"]))
    assert "well-known default auth token" in str(err.value)
    assert "--auth-token" in str(err.value)
    with pytest.raises(ValueError, match="--auth-token"):
        EmulatorServer(host="0.0.0.0")


def test_a_non_loopback_host_warns_and_serves_an_explicit_token(processes: list) -> None:
    process = start_process(
        ["--host", "0.0.0.0", "--account-sid", STANDARD.account_sid, "--auth-token", "explicit"]
    )
    processes.append(process)
    assert process.first_line.endswith("auth token explicit)")
    port = urlsplit(process.base_url).port
    client = twilio_client(f"http://127.0.0.1:{port}", STANDARD.account_sid, "explicit")
    assert client.studio.v2.flows.list() == []
    process.stop()
    assert "warning: listening on 0.0.0.0, not a loopback interface" in process.stderr()
    # Given explicitly, even the default token is served (the user asked for it).
    EmulatorServer(host="0.0.0.0", auth_token=DEFAULT_AUTH_TOKEN).stop()


def test_loopback_serves_the_default_token_without_a_warning(processes: list) -> None:
    process = start_process([])
    processes.append(process)
    assert process.first_line.endswith(f"auth token {DEFAULT_AUTH_TOKEN})")
    process.stop()
    assert "warning" not in process.stderr()
