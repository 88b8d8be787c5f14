"""The simulation's routing table (control endpoints, under ``/_emulator``)."""

from __future__ import annotations

from starlette.routing import Route

from ..control_routes import CONTROL_PREFIX
from .handlers import simulate_inbound_sms

__all__ = ["ROUTES"]

ROUTES = [
    Route(f"{CONTROL_PREFIX}/simulate/inbound-sms", simulate_inbound_sms, methods=["POST"]),
]
