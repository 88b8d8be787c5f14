"""``emulated_twilio``: the Twilio emulator inside this process, with no port and no socket.

In the spirit of moto's ``mock_aws``::

    from pulumi_flex_sms.testing import emulated_twilio

    with emulated_twilio(seed={"phone_numbers": [{"phone_number": "+15005550006"}]}) as twilio:
        twilio.client.conversations.v1.address_configurations.create(
            type="sms", address="+15005550006")

    @emulated_twilio(seed="seed.yaml")
    def test_routing(twilio):          # a parameter named `twilio` receives the handle
        ...

Each ``with`` (each call of a decorated function) gets its own emulator, in
memory, served by Starlette's ``TestClient`` (the ASGI app called directly, on
an event loop in a helper thread). While one is active:

* ``twilio.client`` (a :class:`~pulumi_flex_sms.testing.TwilioEmulator`) talks
  to that emulator, from any thread, until it exits;
* every other twilio-python synchronous client (``twilio.rest.Client()`` built
  by the code under test, on ``TwilioHttpClient``, twilio's ``ValidationClient``
  for public-key client validation, or a subclass of either) is answered by
  the calling thread's innermost active emulator, else by the one entered last
  in the process; requests for ``twilio.env()["FLEX_SMS_TWILIO_BASE_URL"]``
  (``http://twilio-emulator-N.localhost``) by that emulator;
* a request for any other host raises :class:`NotEmulatedError`: nothing leaves
  the process.

Exiting restores those clients once the last active emulator exits
(emulators may nest, and may be entered from several threads at once).
twilio-python's asyncio client (``AsyncTwilioHttpClient``) is not emulated.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import itertools
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

import requests
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.http.validation_client import ValidationClient

from pulumi_flex_sms.emulator.control import EmulatorControl, EmulatorControlError

from .handle import (
    EMULATOR_MODULES,
    NotEmulatedError,
    SeedSource,
    TwilioEmulator,
    missing_extra,
    seeded_emulator,
    twilio_route,
)

if TYPE_CHECKING:
    from starlette.testclient import TestClient
    from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["EmulatedTwilio", "InProcessHttpClient", "emulated_twilio"]

_log = logging.getLogger("pulumi_flex_sms.testing")
_F = TypeVar("_F", bound=Callable[..., Any])

#: The handle's parameter name, for decorated functions that want it.
HANDLE_PARAMETER = "twilio"


class _Connections:
    """ASGI wrapper giving each request a connection a ``drop`` fault can close.

    The emulator's own server hands the app the socket's transport; here a
    ``drop`` marks the request instead, and :meth:`_Emulation.send` then raises
    what requests raises when a server closes the connection without answering.
    """

    HEADER = "x-emulated-twilio-request"

    def __init__(self, app: ASGIApp) -> None:
        from pulumi_flex_sms.emulator.gate import TRANSPORT_EXTENSION  # the emulator's web stack

        self.app = app
        self.extension = TRANSPORT_EXTENSION
        self._dropped: set[str] = set()
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            request_id = dict(scope["headers"]).get(self.HEADER.encode())
            if request_id is not None:
                connection = _Connection(self, request_id.decode("latin-1"))
                scope.setdefault("extensions", {})[self.extension] = connection
        await self.app(scope, receive, send)

    def drop(self, request_id: str) -> None:
        with self._lock:
            self._dropped.add(request_id)

    def was_dropped(self, request_id: str) -> bool:
        with self._lock:
            if request_id in self._dropped:
                self._dropped.discard(request_id)
                return True
            return False


@dataclass(frozen=True)
class _Connection:
    """What the app sees as the request's transport: ``close()`` is the drop."""

    connections: _Connections
    request_id: str

    def close(self) -> None:
        self.connections.drop(self.request_id)


@dataclass(eq=False)
class _Emulation:
    """One active emulator: its app behind a TestClient, and who may reach it."""

    host: str
    testclient: TestClient
    connections: _Connections
    #: The entering thread's stack of emulations (left from any thread on exit).
    thread_stack: list[_Emulation]
    active: bool = True

    @property
    def base_url(self) -> str:
        return f"http://{self.host}"

    def path_for(self, url: str) -> str:
        """The app path for ``url``: a Twilio URL, or one on this emulator's base URL."""
        route = twilio_route(url)
        if route is not None:
            return f"/{route[0]}{route[1]}"
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def send(
        self,
        client: HttpClient,
        method: str,
        url: str,
        params: dict[str, object] | None,
        data: dict[str, object] | None,
        headers: dict[str, str] | None,
        auth: tuple[str, str] | None,
        allow_redirects: bool,
    ) -> Response:
        """Answer a twilio-python request from the app, as TwilioHttpClient would send it."""
        if not self.active:
            raise NotEmulatedError(
                f"refusing to send {method} {url.partition('?')[0]}: "
                "its emulated_twilio block has ended"
            )
        kwargs: dict[str, Any] = {
            "method": method.upper(),
            "url": url,
            "params": params,
            "headers": headers,
            "auth": auth,
        }
        json_body = headers and headers.get("Content-Type") in (
            "application/json",
            "application/scim+json",
        )
        kwargs["json" if json_body else "data"] = data
        # ValidationClient skips HttpClient.__init__, so it has no logger to log with.
        logs = getattr(client, "logger", None) is not None
        if logs:
            client.log_request(kwargs)
        # requests encodes the query, form and Basic auth exactly as TwilioHttpClient sends them.
        prepared = requests.Request(**kwargs).prepare()
        wire_headers = {k: v for k, v in prepared.headers.items() if k.lower() != "content-length"}
        request_id = str(next(_request_ids))
        wire_headers[_Connections.HEADER] = request_id
        body = prepared.body.encode() if isinstance(prepared.body, str) else prepared.body
        path = self.path_for(prepared.url or url)
        answer = self.testclient.request(
            prepared.method or kwargs["method"],
            self.base_url + path,
            content=body,
            headers=wire_headers,
            follow_redirects=allow_redirects,
        )
        if self.connections.was_dropped(request_id):
            raise requests.ConnectionError(
                f"Connection aborted: the emulator closed the connection without an answer "
                f"(a drop fault on {kwargs['method']} {path.partition('?')[0]})",
                request=prepared,
            )
        # twilio types this as requests' Response, which TwilioHttpClient logs; it reads only
        # the status and headers, which the TestClient's answer has as well.
        if logs:
            client.log_response(answer.status_code, answer)  # type: ignore[arg-type]
        return Response(answer.status_code, answer.text, answer.headers)


class _InProcessControl(EmulatorControl):
    """:class:`EmulatorControl` whose calls go to the in-process app, not over HTTP."""

    def __init__(self, emulation: _Emulation) -> None:
        super().__init__(emulation.base_url)
        self._emulation = emulation

    def _call(
        self, method: str, path: str, body: Any = None, query: dict[str, str | None] | None = None
    ) -> Any:
        content = None if body is None else json.dumps(body, allow_nan=False).encode()
        answer = self._emulation.testclient.request(
            method,
            f"{self.base_url}/_emulator/{path}",
            params={k: v for k, v in (query or {}).items() if v is not None},
            content=content,
            headers={"Content-Type": "application/json"} if content is not None else {},
        )
        if answer.status_code >= 400:
            try:
                parsed = answer.json()
            except ValueError:
                parsed = answer.text
            raise EmulatorControlError(answer.status_code, parsed)
        return answer.json() if answer.content else None


class InProcessHttpClient(HttpClient):
    """A twilio-python ``HttpClient`` answered by one in-process emulator."""

    def __init__(self, emulation: _Emulation, logger: logging.Logger = _log) -> None:
        super().__init__(logger, is_async=False)
        self._emulation = emulation

    def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        emulation = self._emulation
        if twilio_route(url) is None and _host_of(url) != emulation.host:
            raise _refusal(method, url)
        return emulation.send(self, method, url, params, data, headers, auth, allow_redirects)


# -- what answers twilio-python's own clients while emulations are active ------------------

_lock = threading.Lock()
_active: list[_Emulation] = []  # every active emulation, in the order they were entered
_by_host: dict[str, _Emulation] = {}
_thread = threading.local()
# twilio-python's synchronous clients that send requests themselves (each its own
# ``request``): while an emulation is active, none of them may reach the network.
_PATCHED_CLIENTS: tuple[type[HttpClient], ...] = (TwilioHttpClient, ValidationClient)
_original_requests: dict[type[HttpClient], Callable[..., Response]] = {}
_numbers = itertools.count(1)
_request_ids = itertools.count(1)


def _host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _refusal(method: str, url: str) -> NotEmulatedError:
    return NotEmulatedError(
        f"emulated_twilio: refusing to send {method.upper()} {url.partition('?')[0]}: only "
        "Twilio's API hosts (https://*.twilio.com) are emulated, and nothing leaves the process"
    )


def _thread_stack() -> list[_Emulation]:
    stack = getattr(_thread, "stack", None)
    if stack is None:
        stack = _thread.stack = []
    return stack


def _emulation_for(method: str, url: str) -> _Emulation:
    with _lock:
        named = _by_host.get(_host_of(url))
        if named is not None:
            return named
        if twilio_route(url) is None:
            raise _refusal(method, url)
        stack = _thread_stack()
        if stack:
            return stack[-1]
        if _active:
            return _active[-1]
    raise _refusal(method, url)  # unreachable while patched; kept for a racing exit


def _emulated_request(
    self: HttpClient,
    method: str,
    url: str,
    params: dict[str, object] | None = None,
    data: dict[str, object] | None = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    timeout: float | None = None,
    allow_redirects: bool = False,
) -> Response:
    """The patched clients' ``request`` while an emulation is active."""
    if timeout is not None and timeout <= 0:
        raise ValueError(timeout)  # as TwilioHttpClient does
    emulation = _emulation_for(method, url)
    return emulation.send(self, method, url, params, data, headers, auth, allow_redirects)


def _activate(emulation: _Emulation) -> None:
    with _lock:
        if not _active:
            for client_class in _PATCHED_CLIENTS:
                _original_requests[client_class] = client_class.request
                # Replacing the method is the point: every such client, built anywhere.
                # (Its parameter is ``url``, as TwilioHttpClient names it; HttpClient says ``uri``.)
                client_class.request = _emulated_request  # type: ignore[method-assign,assignment]
        _active.append(emulation)
        _by_host[emulation.host] = emulation
        emulation.thread_stack.append(emulation)


def _deactivate(emulation: _Emulation) -> None:
    with _lock:
        emulation.active = False
        _by_host.pop(emulation.host, None)
        if emulation in _active:
            _active.remove(emulation)
        if emulation in emulation.thread_stack:
            emulation.thread_stack.remove(emulation)
        if not _active:
            for client_class, original in _original_requests.items():
                client_class.request = original  # type: ignore[method-assign]
            _original_requests.clear()


class EmulatedTwilio:
    """A context manager and decorator; see :func:`emulated_twilio`."""

    def __init__(
        self,
        seed: SeedSource | None = None,
        *,
        account_sid: str | None = None,
        auth_token: str | None = None,
    ) -> None:
        self.seed = seed
        self.account_sid = account_sid
        self.auth_token = auth_token
        self._exit_stack: contextlib.ExitStack | None = None

    def __enter__(self) -> TwilioEmulator:
        if self._exit_stack is not None:
            raise RuntimeError(
                "this emulated_twilio is already active; nest another emulated_twilio(...) instead"
            )
        problem = missing_extra("emulated_twilio", (*EMULATOR_MODULES, "httpx2"))
        if problem is not None:
            raise ModuleNotFoundError(problem)
        from starlette.testclient import TestClient

        from pulumi_flex_sms.emulator.server import DEFAULT_ACCOUNT_SID, EmulatorServer

        with contextlib.ExitStack() as stack:
            server = EmulatorServer(
                account_sid=self.account_sid or DEFAULT_ACCOUNT_SID, auth_token=self.auth_token
            )
            stack.callback(server.stop)  # never started: this closes its in-memory state
            host = f"twilio-emulator-{next(_numbers)}.localhost"
            connections = _Connections(server.app)
            testclient = TestClient(
                connections,
                base_url=f"http://{host}",
                # A loopback client and a .localhost host: what the control endpoints accept.
                client=("127.0.0.1", 50000),
                raise_server_exceptions=False,
            )
            stack.enter_context(testclient)
            emulation = _Emulation(host, testclient, connections, _thread_stack())
            handle = seeded_emulator(
                emulation.base_url,
                _InProcessControl(emulation),
                (server.account_sid, server.auth_token),
                self.seed,
                http_client=lambda: InProcessHttpClient(emulation),
            )
            _activate(emulation)
            stack.callback(_deactivate, emulation)
            self._exit_stack = stack.pop_all()
        return handle

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        stack, self._exit_stack = self._exit_stack, None
        if stack is not None:
            stack.close()

    def _fresh(self) -> EmulatedTwilio:
        return EmulatedTwilio(self.seed, account_sid=self.account_sid, auth_token=self.auth_token)

    def __call__(self, func: _F) -> _F:
        """Decorate a function: each call runs inside a new emulator of its own.

        A parameter named ``twilio`` receives the :class:`TwilioEmulator`; it is
        hidden from the signature, so pytest does not look for a fixture of that name.
        """
        if inspect.isclass(func):
            raise TypeError("emulated_twilio decorates functions, not classes")
        signature = inspect.signature(func)
        inject = HANDLE_PARAMETER in signature.parameters

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self._fresh() as twilio:
                    if inject:
                        kwargs[HANDLE_PARAMETER] = twilio
                    return await func(*args, **kwargs)

            wrapper: Any = run_async
        else:

            @functools.wraps(func)
            def run(*args: Any, **kwargs: Any) -> Any:
                with self._fresh() as twilio:
                    if inject:
                        kwargs[HANDLE_PARAMETER] = twilio
                    return func(*args, **kwargs)

            wrapper = run
        if inject:
            wrapper.__signature__ = signature.replace(
                parameters=[p for p in signature.parameters.values() if p.name != HANDLE_PARAMETER]
            )
        # The wrapper takes the arguments func takes (less the injected handle) and returns
        # what func returns; the cast says so, as neither wrapper's own signature can.
        return cast(_F, wrapper)


def emulated_twilio(
    seed: SeedSource | None = None,
    *,
    account_sid: str | None = None,
    auth_token: str | None = None,
) -> EmulatedTwilio:
    """An in-process Twilio emulator, as a context manager or a function decorator.

    ``seed`` is a seed document or the path of a JSON/YAML seed file (relative
    paths from the current directory). ``account_sid`` and ``auth_token`` set the
    emulator's default account (default: ``AC`` + 32 ``e``, 32 ``e``). The
    handle's account is the seed's first account, else that default one.
    """
    return EmulatedTwilio(seed, account_sid=account_sid, auth_token=auth_token)
