"""Studio v2 handlers: Flows.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows a flow.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from ..resource import Resource
from ..shapes import Place, dates, in_order, links

__all__ = ["FLOWS", "PREFIX", "serialize_flow"]

PREFIX = "/studio/v2"
#: The fields of ``studio.v2.flow``, in the order answered.
FLOW_FIELDS = (
    "sid",
    "account_sid",
    "author_sid",
    "friendly_name",
    "definition",
    "status",
    "revision",
    "commit_message",
    "valid",
    "errors",
    "warnings",
    "webhook_url",
    "date_created",
    "date_updated",
    "url",
    "links",
)
#: What a list shows as null.
_DETAIL_FIELDS = ("definition", "commit_message", "valid", "errors", "warnings")
FLOW_LINKS = (("test_users", "TestUsers"), ("revisions", "Revisions"), ("executions", "Executions"))


def serialize_flow(
    record: dict[str, Any], place: Place, *, in_list: bool = False
) -> dict[str, Any]:
    url = f"{place.base}{PREFIX}/Flows/{record['sid']}"
    account, sid = record["account_sid"], record["sid"]
    derived: dict[str, Any] = {
        "webhook_url": f"{place.base}/webhooks/v1/Accounts/{account}/Flows/{sid}",
        **dates(record),
        "url": url,
        "links": links(url, FLOW_LINKS),
        "valid": True,
        "errors": [],
        "warnings": [],
    }
    if in_list:
        # Twilio's list leaves the definition and its validation out (spec example
        # ``readEmpty``); fetch, create and update carry them.
        derived.update(dict.fromkeys(_DETAIL_FIELDS))
    return in_order(FLOW_FIELDS, record, derived)


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
