"""Accounts for simulated inbound SMS: a Flex-ready number on the standard emulator.

:func:`flex_seed` adds, to the standard seed's account, what Flex recommends
(https://www.twilio.com/docs/flex/admin-guide/setup/conversations/manage-conversations-sms-addresses):
a number with a blank ``sms_url`` and no Messaging Service, a published Studio
flow whose Incoming Conversation trigger leads to Send to Flex, and an address
configuration that autocreates into the standard (Flex) Conversations service,
the account's default, with that flow.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .emulator import EmulatorHandle

__all__ = [
    "CUSTOMER",
    "DRAFT_FLOW",
    "FLEX_DEFINITION",
    "FLEX_FLOW",
    "FLEX_NUMBER",
    "FLEX_NUMBER_SID",
    "NO_FLEX_DEFINITION",
    "NO_FLEX_FLOW",
    "Simulate",
    "definition",
    "flex_seed",
]

#: The customer who texts in.
CUSTOMER = "+15551230000"
#: ``simulate(to, sender=CUSTOMER, body="hello", mode="parallel")``: the emulator's trace.
Simulate = Callable[..., dict[str, Any]]
FLEX_NUMBER = "+15005550004"
FLEX_NUMBER_SID = "PN" + "4" * 32
FLEX_FLOW = "FW" + "4" * 32
DRAFT_FLOW = "FW" + "5" * 32
NO_FLEX_FLOW = "FW" + "6" * 32


def definition(*states: tuple[str, str, dict[str, str]]) -> dict[str, Any]:
    """A Studio definition from (name, type, {event: next}) triples."""
    return {
        "initial_state": "Trigger",
        "states": [
            {
                "name": name,
                "type": kind,
                "transitions": [{"event": e, "next": n} for e, n in edges.items()],
                "properties": {},
            }
            for name, kind, edges in states
        ],
    }


#: Flex's own "Messaging Flow": Incoming Conversation -> Send to Flex.
FLEX_DEFINITION = definition(
    ("Trigger", "trigger", {"incomingConversationMessage": "SendToAgent"}),
    ("SendToAgent", "send-to-flex", {}),
)
#: Wired on the legacy trigger only: never runs for conversation messages.
NO_FLEX_DEFINITION = definition(
    ("Trigger", "trigger", {"incomingMessage": "SendToAgent"}),
    ("SendToAgent", "send-to-flex", {}),
)


def flex_seed(emulator: EmulatorHandle) -> dict[str, Any]:
    """Seed the Flex-ready number, its flows and address; answers their SIDs."""
    emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": emulator.account_sid,
                    "phone_numbers": [{"sid": FLEX_NUMBER_SID, "phone_number": FLEX_NUMBER}],
                    # Flex's service is the account's default (FLEX-BP), so its
                    # conversations are also at /v1/Conversations.
                    "conversations_configuration": {
                        "default_chat_service_sid": emulator.service_sid
                    },
                    "studio_flows": [
                        {
                            "sid": FLEX_FLOW,
                            "friendly_name": "Messaging Flow",
                            "status": "published",
                            "definition": FLEX_DEFINITION,
                        },
                        {
                            "sid": DRAFT_FLOW,
                            "friendly_name": "Unpublished",
                            "status": "draft",
                            "definition": FLEX_DEFINITION,
                        },
                        {
                            "sid": NO_FLEX_FLOW,
                            "friendly_name": "Legacy trigger",
                            "status": "published",
                            "definition": NO_FLEX_DEFINITION,
                        },
                    ],
                }
            ]
        }
    )
    address = emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=FLEX_NUMBER,
        auto_creation_enabled=True,
        auto_creation_type="studio",
        auto_creation_conversation_service_sid=emulator.service_sid,
        auto_creation_studio_flow_sid=FLEX_FLOW,
    )
    return {
        "number": FLEX_NUMBER,
        "number_sid": FLEX_NUMBER_SID,
        "service_sid": emulator.service_sid,
        "flow_sid": FLEX_FLOW,
        "address_sid": address.sid,
    }
