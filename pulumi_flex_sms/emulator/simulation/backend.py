"""An inbound SMS played through the emulator: routed by the routing model, applied to the state.

One model: :func:`pulumi_flex_sms.routing.route` decides where the message goes
(docs/routing.md); this backend only reads the account into its snapshot and
carries the trace out, in two steps:

1. :meth:`SimulationBackend.simulate_inbound_sms`, one store transaction:
   read the snapshot, route, and apply the trace as Twilio would. A created
   conversation is made in its service with the integration's scoped webhook
   attached first (so it hears the ``onParticipantAdded`` that follows, the
   notes' §5 Q10), then the SMS participant (messaging binding address =
   ``from``, proxy address = ``to``), then the message; an appended message
   joins the bound conversation, reactivating an ``inactive`` one (Q6); a
   Studio integration whose flow is published records an execution (Q20). The
   inbound message is logged as an ``SM`` record, as Programmable Messaging
   logs it (unless a Messaging Service drops it, Q5). The answer lists the
   webhook requests Twilio would make.
2. The handler sends them (:mod:`..deliveries`), outside any transaction;
   then :meth:`SimulationBackend.record_deliveries` logs each TwiML
   ``<Message>`` reply as an outbound ``SM`` record and adds a ``not-delivered``
   problem for each delivery that failed, fallback included.

A conversation the route would create in a service that does not exist
cannot be created (the trace's ``service-missing`` problem says why): the
applied trace shows no conversation.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ...routing import (
    NUMBER_WEBHOOK_MODES,
    AccountSnapshot,
    ConversationRoute,
    Inbound,
    Trace,
    problems,
    route,
)
from .. import params as p
from ..domain import Clock, DomainBackend, new_sid
from ..errors import BadRequest
from ..store import FLOW, NUMBER, SERVICE, SMS_MESSAGE, Store, Transaction
from ..studio.executions import conversation_trigger
from ..webhooks import DeliverTo, Delivery, ReplyMessage, WebhookRequest
from . import payloads
from .snapshot import read_snapshot

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["MAX_BODY", "Simulation", "SimulationBackend"]

#: Twilio's limit for a message body (``Body`` "up to 1600 characters").
MAX_BODY = 1600
_PUNCTUATION = str.maketrans("", "", " \t-.()")


@dataclass(frozen=True, kw_only=True)
class Simulation:
    """The first step's result: the trace as applied, and the deliveries still to make."""

    trace: Trace
    account_sid: str | None = None
    created: dict[str, str | None]
    """The SIDs this message made: ``sms_sid``, ``conversation_sid``, ``participant_sid``,
    ``message_sid``, ``webhook_sid``, ``execution_sid`` (None where nothing was made)."""
    requests: tuple[WebhookRequest, ...] = ()
    studio: Delivery | None = None
    """The Studio hand-off (an execution, or why there is none); no HTTP."""
    auth_token: str = ""
    deliver_to: DeliverTo = "loopback"


def _address(value: object, name: str) -> str:
    compact = value.translate(_PUNCTUATION) if isinstance(value, str) else value
    if not p.is_e164(compact):
        raise BadRequest(f"{name}: {p.shown(value)} is not an E.164 phone number", parameter=name)
    return compact


class SimulationBackend(DomainBackend):
    """Inbound SMS through the other domains' state (rows ``sms_message`` for the SMS log)."""

    def __init__(self, store: Store, clock: Clock, *, backend: Backend) -> None:
        super().__init__(store, clock)
        self._backend = backend

    # -- step 1: route and apply ---------------------------------------------------

    def simulate_inbound_sms(
        self, sender: object, to: object, body: object = "", number_webhook_mode: object = None
    ) -> Simulation:
        """Route one SMS and apply the route; the webhooks are left for the caller to send.

        The arguments come from a client's document as they are, so each is
        checked here (E.164 addresses, a text body, a known mode).
        """
        sender, to = _address(sender, "from"), _address(to, "to")
        if not isinstance(body, str):
            raise BadRequest(f"body: {p.shown(body)} is not text", parameter="body")
        p.text(body, "body", MAX_BODY)
        mode = "parallel" if number_webhook_mode is None else number_webhook_mode
        if mode not in NUMBER_WEBHOOK_MODES:
            raise BadRequest(
                f"number_webhook_mode: {p.shown(mode)} is not one of parallel, exclusive",
                parameter="number_webhook_mode",
            )
        inbound = Inbound(sender=sender, to=to, body=body)
        backend = self._backend
        with self.store.transaction() as tx:
            number = tx.find_any(NUMBER, to)
            if number is None:  # no account has it: nothing happens anywhere
                trace = route(AccountSnapshot(), inbound, number_webhook_mode=mode)
                return Simulation(trace=trace, created=_nothing())
            account = number["account_sid"]
            snapshot = read_snapshot(backend, tx, account, sender, to)
            trace = route(snapshot, inbound, number_webhook_mode=mode)
            deliver_to, timeouts = backend.accounts.delivery_settings(tx)
            return _Apply(self, tx, account, snapshot, trace, timeouts).run(
                auth_token=backend.accounts.auth_token(tx, account) or "",
                deliver_to=deliver_to,
            )

    # -- step 2: after the deliveries ------------------------------------------------

    def record_deliveries(
        self, simulation: Simulation, deliveries: list[Delivery]
    ) -> dict[str, Any]:
        """Log the TwiML replies, judge the deliveries; answer the report (the trace as JSON)."""
        trace = simulation.trace
        recorded: list[Delivery] = []
        failures = []
        with self.store.transaction() as tx:
            for delivery in deliveries:
                if delivery.replies and simulation.account_sid:
                    replies = tuple(
                        self._log_reply(tx, simulation, reply) for reply in delivery.replies
                    )
                    delivery = replace(delivery, replies=replies)
                recorded.append(delivery)
                if delivery.failed:
                    last = delivery.attempts[-1]
                    failures.append(
                        problems.delivery_failed(
                            delivery.kind + (f" {delivery.event}" if delivery.event else ""),
                            last.url,
                            last.error or f"HTTP {last.status_code}",
                        )
                    )
        if simulation.studio is not None:
            recorded.append(simulation.studio)
        trace = replace(trace, problems=trace.problems + tuple(failures))
        report = trace.to_dict()
        report["deliveries"] = [d.to_dict() for d in recorded]
        report["created"] = simulation.created
        return report

    def _log_reply(
        self, tx: Transaction, simulation: Simulation, reply: ReplyMessage
    ) -> ReplyMessage:
        inbound = simulation.trace.inbound
        resolved = replace(
            reply,
            sid=new_sid("SM"),
            to=reply.to or inbound.sender,
            from_=reply.from_ or inbound.to,
        )
        service = simulation.trace.messaging_service
        self._log(
            tx,
            simulation.account_sid or "",
            sid=resolved.sid or "",
            sender=resolved.from_ or "",
            to=resolved.to or "",
            body=resolved.body,
            direction="outbound-reply",
            status="sent",
            messaging_service_sid=service.sid if service else None,
        )
        return resolved

    def _log(
        self,
        tx: Transaction,
        account: str,
        *,
        sid: str,
        sender: str,
        to: str,
        body: str,
        direction: str,
        status: str,
        messaging_service_sid: str | None,
    ) -> None:
        """One SMS in the account's Programmable Messaging log (fields of the 2010 Message)."""
        now = self._now()
        record = {
            "sid": sid,
            "account_sid": account,
            "from": sender,
            "to": to,
            "body": body,
            "direction": direction,
            "status": status,
            "messaging_service_sid": messaging_service_sid,
            "num_segments": str(payloads.num_segments(body)),
            "num_media": "0",
            "api_version": "2010-04-01",
            "date_created": now,
            "date_sent": now,
        }
        tx.insert(SMS_MESSAGE, sid, account, record, key=None)

    def sms_messages(self, account: str) -> list[dict[str, Any]]:
        """The account's SMS log, oldest first."""
        with self.store.transaction() as tx:
            return [dict(row) for row in tx.list(SMS_MESSAGE, account)]


def _nothing() -> dict[str, str | None]:
    return dict.fromkeys(
        (
            "sms_sid",
            "conversation_sid",
            "participant_sid",
            "message_sid",
            "webhook_sid",
            "execution_sid",
        )
    )


class _Apply:
    """Carrying one trace out, inside the simulation's transaction."""

    def __init__(
        self,
        simulation: SimulationBackend,
        tx: Transaction,
        account: str,
        snapshot: AccountSnapshot,
        trace: Trace,
        timeouts: dict[str, float],
    ) -> None:
        self.snapshot = snapshot
        self.simulation = simulation
        self.backend = simulation._backend
        self.tx = tx
        self.account = account
        self.trace = trace
        self.timeouts = timeouts
        self.created = _nothing()

    def run(self, *, auth_token: str, deliver_to: DeliverTo) -> Simulation:
        trace, inbound = self.trace, self.trace.inbound
        service = trace.messaging_service
        dropped = service is not None and service.mode == "drop"
        if not dropped:
            sms_sid = new_sid("SM")
            self.simulation._log(
                self.tx,
                self.account,
                sid=sms_sid,
                sender=inbound.sender or "",
                to=inbound.to,
                body=inbound.body,
                direction="inbound",
                status="received",
                messaging_service_sid=service.sid if service else None,
            )
            self.created["sms_sid"] = sms_sid
        requests = list(self._handler_requests())
        conversation_requests, studio = self._conversation()
        return Simulation(
            trace=self.trace,
            account_sid=self.account,
            created=self.created,
            requests=(*requests, *conversation_requests),
            studio=studio,
            auth_token=auth_token,
            deliver_to=deliver_to,
        )

    # -- the Programmable Messaging handler ----------------------------------------

    def _handler_requests(self) -> list[WebhookRequest]:
        trace, inbound = self.trace, self.trace.inbound
        service = trace.messaging_service
        params = payloads.sms_webhook(
            account_sid=self.account,
            message_sid=self.created["sms_sid"] or new_sid("SM"),
            sender=inbound.sender or "",
            to=inbound.to,
            body=inbound.body,
            messaging_service_sid=service.sid if service else None,
        )
        return [
            WebhookRequest(
                kind=handler.kind,
                sid=handler.sid,
                url=handler.url,
                method=handler.method or "POST",
                fallback_url=handler.fallback_url,
                fallback_method=handler.fallback_method,
                params=params,
                timeout=self.timeouts["sms"],
                expects_twiml=True,
                lane="sms",
            )
            for handler in trace.handlers
            if handler.url  # a legacy Flex Flow runs behind its proxy webhook: no request
        ]

    # -- the conversation ----------------------------------------------------------

    def _conversation(self) -> tuple[list[WebhookRequest], Delivery | None]:
        route_ = self.trace.conversation
        if route_.outcome == "none":
            return [], None
        conversations = self.backend.conversations
        inbound = self.trace.inbound
        sender = inbound.sender or ""
        integration = self.trace.integration
        events: list[tuple[str, payloads.Params]] = []
        if route_.outcome == "appended":
            assert route_.sid is not None
            conversation = conversations.get_conversation(self.account, route_.sid)
            state_before = conversation["state"]
            if state_before == "inactive":
                conversation = conversations.set_conversation_state(
                    self.account, route_.sid, "active"
                )
            participant = next(
                (
                    r
                    for r in conversations.participants_of(self.account, route_.sid)
                    if (r.get("messaging_binding") or {}).get("address") == sender
                ),
                None,
            )
            message = conversations.add_message(
                self.account,
                route_.sid,
                body=inbound.body,
                author=sender,
                participant_sid=participant["sid"] if participant else None,
                source="SMS",
            )
            events.append(("onMessageAdded", self._message_added(conversation, message)))
            if state_before == "inactive":
                events.append(
                    (
                        "onConversationStateUpdated",
                        payloads.conversation_state_updated(
                            account_sid=self.account,
                            conversation=conversation,
                            state_from="inactive",
                            state_to="active",
                            at=self.simulation._now(),
                        ),
                    )
                )
            webhook_sid = self._integration_webhook_sid(route_.sid)
        else:
            target = route_.conversation_service_sid
            if (
                target is None
                or self.simulation._owned(self.tx, SERVICE, target, self.account) is None
            ):
                # Twilio cannot create it; the route's service-missing problem says why.
                self.trace = replace(
                    self.trace, conversation=ConversationRoute(outcome="none"), integration=None
                )
                return [], None
            conversation = conversations.create_conversation(
                self.account, target, messaging_service_sid=route_.messaging_service_sid
            )
            webhook_sid = self._attach_integration(conversation["sid"])
            participant = conversations.add_sms_participant(
                self.account, conversation["sid"], sender, inbound.to
            )
            message = conversations.add_message(
                self.account,
                conversation["sid"],
                body=inbound.body,
                author=sender,
                participant_sid=participant["sid"],
                source="SMS",
            )
            self.trace = replace(self.trace, conversation=replace(route_, sid=conversation["sid"]))
            events.append(
                (
                    "onParticipantAdded",
                    payloads.participant_added(
                        account_sid=self.account, conversation=conversation, participant=participant
                    ),
                )
            )
            events.append(("onMessageAdded", self._message_added(conversation, message)))
        self.created.update(
            conversation_sid=conversation["sid"],
            participant_sid=participant["sid"] if participant else None,
            message_sid=message["sid"],
            webhook_sid=webhook_sid,
        )
        if integration is None:
            return [], None
        if integration.kind == "studio":
            return [], self._studio(conversation, message, webhook_sid)
        assert integration.url is not None
        requests = [
            WebhookRequest(
                kind="conversation-webhook",
                sid=webhook_sid,
                url=integration.url,
                method=integration.method or "POST",
                params=params,
                timeout=self.timeouts["conversations"],
                event=event,
                lane="conversation",
            )
            for event, params in events
            if event in integration.filters
        ]
        return requests, None

    def _message_added(
        self, conversation: dict[str, Any], message: dict[str, Any]
    ) -> payloads.Params:
        return payloads.message_added(
            account_sid=self.account, conversation=conversation, message=message
        )

    def _attach_integration(self, conversation_sid: str) -> str | None:
        integration = self.trace.integration
        if integration is None:
            return None
        conversations = self.backend.conversations
        if integration.kind == "studio":
            # Attached even for a draft flow (which then runs nothing); not for a missing one.
            if integration.flow_sid is None or not self._flow_exists(integration.flow_sid):
                return None
            hook = conversations.attach_conversation_webhook(
                self.account, conversation_sid, target="studio", flow_sid=integration.flow_sid
            )
        else:
            hook = conversations.attach_conversation_webhook(
                self.account,
                conversation_sid,
                target="webhook",
                url=integration.url,
                method=integration.method or "POST",
                filters=integration.filters,
            )
        return str(hook["sid"])

    def _flow_exists(self, flow_sid: str) -> bool:
        return self.simulation._owned(self.tx, FLOW, flow_sid, self.account) is not None

    def _integration_webhook_sid(self, conversation_sid: str) -> str | None:
        integration = self.trace.integration
        if integration is None:
            return None
        target = integration.kind
        for hook in self.backend.conversations.conversation_webhooks(
            self.account, conversation_sid
        ):
            if hook["target"] == target:
                return str(hook["sid"])
        return None

    def _studio(
        self, conversation: dict[str, Any], message: dict[str, Any], webhook_sid: str | None
    ) -> Delivery:
        integration = self.trace.integration
        assert integration is not None
        flow_sid = integration.flow_sid
        base = Delivery(kind="studio-execution", sid=webhook_sid, flow_sid=flow_sid)
        if not integration.runs:
            why = (
                f"Studio flow {flow_sid} is a draft: only a published flow runs"
                if flow_sid and self._flow_exists(flow_sid)
                else f"Studio flow {flow_sid} does not exist: nothing runs"
            )
            return replace(base, detail=why)
        assert flow_sid is not None
        flow = self.snapshot.studio_flow(flow_sid)
        path = flow.reach.path if flow is not None else ()
        # The emulator walks the Trigger's Incoming Conversation path to Send to Flex
        # (the hand-off ends the execution); it runs no other widget, so an execution
        # of a flow without that path stays active with its trigger only.
        steps = [
            {
                "name": "incomingConversationMessage" if index == 0 else "next",
                "transitioned_from": before,
                "transitioned_to": after,
                "type": "send-to-flex" if after == path[-1] else None,
            }
            for index, (before, after) in enumerate(pairwise(path))
        ]
        execution = self.backend.studio.record_execution(
            self.account,
            flow_sid,
            contact_channel_address=self.trace.inbound.sender or "",
            context=conversation_trigger(self.account, conversation, message),
            status="ended" if path else "active",
            initiated_by=conversation["sid"],
            steps=steps,
        )
        self.created["execution_sid"] = execution["sid"]
        return replace(base, execution_sid=execution["sid"])
