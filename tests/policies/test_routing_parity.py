"""The pack and the routing model say the same thing about the same situation.

Each row describes one situation once; from it the test builds a Pulumi stack
(ours or the bridged Twilio provider's resources) and the equivalent account
snapshot, whose identifiers are the labels the stack knows (the address is
"FlexSmsAddress 'line'", the flow "StudioFlowsV2 'flow'"). The routing model
routes a first message from a new sender through the snapshot; every policy of
the pack runs over the stack. The routing problems the pack reports, as
``[<code>] <message>``, must be exactly the model's: same codes, same text.
(The Messaging Service check has no row: the model always infers a service's
mode from the API fields, which a stack does not hold; its message is pinned
against the builder in test_routing_policies.py.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from pulumi_policy import StackValidationPolicy
from pulumi_policy.policy import _NotApplicableError
from support.policy_functions import run_resource_policy, run_stack_policy
from support.policy_stacks import (
    ADDRESS,
    FLEX_PROXY_WEBHOOK,
    FLOW_SID,
    NUMBER,
    SUPPORT,
    TWILIO_ADDRESS,
    TWILIO_FLEX_FLOW,
    TWILIO_FLOW,
    TWILIO_NUMBER,
    address_inputs,
    number_inputs,
    pn_sid,
    studio_definition,
    twilio_address,
    twilio_flex_flow,
    twilio_flow,
    twilio_number,
)

from pulumi_flex_sms.policies import ALL_POLICIES
from pulumi_flex_sms.routing import (
    AccountSnapshot,
    AddressConfiguration,
    AutoCreation,
    FlexFlow,
    Inbound,
    IncomingNumber,
    StudioFlow,
    route,
)

HOOK = "https://hooks.example.com/sms"
APP_SID = "AP" + "d" * 32
SMS_TRIGGER = studio_definition(trigger_event="incomingMessage")


@dataclass(frozen=True)
class Situation:
    """One number, its address, and what surrounds them."""

    theirs_address: bool = False
    theirs_number: bool = False
    sms_url: str = ""
    app: str = ""
    enabled: bool = True
    type: str = "studio"
    flow_sid: str | None = FLOW_SID
    webhook_url: str | None = None
    webhook_filters: tuple[str, ...] | None = None
    flow_status: str | None = None
    """None: the flow is not in the stack (the snapshot then holds a good one)."""
    flow_definition: str = studio_definition()
    flex_flows: int = 0

    @property
    def address_label(self) -> str:
        kind = "ConversationsConfigurationAddressesV1" if self.theirs_address else "FlexSmsAddress"
        return f"{kind} 'line'"

    def stack(self) -> list[tuple[str, str, dict[str, Any]]]:
        auto: dict[str, Any] = {"type_": self.type}
        if self.theirs_address:
            auto |= {
                "autoCreationStudioFlowSid": self.flow_sid if self.type == "studio" else None,
                "autoCreationWebhookUrl": self.webhook_url,
                "autoCreationWebhookFilters": list(self.webhook_filters or []) or None,
            }
            address = (
                TWILIO_ADDRESS,
                "line",
                twilio_address(SUPPORT, enabled=self.enabled, **auto),
            )
        else:
            auto |= {
                "studioFlowSid": self.flow_sid if self.type == "studio" else None,
                "webhookUrl": self.webhook_url,
                "webhookFilters": list(self.webhook_filters or []) or None,
            }
            address = (ADDRESS, "line", address_inputs(SUPPORT, enabled=self.enabled, **auto))
        if self.theirs_number:
            number = twilio_number(SUPPORT, sms_url=self.sms_url, app=self.app or None)
            stack = [address, (TWILIO_NUMBER, "num", number)]
        else:
            number = number_inputs(
                SUPPORT, sms_url=self.sms_url, smsApplicationSid=self.app or None
            )
            stack = [address, (NUMBER, "num", number)]
        if self.flow_status is not None:
            flow = twilio_flow(status=self.flow_status, definition=self.flow_definition)
            stack.append((TWILIO_FLOW, "flow", flow))
        for i in range(self.flex_flows):
            stack.append((TWILIO_FLEX_FLOW, f"legacy-{i}", twilio_flex_flow(SUPPORT)))
        return stack

    def snapshot(self) -> AccountSnapshot:
        in_stack = self.flow_status is not None
        flow_label = "StudioFlowsV2 'flow'" if in_stack else FLOW_SID
        flow = StudioFlow(
            sid=flow_label,
            status=self.flow_status or "published",
            definition=self.flow_definition if in_stack else studio_definition(),
        )
        auto = AutoCreation(
            enabled=self.enabled,
            type=self.type,
            studio_flow_sid=(flow_label if self.flow_sid else None)
            if self.type == "studio"
            else None,
            webhook_url=self.webhook_url,
            webhook_filters=self.webhook_filters,
        )
        return AccountSnapshot(
            numbers=(
                IncomingNumber(
                    sid=pn_sid(SUPPORT),
                    phone_number=SUPPORT,
                    sms_url=self.sms_url,
                    sms_application_sid=self.app,
                ),
            ),
            addresses=(
                AddressConfiguration(sid=self.address_label, address=SUPPORT, auto_creation=auto),
            ),
            studio_flows=(flow,),
            flex_flows=tuple(
                FlexFlow(sid=f"FlexFlexFlowsV1 'legacy-{i}'", contact_identity=SUPPORT)
                for i in range(self.flex_flows)
            ),
        )


SITUATIONS = {
    "compliant": Situation(),
    "compliant-theirs": Situation(theirs_address=True, theirs_number=True),
    "webhook-left-on": Situation(sms_url=HOOK),
    "their-number-webhook-our-address": Situation(theirs_number=True, sms_url=HOOK),
    "our-number-app-their-address": Situation(theirs_address=True, app=APP_SID),
    "app-shadows-url": Situation(theirs_number=True, sms_url=HOOK, app=APP_SID),
    "type-default": Situation(type="default"),
    "type-default-theirs": Situation(theirs_address=True, type="default"),
    "unknown-type-theirs": Situation(theirs_address=True, type="flex"),
    "disabled": Situation(enabled=False),
    "disabled-with-webhook-left-on": Situation(theirs_address=True, enabled=False, sms_url=HOOK),
    "studio-without-flow": Situation(flow_sid=None),
    "webhook-without-url": Situation(type="webhook"),
    "webhook-not-hearing-messages": Situation(
        type="webhook", webhook_url=HOOK, webhook_filters=("onParticipantAdded",)
    ),
    "webhook-hearing-messages": Situation(
        theirs_address=True,
        type="webhook",
        webhook_url=HOOK,
        webhook_filters=("onMessageAdded", "onParticipantAdded"),
    ),
    "flow-draft": Situation(flow_status="draft"),
    "flow-on-sms-trigger": Situation(flow_status="published", flow_definition=SMS_TRIGGER),
    "flow-draft-on-sms-trigger-theirs": Situation(
        theirs_address=True, flow_status="draft", flow_definition=SMS_TRIGGER
    ),
    "flow-fine": Situation(flow_status="published"),
    "legacy-flex-flow-live": Situation(sms_url=FLEX_PROXY_WEBHOOK, flex_flows=2),
    "legacy-flex-flow-inert": Situation(theirs_number=True, flex_flows=1),
}


def model_findings(situation: Situation) -> list[str]:
    trace = route(situation.snapshot(), Inbound(sender="+15559990000", to=SUPPORT))
    return [f"[{p.code}] {p.message}" for p in trace.problems]


def pack_findings(situation: Situation) -> list[str]:
    """Every routing finding of every policy of the pack (the ones with a code)."""
    stack = situation.stack()
    found: list[str] = []
    for policy in ALL_POLICIES:
        if isinstance(policy, StackValidationPolicy):
            found += [v.message for v in run_stack_policy(policy, stack)]
        elif policy.validate is not None:
            for type_, name, props in stack:
                try:
                    found += run_resource_policy(policy, type_, props, name=name)
                except _NotApplicableError:
                    pass  # the allowlists, without their config
    return [m for m in found if m.startswith("[")]


@pytest.mark.parametrize("situation", SITUATIONS.values(), ids=SITUATIONS.keys())
def test_the_pack_reports_the_models_problems_in_its_words(situation: Situation) -> None:
    assert sorted(pack_findings(situation)) == sorted(model_findings(situation))


def test_the_rows_cover_every_code_the_pack_can_see() -> None:
    seen = {m[1 : m.index("]")] for s in SITUATIONS.values() for m in model_findings(s)}
    assert seen == {
        "handler-in-parallel",
        "no-integration",
        "autocreation-disabled",
        "flow-missing",
        "flow-not-published",
        "flow-without-send-to-flex",
        "legacy-flex-flow",
    }
