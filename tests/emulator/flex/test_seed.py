"""The seed's ``flex_flows`` and ``flex_configuration`` (one mapping per account)."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle

from pulumi_flex_sms.emulator.control import EmulatorControlError

FO = "FO" + "1" * 32
IS = "IS" + "d" * 32
FW = "FW" + "e" * 32


def test_flows_and_the_configuration_are_seeded(emulator: EmulatorHandle) -> None:
    summary = emulator.control.seed(
        {
            "flex_flows": [
                {
                    "sid": FO,
                    "friendly_name": "Legacy SMS",
                    "chat_service_sid": IS,
                    "channel_type": "sms",
                    "contact_identity": emulator.number.phone_number,
                    "integration_type": "studio",
                    "integration": {"flow_sid": FW, "retry_count": 2},
                }
            ],
            "flex_configuration": {"chat_service_instance_sid": IS},
        }
    )
    account = summary["accounts"][0]
    assert account["flex_flows"] == [{"sid": FO, "friendly_name": "Legacy SMS"}]
    assert account["flex_configuration"] == {"chat_service_instance_sid": IS}
    client = emulator.client()
    flow = client.flex_api.v1.flex_flow(FO).fetch()
    assert (flow.enabled, flow.integration) == (True, {"flow_sid": FW, "retry_count": 2})
    config = client.flex_api.v1.configuration().fetch()
    assert (config.chat_service_instance_sid, config.status) == (IS, "ok")
    # Seeding it again changes only what it names.
    emulator.control.seed({"flex_configuration": {"ui_language": "fr"}})
    config = client.flex_api.v1.configuration().fetch()
    assert (config.chat_service_instance_sid, config.ui_language) == (IS, "fr")
    state = emulator.control.state()["accounts"]
    assert state[0]["flex_configuration"]["chat_service_instance_sid"] == IS
    assert state[1]["flex_configuration"] is None  # the other account never had one


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"flex_flows": [{"friendly_name": "F", "channel_type": "sms"}]}, "ChatServiceSid"),
        (
            {"flex_flows": [{"chat_service_sid": IS, "friendly_name": "F", "channel_type": "sms"}]},
            "Integration.FlowSid",
        ),
        (
            {
                "flex_flows": [
                    {
                        "chat_service_sid": IS,
                        "friendly_name": "F",
                        "channel_type": "sms",
                        "integration": {"flow_sid": FW, "colour": "red"},
                    }
                ]
            },
            "colour",
        ),
        (
            {
                "flex_flows": [
                    {
                        "chat_service_sid": IS,
                        "friendly_name": name,
                        "channel_type": "sms",
                        "contact_identity": "+15005550001",
                        "integration": {"flow_sid": FW},
                    }
                    for name in ("A", "B")
                ]
            },
            "collided",
        ),
        ({"flex_configuration": {"chat_service_instance_sid": "IS1"}}, "chat_service_instance_sid"),
        ({"flex_configuration": {"sid": IS}}, "sid"),
        ({"flex_configuration": [{"chat_service_instance_sid": IS}]}, "mapping"),
    ],
)
def test_bad_entries_are_refused_whole(
    emulator: EmulatorHandle, document: dict[str, Any], words: str
) -> None:
    before = emulator.control.state()
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(document)
    assert err.value.status == 400
    assert words in err.value.body["message"]
    assert emulator.control.state() == before
