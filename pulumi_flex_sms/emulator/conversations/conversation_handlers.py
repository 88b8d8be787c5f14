"""Conversations v1 handlers: Configuration, Conversations and their Participants,
Messages and Webhooks, at ``/v1/...`` (the default service) and
``/v1/Services/{IS}/...``.

Thin: parse the request, call the backend, serialise Twilio's JSON. The
service-scoped resources carry ``chat_service_sid`` (schemas
``conversations.v1.service.service_conversation.*``); the top-level ones only
the conversation does.
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
from .backend import ConversationsBackend
from .handlers import PREFIX
from .timers import deadline

__all__ = [
    "create_conversation",
    "create_message",
    "create_participant",
    "create_webhook",
    "delete_conversation",
    "delete_participant",
    "delete_webhook",
    "fetch_configuration",
    "fetch_conversation",
    "fetch_message",
    "fetch_participant",
    "fetch_webhook",
    "list_conversations",
    "list_messages",
    "list_participants",
    "list_webhooks",
    "serialize_configuration",
    "serialize_conversation",
    "serialize_message",
    "serialize_participant",
    "serialize_webhook",
    "update_configuration",
    "update_conversation",
]


def _root(base: str, service: str | None) -> str:
    """The URL conversations are listed at, in the scope a request used."""
    scope = f"/Services/{service}" if service else ""
    return f"{base}{PREFIX}{scope}/Conversations"


def _scoped(record: dict[str, Any], service: str | None, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with ``chat_service_sid`` after ``account_sid`` in the service scope."""
    if service is None:
        return fields
    out: dict[str, Any] = {}
    for name, value in fields.items():
        out[name] = value
        if name == "account_sid":
            out["chat_service_sid"] = record["chat_service_sid"]
    return out


# -- serialisers ---------------------------------------------------------------------


def serialize_configuration(record: dict[str, Any], base: str) -> dict[str, Any]:
    links = {"webhooks": f"{base}{PREFIX}/Configuration/Webhooks"}
    if record["default_chat_service_sid"]:
        service = record["default_chat_service_sid"]
        links = {"service": f"{base}{PREFIX}/Services/{service}/Configuration", **links}
    return {
        "account_sid": record["account_sid"],
        "default_chat_service_sid": record["default_chat_service_sid"],
        "default_messaging_service_sid": record["default_messaging_service_sid"],
        "default_inactive_timer": record["default_inactive_timer"],
        "default_closed_timer": record["default_closed_timer"],
        "url": f"{base}{PREFIX}/Configuration",
        "links": links,
    }


def _timers(record: dict[str, Any]) -> dict[str, str | None]:
    """The absolute dates the conversation's timers fall due (none once closed)."""
    if record["state"] == "closed":
        return {}
    timers = record["timers"]
    start = record["timers_started"]
    dates = {
        "date_inactive": iso(deadline(start, timers.get("inactive")))
        if record["state"] == "active"
        else None,
        "date_closed": iso(deadline(start, timers.get("closed"))),
    }
    return {name: value for name, value in dates.items() if value is not None}


def serialize_conversation(
    record: dict[str, Any], base: str, service: str | None = None
) -> dict[str, Any]:
    url = f"{_root(base, service)}/{record['sid']}"
    return {
        "account_sid": record["account_sid"],
        "chat_service_sid": record["chat_service_sid"],
        "messaging_service_sid": record["messaging_service_sid"],
        "sid": record["sid"],
        "friendly_name": record["friendly_name"],
        "unique_name": record["unique_name"],
        "attributes": record["attributes"],
        "state": record["state"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "timers": _timers(record),
        "url": url,
        "links": {
            "participants": f"{url}/Participants",
            "messages": f"{url}/Messages",
            "webhooks": f"{url}/Webhooks",
            "export": f"{url}/Export",
        },
        "bindings": record["bindings"],
    }


def serialize_participant(
    record: dict[str, Any], base: str, service: str | None = None
) -> dict[str, Any]:
    url = f"{_root(base, service)}/{record['conversation_sid']}/Participants/{record['sid']}"
    fields = {
        "account_sid": record["account_sid"],
        "conversation_sid": record["conversation_sid"],
        "sid": record["sid"],
        "identity": record["identity"],
        "attributes": record["attributes"],
        "messaging_binding": record["messaging_binding"],
        "role_sid": record["role_sid"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": url,
        "last_read_message_index": record["last_read_message_index"],
        "last_read_timestamp": record["last_read_timestamp"],
    }
    return _scoped(record, service, fields)


def serialize_message(
    record: dict[str, Any], base: str, service: str | None = None
) -> dict[str, Any]:
    url = f"{_root(base, service)}/{record['conversation_sid']}/Messages/{record['sid']}"
    fields = {
        "account_sid": record["account_sid"],
        "conversation_sid": record["conversation_sid"],
        "sid": record["sid"],
        "index": record["index"],
        "author": record["author"],
        "body": record["body"],
        "media": record["media"],
        "attributes": record["attributes"],
        "participant_sid": record["participant_sid"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
        "url": url,
        # Receipts are not emulated: no delivery summary to give.
        "delivery": None,
        "links": {
            "delivery_receipts": f"{url}/Receipts",
            "channel_metadata": f"{url}/ChannelMetadata",
        },
        "content_sid": None,
    }
    return _scoped(record, service, fields)


def serialize_webhook(
    record: dict[str, Any], base: str, service: str | None = None
) -> dict[str, Any]:
    url = f"{_root(base, service)}/{record['conversation_sid']}/Webhooks/{record['sid']}"
    fields = {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "conversation_sid": record["conversation_sid"],
        "target": record["target"],
        "url": url,
        "configuration": record["configuration"],
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
    }
    return _scoped(record, service, fields)


# -- handlers ------------------------------------------------------------------------


def _conversations(request: Request) -> ConversationsBackend:
    return backend_of(request).conversations


def _service(request: Request) -> str | None:
    service: str | None = request.path_params.get("service")
    return service


async def fetch_configuration(request: Request) -> Response:
    record = await call(_conversations(request).fetch_configuration, account_of(request))
    return json_response(serialize_configuration(record, base_url(request)))


async def update_configuration(request: Request) -> Response:
    conversations = _conversations(request)
    record = await call(conversations.update_configuration, account_of(request), form_of(request))
    return json_response(serialize_configuration(record, base_url(request)))


async def list_conversations(request: Request) -> Response:
    service = _service(request)
    result = await call(
        _conversations(request).list_conversations,
        account_of(request),
        service,
        query_of(request),
    )
    base = base_url(request)
    items = [serialize_conversation(r, base, service) for r in result.items]
    body = page_v1(
        request,
        _root(base, service),
        "conversations",
        result,
        items,
        filter_names=("StartDate", "EndDate", "State"),
    )
    return json_response(body)


async def create_conversation(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).create_conversation_from_form,
        account_of(request),
        service,
        form_of(request),
    )
    return json_response(serialize_conversation(record, base_url(request), service), 201)


async def fetch_conversation(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).fetch_conversation,
        account_of(request),
        service,
        request.path_params["sid"],
    )
    return json_response(serialize_conversation(record, base_url(request), service))


async def update_conversation(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).update_conversation,
        account_of(request),
        service,
        request.path_params["sid"],
        form_of(request),
    )
    return json_response(serialize_conversation(record, base_url(request), service))


async def delete_conversation(request: Request) -> Response:
    await call(
        _conversations(request).delete_conversation,
        account_of(request),
        _service(request),
        request.path_params["sid"],
    )
    return Response(status_code=204)


async def list_participants(request: Request) -> Response:
    service, conversation = _service(request), request.path_params["conversation"]
    result = await call(
        _conversations(request).list_participants,
        account_of(request),
        service,
        conversation,
        query_of(request),
    )
    base = base_url(request)
    items = [serialize_participant(r, base, service) for r in result.items]
    url = f"{_root(base, service)}/{conversation}/Participants"
    return json_response(page_v1(request, url, "participants", result, items))


async def create_participant(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).create_participant_from_form,
        account_of(request),
        service,
        request.path_params["conversation"],
        form_of(request),
    )
    return json_response(serialize_participant(record, base_url(request), service), 201)


async def fetch_participant(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).fetch_participant,
        account_of(request),
        service,
        request.path_params["conversation"],
        request.path_params["sid"],
    )
    return json_response(serialize_participant(record, base_url(request), service))


async def delete_participant(request: Request) -> Response:
    await call(
        _conversations(request).delete_participant,
        account_of(request),
        _service(request),
        request.path_params["conversation"],
        request.path_params["sid"],
    )
    return Response(status_code=204)


async def list_messages(request: Request) -> Response:
    service, conversation = _service(request), request.path_params["conversation"]
    result = await call(
        _conversations(request).list_messages,
        account_of(request),
        service,
        conversation,
        query_of(request),
    )
    base = base_url(request)
    items = [serialize_message(r, base, service) for r in result.items]
    url = f"{_root(base, service)}/{conversation}/Messages"
    body = page_v1(request, url, "messages", result, items, filter_names=("Order",))
    return json_response(body)


async def create_message(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).create_message_from_form,
        account_of(request),
        service,
        request.path_params["conversation"],
        form_of(request),
    )
    return json_response(serialize_message(record, base_url(request), service), 201)


async def fetch_message(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).fetch_message,
        account_of(request),
        service,
        request.path_params["conversation"],
        request.path_params["sid"],
    )
    return json_response(serialize_message(record, base_url(request), service))


async def list_webhooks(request: Request) -> Response:
    service, conversation = _service(request), request.path_params["conversation"]
    result = await call(
        _conversations(request).list_conversation_webhooks,
        account_of(request),
        service,
        conversation,
        query_of(request),
    )
    base = base_url(request)
    items = [serialize_webhook(r, base, service) for r in result.items]
    url = f"{_root(base, service)}/{conversation}/Webhooks"
    return json_response(page_v1(request, url, "webhooks", result, items))


async def create_webhook(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).create_conversation_webhook_from_form,
        account_of(request),
        service,
        request.path_params["conversation"],
        form_of(request),
    )
    return json_response(serialize_webhook(record, base_url(request), service), 201)


async def fetch_webhook(request: Request) -> Response:
    service = _service(request)
    record = await call(
        _conversations(request).fetch_conversation_webhook,
        account_of(request),
        service,
        request.path_params["conversation"],
        request.path_params["sid"],
    )
    return json_response(serialize_webhook(record, base_url(request), service))


async def delete_webhook(request: Request) -> Response:
    await call(
        _conversations(request).delete_conversation_webhook,
        account_of(request),
        _service(request),
        request.path_params["conversation"],
        request.path_params["sid"],
    )
    return Response(status_code=204)
