"""Studio v2 handlers: a flow's Executions, their Context and Steps.

Thin: parse the request, call the backend, serialise Twilio's JSON
(``studio.v2.flow.execution`` and its sub-resources in ``twilio_studio_v2.json``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..resource import Resource, place_of
from ..shapes import Place, in_order, v1_serializer
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

#: The schemas' property orders (``studio.v2.flow.execution`` and its context and steps).
EXECUTION_FIELDS = (
    "sid",
    "account_sid",
    "flow_sid",
    "contact_channel_address",
    "contact_sid",
    "flow_version",
    "context",
    "status",
    "date_created",
    "date_updated",
    "initiated_by",
    "url",
    "links",
)
EXECUTION_CONTEXT_FIELDS = ("account_sid", "context", "flow_sid", "execution_sid", "url")
EXECUTION_STEP_FIELDS = (
    "sid",
    "account_sid",
    "flow_sid",
    "execution_sid",
    "parent_step_sid",
    "name",
    "context",
    "transitioned_from",
    "transitioned_to",
    "type",
    "date_created",
    "date_updated",
    "url",
    "links",
)
EXECUTION_LINKS = (("steps", "Steps"), ("execution_context", "Context"))


def _execution_url(base: str, flow_sid: str, sid: str) -> str:
    return f"{base}{PREFIX}/Flows/{flow_sid}/Executions/{sid}"


serialize_execution = v1_serializer(
    EXECUTION_FIELDS, f"{PREFIX}/Flows/{{flow_sid}}/Executions/{{sid}}", EXECUTION_LINKS
)


def serialize_execution_context(record: dict[str, Any], place: Place) -> dict[str, Any]:
    url = _execution_url(place.base, record["flow_sid"], record["sid"])
    derived = {"execution_sid": record["sid"], "url": f"{url}/Context"}
    return in_order(EXECUTION_CONTEXT_FIELDS, record, derived)


def serialize_step(step: dict[str, Any], execution: dict[str, Any], base: str) -> dict[str, Any]:
    execution_url = _execution_url(base, execution["flow_sid"], execution["sid"])
    url = f"{execution_url}/Steps/{step['sid']}"
    derived = {
        "account_sid": execution["account_sid"],
        "flow_sid": execution["flow_sid"],
        "execution_sid": execution["sid"],
        "date_created": iso(step["date_created"]),
        "date_updated": None,
        "url": url,
        "links": {"step_context": f"{url}/Context"},
    }
    return in_order(EXECUTION_STEP_FIELDS, step, derived)


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
    return json_response(serialize_execution_context(record, place_of(request)))


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
