"""Conversations v1 JSON: the Configuration, conversations and their participants,
messages and scoped webhooks, as ``twilio_conversations_v1.json`` shapes them.

The service-scoped resources carry ``chat_service_sid`` (schemas
``conversations.v1.service.service_conversation.*``); at the top level only the
conversation does.
"""

from __future__ import annotations

from typing import Any

from ..shapes import Where, dates, links
from ..wire import iso
from .handlers import PREFIX
from .timers import deadline

__all__ = [
    "conversations_url",
    "serialize_configuration",
    "serialize_conversation",
    "serialize_message",
    "serialize_participant",
    "serialize_webhook",
]

CONVERSATION_LINKS = (
    ("participants", "Participants"),
    ("messages", "Messages"),
    ("webhooks", "Webhooks"),
    ("export", "Export"),
)
MESSAGE_LINKS = (("delivery_receipts", "Receipts"), ("channel_metadata", "ChannelMetadata"))


def conversations_url(base: str, service: str | None) -> str:
    """The URL conversations are listed at, in the scope a request used."""
    scope = f"/Services/{service}" if service else ""
    return f"{base}{PREFIX}{scope}/Conversations"


def _service(where: Where) -> str | None:
    """The service the request's path named (None at the top level: the default service)."""
    service: str | None = where.path_params.get("service")
    return service


def _scoped(record: dict[str, Any], where: Where, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with ``chat_service_sid`` after ``account_sid`` in the service scope."""
    if _service(where) is None:
        return fields
    out: dict[str, Any] = {}
    for name, value in fields.items():
        out[name] = value
        if name == "account_sid":
            out["chat_service_sid"] = record["chat_service_sid"]
    return out


def _child_url(record: dict[str, Any], where: Where, segment: str) -> str:
    """The URL of a participant, message or webhook (``segment``) in the request's scope."""
    conversation = f"{conversations_url(where.base, _service(where))}/{record['conversation_sid']}"
    return f"{conversation}/{segment}/{record['sid']}"


def serialize_configuration(record: dict[str, Any], where: Where) -> dict[str, Any]:
    root = f"{where.base}{PREFIX}"
    linked = {"webhooks": f"{root}/Configuration/Webhooks"}
    if record["default_chat_service_sid"]:
        service = record["default_chat_service_sid"]
        linked = {"service": f"{root}/Services/{service}/Configuration", **linked}
    return {
        "account_sid": record["account_sid"],
        "default_chat_service_sid": record["default_chat_service_sid"],
        "default_messaging_service_sid": record["default_messaging_service_sid"],
        "default_inactive_timer": record["default_inactive_timer"],
        "default_closed_timer": record["default_closed_timer"],
        "url": f"{root}/Configuration",
        "links": linked,
    }


def _timers(record: dict[str, Any]) -> dict[str, str | None]:
    """The absolute dates the conversation's timers fall due (none once closed)."""
    if record["state"] == "closed":
        return {}
    timers = record["timers"]
    start = record["timers_started"]
    due = {
        "date_inactive": iso(deadline(start, timers.get("inactive")))
        if record["state"] == "active"
        else None,
        "date_closed": iso(deadline(start, timers.get("closed"))),
    }
    return {name: value for name, value in due.items() if value is not None}


def serialize_conversation(record: dict[str, Any], where: Where) -> dict[str, Any]:
    url = f"{conversations_url(where.base, _service(where))}/{record['sid']}"
    return {
        "account_sid": record["account_sid"],
        "chat_service_sid": record["chat_service_sid"],
        "messaging_service_sid": record["messaging_service_sid"],
        "sid": record["sid"],
        "friendly_name": record["friendly_name"],
        "unique_name": record["unique_name"],
        "attributes": record["attributes"],
        "state": record["state"],
        **dates(record),
        "timers": _timers(record),
        "url": url,
        "links": links(url, CONVERSATION_LINKS),
        "bindings": record["bindings"],
    }


def serialize_participant(record: dict[str, Any], where: Where) -> dict[str, Any]:
    fields = {
        "account_sid": record["account_sid"],
        "conversation_sid": record["conversation_sid"],
        "sid": record["sid"],
        "identity": record["identity"],
        "attributes": record["attributes"],
        "messaging_binding": record["messaging_binding"],
        "role_sid": record["role_sid"],
        **dates(record),
        "url": _child_url(record, where, "Participants"),
        "last_read_message_index": record["last_read_message_index"],
        "last_read_timestamp": record["last_read_timestamp"],
    }
    return _scoped(record, where, fields)


def serialize_message(record: dict[str, Any], where: Where) -> dict[str, Any]:
    url = _child_url(record, where, "Messages")
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
        **dates(record),
        "url": url,
        # Receipts are not emulated: no delivery summary to give.
        "delivery": None,
        "links": links(url, MESSAGE_LINKS),
        "content_sid": None,
    }
    return _scoped(record, where, fields)


def serialize_webhook(record: dict[str, Any], where: Where) -> dict[str, Any]:
    fields = {
        "sid": record["sid"],
        "account_sid": record["account_sid"],
        "conversation_sid": record["conversation_sid"],
        "target": record["target"],
        "url": _child_url(record, where, "Webhooks"),
        "configuration": record["configuration"],
        **dates(record),
    }
    return _scoped(record, where, fields)
