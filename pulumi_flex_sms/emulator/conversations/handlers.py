"""Conversations v1 handlers: Address Configurations and Services.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows an address configuration and a service.
"""

from __future__ import annotations

from typing import Any

from ..resource import Resource
from ..shapes import Place, dates, in_order, v1_serializer
from .backend import AUTO_CREATION_KEYS

__all__ = [
    "ADDRESS_CONFIGURATIONS",
    "PREFIX",
    "SERVICES",
    "serialize_address_configuration",
    "serialize_service",
]

PREFIX = "/conversations/v1"
#: The fields of ``conversations.v1.configuration_address``, in the order answered.
ADDRESS_FIELDS = (
    "account_sid",
    "sid",
    "address",
    "type",
    "friendly_name",
    "address_country",
    "auto_creation",
    "date_created",
    "date_updated",
    "url",
)
#: The schema's property order (``conversations.v1.service``).
SERVICE_FIELDS = (
    "account_sid",
    "sid",
    "friendly_name",
    "date_created",
    "date_updated",
    "url",
    "links",
)
SERVICE_LINKS = (
    ("conversations", "Conversations"),
    ("users", "Users"),
    ("roles", "Roles"),
    ("bindings", "Bindings"),
    ("configuration", "Configuration"),
    ("participant_conversations", "ParticipantConversations"),
    ("conversation_with_participants", "ConversationWithParticipants"),
)


def serialize_address_configuration(record: dict[str, Any], place: Place) -> dict[str, Any]:
    auto = record["auto_creation"]
    derived = {
        # Only the keys of the configuration's type, as Twilio answers them.
        "auto_creation": {k: auto.get(k) for k in AUTO_CREATION_KEYS[auto["type"]]},
        **dates(record),
        # Always the IG SID, even when the request named the address.
        "url": f"{place.base}{PREFIX}/Configuration/Addresses/{record['sid']}",
    }
    return in_order(ADDRESS_FIELDS, record, derived)


serialize_service = v1_serializer(SERVICE_FIELDS, f"{PREFIX}/Services/{{sid}}", SERVICE_LINKS)


#: Address Configurations, by IG SID or by the address itself.
ADDRESS_CONFIGURATIONS = Resource(
    path=f"{PREFIX}/Configuration/Addresses",
    key="address_configurations",
    serialize=serialize_address_configuration,
    filters=("Type",),
    list=lambda backend: backend.conversations.list_address_configurations,
    create=lambda backend: backend.conversations.create_address_configuration,
    fetch=lambda backend: backend.conversations.fetch_address_configuration,
    update=lambda backend: backend.conversations.update_address_configuration,
    delete=lambda backend: backend.conversations.delete_address_configuration,
)
#: Conversation Services (the emulator keeps no settings of theirs to update).
SERVICES = Resource(
    path=f"{PREFIX}/Services",
    key="services",
    serialize=serialize_service,
    list=lambda backend: backend.conversations.list_services,
    create=lambda backend: backend.conversations.create_service,
    fetch=lambda backend: backend.conversations.fetch_service,
    delete=lambda backend: backend.conversations.delete_service,
)
