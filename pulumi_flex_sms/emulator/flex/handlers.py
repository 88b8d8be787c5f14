"""Flex v1 handlers: FlexFlows and the Configuration.

Thin: parse the request, call the backend, serialise Twilio's JSON. The
Configuration update is the one JSON request body the emulator serves
(twilio-python sends ``Content-Type: application/json``); it is read within
the emulator's document limits.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..documents import DocumentError, parse_json
from ..errors import BadRequest
from ..resource import Resource, place_of
from ..shapes import v1_serializer
from ..wire import account_of, backend_of, call, json_response
from .backend import CONFIGURATION_FIELDS

__all__ = [
    "FLEX_FLOWS",
    "PREFIX",
    "fetch_configuration",
    "serialize_configuration",
    "serialize_flex_flow",
    "update_configuration",
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


serialize_flex_flow = v1_serializer(FLOW_FIELDS, f"{PREFIX}/FlexFlows/{{sid}}")


#: Every field of ``flex.v1.configuration``: the account and dates, then the schema's.
serialize_configuration = v1_serializer(
    ("account_sid", "date_created", "date_updated", *CONFIGURATION_FIELDS, "url"),
    f"{PREFIX}/Configuration",
)


FLEX_FLOWS = Resource(
    path=f"{PREFIX}/FlexFlows",
    key="flex_flows",
    serialize=serialize_flex_flow,
    filters=("FriendlyName",),
    list=lambda backend: backend.flex.list_flex_flows,
    create=lambda backend: backend.flex.create_flex_flow,
    fetch=lambda backend: backend.flex.fetch_flex_flow,
    update=lambda backend: backend.flex.update_flex_flow,
    delete=lambda backend: backend.flex.delete_flex_flow,
)


async def fetch_configuration(request: Request) -> Response:
    record = await call(backend_of(request).flex.fetch_configuration, account_of(request))
    return json_response(serialize_configuration(record, place_of(request)))


async def update_configuration(request: Request) -> Response:
    text = (await request.body()).decode("utf-8", "replace")
    try:
        body = parse_json(text) if text.strip() else None
    except DocumentError as exc:
        raise BadRequest(f"The body must be a JSON object: {exc}") from None
    record = await call(backend_of(request).flex.update_configuration, account_of(request), body)
    return json_response(serialize_configuration(record, place_of(request)))
