"""Flex v1 handlers: FlexFlows and the Configuration.

Thin: parse the request, call the backend, serialise Twilio's JSON. The
Configuration update is the one JSON request body the emulator serves
(twilio-python sends ``Content-Type: application/json``); it is read within
the emulator's document limits.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..documents import DocumentError, parse_json
from ..errors import BadRequest
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
from .backend import CONFIGURATION_FIELDS, FlexBackend

__all__ = [
    "PREFIX",
    "create_flex_flow",
    "delete_flex_flow",
    "fetch_configuration",
    "fetch_flex_flow",
    "list_flex_flows",
    "serialize_configuration",
    "serialize_flex_flow",
    "update_configuration",
    "update_flex_flow",
]

PREFIX = "/flex-api/v1"
#: The schema's property order (``flex.v1.flex_flow``).
FLOW_FIELDS = (
    "account_sid",
    "date_created",
    "date_updated",
    "sid",
    "friendly_name",
    "chat_service_sid",
    "channel_type",
    "contact_identity",
    "enabled",
    "integration_type",
    "integration",
    "long_lived",
    "janitor_enabled",
    "url",
)


def serialize_flex_flow(record: dict[str, Any], base: str) -> dict[str, Any]:
    derived = {
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": f"{base}{PREFIX}/FlexFlows/{record['sid']}",
    }
    return {name: derived[name] if name in derived else record[name] for name in FLOW_FIELDS}


def serialize_configuration(record: dict[str, Any], base: str) -> dict[str, Any]:
    """Every field of ``flex.v1.configuration``: the account and dates, then the schema's."""
    return {
        "account_sid": record["account_sid"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        **{name: record[name] for name in CONFIGURATION_FIELDS},
        "url": f"{base}{PREFIX}/Configuration",
    }


def _flex(request: Request) -> FlexBackend:
    return backend_of(request).flex


async def list_flex_flows(request: Request) -> Response:
    result = await call(_flex(request).list_flex_flows, account_of(request), query_of(request))
    base = base_url(request)
    items = [serialize_flex_flow(r, base) for r in result.items]
    return json_response(
        page_v1(
            request,
            f"{base}{PREFIX}/FlexFlows",
            "flex_flows",
            result,
            items,
            filter_names=("FriendlyName",),
        )
    )


async def create_flex_flow(request: Request) -> Response:
    record = await call(_flex(request).create_flex_flow, account_of(request), form_of(request))
    return json_response(serialize_flex_flow(record, base_url(request)), 201)


async def fetch_flex_flow(request: Request) -> Response:
    record = await call(
        _flex(request).fetch_flex_flow, account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_flex_flow(record, base_url(request)))


async def update_flex_flow(request: Request) -> Response:
    flex = _flex(request)
    record = await call(
        flex.update_flex_flow, account_of(request), request.path_params["sid"], form_of(request)
    )
    return json_response(serialize_flex_flow(record, base_url(request)))


async def delete_flex_flow(request: Request) -> Response:
    await call(_flex(request).delete_flex_flow, account_of(request), request.path_params["sid"])
    return Response(status_code=204)


async def fetch_configuration(request: Request) -> Response:
    record = await call(_flex(request).fetch_configuration, account_of(request))
    return json_response(serialize_configuration(record, base_url(request)))


async def update_configuration(request: Request) -> Response:
    text = (await request.body()).decode("utf-8", "replace")
    try:
        body = parse_json(text) if text.strip() else None
    except DocumentError as exc:
        raise BadRequest(f"The body must be a JSON object: {exc}") from None
    record = await call(_flex(request).update_configuration, account_of(request), body)
    return json_response(serialize_configuration(record, base_url(request)))
