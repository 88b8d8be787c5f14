"""The control endpoints (``{base}/_emulator/...``) and who may call them.

The emulator's own endpoints (health, reset, seed, state, faults, the request
journal); the simulation serves its own under the same prefix
(``simulation/routes.py``). They take no credentials, so :func:`refusal`
decides who reaches any of them, before any body is read:

* the client must be on loopback, unless the server allows remote control;
* the ``Host`` header must be ``localhost`` (or ``*.localhost``) or an IP
  address, unless remote control is allowed: a web page that rebinds its own
  DNS name to 127.0.0.1 sends its name, and is refused (DNS rebinding);
* no ``Origin`` header, and no ``Sec-Fetch-Site`` other than ``none``: browsers
  send them with every cross-site (and same-site) request a page makes, and no
  other client the emulator serves (EmulatorControl, curl, requests) does;
* no content type a web page can send without a CORS preflight (``text/plain``,
  ``application/x-www-form-urlencoded``, ``multipart/form-data``): bodies are
  JSON (``application/json``) or, for a seed, YAML.

Bodies are read within :data:`~.limits.MAX_BODY_BYTES` and parsed by
:mod:`.documents`, so a document too deep, too large once its YAML aliases are
expanded, or holding ``NaN`` is a 400 that says so.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Scope

from .documents import DocumentError, parse_json, parse_yaml
from .errors import ApiError, BadRequest, Forbidden, UnsupportedMediaType
from .limits import MAX_GLOB_CHARS
from .params import shown
from .seed import apply_seed, dump_state
from .wire import call, json_response

if TYPE_CHECKING:
    from .app import EmulatorState

__all__ = ["CONTROL_PREFIX", "ROUTES", "is_loopback_address", "read_document", "refusal"]

CONTROL_PREFIX = "/_emulator"
JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


def is_loopback_address(host: str) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 (also as IPv4-mapped IPv6)."""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


def _host_name(host: str) -> str:
    """The name or address in a ``Host`` header, without its port or brackets."""
    if host.startswith("["):
        return host[1:].partition("]")[0]
    name, _, port = host.rpartition(":")
    return name if name and port.isdigit() else host


def _is_safe_host(host: str) -> bool:
    # A DNS rebinding attack needs a name it controls: a literal address, or a
    # name that always means this machine (RFC 6761), cannot be one.
    name = _host_name(host).lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _media_type(headers: Headers) -> str | None:
    value = headers.get("content-type")
    return None if value is None else value.partition(";")[0].strip().lower()


def refusal(scope: Scope, state: EmulatorState) -> ApiError | None:
    """Why this control request must not be served, or None."""
    client = scope.get("client")
    if not (state.allow_remote_control or is_loopback_address(client[0] if client else "")):
        return Forbidden("Control endpoints answer loopback clients only (--allow-remote-control)")
    headers = Headers(scope=scope)
    host = headers.get("host")
    if host is not None and not state.allow_remote_control and not _is_safe_host(host):
        return Forbidden(
            f"Control endpoints answer requests addressed to localhost or an IP address, "
            f"not to {shown(host)} (a web page may rebind a name to this machine)"
        )
    if "origin" in headers or headers.get("sec-fetch-site", "none") != "none":
        return Forbidden("Control endpoints do not answer requests made by web pages")
    media = _media_type(headers)
    if media is not None and media not in JSON_TYPES + YAML_TYPES:
        return UnsupportedMediaType(
            f"Control endpoints take application/json (or YAML for a seed), not {shown(media)}"
        )
    return None


def _state(request: Request) -> EmulatorState:
    state: EmulatorState = request.app.state.emulator
    return state


async def read_document(request: Request, what: str) -> Any:
    """The request's JSON (or, with a YAML content type, YAML) body; None when empty."""
    text = (await request.body()).decode("utf-8", "replace")
    if not text.strip():
        return None
    try:
        if _media_type(request.headers) in YAML_TYPES:
            return parse_yaml(text)
        return parse_json(text)
    except DocumentError as exc:
        raise BadRequest(f"{what}: {exc}") from None


async def reset(request: Request) -> Response:
    state = _state(request)
    await call(state.backend.reset)
    state.faults.clear()
    state.journal.clear()
    return json_response({"reset": True})


async def seed(request: Request) -> Response:
    document = await read_document(request, "seed")
    summary = await call(apply_seed, _state(request).backend, document)
    return json_response(summary)


async def dump(request: Request) -> Response:
    return json_response(await call(dump_state, _state(request).backend))


async def health(request: Request) -> Response:
    return json_response({"status": "ok", "account_sid": _state(request).backend.account_sid})


async def list_faults(request: Request) -> Response:
    return json_response({"faults": _state(request).faults.list()})


async def add_fault(request: Request) -> Response:
    fault = _state(request).faults.add(await read_document(request, "fault"))
    return json_response(fault.to_json(), 201)


async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


async def list_requests(request: Request) -> Response:
    q = request.query_params
    path = q.get("path")
    if path is not None and len(path) > MAX_GLOB_CHARS:
        raise BadRequest(f"path: a glob of at most {MAX_GLOB_CHARS} characters")
    entries = await call(
        _state(request).journal.entries,
        method=q.get("method"),
        path=path,
        domain=q.get("domain"),
    )
    return json_response({"requests": entries})


async def clear_requests(request: Request) -> Response:
    _state(request).journal.clear()
    return Response(status_code=204)


_C = CONTROL_PREFIX

#: The control endpoints' routing table (the simulation's are in simulation/routes.py).
ROUTES = [
    Route(f"{_C}/health", health, methods=["GET"]),
    Route(f"{_C}/reset", reset, methods=["POST"]),
    Route(f"{_C}/seed", seed, methods=["POST"]),
    Route(f"{_C}/state", dump, methods=["GET"]),
    Route(f"{_C}/faults", list_faults, methods=["GET"]),
    Route(f"{_C}/faults", add_fault, methods=["POST"]),
    Route(f"{_C}/faults", clear_faults, methods=["DELETE"]),
    Route(f"{_C}/requests", list_requests, methods=["GET"]),
    Route(f"{_C}/requests", clear_requests, methods=["DELETE"]),
]
