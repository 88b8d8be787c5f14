"""Carrying a route out in the emulator's state, as Twilio would, inside one transaction.

:class:`TraceApplier` takes the trace :func:`~pulumi_flex_sms.routing.route`
made from the account's snapshot and writes what it says happened, through
the domains' own backend methods (so their rules hold):

* the inbound SMS goes to the account's Programmable Messaging log (``SM``),
  unless a Messaging Service drops it (the notes' §5 Q5);
* an ``appended`` message joins the bound conversation, reactivating an
  ``inactive`` one (Q6);
* a ``created`` conversation is made in its service, with the integration's
  scoped webhook attached first, so that it hears the ``onParticipantAdded``
  that follows (Q10), then the SMS participant (messaging binding address =
  ``from``, proxy address = ``to``), then the message (author ``from``,
  source ``SMS``). A service that does not exist cannot hold it: the applied
  trace then shows no conversation (its ``service-missing`` problem says why);
* a Studio integration whose flow is published records an execution (Q20),
  walking the Trigger's Incoming Conversation path to Send to Flex;
* a webhook integration gets each event its filters allow (§3.2): a new
  conversation's ``onParticipantAdded`` then ``onMessageAdded``; an appended
  message's ``onMessageAdded``, then ``onConversationStateUpdated`` when it
  reactivated the conversation;
* the number's, its TwiML app's or its Messaging Service's SMS webhook gets
  the message (§3.1), in parallel with the conversation's events.

The webhooks are only described here (:class:`~..webhooks.WebhookRequest`);
they are sent after the transaction commits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from ...routing import AccountSnapshot, ConversationRoute, Trace
from ..domain import new_sid
from ..store import FLOW, SERVICE, SMS_MESSAGE, Transaction
from ..studio.executions import conversation_trigger
from ..webhooks import Delivery, WebhookRequest
from . import payloads

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["CREATED", "Applied", "TraceApplier", "log_sms", "no_sids"]

#: The SIDs a simulated message may make, as the answer's ``created`` names them.
CREATED = (
    "sms_sid",
    "conversation_sid",
    "participant_sid",
    "message_sid",
    "webhook_sid",
    "execution_sid",
)


def no_sids() -> dict[str, str | None]:
    """``created`` before anything is made."""
    return dict.fromkeys(CREATED)


def _owned(tx: Transaction, kind: str, sid: str, account: str) -> bool:
    row = tx.get(kind, sid)
    return row is not None and row["account_sid"] == account


def log_sms(
    tx: Transaction,
    account: str,
    now: int,
    *,
    sid: str,
    sender: str,
    to: str,
    body: str,
    direction: str,
    status: str,
    messaging_service_sid: str | None,
    date_sent: int | None = None,
) -> dict[str, Any]:
    """One SMS in the account's Programmable Messaging log (fields of the 2010 Message)."""
    record: dict[str, Any] = {
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
        "date_sent": now if date_sent is None else date_sent,
    }
    tx.insert(SMS_MESSAGE, sid, account, record, key=None)
    return record


@dataclass(frozen=True, kw_only=True)
class Applied:
    """The trace as applied, the SIDs made, and the deliveries still to make."""

    trace: Trace
    created: dict[str, str | None]
    requests: tuple[WebhookRequest, ...] = ()
    studio: Delivery | None = None
    """The Studio hand-off (an execution, or why there is none): no HTTP."""


class TraceApplier:
    """Carries one trace out, inside the caller's transaction (see the module docstring)."""

    def __init__(
        self,
        backend: Backend,
        tx: Transaction,
        account: str,
        snapshot: AccountSnapshot,
        trace: Trace,
        *,
        timeouts: dict[str, float],
        now: Callable[[], int],
    ) -> None:
        self.backend = backend
        self.tx = tx
        self.account = account
        self.snapshot = snapshot
        self.trace = trace
        self.timeouts = timeouts
        self.now = now
        self.created = no_sids()

    def apply(self) -> Applied:
        """Write what the trace says happened; answer it with the webhooks still to send."""
        trace, inbound = self.trace, self.trace.inbound
        service = trace.messaging_service
        dropped = service is not None and service.mode == "drop"
        if not dropped:
            sms_sid = new_sid("SM")
            log_sms(
                self.tx,
                self.account,
                self.now(),
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
        return Applied(
            trace=self.trace,
            created=self.created,
            requests=(*requests, *conversation_requests),
            studio=studio,
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
        conversation: Mapping[str, Any]
        participant: Mapping[str, Any] | None
        if route_.outcome == "appended":
            assert route_.sid is not None
            conversation = conversations.get_conversation(self.account, route_.sid)
            state_before = conversation["state"]
            if state_before == "inactive":
                conversation = conversations.set_conversation_state(
                    self.account, route_.sid, "active"
                )
            pair = {"address": sender, "proxy_address": inbound.to}
            participant = next(
                (
                    r
                    for r in conversations.participants_of(self.account, route_.sid)
                    if {k: (r.get("messaging_binding") or {}).get(k) for k in pair} == pair
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
                            at=self.now(),
                        ),
                    )
                )
            webhook_sid = self._integration_webhook_sid(route_.sid)
        else:
            target = route_.conversation_service_sid
            if target is None or not _owned(self.tx, SERVICE, target, self.account):
                # Twilio cannot create it; the route's service-missing problem says why.
                self.trace = replace(
                    self.trace, conversation=ConversationRoute(outcome="none"), integration=None
                )
                return [], None
            conversation = conversations.create_conversation(
                self.account, target, messaging_service_sid=route_.messaging_service_sid
            )
            webhook_sid = self._attach_integration(conversation["sid"])
            added = conversations.add_sms_participant(
                self.account, conversation["sid"], sender, inbound.to
            )
            participant = added
            message = conversations.add_message(
                self.account,
                conversation["sid"],
                body=inbound.body,
                author=sender,
                participant_sid=added["sid"],
                source="SMS",
            )
            self.trace = replace(self.trace, conversation=replace(route_, sid=conversation["sid"]))
            events.append(
                (
                    "onParticipantAdded",
                    payloads.participant_added(
                        account_sid=self.account, conversation=conversation, participant=added
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
        return _owned(self.tx, FLOW, flow_sid, self.account)

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
