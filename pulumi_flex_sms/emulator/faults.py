"""Fault injection: make the next N matching requests fail, slow down, or drop.

A fault matches a request by method (``"*"`` or omitted = any) and by the
emulator path (``/conversations/v1/Configuration/Addresses``), exactly or as a
glob: ``*`` matches within one path segment, ``**`` across segments, ``?`` one
character. The first ``times`` matching requests (authenticated ones: a 401
takes no fault) take it, then it is used up. Faults are tried in the order
they were added.

Actions:

``error``  answer ``status`` (429, 500, 503...) with Twilio's error body
           (code 20429/20500/20503 unless ``code`` is given) and, for
           ``retry_after``, a ``Retry-After`` header. The request is not
           processed, as Twilio promises for 429.
``delay``  wait ``seconds``, then process and answer normally.
``drop``   process the request and commit its change, then close the
           connection without sending a single response byte. The client sees
           a connection error and cannot know whether the change happened.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import asdict, dataclass, field
from itertools import count
from typing import Any

from .errors import ApiError, BadRequest, error_for_status
from .globs import path_matches
from .limits import (
    MAX_FAULT_RETRY_AFTER,
    MAX_FAULT_SECONDS,
    MAX_FAULT_TIMES,
    MAX_FAULTS,
    MAX_GLOB_CHARS,
    MAX_MESSAGE_CHARS,
)

__all__ = ["ACTIONS", "Fault", "FaultRegistry", "path_matches"]

ACTIONS = ("error", "delay", "drop")
#: ``hits`` keeps the latest requests a fault took, not all of them.
MAX_HITS_KEPT = 100
_METHOD = re.compile(r"\*|[A-Za-z]{1,16}")


@dataclass
class Fault:
    """One injected fault; ``remaining`` counts down from ``times``."""

    id: int
    action: str
    path: str
    method: str = "*"
    times: int = 1
    remaining: int = 1
    status: int | None = None
    code: int | None = None
    message: str | None = None
    retry_after: float | None = None
    seconds: float = 0.0
    hits: list[str] = field(default_factory=list)

    def matches(self, method: str, path: str) -> bool:
        return self.method in ("*", method.upper()) and path_matches(self.path, path)

    def error(self) -> ApiError:
        return error_for_status(self.status or 500, self.message, self.code)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, fault_id: int, spec: Any) -> Fault:
        if not isinstance(spec, dict):
            raise BadRequest("fault: expected a JSON object")
        allowed = {"action", "path", "method", "times", "status", "code", "message"}
        allowed |= {"retry_after", "seconds"}
        unknown = set(spec) - allowed
        if unknown:
            raise BadRequest(f"fault: unknown field(s) {', '.join(sorted(unknown))}")
        action = spec.get("action", "error")
        if action not in ACTIONS:
            raise BadRequest(f"fault.action: {action!r} is not one of {', '.join(ACTIONS)}")
        path = spec.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise BadRequest("fault.path: required, an emulator path starting with '/'")
        if len(path) > MAX_GLOB_CHARS:
            raise BadRequest(f"fault.path: longer than {MAX_GLOB_CHARS} characters")
        method = spec.get("method") or "*"
        if not isinstance(method, str) or not _METHOD.fullmatch(method):
            raise BadRequest("fault.method: an HTTP method (GET, POST, DELETE...) or '*'")
        message = spec.get("message")
        if message is not None and (
            not isinstance(message, str) or len(message) > MAX_MESSAGE_CHARS
        ):
            raise BadRequest(f"fault.message: a string of at most {MAX_MESSAGE_CHARS} characters")
        times = _number(spec, "times", 1, int, 1, MAX_FAULT_TIMES)
        # Only an error status: 1xx-3xx are no fault, and uvicorn cannot send 1000.
        status = _number(spec, "status", 500, int, 400, 599) if action == "error" else None
        code = _number(spec, "code", None, int, 0, 99999)
        seconds = _number(spec, "seconds", 0.0, float, 0, MAX_FAULT_SECONDS)
        retry_after = _number(spec, "retry_after", None, float, 0, MAX_FAULT_RETRY_AFTER)
        return cls(
            id=fault_id,
            action=action,
            path=path,
            method=method.upper(),
            times=times,
            remaining=times,
            status=status,
            code=code,
            message=message,
            retry_after=retry_after,
            seconds=seconds,
        )


def _number(
    spec: dict[str, Any], name: str, default: Any, kind: type, low: float, high: float
) -> Any:
    """``spec[name]``: a finite number in ``low..high`` (an integer if ``kind`` is int)."""
    value = spec.get(name, default)
    if value is None:
        return None
    what = "an integer" if kind is int else "a number"
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or (kind is int and value != int(value))
        or not low <= value <= high
    ):
        raise BadRequest(f"fault.{name}: expected {what} in {low:g}..{high:g}, got {value!r:.40}")
    return kind(value)


class FaultRegistry:
    """The active faults; thread-safe, so each fault hits exactly ``times`` requests."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()
        self._ids = count(1)

    def add(self, spec: Any) -> Fault:
        with self._lock:
            if len(self._faults) >= MAX_FAULTS:
                raise BadRequest(
                    f"fault: {MAX_FAULTS} faults are registered already; DELETE /_emulator/faults"
                )
            fault = Fault.from_json(next(self._ids), spec)
            self._faults.append(fault)
            return fault

    def take(self, method: str, path: str) -> Fault | None:
        """The first live fault matching the request, counted as used once."""
        with self._lock:
            for fault in self._faults:
                if fault.remaining > 0 and fault.matches(method, path):
                    fault.remaining -= 1
                    fault.hits.append(f"{method} {path}")
                    del fault.hits[:-MAX_HITS_KEPT]
                    return fault
        return None

    def list(self) -> list[dict[str, Any]]:
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
