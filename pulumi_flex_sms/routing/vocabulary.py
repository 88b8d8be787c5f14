"""The closed sets of words the routing model speaks: a public contract.

Every string here appears in ``flex-sms simulate-inbound --json``, in the
audit's output and in the policy pack's messages, so none of them changes once
released. Each set is a ``Literal`` type for type checkers plus a tuple of its
values for code that validates or enumerates, read from the type
(``typing.get_args``), so each word is written once.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "CREATORS",
    "FLEX_PATHS",
    "HANDLER_KINDS",
    "INTEGRATION_KINDS",
    "NUMBER_WEBHOOK_MODES",
    "OUTCOMES",
    "PROBLEM_CODES",
    "SERVICE_MODES",
    "SEVERITIES",
    "Creator",
    "FlexPath",
    "HandlerKind",
    "IntegrationKind",
    "NumberWebhookMode",
    "Outcome",
    "ProblemCode",
    "ServiceMode",
    "Severity",
]

ProblemCode = Literal[
    "handler-in-parallel",
    "no-conversation",
    "no-integration",
    "autocreation-disabled",
    "messaging-service-overrides",
    "not-flex-service",
    "service-missing",
    "flow-missing",
    "flow-not-published",
    "flow-without-send-to-flex",
    "legacy-flex-flow",
    "not-delivered",
]
PROBLEM_CODES: tuple[ProblemCode, ...] = get_args(ProblemCode)

Severity = Literal["error", "warning"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)

NumberWebhookMode = Literal["parallel", "exclusive"]
"""Whether the number's (or service's) handler still fires when Conversations
takes the message: Twilio's documents disagree (the notes' C1)."""
NUMBER_WEBHOOK_MODES: tuple[NumberWebhookMode, ...] = get_args(NumberWebhookMode)

ServiceMode = Literal["defer", "webhook", "autocreate", "drop"]
"""A Messaging Service's Console "Incoming Messages" setting: defer to the
sender's (number's) webhook, send a webhook, autocreate a Conversation, or drop."""
SERVICE_MODES: tuple[ServiceMode, ...] = get_args(ServiceMode)

Outcome = Literal["created", "appended", "none"]
OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)

Creator = Literal["address-configuration", "messaging-service"]
"""What autocreated a conversation."""
CREATORS: tuple[Creator, ...] = get_args(Creator)

IntegrationKind = Literal["studio", "webhook"]
INTEGRATION_KINDS: tuple[IntegrationKind, ...] = get_args(IntegrationKind)

HandlerKind = Literal[
    "number-sms-url", "twiml-app", "messaging-service-webhook", "legacy-flex-flow"
]
"""What else fires for an inbound SMS besides the conversation's integration."""
HANDLER_KINDS: tuple[HandlerKind, ...] = get_args(HandlerKind)

FlexPath = Literal["conversation", "legacy-flex-flow"]
"""A way a message reaches Flex: a conversation whose integration hands it to Flex,
or the legacy (Flex UI 1.x) Flex Flow behind the Flex Proxy Service."""
FLEX_PATHS: tuple[FlexPath, ...] = get_args(FlexPath)
