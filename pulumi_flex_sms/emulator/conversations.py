"""Conversations v1 handlers: Address Configurations and Services.

Thin: parse the request, call the backend, serialise Twilio's JSON. Served at
``{base}/conversations/v1/...`` for ``https://conversations.twilio.com/v1/...``.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .backend import AUTO_CREATION_KEYS
from .wire import account_of, backend_call, base_url, form_of, iso, json_response, page_v1, query_of

__all__ = ["routes", "serialize_address_configuration", "serialize_service"]

PREFIX = "/conversations/v1"
SERVICE_LINKS = (
    ("conversations", "Conversations"),
    ("users", "Users"),
    ("roles", "Roles"),
    ("bindings", "Bindings"),
    ("configuration", "Configuration"),
    ("participant_conversations", "ParticipantConversations"),
    ("conversation_with_participants", "ConversationWithParticipants"),
)


def serialize_address_configuration(record: dict[str, Any], base: str) -> dict[str, Any]:
    auto = record["auto_creation"]
    return {
        "account_sid": record["account_sid"],
        "sid": record["sid"],
        "address": record["address"],
        "type": record["type"],
        "friendly_name": record["friendly_name"],
        "address_country": record["address_country"],
        # Only the keys of the configuration's type, as Twilio answers (facts 1.5).
        "auto_creation": {k: auto.get(k) for k in AUTO_CREATION_KEYS[auto["type"]]},
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        # Always the IG SID, even when the request named the address.
        "url": f"{base}{PREFIX}/Configuration/Addresses/{record['sid']}",
    }


def serialize_service(record: dict[str, Any], base: str) -> dict[str, Any]:
    url = f"{base}{PREFIX}/Services/{record['sid']}"
    return {
        "account_sid": record["account_sid"],
        "sid": record["sid"],
        "friendly_name": record["friendly_name"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": url,
        "links": {name: f"{url}/{segment}" for name, segment in SERVICE_LINKS},
    }


async def list_addresses(request: Request) -> Response:
    result = await backend_call(
        request, "list_address_configurations", account_of(request), query_of(request)
    )
    base = base_url(request)
    items = [serialize_address_configuration(r, base) for r in result.items]
    return json_response(
        page_v1(
            request,
            f"{base}{PREFIX}/Configuration/Addresses",
            "address_configurations",
            result,
            items,
            filter_names=("Type",),
        )
    )


async def create_address(request: Request) -> Response:
    record = await backend_call(
        request, "create_address_configuration", account_of(request), form_of(request)
    )
    return json_response(serialize_address_configuration(record, base_url(request)), 201)


async def fetch_address(request: Request) -> Response:
    record = await backend_call(
        request, "fetch_address_configuration", account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_address_configuration(record, base_url(request)))


async def update_address(request: Request) -> Response:
    record = await backend_call(
        request,
        "update_address_configuration",
        account_of(request),
        request.path_params["sid"],
        form_of(request),
    )
    return json_response(serialize_address_configuration(record, base_url(request)))


async def delete_address(request: Request) -> Response:
    await backend_call(
        request, "delete_address_configuration", account_of(request), request.path_params["sid"]
    )
    return Response(status_code=204)


async def list_services(request: Request) -> Response:
    result = await backend_call(request, "list_services", account_of(request), query_of(request))
    base = base_url(request)
    items = [serialize_service(r, base) for r in result.items]
    return json_response(page_v1(request, f"{base}{PREFIX}/Services", "services", result, items))


async def create_service(request: Request) -> Response:
    record = await backend_call(request, "create_service", account_of(request), form_of(request))
    return json_response(serialize_service(record, base_url(request)), 201)


async def fetch_service(request: Request) -> Response:
    record = await backend_call(
        request, "fetch_service", account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_service(record, base_url(request)))


async def delete_service(request: Request) -> Response:
    await backend_call(request, "delete_service", account_of(request), request.path_params["sid"])
    return Response(status_code=204)


def routes() -> list[Route]:
    return [
        Route(f"{PREFIX}/Configuration/Addresses", list_addresses, methods=["GET"]),
        Route(f"{PREFIX}/Configuration/Addresses", create_address, methods=["POST"]),
        Route(f"{PREFIX}/Configuration/Addresses/{{sid}}", fetch_address, methods=["GET"]),
        Route(f"{PREFIX}/Configuration/Addresses/{{sid}}", update_address, methods=["POST"]),
        Route(f"{PREFIX}/Configuration/Addresses/{{sid}}", delete_address, methods=["DELETE"]),
        Route(f"{PREFIX}/Services", list_services, methods=["GET"]),
        Route(f"{PREFIX}/Services", create_service, methods=["POST"]),
        Route(f"{PREFIX}/Services/{{sid}}", fetch_service, methods=["GET"]),
        Route(f"{PREFIX}/Services/{{sid}}", delete_service, methods=["DELETE"]),
    ]
