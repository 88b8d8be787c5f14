"""The conversations domain's routing table (paths after ``{base}/conversations``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import (
    PREFIX,
    create_address,
    create_service,
    delete_address,
    delete_service,
    fetch_address,
    fetch_service,
    list_addresses,
    list_services,
    update_address,
)

__all__ = ["ROUTES"]

_ADDRESSES = f"{PREFIX}/Configuration/Addresses"
_SERVICES = f"{PREFIX}/Services"

ROUTES = [
    Route(_ADDRESSES, list_addresses, methods=["GET"]),
    Route(_ADDRESSES, create_address, methods=["POST"]),
    Route(f"{_ADDRESSES}/{{sid}}", fetch_address, methods=["GET"]),
    Route(f"{_ADDRESSES}/{{sid}}", update_address, methods=["POST"]),
    Route(f"{_ADDRESSES}/{{sid}}", delete_address, methods=["DELETE"]),
    Route(_SERVICES, list_services, methods=["GET"]),
    Route(_SERVICES, create_service, methods=["POST"]),
    Route(f"{_SERVICES}/{{sid}}", fetch_service, methods=["GET"]),
    Route(f"{_SERVICES}/{{sid}}", delete_service, methods=["DELETE"]),
]
