"""A tiny client for the emulator's control endpoints (``{base}/_emulator/...``).

Standard library only: importing it loads neither starlette nor uvicorn, so
provider tests and users' pipelines can drive an emulator started elsewhere::

    control = EmulatorControl("http://127.0.0.1:8717")
    control.reset()
    control.seed({"phone_numbers": [{"phone_number": "+15005550006"}]})
    control.add_fault(method="POST", path="/conversations/v1/Configuration/Addresses",
                      action="error", status=429, retry_after=1)
    ...
    assert not control.requests(method="DELETE", path="/api/**/IncomingPhoneNumbers/*")
"""

from __future__ import annotations

import ipaddress
import json
import urllib.error
import urllib.request
from typing import Any
from urllib.parse import urlencode, urlsplit

__all__ = ["EmulatorControl", "EmulatorControlError", "is_loopback_url", "opener_for"]


def is_loopback_url(url: str) -> bool:
    """True when ``url``'s host is this machine: localhost, ``*.localhost``, 127/8 or ::1."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def opener_for(url: str) -> urllib.request.OpenerDirector:
    """The urllib opener for ``url``: direct to a loopback emulator, else urllib's default.

    urllib sends even loopback requests through ``HTTP_PROXY``/``ALL_PROXY`` unless
    ``NO_PROXY`` names the host, and no proxy can reach this machine's loopback: on a
    runner behind a corporate proxy every control call would fail.
    """
    return _DIRECT if is_loopback_url(url) else urllib.request.build_opener()


class EmulatorControlError(RuntimeError):
    """A control endpoint answered with an error (``status`` and the parsed ``body``)."""

    def __init__(self, status: int, body: Any) -> None:
        message = body.get("message") if isinstance(body, dict) else body
        super().__init__(f"emulator control error {status}: {message}")
        self.status = status
        self.body = body


class EmulatorControl:
    """Reset, seed, inspect and fault-inject the emulator at ``base_url``."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(
        self, method: str, path: str, body: Any = None, query: dict[str, str | None] | None = None
    ) -> Any:
        """The endpoint's parsed JSON answer (None for none); each method names its shape."""
        url = f"{self.base_url}/_emulator/{path}"
        if query:
            url += "?" + urlencode({k: v for k, v in query.items() if v is not None})
        data = None if body is None else json.dumps(body, allow_nan=False).encode()
        request = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with opener_for(url).open(request, timeout=self.timeout) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:
            raw = exc.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw.decode("utf-8", "replace")
            raise EmulatorControlError(exc.code, parsed) from None
        return json.loads(raw) if raw else None

    def health(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "health")
        return result

    def reset(self) -> None:
        """Forget all state (but the default account), faults and the journal."""
        self._call("POST", "reset")

    def seed(self, document: dict[str, Any]) -> dict[str, Any]:
        """Apply a seed document; returns the SIDs created, per account."""
        result: dict[str, Any] = self._call("POST", "seed", document)
        return result

    def state(self) -> dict[str, Any]:
        """Everything the emulator holds, in the seed's shape, without secrets."""
        result: dict[str, Any] = self._call("GET", "state")
        return result

    def add_fault(
        self,
        path: str,
        *,
        action: str = "error",
        method: str = "*",
        times: int = 1,
        status: int | None = None,
        code: int | None = None,
        message: str | None = None,
        retry_after: float | None = None,
        seconds: float | None = None,
    ) -> dict[str, Any]:
        """Make the next ``times`` requests matching ``method`` and ``path`` (a glob) fault."""
        spec: dict[str, Any] = {"path": path, "action": action, "method": method, "times": times}
        optional = {
            "status": status,
            "code": code,
            "message": message,
            "retry_after": retry_after,
            "seconds": seconds,
        }
        spec.update({k: v for k, v in optional.items() if v is not None})
        result: dict[str, Any] = self._call("POST", "faults", spec)
        return result

    def faults(self) -> list[dict[str, Any]]:
        faults: list[dict[str, Any]] = self._call("GET", "faults")["faults"]
        return faults

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    def requests(
        self, method: str | None = None, path: str | None = None, domain: str | None = None
    ) -> list[dict[str, Any]]:
        """Journaled Twilio requests, oldest first, optionally filtered (path: glob)."""
        query = {"method": method, "path": path, "domain": domain}
        requests: list[dict[str, Any]] = self._call("GET", "requests", query=query)["requests"]
        return requests

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    def simulate_inbound_sms(
        self,
        from_: str,
        to: str,
        body: str = "",
        number_webhook_mode: str = "parallel",
        *,
        sms_url_mode: str | None = None,
    ) -> dict[str, Any]:
        """Send an SMS from ``from_`` to ``to`` through the emulator: its trace (docs/emulator.md).

        The emulator routes it, applies the route (conversations, participants,
        messages, Studio executions) and makes the webhook deliveries; the
        answer is the trace with ``created`` SIDs and ``deliveries``.
        ``number_webhook_mode`` is ``parallel`` or ``exclusive``
        (``sms_url_mode`` is its former name).
        """
        mode = sms_url_mode if sms_url_mode is not None else number_webhook_mode
        document = {"from": from_, "to": to, "body": body, "number_webhook_mode": mode}
        result: dict[str, Any] = self._call("POST", "simulate/inbound-sms", document)
        return result
