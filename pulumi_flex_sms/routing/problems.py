"""Why an inbound SMS misses Flex: the problem codes, their severities and their messages.

The codes (:data:`~.vocabulary.PROBLEM_CODES`) are a public contract shared by
the routing model, ``flex-sms simulate-inbound``, ``flex-sms audit`` and the
policy pack. Each code has one severity (:data:`SEVERITY`): ``error`` when
the message misses Flex or reaches something it should not, ``warning`` when
the route works today but rests on a setting Flex advises against.

Every builder returns a :class:`Problem` whose message names the resource and
the fix. The builders take *labels*: a SID from the account (``IG...``,
``MG...``; a noun is added, "address configuration IG..."), or whatever a
caller knows instead, such as a Pulumi resource name ("FlexSmsAddress
'support'"), used as given. So the policy pack, which sees a stack rather than
an account, says the same thing as the audit. URLs are shown with any
credentials masked.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..urls import mask_credentials
from . import sources as src
from .vocabulary import HandlerKind, NumberWebhookMode, ProblemCode, ServiceMode, Severity

__all__ = [
    "SEVERITY",
    "Problem",
    "address_without_number",
    "autocreation_disabled",
    "default_service_not_flex",
    "delivery_failed",
    "flow_missing",
    "flow_not_published",
    "flow_without_send_to_flex",
    "handler_in_parallel",
    "legacy_flex_flow",
    "messaging_service_overrides",
    "no_conversation",
    "no_integration_conversation_without_webhook",
    "no_integration_default_type",
    "no_integration_invalid_type",
    "no_integration_service_autocreate",
    "no_integration_webhook_filters",
    "no_integration_webhook_without_url",
    "not_delivered",
    "not_flex_service",
    "service_missing",
]

SEVERITY: Mapping[ProblemCode, Severity] = {
    "handler-in-parallel": "error",
    "no-conversation": "error",
    "no-integration": "error",
    "autocreation-disabled": "error",
    "messaging-service-overrides": "warning",
    "not-flex-service": "error",
    "service-missing": "error",
    "flow-missing": "error",
    "flow-not-published": "error",
    "flow-without-send-to-flex": "error",
    "legacy-flex-flow": "warning",
    "not-delivered": "error",
}

_SID = re.compile(r"^[A-Z]{2}[0-9a-fA-F]{32}$")
_STUDIO_FIX = "autocreation type 'studio' with the Studio flow that sends to Flex"


@dataclass(frozen=True)
class Problem:
    """One reason an inbound SMS misses Flex (or reaches something else too)."""

    code: ProblemCode
    subject: str
    """The resource it is about, as the builder was given it (a SID, a number, a name)."""
    summary: str
    """What is wrong and what it does to the message."""
    fix: str
    """The change that removes the problem."""
    sources: tuple[str, ...] = ()
    """Public pages that say why (Twilio's documents)."""

    @property
    def severity(self) -> Severity:
        return SEVERITY[self.code]

    @property
    def message(self) -> str:
        """The summary and the fix, as people read it: ``<summary>\\nFix: <fix>``."""
        return f"{self.summary}\nFix: {self.fix}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form: ``{code, severity, subject, message, sources}``."""
        return {
            "code": self.code,
            "severity": self.severity,
            "subject": self.subject,
            "message": self.message,
            "sources": list(self.sources),
        }


#: SID prefix -> what the resource is called in messages.
_NOUNS: Mapping[str, str] = {
    "AP": "TwiML app",
    "CH": "conversation",
    "FO": "legacy Flex Flow",
    "FW": "Studio flow",
    "IG": "address configuration",
    "IS": "Conversations service",
    "MG": "Messaging Service",
    "PN": "number",
}


def _named(label: str, noun: str | None = None) -> str:
    """'address configuration IG...' for a SID; a caller's own label as given."""
    if not _SID.match(label):
        return label
    return f"{noun or _NOUNS.get(label[:2], 'resource')} {label}"


def _url(url: str | None) -> str:
    return str(mask_credentials(url)) if url else "(unknown URL)"


def _problem(code: ProblemCode, subject: str, summary: str, fix: str, *sources: str) -> Problem:
    return Problem(code, subject, summary, fix, tuple(sources))


# -- the number's own handler, and the Messaging Service ---------------------------


def handler_in_parallel(
    number: str,
    kind: HandlerKind,
    handler: str | None,
    *,
    service: str | None = None,
    resource: str | None = None,
    mode: NumberWebhookMode = "parallel",
) -> Problem:
    """A Programmable Messaging handler sits next to the conversation that takes the message.

    ``handler`` is the URL (``number-sms-url``, ``messaging-service-webhook``)
    or the TwiML app (``twiml-app``); ``service`` names the Messaging Service
    for ``messaging-service-webhook``; ``resource`` is where the caller holds
    the setting (e.g. "PhoneNumberMessagingConfig 'support'"), used in the fix.
    """
    if kind == "twiml-app":
        app = _named(handler or "an unknown app", "TwiML app")
        what = f"keeps {app} as its SMS handler (sms_application_sid)"
        fix = f'set sms_application_sid to "" on {resource or number}'
    elif kind == "messaging-service-webhook":
        owner = _named(service or "?", "Messaging Service")
        what = f"is in {owner}, whose inbound webhook ({_url(handler)}) takes its messages"
        fix = (
            f"remove {number} from {resource or owner} (Flex's set-up has no Messaging "
            "Service on the number), or set the service's Incoming Messages to "
            "'Autocreate a Conversation'"
        )
    else:
        what = f'keeps its own "A message comes in" webhook (sms_url = {_url(handler)})'
        fix = f'set sms_url to "" (blank) on {resource or number}'
    if mode == "parallel":
        effect = (
            "Twilio runs that handler in parallel with the conversation, so every inbound "
            "SMS also reaches it, and whatever it replies goes back to the customer."
        )
    else:
        effect = (
            "Twilio's documents disagree on whether it still fires then; this run assumed "
            "it does not (number-webhook mode 'exclusive'), but Flex asks for it to be "
            "blank either way."
        )
    summary = f"{number} {what}, and a conversation takes the same messages. {effect}"
    return _problem("handler-in-parallel", number, summary, fix, src.FLEX_SMS, src.IAC)


_MODE_EFFECT: Mapping[ServiceMode, str] = {
    "defer": "defers to the number's own webhook (use_inbound_webhook_on_number is on)",
    "webhook": "sends every inbound message to its own webhook",
    "drop": (
        "drops inbound messages (inbound_request_url is empty, which Twilio documents as "
        "'receiving inbound messages is disabled'): only a conversation that already binds "
        "the sender still gets them, and no conversation is autocreated"
    ),
    "autocreate": "autocreates a conversation",
}


def messaging_service_overrides(
    number: str,
    service: str,
    mode: ServiceMode | None,
    *,
    declared: bool = False,
    webhook: str | None = None,
) -> Problem:
    """The number is in a Messaging Service, whose Incoming Messages setting governs it.

    ``mode`` is the setting as known (None: the caller cannot tell, as in a
    Pulumi stack); ``declared`` says it was stated rather than read from the
    API fields, which cannot show "Autocreate a Conversation".
    """
    owner = _named(service, "Messaging Service")
    summary = (
        f"{number} is in {owner}; the service's Incoming Messages setting, not the number, "
        "decides where its inbound SMS go, and Flex's set-up has no Messaging Service on "
        "the number."
    )
    if mode is not None:
        effect = _MODE_EFFECT[mode]
        if mode == "webhook":
            effect += f" ({_url(webhook)})"
        summary += f" The service {effect}" + ("." if declared else ", as far as the API shows.")
    if not declared:
        summary += (
            " The API cannot show the Console's Incoming Messages setting (it may be "
            "'Autocreate a Conversation'): confirm it in the Console."
        )
    fix = (
        f"remove {number} from {owner}; or, if it must stay, set the service's Incoming "
        "Messages to 'Autocreate a Conversation' with the Flex Conversations service as the "
        "account's default"
    )
    return _problem(
        "messaging-service-overrides",
        service,
        summary,
        fix,
        src.FLEX_SMS,
        src.FLEX_MS,
        src.SPEC_MSG,
    )


# -- conversations -----------------------------------------------------------------


def no_conversation(number: str, *, reason: str | None = None) -> Problem:
    """No conversation takes a message to ``number`` (nothing binds, nothing autocreates)."""
    why = reason or (
        "it has no Conversations address configuration and no Messaging Service "
        "autocreates conversations for it"
    )
    summary = (
        f"No conversation takes messages to {number}: {why}. No Flex task is created and "
        "no agent sees them."
    )
    fix = (
        f"add a Conversations address configuration for {number} with {_STUDIO_FIX} "
        "(FlexSmsAddress in this package)"
    )
    return _problem("no-conversation", number, summary, fix, src.IAC, src.FLEX_SMS)


def autocreation_disabled(
    number: str, address: str, *, missing: bool = False, instead: str | None = None
) -> Problem:
    """The number's address configuration does not autocreate (45761), or has no data (45760).

    ``instead`` says what takes a new sender's message after all (e.g. a
    Messaging Service's autocreate, §5 Q3).
    """
    label = _named(address, "address configuration")
    if missing:
        what = f"{label} for {number} has no autocreation data (Twilio error 45760)"
        code = 45760
    else:
        what = (
            f"Autocreation is disabled on {label} for {number} (Twilio error 45761: "
            "'conversations will not be auto-created on incoming messages')"
        )
        code = 45761
    then = instead or "a message from a new sender gets no conversation and reaches no agent"
    fix = f"enable autocreation on {label} with {_STUDIO_FIX}"
    return _problem(
        "autocreation-disabled",
        address,
        f"{what}, so {then}.",
        fix,
        src.error_page(code),
        src.IAC,
    )


def not_flex_service(
    number: str,
    service: str,
    flex_service: str,
    *,
    address: str | None = None,
    conversation: str | None = None,
) -> Problem:
    """The conversation lands in a Conversations service that is not Flex's.

    Give ``address`` when the address configuration names the service,
    ``conversation`` for an existing conversation; neither means the account's
    default service was used.
    """
    where = _named(service, "Conversations service")
    flex = _named(flex_service, "the Flex Conversations service")
    if conversation is not None:
        convo = _named(conversation, "conversation")
        what = f"{convo}, which holds messages to {number}, is in {where}"
        fix = f"close {convo} (state 'closed'); the next message then starts a new one"
        subject = conversation
    elif address is not None:
        label = _named(address, "address configuration")
        what = f"{label} ({number}) creates its conversations in {where}"
        fix = f"set conversation_service_sid on {label} to {flex_service}"
        subject = address
    else:
        what = (
            f"conversations for {number} are created in the default Conversations service, {where}"
        )
        fix = (
            f"make {flex_service} the account's default Conversations service, or name it "
            "in the address configuration's conversation_service_sid"
        )
        subject = number
    summary = (
        f"{what}, which is not {flex}: Flex's Send to Flex and Interactions work on Flex's "
        "own service, so these conversations may never become tasks."
    )
    return _problem("not-flex-service", subject, summary, fix, src.FLEX_BP, src.FLEX_MS)


def default_service_not_flex(default_service: str, flex_service: str) -> Problem:
    """Account-level: the default Conversations service is not the Flex one (FLEX-BP)."""
    where = _named(default_service, "Conversations service")
    summary = (
        f"The account's default Conversations service is {where}, not "
        f"{_named(flex_service, 'the Flex Conversations service')}: conversations "
        "autocreated without an explicit service (and every Messaging-Service autocreate) "
        "land outside Flex."
    )
    fix = f"make {flex_service} the default Conversations service (Conversations > Defaults)"
    return _problem("not-flex-service", default_service, summary, fix, src.FLEX_BP, src.FLEX_MS)


def service_missing(number: str, service: str | None, *, address: str | None = None) -> Problem:
    """The service a conversation would be created in does not exist (or none is set)."""
    label = _named(address, "address configuration") if address else None
    if service is None:
        what = (
            f"No Conversations service is set for conversations to {number}: "
            + (f"{label} names none and " if label else "")
            + "the account has no default Conversations service"
        )
        fix = (
            "set the Flex Conversations service as the account's default, or name it in "
            "the address configuration's conversation_service_sid"
        )
    else:
        where = _named(service, "Conversations service")
        what = f"{where}, where conversations for {number} would be created"
        what += f" ({label})" if label else ""
        what += ", does not exist"
        fix = (
            f"point {label or 'the address configuration'} at an existing service "
            "(the Flex Conversations service)"
        )
    summary = f"{what}, so no conversation can be created and the message reaches no agent."
    return _problem(
        "service-missing",
        service or address or number,
        summary,
        fix,
        src.ADDRESS_CONFIG,
        src.FLEX_BP,
    )


# -- integrations ------------------------------------------------------------------


def no_integration_default_type(number: str, address: str) -> Problem:
    """Autocreation type ``default``: a conversation with nothing attached (FACTS §5)."""
    label = _named(address, "address configuration")
    summary = (
        f"{label} ({number}) autocreates with type 'default': each conversation is created "
        "with no Studio flow or webhook attached, so no Flex task is created."
    )
    fix = f"set {_STUDIO_FIX} on {label} (or type 'webhook' with an endpoint that creates the task)"
    return _problem("no-integration", address, summary, fix, src.ADDRESS_CONFIG, src.FLEX_SMS)


def no_integration_invalid_type(number: str, address: str, type_: str) -> Problem:
    """An autocreation type Twilio does not know (45762)."""
    label = _named(address, "address configuration")
    summary = (
        f"{label} ({number}) has autocreation type {type_!r}, which is not webhook, studio "
        "or default (Twilio error 45762), so no integration is attached."
    )
    return _problem(
        "no-integration",
        address,
        summary,
        f"set {_STUDIO_FIX} on {label}",
        src.error_page(45762),
        src.ADDRESS_CONFIG,
    )


def no_integration_webhook_without_url(number: str, address: str) -> Problem:
    """Type ``webhook`` without a URL (45764)."""
    label = _named(address, "address configuration")
    summary = (
        f"{label} ({number}) has autocreation type 'webhook' but no webhook_url (Twilio "
        "error 45764), so its conversations notify nobody."
    )
    fix = (
        f"set webhook_url on {label} to the endpoint that creates the Flex task, "
        f"or use {_STUDIO_FIX}"
    )
    return _problem("no-integration", address, summary, fix, src.error_page(45764), src.FLEX_PRE)


def no_integration_webhook_filters(number: str, owner: str, filters: Sequence[str]) -> Problem:
    """A webhook integration whose filters leave out ``onMessageAdded``.

    ``owner`` is the address configuration (or conversation) that holds the webhook.
    """
    label = _named(owner)
    summary = (
        f"{label} ({number}) sends conversation events to a webhook filtered to "
        f"{', '.join(filters) or 'no events'}, without onMessageAdded, so the endpoint is "
        "never told about the customer's messages and cannot hand them to Flex."
    )
    fix = f"add onMessageAdded to the webhook filters of {label}"
    return _problem("no-integration", owner, summary, fix, src.FLEX_PRE, src.CONV_WH)


def no_integration_service_autocreate(number: str, service: str) -> Problem:
    """A Messaging Service autocreated the conversation: it attaches no integration (R5)."""
    owner = _named(service, "Messaging Service")
    summary = (
        f"{owner} autocreates the conversation for {number}, and a Messaging Service's "
        "autocreate attaches no Studio flow or webhook, so no Flex task is created."
    )
    fix = (
        f"add a Conversations address configuration for {number} with {_STUDIO_FIX}; it "
        "supplies the integration"
    )
    return _problem("no-integration", service, summary, fix, src.FLEX_A2P, src.IAC)


def no_integration_conversation_without_webhook(number: str, conversation: str) -> Problem:
    """The conversation that captures the message has no Studio or webhook scoped webhook."""
    convo = _named(conversation, "conversation")
    summary = (
        f"{convo} binds this sender to {number} and takes the message, but it has no "
        "Studio or webhook scoped webhook, so nothing hands the message to Flex (unless an "
        "agent is already in the conversation)."
    )
    fix = (
        f"close {convo} (state 'closed') so the next message autocreates a conversation "
        "with the address's integration"
    )
    return _problem("no-integration", conversation, summary, fix, src.FLEX_FAQ, src.IAC)


# -- Studio flows ------------------------------------------------------------------


def _flow_owner(number: str, address: str | None, conversation: str | None) -> str:
    if conversation:
        return f"{_named(conversation, 'conversation')} ({number})"
    if address:
        return f"{_named(address, 'address configuration')} ({number})"
    return number


def flow_missing(
    number: str,
    flow: str | None,
    *,
    address: str | None = None,
    conversation: str | None = None,
) -> Problem:
    """The Studio flow the integration names does not exist, or none is named (45763)."""
    owner = _flow_owner(number, address, conversation)
    if flow is None:
        summary = (
            f"{owner} has autocreation type 'studio' but no studio_flow_sid (Twilio error "
            "45763), so no flow runs for its conversations."
        )
        sources: tuple[str, ...] = (src.error_page(45763), src.FLEX_SMS)
    else:
        summary = (
            f"{owner} hands conversations to {_named(flow, 'Studio flow')}, which does not "
            "exist, so no flow runs and no Flex task is created."
        )
        sources = (src.FLEX_SMS, src.FLEX_FAQ)
    fix = f"set studio_flow_sid on {owner} to your published Flex Studio flow (FW...)"
    return Problem("flow-missing", flow or address or number, summary, fix, sources)


def flow_not_published(
    number: str, flow: str, *, address: str | None = None, conversation: str | None = None
) -> Problem:
    """The Studio flow exists only as a draft: no execution runs (§5 Q20)."""
    label = _named(flow, "Studio flow")
    summary = (
        f"{label}, which {_flow_owner(number, address, conversation)} hands conversations "
        "to, is a draft: only a published flow runs, so no Flex task is created."
    )
    fix = f"publish {label} (Studio: Publish)"
    return _problem("flow-not-published", flow, summary, fix, src.FLEX_PRE, src.STUDIO_CONV)


def flow_without_send_to_flex(
    number: str,
    flow: str,
    reason: str,
    *,
    address: str | None = None,
    conversation: str | None = None,
) -> Problem:
    """The flow's definition never reaches a Send to Flex widget from Incoming Conversation."""
    label = _named(flow, "Studio flow")
    summary = (
        f"{label}, which {_flow_owner(number, address, conversation)} hands conversations "
        f"to, does not send them to Flex: {reason}."
    )
    fix = (
        f"in {label}, connect the Trigger's Incoming Conversation transition to a path "
        "that ends in a Send to Flex widget, then publish"
    )
    return _problem(
        "flow-without-send-to-flex",
        flow,
        summary,
        fix,
        src.FLEX_MIG,
        src.SEND_FLEX,
        src.STUDIO_CONV,
    )


# -- legacy and delivery -----------------------------------------------------------


def legacy_flex_flow(number: str, flow: str, *, runs: bool | None) -> Problem:
    """An enabled legacy (Flex UI 1.x) SMS Flex Flow claims the number (R8, C5).

    ``runs`` None: the caller cannot see the number's handler (a Pulumi stack
    that does not manage the number), so the message says what it depends on.
    """
    label = _named(flow, "legacy Flex Flow")
    if runs is None:
        effect = (
            "it takes the number's messages through the legacy Programmable Chat path "
            "whenever the number's handler points at the Flex Proxy Service, which this "
            "check cannot see"
        )
    elif runs:
        effect = (
            "and the number's handler points at the Flex Proxy Service, so the legacy "
            "Programmable Chat path takes its messages"
        )
    else:
        effect = (
            "but the number's handler does not point at the Flex Proxy Service, so the flow "
            "is inert; it still claims the number and turns live if that handler changes"
        )
    summary = (
        f"{label} claims {number} ({effect}). Programmable Chat for Flex reaches end of "
        "life on 1 June 2026."
    )
    fix = (
        f"delete {label} (or disable it) and route {number} through a Conversations address "
        "configuration, as Flex's migration guide describes"
    )
    return _problem(
        "legacy-flex-flow", flow, summary, fix, src.FLEX_MIG, src.FLEX_LEG, src.FLEX_LEG_FLOWS
    )


def not_delivered(number: str, *, reason: str | None = None) -> Problem:
    """The message does not reach the account (``to`` is none of its numbers)."""
    why = reason or "it is not a phone number of this account"
    summary = f"A message to {number} is not delivered here: {why}."
    fix = f"send to a number the account owns, or buy or port {number} into it"
    return _problem("not-delivered", number, summary, fix, src.IAC)


def address_without_number(address: str, phone_number: str) -> Problem:
    """Account-level: an address configuration for a number the account no longer has."""
    label = _named(address, "address configuration")
    summary = (
        f"{label} is for {phone_number}, which is not a phone number of this account, so "
        "no message reaches it."
    )
    fix = f"delete {label}, or bring {phone_number} back into the account"
    return _problem("not-delivered", address, summary, fix, src.ADDRESS_CONFIG)


def delivery_failed(kind: str, url: str | None, detail: str) -> Problem:
    """A delivery the route makes failed (for the emulator, which makes real ones)."""
    summary = f"The {kind} delivery to {_url(url)} failed: {detail}."
    fix = f"make {_url(url)} answer with a 2xx within Twilio's timeouts, or set a fallback URL"
    return _problem("not-delivered", url or kind, summary, fix, src.error_page(11205))
