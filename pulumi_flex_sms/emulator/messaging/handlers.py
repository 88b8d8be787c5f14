"""Messaging v1 handlers: Services and their PhoneNumbers.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows a service and a number of its pool. The
Console mode a seed declares (``incoming_mode``) is never serialised.
"""

from __future__ import annotations

from ..resource import Resource
from ..shapes import v1_serializer

__all__ = ["PHONE_NUMBERS", "PREFIX", "SERVICES", "serialize_service", "serialize_service_number"]

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
#: The schema's property order (``messaging.v1.service.phone_number``).
SERVICE_NUMBER_FIELDS = (
    "sid",
    "account_sid",
    "service_sid",
    "date_created",
    "date_updated",
    "phone_number",
    "country_code",
    "capabilities",
    "url",
)


serialize_service = v1_serializer(SERVICE_FIELDS, f"{PREFIX}/Services/{{sid}}", SERVICE_LINKS)
serialize_service_number = v1_serializer(
    SERVICE_NUMBER_FIELDS, f"{PREFIX}/Services/{{service_sid}}/PhoneNumbers/{{sid}}"
)


SERVICES = Resource(
    path=f"{PREFIX}/Services",
    key="services",
    serialize=serialize_service,
    list=lambda backend: backend.messaging.list_services,
    create=lambda backend: backend.messaging.create_service,
    fetch=lambda backend: backend.messaging.fetch_service,
    update=lambda backend: backend.messaging.update_service,
    delete=lambda backend: backend.messaging.delete_service,
)
#: A service's sender pool: numbers are added and removed, never updated.
PHONE_NUMBERS = Resource(
    path=f"{PREFIX}/Services/{{service_sid}}/PhoneNumbers",
    key="phone_numbers",
    serialize=serialize_service_number,
    scope=("service_sid",),
    list=lambda backend: backend.messaging.list_phone_numbers,
    create=lambda backend: backend.messaging.add_phone_number,
    fetch=lambda backend: backend.messaging.fetch_phone_number,
    delete=lambda backend: backend.messaging.remove_phone_number,
)
