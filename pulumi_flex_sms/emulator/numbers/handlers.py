"""Api 2010 handlers: IncomingPhoneNumbers (list, buy, fetch, update, release) and its
sub-lists by type, ``IncomingPhoneNumbers/Local.json``, ``/Mobile.json`` and
``/TollFree.json`` (list, buy), which show the same numbers without ``type``.

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows a number. ``uri`` fields are relative to the
``api`` domain.
"""

from __future__ import annotations

from functools import partial

from ..resource import API_2010, Resource
from ..shapes import api_2010_serializer
from .backend import number_path

__all__ = ["PHONE_NUMBERS", "PREFIX", "TYPED_NUMBERS", "serialize_phone_number"]

PREFIX = "/api/2010-04-01"

#: The schema's property order (``api.v2010.account.incoming_phone_number``).
FIELDS = (
    "account_sid",
    "address_sid",
    "address_requirements",
    "api_version",
    "beta",
    "capabilities",
    "date_created",
    "date_updated",
    "friendly_name",
    "identity_sid",
    "phone_number",
    "origin",
    "sid",
    "sms_application_sid",
    "sms_fallback_method",
    "sms_fallback_url",
    "sms_method",
    "sms_url",
    "status_callback",
    "status_callback_method",
    "trunk_sid",
    "uri",
    "voice_receive_mode",
    "voice_application_sid",
    "voice_caller_id_lookup",
    "voice_fallback_method",
    "voice_fallback_url",
    "voice_method",
    "voice_url",
    "emergency_status",
    "emergency_address_sid",
    "emergency_address_status",
    "bundle_sid",
    "status",
    "type",
)


serialize_phone_number = api_2010_serializer(FIELDS, number_path)
#: A sub-list's schema (``...incoming_phone_number.incoming_phone_number_local`` and
#: its mobile and toll_free twins): the same fields but ``type``, which the list says.
serialize_typed_number = api_2010_serializer(FIELDS[:-1], number_path)
_FILTERS = ("FriendlyName", "Beta", "PhoneNumber", "Origin")


def _typed_numbers(segment: str, number_type: str) -> Resource:
    """The sub-list ``IncomingPhoneNumbers/{segment}.json`` of the numbers of ``number_type``."""
    return Resource(
        path=f"{PREFIX}/Accounts/{{account_sid}}/IncomingPhoneNumbers/{segment}",
        key="incoming_phone_numbers",
        serialize=serialize_typed_number,
        filters=_FILTERS,
        api=API_2010,
        list=lambda backend: partial(backend.numbers.list_typed_numbers, number_type),
        create=lambda backend: partial(backend.numbers.create_typed_number, number_type),
    )


TYPED_NUMBERS = (
    _typed_numbers("Local", "local"),
    _typed_numbers("Mobile", "mobile"),
    _typed_numbers("TollFree", "tollfree"),
)

PHONE_NUMBERS = Resource(
    path=f"{PREFIX}/Accounts/{{account_sid}}/IncomingPhoneNumbers",
    key="incoming_phone_numbers",
    serialize=serialize_phone_number,
    filters=_FILTERS,
    api=API_2010,
    list=lambda backend: backend.numbers.list_phone_numbers,
    create=lambda backend: backend.numbers.create_phone_number,
    fetch=lambda backend: backend.numbers.fetch_phone_number,
    update=lambda backend: backend.numbers.update_phone_number,
    delete=lambda backend: backend.numbers.release_phone_number,
)
