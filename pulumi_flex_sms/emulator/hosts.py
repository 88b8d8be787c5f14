"""Host routing: a request addressed to a Twilio host is served as ``{base}/{domain}{path}``.

Two ways a request arrives addressed to Twilio:

* through the proxy (:mod:`.proxy`): the tunnel's host (``CONNECT
  conversations.twilio.com:443``) decides, whatever the ``Host`` header inside
  the tunnel says, so nothing sent through the proxy reaches the control
  endpoints;
* on the main port with a Twilio ``Host`` header (a hosts-file set-up that
  sends ``conversations.twilio.com`` to this machine).

A Twilio host is ``{domain}.twilio.com``, ``{domain}.{region}.twilio.com`` or
``{domain}.{edge}.{region}.twilio.com`` (e.g. ``conversations.dublin.ie1.twilio.com``).
Its request ``/v1/...`` is served as ``/{domain}/v1/...`` by the same routes,
gate, journal and faults as any other. Every other ``Host`` is left alone.

Which base URL the answer's URLs start with is decided here, once per request,
and read by :func:`~.wire.base_url`: for a plain request ``scheme://host`` as the
client addressed the emulator; for a host-routed one Twilio's own
``https://{host}`` (the host as the client addressed it, without a port), so a
client that follows ``next_page_url`` stays on the proxy. The handlers build
URLs as ``{base}/{domain}/...`` (``{base}{PREFIX}``, and a Flow's
``{base}/webhooks/v1/...``); for a host-routed request ``base`` is a
per-process marker that cannot occur in a request, and the answer's
``{marker}/{domain}`` becomes ``https://{domain}.twilio.com`` on its way out
(``https://{domain}.{edge}.{region}.twilio.com`` when the client addressed a
regional host). So every domain, present or future, answers Twilio's URLs
without its handlers knowing how the request was addressed.
"""

from __future__ import annotations

import functools
import re
import secrets
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "PUBLIC_BASE_STATE",
    "TUNNEL_EXTENSION",
    "HostRouting",
    "TwilioHost",
    "host_name",
    "twilio_host",
]

#: Scope extension under which the proxy puts the tunnel's host (``CONNECT`` target).
TUNNEL_EXTENSION = "pulumi_flex_sms.tunnel_host"
#: Key of ``scope["state"]`` that holds the base URL this request's answer uses.
PUBLIC_BASE_STATE = "public_base"

_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_TWILIO_HOST = re.compile(rf"({_LABEL})((?:\.{_LABEL}){{0,2}})\.twilio\.com")
#: Stands for "Twilio's host" in URLs the handlers build; random, so no request can hold it.
_ROUTED_BASE = f"http://host-routed-{secrets.token_hex(8)}.invalid"
_ROUTED_URL = re.compile(re.escape(_ROUTED_BASE.encode()) + rb"/([a-z0-9-]+)")


@dataclass(frozen=True)
class TwilioHost:
    """A Twilio API host: ``domain`` is what the emulator's paths start with."""

    name: str
    domain: str

    @property
    def suffix(self) -> str:
        """What follows the domain: ``.twilio.com``, or ``.{edge}.{region}.twilio.com``."""
        return self.name[len(self.domain) :]


def host_name(host: str) -> str:
    """The name in a ``Host`` header or authority, lowercased, without port or brackets."""
    if host.startswith("["):
        return host[1:].partition("]")[0].lower()
    name, colon, port = host.rpartition(":")
    if not colon or not port.isdigit():
        name = host
    return name.lower().rstrip(".")


def twilio_host(host: str) -> TwilioHost | None:
    """The Twilio host ``host`` names (a ``Host`` header or bare name), or None."""
    name = host_name(host)
    match = _TWILIO_HOST.fullmatch(name)
    return TwilioHost(name, match.group(1)) if match else None


def _host_header(scope: Scope) -> str | None:
    """The request's (first) ``Host`` header, as Starlette's ``Headers`` would give it."""
    for name, value in scope["headers"]:
        if name == b"host":
            host: str = value.decode("latin-1")
            return host
    return None


@functools.lru_cache(maxsize=256)
def _twilio_host_cached(host: str) -> TwilioHost | None:
    # A client sends the same Host header on every request: parse it once. Bounded,
    # since the header is the client's to choose; a TwilioHost is immutable.
    return twilio_host(host)


def _routed_host(scope: Scope, host: str | None) -> TwilioHost | None:
    tunnel = scope.get("extensions", {}).get(TUNNEL_EXTENSION)
    if tunnel is not None:
        return TwilioHost(tunnel, tunnel.partition(".")[0])
    return None if host is None else _twilio_host_cached(host)


def _plain_base(scope: Scope, host: str | None) -> str:
    if not host:
        server = scope.get("server") or ("127.0.0.1", 80)
        host = f"{server[0]}:{server[1]}"
    return f"{scope.get('scheme', 'http')}://{host}"


class HostRouting:
    """ASGI middleware in front of everything else (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        host = _host_header(scope)
        routed = _routed_host(scope, host)
        if routed is None:
            scope.setdefault("state", {})[PUBLIC_BASE_STATE] = _plain_base(scope, host)
            return await self.app(scope, receive, send)
        prefix = f"/{routed.domain}"
        scope = {
            **scope,
            "path": prefix + scope["path"],
            "raw_path": prefix.encode() + scope.get("raw_path", scope["path"].encode()),
            "state": {**scope.get("state", {}), PUBLIC_BASE_STATE: _ROUTED_BASE},
        }
        await self.app(scope, receive, _translating(send, routed.suffix.encode()))


def _translating(send: Send, suffix: bytes) -> Send:
    """``send``, with each ``{marker}/{domain}`` in the (buffered) body made
    ``https://{domain}{suffix}``."""

    def public(match: re.Match[bytes]) -> bytes:
        return b"https://" + match.group(1) + suffix

    start: Message | None = None
    chunks: list[bytes] = []

    async def translate(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
            return
        if message["type"] != "http.response.body" or start is None:
            return await send(message)
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = _ROUTED_URL.sub(public, b"".join(chunks))
        headers = [
            (k, str(len(body)).encode() if k.lower() == b"content-length" else v)
            for k, v in start.get("headers", [])
        ]
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return translate
