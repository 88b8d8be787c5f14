"""Helpers for the proxy-mode tests (tests/emulator/proxy/): a recorder that keeps and
spec-checks every answer an in-process emulator gives, and clients in subprocesses.

:class:`ResponseRecorder` wraps the emulator's app (what uvicorn serves on both
the main port and the proxy) and keeps every exchange as the client addressed
it (the tunnel's host, else the ``Host`` header), validating each answer with
the suite's OpenAPI validator, like the direct routes' clients do.

Clients run in subprocesses with only the environment the emulator prints
(:func:`run_python`), so the test process's own environment is untouched.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.emulator.hosts import TUNNEL_EXTENSION
from pulumi_flex_sms.emulator.proxy import ProxyEndpoint
from pulumi_flex_sms.emulator.server import EmulatorServer

from .emulator import STANDARD
from .openapi import REPO_ROOT, SpecValidationError, spec_validator

__all__ = [
    "PROXY_VARIABLES",
    "Exchange",
    "Proxied",
    "ResponseRecorder",
    "cache_dir",
    "clean_environ",
    "run_python",
]


#: Proxy settings a developer's shell may hold; the clients under test get ours only.
PROXY_VARIABLES = (
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "SSL_CERT_DIR",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
    "TWILIO_REGION",
    "TWILIO_EDGE",
)


@dataclass
class Exchange:
    method: str
    url: str
    tunnelled: bool
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class ResponseRecorder:
    """ASGI wrapper: keeps every exchange and checks each answer against the specs."""

    app: ASGIApp
    exchanges: list[Exchange] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    validated: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        tunnel = scope.get("extensions", {}).get(TUNNEL_EXTENSION)
        host = tunnel or Headers(scope=scope).get("host", "")
        query = scope["query_string"].decode("latin-1")
        url = f"{scope['scheme']}://{host}{scope['raw_path'].decode('latin-1')}"
        url += f"?{query}" if query else ""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    # Checked before the client sees the end of the answer, so a test
                    # that looks at the recorder right after a call finds it there.
                    self._record(scope["method"], url, tunnel is not None, start, chunks)
            await send(message)

        await self.app(scope, receive, capture)

    def _record(
        self, method: str, url: str, tunnelled: bool, start: dict[str, Any], chunks: list[bytes]
    ) -> None:
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in start.get("headers", [])}
        exchange = Exchange(method, url, tunnelled, start["status"], headers, b"".join(chunks))
        validator = spec_validator()
        with self._lock:
            self.exchanges.append(exchange)
            if validator is None:
                return
            checked = validator.checked
            try:
                validator.validate(exchange.method, url, exchange.status, headers, exchange.body)
            except SpecValidationError as exc:
                self.errors.append(str(exc))
            self.validated += validator.checked - checked

    def clear(self) -> None:
        with self._lock:
            self.exchanges.clear()
            self.errors.clear()
            self.validated = 0

    def twilio(self, host_suffix: str = ".twilio.com") -> list[Exchange]:
        """The exchanges addressed to a Twilio host (through the tunnel or by ``Host``)."""
        return [e for e in self.exchanges if e.url.split("/")[2].endswith(host_suffix)]


@dataclass
class Proxied:
    server: EmulatorServer
    recorder: ResponseRecorder
    control: EmulatorControl

    @property
    def endpoint(self) -> ProxyEndpoint:
        assert self.server.proxy is not None
        return self.server.proxy

    @property
    def base_url(self) -> str:
        return self.server.base_url

    def python_env(self) -> dict[str, str]:
        """What the brief gives twilio-python: HTTPS_PROXY, REQUESTS_CA_BUNDLE, credentials."""
        env = self.endpoint.environment()
        return {
            "HTTPS_PROXY": env["HTTPS_PROXY"],
            "REQUESTS_CA_BUNDLE": env["REQUESTS_CA_BUNDLE"],
            "TWILIO_ACCOUNT_SID": STANDARD.account_sid,
            "TWILIO_AUTH_TOKEN": STANDARD.auth_token,
        }


def clean_environ(extra: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without any proxy or CA settings, plus ``extra``."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k.upper() not in PROXY_VARIABLES and not k.upper().startswith("TWILIO_")
    }
    env.update(extra)
    return env


def run_python(script: str, env: Mapping[str, str], timeout: float = 60) -> Any:
    """Run ``script`` in a fresh interpreter with ``env``; returns the JSON it prints last."""
    completed = subprocess.run(
        [sys.executable, "-c", script],
        env=clean_environ(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


def cache_dir(name: str) -> Path:
    """A directory under the repository's ``.cache/`` (gitignored)."""
    path = REPO_ROOT / ".cache" / name
    path.mkdir(parents=True, exist_ok=True)
    return path
