"""Run the emulator: in-process on a free port (tests) or in the foreground (CLI).

uvicorn serves the Starlette app with its h11 protocol, subclassed only to put
the connection's transport into each request's scope (``extensions``), which is
what lets a ``drop`` fault close the connection without a response byte.

With a ``proxy_port`` it also listens as the proxy of :mod:`.proxy` (the same
event loop, app and uvicorn protocol; each tunnel names its Twilio host in the
scope, for :mod:`.hosts`), with the CA of :mod:`.ca`.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from .app import EmulatorState, create_app
from .backend import Backend
from .control_routes import is_loopback_address
from .faults import FaultRegistry
from .gate import TRANSPORT_EXTENSION
from .hosts import TUNNEL_EXTENSION
from .journal import Journal
from .proxy import ProxyEndpoint, ProxyService
from .seed import apply_seed, load_seed_file
from .store import Store
from .webhooks import DeliverTo

if TYPE_CHECKING:
    from .ca import CertificateAuthority

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
    """uvicorn's h11 protocol, exposing the transport to the app via the scope
    (and, for a proxy tunnel, the Twilio host it leads to)."""

    def __init__(self, *args: Any, tunnel_host: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inner = self.app

        async def app(scope: Any, receive: Any, send: Any) -> None:
            extensions = scope.setdefault("extensions", {})
            extensions[TRANSPORT_EXTENSION] = self.transport
            if tunnel_host is not None:
                extensions[TUNNEL_EXTENSION] = tunnel_host
            await inner(scope, receive, send)

        self.app = app


class _Server(uvicorn.Server):
    def __init__(
        self,
        config: uvicorn.Config,
        on_started: Callable[[], None] | None,
        proxy: tuple[socket.socket, CertificateAuthority] | None = None,
    ) -> None:
        super().__init__(config)
        self._on_started = on_started
        self._proxy = proxy
        self._proxy_service: ProxyService | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self._proxy is not None:
            await self._start_proxy(*self._proxy)
        if self.started and self._on_started is not None:
            self._on_started()

    async def _start_proxy(self, sock: socket.socket, ca: CertificateAuthority) -> None:
        def http_protocol(tunnel_host: str) -> asyncio.Protocol:
            # What uvicorn makes for each connection of the main port, for one tunnel.
            return TransportExposingH11Protocol(
                config=self.config,
                server_state=self.server_state,
                app_state=self.lifespan.state,
                tunnel_host=tunnel_host,
            )

        service = self._proxy_service = ProxyService(ca, http_protocol)
        server = await asyncio.get_running_loop().create_server(service.connection, sock=sock)
        self.servers.append(server)  # uvicorn's shutdown closes it with its own

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        if self._proxy_service is not None:
            self._proxy_service.close_handshaking()
        await super().shutdown(sockets)

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

    With a ``proxy_port`` (``0``: a free port) it also listens there, on the same
    ``host``, as the proxy for unmodified clients (:mod:`.proxy`); its CA is kept
    in ``ca_dir`` (default: beside ``state_path``, else a per-user cache
    directory) and ``proxy`` is then set (address, CA, environment).
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
        proxy_port: int | None = None,
        ca_dir: str | Path | None = None,
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
        self.proxy_port = proxy_port
        self.ca: CertificateAuthority | None = None
        if proxy_port is not None:
            # Imported here: cryptography adds about 8 MiB to every emulator's memory,
            # and only the proxy needs it.
            from .ca import CertificateAuthority, default_ca_dir

            try:
                self.ca = CertificateAuthority.load_or_create(
                    ca_dir if ca_dir is not None else default_ca_dir(state_path)
                )
            except BaseException:
                self.store.close()
                raise
        self._proxy_socket: socket.socket | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def proxy(self) -> ProxyEndpoint | None:
        """The proxy's address and CA once listening (None without a ``proxy_port``)."""
        return self.state.proxy

    def _listen(self, port: int) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP explicitly: asyncio only sets TCP_NODELAY on accepted sockets
        # whose proto says TCP, and without it every keep-alive reply waits ~40 ms.
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, port))
        sock.listen(128)
        return sock

    def _bind(self) -> socket.socket:
        sock = self._listen(self.port)
        self.port = sock.getsockname()[1]
        if self.proxy_port is not None and self.ca is not None:
            try:
                self._proxy_socket = self._listen(self.proxy_port)
            except OSError:
                sock.close()
                raise
            self.proxy_port = self._proxy_socket.getsockname()[1]
            host = f"[{self.host}]" if ":" in self.host else self.host
            direct = ("localhost", "127.0.0.1", "::1", self.host)
            self.state.proxy = ProxyEndpoint(f"http://{host}:{self.proxy_port}", self.ca, direct)
        return sock

    def _close_proxy_socket(self) -> None:
        if self._proxy_socket is not None:
            self._proxy_socket.close()
            self._proxy_socket = None

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
        proxy = None
        if self._proxy_socket is not None and self.ca is not None:
            proxy = (self._proxy_socket, self.ca)
        return _Server(config, on_started, proxy)

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
                self._close_proxy_socket()
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
        self._close_proxy_socket()
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
