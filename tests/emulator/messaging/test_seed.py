"""The seed's ``messaging_services`` (with the Console-only ``incoming_mode``) and
``messaging_service_phone_numbers``."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import STANDARD, EmulatorHandle

from pulumi_flex_sms.emulator.control import EmulatorControlError

MG = "MG" + "1" * 32
OTHER_MG = "MG" + "2" * 32


def test_services_and_pools_are_seeded_with_their_sids(emulator: EmulatorHandle) -> None:
    summary = emulator.control.seed(
        {
            "messaging_services": [
                {
                    "sid": MG,
                    "friendly_name": "Flex sender pool",
                    "inbound_request_url": "https://hooks.example.com/in",
                    "incoming_mode": "webhook",
                    "us_app_to_person_registered": True,
                },
                {"sid": OTHER_MG, "incoming_mode": "autocreate"},
            ],
            "messaging_service_phone_numbers": [
                {"service_sid": MG, "phone_number": emulator.number.phone_number},
                {"service_sid": OTHER_MG, "sid": emulator.numbers[1].sid},
            ],
        }
    )
    account = summary["accounts"][0]
    assert account["messaging_services"] == [
        {"sid": MG, "friendly_name": "Flex sender pool"},
        {"sid": OTHER_MG, "friendly_name": "Messaging Service"},
    ]
    assert account["messaging_service_phone_numbers"] == [
        {
            "sid": emulator.number.sid,
            "service_sid": MG,
            "phone_number": emulator.number.phone_number,
        },
        {
            "sid": emulator.numbers[1].sid,
            "service_sid": OTHER_MG,
            "phone_number": emulator.numbers[1].phone_number,
        },
    ]
    client = emulator.client()
    service = client.messaging.v1.services(MG).fetch()
    assert service.inbound_request_url == "https://hooks.example.com/in"
    assert service.us_app_to_person_registered is True
    assert [n.sid for n in client.messaging.v1.services(MG).phone_numbers.list()] == [
        emulator.number.sid
    ]


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"messaging_services": [{"incoming_mode": "maybe"}]}, "incoming_mode"),
        (
            {
                "messaging_services": [
                    {"incoming_mode": "defer", "use_inbound_webhook_on_number": False}
                ]
            },
            "defer",
        ),
        ({"messaging_services": [{"incoming_mode": "webhook"}]}, "inbound_request_url"),
        (
            {
                "messaging_services": [
                    {"incoming_mode": "autocreate", "use_inbound_webhook_on_number": True}
                ]
            },
            "contradicts",
        ),
        ({"messaging_services": [{"inbound_request_url": "ftp://x"}]}, "InboundRequestUrl"),
        ({"messaging_services": [{"colour": "red"}]}, "colour"),
        ({"messaging_service_phone_numbers": [{"phone_number": "+15005550001"}]}, "service_sid"),
        ({"messaging_service_phone_numbers": [{"service_sid": MG}]}, "phone_number"),
        (
            {
                "messaging_service_phone_numbers": [
                    {
                        "service_sid": MG,
                        "sid": STANDARD.numbers[0].sid,
                        "phone_number": "+15005550002",
                    }
                ]
            },
            "+15005550002",
        ),
        (
            {
                "messaging_service_phone_numbers": [
                    {"service_sid": MG, "phone_number": "+15005550001"},
                    {"service_sid": OTHER_MG, "phone_number": "+15005550001"},
                ]
            },
            "another Messaging Service",  # one service per number (21712)
        ),
        (
            {
                "messaging_service_phone_numbers": [
                    {"service_sid": MG, "phone_number": "+15005550009"}
                ]
            },
            "not a phone number of account",  # the other account's number
        ),
    ],
)
def test_bad_entries_are_refused_whole(
    emulator: EmulatorHandle, document: dict[str, Any], words: str
) -> None:
    document = {
        "messaging_services": [{"sid": MG}, {"sid": OTHER_MG}],
        **document,
    }
    before = emulator.control.state()
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(document)
    assert err.value.status == 400
    assert words in err.value.body["message"]
    assert emulator.control.state() == before
