"""The simulation's control endpoint: ``POST /_emulator/simulate/inbound-sms``.

Reached through the control endpoints' gate (:func:`~..control_routes.refusal`):
loopback clients, no web pages, JSON (or YAML) bodies. The body is
``{"from", "to", "body", "number_webhook_mode"}`` (``sms_url_mode`` is the
older name of the last). The route is applied in one transaction, the
webhooks are then sent (the request waits for them, as the trace reports
their outcome), and the answer is the trace.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from ..control_routes import read_document
from ..deliveries import deliver
from ..errors import BadRequest
from ..wire import backend_of, call, json_response

__all__ = ["simulate_inbound_sms"]

_FIELDS = {"from", "to", "body", "number_webhook_mode", "sms_url_mode"}


async def simulate_inbound_sms(request: Request) -> Response:
    document = await read_document(request, "simulate/inbound-sms")
    if not isinstance(document, dict):
        raise BadRequest("expected a JSON object with from, to and body")
    unknown = set(document) - _FIELDS
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(sorted(unknown))}")
    if "number_webhook_mode" in document and "sms_url_mode" in document:
        raise BadRequest("give number_webhook_mode or its old name sms_url_mode, not both")
    simulation = backend_of(request).simulation
    simulated = await call(
        simulation.simulate_inbound_sms,
        document.get("from"),
        document.get("to"),
        document.get("body", ""),
        document.get("number_webhook_mode", document.get("sms_url_mode")),
    )
    deliveries = await deliver(
        simulated.requests, auth_token=simulated.auth_token, deliver_to=simulated.deliver_to
    )
    report = await call(simulation.record_deliveries, simulated, deliveries)
    return json_response(report)
