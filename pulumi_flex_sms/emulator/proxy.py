"""Proxy mode: unmodified Twilio clients reach the emulator through ``HTTPS_PROXY``.

The emulator listens on a second port as an HTTP proxy that does one thing:
``CONNECT {domain}.twilio.com:443`` (or ``{domain}[.{edge}].{region}.twilio.com:443``)
is answered ``200``, the tunnel's TLS is terminated with a certificate for that
host signed by the local CA (:mod:`.ca`), and the requests inside are served by
the emulator's own HTTP stack (uvicorn's h11 protocol, the same app: routes,
gate, journal, faults), routed by the tunnel's host (:mod:`.hosts`).

Everything else is refused with ``403`` and a message that says why, and never
forwarded: ``CONNECT`` to any other host or port, and plain proxy requests
(``GET http://example.com/``). The proxy opens no connection of its own.

The proxy's own HTTP (the ``CONNECT`` request and its refusals) is parsed and
written by ``h11``; TLS is the standard library's, through
``loop.start_tls``.
"""

from __future__ import annotations

import asyncio
import logging
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import h11
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .control_routes import CONTROL_PREFIX
from .errors import NotFound
from .hosts import twilio_host
from .wire import json_response

if TYPE_CHECKING:
    from .app import EmulatorState
    from .ca import CertificateAuthority

__all__ = ["ROUTES", "ProxyConnection", "ProxyEndpoint", "ProxyService"]

logger = logging.getLogger("pulumi_flex_sms.emulator.proxy")

#: A client that has not finished its CONNECT and TLS handshake by then is dropped.
HANDSHAKE_TIMEOUT_SECONDS = 30.0
#: The CONNECT request's head is small; anything larger is not a Twilio client.
MAX_REQUEST_HEAD_BYTES = 16 * 1024
TWILIO_PORT = 443


@dataclass(frozen=True)
class ProxyEndpoint:
    """Where the proxy listens and the CA its clients trust: what a user exports."""

    url: str
    ca: CertificateAuthority
    #: Hosts that must not go through the proxy (the emulator's main port among them).
    direct_hosts: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")

    def environment(self) -> dict[str, str]:
        """The variables that send unmodified clients through the proxy.

        ``HTTPS_PROXY`` for Python (requests, urllib, httpx) and curl;
        ``HTTP_PROXY`` because twilio-node and the ``twilio`` CLI read only it
        (for their HTTPS requests too); ``NO_PROXY`` so that plain requests to
        this machine (the emulator's main port) stay direct. ``SSL_CERT_FILE``
        and ``REQUESTS_CA_BUNDLE`` replace the roots, so they name the bundle
        (public roots + the CA); ``NODE_EXTRA_CA_CERTS`` adds to Node's, so it
        names the CA alone.
        """
        bundle = str(self.ca.bundle_path)
        return {
            "HTTPS_PROXY": self.url,
            "HTTP_PROXY": self.url,
            "NO_PROXY": ",".join(dict.fromkeys(self.direct_hosts)),
            "SSL_CERT_FILE": bundle,
            "REQUESTS_CA_BUNDLE": bundle,
            "NODE_EXTRA_CA_CERTS": str(self.ca.cert_path),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "proxy_url": self.url,
            "ca_dir": str(self.ca.directory),
            "ca_cert": str(self.ca.cert_path),
            "ca_bundle": str(self.ca.bundle_path),
            "ca_fingerprint_sha256": self.ca.fingerprint,
            "environment": self.environment(),
        }


# -- the control endpoint ------------------------------------------------------------


async def proxy_info(request: Request) -> Response:
    state: EmulatorState = request.app.state.emulator
    if state.proxy is None:
        raise NotFound(
            "The proxy is off: start the emulator with --proxy-port PORT (0: a free port)"
        )
    return json_response(state.proxy.to_json())


#: ``GET /_emulator/proxy``: the proxy's address, the CA's files and the environment.
ROUTES = [Route(f"{CONTROL_PREFIX}/proxy", proxy_info, methods=["GET"])]


# -- the proxy ------------------------------------------------------------------------


class ProxyService:
    """What every proxy connection needs, and the connections still in their handshake."""

    def __init__(
        self,
        ca: CertificateAuthority,
        http_protocol: Callable[[str], asyncio.Protocol],
    ) -> None:
        self.ca = ca
        #: Makes the HTTP protocol that serves a tunnel to the given Twilio host.
        self.http_protocol = http_protocol
        self.handshaking: set[ProxyConnection] = set()

    def connection(self) -> ProxyConnection:
        return ProxyConnection(self)

    def close_handshaking(self) -> None:
        """Drop the connections that are not serving requests yet (at shutdown)."""
        for connection in list(self.handshaking):
            connection.abort()


class _Handoff(asyncio.Protocol):
    """Holds what arrives between the TLS handshake and the HTTP protocol taking over."""

    def __init__(self) -> None:
        self.data: list[bytes] = []
        self.eof = False
        self.lost = False

    def data_received(self, data: bytes) -> None:
        self.data.append(data)

    def eof_received(self) -> bool | None:
        self.eof = True
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True


class ProxyConnection(asyncio.Protocol):
    """One client of the proxy: its ``CONNECT``, then a TLS tunnel to the app."""

    def __init__(self, service: ProxyService) -> None:
        self.service = service
        self.transport: asyncio.Transport | None = None
        self.conn = h11.Connection(h11.SERVER, max_incomplete_event_size=MAX_REQUEST_HEAD_BYTES)
        self.tunnelling = False
        self._timer: asyncio.TimerHandle | None = None
        self._task: asyncio.Task[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.service.handshaking.add(self)
        loop = asyncio.get_running_loop()
        self._timer = loop.call_later(HANDSHAKE_TIMEOUT_SECONDS, self.abort)

    def connection_lost(self, exc: Exception | None) -> None:
        self._done()

    def _done(self) -> None:
        self.service.handshaking.discard(self)
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def abort(self) -> None:
        if self._task is not None:
            self._task.cancel()
        if self.transport is not None:
            self.transport.abort()
        self._done()

    def data_received(self, data: bytes) -> None:
        if self.tunnelling:
            # A client that sends TLS before it read our 200 cannot be handed on
            # to start_tls intact; real clients wait for the answer.
            return self.abort()
        self.conn.receive_data(data)
        try:
            event = self.conn.next_event()
        except h11.RemoteProtocolError as exc:
            return self._refuse(400, f"Bad proxy request: {exc}")
        if isinstance(event, h11.Request):
            self._request(event)
        elif isinstance(event, h11.ConnectionClosed):
            self.abort()

    def eof_received(self) -> bool | None:
        return None  # let the transport close

    def _request(self, request: h11.Request) -> None:
        method = request.method.decode("ascii", "replace")
        target = request.target.decode("latin-1")
        if method != "CONNECT":
            return self._refuse(
                403,
                f"The Twilio emulator's proxy forwards nothing: it refuses {method} {target}. "
                "It only tunnels HTTPS to Twilio's API hosts (CONNECT "
                "{domain}.twilio.com:443), which the emulator answers itself.",
            )
        name, _, port = target.rpartition(":")
        host = twilio_host(name) if port == str(TWILIO_PORT) and ":" not in name else None
        if host is None:
            return self._refuse(
                403,
                f"The Twilio emulator's proxy refuses CONNECT {target}: it only tunnels to "
                "Twilio's API hosts ({domain}.twilio.com:443, {domain}.{edge}.{region}."
                "twilio.com:443), which the emulator answers itself, and it forwards nothing "
                "anywhere else.",
            )
        try:
            context = self.service.ca.server_context(host.name)
        except (OSError, ssl.SSLError) as exc:  # e.g. the CA directory went away
            return self._refuse(500, f"The Twilio emulator could not make a certificate: {exc}")
        assert self.transport is not None
        self.transport.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.tunnelling = True
        if self.conn.trailing_data[0]:
            return self.abort()
        self._task = asyncio.get_running_loop().create_task(self._tunnel(host.name, context))

    async def _tunnel(self, host: str, context: ssl.SSLContext) -> None:
        transport = self.transport
        assert transport is not None
        handoff = _Handoff()
        loop = asyncio.get_running_loop()
        try:
            tls = await loop.start_tls(
                transport,
                handoff,
                context,
                server_side=True,
                ssl_handshake_timeout=HANDSHAKE_TIMEOUT_SECONDS,
            )
        except (OSError, ssl.SSLError, asyncio.TimeoutError, ConnectionError) as exc:
            # Most often a client that does not trust the CA (it sends an alert).
            logger.info("TLS handshake for %s failed: %s", host, exc)
            transport.abort()
            self._done()
            return
        finally:
            self._task = None
        self._done()
        if tls is None or handoff.lost:
            return
        protocol = self.service.http_protocol(host)
        tls.set_protocol(protocol)
        protocol.connection_made(tls)
        if handoff.data:
            protocol.data_received(b"".join(handoff.data))
        if handoff.eof:
            protocol.eof_received()

    def _refuse(self, status: int, message: str) -> None:
        """Answer ``status`` with ``message`` and close (h11 allows it after a bad request too)."""
        body = (message + "\n").encode()
        head = h11.Response(
            status_code=status,
            reason=_REASONS.get(status, b""),
            headers=[
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Connection", "close"),
            ],
        )
        assert self.transport is not None
        try:
            data = self.conn.send(head) or b""
            data += self.conn.send(h11.Data(data=body)) or b""
            data += self.conn.send(h11.EndOfMessage()) or b""
        except h11.LocalProtocolError:
            data = b""
        logger.info("proxy refused: %s", message)
        self.transport.write(data)
        self.transport.close()
        self._done()


_REASONS = {400: b"Bad Request", 403: b"Forbidden", 500: b"Internal Server Error"}
