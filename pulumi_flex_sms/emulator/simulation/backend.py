"""An inbound SMS played through the emulator: routed by the routing model, then applied.

One model: :func:`pulumi_flex_sms.routing.route` decides where the message goes
(docs/routing.md); the simulation reads the account into the model's snapshot
(:mod:`.snapshot`) and carries the trace out (:mod:`.apply`), in two steps:

1. :meth:`SimulationBackend.simulate_inbound_sms`, one store transaction:
   snapshot, route, apply. Concurrent messages of one pair are serialised by
   the store's lock, so the first creates the conversation and the next
   appends (the notes' §5 Q15). The answer describes the webhooks to send.
2. The handler sends them (:mod:`..deliveries`), outside any transaction;
   then :meth:`SimulationBackend.record_deliveries` logs each TwiML
   ``<Message>`` reply as an outbound ``SM`` record and adds a
   ``not-delivered`` problem for each delivery that failed, fallback included.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ...routing import (
    NUMBER_WEBHOOK_MODES,
    AccountSnapshot,
    Inbound,
    Trace,
    problems,
    route,
)
from .. import params as p
from ..domain import Clock, DomainBackend, new_sid
from ..errors import BadRequest
from ..store import NUMBER, SMS_MESSAGE, Store, Transaction
from ..webhooks import DeliverTo, Delivery, ReplyMessage, WebhookRequest
from .apply import TraceApplier, log_sms, no_sids
from .snapshot import read_snapshot

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["MAX_BODY", "SMS_DIRECTIONS", "Simulation", "SimulationBackend"]

#: Twilio's limit for a message body (``Body`` "up to 1600 characters").
MAX_BODY = 1600
#: The log's directions: what came in, and what a TwiML ``<Message>`` sent back.
SMS_DIRECTIONS = ("inbound", "outbound-reply")


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
    # Exactly E.164, as Twilio's own fields (flex-sms simulate-inbound tidies what people type).
    if not p.is_e164(value):
        raise BadRequest(f"{name}: {p.shown(value)} is not an E.164 phone number", parameter=name)
    return value


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
                return Simulation(trace=trace, created=no_sids())
            account = number["account_sid"]
            snapshot = read_snapshot(backend, tx, account, sender, to)
            trace = route(snapshot, inbound, number_webhook_mode=mode)
            deliver_to, timeouts = backend.accounts.delivery_settings(tx)
            applied = TraceApplier(
                backend, tx, account, snapshot, trace, timeouts=timeouts, now=self._now
            ).apply()
            return Simulation(
                trace=applied.trace,
                account_sid=account,
                created=applied.created,
                requests=applied.requests,
                studio=applied.studio,
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
        log_sms(
            tx,
            simulation.account_sid or "",
            self._now(),
            sid=resolved.sid or "",
            sender=resolved.from_ or "",
            to=resolved.to or "",
            body=resolved.body,
            direction="outbound-reply",
            status="sent",
            messaging_service_sid=service.sid if service else None,
        )
        return resolved

    def restore_sms(
        self,
        account: str,
        *,
        sid: str | None,
        sender: object,
        to: object,
        body: object,
        direction: object,
        status: object,
        messaging_service_sid: object,
        date_created: int | None = None,
        date_sent: int | None = None,
    ) -> dict[str, Any]:
        """A logged SMS as a seed declares it (the dump's ``sms_messages`` entries)."""
        if not isinstance(body, str):
            raise BadRequest(f"body: {p.shown(body)} is not text", parameter="body")
        p.text(body, "body", MAX_BODY)
        direction = p.enum(str(direction), "direction", SMS_DIRECTIONS)
        default_status = "received" if direction == "inbound" else "sent"
        if messaging_service_sid is not None:
            messaging_service_sid = p.sid(str(messaging_service_sid), "messaging_service_sid", "MG")
        with self.store.transaction() as tx:
            if sid is not None and tx.get(SMS_MESSAGE, sid) is not None:
                raise BadRequest(f"{sid} already exists")
            return log_sms(
                tx,
                account,
                self._now() if date_created is None else date_created,
                sid=sid or new_sid("SM"),
                sender=_address(sender, "from"),
                to=_address(to, "to"),
                body=body,
                direction=direction,
                status=default_status if status is None else str(status),
                messaging_service_sid=messaging_service_sid,
                date_sent=date_sent,
            )

    def sms_messages(self, account: str) -> list[dict[str, Any]]:
        """The account's SMS log, oldest first."""
        with self.store.transaction() as tx:
            return [dict(row) for row in tx.list(SMS_MESSAGE, account)]
