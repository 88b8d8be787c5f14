"""Account snapshots for the routing tests: one healthy Flex account and ways to break it.

:func:`flex_account` is Flex's recommended set-up (FLEX-SMS): a number with a
blank ``sms_url`` and no Messaging Service, an address configuration that
autocreates with a published Studio flow on the Flex Conversations service, which
is also the account's default. Each ``with_*`` helper returns a copy with one
thing changed, so a table row reads as "the healthy account, except ...".
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from pulumi_flex_sms.routing import (
    AccountSnapshot,
    AddressConfiguration,
    AutoCreation,
    Conversation,
    ConversationsDefaults,
    FlexConfiguration,
    FlexFlow,
    IncomingNumber,
    MessagingService,
    Participant,
    ScopedWebhook,
    ServiceMode,
    ServiceNumber,
    StudioFlow,
    TwimlApplication,
)

__all__ = [
    "ACCOUNT",
    "APP",
    "CH",
    "CUSTOMER",
    "FLEX_DEFINITION",
    "FO",
    "FW",
    "IG",
    "IS_FLEX",
    "IS_OTHER",
    "MG",
    "MG_DEFAULT",
    "NUMBER",
    "PN",
    "PROXY_WEBHOOK",
    "definition",
    "flex_account",
    "sid",
    "with_app",
    "with_auto",
    "with_conversation",
    "with_flex_flow",
    "with_flow",
    "with_number",
    "with_service",
]


def sid(prefix: str, n: int) -> str:
    """A well-formed SID: two letters and 32 hex digits."""
    return f"{prefix}{n:032x}"


ACCOUNT = sid("AC", 1)
PN = sid("PN", 1)
IG = sid("IG", 1)
FW = sid("FW", 1)
IS_FLEX = sid("IS", 1)
IS_OTHER = sid("IS", 2)
MG = sid("MG", 1)
MG_DEFAULT = sid("MG", 2)
CH = sid("CH", 1)
FO = sid("FO", 1)
APP = sid("AP", 1)
NUMBER = "+15550001111"
CUSTOMER = "+15559990000"
PROXY_WEBHOOK = (
    f"https://webhooks.twilio.com/v1/Accounts/{ACCOUNT}/Proxy/{sid('KS', 1)}/Webhooks/Message"
)


def definition(
    *states: tuple[str, str, dict[str, str]], initial: str = "Trigger"
) -> dict[str, Any]:
    """A Studio definition from (name, type, {event: next}) triples."""
    return {
        "initial_state": initial,
        "states": [
            {
                "name": name,
                "type": kind,
                "transitions": [{"event": event, "next": nxt} for event, nxt in edges.items()],
                "properties": {},
            }
            for name, kind, edges in states
        ],
    }


#: What Flex's own "Messaging Flow" does: Incoming Conversation -> Send to Flex.
FLEX_DEFINITION = definition(
    ("Trigger", "trigger", {"incomingConversationMessage": "SendToAgent"}),
    ("SendToAgent", "send-to-flex", {}),
)


def flex_account() -> AccountSnapshot:
    return AccountSnapshot(
        account_sid=ACCOUNT,
        numbers=(IncomingNumber(sid=PN, phone_number=NUMBER),),
        addresses=(
            AddressConfiguration(
                sid=IG,
                address=NUMBER,
                auto_creation=AutoCreation(
                    enabled=True,
                    type="studio",
                    conversation_service_sid=IS_FLEX,
                    studio_flow_sid=FW,
                    studio_retry_count=1,
                ),
            ),
        ),
        studio_flows=(StudioFlow(sid=FW, status="published", definition=FLEX_DEFINITION),),
        conversations_defaults=ConversationsDefaults(
            default_chat_service_sid=IS_FLEX,
            default_messaging_service_sid=MG_DEFAULT,
            default_inactive_timer="PT1H",
            default_closed_timer="P1D",
        ),
        flex_configuration=FlexConfiguration(chat_service_instance_sid=IS_FLEX),
        conversation_services=frozenset({IS_FLEX, IS_OTHER}),
    )


def with_number(snapshot: AccountSnapshot, **changes: Any) -> AccountSnapshot:
    return replace(snapshot, numbers=(replace(snapshot.numbers[0], **changes),))


def with_auto(snapshot: AccountSnapshot, **changes: Any) -> AccountSnapshot:
    """Change the address configuration's auto_creation (``auto_creation=None`` removes it)."""
    address = snapshot.addresses[0]
    if "auto_creation" in changes:
        return replace(snapshot, addresses=(replace(address, **changes),))
    assert address.auto_creation is not None
    auto = replace(address.auto_creation, **changes)
    return replace(snapshot, addresses=(replace(address, auto_creation=auto),))


def with_app(snapshot: AccountSnapshot, **changes: Any) -> AccountSnapshot:
    app = TwimlApplication(**{"sid": APP, "sms_url": "https://app.example.com/sms", **changes})
    return replace(
        with_number(snapshot, sms_application_sid=APP),
        applications=(app,),
    )


def with_service(
    snapshot: AccountSnapshot, mode: ServiceMode | None = None, **fields: Any
) -> AccountSnapshot:
    """Put the number in Messaging Service MG (``mode`` = the declared Console mode)."""
    service = MessagingService(
        sid=MG,
        phone_numbers=(ServiceNumber(sid=PN, phone_number=NUMBER),),
        incoming_mode=mode,
        **fields,
    )
    return replace(snapshot, messaging_services=(service,))


def with_conversation(
    snapshot: AccountSnapshot,
    state: str = "active",
    *,
    service: str = IS_FLEX,
    webhooks: tuple[ScopedWebhook, ...] = (
        ScopedWebhook(sid=sid("WH", 1), target="studio", flow_sid=FW),
    ),
    address: str = CUSTOMER,
    proxy_address: str = NUMBER,
) -> AccountSnapshot:
    """Add conversation CH binding (address, proxy_address)."""
    conversation = Conversation(
        sid=CH,
        chat_service_sid=service,
        messaging_service_sid=MG_DEFAULT,
        state=state,
        participants=(Participant(sid=sid("MB", 1), address=address, proxy_address=proxy_address),),
        webhooks=webhooks,
    )
    return replace(snapshot, conversations=(*snapshot.conversations, conversation))


def with_flex_flow(snapshot: AccountSnapshot, *flows: FlexFlow) -> AccountSnapshot:
    flows = flows or (
        FlexFlow(
            sid=FO,
            contact_identity=NUMBER,
            channel_type="sms",
            enabled=True,
            integration_type="studio",
            integration={"flow_sid": FW},
        ),
    )
    return replace(snapshot, flex_flows=flows)


def with_flow(snapshot: AccountSnapshot, **changes: Any) -> AccountSnapshot:
    flow = snapshot.studio_flows[0]
    return replace(
        snapshot,
        studio_flows=(
            StudioFlow(
                sid=changes.get("sid", flow.sid),
                status=changes.get("status", flow.status),
                definition=changes.get("definition", flow.definition),
            ),
        ),
    )
