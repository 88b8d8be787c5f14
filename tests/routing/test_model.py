"""The routing model, one table row per documented rule and per chosen default.

Each row names its source by the routing notes' keys (R1-R9 for rules, C1-C7
for contradictions, "§5 Qn" for an open question's default, and the page key:
IAC, FLEX-SMS, SPEC-MSG, ...; docs/routing.md lists the public URLs). A row
starts from the healthy Flex account of ``accounts.flex_account`` and changes
one thing; it states the outcome, the exact problem codes, the handlers that
fire (in order) and whether the message reaches Flex exactly once.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from support.routing_accounts import (
    APP,
    CH,
    CUSTOMER,
    FO,
    FW,
    IG,
    IS_FLEX,
    IS_OTHER,
    MG,
    MG_DEFAULT,
    NUMBER,
    PN,
    PROXY_WEBHOOK,
    definition,
    flex_account,
    sid,
    with_app,
    with_auto,
    with_conversation,
    with_flex_flow,
    with_flow,
    with_number,
    with_service,
)

from pulumi_flex_sms.routing import (
    HANDLER_KINDS,
    PROBLEM_CODES,
    AccountSnapshot,
    ConversationsDefaults,
    FlexConfiguration,
    FlexFlow,
    HandlerKind,
    Inbound,
    IncomingNumber,
    NumberWebhookMode,
    Outcome,
    ProblemCode,
    ScopedWebhook,
    Trace,
    account_problems,
    route,
    route_every_number,
)

UNSET = object()
HEALTHY = flex_account()
DEMO_URL = "https://demo.twilio.com/welcome/sms/reply"
NO_ADDRESS = replace(HEALTHY, addresses=())
FIRST_MESSAGE = Inbound(sender=CUSTOMER, to=NUMBER, body="hello")


@dataclass(frozen=True)
class Row:
    source: str
    """The notes' key(s) the expectation comes from."""
    what: str
    snapshot: AccountSnapshot
    outcome: Outcome
    problems: tuple[ProblemCode, ...] = ()
    handlers: tuple[HandlerKind, ...] = ()
    reaches_once: bool = False
    service: object = UNSET
    """Expected conversation service SID (UNSET: not checked)."""
    integration: object = UNSET
    """Expected integration kind or None (UNSET: not checked)."""
    inbound: Inbound = FIRST_MESSAGE
    mode: NumberWebhookMode = "parallel"
    capture_when_dropped: bool = True
    check: Callable[[Trace], object] | None = None

    def run(self) -> Trace:
        return route(
            self.snapshot,
            self.inbound,
            number_webhook_mode=self.mode,
            capture_when_dropped=self.capture_when_dropped,
        )


def _message(trace: Trace, code: str) -> str:
    return next(p.message for p in trace.problems if p.code == code)


def _has(trace: Trace, code: str, *fragments: str) -> None:
    message = _message(trace, code)
    for fragment in fragments:
        assert fragment in message, (fragment, message)


ROWS = [
    # -- R7: the recommended set-up, and the documented rules -----------------------
    Row(
        "R7 FLEX-SMS (doc)",
        "recommended set-up: blank sms_url, no service, studio address",
        HEALTHY,
        "created",
        reaches_once=True,
        service=IS_FLEX,
        integration="studio",
        check=lambda t: (
            t.integration.flow_sid == FW
            and t.integration.retry_count == 1
            and t.conversation.created_by == "address-configuration"
            and t.conversation.address_configuration_sid == IG
            and t.conversation.sid is None
            and t.flex_paths == ("conversation",)
            and t.ok
        ),
    ),
    Row(
        "R1 IAC (doc)",
        "a conversation binding the pair captures the message",
        with_conversation(HEALTHY),
        "appended",
        reaches_once=True,
        service=IS_FLEX,
        integration="studio",
        check=lambda t: t.conversation.sid == CH and not t.conversation.reactivated,
    ),
    Row(
        "R1 IAC (copy); C1 §5 Q1 default",
        "captured, and the number's sms_url still fires in parallel",
        with_conversation(with_number(HEALTHY, sms_url="https://hooks.example.com/sms")),
        "appended",
        problems=("handler-in-parallel",),
        handlers=("number-sms-url",),
        check=lambda t: t.handlers[0].url == "https://hooks.example.com/sms",
    ),
    Row(
        "R2 IAC (copy); §5 Q7 default",
        "a closed conversation frees the pair: a new one is created",
        with_conversation(HEALTHY, "closed"),
        "created",
        reaches_once=True,
        check=lambda t: t.conversation.sid is None,
    ),
    Row(
        "R1 IAC (doc); FACTS §5",
        "the pair is (from, to): a binding to another Twilio number does not capture",
        with_conversation(HEALTHY, proxy_address="+15550002222"),
        "created",
        reaches_once=True,
    ),
    Row(
        "§5 Q6 default; STATES",
        "an inactive conversation binds the pair and is reactivated",
        with_conversation(HEALTHY, "inactive"),
        "appended",
        reaches_once=True,
        check=lambda t: t.conversation.reactivated and t.conversation.sid == CH,
    ),
    Row(
        "R3 IAC (copy)",
        "no address, no service: only the number's own webhook handles it",
        with_number(NO_ADDRESS, sms_url="https://hooks.example.com/sms"),
        "none",
        problems=("no-conversation",),
        handlers=("number-sms-url",),
        integration=None,
    ),
    Row(
        "R3 IAC (copy); R5 FLEX-A2P (copy)",
        "a Messaging Service on Autocreate creates it, with no integration",
        with_service(NO_ADDRESS, "autocreate"),
        "created",
        problems=("no-integration",),
        service=IS_FLEX,
        integration=None,
        check=lambda t: t.conversation.created_by == "messaging-service",
    ),
    Row(
        "R4 SPEC-CONV L3734",
        "an address without conversation_service_sid uses the default service",
        replace(
            with_auto(HEALTHY, conversation_service_sid=None),
            conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_OTHER),
            flex_configuration=None,
        ),
        "created",
        reaches_once=True,
        service=IS_OTHER,
    ),
    Row(
        "R4 SPEC-CONV; FLEX-BP (doc)",
        "the address names a service that is not Flex's",
        with_auto(HEALTHY, conversation_service_sid=IS_OTHER),
        "created",
        problems=("not-flex-service",),
        service=IS_OTHER,
        check=lambda t: _has(t, "not-flex-service", IG, "conversation_service_sid"),
    ),
    Row(
        "R4 SPEC-CONV; FLEX-BP (doc)",
        "the default service the address falls back to is not Flex's",
        replace(
            with_auto(HEALTHY, conversation_service_sid=None),
            conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_OTHER),
        ),
        "created",
        problems=("not-flex-service",),
        service=IS_OTHER,
        check=lambda t: _has(t, "not-flex-service", "default Conversations service"),
    ),
    Row(
        "R4 SPEC-CONV",
        "the address names a service that does not exist",
        with_auto(HEALTHY, conversation_service_sid=sid("IS", 9)),
        "created",
        problems=("service-missing",),
        check=lambda t: _has(t, "service-missing", sid("IS", 9), "does not exist"),
    ),
    Row(
        "R4 SPEC-CONV L3734",
        "no service on the address and no default service",
        replace(
            with_auto(HEALTHY, conversation_service_sid=None),
            conversations_defaults=ConversationsDefaults(),
        ),
        "created",
        problems=("service-missing",),
        service=None,
    ),
    Row(
        "R4 INFERRED (unknown Flex configuration is not guessed)",
        "without the Flex configuration, a non-default service is not a finding",
        replace(with_auto(HEALTHY, conversation_service_sid=IS_OTHER), flex_configuration=None),
        "created",
        reaches_once=True,
        service=IS_OTHER,
    ),
    Row(
        "R5 FACTS §5; SPEC-CONV",
        "type webhook attaches the webhook with its url, method and filters",
        with_auto(
            HEALTHY,
            type="webhook",
            studio_flow_sid=None,
            webhook_url="https://flex-hooks.example.com/new",
            webhook_method="GET",
            webhook_filters=("onMessageAdded", "onParticipantAdded"),
        ),
        "created",
        reaches_once=True,
        integration="webhook",
        check=lambda t: (
            t.integration.url == "https://flex-hooks.example.com/new"
            and t.integration.method == "GET"
            and t.integration.filters == ("onMessageAdded", "onParticipantAdded")
        ),
    ),
    Row(
        "R5 FACTS §5 ('default is NOT Flex'); ADDRESS-CONFIG",
        "type default attaches nothing",
        with_auto(HEALTHY, type="default", studio_flow_sid=None),
        "created",
        problems=("no-integration",),
        integration=None,
        check=lambda t: _has(t, "no-integration", "type 'default'", IG),
    ),
    Row(
        "R6 SPEC-MSG L1173; C3 §5 Q4 default (SPIKE F2, F4)",
        "the service sends a webhook: the address still autocreates and the webhook fires",
        with_service(HEALTHY, "webhook", inbound_request_url="https://svc.example.com/in"),
        "created",
        problems=("messaging-service-overrides", "handler-in-parallel"),
        handlers=("messaging-service-webhook",),
        integration="studio",
        check=lambda t: (
            t.handlers[0].sid == MG
            and t.handlers[0].url == "https://svc.example.com/in"
            and t.conversation.messaging_service_sid == MG
        ),
    ),
    Row(
        "R6 SPEC-MSG L1173; MSVC",
        "the service defers (use_inbound_webhook_on_number): the number's sms_url fires",
        with_service(
            with_number(HEALTHY, sms_url="https://hooks.example.com/sms"),
            use_inbound_webhook_on_number=True,
            inbound_request_url="https://svc.example.com/in",
        ),
        "created",
        problems=("messaging-service-overrides", "handler-in-parallel"),
        handlers=("number-sms-url",),
        check=lambda t: (
            t.messaging_service.mode == "defer"
            and not t.messaging_service.mode_declared
            and t.handlers[0].url == "https://hooks.example.com/sms"
        ),
    ),
    Row(
        "R6 SPEC-MSG L1075; §1.1 (Console mode not in the API)",
        "an undeclared mode is read from the API fields and flagged to confirm",
        with_service(HEALTHY, inbound_request_url="https://svc.example.com/in"),
        "created",
        problems=("messaging-service-overrides", "handler-in-parallel"),
        handlers=("messaging-service-webhook",),
        check=lambda t: (
            t.messaging_service.mode == "webhook"
            and _has(t, "messaging-service-overrides", MG, "confirm it in the Console")
        ),
    ),
    Row(
        "R6 FLEX-MS (copy); R7 FLEX-MS",
        "service on Autocreate: the number's handler is not triggered, the address wins",
        with_service(with_number(HEALTHY, sms_url=DEMO_URL), "autocreate"),
        "created",
        reaches_once=True,
        service=IS_FLEX,
        integration="studio",
    ),
    Row(
        "R7 FLEX-MS (default service must be Flex's)",
        "service on Autocreate with a non-Flex default service",
        replace(
            with_service(NO_ADDRESS, "autocreate"),
            conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_OTHER),
        ),
        "created",
        problems=("not-flex-service", "no-integration"),
        service=IS_OTHER,
    ),
    Row(
        "R8 FLEX-LEG (doc)",
        "legacy only: the handler is the Flex Proxy webhook and a Flex Flow claims the number",
        with_flex_flow(with_number(NO_ADDRESS, sms_url=PROXY_WEBHOOK)),
        "none",
        problems=("legacy-flex-flow",),
        handlers=("number-sms-url", "legacy-flex-flow"),
        reaches_once=True,
        check=lambda t: (
            t.flex_paths == ("legacy-flex-flow",)
            and t.handlers[0].reaches_flex_proxy
            and t.handlers[1].sid == FO
            and not t.ok
        ),
    ),
    Row(
        "R8 FLEX-LEG; C5 §5 Q16 default",
        "a Flex Flow next to an address, handler blank: inert, still a finding",
        with_flex_flow(HEALTHY),
        "created",
        problems=("legacy-flex-flow",),
        reaches_once=True,
        check=lambda t: _has(t, "legacy-flex-flow", FO, "inert", "1 June 2026"),
    ),
    Row(
        "C5 §5 Q16 default",
        "Flex Flow behind the Proxy webhook and an address: two paths to Flex",
        with_flex_flow(with_number(HEALTHY, sms_url=PROXY_WEBHOOK)),
        "created",
        problems=("handler-in-parallel", "legacy-flex-flow"),
        handlers=("number-sms-url", "legacy-flex-flow"),
        check=lambda t: t.flex_paths == ("conversation", "legacy-flex-flow"),
    ),
    Row(
        "R8 FLEX-LEG; ERR-45205",
        "Proxy webhook without a Flex Flow: nothing reaches Flex",
        with_number(NO_ADDRESS, sms_url=PROXY_WEBHOOK),
        "none",
        problems=("no-conversation",),
        handlers=("number-sms-url",),
    ),
    Row(
        "R9 INFERRED (FLEX-LEG outbound)",
        "of several Flex Flows on the number only the enabled sms one counts",
        with_flex_flow(
            HEALTHY,
            FlexFlow(sid=sid("FO", 7), contact_identity=NUMBER, enabled=False),
            FlexFlow(sid=FO, contact_identity=NUMBER, enabled=True),
            FlexFlow(sid=sid("FO", 8), contact_identity=NUMBER, channel_type="whatsapp"),
        ),
        "created",
        problems=("legacy-flex-flow",),
        reaches_once=True,
        check=lambda t: [p.subject for p in t.problems] == [FO],
    ),
    Row(
        "R9 INFERRED",
        "a disabled Flex Flow alone is no finding",
        with_flex_flow(HEALTHY, FlexFlow(sid=FO, contact_identity=NUMBER, enabled=False)),
        "created",
        reaches_once=True,
    ),
    # -- contradictions and open questions ------------------------------------------
    Row(
        "C1 §5 Q1 (exclusive switch)",
        "exclusive: the handler does not fire next to a conversation, still a finding",
        with_number(HEALTHY, sms_url="https://hooks.example.com/sms"),
        "created",
        problems=("handler-in-parallel",),
        reaches_once=True,
        mode="exclusive",
        check=lambda t: _has(t, "handler-in-parallel", "exclusive") and not t.ok,
    ),
    Row(
        "C1 §5 Q1 (exclusive switch); R3 IAC",
        "exclusive: with no conversation the handler fires",
        with_number(NO_ADDRESS, sms_url="https://hooks.example.com/sms"),
        "none",
        problems=("no-conversation",),
        handlers=("number-sms-url",),
        mode="exclusive",
    ),
    Row(
        "C2 §5 Q2 default",
        "address and service Autocreate both on: the address wins",
        replace(
            with_service(HEALTHY, "autocreate"),
            conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_OTHER),
        ),
        "created",
        reaches_once=True,
        service=IS_FLEX,
        integration="studio",
        check=lambda t: t.conversation.created_by == "address-configuration",
    ),
    Row(
        "C4 §5 Q3 default",
        "disabled address next to service Autocreate: the service creates it, no integration",
        with_service(with_auto(HEALTHY, enabled=False), "autocreate"),
        "created",
        problems=("autocreation-disabled", "no-integration"),
        service=IS_FLEX,
        integration=None,
        check=lambda t: t.conversation.created_by == "messaging-service",
    ),
    Row(
        "C4 ERR-45761",
        "disabled address, no service: no conversation",
        with_auto(HEALTHY, enabled=False),
        "none",
        problems=("autocreation-disabled",),
        check=lambda t: _has(t, "autocreation-disabled", IG, "45761"),
    ),
    Row(
        "§5 Q17 default; ERR-45760",
        "an address without autocreation data",
        with_auto(HEALTHY, auto_creation=None),
        "none",
        problems=("autocreation-disabled",),
        check=lambda t: _has(t, "autocreation-disabled", "45760"),
    ),
    Row(
        "C6 §5 Q5 default",
        "service drops: no handler, no autocreation even with an address",
        with_service(with_number(HEALTHY, sms_url=DEMO_URL), "drop"),
        "none",
        problems=("messaging-service-overrides", "no-conversation"),
        check=lambda t: _has(t, "no-conversation", MG, "drops"),
    ),
    Row(
        "C6 §5 Q5 default",
        "service drops, but a conversation binding the pair still captures",
        with_conversation(with_service(HEALTHY, "drop")),
        "appended",
        problems=("messaging-service-overrides",),
        reaches_once=True,
    ),
    Row(
        "C6 §5 Q5 (configurable: 'not logged and received')",
        "capture_when_dropped=False drops the bound pair's message too",
        with_conversation(with_service(HEALTHY, "drop")),
        "none",
        problems=("messaging-service-overrides", "no-conversation"),
        capture_when_dropped=False,
    ),
    Row(
        "C6 §5 Q5; SPEC-MSG L1075",
        "undeclared service with no inbound URL reads as drop, to confirm in Console",
        with_service(HEALTHY),
        "none",
        problems=("messaging-service-overrides", "no-conversation"),
        check=lambda t: (
            t.messaging_service.mode == "drop"
            and _has(t, "messaging-service-overrides", "confirm it in the Console")
        ),
    ),
    Row(
        "§5 Q8 default",
        "a created conversation copies the account's default timers",
        HEALTHY,
        "created",
        reaches_once=True,
        check=lambda t: (
            (t.conversation.inactive_timer, t.conversation.closed_timer) == ("PT1H", "P1D")
        ),
    ),
    Row(
        "§5 Q8 default",
        "no default timers, no timers",
        replace(
            HEALTHY, conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_FLEX)
        ),
        "created",
        reaches_once=True,
        check=lambda t: (
            (t.conversation.inactive_timer, t.conversation.closed_timer) == (None, None)
        ),
    ),
    Row(
        "§5 Q9 default",
        "studio_retry_count omitted means 3",
        with_auto(HEALTHY, studio_retry_count=None),
        "created",
        reaches_once=True,
        check=lambda t: t.integration.retry_count == 3,
    ),
    Row(
        "§5 Q11 default",
        "a Studio integration hears onMessageAdded",
        HEALTHY,
        "created",
        reaches_once=True,
        check=lambda t: t.integration.filters == ("onMessageAdded",),
    ),
    Row(
        "§5 Q13 default (SPIKE F4)",
        "the created conversation takes the number's Messaging Service",
        with_service(HEALTHY, "defer"),
        "created",
        problems=("messaging-service-overrides",),
        reaches_once=True,
        check=lambda t: t.conversation.messaging_service_sid == MG,
    ),
    Row(
        "§5 Q13 default",
        "without a service, the account's default Messaging Service",
        HEALTHY,
        "created",
        reaches_once=True,
        check=lambda t: t.conversation.messaging_service_sid == MG_DEFAULT,
    ),
    Row(
        "§5 Q19 default",
        "webhook_filters omitted means onMessageAdded",
        with_auto(
            HEALTHY, type="webhook", studio_flow_sid=None, webhook_url="https://h.example.com/"
        ),
        "created",
        reaches_once=True,
        check=lambda t: (
            t.integration.filters == ("onMessageAdded",) and t.integration.method == "POST"
        ),
    ),
    Row(
        "§5 Q19; FLEX-PRE (doc)",
        "webhook filters without onMessageAdded never hear of the message",
        with_auto(
            HEALTHY,
            type="webhook",
            studio_flow_sid=None,
            webhook_url="https://h.example.com/",
            webhook_filters=("onParticipantAdded",),
        ),
        "created",
        problems=("no-integration",),
        integration="webhook",
        check=lambda t: not t.integration.reaches_flex,
    ),
    Row(
        "§5 Q20 default; FLEX-PRE",
        "a draft-only flow runs no execution",
        with_flow(HEALTHY, status="draft"),
        "created",
        problems=("flow-not-published",),
        integration="studio",
        check=lambda t: not t.integration.runs and _has(t, "flow-not-published", FW, "publish"),
    ),
    Row(
        "§4 FLEX-MIG; SEND-FLEX",
        "a published flow that never sends to Flex",
        with_flow(
            HEALTHY,
            definition=definition(
                ("Trigger", "trigger", {"incomingConversationMessage": "reply"}),
                ("reply", "send-message", {"sent": "", "failed": ""}),
            ),
        ),
        "created",
        problems=("flow-without-send-to-flex",),
        check=lambda t: t.integration.runs and not t.integration.reaches_flex,
    ),
    Row(
        "§4 FLEX-MIG; §3.3 STUDIO-CONV",
        "a flow wired only on incomingMessage (the number-webhook trigger)",
        with_flow(
            HEALTHY,
            definition=definition(
                ("Trigger", "trigger", {"incomingMessage": "agent"}),
                ("agent", "send-to-flex", {}),
            ),
        ),
        "created",
        problems=("flow-without-send-to-flex",),
        check=lambda t: _has(t, "flow-without-send-to-flex", "incomingMessage"),
    ),
    Row(
        "§4 FLEX-FAQ",
        "the address names a flow that does not exist",
        with_auto(HEALTHY, studio_flow_sid=sid("FW", 9)),
        "created",
        problems=("flow-missing",),
        check=lambda t: _has(t, "flow-missing", sid("FW", 9)),
    ),
    Row(
        "§5 Q17 default; ERR-45763",
        "type studio without a flow SID",
        with_auto(HEALTHY, studio_flow_sid=None),
        "created",
        problems=("flow-missing",),
        check=lambda t: _has(t, "flow-missing", "45763"),
    ),
    Row(
        "§5 Q17 default; ERR-45764",
        "type webhook without a URL",
        with_auto(HEALTHY, type="webhook", studio_flow_sid=None),
        "created",
        problems=("no-integration",),
        integration=None,
        check=lambda t: _has(t, "no-integration", "45764"),
    ),
    Row(
        "§5 Q17 default; ERR-45762",
        "an autocreation type Twilio does not know",
        with_auto(HEALTHY, type="flex"),
        "created",
        problems=("no-integration",),
        integration=None,
        check=lambda t: _has(t, "no-integration", "45762", "'flex'"),
    ),
    # -- §1.4 steps 1 and 2 ------------------------------------------------------------
    Row(
        "§1.4 step 1 INFERRED",
        "a number the account does not have",
        HEALTHY,
        "none",
        problems=("not-delivered",),
        inbound=Inbound(sender=CUSTOMER, to="+15550009999"),
        check=lambda t: t.phone_number_sid is None and t.integration is None,
    ),
    Row(
        "§1.4 step 1",
        "loosely written numbers are normalised",
        with_conversation(HEALTHY),
        "appended",
        reaches_once=True,
        inbound=Inbound(sender="+1 (555) 999-0000", to="+1 555.000.1111"),
        check=lambda t: t.phone_number_sid == PN,
    ),
    Row(
        "§1.4 step 2; SPEC-2010 L19082",
        "a TwiML app replaces the number's sms_url",
        with_app(with_number(HEALTHY, sms_url="https://ignored.example.com/")),
        "created",
        problems=("handler-in-parallel",),
        handlers=("twiml-app",),
        check=lambda t: (
            t.handlers[0].url == "https://app.example.com/sms"
            and t.handlers[0].sid == APP
            and _has(t, "handler-in-parallel", APP, "sms_application_sid")
        ),
    ),
    Row(
        "§1.4 step 2 ('empty URL: H = none')",
        "a TwiML app with a blank sms_url handles nothing",
        with_app(HEALTHY, sms_url=""),
        "created",
        reaches_once=True,
    ),
    Row(
        "§1.4 step 2",
        "a TwiML app the snapshot does not hold is assumed to handle messages",
        replace(with_app(HEALTHY), applications=()),
        "created",
        problems=("handler-in-parallel",),
        handlers=("twiml-app",),
        check=lambda t: t.handlers[0].url is None and t.handlers[0].sid == APP,
    ),
    Row(
        "FLEX-SMS (doc) 'default handler will respond with a default message'",
        "a new number's demo sms_url next to the address",
        with_number(HEALTHY, sms_url=DEMO_URL),
        "created",
        problems=("handler-in-parallel",),
        handlers=("number-sms-url",),
        check=lambda t: _has(t, "handler-in-parallel", DEMO_URL, 'set sms_url to ""'),
    ),
    Row(
        "§4 FLEX-FAQ (troubleshooting step 3)",
        "the capturing conversation has no studio or webhook scoped webhook",
        with_conversation(HEALTHY, webhooks=()),
        "appended",
        problems=("no-integration",),
        integration=None,
        check=lambda t: _has(t, "no-integration", CH, "close"),
    ),
    Row(
        "R1 IAC; §5 Q20",
        "the capturing conversation's Studio flow is a draft",
        with_flow(with_conversation(HEALTHY), status="draft"),
        "appended",
        problems=("flow-not-published",),
        check=lambda t: t.integration.retry_count is None,
    ),
    Row(
        "R1 IAC; FLEX-BP",
        "the capturing conversation is in a non-Flex service",
        with_conversation(HEALTHY, service=IS_OTHER),
        "appended",
        problems=("not-flex-service",),
        service=IS_OTHER,
        check=lambda t: _has(t, "not-flex-service", CH),
    ),
    Row(
        "R1 IAC; CONV-WH",
        "the capturing conversation's webhook integration",
        with_conversation(
            HEALTHY,
            webhooks=(
                ScopedWebhook(sid=sid("WH", 2), target="trigger", url="https://t.example.com"),
                ScopedWebhook(sid=sid("WH", 3), target="webhook", url="https://w.example.com"),
            ),
        ),
        "appended",
        reaches_once=True,
        integration="webhook",
        check=lambda t: t.integration.url == "https://w.example.com",
    ),
    Row(
        "§1.4 step 3 (audit: a first message from a new sender)",
        "no sender: no conversation captures, whatever binds others",
        with_conversation(HEALTHY),
        "created",
        reaches_once=True,
        inbound=Inbound(to=NUMBER),
    ),
]


@pytest.mark.parametrize("row", [pytest.param(r, id=f"{r.source} | {r.what}") for r in ROWS])
def test_route(row: Row) -> None:
    trace = row.run()
    assert trace.conversation.outcome == row.outcome
    assert Counter(trace.problem_codes) == Counter(row.problems), [
        p.message for p in trace.problems
    ]
    assert tuple(h.kind for h in trace.handlers) == row.handlers
    assert trace.reaches_flex_once is row.reaches_once
    if row.service is not UNSET:
        assert trace.conversation.conversation_service_sid == row.service
    if row.integration is not UNSET:
        assert (trace.integration.kind if trace.integration else None) == row.integration
    if row.check is not None:
        assert row.check(trace) is not False


def test_every_problem_code_is_produced_by_a_row() -> None:
    produced = {code for row in ROWS for code in row.problems}
    assert produced == set(PROBLEM_CODES)


def test_every_row_names_a_source() -> None:
    keys = ("R", "C", "§", "FLEX", "IAC", "SPEC", "ERR")
    for row in ROWS:
        assert row.source.startswith(keys), row.source


@pytest.mark.parametrize("row", [pytest.param(r, id=f"{r.source} | {r.what}") for r in ROWS])
def test_a_trace_that_misses_flex_says_why(row: Row) -> None:
    """The exit-code contract: not reaching Flex exactly once always comes with a problem."""
    trace = row.run()
    if not trace.reaches_flex_once:
        assert trace.problems
    assert trace.ok == (trace.reaches_flex_once and not trace.problems)


@pytest.mark.parametrize("row", [pytest.param(r, id=f"{r.source} | {r.what}") for r in ROWS])
def test_json_shape(row: Row) -> None:
    data = json.loads(json.dumps(row.run().to_dict()))
    assert {"conversation", "integration", "handlers", "deliveries", "problems"} <= set(data)
    assert data["deliveries"] == []
    assert data["conversation"]["outcome"] == row.outcome
    assert {"outcome", "sid", "conversation_service_sid"} <= set(data["conversation"])
    assert [p["code"] for p in data["problems"]] == list(row.run().problem_codes)
    for problem in data["problems"]:
        assert problem["severity"] in ("error", "warning")
        assert "\nFix: " in problem["message"]
    for handler in data["handlers"]:
        assert handler["kind"] in HANDLER_KINDS and (handler["url"] or handler["sid"])


def test_json_masks_credentials_in_urls() -> None:
    secret = "https://user:hunter2@hooks.example.com/sms"
    snapshot = with_auto(
        with_number(HEALTHY, sms_url=secret, sms_fallback_url=secret),
        type="webhook",
        studio_flow_sid=None,
        webhook_url=secret,
    )
    trace = route(snapshot, Inbound(sender=CUSTOMER, to=NUMBER))
    text = json.dumps(trace.to_dict())
    assert "hunter2" not in text
    assert "***:***@hooks.example.com" in text
    # The trace itself keeps the real URL: the emulator delivers to it.
    assert trace.handlers[0].url == secret


def test_unknown_number_webhook_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="number_webhook_mode: 'both' is not one of parallel"):
        route(HEALTHY, Inbound(to=NUMBER), number_webhook_mode="both")  # type: ignore[arg-type]


def test_route_every_number_routes_a_new_sender_to_each_number() -> None:
    second = IncomingNumber(sid=sid("PN", 2), phone_number="+15550002222", sms_url=DEMO_URL)
    snapshot = with_conversation(replace(HEALTHY, numbers=(*HEALTHY.numbers, second)))
    traces = route_every_number(snapshot)
    assert [t.phone_number_sid for t in traces] == [PN, sid("PN", 2)]
    assert [t.inbound.sender for t in traces] == [None, None]
    assert traces[0].conversation.outcome == "created"  # the bound conversation is not used
    assert traces[1].problem_codes == ("no-conversation",)


def test_account_problems() -> None:
    assert account_problems(HEALTHY) == ()
    orphan = replace(
        HEALTHY,
        numbers=(),
        conversations_defaults=ConversationsDefaults(default_chat_service_sid=IS_OTHER),
    )
    problems = account_problems(orphan)
    assert [(p.code, p.subject) for p in problems] == [
        ("not-flex-service", IS_OTHER),
        ("not-delivered", IG),
    ]
    assert IS_FLEX in problems[0].message and NUMBER in problems[1].message
    unknown_flex = replace(orphan, flex_configuration=FlexConfiguration())
    assert [p.code for p in account_problems(unknown_flex)] == ["not-delivered"]


def test_parallel_is_the_default_number_webhook_mode() -> None:
    snapshot = with_number(HEALTHY, sms_url="https://hooks.example.com/sms")
    trace = route(snapshot, FIRST_MESSAGE)
    assert trace.number_webhook_mode == "parallel"
    assert [h.kind for h in trace.handlers] == ["number-sms-url"]
