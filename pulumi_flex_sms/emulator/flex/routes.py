"""The flex domain's routing table (paths after ``{base}/flex-api``)."""

from __future__ import annotations

from starlette.routing import Route

from .handlers import (
    PREFIX,
    create_flex_flow,
    delete_flex_flow,
    fetch_configuration,
    fetch_flex_flow,
    list_flex_flows,
    update_configuration,
    update_flex_flow,
)

__all__ = ["ROUTES"]

_FLOWS = f"{PREFIX}/FlexFlows"

ROUTES = [
    Route(_FLOWS, list_flex_flows, methods=["GET"]),
    Route(_FLOWS, create_flex_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", fetch_flex_flow, methods=["GET"]),
    Route(f"{_FLOWS}/{{sid}}", update_flex_flow, methods=["POST"]),
    Route(f"{_FLOWS}/{{sid}}", delete_flex_flow, methods=["DELETE"]),
    Route(f"{PREFIX}/Configuration", fetch_configuration, methods=["GET"]),
    Route(f"{PREFIX}/Configuration", update_configuration, methods=["POST"]),
]
