"""The simulation's control endpoint: ``POST /_emulator/simulate/inbound-sms``.

Reached through the control endpoints' gate (:func:`~..control_routes.refusal`):
loopback clients, no web pages, JSON (or YAML) bodies.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..control_routes import read_document
from ..errors import BadRequest
from ..wire import backend_of, call, json_response

__all__ = ["simulate_inbound_sms"]

_FIELDS = {"from", "to", "body", "sms_url_mode"}


async def simulate_inbound_sms(request: Request) -> Response:
    document = await read_document(request, "simulate/inbound-sms")
    if not isinstance(document, dict):
        raise BadRequest("expected a JSON object with from, to and body")
    unknown = set(document) - _FIELDS
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(sorted(unknown))}")
    report = await call(
        backend_of(request).simulation.simulate_inbound_sms,
        document.get("from"),
        document.get("to"),
        str(document.get("body", "")),
        document.get("sms_url_mode", "parallel"),
    )
    return json_response(report)
