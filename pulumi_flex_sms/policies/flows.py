"""Stack policies on the flows a Flex number's messages meet: Studio, and legacy Flex Flows.

Both read the bridged Twilio provider's resources where the stack holds them
(:mod:`pulumi_flex_sms.keys`, last section) and report the routing model's
problems in its words (``[<code>] <message>``):

* :data:`studio_flow_reaches_flex`: an auto-creating address of type ``studio``
  whose flow is a ``StudioFlowsV2`` in the stack (matched by the flow's ``sid``,
  known once the flow exists): the flow must be published
  (``flow-not-published``) and its definition must lead from the Trigger's
  Incoming Conversation transition to a Send to Flex widget
  (``flow-without-send-to-flex``, decided by :func:`pulumi_flex_sms.routing.flex_reach`,
  which parses the definition and never reads names). A flow outside the stack
  is the audit's to check (``flex-sms audit``).
* :data:`no_legacy_flex_flow`: an enabled ``sms`` ``FlexFlexFlowsV1`` whose
  contact identity is a number whose address auto-creates (``legacy-flex-flow``).
  Whether the legacy path runs depends on the number's handler pointing at the
  Flex Proxy Service: the message says so when the stack holds that handler,
  and says what it depends on when it does not.
"""

from __future__ import annotations

from collections.abc import Sequence

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ..keys import (
    TWILIO_FLEX_FLOW_TYPE,
    TWILIO_STUDIO_FLOW_TYPE,
    TwilioFlexFlowKeys,
    TwilioStudioFlowKeys,
)
from ..routing import FlexReach, flex_reach, is_flex_proxy_webhook, problems
from .numbers import NumberConfig, StackIndex
from .resources import ADDRESS_SHAPES
from .state import PendingUnknowns, describe, diagnostic, lookup, normalize_number

__all__ = [
    "check_no_legacy_flex_flow",
    "check_studio_flow_reaches_flex",
    "handler_setters",
    "legacy_flow_runs",
    "no_legacy_flex_flow",
    "studio_flow_reaches_flex",
]


def _flows_by_sid(
    flows: Sequence[PolicyResource],
) -> tuple[dict[str, PolicyResource], tuple[UnknownValueError, PolicyResource] | None]:
    """Studio flows by SID, and the first flow whose SID is unknown (a new flow in preview)."""
    by_sid: dict[str, PolicyResource] = {}
    unknown = None
    for flow in flows:
        try:
            sid = lookup(flow.props, TwilioStudioFlowKeys.SID)
        except UnknownValueError as err:
            unknown = unknown or (err, flow)
            continue
        if isinstance(sid, str) and sid.strip():
            by_sid.setdefault(sid.strip(), flow)
    return by_sid, unknown


def _check_flow(
    number: str,
    address: PolicyResource,
    flow: PolicyResource,
    report: ReportViolation,
    reaches: dict[str, FlexReach],
) -> None:
    """Report the routing model's flow problems for one address's flow (raises if unknown).

    ``reaches`` caches each flow's parsed definition: many addresses share one flow.
    """
    status = lookup(flow.props, TwilioStudioFlowKeys.STATUS)
    label, owner = describe(flow), describe(address)
    if isinstance(status, str) and status.strip().lower() != "published":
        report(diagnostic(problems.flow_not_published(number, label, address=owner)), flow.urn)
    reach = reaches.get(flow.urn)
    if reach is None:
        reach = reaches[flow.urn] = flex_reach(lookup(flow.props, TwilioStudioFlowKeys.DEFINITION))
    if not reach.reaches_flex:
        problem = problems.flow_without_send_to_flex(number, label, reach.reason, address=owner)
        report(diagnostic(problem), flow.urn)


def check_studio_flow_reaches_flex(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report the stack's Studio flows that an auto-creating address uses but that reach no agent.

    A draft, or a definition with no path to Send to Flex; reported on the flow's URN.
    """
    index, flows = StackIndex.build_for(args.resources, TWILIO_STUDIO_FLOW_TYPE)
    by_sid, sid_unknown = _flows_by_sid(flows)
    reaches: dict[str, FlexReach] = {}
    pending = PendingUnknowns()
    for number, addresses in index.autocreating.items():
        for address in addresses:
            shape = ADDRESS_SHAPES[address.resource_type]
            try:
                kind = shape.read(address.props, "type")
                if not (isinstance(kind, str) and kind.strip().lower() == "studio"):
                    continue
                flow_sid = shape.read(address.props, "studio_flow_sid")
            except UnknownValueError as err:
                pending.add(err, address)  # may name a flow of this stack
                continue
            flow = by_sid.get(flow_sid.strip()) if isinstance(flow_sid, str) else None
            if flow is None:
                if sid_unknown is not None:
                    pending.add(*sid_unknown)  # it may be the flow still being created
                continue
            try:
                _check_flow(number, address, flow, report_violation, reaches)
            except UnknownValueError as err:
                pending.add(err, flow)
    index.defer_unknown_address(pending)
    pending.raise_first()


def handler_setters(index: StackIndex) -> dict[str, list[NumberConfig]]:
    """E.164 -> the number resources whose settings are the number's handler.

    A PhoneNumberMessagingConfig governs its number (see :mod:`.numbers`); the
    bridged number resource counts only where no config manages the number.
    """
    governed = index.governed_numbers()
    app_governed = index.governed_numbers(app=True)
    setters: dict[str, list[NumberConfig]] = {}
    for config in index.configs:
        number = index.resolve(config)
        if number is None:
            continue
        # Where the config leaves smsApplicationSid alone, a TwiML app set here stays.
        keeps_app = (
            number not in app_governed
            and config.handler is not None
            and config.handler.kind == "twiml-app"
        )
        if config.governs or number not in governed or keeps_app:
            setters.setdefault(number, []).append(config)
    return setters


def legacy_flow_runs(setters: Sequence[NumberConfig]) -> bool | None:
    """Whether a legacy Flex Flow takes its number's messages, as far as the stack shows.

    ``setters`` are the number's resources from :func:`handler_setters`. True when
    the number's handler is the Flex Proxy Service's webhook (the routing model's
    R8); False for any other URL or none; None when no resource in the stack
    sets the number's handler, its handler is unknown, or it is a TwiML app (whose
    own URL, which replaces the number's, the stack does not hold).
    """
    if not setters or any(c.handler_unknown is not None for c in setters):
        return None
    handlers = [c.handler for c in setters if c.handler is not None]
    if any(h.kind == "twiml-app" for h in handlers):
        return None
    return bool(handlers) and is_flex_proxy_webhook(handlers[0].value)


def check_no_legacy_flex_flow(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    """Report each enabled SMS Flex Flow that claims a number whose address auto-creates.

    On the Flex Flow's URN.
    """
    index, flex_flows = StackIndex.build_for(args.resources, TWILIO_FLEX_FLOW_TYPE)
    pending = PendingUnknowns()
    setters = handler_setters(index)
    claimed: dict[str, int] = {}
    for flow in flex_flows:
        try:
            enabled = lookup(flow.props, TwilioFlexFlowKeys.ENABLED)
            channel = lookup(flow.props, TwilioFlexFlowKeys.CHANNEL_TYPE)
            identity = lookup(flow.props, TwilioFlexFlowKeys.CONTACT_IDENTITY)
        except UnknownValueError as err:
            pending.add(err, flow)
            continue
        # Only an enabled sms flow counts (the routing model's R9).
        if enabled is not True or not isinstance(channel, str) or channel.lower() != "sms":
            continue
        if not isinstance(identity, str) or not identity.strip():
            continue
        number = normalize_number(identity)
        if not index.autocreating.get(number):
            index.defer_unknown_address(pending)
            continue
        # As in the model: only the first flow on an identity can run the legacy path.
        first = claimed.setdefault(number, 0) == 0
        claimed[number] += 1
        runs = legacy_flow_runs(setters.get(number, ()))
        problem = problems.legacy_flex_flow(number, describe(flow), runs=runs and first)
        report_violation(diagnostic(problem), flow.urn)
    pending.raise_first()


studio_flow_reaches_flex = StackValidationPolicy(
    name="flex-sms-studio-flow-reaches-flex",
    description=(
        "The Studio flow an auto-creating address hands conversations to (the Twilio "
        "provider's StudioFlowsV2, when the stack holds it) must be published and lead "
        "from its Incoming Conversation trigger to a Send to Flex widget."
    ),
    validate=check_studio_flow_reaches_flex,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.HIGH,
    remediation_steps=(
        "In the flow's definition, connect the Trigger's incomingConversationMessage "
        "transition to a path that ends in a send-to-flex widget, and set status to "
        "'published'."
    ),
)

no_legacy_flex_flow = StackValidationPolicy(
    name="flex-sms-no-legacy-flex-flow",
    description=(
        "No enabled legacy SMS Flex Flow (the Twilio provider's FlexFlexFlowsV1) on a "
        "number whose Conversations address auto-creates: Programmable Chat for Flex "
        "reaches end of life on 1 June 2026."
    ),
    validate=check_no_legacy_flex_flow,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
    remediation_steps=(
        "Delete the FlexFlexFlowsV1 resource (or set enabled=False) and route the number "
        "through its Conversations address only."
    ),
)
