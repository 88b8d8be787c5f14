"""The routing kinds (TwiML apps, Messaging Services and their pools, Flex Flows, the
Flex configuration) in seeds and in the state dump: docs/emulator.md's example
declares each, and a dump seeds the same resources again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from support.emulator import STANDARD, EmulatorHandle

ROUTING_LISTS = (
    "applications",
    "messaging_services",
    "messaging_service_phone_numbers",
    "flex_flows",
    "flex_configuration",
)
IS, FW = STANDARD.service_sid, STANDARD.flow_sid
MG, AP, FO = "MG" + "5" * 32, "AP" + "5" * 32, "FO" + "5" * 32


def without_dates(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: without_dates(v) for k, v in value.items() if not k.startswith("date_")}
    if isinstance(value, list):
        return [without_dates(v) for v in value]
    return value


def routing_state(emulator: EmulatorHandle) -> list[dict[str, Any]]:
    return [
        {name: account[name] for name in ROUTING_LISTS}
        for account in emulator.control.state()["accounts"]
    ]


def test_the_documented_seed_example_declares_the_routing_kinds(emulator: EmulatorHandle) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text()
    block = re.search(r"## Seed files.*?```yaml\n(.*?)```", docs, re.S)
    assert block, "docs/emulator.md lost its seed example"
    text = block[1].replace("AC" + "e" * 32, emulator.account_sid)
    emulator.control.reset()
    emulator.control.seed(yaml.safe_load(text))
    client = emulator.client()
    app = client.api.v2010.account.applications("AP0123456789abcdef0123456789abcdef").fetch()
    assert app.sms_url == "https://bot.example.com/sms"
    (number,) = client.api.v2010.account.incoming_phone_numbers.list(phone_number="+15005550008")
    assert number.sms_application_sid == app.sid
    service = client.messaging.v1.services("MG0123456789abcdef0123456789abcdef")
    assert service.fetch().inbound_request_url == "https://marketing.example.com/in"
    assert [n.phone_number for n in service.phone_numbers.list()] == ["+15005550006"]
    flow = client.flex_api.v1.flex_flow("FO0123456789abcdef0123456789abcdef").fetch()
    assert (flow.contact_identity, flow.enabled) == ("+15005550008", False)
    config = client.flex_api.v1.configuration().fetch()
    assert config.chat_service_instance_sid == "IS0123456789abcdef0123456789abcdef"
    (mode,) = (
        s["incoming_mode"] for s in emulator.control.state()["accounts"][0]["messaging_services"]
    )
    assert mode == "webhook"


def test_the_state_dump_round_trips_the_routing_kinds(emulator: EmulatorHandle) -> None:
    emulator.control.seed(
        {
            "applications": [{"sid": AP, "friendly_name": "Bot", "sms_url": "https://bot.example"}],
            "messaging_services": [
                {
                    "sid": MG,
                    "friendly_name": "Pool",
                    "use_inbound_webhook_on_number": True,
                    "incoming_mode": "defer",
                    "validity_period": 600,
                },
                {"friendly_name": "Autocreate", "incoming_mode": "autocreate"},
            ],
            "messaging_service_phone_numbers": [
                {"service_sid": MG, "phone_number": STANDARD.numbers[2].phone_number}
            ],
            "flex_flows": [
                {
                    "sid": FO,
                    "friendly_name": "Legacy",
                    "chat_service_sid": IS,
                    "channel_type": "sms",
                    "contact_identity": STANDARD.numbers[1].phone_number,
                    "integration": {"flow_sid": FW, "retry_count": 1},
                    "long_lived": True,
                }
            ],
            "flex_configuration": {"chat_service_instance_sid": IS, "ui_attributes": {"a": [1]}},
        }
    )
    before = routing_state(emulator)
    assert before[0]["messaging_services"][0]["incoming_mode"] == "defer"
    assert before[0]["flex_configuration"]["ui_attributes"] == {"a": [1]}

    emulator.control.reset()
    emulator.control.seed(STANDARD.seed())  # the numbers, services and flows they refer to
    emulator.control.seed(
        {
            "accounts": [
                {"sid": account["sid"], **without_dates(lists)}
                for account, lists in zip(emulator.control.state()["accounts"], before, strict=True)
            ]
        }
    )
    assert without_dates(routing_state(emulator)) == without_dates(before)
