"""Where an inbound SMS goes on a Twilio account, and why it misses Flex: a pure function.

:func:`route` takes an :class:`~.snapshot.AccountSnapshot` and an
:class:`Inbound` and returns a :class:`Trace`: the conversation (created,
appended, none) and its service, the integration attached (Studio flow or
webhook), the other handlers that fire, in order, the paths by which the
message reaches Flex, and the problems. It creates no SIDs and changes
nothing: the emulator applies the trace (new conversation SIDs, participants,
messages, Studio executions, real HTTP deliveries into ``deliveries``).

The decision procedure (the routing notes' §1.4; rule numbers R1-R10 and
contradictions C1-C7 are the notes'):

1. ``to`` is looked up among the account's numbers (loose formatting allowed).
   None: ``not-delivered``, and nothing else happens.
2. The Programmable-Messaging handler H (R6): for a number in a Messaging
   Service, the service's mode decides: *defer* -> the number's handler;
   *webhook* -> the service's ``inbound_request_url``; *autocreate* and
   *drop* -> none. Otherwise the number's handler: its TwiML app's
   ``sms_url`` when ``sms_application_sid`` is set (the app replaces the
   number's URLs), else its ``sms_url``. A blank URL is no handler.
3. Pair capture (R1, R2): a conversation in any service, not ``closed``, with
   a participant binding (from, to) takes the message (``appended``); an
   ``inactive`` one is reactivated. Its scoped webhook is the integration.
4. Else the address configuration for ``to``, if autocreation is enabled,
   creates a conversation (``created``) in its ``conversation_service_sid``,
   else the account's default service (R4), with the integration of its type
   (R5): ``studio`` (flow, retry count), ``webhook`` (url, method, filters),
   ``default`` (none).
5. Else a Messaging Service in *autocreate* mode creates one in the default
   service with no integration (R3, R4, R5).
6. H fires in parallel (C1), unless ``number_webhook_mode="exclusive"`` and
   step 3, 4 or 5 took the message.
7. An enabled ``sms`` Flex Flow for ``to`` runs the legacy path when H fires
   and is the Flex Proxy Service's webhook (R8); otherwise it is inert.

The defaults taken where Twilio's documents disagree or are silent (§5):

* C1 / Q1: H fires **in parallel** by default; ``exclusive`` is the switch.
  Either way, an H next to a conversation is ``handler-in-parallel``.
* C2 / Q2: address autocreation and service autocreate both on: one
  conversation; the **address wins** (service and integration).
* C4 / Q3: a disabled address adds nothing; a service's autocreate still
  applies (default service, no integration).
* C3 / Q4: an address on a number whose service sends a webhook or defers:
  autocreate per the address **and** fire the service's webhook or the
  number's handler.
* C6 / Q5: "drop" (no ``inbound_request_url``, not deferring, not a declared
  autocreate): call nothing, autocreate nothing, still let a conversation that
  binds the pair capture the message (``capture_when_dropped=False`` drops
  that too, as the spec's "not logged and received" reads).
* Q6: ``inactive`` binds the pair and is reactivated; Q7: ``closed`` frees it,
  so the next message autocreates a new conversation (never appends).
* Q8: a created conversation copies the account's default timers.
* Q9: ``studio_retry_count`` omitted means 3. Q11: a Studio integration hears
  ``onMessageAdded``. Q19: ``webhook_filters`` omitted means
  ``["onMessageAdded"]``; filters without it never tell the webhook about a
  message (``no-integration``).
* Q13: a created conversation's ``messaging_service_sid`` is the number's
  service, else the account's default Messaging Service.
* C5 / Q16: a legacy Flex Flow is inert unless H is the Flex Proxy webhook,
  but it is a ``legacy-flex-flow`` finding either way; of several flows on
  one identity only enabled ``sms`` ones count (R9).
* Q17: Twilio's 45760-45765 are findings, never inbound failures: no
  autocreation data -> ``autocreation-disabled`` (45760), disabled (45761),
  unknown type (45762) and webhook without URL (45764) -> ``no-integration``,
  studio without flow (45763) -> ``flow-missing``.
* Q20: a ``draft`` flow runs no execution: ``flow-not-published``.
* A Messaging Service's Console mode is unknown unless declared; the API
  fields are then taken at face value (``use_inbound_webhook_on_number`` ->
  defer, an ``inbound_request_url`` -> webhook, neither -> drop) and the
  ``messaging-service-overrides`` message says to confirm it in the Console.
* C7: "Handle Inbound Messages with Conversations" is account-level and not in
  the API; a declared *autocreate* mode implies it is unlocked (the Console
  offers Autocreate only then).
* Not modelled: Group MMS (R10; the key there is the number group, not a
  pair), the 60-second Console propagation (Q18: changes apply at once), and
  what happens on the wire (Q10, Q12, Q14, Q15: the emulator's part).

A message reaches Flex by the *conversation* path when a conversation takes it
in an existing service that is Flex's (when the Flex configuration is known)
and its integration reaches Flex: a published Studio flow whose Incoming
Conversation trigger leads to Send to Flex, or a webhook that hears
``onMessageAdded`` (Flex's documented alternative: the endpoint creates the
task). It reaches Flex by the *legacy* path when step 7 runs.
:attr:`Trace.reaches_flex_once` is what ``flex-sms simulate-inbound`` exits 0
on, together with an empty problem list (:attr:`Trace.ok`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from ..urls import mask_credentials
from . import problems as p
from .problems import Problem
from .snapshot import (
    AccountSnapshot,
    AddressConfiguration,
    Conversation,
    IncomingNumber,
    MessagingService,
    StudioFlow,
    TwimlApplication,
    is_flex_proxy_webhook,
    normalize_address,
)
from .vocabulary import (
    NUMBER_WEBHOOK_MODES,
    Creator,
    FlexPath,
    HandlerKind,
    IntegrationKind,
    NumberWebhookMode,
    Outcome,
    ProblemCode,
    ServiceMode,
)

__all__ = [
    "DEFAULT_STUDIO_RETRY_COUNT",
    "DEFAULT_WEBHOOK_FILTERS",
    "ConversationRoute",
    "Handler",
    "Inbound",
    "Integration",
    "ServiceRoute",
    "Trace",
    "account_problems",
    "route",
    "route_every_number",
]

#: §5 Q9: the Flex Flow analogue's documented default.
DEFAULT_STUDIO_RETRY_COUNT = 3
#: §5 Q19 (omitted webhook filters) and Q11 (what a Studio integration hears).
DEFAULT_WEBHOOK_FILTERS: tuple[str, ...] = ("onMessageAdded",)
_MESSAGE_EVENT = "onMessageAdded"


def _mask(url: str | None) -> str | None:
    return mask_credentials(url) if url else url


@dataclass(frozen=True, kw_only=True)
class Inbound:
    """One inbound SMS."""

    to: str
    """The Twilio number it is sent to (E.164; loose formatting is normalised)."""
    sender: str | None = None
    """The customer's number (``From``). None: a first message from a new sender,
    which no conversation binds (what the audit routes for every number)."""
    body: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.sender, "to": self.to, "body": self.body}


@dataclass(frozen=True, kw_only=True)
class ServiceRoute:
    """The Messaging Service whose sender pool holds the number, and its mode."""

    sid: str
    mode: ServiceMode
    mode_declared: bool
    """False when the mode was read from the API fields (the Console mode is unknown)."""

    def to_dict(self) -> dict[str, Any]:
        return {"sid": self.sid, "mode": self.mode, "mode_declared": self.mode_declared}


@dataclass(frozen=True, kw_only=True)
class ConversationRoute:
    """Which conversation the message lands in."""

    outcome: Outcome
    sid: str | None = None
    """The existing conversation's SID (``appended``); None otherwise (the emulator assigns one)."""
    conversation_service_sid: str | None = None
    """The Conversations service (IS...) it is in or is created in; None when unknown."""
    messaging_service_sid: str | None = None
    reactivated: bool = False
    """True when an ``inactive`` conversation becomes ``active`` (§5 Q6)."""
    created_by: Creator | None = None
    address_configuration_sid: str | None = None
    """The address configuration that created it (``created_by="address-configuration"``)."""
    inactive_timer: str | None = None
    """ISO 8601 duration copied from the account defaults at creation (§5 Q8)."""
    closed_timer: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "sid": self.sid,
            "conversation_service_sid": self.conversation_service_sid,
            "messaging_service_sid": self.messaging_service_sid,
            "reactivated": self.reactivated,
            "created_by": self.created_by,
            "address_configuration_sid": self.address_configuration_sid,
            "timers": {"inactive": self.inactive_timer, "closed": self.closed_timer},
        }


class _Timers(TypedDict):
    """A created conversation's timers, copied from the account defaults."""

    inactive_timer: str | None
    closed_timer: str | None


@dataclass(frozen=True, kw_only=True)
class Integration:
    """What the conversation hands its messages to."""

    kind: IntegrationKind
    flow_sid: str | None = None
    """Studio: the flow (FW...)."""
    retry_count: int | None = None
    """Studio: retries of the hand-off; None when unknown (a conversation's scoped webhook)."""
    url: str | None = None
    """Webhook: where events go."""
    method: str | None = None
    filters: tuple[str, ...] = ()
    """The events delivered (post-event names)."""
    runs: bool = True
    """Studio: the flow exists and is published, so an execution starts. Webhook: it has a URL."""
    reaches_flex: bool = False
    """Whether this integration hands the message to Flex."""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind}
        if self.kind == "studio":
            data.update(flow_sid=self.flow_sid, retry_count=self.retry_count)
        else:
            data.update(url=_mask(self.url), method=self.method)
        data.update(filters=list(self.filters), runs=self.runs, reaches_flex=self.reaches_flex)
        return data


@dataclass(frozen=True, kw_only=True)
class Handler:
    """Something besides the integration that handles the message."""

    kind: HandlerKind
    sid: str | None = None
    """The resource it belongs to: PN (number), AP (TwiML app), MG (service), FO (Flex Flow)."""
    url: str | None = None
    """Where Twilio sends the request; None for a Flex Flow or an app the snapshot lacks."""
    method: str | None = None
    fallback_url: str | None = None
    fallback_method: str | None = None
    reaches_flex_proxy: bool = False
    """True when ``url`` is the legacy Flex Proxy Service's webhook (R8)."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "sid": self.sid,
            "url": _mask(self.url),
            "method": self.method,
            "fallback_url": _mask(self.fallback_url),
            "fallback_method": self.fallback_method,
            "reaches_flex_proxy": self.reaches_flex_proxy,
        }


@dataclass(frozen=True, kw_only=True)
class Trace:
    """Where one inbound SMS goes, and what is wrong with that."""

    inbound: Inbound
    number_webhook_mode: NumberWebhookMode
    account_sid: str | None = None
    phone_number_sid: str | None = None
    """The ``to`` number's PN SID; None when the account does not have it."""
    messaging_service: ServiceRoute | None = None
    conversation: ConversationRoute = field(
        default_factory=lambda: ConversationRoute(outcome="none")
    )
    integration: Integration | None = None
    handlers: tuple[Handler, ...] = ()
    """What else fires, in order: the number's handler (its URL or TwiML app) or the
    Messaging Service's webhook, then a legacy Flex Flow."""
    flex_paths: tuple[FlexPath, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def reaches_flex(self) -> bool:
        return bool(self.flex_paths)

    @property
    def reaches_flex_once(self) -> bool:
        """Exactly one path reaches Flex and nothing outside it handles the message."""
        if len(self.flex_paths) != 1:
            return False
        if self.flex_paths[0] == "legacy-flex-flow":
            return all(h.kind == "legacy-flex-flow" or h.reaches_flex_proxy for h in self.handlers)
        return not self.handlers

    @property
    def ok(self) -> bool:
        """Reaches Flex once and has no problem: ``flex-sms simulate-inbound`` exits 0."""
        return self.reaches_flex_once and not self.problems

    @property
    def problem_codes(self) -> tuple[ProblemCode, ...]:
        return tuple(problem.code for problem in self.problems)

    def route_to_dict(self) -> dict[str, Any]:
        """The route's JSON keys that ``simulate-inbound --json`` and ``flex-sms audit`` share."""
        return {
            "messaging_service": self.messaging_service.to_dict()
            if self.messaging_service
            else None,
            "conversation": self.conversation.to_dict(),
            "integration": self.integration.to_dict() if self.integration else None,
            "handlers": [h.to_dict() for h in self.handlers],
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``flex-sms simulate-inbound --json`` object (``deliveries`` empty here)."""
        return {
            **self.inbound.to_dict(),
            "account_sid": self.account_sid,
            "phone_number_sid": self.phone_number_sid,
            "number_webhook_mode": self.number_webhook_mode,
            **self.route_to_dict(),
            "deliveries": [],
            "flex_paths": list(self.flex_paths),
            "reaches_flex_once": self.reaches_flex_once,
            "ok": self.ok,
            "problems": [problem.to_dict() for problem in self.problems],
        }


# -- the procedure -----------------------------------------------------------------


def _sms_url_handler(kind: HandlerKind, owner: IncomingNumber | TwimlApplication) -> Handler | None:
    """The handler the SMS URLs of a number or of its TwiML app make; None when blank."""
    if not owner.sms_url:
        return None
    return Handler(
        kind=kind,
        sid=owner.sid,
        url=owner.sms_url,
        method=owner.sms_method,
        fallback_url=owner.sms_fallback_url or None,
        fallback_method=owner.sms_fallback_method if owner.sms_fallback_url else None,
        reaches_flex_proxy=is_flex_proxy_webhook(owner.sms_url),
    )


def _number_handler(snapshot: AccountSnapshot, number: IncomingNumber) -> Handler | None:
    if number.sms_application_sid:
        app = snapshot.application(number.sms_application_sid)
        if app is None:  # unknown app: assume it handles messages, URL unknown
            return Handler(kind="twiml-app", sid=number.sms_application_sid)
        return _sms_url_handler("twiml-app", app)
    return _sms_url_handler("number-sms-url", number)


def _programmable_handler(
    snapshot: AccountSnapshot, number: IncomingNumber, service: MessagingService | None
) -> Handler | None:
    """H of §1.4 step 2."""
    if service is not None and service.mode != "defer":
        if service.mode != "webhook" or not service.inbound_request_url:
            return None
        return Handler(
            kind="messaging-service-webhook",
            sid=service.sid,
            url=service.inbound_request_url,
            method=service.inbound_method,
            fallback_url=service.fallback_url,
            fallback_method=service.fallback_method if service.fallback_url else None,
            reaches_flex_proxy=is_flex_proxy_webhook(service.inbound_request_url),
        )
    return _number_handler(snapshot, number)


@dataclass
class _Router:
    """One run of the procedure; collects problems in the order the route meets them."""

    snapshot: AccountSnapshot
    to: str
    problems: list[Problem] = field(default_factory=list)

    # -- services ---------------------------------------------------------------

    def service_ok(
        self,
        service_sid: str | None,
        *,
        address: AddressConfiguration | None = None,
        conversation: Conversation | None = None,
    ) -> bool:
        """Check the service a conversation is (to be) in; False when that misses Flex."""
        snapshot = self.snapshot
        if conversation is None:
            if service_sid is None:
                if snapshot.conversations_defaults is None:
                    return True  # unknown default: nothing to say
                self.problems.append(
                    p.service_missing(self.to, None, address=address.sid if address else None)
                )
                return False
            known = snapshot.conversation_services
            if known is not None and service_sid not in known:
                self.problems.append(
                    p.service_missing(
                        self.to, service_sid, address=address.sid if address else None
                    )
                )
                return False
        flex = snapshot.flex_configuration
        flex_sid = flex.chat_service_instance_sid if flex else None
        if flex_sid and service_sid and service_sid != flex_sid:
            explicit = (
                address is not None
                and address.auto_creation is not None
                and (address.auto_creation.conversation_service_sid is not None)
            )
            self.problems.append(
                p.not_flex_service(
                    self.to,
                    service_sid,
                    flex_sid,
                    address=address.sid if explicit and address else None,
                    conversation=conversation.sid if conversation else None,
                )
            )
            return False
        return True

    # -- integrations -----------------------------------------------------------

    def studio(
        self,
        flow_sid: str | None,
        retry_count: int | None,
        *,
        address: str | None = None,
        conversation: str | None = None,
    ) -> Integration:
        flow: StudioFlow | None = self.snapshot.studio_flow(flow_sid) if flow_sid else None
        if flow is None:
            self.problems.append(
                p.flow_missing(self.to, flow_sid, address=address, conversation=conversation)
            )
            runs = reaches = False
        else:
            runs = flow.status == "published"
            if not runs:
                self.problems.append(
                    p.flow_not_published(
                        self.to, flow.sid, address=address, conversation=conversation
                    )
                )
            if not flow.reach.reaches_flex:
                self.problems.append(
                    p.flow_without_send_to_flex(
                        self.to,
                        flow.sid,
                        flow.reach.reason,
                        address=address,
                        conversation=conversation,
                    )
                )
            reaches = runs and flow.reach.reaches_flex
        return Integration(
            kind="studio",
            flow_sid=flow_sid,
            retry_count=retry_count,
            filters=DEFAULT_WEBHOOK_FILTERS,
            runs=runs,
            reaches_flex=reaches,
        )

    def webhook(
        self,
        url: str | None,
        method: str | None,
        filters: tuple[str, ...],
        *,
        address: str,
    ) -> Integration | None:
        if not url:
            self.problems.append(p.no_integration_webhook_without_url(self.to, address))
            return None
        hears_messages = _MESSAGE_EVENT in filters
        if not hears_messages:
            self.problems.append(p.no_integration_webhook_filters(self.to, address, filters))
        return Integration(
            kind="webhook",
            url=url,
            method=method or "POST",
            filters=filters,
            runs=True,
            reaches_flex=hears_messages,
        )

    def address_integration(self, address: AddressConfiguration) -> Integration | None:
        auto = address.auto_creation
        assert auto is not None
        if auto.type == "studio":
            retries = auto.studio_retry_count
            return self.studio(
                auto.studio_flow_sid,
                DEFAULT_STUDIO_RETRY_COUNT if retries is None else retries,
                address=address.sid,
            )
        if auto.type == "webhook":
            filters = (
                DEFAULT_WEBHOOK_FILTERS if auto.webhook_filters is None else auto.webhook_filters
            )
            return self.webhook(auto.webhook_url, auto.webhook_method, filters, address=address.sid)
        if auto.type == "default":
            self.problems.append(p.no_integration_default_type(self.to, address.sid))
        else:
            self.problems.append(p.no_integration_invalid_type(self.to, address.sid, auto.type))
        return None

    def conversation_integration(self, conversation: Conversation) -> Integration | None:
        hooks = conversation.webhooks
        studio = next((w for w in hooks if w.target == "studio"), None)
        if studio is not None:
            return self.studio(studio.flow_sid, None, conversation=conversation.sid)
        hook = next((w for w in hooks if w.target == "webhook" and w.url), None)
        if hook is not None:
            filters = hook.filters or DEFAULT_WEBHOOK_FILTERS
            return self.webhook(hook.url, hook.method, filters, address=conversation.sid)
        self.problems.append(
            p.no_integration_conversation_without_webhook(self.to, conversation.sid)
        )
        return None


def route(
    snapshot: AccountSnapshot,
    inbound: Inbound,
    *,
    number_webhook_mode: NumberWebhookMode = "parallel",
    capture_when_dropped: bool = True,
) -> Trace:
    """Route one inbound SMS through the account; see the module docstring for the rules.

    ``number_webhook_mode``: ``parallel`` (default) fires the number's or
    service's handler next to a conversation; ``exclusive`` only when no
    conversation takes the message. ``capture_when_dropped``: whether a
    conversation binding the pair still captures a message that a Messaging
    Service in "drop" mode drops (§5 Q5; default yes).
    Raises ``ValueError`` for an unknown ``number_webhook_mode``.
    """
    if number_webhook_mode not in NUMBER_WEBHOOK_MODES:
        raise ValueError(
            f"number_webhook_mode: {number_webhook_mode!r} is not one of "
            f"{', '.join(NUMBER_WEBHOOK_MODES)}"
        )
    to = normalize_address(inbound.to)
    sender = normalize_address(inbound.sender) if inbound.sender else None
    base = Trace(
        inbound=inbound, number_webhook_mode=number_webhook_mode, account_sid=snapshot.account_sid
    )
    number = snapshot.number(to)
    if number is None:
        return replace(base, problems=(p.not_delivered(to),))

    router = _Router(snapshot, to)
    service = snapshot.messaging_service_of(number)
    handler = _programmable_handler(snapshot, number, service)
    service_route = None
    if service is not None:
        service_route = ServiceRoute(
            sid=service.sid, mode=service.mode, mode_declared=service.mode_declared
        )
        if not (service.mode == "autocreate" and service.mode_declared):
            router.problems.append(
                p.messaging_service_overrides(
                    to,
                    service.sid,
                    service.mode,
                    declared=service.mode_declared,
                    webhook=service.inbound_request_url,
                )
            )
    dropped = service is not None and service.mode == "drop"
    defaults = snapshot.conversations_defaults

    conversation = ConversationRoute(outcome="none")
    integration: Integration | None = None
    # Held back until step 7: a legacy Flex Flow may still take the message to Flex.
    unclaimed: Problem | None = None
    path_ok = False
    bound = None
    if sender is not None and (capture_when_dropped or not dropped):
        bound = snapshot.bound_conversation(sender, to)
    if bound is not None:  # step 3: the pair is captured
        conversation = ConversationRoute(
            outcome="appended",
            sid=bound.sid,
            conversation_service_sid=bound.chat_service_sid,
            messaging_service_sid=bound.messaging_service_sid,
            reactivated=bound.state == "inactive",
        )
        service_ok = router.service_ok(bound.chat_service_sid, conversation=bound)
        integration = router.conversation_integration(bound)
        path_ok = service_ok
    elif dropped:
        assert service is not None
        router.problems.append(
            p.no_conversation(
                to,
                reason=f"Messaging Service {service.sid} drops inbound messages to it, "
                "autocreation included",
            )
        )
    else:
        address = snapshot.address_for(to)
        service_autocreates = service is not None and service.mode == "autocreate"
        timers: _Timers = {
            "inactive_timer": defaults.default_inactive_timer if defaults else None,
            "closed_timer": defaults.default_closed_timer if defaults else None,
        }
        messaging_service_sid = service.sid if service else None
        if messaging_service_sid is None and defaults is not None:
            messaging_service_sid = defaults.default_messaging_service_sid
        default_service = defaults.default_chat_service_sid if defaults else None
        if address is not None and address.autocreates:  # step 4
            assert address.auto_creation is not None
            target = address.auto_creation.conversation_service_sid or default_service
            conversation = ConversationRoute(
                outcome="created",
                conversation_service_sid=target,
                messaging_service_sid=messaging_service_sid,
                created_by="address-configuration",
                address_configuration_sid=address.sid,
                **timers,
            )
            service_ok = router.service_ok(target, address=address)
            integration = router.address_integration(address)
            path_ok = service_ok
        elif service_autocreates:  # step 5
            assert service is not None
            if address is not None:
                router.problems.append(
                    p.autocreation_disabled(
                        to,
                        address.sid,
                        missing=address.auto_creation is None,
                        instead=f"Messaging Service {service.sid} autocreates the conversation "
                        "instead, in the default service with no integration",
                    )
                )
            conversation = ConversationRoute(
                outcome="created",
                conversation_service_sid=default_service,
                messaging_service_sid=messaging_service_sid,
                created_by="messaging-service",
                **timers,
            )
            router.service_ok(default_service)
            router.problems.append(p.no_integration_service_autocreate(to, service.sid))
        elif address is not None:
            router.problems.append(
                p.autocreation_disabled(to, address.sid, missing=address.auto_creation is None)
            )
        else:
            unclaimed = p.no_conversation(to)

    # Step 6: the handler.
    took = conversation.outcome != "none"
    fires = handler is not None and (number_webhook_mode == "parallel" or not took)
    if handler is not None and took:
        label = handler.url if handler.kind != "twiml-app" else handler.sid
        router.problems.append(
            p.handler_in_parallel(
                to,
                handler.kind,
                label,
                service=handler.sid if handler.kind == "messaging-service-webhook" else None,
                mode=number_webhook_mode,
            )
        )
    handlers: list[Handler] = [handler] if fires and handler is not None else []

    # Step 7: legacy Flex Flows (R8, R9).
    legacy = [f for f in snapshot.flex_flows_for(to) if f.enabled and f.channel_type == "sms"]
    legacy_runs = bool(legacy) and fires and handler is not None and handler.reaches_flex_proxy
    for index, flow in enumerate(legacy):
        router.problems.append(p.legacy_flex_flow(to, flow.sid, runs=legacy_runs and index == 0))
    if legacy_runs:
        handlers.append(Handler(kind="legacy-flex-flow", sid=legacy[0].sid))
    elif unclaimed is not None:
        router.problems.append(unclaimed)

    flex_paths: list[FlexPath] = []
    if took and path_ok and integration is not None and integration.reaches_flex:
        flex_paths.append("conversation")
    if legacy_runs:
        flex_paths.append("legacy-flex-flow")
    return replace(
        base,
        phone_number_sid=number.sid,
        messaging_service=service_route,
        conversation=conversation,
        integration=integration,
        handlers=tuple(handlers),
        flex_paths=tuple(flex_paths),
        problems=tuple(router.problems),
    )


def route_every_number(
    snapshot: AccountSnapshot, *, number_webhook_mode: NumberWebhookMode = "parallel"
) -> tuple[Trace, ...]:
    """The route of a first message from a new sender to each number, in snapshot order.

    What ``flex-sms audit`` reports per number: no conversation binds a new
    sender, so each trace shows what the number's own settings do.
    """
    return tuple(
        route(snapshot, Inbound(to=number.phone_number), number_webhook_mode=number_webhook_mode)
        for number in snapshot.numbers
    )


def account_problems(snapshot: AccountSnapshot) -> tuple[Problem, ...]:
    """Findings about the account rather than one number (the audit's account section).

    * the default Conversations service is not the Flex one (``not-flex-service``);
    * an ``sms`` address configuration for a number the account does not have
      (``not-delivered``).
    """
    found: list[Problem] = []
    defaults, flex = snapshot.conversations_defaults, snapshot.flex_configuration
    default_sid = defaults.default_chat_service_sid if defaults else None
    flex_sid = flex.chat_service_instance_sid if flex else None
    if default_sid and flex_sid and default_sid != flex_sid:
        found.append(p.default_service_not_flex(default_sid, flex_sid))
    for address in snapshot.addresses:
        if address.type == "sms" and snapshot.number(address.address) is None:
            found.append(p.address_without_number(address.sid, address.address))
    return tuple(found)
