"""Studio v2 handlers: Flows.

Thin: parse the request, call the backend, serialise Twilio's JSON.
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

__all__ = [
    "PREFIX",
    "create_flow",
    "delete_flow",
    "fetch_flow",
    "list_flows",
    "serialize_flow",
    "update_flow",
]

PREFIX = "/studio/v2"


def serialize_flow(record: dict[str, Any], base: str, *, in_list: bool = False) -> dict[str, Any]:
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
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": url,
        "links": {
            "test_users": f"{url}/TestUsers",
            "revisions": f"{url}/Revisions",
            "executions": f"{url}/Executions",
        },
    }


def _studio(request: Request) -> StudioBackend:
    return backend_of(request).studio


async def list_flows(request: Request) -> Response:
    result = await call(_studio(request).list_flows, account_of(request), query_of(request))
    base = base_url(request)
    items = [serialize_flow(r, base, in_list=True) for r in result.items]
    return json_response(page_v1(request, f"{base}{PREFIX}/Flows", "flows", result, items))


async def create_flow(request: Request) -> Response:
    record = await call(_studio(request).create_flow, account_of(request), form_of(request))
    return json_response(serialize_flow(record, base_url(request)), 201)


async def fetch_flow(request: Request) -> Response:
    record = await call(
        _studio(request).fetch_flow, account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_flow(record, base_url(request)))


async def update_flow(request: Request) -> Response:
    studio = _studio(request)
    record = await call(
        studio.update_flow, account_of(request), request.path_params["sid"], form_of(request)
    )
    return json_response(serialize_flow(record, base_url(request)))


async def delete_flow(request: Request) -> Response:
    await call(_studio(request).delete_flow, account_of(request), request.path_params["sid"])
    return Response(status_code=204)
