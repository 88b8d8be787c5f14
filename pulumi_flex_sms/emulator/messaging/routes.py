"""The messaging domain's routing table (paths after ``{base}/messaging``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import (
    PREFIX,
    add_phone_number,
    create_service,
    delete_service,
    fetch_phone_number,
    fetch_service,
    list_phone_numbers,
    list_services,
    remove_phone_number,
    update_service,
)

__all__ = ["ROUTES"]

_SERVICES = f"{PREFIX}/Services"
_NUMBERS = f"{_SERVICES}/{{service_sid}}/PhoneNumbers"

ROUTES = [
    Route(_SERVICES, list_services, methods=["GET"]),
    Route(_SERVICES, create_service, methods=["POST"]),
    Route(f"{_SERVICES}/{{sid}}", fetch_service, methods=["GET"]),
    Route(f"{_SERVICES}/{{sid}}", update_service, methods=["POST"]),
    Route(f"{_SERVICES}/{{sid}}", delete_service, methods=["DELETE"]),
    Route(_NUMBERS, list_phone_numbers, methods=["GET"]),
    Route(_NUMBERS, add_phone_number, methods=["POST"]),
    Route(f"{_NUMBERS}/{{sid}}", fetch_phone_number, methods=["GET"]),
    Route(f"{_NUMBERS}/{{sid}}", remove_phone_number, methods=["DELETE"]),
]
