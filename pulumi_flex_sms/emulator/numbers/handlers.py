"""Api 2010 handlers: IncomingPhoneNumbers (list, buy, fetch, update, release).

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
from .backend import NumbersBackend, number_path

__all__ = [
    "PREFIX",
    "create_number",
    "fetch_number",
    "list_numbers",
    "release_number",
    "serialize_phone_number",
    "update_number",
]

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


def serialize_phone_number(record: dict[str, Any]) -> dict[str, Any]:
    derived = {
        "date_created": rfc2822(record["date_created"]),
        "date_updated": rfc2822(record["date_updated"]),
        "uri": number_path(record["account_sid"], record["sid"]),
    }
    return {name: derived[name] if name in derived else record.get(name) for name in FIELDS}


def _numbers(request: Request) -> NumbersBackend:
    return backend_of(request).numbers


def _account(request: Request) -> str:
    """The authenticated account, which must be the one the path names."""
    account = account_of(request)
    if request.path_params["account_sid"] != account:
        # Another account's resources do not exist for this caller.
        twilio_path = request.url.path.removeprefix("/api")
        raise NotFound(f"The requested resource {twilio_path} was not found")
    return account


async def list_numbers(request: Request) -> Response:
    account = _account(request)
    result = await call(_numbers(request).list_phone_numbers, account, query_of(request))
    return json_response(
        page_2010(
            request,
            number_path(account),
            "incoming_phone_numbers",
            result,
            [serialize_phone_number(r) for r in result.items],
            filter_names=("FriendlyName", "Beta", "PhoneNumber", "Origin"),
        )
    )


async def create_number(request: Request) -> Response:
    record = await call(_numbers(request).create_phone_number, _account(request), form_of(request))
    return json_response(serialize_phone_number(record), 201)


async def fetch_number(request: Request) -> Response:
    numbers, account = _numbers(request), _account(request)
    record = await call(numbers.fetch_phone_number, account, request.path_params["sid"])
    return json_response(serialize_phone_number(record))


async def update_number(request: Request) -> Response:
    numbers, account = _numbers(request), _account(request)
    record = await call(
        numbers.update_phone_number, account, request.path_params["sid"], form_of(request)
    )
    return json_response(serialize_phone_number(record))


async def release_number(request: Request) -> Response:
    numbers, account = _numbers(request), _account(request)
    await call(numbers.release_phone_number, account, request.path_params["sid"])
    return Response(status_code=204)
