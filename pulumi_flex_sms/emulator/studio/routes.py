"""The studio domain's routing table (paths after ``{base}/studio``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import PREFIX, create_flow, delete_flow, fetch_flow, list_flows, update_flow

__all__ = ["ROUTES"]

_FLOWS = f"{PREFIX}/Flows"

ROUTES = [
    Route(_FLOWS, list_flows, methods=["GET"]),
    Route(_FLOWS, create_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", fetch_flow, methods=["GET"]),
    Route(f"{_FLOWS}/{{sid}}", update_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", delete_flow, methods=["DELETE"]),
]
