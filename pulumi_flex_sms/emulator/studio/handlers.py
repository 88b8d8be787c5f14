"""Studio v2 handlers: Flows.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows a flow.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..resource import Resource
from ..shapes import Where, dates, links

__all__ = ["FLOWS", "PREFIX", "serialize_flow"]

PREFIX = "/studio/v2"
FLOW_LINKS = (("test_users", "TestUsers"), ("revisions", "Revisions"), ("executions", "Executions"))


def serialize_flow(
    record: dict[str, Any], where: Where, *, in_list: bool = False
) -> dict[str, Any]:
    base = where.base
    url = f"{base}{PREFIX}/Flows/{record['sid']}"
    # Twilio's list leaves the definition and its validation out (spec example
    # ``readEmpty``); fetch, create and update carry them.
    detail = not in_list
    return {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "author_sid": record["author_sid"],
        "friendly_name": record["friendly_name"],
        "definition": record["definition"] if detail else None,
        "status": record["status"],
        "revision": record["revision"],
        "commit_message": record["commit_message"] if detail else None,
        "valid": True if detail else None,
        "errors": [] if detail else None,
        "warnings": [] if detail else None,
        "webhook_url": f"{base}/webhooks/v1/Accounts/{record['account_sid']}/Flows/{record['sid']}",
        **dates(record),
        "url": url,
        "links": links(url, FLOW_LINKS),
    }


FLOWS = Resource(
    path=f"{PREFIX}/Flows",
    key="flows",
    serialize=serialize_flow,
    serialize_listed=partial(serialize_flow, in_list=True),
    list=lambda backend: backend.studio.list_flows,
    create=lambda backend: backend.studio.create_flow,
    fetch=lambda backend: backend.studio.fetch_flow,
    update=lambda backend: backend.studio.update_flow,
    delete=lambda backend: backend.studio.delete_flow,
)
