"""The routing model: where an inbound SMS goes on a Twilio account, and why it misses Flex.

Pure and standard-library only (no HTTP, no twilio, no web stack), so the
emulator, ``flex-sms simulate-inbound``, ``flex-sms audit`` and the policy pack
share one set of rules, problem codes and messages. See ``docs/routing.md``.

    from pulumi_flex_sms.routing import AccountSnapshot, Inbound, route

    trace = route(snapshot, Inbound(sender="+15551230000", to="+15557654321", body="hi"))
    trace.ok, trace.problem_codes, trace.to_dict()
"""

from __future__ import annotations

from . import problems, sources
from .model import (
    DEFAULT_STUDIO_RETRY_COUNT,
    DEFAULT_WEBHOOK_FILTERS,
    ConversationRoute,
    Handler,
    Inbound,
    Integration,
    ServiceRoute,
    Trace,
    account_problems,
    route,
    route_every_number,
)
from .problems import SEVERITY, Problem
from .snapshot import (
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
    ServiceNumber,
    SnapshotError,
    StudioFlow,
    TwimlApplication,
    is_flex_proxy_webhook,
    normalize_address,
)
from .studio import DefinitionError, FlexReach, FlowDefinition, flex_reach, parse_definition
from .vocabulary import (
    HANDLER_KINDS,
    NUMBER_WEBHOOK_MODES,
    PROBLEM_CODES,
    SERVICE_MODES,
    FlexPath,
    HandlerKind,
    NumberWebhookMode,
    Outcome,
    ProblemCode,
    ServiceMode,
    Severity,
)

__all__ = [
    "DEFAULT_STUDIO_RETRY_COUNT",
    "DEFAULT_WEBHOOK_FILTERS",
    "HANDLER_KINDS",
    "NUMBER_WEBHOOK_MODES",
    "PROBLEM_CODES",
    "SERVICE_MODES",
    "SEVERITY",
    "AccountSnapshot",
    "AddressConfiguration",
    "AutoCreation",
    "Conversation",
    "ConversationRoute",
    "ConversationsDefaults",
    "DefinitionError",
    "FlexConfiguration",
    "FlexFlow",
    "FlexPath",
    "FlexReach",
    "FlowDefinition",
    "Handler",
    "HandlerKind",
    "Inbound",
    "IncomingNumber",
    "Integration",
    "MessagingService",
    "NumberWebhookMode",
    "Outcome",
    "Participant",
    "Problem",
    "ProblemCode",
    "ScopedWebhook",
    "ServiceMode",
    "ServiceNumber",
    "ServiceRoute",
    "Severity",
    "SnapshotError",
    "StudioFlow",
    "Trace",
    "TwimlApplication",
    "account_problems",
    "flex_reach",
    "is_flex_proxy_webhook",
    "normalize_address",
    "parse_definition",
    "problems",
    "route",
    "route_every_number",
    "sources",
]
