"""The seed's ``studio_flows`` (published, with a bare Trigger, unless it says
otherwise) and ``studio_executions`` (of a published flow; ``ended`` unless it
says otherwise), which the state dump shows in the same shape."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import params as p
from ..domain import SeedList
from ..errors import BadRequest
from ..params import Form
from ..seed_values import dump_date, seed_date
from ..store import FLOW, STUDIO_EXECUTION, Transaction
from .executions import STEP_FIELDS

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["EXECUTIONS", "FLOWS"]


def _create(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    definition = entry.get("definition") or {"initial_state": "Trigger"}
    values = {
        "FriendlyName": entry.get("friendly_name") or "Studio Flow",
        "Status": entry.get("status") or "published",
        "Definition": json.dumps(definition, allow_nan=False),
    }
    if entry.get("commit_message") is not None:
        values["CommitMessage"] = entry["commit_message"]
    return backend.studio.create_flow(account, Form.from_values(values), sid=sid)


FLOWS = SeedList(
    name="studio_flows",
    kind=FLOW,
    sid_prefix="FW",
    fields=frozenset({"friendly_name", "status", "definition", "commit_message"}),
    create=_create,
    summary=("friendly_name",),
)


# -- executions ------------------------------------------------------------------------

_EXECUTION_FIELDS = (
    "flow_sid",
    "contact_channel_address",
    "contact_sid",
    "flow_version",
    "status",
    "context",
    "initiated_by",
    "steps",
    "date_created",
    "date_updated",
)


def _create_execution(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    flow = entry.get("flow_sid")
    address = entry.get("contact_channel_address")
    if not isinstance(flow, str) or not isinstance(address, str):
        raise BadRequest("flow_sid and contact_channel_address: required strings")
    context, steps = entry.get("context") or {}, entry.get("steps") or []
    if not isinstance(context, Mapping):
        raise BadRequest("context: expected a mapping")
    if not isinstance(steps, list) or not all(isinstance(s, Mapping) for s in steps):
        raise BadRequest("steps: expected a list of mappings")
    version = entry.get("flow_version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int)):
        raise BadRequest("flow_version: expected an integer")
    contact = entry.get("contact_sid")
    return backend.studio.record_execution(
        account,
        p.sid(flow, "flow_sid", "FW"),
        contact_channel_address=address,
        context=context,
        status=str(entry.get("status") or "ended"),
        initiated_by=None if entry.get("initiated_by") is None else str(entry["initiated_by"]),
        steps=steps,
        sid=sid,
        date_created=seed_date(entry.get("date_created"), "date_created"),
        date_updated=seed_date(entry.get("date_updated"), "date_updated"),
        flow_version=version,
        contact_sid=None if contact is None else p.sid(str(contact), "contact_sid", "FC"),
    )


def _dump_executions(tx: Transaction, account: str) -> list[dict[str, Any]]:
    return [
        {
            "sid": row["sid"],
            **{
                name: dump_date(row[name]) if name.startswith("date_") else row[name]
                for name in _EXECUTION_FIELDS
                if name != "steps"
            },
            "steps": [{name: step[name] for name in STEP_FIELDS} for step in row["steps"]],
        }
        for row in tx.list(STUDIO_EXECUTION, account)
    ]


EXECUTIONS = SeedList(
    name="studio_executions",
    kind=STUDIO_EXECUTION,
    sid_prefix="FN",
    fields=frozenset(_EXECUTION_FIELDS),
    create=_create_execution,
    summary=("flow_sid", "status"),
    dump=_dump_executions,
)
