"""Api 2010 handlers: Applications (list, create, fetch, update, delete).

Thin: parse the request, call the backend, serialise Twilio's JSON. Every path
ends in ``.json``; ``uri`` fields are relative to the ``api`` domain.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import NotFound
from ..wire import (
    account_of,
    backend_of,
    call,
    form_of,
    json_response,
    page_2010,
    query_of,
    rfc2822,
)
from .backend import ApplicationsBackend, application_path

__all__ = [
    "PREFIX",
    "create_application",
    "delete_application",
    "fetch_application",
    "list_applications",
    "serialize_application",
    "update_application",
]

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


def serialize_application(record: dict[str, Any]) -> dict[str, Any]:
    derived = {
        "date_created": rfc2822(record["date_created"]),
        "date_updated": rfc2822(record["date_updated"]),
        "uri": application_path(record["account_sid"], record["sid"]),
    }
    return {name: derived[name] if name in derived else record.get(name) for name in FIELDS}


def _applications(request: Request) -> ApplicationsBackend:
    return backend_of(request).applications


def _account(request: Request) -> str:
    """The authenticated account, which must be the one the path names."""
    account = account_of(request)
    if request.path_params["account_sid"] != account:
        # Another account's resources do not exist for this caller.
        twilio_path = request.url.path.removeprefix("/api")
        raise NotFound(f"The requested resource {twilio_path} was not found")
    return account


async def list_applications(request: Request) -> Response:
    account = _account(request)
    result = await call(_applications(request).list_applications, account, query_of(request))
    return json_response(
        page_2010(
            request,
            application_path(account),
            "applications",
            result,
            [serialize_application(r) for r in result.items],
            filter_names=("FriendlyName",),
        )
    )


async def create_application(request: Request) -> Response:
    applications, account = _applications(request), _account(request)
    record = await call(applications.create_application, account, form_of(request))
    return json_response(serialize_application(record), 201)


async def fetch_application(request: Request) -> Response:
    applications, account = _applications(request), _account(request)
    record = await call(applications.fetch_application, account, request.path_params["sid"])
    return json_response(serialize_application(record))


async def update_application(request: Request) -> Response:
    applications, account = _applications(request), _account(request)
    record = await call(
        applications.update_application, account, request.path_params["sid"], form_of(request)
    )
    return json_response(serialize_application(record))


async def delete_application(request: Request) -> Response:
    applications, account = _applications(request), _account(request)
    await call(applications.delete_application, account, request.path_params["sid"])
    return Response(status_code=204)
