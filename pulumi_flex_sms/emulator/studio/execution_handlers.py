"""Studio v2 handlers: a flow's Executions, their Context and Steps.

Thin: parse the request, call the backend, serialise Twilio's JSON
(``studio.v2.flow.execution`` and its sub-resources in ``twilio_studio_v2.json``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..resource import Resource, where_of
from ..shapes import Where, dates, links
from ..wire import account_of, backend_of, base_url, call, iso, json_response, page_v1, query_of
from .handlers import PREFIX

__all__ = [
    "EXECUTIONS",
    "fetch_execution_context",
    "fetch_execution_step",
    "list_execution_steps",
    "serialize_execution",
    "serialize_execution_context",
    "serialize_step",
]

EXECUTION_LINKS = (("steps", "Steps"), ("execution_context", "Context"))


def _execution_url(base: str, flow_sid: str, sid: str) -> str:
    return f"{base}{PREFIX}/Flows/{flow_sid}/Executions/{sid}"


def serialize_execution(record: dict[str, Any], where: Where) -> dict[str, Any]:
    url = _execution_url(where.base, record["flow_sid"], record["sid"])
    return {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "flow_sid": record["flow_sid"],
        "contact_channel_address": record["contact_channel_address"],
        "contact_sid": record["contact_sid"],
        "flow_version": record["flow_version"],
        "context": record["context"],
        "status": record["status"],
        **dates(record),
        "initiated_by": record["initiated_by"],
        "url": url,
        "links": links(url, EXECUTION_LINKS),
    }


def serialize_execution_context(record: dict[str, Any], where: Where) -> dict[str, Any]:
    return {
        "account_sid": record["account_sid"],
        "context": record["context"],
        "flow_sid": record["flow_sid"],
        "execution_sid": record["sid"],
        "url": f"{_execution_url(where.base, record['flow_sid'], record['sid'])}/Context",
    }


def serialize_step(step: dict[str, Any], execution: dict[str, Any], base: str) -> dict[str, Any]:
    execution_url = _execution_url(base, execution["flow_sid"], execution["sid"])
    url = f"{execution_url}/Steps/{step['sid']}"
    return {
        "sid": step["sid"],
        "account_sid": execution["account_sid"],
        "flow_sid": execution["flow_sid"],
        "execution_sid": execution["sid"],
        "parent_step_sid": step["parent_step_sid"],
        "name": step["name"],
        "context": step["context"],
        "transitioned_from": step["transitioned_from"],
        "transitioned_to": step["transitioned_to"],
        "type": step["type"],
        "date_created": iso(step["date_created"]),
        "date_updated": None,
        "url": url,
        "links": {"step_context": f"{url}/Context"},
    }


#: Executions start from a trigger (the simulation), not from this API.
EXECUTIONS = Resource(
    path=f"{PREFIX}/Flows/{{flow}}/Executions",
    key="executions",
    serialize=serialize_execution,
    scope=("flow",),
    filters=("status", "DateCreatedFrom", "DateCreatedTo"),
    list=lambda backend: backend.studio.list_executions,
    fetch=lambda backend: backend.studio.fetch_execution,
    update=lambda backend: backend.studio.update_execution,
    delete=lambda backend: backend.studio.delete_execution,
)


async def fetch_execution_context(request: Request) -> Response:
    record = await call(
        backend_of(request).studio.fetch_execution,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
    )
    return json_response(serialize_execution_context(record, where_of(request)))


async def list_execution_steps(request: Request) -> Response:
    flow, sid = request.path_params["flow"], request.path_params["sid"]
    execution, result = await call(
        backend_of(request).studio.list_execution_steps,
        account_of(request),
        flow,
        sid,
        query_of(request),
    )
    base = base_url(request)
    items = [serialize_step(step, execution, base) for step in result.items]
    url = f"{_execution_url(base, flow, sid)}/Steps"
    return json_response(page_v1(request, url, "steps", result, items))


async def fetch_execution_step(request: Request) -> Response:
    execution, step = await call(
        backend_of(request).studio.fetch_execution_step,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
        request.path_params["step"],
    )
    return json_response(serialize_step(step, execution, base_url(request)))
