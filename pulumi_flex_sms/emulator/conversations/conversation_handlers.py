"""Conversations v1 handlers: Configuration, Conversations and their Participants,
Messages and Webhooks, at ``/v1/...`` (the default service) and
``/v1/Services/{IS}/...``.

Thin: parse the request, call the backend, serialise Twilio's JSON
(:mod:`.serializers`).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..wire import (
    account_of,
    backend_of,
    base_url,
    call,
    form_of,
    json_response,
    page_v1,
    query_of,
)
from .backend import ConversationsBackend
from .serializers import (
    conversations_url,
    serialize_configuration,
    serialize_conversation,
    serialize_message,
    serialize_participant,
    serialize_webhook,
)

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
    "update_configuration",
    "update_conversation",
]


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
        conversations_url(base, service),
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
    url = f"{conversations_url(base, service)}/{conversation}/Participants"
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
    url = f"{conversations_url(base, service)}/{conversation}/Messages"
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
    url = f"{conversations_url(base, service)}/{conversation}/Webhooks"
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
