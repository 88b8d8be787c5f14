"""Studio v2 Flows, and their executions (:mod:`.executions`). No HTTP here.

Rules kept here, once: ``Status`` is ``draft`` or ``published`` and every update
names it; ``Definition`` is a JSON object (read within the emulator's document
limits); each update is a new revision; deleting a flow deletes its executions.

What the simulation calls: ``record_execution`` (raises
:class:`~.executions.FlowNotPublished` for a draft flow), ``executions_of``,
``end_execution``, and :func:`~.executions.conversation_trigger` builds the
context of a conversation-triggered execution.
"""

from __future__ import annotations

from typing import Any

from .. import params as p
from ..documents import DocumentError, parse_json
from ..domain import new_sid
from ..errors import InvalidParameter
from ..params import Form, PageResult
from ..store import FLOW, Row
from .executions import Executions

__all__ = ["FLOW_STATUSES", "StudioBackend"]

FLOW_STATUSES = ("draft", "published")


def _definition(value: str) -> dict[str, Any]:
    try:
        definition = parse_json(value)
    except DocumentError as exc:
        raise InvalidParameter(f"Invalid Definition: {exc}", parameter="Definition") from None
    if not isinstance(definition, dict):
        raise InvalidParameter("Invalid Definition: not a JSON object", parameter="Definition")
    return definition


class StudioBackend(Executions):
    """Studio flows (rows ``studio_flow``) and their executions (:mod:`.executions`)."""

    def create_flow(self, account: str, form: Form, *, sid: str | None = None) -> dict[str, Any]:
        now = self._now()
        record = {
            "sid": sid or new_sid("FW"),
            "account_sid": account,
            "author_sid": None,
            "friendly_name": form.required("FriendlyName"),
            "status": p.enum(form.required("Status"), "Status", FLOW_STATUSES),
            "definition": _definition(form.required("Definition")),
            "revision": 1,
            "commit_message": form.one("CommitMessage"),
            "date_created": now,
            "date_updated": None,
        }
        with self.store.transaction() as tx:
            self._insert_new(tx, FLOW, record)
        return record

    def update_flow(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        status = p.enum(form.required("Status"), "Status", FLOW_STATUSES)
        with self.store.transaction() as tx:
            record = dict(self._require_owned(tx, FLOW, sid, account, f"/Flows/{sid}"))
            record["status"] = status
            if form.one("FriendlyName") is not None:
                record["friendly_name"] = form.one("FriendlyName")
            if form.one("Definition") is not None:
                record["definition"] = _definition(form.required("Definition"))
            record["commit_message"] = form.one("CommitMessage")
            record["revision"] += 1
            record["date_updated"] = self._now()
            tx.update(FLOW, sid, record, key=None)
        return record

    def list_flows(self, account: str, query: Form) -> PageResult:
        # PageSize 1..1000: the list operation of /v2/Flows in twilio_studio_v2.json.
        return self._list_page(FLOW, account, query, 1000)

    def fetch_flow(self, account: str, sid: str) -> Row:
        return self._fetch_owned(FLOW, account, sid, f"/Flows/{sid}")

    def delete_flow(self, account: str, sid: str) -> None:
        with self.store.transaction() as tx:
            self._flow(tx, account, sid)
            self._delete_executions(tx, account, sid)
            tx.delete(FLOW, sid)
