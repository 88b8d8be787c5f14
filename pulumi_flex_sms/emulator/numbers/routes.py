"""The numbers domain's routing table (paths after ``{base}/api``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import (
    PREFIX,
    create_number,
    fetch_number,
    list_numbers,
    release_number,
    update_number,
)

__all__ = ["ROUTES"]

_NUMBERS = f"{PREFIX}/Accounts/{{account_sid}}/IncomingPhoneNumbers"

ROUTES = [
    Route(f"{_NUMBERS}.json", list_numbers, methods=["GET"]),
    Route(f"{_NUMBERS}.json", create_number, methods=["POST"]),
    Route(f"{_NUMBERS}/{{sid}}.json", fetch_number, methods=["GET"]),
    Route(f"{_NUMBERS}/{{sid}}.json", update_number, methods=["POST"]),
    Route(f"{_NUMBERS}/{{sid}}.json", release_number, methods=["DELETE"]),
]
