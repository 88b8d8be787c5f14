"""Conversations v1 JSON: the Configuration, conversations and their participants,
messages and scoped webhooks, as ``twilio_conversations_v1.json`` shapes them.

The service-scoped resources carry ``chat_service_sid`` (schemas
``conversations.v1.service.service_conversation.*``); at the top level only the
conversation does.
"""

from __future__ import annotations

from typing import Any

from ..shapes import Place, dates, in_order, links
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

#: The schemas' property orders (``conversations.v1.*``); in a service's scope
#: ``chat_service_sid`` follows ``account_sid`` (:func:`_in_scope`).
CONFIGURATION_FIELDS = (
    "account_sid",
    "default_chat_service_sid",
    "default_messaging_service_sid",
    "default_inactive_timer",
    "default_closed_timer",
    "url",
    "links",
)
CONVERSATION_FIELDS = (
    "account_sid",
    "chat_service_sid",
    "messaging_service_sid",
    "sid",
    "friendly_name",
    "unique_name",
    "attributes",
    "state",
    "date_created",
    "date_updated",
    "timers",
    "url",
    "links",
    "bindings",
)
PARTICIPANT_FIELDS = (
    "account_sid",
    "conversation_sid",
    "sid",
    "identity",
    "attributes",
    "messaging_binding",
    "role_sid",
    "date_created",
    "date_updated",
    "url",
    "last_read_message_index",
    "last_read_timestamp",
)
MESSAGE_FIELDS = (
    "account_sid",
    "conversation_sid",
    "sid",
    "index",
    "author",
    "body",
    "media",
    "attributes",
    "participant_sid",
    "date_created",
    "date_updated",
    "url",
    "delivery",
    "links",
    "content_sid",
)
WEBHOOK_FIELDS = (
    "sid",
    "account_sid",
    "conversation_sid",
    "target",
    "url",
    "configuration",
    "date_created",
    "date_updated",
)
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


def _service(place: Place) -> str | None:
    """The service the request's path named (None at the top level: the default service)."""
    service: str | None = place.path_params.get("service")
    return service


def _in_scope(fields: tuple[str, ...], place: Place) -> tuple[str, ...]:
    """``fields`` with ``chat_service_sid`` after ``account_sid`` in a service's scope
    (schemas ``conversations.v1.service.service_conversation.*``)."""
    if _service(place) is None:
        return fields
    at = fields.index("account_sid") + 1
    return (*fields[:at], "chat_service_sid", *fields[at:])


def _child_url(record: dict[str, Any], place: Place, segment: str) -> str:
    """The URL of a participant, message or webhook (``segment``) in the request's scope."""
    conversation = f"{conversations_url(place.base, _service(place))}/{record['conversation_sid']}"
    return f"{conversation}/{segment}/{record['sid']}"


def serialize_configuration(record: dict[str, Any], place: Place) -> dict[str, Any]:
    root = f"{place.base}{PREFIX}"
    linked = {"webhooks": f"{root}/Configuration/Webhooks"}
    if record["default_chat_service_sid"]:
        service = record["default_chat_service_sid"]
        linked = {"service": f"{root}/Services/{service}/Configuration", **linked}
    derived = {"url": f"{root}/Configuration", "links": linked}
    return in_order(CONFIGURATION_FIELDS, record, derived)


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


def serialize_conversation(record: dict[str, Any], place: Place) -> dict[str, Any]:
    url = f"{conversations_url(place.base, _service(place))}/{record['sid']}"
    derived = {
        **dates(record),
        "timers": _timers(record),
        "url": url,
        "links": links(url, CONVERSATION_LINKS),
    }
    return in_order(CONVERSATION_FIELDS, record, derived)


def serialize_participant(record: dict[str, Any], place: Place) -> dict[str, Any]:
    derived = {**dates(record), "url": _child_url(record, place, "Participants")}
    return in_order(_in_scope(PARTICIPANT_FIELDS, place), record, derived)


def serialize_message(record: dict[str, Any], place: Place) -> dict[str, Any]:
    url = _child_url(record, place, "Messages")
    derived = {
        **dates(record),
        "url": url,
        # Receipts are not emulated: no delivery summary to give.
        "delivery": None,
        "links": links(url, MESSAGE_LINKS),
        "content_sid": None,
    }
    return in_order(_in_scope(MESSAGE_FIELDS, place), record, derived)


def serialize_webhook(record: dict[str, Any], place: Place) -> dict[str, Any]:
    derived = {**dates(record), "url": _child_url(record, place, "Webhooks")}
    return in_order(_in_scope(WEBHOOK_FIELDS, place), record, derived)
