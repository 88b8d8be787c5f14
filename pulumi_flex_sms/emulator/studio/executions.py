"""Studio v2 Executions (``/v2/Flows/{FW}/Executions``), their Context and Steps. No HTTP here.

Rules kept here, once:

* only a ``published`` flow executes: Studio runs a flow's published revision
  and Flex asks to "Save and Publish" it
  (https://www.twilio.com/docs/flex/admin-guide/setup/conversations/prerequisites);
  recording an execution of a draft flow raises :class:`FlowNotPublished`;
* an execution records the flow's revision (``flow_version``), its contact
  (``contact_channel_address``; one ``FC`` contact per address and flow) and
  its ``context``; a conversation-triggered one holds
  ``trigger.conversation`` with the fields Studio's Trigger widget documents
  (https://www.twilio.com/docs/studio/widget-library/trigger-start);
* ``status`` is ``active`` or ``ended``; an ended execution stays ended;
* list filters ``status``, ``DateCreatedFrom`` (on or after) and
  ``DateCreatedTo`` (before), as the spec's list parameters describe them;
  ``PageSize`` up to 1000;
* deleting a flow deletes its executions.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from .. import params as p
from ..domain import DomainBackend, new_sid, not_found
from ..errors import BadRequest
from ..params import Form, PageRequest, PageResult
from ..store import FLOW, STUDIO_EXECUTION, Conflict, Row, Transaction, Where

__all__ = [
    "EXECUTION_STATUSES",
    "STEP_FIELDS",
    "Executions",
    "FlowNotPublished",
    "conversation_trigger",
]

#: ``execution_enum_status`` of ``twilio_studio_v2.json``.
EXECUTION_STATUSES = ("active", "ended")
#: What a recorded step may say (``studio.v2.flow.execution.execution_step``).
STEP_FIELDS = ("sid", "name", "transitioned_from", "transitioned_to", "type", "context")


class FlowNotPublished(BadRequest):
    """The flow is a draft: Studio executes only published flows."""


def conversation_trigger(
    account_sid: str, conversation: Mapping[str, Any], message: Mapping[str, Any]
) -> dict[str, Any]:
    """The context of an execution that ``message`` of ``conversation`` started:
    ``trigger.conversation`` as Studio's Trigger widget names its variables
    (``ChannelSid`` is the legacy name of ``ConversationSid``), and ``contact``."""
    return {
        "trigger": {
            "conversation": {
                "AccountSid": account_sid,
                "Body": message.get("body"),
                "ChannelSid": conversation["sid"],
                "ConversationSid": conversation["sid"],
                "DateCreated": _iso(message["date_created"]),
                "From": message.get("author"),
                "MessageSid": message["sid"],
                "MessagingServiceSid": conversation.get("messaging_service_sid"),
            }
        },
        "contact": {"channel": {"address": message.get("author")}},
    }


def _iso(ts: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def _key(flow_sid: str, sid: str) -> str:
    return f"{flow_sid}/{sid}"


class Executions(DomainBackend):
    """Executions of Studio flows (rows ``studio_execution``, keyed ``{FW}/{FN}``)."""

    # -- what the simulation (and seeds) call ------------------------------------------

    def record_execution(
        self,
        account: str,
        flow_sid: str,
        *,
        contact_channel_address: str,
        context: Mapping[str, Any] | None = None,
        status: str = "active",
        initiated_by: str | None = None,
        steps: Sequence[Mapping[str, Any]] = (),
        sid: str | None = None,
        date_created: int | None = None,
        date_updated: int | None = None,
        flow_version: int | None = None,
        contact_sid: str | None = None,
    ) -> dict[str, Any]:
        """An execution of the account's published flow ``flow_sid``.

        Raises :class:`FlowNotPublished` for a draft flow and a 404 for an
        unknown one. ``steps`` are the widgets it went through, each with
        :data:`STEP_FIELDS` (``name`` is the event that led there). A seed may
        give ``flow_version`` and ``contact_sid``; by default they are the
        flow's revision and the contact's earlier ``FC`` (else a new one).
        """
        p.enum(status, "status", EXECUTION_STATUSES)
        checked_steps = [_step(step, index) for index, step in enumerate(steps)]
        now = self._now()
        created = now if date_created is None else date_created
        with self.store.transaction() as tx:
            flow = self._flow(tx, account, flow_sid)
            if flow["status"] != "published":
                raise FlowNotPublished(
                    f"Flow {flow_sid} is a draft ({flow['friendly_name']!r}, revision "
                    f"{flow['revision']}): Studio executes published flows only; publish it "
                    "(POST /v2/Flows/{Sid} Status=published)",
                    parameter="Status",
                )
            contact = contact_sid
            if contact is None:
                # The contact's earlier execution of this flow, found by SQLite: decoding
                # every earlier execution made each new one slower than the last.
                earlier = tx.first_by_key_prefix(
                    STUDIO_EXECUTION,
                    account,
                    f"{flow_sid}/",
                    "contact_channel_address",
                    contact_channel_address,
                )
                contact = earlier["contact_sid"] if earlier is not None else None
            record: dict[str, Any] = {
                "sid": sid or new_sid("FN"),
                "account_sid": account,
                "flow_sid": flow_sid,
                "contact_channel_address": contact_channel_address,
                "contact_sid": contact or new_sid("FC"),
                "flow_version": flow["revision"] if flow_version is None else flow_version,
                "context": dict(context or {}),
                "status": status,
                "initiated_by": initiated_by,
                "steps": _numbered(checked_steps, created),
                "date_created": created,
                "date_updated": date_updated,
            }
            try:
                tx.insert(
                    STUDIO_EXECUTION, record["sid"], account, record, _key(flow_sid, record["sid"])
                )
            except Conflict:
                raise BadRequest(f"{record['sid']} already exists") from None
        return record

    def executions_of(self, account: str, flow_sid: str, *, status: str | None = None) -> list[Row]:
        """The executions of the account's flow ``flow_sid`` (oldest first), by ``status``."""
        with self.store.transaction() as tx:
            self._flow(tx, account, flow_sid)
            rows = tx.list_by_key_prefix(STUDIO_EXECUTION, account, f"{flow_sid}/")
        return [r for r in rows if status is None or r["status"] == status]

    def end_execution(self, account: str, flow_sid: str, sid: str) -> dict[str, Any]:
        """Set execution ``sid`` to ``ended``."""
        return self.update_execution(account, flow_sid, sid, Form.of(Status="ended"))

    # -- the API ---------------------------------------------------------------------

    def list_executions(self, account: str, flow_sid: str, query: Form) -> PageResult:
        status = query.one("status")
        if status is not None:
            p.enum(status, "status", EXECUTION_STATUSES)
        start, end = query.one("DateCreatedFrom"), query.one("DateCreatedTo")
        after = None if start is None else p.date_time(start, "DateCreatedFrom")
        before = None if end is None else p.date_time(end, "DateCreatedTo")
        page = PageRequest.parse(query, max_page_size=1000, token_error_code=20001)
        where = []
        if status is not None:
            where.append(Where.equals("status", status))
        if after is not None:
            where.append(Where.at_least("date_created", after))
        if before is not None:
            where.append(Where.below("date_created", before))
        with self.store.transaction() as tx:
            self._flow(tx, account, flow_sid)
            return p.select_page(
                tx, STUDIO_EXECUTION, account, page, where=where, key_prefix=f"{flow_sid}/"
            )

    def fetch_execution(self, account: str, flow_sid: str, sid: str) -> Row:
        with self.store.transaction() as tx:
            return self._execution(tx, account, flow_sid, sid)

    def update_execution(self, account: str, flow_sid: str, sid: str, form: Form) -> dict[str, Any]:
        """``POST .../Executions/{FN}`` with ``Status``: ending is the only change."""
        status = p.enum(form.required("Status"), "Status", EXECUTION_STATUSES)
        with self.store.transaction() as tx:
            record = self._execution(tx, account, flow_sid, sid)
            if record["status"] == "ended" and status == "active":
                raise BadRequest(
                    f"Execution {sid} has ended and cannot be made active again; "
                    "start a new execution instead",
                    parameter="Status",
                )
            if record["status"] != status:
                record["status"] = status
                record["date_updated"] = self._now()
                tx.update(STUDIO_EXECUTION, sid, record, key=_key(flow_sid, sid))
        return record

    def delete_execution(self, account: str, flow_sid: str, sid: str) -> None:
        with self.store.transaction() as tx:
            tx.delete(STUDIO_EXECUTION, self._execution(tx, account, flow_sid, sid)["sid"])

    def list_execution_steps(
        self, account: str, flow_sid: str, sid: str, query: Form
    ) -> tuple[Row, PageResult]:
        """The execution and one page of its steps (rows numbered in step order)."""
        page = PageRequest.parse(query, max_page_size=1000, token_error_code=20001)
        execution = self.fetch_execution(account, flow_sid, sid)
        steps = []
        for index, step in enumerate(execution["steps"], start=1):
            row = Row(step)
            row.seq = index
            steps.append(row)
        return execution, p.paginate(steps, page)

    def fetch_execution_step(
        self, account: str, flow_sid: str, sid: str, step_sid: str
    ) -> tuple[Row, dict[str, Any]]:
        """The execution and its step ``step_sid``."""
        execution = self.fetch_execution(account, flow_sid, sid)
        for step in execution["steps"]:
            if step["sid"] == step_sid:
                return execution, step
        raise not_found(f"/Flows/{flow_sid}/Executions/{sid}/Steps/{step_sid}")

    # -- rules -----------------------------------------------------------------------

    def _flow(self, tx: Transaction, account: str, flow_sid: str) -> Row:
        return self._require_owned(tx, FLOW, flow_sid, account, f"/Flows/{flow_sid}")

    def _execution(self, tx: Transaction, account: str, flow_sid: str, sid: str) -> Row:
        self._flow(tx, account, flow_sid)
        return self._require_owned(
            tx,
            STUDIO_EXECUTION,
            sid,
            account,
            f"/Flows/{flow_sid}/Executions/{sid}",
            under=("flow_sid", flow_sid),
        )

    def _delete_executions(self, tx: Transaction, account: str, flow_sid: str) -> None:
        for row in tx.list_by_key_prefix(STUDIO_EXECUTION, account, f"{flow_sid}/"):
            tx.delete(STUDIO_EXECUTION, row["sid"])


def _numbered(steps: list[dict[str, Any]], created: int) -> list[dict[str, Any]]:
    """``steps`` with their ``FT`` SIDs, each the parent of the next."""
    numbered: list[dict[str, Any]] = []
    for step in steps:
        parent = numbered[-1]["sid"] if numbered else None
        sid = step["sid"] or new_sid("FT")
        numbered.append({**step, "sid": sid, "parent_step_sid": parent, "date_created": created})
    return numbered


def _step(step: Mapping[str, Any], index: int) -> dict[str, Any]:
    unknown = set(step) - set(STEP_FIELDS)
    if unknown:
        raise BadRequest(f"steps[{index}]: unknown field(s) {', '.join(sorted(unknown))}")
    sid = step.get("sid")
    return {
        "sid": None if sid is None else p.sid(str(sid), f"steps[{index}].sid", "FT"),
        "name": step.get("name"),
        "transitioned_from": step.get("transitioned_from"),
        "transitioned_to": step.get("transitioned_to"),
        "type": step.get("type"),
        "context": dict(step.get("context") or {}),
    }
