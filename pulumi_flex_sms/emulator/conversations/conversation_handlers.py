"""Conversations v1 handlers: Configuration, Conversations and their Participants,
Messages and Webhooks, at ``/v1/...`` (the default service) and
``/v1/Services/{IS}/...``.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
:mod:`.serializers` shapes Twilio's JSON. Every backend method takes the service
the path names (None at the top level) after the account.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..resource import Resource, place_of
from ..wire import account_of, backend_of, call, form_of, json_response
from .serializers import (
    serialize_configuration,
    serialize_conversation,
    serialize_message,
    serialize_participant,
    serialize_webhook,
)

__all__ = ["conversation_resources", "fetch_configuration", "update_configuration"]


async def fetch_configuration(request: Request) -> Response:
    record = await call(backend_of(request).conversations.fetch_configuration, account_of(request))
    return json_response(serialize_configuration(record, place_of(request)))


async def update_configuration(request: Request) -> Response:
    conversations = backend_of(request).conversations
    record = await call(conversations.update_configuration, account_of(request), form_of(request))
    return json_response(serialize_configuration(record, place_of(request)))


def conversation_resources(root: str) -> list[Resource]:
    """Conversations and their participants, messages and webhooks under ``root``
    (``/v1/Conversations``, or ``/v1/Services/{service}/Conversations``)."""
    conversation = f"{root}/{{conversation}}"
    return [
        Resource(
            path=root,
            key="conversations",
            serialize=serialize_conversation,
            scope=("service",),
            filters=("StartDate", "EndDate", "State"),
            list=lambda backend: backend.conversations.list_conversations,
            create=lambda backend: backend.conversations.create_conversation_from_form,
            fetch=lambda backend: backend.conversations.fetch_conversation,
            update=lambda backend: backend.conversations.update_conversation,
            delete=lambda backend: backend.conversations.delete_conversation,
        ),
        Resource(
            path=f"{conversation}/Participants",
            key="participants",
            serialize=serialize_participant,
            scope=("service", "conversation"),
            list=lambda backend: backend.conversations.list_participants,
            create=lambda backend: backend.conversations.create_participant_from_form,
            fetch=lambda backend: backend.conversations.fetch_participant,
            delete=lambda backend: backend.conversations.delete_participant,
        ),
        Resource(
            path=f"{conversation}/Messages",
            key="messages",
            serialize=serialize_message,
            scope=("service", "conversation"),
            filters=("Order",),
            list=lambda backend: backend.conversations.list_messages,
            create=lambda backend: backend.conversations.create_message_from_form,
            fetch=lambda backend: backend.conversations.fetch_message,
        ),
        Resource(
            path=f"{conversation}/Webhooks",
            key="webhooks",
            serialize=serialize_webhook,
            scope=("service", "conversation"),
            list=lambda backend: backend.conversations.list_conversation_webhooks,
            create=lambda backend: backend.conversations.create_conversation_webhook_from_form,
            fetch=lambda backend: backend.conversations.fetch_conversation_webhook,
            delete=lambda backend: backend.conversations.delete_conversation_webhook,
        ),
    ]
