"""The emulator's ASGI app: the routing table of every domain, and the gates in front.

Routing: a request Twilio serves at ``https://{domain}.twilio.com{path}`` is
served here at ``{base}/{domain}{path}``; each domain's ``routes.py`` lists its
paths::

    /conversations/v1/Configuration/Addresses[/{Sid}]                conversations/
    /conversations/v1/Services[/{Sid}]                               conversations/
    /api/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers[/{PN}].json   numbers/
    /api/2010-04-01/Accounts/{AC}/Applications[/{AP}].json           applications/
    /messaging/v1/Services[/{MG}[/PhoneNumbers[/{PN}]]]              messaging/
    /flex-api/v1/FlexFlows[/{FO}], /flex-api/v1/Configuration        flex/
    /studio/v2/Flows[/{Sid}]                                         studio/
    /_emulator/simulate/inbound-sms                                  simulation/
    /_emulator/...                                                   control_routes.py
    /_emulator/proxy                                                 proxy.py

A request addressed to a Twilio host (through the proxy, or with a ``Host``
header such as ``conversations.twilio.com``) is first routed to
``/{domain}{path}`` by :class:`~.hosts.HostRouting`. Every request passes
:class:`~.bodies.BodyLimit` (bodies bounded, unread ones close the
connection), then the :class:`~.gate.RequestGate` (authentication,
faults, the form parsed once, the journal; control requests: who may call
them). Any :class:`~.errors.ApiError`, and any 404/405 of the router, is
answered as Twilio answers errors.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from . import control_routes
from .applications import routes as applications
from .backend import Backend
from .bodies import BodyLimit
from .conversations import routes as conversations
from .errors import ApiError, MethodNotAllowed, NotFound
from .faults import FaultRegistry
from .flex import routes as flex
from .gate import RequestGate
from .hosts import HostRouting
from .journal import Journal
from .messaging import routes as messaging
from .numbers import routes as numbers
from .proxy import ROUTES as PROXY_ROUTES
from .proxy import ProxyEndpoint
from .simulation import routes as simulation
from .studio import routes as studio
from .wire import error_response

__all__ = ["ROUTES", "EmulatorState", "create_app"]

#: Every route the emulator serves: the Twilio domains', then the control endpoints.
ROUTES: list[BaseRoute] = [
    *conversations.ROUTES,
    *numbers.ROUTES,
    *studio.ROUTES,
    *control_routes.ROUTES,
    *simulation.ROUTES,
    *applications.ROUTES,
    *messaging.ROUTES,
    *flex.ROUTES,
    *PROXY_ROUTES,
]


@dataclass
class EmulatorState:
    """What the app serves from; shared with the server that runs it."""

    backend: Backend
    faults: FaultRegistry
    journal: Journal
    allow_remote_control: bool = False
    #: The proxy's address and CA, once the server listens as a proxy (proxy.py).
    proxy: ProxyEndpoint | None = None


# -- errors as Twilio answers them -------------------------------------------------


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    twilio_path = "/" + request.url.path.lstrip("/").partition("/")[2]
    if exc.status_code == 405:
        return error_response(MethodNotAllowed(f"Method {request.method} not allowed"))
    if exc.status_code == 404:
        return error_response(NotFound(f"The requested resource {twilio_path} was not found"))
    return error_response(ApiError(str(exc.detail), status=exc.status_code))


def create_app(state: EmulatorState) -> Starlette:
    """The emulator as an ASGI app serving ``state``."""
    app = Starlette(
        routes=ROUTES,
        middleware=[
            Middleware(HostRouting),
            Middleware(BodyLimit),
            Middleware(RequestGate, state=state),
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    app.state.backend = state.backend
    return app
