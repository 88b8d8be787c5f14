"""The emulator's ASGI app: the routing table, the gateway, the control endpoints.

Routing: a request Twilio serves at ``https://{domain}.twilio.com{path}`` is
served here at ``{base}/{domain}{path}``::

    /conversations/v1/Configuration/Addresses[/{Sid}]   conversations.py
    /conversations/v1/Services[/{Sid}]                  conversations.py
    /api/2010-04-01/Accounts/{AC}/IncomingPhoneNumbers[/{PN}].json   api2010.py
    /studio/v2/Flows[/{Sid}]                            studio.py
    /_emulator/...                                      control endpoints (below)

Every Twilio request passes the :class:`TwilioGateway` first: it applies an
injected fault, authenticates (HTTP Basic: account SID + auth token, or API key
SID + secret), parses the form once and writes the request journal.

Control endpoints (no authentication; loopback clients only unless the server
allows remote control): ``POST /_emulator/reset``, ``POST /_emulator/seed``,
``GET /_emulator/state``, ``GET|POST|DELETE /_emulator/faults``,
``GET|DELETE /_emulator/requests``, ``GET /_emulator/health``,
``POST /_emulator/simulate/inbound-sms``.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import api2010, conversations, studio
from .backend import Backend
from .errors import AuthenticationError, BadRequest, MethodNotAllowed, NotFound, TwilioError
from .faults import FaultRegistry
from .journal import Journal
from .params import Form
from .seed import apply_seed, dump_state, parse_seed_text
from .wire import error_response, json_response, parse_form

__all__ = ["TRANSPORT_EXTENSION", "EmulatorState", "TwilioGateway", "create_app"]

#: Scope extension under which the server exposes the connection's transport,
#: so a ``drop`` fault can close it without sending a byte.
TRANSPORT_EXTENSION = "pulumi_flex_sms.transport"
CONTROL_PREFIX = "/_emulator"


@dataclass
class EmulatorState:
    """What the app serves from; shared with the server that runs it."""

    backend: Backend
    faults: FaultRegistry
    journal: Journal
    allow_remote_control: bool = False


def _is_loopback(client: Any) -> bool:
    host = client[0] if client else ""
    return host in ("::1", "localhost") or host.startswith("127.")


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


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


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
            if not (self.state.allow_remote_control or _is_loopback(scope.get("client"))):
                error = TwilioError("Control endpoints answer loopback clients only", status=403)
                return await error_response(error)(scope, receive, send)
            return await self.app(scope, receive, send)
        await self._twilio_request(scope, receive, send, path)

    async def _twilio_request(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        body = await _read_body(receive)
        method = scope["method"]
        query = Form.from_pairs(
            parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
        )
        form = parse_form(body)
        domain, _, rest = path.lstrip("/").partition("/")
        entry: dict[str, Any] = {
            "method": method,
            "domain": domain,
            "path": path,
            "twilio_path": "/" + rest,
            "query": query.as_dict(),
            "form": form.as_dict(),
            "status": None,
            "account_sid": None,
            "credential_sid": None,
            "fault": None,
        }
        state = scope.setdefault("state", {})
        state.update(form=form, query=query)
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
            # Authentication comes first, as at Twilio: a refused request takes
            # no fault, and a faulted one is journaled with its account.
            credentials = _credentials(scope)
            account = None
            if credentials is not None:
                entry["credential_sid"] = credentials[0] or None
                account = await run_in_threadpool(self.state.backend.authenticate, *credentials)
            if account is None:
                reason = "No credentials provided" if credentials is None else "invalid username"
                error = AuthenticationError(f"Authentication Error - {reason}")
                return await error_response(error)(scope, receive, capture)
            entry["account_sid"] = state["account_sid"] = account

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


# -- control endpoints -------------------------------------------------------------


def _state(request: Request) -> EmulatorState:
    return request.app.state.emulator


async def _json_body(request: Request) -> Any:
    body = await request.body()
    content_type = request.headers.get("content-type", "")
    text = body.decode("utf-8", "replace")
    if "yaml" in content_type:
        return parse_seed_text(text)
    try:
        return json.loads(text) if text.strip() else None
    except ValueError:
        raise BadRequest("expected a JSON body") from None


async def reset(request: Request) -> Response:
    state = _state(request)
    await run_in_threadpool(state.backend.reset)
    state.faults.clear()
    state.journal.clear()
    return json_response({"reset": True})


async def seed(request: Request) -> Response:
    document = await _json_body(request)
    summary = await run_in_threadpool(apply_seed, _state(request).backend, document)
    return json_response(summary)


async def dump(request: Request) -> Response:
    return json_response(await run_in_threadpool(dump_state, _state(request).backend))


async def health(request: Request) -> Response:
    return json_response({"status": "ok", "account_sid": _state(request).backend.account_sid})


async def list_faults(request: Request) -> Response:
    return json_response({"faults": _state(request).faults.list()})


async def add_fault(request: Request) -> Response:
    fault = _state(request).faults.add(await _json_body(request))
    return json_response(fault.to_json(), 201)


async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


async def list_requests(request: Request) -> Response:
    q = request.query_params
    entries = _state(request).journal.entries(
        method=q.get("method"), path=q.get("path"), domain=q.get("domain")
    )
    return json_response({"requests": entries})


async def simulate_inbound_sms(request: Request) -> Response:
    document = await _json_body(request)
    if not isinstance(document, dict):
        raise BadRequest("expected a JSON object with from, to and body")
    unknown = set(document) - {"from", "to", "body", "sms_url_mode"}
    if unknown:
        raise BadRequest(f"unknown field(s) {', '.join(sorted(unknown))}")
    report = await run_in_threadpool(
        _state(request).backend.simulate_inbound_sms,
        document.get("from"),
        document.get("to"),
        str(document.get("body", "")),
        document.get("sms_url_mode", "parallel"),
    )
    return json_response(report)


async def clear_requests(request: Request) -> Response:
    _state(request).journal.clear()
    return Response(status_code=204)


def _control_routes() -> list[Route]:
    c = CONTROL_PREFIX
    return [
        Route(f"{c}/health", health, methods=["GET"]),
        Route(f"{c}/reset", reset, methods=["POST"]),
        Route(f"{c}/seed", seed, methods=["POST"]),
        Route(f"{c}/state", dump, methods=["GET"]),
        Route(f"{c}/faults", list_faults, methods=["GET"]),
        Route(f"{c}/faults", add_fault, methods=["POST"]),
        Route(f"{c}/faults", clear_faults, methods=["DELETE"]),
        Route(f"{c}/requests", list_requests, methods=["GET"]),
        Route(f"{c}/requests", clear_requests, methods=["DELETE"]),
        Route(f"{c}/simulate/inbound-sms", simulate_inbound_sms, methods=["POST"]),
    ]


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
            *_control_routes(),
        ],
        middleware=[Middleware(TwilioGateway, state=state)],
        exception_handlers={TwilioError: _twilio_error, HTTPException: _http_error},
    )
    app.state.emulator = state
    app.state.backend = state.backend
    return app
