"""The emulator's ASGI app: the routing table, the gateway, the control endpoints.

Routing: a request Twilio serves at ``https://{domain}.twilio.com{path}`` is
served here at ``{base}/{domain}{path}``::

    /conversations/v1/Configuration/Addresses[/{Sid}]   conversations.py
    /conversations/v1/Services[/{Sid}]                  conversations.py
    /api/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers[/{PN}].json   api2010.py
    /studio/v2/Flows[/{Sid}]                            studio.py
    /_emulator/...                                      control endpoints (below)

Every request passes :class:`~.bodies.BodyLimit` (bodies bounded, unread ones
close the connection). Every Twilio request then passes the
:class:`TwilioGateway`: it authenticates (HTTP Basic: account SID + auth token,
or API key SID + secret) before it reads the body, applies an injected fault,
parses the form once and writes the request journal.

Control endpoints (no authentication; who may call them: control_routes.py):
``POST /_emulator/reset``, ``POST /_emulator/seed``, ``GET /_emulator/state``,
``GET|POST|DELETE /_emulator/faults``, ``GET|DELETE /_emulator/requests``,
``GET /_emulator/health``, ``POST /_emulator/simulate/inbound-sms``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api2010, conversations, studio
from .backend import Backend
from .bodies import BodyLimit, read_body
from .control_routes import CONTROL_PREFIX, control_routes, refusal
from .errors import AuthenticationError, MethodNotAllowed, NotFound, TwilioError
from .faults import FaultRegistry
from .journal import Journal
from .params import Form
from .wire import error_response, parse_form

__all__ = ["TRANSPORT_EXTENSION", "EmulatorState", "TwilioGateway", "create_app"]

#: Scope extension under which the server exposes the connection's transport,
#: so a ``drop`` fault can close it without sending a byte.
TRANSPORT_EXTENSION = "pulumi_flex_sms.transport"


@dataclass
class EmulatorState:
    """What the app serves from; shared with the server that runs it."""

    backend: Backend
    faults: FaultRegistry
    journal: Journal
    allow_remote_control: bool = False


def _credentials(scope: Scope) -> tuple[str, str] | None:
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, encoded = value.decode("latin-1").partition(" ")
            if scheme.lower() != "basic":
                return ("", "")
            try:
                username, _, password = base64.b64decode(encoded).decode().partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return ("", "")
            return (username, password)
    return None


class TwilioGateway:
    """ASGI middleware in front of the Twilio routes: faults, auth, form, journal."""

    def __init__(self, app: ASGIApp, state: EmulatorState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path: str = scope["path"]
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            refused = refusal(scope, self.state)
            if refused is not None:
                return await error_response(refused)(scope, receive, send)
            return await self.app(scope, receive, send)
        await self._twilio_request(scope, receive, send, path)

    async def _twilio_request(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        method = scope["method"]
        domain, _, rest = path.lstrip("/").partition("/")
        entry: dict[str, Any] = {
            "method": method,
            "domain": domain,
            "path": path,
            "twilio_path": "/" + rest,
            "query": {},
            "form": {},
            "status": None,
            "account_sid": None,
            "credential_sid": None,
            "fault": None,
        }
        state = scope.setdefault("state", {})
        drop = False
        recorded = False

        def record() -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                self.state.journal.record(entry)

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                entry["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                # Journal before the client can see the end of the answer, so a
                # test that asserts on the journal right after a call finds it.
                record()
            if not drop:
                await send(message)

        try:
            try:
                query = Form.from_pairs(
                    parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
                )
                entry["query"] = query.as_dict()
                # Authentication comes first, as at Twilio: a refused request takes
                # no fault, and its body is neither read nor kept (see journal.py).
                credentials = _credentials(scope)
                account = None
                if credentials is not None:
                    entry["credential_sid"] = credentials[0] or None
                    account = await run_in_threadpool(self.state.backend.authenticate, *credentials)
                if account is None:
                    reason = (
                        "No credentials provided" if credentials is None else "invalid username"
                    )
                    raise AuthenticationError(f"Authentication Error - {reason}")
                entry["account_sid"] = state["account_sid"] = account
                body = await read_body(receive)  # within BodyLimit's bound, or 413
                form = parse_form(body)
                entry["form"] = form.as_dict()
            except TwilioError as error:
                return await error_response(error)(scope, receive, capture)
            state.update(form=form, query=query)

            fault = self.state.faults.take(method, path)
            if fault is not None:
                entry["fault"] = fault.action
                if fault.action == "error":
                    headers = None
                    if fault.retry_after is not None:
                        headers = {"Retry-After": f"{fault.retry_after:g}"}
                    response = error_response(fault.error(), headers)
                    return await response(scope, receive, capture)
                if fault.action == "delay":
                    await asyncio.sleep(fault.seconds)
                drop = fault.action == "drop"

            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, capture)
            if drop:
                await self._drop(scope)
        finally:
            record()

    @staticmethod
    async def _drop(scope: Scope) -> None:
        transport = scope.get("extensions", {}).get(TRANSPORT_EXTENSION)
        if transport is None:
            raise RuntimeError("a drop fault needs the emulator's own server (EmulatorServer)")
        transport.close()
        # Let the server see the connection go before it checks that the app
        # answered, so it does not try to write a 500 onto the closed socket.
        await asyncio.sleep(0)


# -- errors as Twilio answers them -------------------------------------------------


async def _twilio_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, TwilioError)
    return error_response(exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    twilio_path = "/" + request.url.path.lstrip("/").partition("/")[2]
    if exc.status_code == 405:
        return error_response(MethodNotAllowed(f"Method {request.method} not allowed"))
    if exc.status_code == 404:
        return error_response(NotFound(f"The requested resource {twilio_path} was not found"))
    return error_response(TwilioError(str(exc.detail), status=exc.status_code))


def create_app(state: EmulatorState) -> Starlette:
    """The emulator as an ASGI app serving ``state``."""
    app = Starlette(
        routes=[
            *conversations.routes(),
            *api2010.routes(),
            *studio.routes(),
            *control_routes(),
        ],
        middleware=[Middleware(BodyLimit), Middleware(TwilioGateway, state=state)],
        exception_handlers={TwilioError: _twilio_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    app.state.backend = state.backend
    return app
