"""The handle's twilio-python client: Twilio's URLs to the emulator, and only there."""

from __future__ import annotations

import socket

import pytest
from support.emulator import STANDARD, EmulatorHandle

from pulumi_flex_sms.testing.clients import EmulatorHttpClient, twilio_client


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY"])
def test_a_proxy_in_the_environment_does_not_take_the_loopback_emulators_requests(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    # A CI runner behind a corporate proxy exports HTTP_PROXY; a proxy cannot reach this
    # machine's loopback, where the fixture's emulator listens (here: no proxy at all).
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv(variable, f"http://127.0.0.1:{_closed_port()}")
    client = twilio_client(
        STANDARD.account_sid, STANDARD.auth_token, None, EmulatorHttpClient(emulator.base_url)
    )
    numbers = client.incoming_phone_numbers.list()
    assert {n.phone_number for n in numbers} >= {n.phone_number for n in STANDARD.numbers}


def test_a_proxy_the_user_gives_is_kept() -> None:
    given = {"http": "http://proxy.example.com:3128"}
    assert EmulatorHttpClient("http://127.0.0.1:1", proxy=dict(given)).proxy == given


@pytest.mark.parametrize(
    ("base_url", "bypassed"),
    [
        ("http://127.0.0.1:8717", True),
        ("http://127.9.9.9:8717", True),
        ("http://[::1]:8717", True),
        ("http://localhost:8717", True),
        ("http://twilio-emulator-1.localhost", True),
        ("http://emulator.internal:8717", False),  # another host: the environment decides
    ],
)
def test_only_loopback_emulators_bypass_the_environments_proxy(
    base_url: str, bypassed: bool
) -> None:
    client = EmulatorHttpClient(base_url)
    assert (client.proxy == {"http": None, "https": None, "all": None}) is bypassed
