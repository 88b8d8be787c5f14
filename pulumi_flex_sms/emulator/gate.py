"""The gate every request passes before it reaches a route.

Control requests (``/_emulator/...``) pass :func:`~.control_routes.refusal`.
Twilio requests are authenticated first, as at Twilio (HTTP Basic: account SID
+ auth token, or API key SID + secret), before their body is read; then they
take an injected fault, have their form parsed once and are written to the
request journal.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .bodies import read_body
from .control_routes import CONTROL_PREFIX, refusal
from .errors import ApiError, AuthenticationError
from .params import Form
from .wire import call, error_response, parse_form

if TYPE_CHECKING:
    from .app import EmulatorState

__all__ = ["TRANSPORT_EXTENSION", "RequestGate"]

#: Scope extension under which the server exposes the connection's transport,
#: so a ``drop`` fault can close it without sending a byte.
TRANSPORT_EXTENSION = "pulumi_flex_sms.transport"


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


class RequestGate:
    """ASGI middleware in front of every route (see the module docstring).

    For the handlers it sets ``request.state.account_sid``, ``form`` and ``query``
    (read them with :func:`~.wire.account_of`, :func:`~.wire.form_of`, :func:`~.wire.query_of`).
    """

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
                # Journal before the client sees any of the answer, so a test that
                # asserts on the journal right after a call finds it (and so that
                # the answer's head and body leave back to back).
                record()
            if not drop:
                await send(message)

        try:
            try:
                query_string: bytes = scope["query_string"]
                query = (
                    Form.from_pairs(
                        parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
                    )
                    if query_string
                    else Form()
                )
                entry["query"] = query.as_dict()
                # Authentication comes first, as at Twilio: a refused request takes
                # no fault, and its body is neither read nor kept (see journal.py).
                credentials = _credentials(scope)
                account = None
                if credentials is not None:
                    entry["credential_sid"] = credentials[0] or None
                    account = await call(self.state.backend.accounts.authenticate, *credentials)
                if account is None:
                    reason = (
                        "No credentials provided" if credentials is None else "invalid username"
                    )
                    raise AuthenticationError(f"Authentication Error - {reason}")
                entry["account_sid"] = state["account_sid"] = account
                body = await read_body(receive)  # within BodyLimit's bound, or 413
                form = parse_form(body)
                entry["form"] = form.as_dict()
            except ApiError as error:
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
