"""Seeds declare the Conversations configuration and conversations with their
participants, messages and webhooks; ``GET /_emulator/state`` shows them in the
same shape, so a dump seeds the same conversations back."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import EmulatorControlError

CH = ["CH" + str(i) * 32 for i in range(1, 4)]
MB = ["MB" + str(i) * 32 for i in range(1, 4)]
CUSTOMER = "+15558675310"
LISTS = ("conversations_configuration", "conversations", "studio_executions")


def document(emulator: EmulatorHandle) -> dict[str, Any]:
    number = emulator.number.phone_number
    return {
        "conversations_configuration": {
            "default_chat_service_sid": emulator.service_sid,
            "default_inactive_timer": "PT5M",
            "default_closed_timer": "PT1H",
        },
        "conversations": [
            {
                "sid": CH[0],
                "friendly_name": "Yesterday's",
                "state": "closed",
                "date_created": "2026-01-10T08:00:00Z",
                "participants": [
                    {"sid": MB[0], "address": CUSTOMER, "proxy_address": number},
                ],
                "messages": [{"author": CUSTOMER, "body": "Hi", "source": "SMS"}],
            },
            {
                "sid": CH[1],
                "friendly_name": "Today's",
                "state": "inactive",
                "messaging_service_sid": "MG" + "5" * 32,
                "date_created": "2026-01-11T08:00:00Z",
                "participants": [
                    {"sid": MB[1], "address": CUSTOMER, "proxy_address": number},
                    {"sid": MB[2], "identity": "agent-7"},
                ],
                "messages": [
                    {"author": CUSTOMER, "body": "Hello again", "source": "SMS"},
                    {"author": "agent-7", "body": "Hi!", "index": 5},
                ],
                "webhooks": [
                    {"target": "studio", "configuration": {"flow_sid": emulator.flow_sid}}
                ],
            },
        ],
    }


def test_seeded_conversations_show_through_the_api(emulator: EmulatorHandle) -> None:
    summary = emulator.control.seed(document(emulator))
    assert summary["accounts"][0]["conversations"] == [
        {"sid": CH[0], "chat_service_sid": emulator.service_sid, "state": "closed"},
        {"sid": CH[1], "chat_service_sid": emulator.service_sid, "state": "inactive"},
    ]
    v1 = emulator.client().conversations.v1
    assert v1.configuration().fetch().default_closed_timer == "PT1H"
    today = v1.conversations(CH[1]).fetch()
    # Restored as declared: an inactive conversation with messages stays inactive.
    assert (today.state, today.messaging_service_sid) == ("inactive", "MG" + "5" * 32)
    assert set(today.timers) == {"date_closed"}  # copied defaults, inactive already
    messages = v1.conversations(CH[1]).messages.list()
    assert [(m.index, m.participant_sid) for m in messages] == [(0, MB[1]), (5, MB[2])]
    webhooks = v1.conversations(CH[1]).webhooks.list()
    assert [(w.target, w.configuration) for w in webhooks] == [
        ("studio", {"flow_sid": emulator.flow_sid})
    ]
    # The closed conversation holds its participant; the inactive one binds the pair.
    assert v1.conversations(CH[0]).participants(MB[0]).fetch().messaging_binding["address"] == (
        CUSTOMER
    )
    other = v1.conversations.create(friendly_name="Third")
    with pytest.raises(TwilioRestException) as err:
        v1.conversations(other.sid).participants.create(
            messaging_binding_address=CUSTOMER,
            messaging_binding_proxy_address=emulator.number.phone_number,
        )
    assert err.value.code == 50416 and CH[1] in err.value.msg


def test_the_state_dump_seeds_the_same_conversations_back(emulator: EmulatorHandle) -> None:
    emulator.control.seed(document(emulator))
    emulator.control.seed(
        {
            "studio_executions": [
                {
                    "flow_sid": emulator.flow_sid,
                    "contact_channel_address": CUSTOMER,
                    "context": {"trigger": {"conversation": {"ConversationSid": CH[1]}}},
                    "steps": [{"name": "incomingConversationMessage", "type": "trigger"}],
                }
            ]
        }
    )
    before = emulator.control.state()["accounts"][0]
    dumped = {name: before[name] for name in LISTS}
    assert dumped["conversations"][1]["participants"][1] == {
        "sid": MB[2],
        "identity": "agent-7",
        "address": None,
        "proxy_address": None,
        "attributes": "{}",
        "date_created": dumped["conversations"][1]["participants"][1]["date_created"],
    }
    assert dumped["conversations"][1]["messages"][1]["index"] == 5
    emulator.control.reset()
    emulator.control.seed(
        {
            "conversation_services": [{"sid": emulator.service_sid, "friendly_name": "Flex"}],
            "studio_flows": [{"sid": emulator.flow_sid, "friendly_name": "Flow"}],
            **dumped,
        }
    )
    after = emulator.control.state()["accounts"][0]
    assert {name: after[name] for name in LISTS} == dumped


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda d: d["conversations"][1]["participants"][0].update(sid=MB[0]),
            "participants[0]: " + MB[0] + " already exists",
        ),
        (
            lambda d: d["conversations"][0].update(state="active"),
            "conversations[1]: participants[0]: Participant and proxy address pair",
        ),
        (
            lambda d: d["conversations"][1]["messages"][1].update(index=0),
            "messages[1]: Message index 0",
        ),
        (
            lambda d: d["conversations"][1]["webhooks"][0].update(target="email"),
            "webhooks[0]: Invalid Target",
        ),
        (lambda d: d["conversations"][1].update(colour="red"), "unknown field(s) colour"),
        (
            lambda d: d["conversations"][1].update(date_created="yesterday"),
            "date_created",
        ),
        (
            lambda d: d.pop("conversations_configuration"),
            "chat_service_sid: required",
        ),
        (
            lambda d: d["conversations_configuration"].update(default_inactive_timer="PT1S"),
            "conversations_configuration: Invalid DefaultInactiveTimer",
        ),
    ],
)
def test_bad_conversation_seeds_are_refused_whole(
    emulator: EmulatorHandle, change: Any, words: str
) -> None:
    bad = document(emulator)
    change(bad)
    before = emulator.control.state()
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(bad)
    assert err.value.status == 400
    assert words in err.value.body["message"]
    assert emulator.control.state() == before
