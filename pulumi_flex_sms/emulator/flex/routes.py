"""The flex domain's routing table (paths after ``{base}/flex-api``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import FLEX_FLOWS, PREFIX, fetch_configuration, update_configuration

__all__ = ["ROUTES"]

ROUTES = [
    *FLEX_FLOWS.routes(),
    Route(f"{PREFIX}/Configuration", fetch_configuration, methods=["GET"]),
    Route(f"{PREFIX}/Configuration", update_configuration, methods=["POST"]),
]
