"""Run the emulator: in-process on a free port (tests) or in the foreground (CLI).

uvicorn serves the Starlette app with its h11 protocol, subclassed only to put
the connection's transport into each request's scope (``extensions``), which is
what lets a ``drop`` fault close the connection without a response byte.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import EmulatorState, create_app
from .backend import Backend
from .control_routes import is_loopback_address
from .faults import FaultRegistry
from .gate import TRANSPORT_EXTENSION
from .journal import Journal
from .seed import apply_seed, load_seed_file
from .store import Store
from .webhooks import DeliverTo

__all__ = [
    "DEFAULT_ACCOUNT_SID",
    "DEFAULT_AUTH_TOKEN",
    "EmulatorServer",
    "exposure_warning",
    "is_loopback_host",
]

#: Well-formed defaults, printed on start (``e`` for emulator). Public knowledge,
#: so they are only served on loopback unless given explicitly.
DEFAULT_ACCOUNT_SID = "AC" + "e" * 32
DEFAULT_AUTH_TOKEN = "e" * 32


def is_loopback_host(host: str) -> bool:
    """True when ``host`` (an interface to listen on) is reachable from this machine only."""
    return is_loopback_address(host.strip("[]"))


def exposure_warning(host: str, allow_remote_control: bool) -> str | None:
    """What to tell the user who listens on ``host``, or None for loopback."""
    if is_loopback_host(host):
        return None
    control = (
        "; --allow-remote-control lets them reset, seed and read it without credentials"
        if allow_remote_control
        else ""
    )
    return (
        f"listening on {host}, not a loopback interface: every machine that can reach it "
        f"can call the emulated Twilio API with the account's credentials{control}"
    )


class TransportExposingH11Protocol(H11Protocol):
    """uvicorn's h11 protocol, exposing the transport to the app via the scope."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner = self.app

        async def app(scope: Any, receive: Any, send: Any) -> None:
            scope.setdefault("extensions", {})[TRANSPORT_EXTENSION] = self.transport
            await inner(scope, receive, send)

        self.app = app


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, on_started: Callable[[], None] | None) -> None:
        super().__init__(config)
        self._on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._on_started is not None:
            self._on_started()

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn re-raises the signal after shutting down, which would kill the
        # process before the CLI closes the state file; stop gracefully instead.
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        handled = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)


class EmulatorServer:
    """The emulator on ``host:port`` (``port=0``: a free port), with its state.

    ``seed`` is a seed document (dict) or a path to a JSON/YAML file; with a
    ``state_path`` it is applied only when that state is new. ``start()``
    returns once the server accepts connections; ``base_url`` is then set.

    ``auth_token`` defaults to :data:`DEFAULT_AUTH_TOKEN` on a loopback ``host``
    only: on any other interface it must be given (ValueError otherwise).

    ``deliver_to`` is where a simulated inbound SMS's webhooks may go:
    ``loopback`` (the default), ``any`` or ``none`` (a startup setting: a reset
    returns to it).
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: dict[str, Any] | str | Path | None = None,
        state_path: str | Path | None = None,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str | None = None,
        *,
        duplicate_address_error: dict[str, int] | None = None,
        deliver_to: DeliverTo | None = None,
        journal_size: int = 10_000,
        allow_remote_control: bool = False,
        log_level: str = "warning",
    ) -> None:
        if auth_token is None:
            if not is_loopback_host(host):
                raise ValueError(
                    f"refusing to serve the well-known default auth token on {host}, "
                    "which is not a loopback interface: give an auth token explicitly "
                    "(--auth-token)"
                )
            auth_token = DEFAULT_AUTH_TOKEN
        self.host = host
        self.port = port
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.store = Store(state_path)
        try:
            settings: dict[str, Any] = {}
            if duplicate_address_error:
                settings["duplicate_address_error"] = duplicate_address_error
            if deliver_to is not None:
                settings["deliver_to"] = deliver_to
            self.backend = Backend(self.store, account_sid, auth_token, settings=settings or None)
            if seed is not None and self.backend.is_fresh():
                document = seed if isinstance(seed, dict) else load_seed_file(seed)
                apply_seed(self.backend, document)
        except BaseException:
            self.store.close()
            raise
        self.state = EmulatorState(
            backend=self.backend,
            faults=FaultRegistry(),
            journal=Journal(journal_size),
            allow_remote_control=allow_remote_control,
        )
        self.app = create_app(self.state)
        self._log_level = log_level
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets
        # whose proto says TCP, and without it every keep-alive reply waits ~40 ms.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self.port))
        sock.listen(128)
        self.port = sock.getsockname()[1]
        return sock

    def _make_server(self, on_started: Callable[[], None] | None) -> _Server:
        config = uvicorn.Config(
            self.app,
            http=TransportExposingH11Protocol,
            loop="asyncio",
            lifespan="off",
            log_level=self._log_level,
            access_log=False,
            timeout_graceful_shutdown=5,
        )
        return _Server(config, on_started)

    def serve_forever(self, on_started: Callable[[str], None] | None = None) -> None:
        """Serve in this thread until SIGINT/SIGTERM; then close the state cleanly."""
        try:
            sock = self._bind()
            try:
                server = self._make_server(
                    lambda: on_started(self.base_url) if on_started else None
                )
                self._server = server
                server.run(sockets=[sock])
            finally:
                sock.close()
        finally:
            self.store.close()

    def start(self, timeout: float = 10.0) -> EmulatorServer:
        """Serve from a background thread; returns once listening."""
        if self._thread is not None:
            raise RuntimeError("emulator already started")
        self._socket = self._bind()
        started = threading.Event()
        self._server = self._make_server(started.set)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name=f"twilio-emulator:{self.port}",
            daemon=True,
        )
        self._thread.start()
        if not started.wait(timeout):
            self.stop()
            raise RuntimeError(f"emulator did not start within {timeout} s")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and close the state (idempotent)."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self.store.close()

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
