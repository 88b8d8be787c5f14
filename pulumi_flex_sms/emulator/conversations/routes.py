"""The conversations domain's routing table (paths after ``{base}/conversations``)."""

from __future__ import annotations

from starlette.routing import Route

from .conversation_handlers import (
    conversation_resources,
    fetch_configuration,
    update_configuration,
)
from .handlers import ADDRESS_CONFIGURATIONS, PREFIX, SERVICES

__all__ = ["ROUTES"]

ROUTES = [
    Route(f"{PREFIX}/Configuration", fetch_configuration, methods=["GET"]),
    Route(f"{PREFIX}/Configuration", update_configuration, methods=["POST"]),
    *ADDRESS_CONFIGURATIONS.routes(),
    *SERVICES.routes(),
    *(
        route
        for root in (f"{PREFIX}/Conversations", f"{SERVICES.path}/{{service}}/Conversations")
        for resource in conversation_resources(root)
        for route in resource.routes()
    ),
]
