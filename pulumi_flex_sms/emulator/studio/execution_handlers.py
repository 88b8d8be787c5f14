"""Studio v2 handlers: a flow's Executions, their Context and Steps.

Thin: parse the request, call the backend, serialise Twilio's JSON
(``studio.v2.flow.execution`` and its sub-resources in ``twilio_studio_v2.json``).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..wire import (
    account_of,
    backend_of,
    base_url,
    call,
    form_of,
    iso,
    json_response,
    page_v1,
    query_of,
)
from .backend import StudioBackend
from .handlers import PREFIX

__all__ = [
    "delete_execution",
    "fetch_execution",
    "fetch_execution_context",
    "fetch_execution_step",
    "list_execution_steps",
    "list_executions",
    "serialize_execution",
    "serialize_step",
    "update_execution",
]


def _executions_url(base: str, flow_sid: str) -> str:
    return f"{base}{PREFIX}/Flows/{flow_sid}/Executions"


def serialize_execution(record: dict[str, Any], base: str) -> dict[str, Any]:
    url = f"{_executions_url(base, record['flow_sid'])}/{record['sid']}"
    return {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "flow_sid": record["flow_sid"],
        "contact_channel_address": record["contact_channel_address"],
        "contact_sid": record["contact_sid"],
        "flow_version": record["flow_version"],
        "context": record["context"],
        "status": record["status"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "initiated_by": record["initiated_by"],
        "url": url,
        "links": {"steps": f"{url}/Steps", "execution_context": f"{url}/Context"},
    }


def serialize_step(step: dict[str, Any], execution: dict[str, Any], base: str) -> dict[str, Any]:
    url = f"{_executions_url(base, execution['flow_sid'])}/{execution['sid']}/Steps/{step['sid']}"
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


def _studio(request: Request) -> StudioBackend:
    return backend_of(request).studio


async def list_executions(request: Request) -> Response:
    flow = request.path_params["flow"]
    result = await call(
        _studio(request).list_executions, account_of(request), flow, query_of(request)
    )
    base = base_url(request)
    items = [serialize_execution(r, base) for r in result.items]
    body = page_v1(
        request,
        _executions_url(base, flow),
        "executions",
        result,
        items,
        filter_names=("status", "DateCreatedFrom", "DateCreatedTo"),
    )
    return json_response(body)


async def fetch_execution(request: Request) -> Response:
    record = await call(
        _studio(request).fetch_execution,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
    )
    return json_response(serialize_execution(record, base_url(request)))


async def update_execution(request: Request) -> Response:
    record = await call(
        _studio(request).update_execution,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
        form_of(request),
    )
    return json_response(serialize_execution(record, base_url(request)))


async def delete_execution(request: Request) -> Response:
    await call(
        _studio(request).delete_execution,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
    )
    return Response(status_code=204)


async def fetch_execution_context(request: Request) -> Response:
    record = await call(
        _studio(request).fetch_execution,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
    )
    url = f"{_executions_url(base_url(request), record['flow_sid'])}/{record['sid']}/Context"
    return json_response(
        {
            "account_sid": record["account_sid"],
            "context": record["context"],
            "flow_sid": record["flow_sid"],
            "execution_sid": record["sid"],
            "url": url,
        }
    )


async def list_execution_steps(request: Request) -> Response:
    flow, sid = request.path_params["flow"], request.path_params["sid"]
    execution, result = await call(
        _studio(request).list_execution_steps, account_of(request), flow, sid, query_of(request)
    )
    base = base_url(request)
    items = [serialize_step(step, execution, base) for step in result.items]
    url = f"{_executions_url(base, flow)}/{sid}/Steps"
    return json_response(page_v1(request, url, "steps", result, items))


async def fetch_execution_step(request: Request) -> Response:
    execution, step = await call(
        _studio(request).fetch_execution_step,
        account_of(request),
        request.path_params["flow"],
        request.path_params["sid"],
        request.path_params["step"],
    )
    return json_response(serialize_step(step, execution, base_url(request)))
