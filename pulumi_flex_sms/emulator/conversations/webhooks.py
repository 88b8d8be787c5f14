"""Conversations v1 conversation-scoped webhooks (``.../Conversations/{CH}/Webhooks``).
No HTTP here.

Autocreation attaches one to the conversation it creates (a ``webhook`` or
``studio`` address configuration; https://www.twilio.com/docs/conversations/inbound-autocreation),
which is where Twilio shows it. Rules kept here, once:

* ``target`` is ``webhook``, ``studio`` or ``trigger`` (50364; missing: 50368);
* ``webhook`` and ``trigger`` need a URL (50369), ``studio`` an ``FW`` flow
  SID (50367) of a flow of the account (404); filters are Twilio's post-event
  names (50365);
* ``configuration`` answers the target's keys (``studio``: ``flow_sid``, as
  the spec's fetch example; ``webhook``: ``url``, ``method`` (``get`` or
  ``post``, lowercase as the spec's enum), ``filters``;
  ``trigger``: ``url``, ``method``, ``filters`` holding its keywords);
* lists hold 5 per page at most (the spec's ``PageSize`` 1..5, default 5);
* a closed conversation takes no new webhook (50377).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .. import params as p
from ..domain import new_sid, not_found
from ..errors import BadRequest
from ..params import Form, PageRequest, PageResult
from ..store import CONVERSATION_WEBHOOK, FLOW, Row, Transaction
from .addresses import WEBHOOK_FILTERS
from .base import ConversationsBase, Scope
from .errors import (
    InvalidWebhookFilter,
    InvalidWebhookFlowSid,
    InvalidWebhookTarget,
    MissingWebhookTarget,
    MissingWebhookUrl,
)
from .fields import date_created_of

__all__ = ["WEBHOOK_TARGETS", "ConversationWebhooks"]

WEBHOOK_TARGETS = ("webhook", "studio", "trigger")


class ConversationWebhooks(ConversationsBase):
    """Scoped webhooks (rows keyed ``{CH}/{WH}``)."""

    # -- what the simulation (and seeds) call ------------------------------------------

    def attach_conversation_webhook(
        self,
        account: str,
        conversation_sid: str,
        *,
        target: str,
        url: str | None = None,
        method: str = "POST",
        filters: Sequence[str] = (),
        triggers: Sequence[str] = (),
        flow_sid: str | None = None,
        sid: str | None = None,
        date_created: int | None = None,
        restore: bool = False,
    ) -> dict[str, Any]:
        """A scoped webhook on the conversation: ``target="studio", flow_sid=FW…``
        or ``target="webhook", url=…, method=…, filters=[…]``.

        ``restore`` adds it as a seed declares it (a closed conversation takes it).
        """
        with self.store.transaction() as tx:
            conversation = self._conversation_by_sid(tx, account, conversation_sid)
            if not restore:
                self._writable(conversation)
            configuration = self._configuration_for(
                tx, account, target, url, method, filters, triggers, flow_sid
            )
            created = self._now() if date_created is None else date_created
            record = {
                "sid": sid or new_sid("WH"),
                "account_sid": account,
                "conversation_sid": conversation["sid"],
                "chat_service_sid": conversation["chat_service_sid"],
                "target": target,
                "configuration": configuration,
                "date_created": created,
                "date_updated": created,
            }
            self._insert_child(tx, CONVERSATION_WEBHOOK, record)
        return record

    def conversation_webhooks(self, account: str, conversation_sid: str) -> list[Row]:
        """Every scoped webhook of the account's conversation ``conversation_sid``."""
        return self._children_of(CONVERSATION_WEBHOOK, account, conversation_sid)

    # -- the API ---------------------------------------------------------------------

    def list_conversation_webhooks(
        self, account: str, service: str | None, conversation_sid: str, query: Form
    ) -> PageResult:
        if query.one("PageSize") is None:
            query = Form({**query.values, "PageSize": ["5"]})
        page = PageRequest.parse(query, max_page_size=5, token_error_code=20001)
        scope = Scope(account, service)
        return self._list_children(CONVERSATION_WEBHOOK, scope, conversation_sid, page)

    def fetch_conversation_webhook(
        self, account: str, service: str | None, conversation_sid: str, sid: str
    ) -> Row:
        scope = Scope(account, service)
        return self._fetch_child(CONVERSATION_WEBHOOK, scope, conversation_sid, sid)

    def create_conversation_webhook_from_form(
        self, account: str, service: str | None, conversation_sid: str, form: Form
    ) -> dict[str, Any]:
        target = form.one("Target")
        if not target:
            raise MissingWebhookTarget(
                "Missing required parameter Target (webhook, studio or trigger)",
                parameter="Target",
            )
        with self.store.transaction() as tx:
            conversation = self._conversation(tx, Scope(account, service), conversation_sid)
            return self.attach_conversation_webhook(
                account,
                conversation["sid"],
                target=target,
                url=form.one("Configuration.Url"),
                method=form.one("Configuration.Method") or "POST",
                filters=[f for f in form.all("Configuration.Filters") if f],
                triggers=[t for t in form.all("Configuration.Triggers") if t],
                flow_sid=form.one("Configuration.FlowSid"),
                date_created=date_created_of(form),
            )

    def delete_conversation_webhook(
        self, account: str, service: str | None, conversation_sid: str, sid: str
    ) -> None:
        row = self.fetch_conversation_webhook(account, service, conversation_sid, sid)
        with self.store.transaction() as tx:
            tx.delete(CONVERSATION_WEBHOOK, row["sid"])

    # -- rules -----------------------------------------------------------------------

    def _configuration_for(
        self,
        tx: Transaction,
        account: str,
        target: str,
        url: str | None,
        method: str,
        filters: Sequence[str],
        triggers: Sequence[str],
        flow_sid: str | None,
    ) -> dict[str, Any]:
        if target not in WEBHOOK_TARGETS:
            raise InvalidWebhookTarget(
                f"Invalid Target: {p.shown(target)} is not one of {', '.join(WEBHOOK_TARGETS)}",
                parameter="Target",
            )
        if target == "studio":
            if not flow_sid:
                raise InvalidWebhookFlowSid(
                    "Configuration.FlowSid is required when Target is studio",
                    parameter="Configuration.FlowSid",
                )
            try:
                p.sid(flow_sid, "Configuration.FlowSid", "FW")
            except BadRequest as exc:
                raise InvalidWebhookFlowSid(
                    exc.message, parameter="Configuration.FlowSid"
                ) from None
            if not self._owned(tx, FLOW, flow_sid, account):
                raise not_found(f"/Flows/{flow_sid}")
            return {"flow_sid": flow_sid}
        if not url:
            raise MissingWebhookUrl(
                f"Configuration.Url is required when Target is {target}",
                parameter="Configuration.Url",
            )
        checked_url = p.url(url, "Configuration.Url", allow_empty=False)
        # Answered lowercase: the spec's enum (``conversation_scoped_webhook_enum_method``).
        checked_method = p.http_method(method, "Configuration.Method").lower()
        if target == "trigger":
            return {"url": checked_url, "method": checked_method, "filters": list(triggers)}
        for name in filters:
            if name not in WEBHOOK_FILTERS:
                raise InvalidWebhookFilter(
                    f"Invalid Configuration.Filters: {p.shown(name)} is not one of "
                    + ", ".join(WEBHOOK_FILTERS),
                    parameter="Configuration.Filters",
                )
        return {"url": checked_url, "method": checked_method, "filters": list(filters)}
