"""The conversations domain's routing table (paths after ``{base}/conversations``)."""

from __future__ import annotations

from starlette.routing import Route

from . import conversation_handlers as threads
from .handlers import (
    PREFIX,
    create_address,
    create_service,
    delete_address,
    delete_service,
    fetch_address,
    fetch_service,
    list_addresses,
    list_services,
    update_address,
)

__all__ = ["ROUTES"]

_ADDRESSES = f"{PREFIX}/Configuration/Addresses"
_SERVICES = f"{PREFIX}/Services"


def _conversation_routes(root: str) -> list[Route]:
    """Conversations and their participants, messages and webhooks under ``root``
    (``/v1/Conversations``, or ``/v1/Services/{service}/Conversations``)."""
    one = f"{root}/{{sid}}"
    participants = f"{root}/{{conversation}}/Participants"
    messages = f"{root}/{{conversation}}/Messages"
    webhooks = f"{root}/{{conversation}}/Webhooks"
    return [
        Route(root, threads.list_conversations, methods=["GET"]),
        Route(root, threads.create_conversation, methods=["POST"]),
        Route(one, threads.fetch_conversation, methods=["GET"]),
        Route(one, threads.update_conversation, methods=["POST"]),
        Route(one, threads.delete_conversation, methods=["DELETE"]),
        Route(participants, threads.list_participants, methods=["GET"]),
        Route(participants, threads.create_participant, methods=["POST"]),
        Route(f"{participants}/{{sid}}", threads.fetch_participant, methods=["GET"]),
        Route(f"{participants}/{{sid}}", threads.delete_participant, methods=["DELETE"]),
        Route(messages, threads.list_messages, methods=["GET"]),
        Route(messages, threads.create_message, methods=["POST"]),
        Route(f"{messages}/{{sid}}", threads.fetch_message, methods=["GET"]),
        Route(webhooks, threads.list_webhooks, methods=["GET"]),
        Route(webhooks, threads.create_webhook, methods=["POST"]),
        Route(f"{webhooks}/{{sid}}", threads.fetch_webhook, methods=["GET"]),
        Route(f"{webhooks}/{{sid}}", threads.delete_webhook, methods=["DELETE"]),
    ]


ROUTES = [
    Route(f"{PREFIX}/Configuration", threads.fetch_configuration, methods=["GET"]),
    Route(f"{PREFIX}/Configuration", threads.update_configuration, methods=["POST"]),
    Route(_ADDRESSES, list_addresses, methods=["GET"]),
    Route(_ADDRESSES, create_address, methods=["POST"]),
    Route(f"{_ADDRESSES}/{{sid}}", fetch_address, methods=["GET"]),
    Route(f"{_ADDRESSES}/{{sid}}", update_address, methods=["POST"]),
    Route(f"{_ADDRESSES}/{{sid}}", delete_address, methods=["DELETE"]),
    Route(_SERVICES, list_services, methods=["GET"]),
    Route(_SERVICES, create_service, methods=["POST"]),
    Route(f"{_SERVICES}/{{sid}}", fetch_service, methods=["GET"]),
    Route(f"{_SERVICES}/{{sid}}", delete_service, methods=["DELETE"]),
    *_conversation_routes(f"{PREFIX}/Conversations"),
    *_conversation_routes(f"{_SERVICES}/{{service}}/Conversations"),
]
