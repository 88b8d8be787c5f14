"""Control endpoints: reset, seed (JSON/YAML), state dump, request journal, health."""

from __future__ import annotations

import json
import urllib.request

import pytest
import requests
from support.emulator import STANDARD, EmulatorHandle, twilio_client
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import (
    EmulatorControl,
    EmulatorControlError,
    is_loopback_url,
    opener_for,
)

NEW_ACCOUNT = "AC" + "4" * 32


def test_reset_forgets_state_faults_and_journal(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    client.conversations.v1.address_configurations.create(
        type="sms", address=emulator.number.phone_number
    )
    emulator.control.add_fault("/studio/**", status=500)
    emulator.control.reset()
    assert emulator.requests() == []
    assert emulator.control.faults() == []
    state = emulator.control.state()
    # Only the default account remains, empty; it still authenticates.
    assert [a["sid"] for a in state["accounts"]] == [emulator.account_sid]
    assert state["accounts"][0]["phone_numbers"] == []
    assert client.conversations.v1.address_configurations.list() == []
    assert client.studio.v2.flows.list() == []


def test_reset_returns_seeded_settings_to_the_startup_ones(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"settings": {"duplicate_address_error": {"status": 409}}})
    assert emulator.control.state()["settings"]["duplicate_address_error"]["status"] == 409
    emulator.control.reset()
    assert emulator.control.state()["settings"] == {}


def test_seed_keeps_sids_and_returns_what_it_made(emulator: EmulatorHandle) -> None:
    summary = emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": NEW_ACCOUNT,
                    "auth_token": "new-token",
                    "phone_numbers": [
                        {"phone_number": "+15005550400", "sms_url": "https://x.example/sms"},
                        {
                            "sid": "PN" + "4" * 32,
                            "phone_number": "+15005550401",
                            "capabilities": {"mms": False},
                            "origin": "hosted",
                        },
                    ],
                    "conversation_services": [{"friendly_name": "Flex"}],
                    "studio_flows": [{"sid": "FW" + "4" * 32, "friendly_name": "Flow"}],
                    "address_configurations": [
                        {
                            "address": "+15005550401",
                            "sid": "IG" + "4" * 32,
                            "auto_creation": {
                                "enabled": True,
                                "type": "studio",
                                "studio_flow_sid": "FW" + "4" * 32,
                                "studio_retry_count": 1,
                            },
                        }
                    ],
                }
            ]
        }
    )
    (account,) = summary["accounts"]
    assert account["sid"] == NEW_ACCOUNT
    assert account["phone_numbers"][1] == {"sid": "PN" + "4" * 32, "phone_number": "+15005550401"}
    assert account["phone_numbers"][0]["sid"].startswith("PN")
    assert len(account["phone_numbers"][0]["sid"]) == 34
    assert account["address_configurations"] == [
        {"sid": "IG" + "4" * 32, "address": "+15005550401"}
    ]
    assert "auth_token" not in json.dumps(summary)

    client = twilio_client(emulator.base_url, NEW_ACCOUNT, "new-token")
    config = client.conversations.v1.address_configurations("+15005550401").fetch()
    assert config.sid == "IG" + "4" * 32
    assert config.auto_creation["studio_retry_count"] == 1
    number = client.api.v2010.account.incoming_phone_numbers.list(phone_number="+15005550400")[0]
    assert number.sms_url == "https://x.example/sms"
    hosted = client.api.v2010.account.incoming_phone_numbers("PN" + "4" * 32).fetch()
    assert hosted.capabilities == {"voice": True, "sms": True, "mms": False, "fax": False}
    assert hosted.origin == "hosted"


def test_seed_shorthand_targets_the_default_account(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"conversation_services": [{"sid": "IS" + "5" * 32}]})
    service = emulator.client().conversations.v1.services("IS" + "5" * 32).fetch()
    assert service.account_sid == emulator.account_sid


def test_seed_accepts_yaml(emulator: EmulatorHandle) -> None:
    document = f"""
accounts:
  - sid: {emulator.account_sid}
    api_keys:
      - sid: SK{"6" * 32}
        secret: yaml-secret
    studio_flows:
      - sid: FW{"6" * 32}
        friendly_name: From YAML
        status: draft
"""
    response = requests.post(
        f"{emulator.base_url}/_emulator/seed",
        data=document,
        headers={"Content-Type": "application/yaml"},
    )
    assert response.status_code == 200, response.text
    client = twilio_client(emulator.base_url, "SK" + "6" * 32, "yaml-secret", emulator.account_sid)
    flow = client.studio.v2.flows("FW" + "6" * 32).fetch()
    assert (flow.friendly_name, flow.status) == ("From YAML", "draft")


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"accounts": [{"sid": NEW_ACCOUNT}]}, "auth_token"),
        ({"accounts": [{"sid": "AC123", "auth_token": "t"}]}, "sid"),
        ({"phone_numbers": [{"phone_number": "+15005550500", "sms_url": "nope"}]}, "SmsUrl"),
        ({"phone_numbers": [{"phone_number": "+15005550500", "colour": "red"}]}, "colour"),
        ({"phone_numbers": [{"phone_number": "+15005550500", "capabilities": "all"}]}, "capab"),
        ({"phone_numbers": [{"phone_number": "+15005550500", "origin": "mars"}]}, "origin"),
        ({"phone_numbers": [{"phone_number": STANDARD.numbers[0].phone_number}]}, "available"),
        ({"studio_flows": [{"sid": STANDARD.flow_sid}]}, "already exists"),
        ({"address_configurations": [{"address": "+15005550777"}]}, "Address"),
        ({"nonsense": []}, "nonsense"),
        ({"settings": {"duplicate_address_error": {"status": "x"}}}, "status"),
    ],
)
def test_bad_seeds_are_refused_whole(emulator: EmulatorHandle, document: dict, words: str) -> None:
    # Each bad document also carries a good service, which must not be applied.
    good = {"sid": "IS" + "7" * 32, "friendly_name": "Must not appear"}
    document = {**document}
    document.setdefault("conversation_services", [good])
    before = emulator.control.state()
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(document)
    assert err.value.status == 400
    assert words in err.value.body["message"]
    assert emulator.control.state() == before


def test_state_dump_has_every_field_and_no_secrets(emulator: EmulatorHandle) -> None:
    state = emulator.control.state()
    text = json.dumps(state)
    for secret in (
        STANDARD.auth_token,
        STANDARD.api_key_secret,
        STANDARD.other_auth_token,
    ):
        assert secret not in text
    standard = state["accounts"][0]
    assert standard["api_keys"] == [{"sid": STANDARD.api_key_sid}]
    legacy = standard["phone_numbers"][1]
    assert legacy["sms_url"] == STANDARD.legacy_sms_url
    assert legacy["date_created"].endswith("Z")
    assert {"voice_url", "trunk_sid", "capabilities"} <= set(legacy)
    assert standard["studio_flows"][0]["sid"] == STANDARD.flow_sid


def test_journal_records_requests_without_secrets(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    client.conversations.v1.address_configurations.create(
        type="sms",
        address=emulator.number.phone_number,
        auto_creation_type="webhook",
        auto_creation_webhook_url="https://hooks.example.com/x",
        auto_creation_webhook_filters=["onMessageAdded", "onParticipantAdded"],
    )
    client.api.v2010.account.incoming_phone_numbers.list(phone_number=emulator.number.phone_number)
    post, get = emulator.requests()
    assert post["method"] == "POST" and post["domain"] == "conversations"
    assert post["path"] == "/conversations/v1/Configuration/Addresses"
    assert post["twilio_path"] == "/v1/Configuration/Addresses"
    assert post["form"]["Address"] == emulator.number.phone_number
    assert post["form"]["AutoCreation.WebhookFilters"] == ["onMessageAdded", "onParticipantAdded"]
    assert (post["status"], post["account_sid"]) == (201, emulator.account_sid)
    assert get["query"] == {"PhoneNumber": emulator.number.phone_number}
    assert get["path"] == (
        f"/api/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers.json"
    )
    text = json.dumps(emulator.requests()).lower()
    assert "authorization" not in text and emulator.auth_token.lower() not in text
    assert "basic " not in text


def test_journal_filters_and_clear(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    client.studio.v2.flows.list()
    client.conversations.v1.services.list()
    with pytest.raises(TwilioRestException):
        client.conversations.v1.services("IS" + "0" * 32).delete()
    assert [e["domain"] for e in emulator.requests(domain="conversations")] == [
        "conversations",
        "conversations",
    ]
    assert [e["status"] for e in emulator.requests(method="DELETE")] == [404]
    assert len(emulator.requests(path="/studio/v2/*")) == 1
    emulator.control.clear_requests()
    assert emulator.requests() == []


def test_control_requests_are_not_journaled_and_need_no_auth(emulator: EmulatorHandle) -> None:
    control = EmulatorControl(emulator.base_url)
    assert control.health()["status"] == "ok"
    control.state()
    assert emulator.requests() == []


async def _asgi_get(app, path: str, client: tuple[str, int]) -> int:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "client": client,
        "server": ("0.0.0.0", 8717),
    }
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"]


@pytest.mark.parametrize("allow", [False, True])
def test_control_answers_remote_clients_only_when_allowed(allow: bool) -> None:
    import asyncio

    from pulumi_flex_sms.emulator.server import EmulatorServer

    server = EmulatorServer(host="0.0.0.0", auth_token="t", allow_remote_control=allow)
    try:
        remote = asyncio.run(_asgi_get(server.app, "/_emulator/health", ("10.1.2.3", 4000)))
        local = asyncio.run(_asgi_get(server.app, "/_emulator/health", ("127.0.0.1", 4000)))
    finally:
        server.stop()
    assert local == 200
    assert remote == (200 if allow else 403)


def test_the_documented_seed_example_applies(emulator: EmulatorHandle) -> None:
    """docs/emulator.md's complete seed example, applied as it is written."""
    import re
    from pathlib import Path

    import yaml

    docs = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text()
    block = re.search(r"## Seed files.*?```yaml\n(.*?)```", docs, re.S)
    assert block, "docs/emulator.md lost its seed example"
    # The example adds to the CLI's default account; here that is the fixture's.
    text = block[1].replace("AC" + "e" * 32, emulator.account_sid)
    emulator.control.reset()
    summary = emulator.control.seed(yaml.safe_load(text))
    default, other = summary["accounts"]
    assert default["address_configurations"] == [
        {"sid": "IG0123456789abcdef0123456789abcdef", "address": "+15005550007"}
    ]
    assert other["sid"] == "AC0123456789abcdef0123456789abcdef"


def test_control_goes_direct_to_a_loopback_emulator_past_the_environments_proxy(
    emulator: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name in ("HTTP_PROXY", "http_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # the discard port: nothing answers
    control = EmulatorControl(emulator.base_url)
    control.reset()
    assert control.state()["accounts"]


@pytest.mark.parametrize(
    ("url", "direct"),
    [
        ("http://127.0.0.1:8717", True),
        ("http://[::1]:8717", True),
        ("http://localhost:8717", True),
        ("http://emulator.localhost:8717", True),
        ("http://emulator.internal:8717", False),
        ("http://10.0.0.5:8717", False),
    ],
)
def test_only_loopback_emulators_skip_the_environments_proxy(
    url: str, direct: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    proxies = [
        handler.proxies  # type: ignore[attr-defined]
        for handler in opener_for(url).handlers
        if isinstance(handler, urllib.request.ProxyHandler)
    ]
    assert is_loopback_url(url) is direct
    # urllib keeps no ProxyHandler that has no proxies: none at all means direct
    assert proxies == ([] if direct else [{"http": "http://proxy.example:3128"}])
