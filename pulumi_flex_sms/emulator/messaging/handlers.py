"""Messaging v1 handlers: Services and their PhoneNumbers.

Thin: parse the request, call the backend, serialise Twilio's JSON. The
Console mode a seed declares (``incoming_mode``) is never serialised.
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
from .backend import MessagingBackend

__all__ = [
    "PREFIX",
    "add_phone_number",
    "create_service",
    "delete_service",
    "fetch_phone_number",
    "fetch_service",
    "list_phone_numbers",
    "list_services",
    "remove_phone_number",
    "serialize_service",
    "serialize_service_number",
    "update_service",
]

PREFIX = "/messaging/v1"
#: ``links`` of a service, as SPEC-MSG's examples list them (only PhoneNumbers is served).
SERVICE_LINKS = (
    ("phone_numbers", "PhoneNumbers"),
    ("short_codes", "ShortCodes"),
    ("alpha_senders", "AlphaSenders"),
    ("messages", "Messages"),
    ("us_app_to_person", "Compliance/Usa2p"),
    ("us_app_to_person_usecases", "Compliance/Usa2p/Usecases"),
    ("channel_senders", "ChannelSenders"),
    ("destination_alpha_senders", "DestinationAlphaSenders"),
)
#: The schema's property order (``messaging.v1.service``), dates and links aside.
SERVICE_FIELDS = (
    "sid",
    "account_sid",
    "friendly_name",
    "date_created",
    "date_updated",
    "inbound_request_url",
    "inbound_method",
    "fallback_url",
    "fallback_method",
    "status_callback",
    "sticky_sender",
    "mms_converter",
    "smart_encoding",
    "scan_message_content",
    "fallback_to_long_code",
    "area_code_geomatch",
    "synchronous_validation",
    "validity_period",
    "url",
    "links",
    "usecase",
    "us_app_to_person_registered",
    "use_inbound_webhook_on_number",
)


def serialize_service(record: dict[str, Any], base: str) -> dict[str, Any]:
    url = f"{base}{PREFIX}/Services/{record['sid']}"
    derived = {
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": url,
        "links": {key: f"{url}/{segment}" for key, segment in SERVICE_LINKS},
    }
    return {name: derived[name] if name in derived else record[name] for name in SERVICE_FIELDS}


def serialize_service_number(record: dict[str, Any], base: str) -> dict[str, Any]:
    return {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "service_sid": record["service_sid"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "phone_number": record["phone_number"],
        "country_code": record["country_code"],
        "capabilities": record["capabilities"],
        "url": f"{base}{PREFIX}/Services/{record['service_sid']}/PhoneNumbers/{record['sid']}",
    }


def _messaging(request: Request) -> MessagingBackend:
    return backend_of(request).messaging


async def list_services(request: Request) -> Response:
    result = await call(_messaging(request).list_services, account_of(request), query_of(request))
    base = base_url(request)
    items = [serialize_service(r, base) for r in result.items]
    return json_response(page_v1(request, f"{base}{PREFIX}/Services", "services", result, items))


async def create_service(request: Request) -> Response:
    record = await call(_messaging(request).create_service, account_of(request), form_of(request))
    return json_response(serialize_service(record, base_url(request)), 201)


async def fetch_service(request: Request) -> Response:
    messaging = _messaging(request)
    record = await call(messaging.fetch_service, account_of(request), request.path_params["sid"])
    return json_response(serialize_service(record, base_url(request)))


async def update_service(request: Request) -> Response:
    messaging = _messaging(request)
    record = await call(
        messaging.update_service, account_of(request), request.path_params["sid"], form_of(request)
    )
    return json_response(serialize_service(record, base_url(request)))


async def delete_service(request: Request) -> Response:
    messaging = _messaging(request)
    await call(messaging.delete_service, account_of(request), request.path_params["sid"])
    return Response(status_code=204)


async def list_phone_numbers(request: Request) -> Response:
    service = request.path_params["service_sid"]
    result = await call(
        _messaging(request).list_phone_numbers, account_of(request), service, query_of(request)
    )
    base = base_url(request)
    items = [serialize_service_number(r, base) for r in result.items]
    list_url = f"{base}{PREFIX}/Services/{service}/PhoneNumbers"
    return json_response(page_v1(request, list_url, "phone_numbers", result, items))


async def add_phone_number(request: Request) -> Response:
    messaging = _messaging(request)
    record = await call(
        messaging.add_phone_number,
        account_of(request),
        request.path_params["service_sid"],
        form_of(request),
    )
    return json_response(serialize_service_number(record, base_url(request)), 201)


async def fetch_phone_number(request: Request) -> Response:
    messaging = _messaging(request)
    record = await call(
        messaging.fetch_phone_number,
        account_of(request),
        request.path_params["service_sid"],
        request.path_params["sid"],
    )
    return json_response(serialize_service_number(record, base_url(request)))


async def remove_phone_number(request: Request) -> Response:
    messaging = _messaging(request)
    await call(
        messaging.remove_phone_number,
        account_of(request),
        request.path_params["service_sid"],
        request.path_params["sid"],
    )
    return Response(status_code=204)
