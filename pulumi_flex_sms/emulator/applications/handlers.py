"""Api 2010 handlers: Applications (list, create, fetch, update, delete).

Thin: the :class:`~..resource.Resource` parses the request and calls the backend;
here is how Twilio's JSON shows an app. ``uri`` fields are relative to the ``api``
domain.
"""

from __future__ import annotations

from ..resource import API_2010, Resource
from ..shapes import api_2010_serializer
from .backend import application_path

__all__ = ["APPLICATIONS", "PREFIX", "serialize_application"]

PREFIX = "/api/2010-04-01"

#: The schema's property order (``api.v2010.account.application``).
FIELDS = (
    "account_sid",
    "api_version",
    "date_created",
    "date_updated",
    "friendly_name",
    "message_status_callback",
    "sid",
    "sms_fallback_method",
    "sms_fallback_url",
    "sms_method",
    "sms_status_callback",
    "sms_url",
    "status_callback",
    "status_callback_method",
    "uri",
    "voice_caller_id_lookup",
    "voice_fallback_method",
    "voice_fallback_url",
    "voice_method",
    "voice_url",
    "public_application_connect_enabled",
)


serialize_application = api_2010_serializer(FIELDS, application_path)

APPLICATIONS = Resource(
    path=f"{PREFIX}/Accounts/{{account_sid}}/Applications",
    key="applications",
    serialize=serialize_application,
    filters=("FriendlyName",),
    api=API_2010,
    list=lambda backend: backend.applications.list_applications,
    create=lambda backend: backend.applications.create_application,
    fetch=lambda backend: backend.applications.fetch_application,
    update=lambda backend: backend.applications.update_application,
    delete=lambda backend: backend.applications.delete_application,
)
