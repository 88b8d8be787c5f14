"""The request journal: every Twilio-API request the emulator received.

Tests assert on it ("no request was made", "exactly one POST", "no DELETE of
an IncomingPhoneNumber"). An entry::

    {"seq": 7, "time": "2026-01-01T12:00:00.123Z", "method": "POST",
     "domain": "conversations", "path": "/conversations/v1/Configuration/Addresses",
     "twilio_path": "/v1/Configuration/Addresses", "query": {},
     "form": {"Type": "sms", "Address": "+15005550006"},
     "status": 201, "account_sid": "AC...", "credential_sid": "AC...", "fault": null,
     "truncated": false}

``form``/``query`` hold single values as strings and repeated keys as lists.
``account_sid`` is the authenticated account (null when authentication
failed); ``credential_sid`` is the user name presented when it is an AC or SK
SID (null otherwise: a user name may be a mistyped secret). ``fault`` names the
fault action applied, if any; for ``drop`` the status is what the emulator
would have answered. Control requests are not journaled.

The journal never holds a secret, and it stays small: it never holds the
Authorization header; a request refused by authentication has its body neither
read nor kept (``form`` is ``{}``); URL user info (``https://user:pass@host``)
in a value, or in a URL inside a value, is masked (``***:***``); a value longer than
:data:`~.limits.JOURNAL_VALUE_CHARS` is cut (and ends with a note of how much);
at most :data:`~.limits.JOURNAL_MAX_VALUES` values are kept per form or query;
``truncated`` is true when anything was cut. Entries are kept as compact JSON,
and the oldest go first once there are ``max_entries`` of them or they take
more than :data:`~.limits.JOURNAL_MAX_BYTES`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from itertools import count
from typing import Any

from ..urls import mask_credentials
from .globs import path_matches
from .limits import JOURNAL_MAX_BYTES, JOURNAL_MAX_VALUES, JOURNAL_VALUE_CHARS

__all__ = ["Journal", "mask", "sanitize"]

_CREDENTIAL_SID = re.compile(r"(AC|SK)[0-9a-fA-F]{32}")
#: User info after any "//": catches URLs inside free text, which urls.py (whole
#: values only) leaves alone. Anchored on "//", so it scans each character once.
_USERINFO = re.compile(r"//[^/?#\s@]*@")


#: Entries as compact JSON; no cycle check: an entry is built of strings, never circular.
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode


#: The last second formatted, and its text: every request formats the time, and
#: strftime is most of what a journal entry costs on a busy second.
_second: tuple[int, str] = (-1, "")


def _now() -> str:
    """The time as entries note it: ``2026-01-01T12:00:00.123Z`` (UTC, milliseconds)."""
    global _second
    now = time.time()
    whole = int(now)
    second, text = _second  # one read: another thread may replace it meanwhile
    if second != whole:
        text = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
        _second = (whole, text)
    return f"{text}.{int((now - whole) * 1000):03d}Z"


def mask(value: str) -> str:
    """``value`` with the user info of every URL in it masked."""
    if "@" not in value:
        return value
    return _USERINFO.sub("//***:***@", mask_credentials(value))


def _value(value: str) -> tuple[str, bool]:
    # Masked first: a URL cut in its user info would no longer parse as one.
    value = mask(value)
    if len(value) <= JOURNAL_VALUE_CHARS:
        return value, False
    return f"{value[:JOURNAL_VALUE_CHARS]}...[{len(value) - JOURNAL_VALUE_CHARS} more]", True


def _kept_as_sent(values: dict[str, Any]) -> bool:
    """Whether no name or value of ``values`` needs masking or cutting (what nearly
    every request sends: a few short values without URL user info)."""
    if len(values) > JOURNAL_MAX_VALUES:
        return False
    for name, value in values.items():
        if (
            type(value) is not str
            or len(value) > JOURNAL_VALUE_CHARS
            or len(name) > JOURNAL_VALUE_CHARS
            or "@" in value
            or "@" in name
        ):
            return False
    return True


def _parameters(values: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    if _kept_as_sent(values):
        return dict(values), False
    kept: dict[str, Any] = {}
    budget, cut = JOURNAL_MAX_VALUES, False
    for name, value in values.items():
        items = value if isinstance(value, list) else [value]
        if budget <= 0:
            return kept, True
        cut |= len(items) > budget
        items = items[:budget]
        budget -= len(items)
        cleaned = []
        for item in items:
            text, was_cut = _value(str(item))
            cleaned.append(text)
            cut |= was_cut
        name, name_cut = _value(name)
        kept[name] = cleaned if isinstance(value, list) else cleaned[0]
        cut |= name_cut
    return kept, cut


def sanitize(entry: dict[str, Any]) -> dict[str, Any]:
    """``entry`` as the journal keeps it: no secrets, bounded (see the module doc)."""
    clean = dict(entry)
    truncated = False
    for part in ("query", "form"):
        clean[part], cut = _parameters(entry.get(part) or {})
        truncated |= cut
    for part in ("path", "twilio_path"):
        if isinstance(entry.get(part), str):
            clean[part] = mask(entry[part])
    credential = entry.get("credential_sid")
    if credential is not None and not _CREDENTIAL_SID.fullmatch(credential):
        clean["credential_sid"] = None
    clean["truncated"] = truncated
    return clean


class Journal:
    """A bounded, thread-safe log of requests (the oldest entries go first)."""

    def __init__(self, max_entries: int = 10_000, max_bytes: int = JOURNAL_MAX_BYTES) -> None:
        # (method, domain, path, entry as JSON): filters never parse an entry.
        self._entries: deque[tuple[str, str, str, str]] = deque()
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._bytes = 0
        self._lock = threading.Lock()
        self._seq = count(1)

    def record(self, entry: dict[str, Any]) -> dict[str, Any]:
        stamped = {
            "seq": 0,
            "time": _now(),
            **sanitize(entry),
        }
        with self._lock:
            stamped["seq"] = next(self._seq)
            text = _encode(stamped)
            self._entries.append((stamped["method"], stamped["domain"], stamped["path"], text))
            self._bytes += len(text)
            while self._entries and (
                len(self._entries) > self._max_entries or self._bytes > self._max_bytes
            ):
                self._bytes -= len(self._entries.popleft()[3])
        return stamped

    def entries(
        self, *, method: str | None = None, path: str | None = None, domain: str | None = None
    ) -> list[dict[str, Any]]:
        """Entries, oldest first, optionally filtered (``path`` may be a glob, see globs)."""
        with self._lock:
            found = list(self._entries)
        wanted_method = None if method is None else method.upper()
        return [
            json.loads(text)
            for entry_method, entry_domain, entry_path, text in found
            if (wanted_method is None or entry_method == wanted_method)
            and (domain is None or entry_domain == domain)
            and (path is None or path_matches(path, entry_path))
        ]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0
