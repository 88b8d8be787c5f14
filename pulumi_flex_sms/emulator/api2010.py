"""Api 2010 handlers: IncomingPhoneNumbers (list, buy, fetch, update, release).

Served at ``{base}/api/2010-04-01/...`` for ``https://api.twilio.com/2010-04-01/...``.
Every path ends in ``.json``; ``uri`` fields are relative to the ``api`` domain.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .backend_numbers import number_path
from .errors import NotFound
from .wire import account_of, backend_call, form_of, json_response, page_2010, query_of, rfc2822

__all__ = ["routes", "serialize_phone_number"]

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
    result = await backend_call(request, "list_phone_numbers", account, query_of(request))
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
    record = await backend_call(request, "create_phone_number", _account(request), form_of(request))
    return json_response(serialize_phone_number(record), 201)


async def fetch_number(request: Request) -> Response:
    record = await backend_call(
        request, "fetch_phone_number", _account(request), request.path_params["sid"]
    )
    return json_response(serialize_phone_number(record))


async def update_number(request: Request) -> Response:
    record = await backend_call(
        request,
        "update_phone_number",
        _account(request),
        request.path_params["sid"],
        form_of(request),
    )
    return json_response(serialize_phone_number(record))


async def release_number(request: Request) -> Response:
    await backend_call(
        request, "release_phone_number", _account(request), request.path_params["sid"]
    )
    return Response(status_code=204)


def routes() -> list[Route]:
    numbers = f"{PREFIX}/Accounts/{{account_sid}}/IncomingPhoneNumbers"
    return [
        Route(f"{numbers}.json", list_numbers, methods=["GET"]),
        Route(f"{numbers}.json", create_number, methods=["POST"]),
        Route(f"{numbers}/{{sid}}.json", fetch_number, methods=["GET"]),
        Route(f"{numbers}/{{sid}}.json", update_number, methods=["POST"]),
        Route(f"{numbers}/{{sid}}.json", release_number, methods=["DELETE"]),
    ]
