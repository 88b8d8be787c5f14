"""Conversations v1 handlers: Address Configurations and Services.

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
from .backend import AUTO_CREATION_KEYS, ConversationsBackend

__all__ = [
    "PREFIX",
    "create_address",
    "create_service",
    "delete_address",
    "delete_service",
    "fetch_address",
    "fetch_service",
    "list_addresses",
    "list_services",
    "serialize_address_configuration",
    "serialize_service",
    "update_address",
]

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
        # Only the keys of the configuration's type, as Twilio answers them.
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


def _conversations(request: Request) -> ConversationsBackend:
    return backend_of(request).conversations


async def list_addresses(request: Request) -> Response:
    conversations = _conversations(request)
    result = await call(
        conversations.list_address_configurations, account_of(request), query_of(request)
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
    conversations = _conversations(request)
    record = await call(
        conversations.create_address_configuration, account_of(request), form_of(request)
    )
    return json_response(serialize_address_configuration(record, base_url(request)), 201)


async def fetch_address(request: Request) -> Response:
    conversations = _conversations(request)
    record = await call(
        conversations.fetch_address_configuration, account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_address_configuration(record, base_url(request)))


async def update_address(request: Request) -> Response:
    conversations = _conversations(request)
    record = await call(
        conversations.update_address_configuration,
        account_of(request),
        request.path_params["sid"],
        form_of(request),
    )
    return json_response(serialize_address_configuration(record, base_url(request)))


async def delete_address(request: Request) -> Response:
    conversations = _conversations(request)
    await call(
        conversations.delete_address_configuration, account_of(request), request.path_params["sid"]
    )
    return Response(status_code=204)


async def list_services(request: Request) -> Response:
    result = await call(
        _conversations(request).list_services, account_of(request), query_of(request)
    )
    base = base_url(request)
    items = [serialize_service(r, base) for r in result.items]
    return json_response(page_v1(request, f"{base}{PREFIX}/Services", "services", result, items))


async def create_service(request: Request) -> Response:
    record = await call(
        _conversations(request).create_service, account_of(request), form_of(request)
    )
    return json_response(serialize_service(record, base_url(request)), 201)


async def fetch_service(request: Request) -> Response:
    conversations = _conversations(request)
    record = await call(
        conversations.fetch_service, account_of(request), request.path_params["sid"]
    )
    return json_response(serialize_service(record, base_url(request)))


async def delete_service(request: Request) -> Response:
    conversations = _conversations(request)
    await call(conversations.delete_service, account_of(request), request.path_params["sid"])
    return Response(status_code=204)
