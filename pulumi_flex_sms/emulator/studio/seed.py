"""The seed's ``studio_flows``: published, with a bare Trigger, unless it says otherwise."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..params import Form
from ..store import FLOW

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["FLOWS"]


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
