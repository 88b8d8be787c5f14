"""The request journal: every Twilio-API request the emulator received.

Tests assert on it ("no request was made", "exactly one POST", "no DELETE of
an IncomingPhoneNumber"). An entry::

    {"seq": 7, "time": "2026-01-01T12:00:00.123Z", "method": "POST",
     "domain": "conversations", "path": "/conversations/v1/Configuration/Addresses",
     "twilio_path": "/v1/Configuration/Addresses", "query": {},
     "form": {"Type": "sms", "Address": "+15005550006"},
     "status": 201, "account_sid": "AC...", "credential_sid": "AC...", "fault": null}

``form``/``query`` hold single values as strings and repeated keys as lists.
``account_sid`` is the authenticated account (null when authentication
failed); ``credential_sid`` is the user name presented (an AC or SK SID).
``fault`` names the fault action applied, if any; for ``drop`` the status is
what the emulator would have answered. The journal never holds the
Authorization header or any other secret. Control requests are not journaled.
"""

from __future__ import annotations

import threading
from collections import deque
from datetime import datetime, timezone
from itertools import count
from typing import Any

from .faults import path_matches

__all__ = ["Journal"]


class Journal:
    """A bounded, thread-safe log of requests (the oldest entries go first)."""

    def __init__(self, max_entries: int = 10_000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=max_entries)
        self._lock = threading.Lock()
        self._seq = count(1)

    def record(self, entry: dict[str, Any]) -> dict[str, Any]:
        stamped = {
            "seq": 0,
            "time": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            **entry,
        }
        with self._lock:
            stamped["seq"] = next(self._seq)
            self._entries.append(stamped)
        return stamped

    def entries(
        self, *, method: str | None = None, path: str | None = None, domain: str | None = None
    ) -> list[dict[str, Any]]:
        """Entries, oldest first, optionally filtered (``path`` may be a glob, see faults)."""
        with self._lock:
            found = list(self._entries)
        return [
            e
            for e in found
            if (method is None or e["method"] == method.upper())
            and (domain is None or e["domain"] == domain)
            and (path is None or path_matches(path, e["path"]))
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
