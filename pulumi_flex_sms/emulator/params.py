r"""Request parameters as the backend sees them, and Twilio's checks on their values.

A :class:`Form` holds what a request sent (form body or query), by Twilio's
parameter name (``AutoCreation.StudioFlowSid``), every value a string, repeated
keys in order. Each check raises an :mod:`~.errors` error whose message names
the parameter, so a client learns which one Twilio would have refused.

Patterns spell digits ``[0-9]`` and match whole values (``fullmatch``): ``\d``
also matches Arabic-Indic or full-width digits, ``int()`` accepts them (and
``_`` and spaces), and ``$`` matches before a trailing newline; Twilio's
patterns (``^\+[1-9]\d{1,14}$`` in its specs) mean ASCII digits only.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeGuard
from urllib.parse import urlsplit

import isodate  # type: ignore[import-untyped]

from ..urls import mask_credentials
from .errors import InvalidPageToken, InvalidParameter, InvalidUrl, MissingParameter
from .store import Row

__all__ = [
    "E164",
    "Form",
    "PageRequest",
    "PageResult",
    "boolean",
    "date_time",
    "enum",
    "http_method",
    "integer",
    "is_e164",
    "paginate",
    "shown",
    "sid",
    "text",
    "url",
]

#: E.164, ASCII digits only; use with ``fullmatch`` (or :func:`is_e164`).
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_INTEGER = re.compile(r"-?[0-9]{1,18}")
_PAGE_TOKEN = re.compile(r"P[AB][0-9]{1,18}")
#: C0 controls, space and DEL: never in a URL (RFC 3986 has no place for them).
_URL_FORBIDDEN = re.compile(r"[\x00-\x20\x7f]")
_SHOWN_CHARS = 80


def shown(value: Any) -> str:
    """``value`` as an error message may quote it: credentials masked, cut short."""
    text = repr(mask_credentials(value))
    return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 4] + "...'"


def is_e164(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and E164.fullmatch(value) is not None


@dataclass(frozen=True)
class Form:
    """Parameters by name; each name maps to the list of values sent for it."""

    values: Mapping[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Form:
        values: dict[str, list[str]] = {}
        for name, value in pairs:
            values.setdefault(name, []).append(value)
        return cls(values)

    @classmethod
    def of(cls, **kwargs: str | list[str]) -> Form:
        """Build a form from keyword arguments (``.`` in names is written ``__``)."""
        return cls(
            {
                name.replace("__", "."): value if isinstance(value, list) else [value]
                for name, value in kwargs.items()
            }
        )

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> Form:
        """The form a client sends for these values (a seed's, say): booleans as
        ``true``/``false``, None as ``""`` (which clears), lists as repeated keys."""
        wired = {name: _wire(value) for name, value in values.items()}
        return cls({name: v if isinstance(v, list) else [v] for name, v in wired.items()})

    def __contains__(self, name: object) -> bool:
        return name in self.values

    def one(self, name: str) -> str | None:
        """The first value sent for ``name``, or None when it was not sent."""
        found = self.values.get(name)
        return found[0] if found else None

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def required(self, name: str, where: str = "post body") -> str:
        value = self.one(name)
        if value is None or value == "":
            raise MissingParameter(f"Missing required parameter {name} in the {where}")
        return value

    def as_dict(self) -> dict[str, str | list[str]]:
        """JSON-friendly: single values as strings, repeated ones as lists."""
        return {k: v[0] if len(v) == 1 else list(v) for k, v in self.values.items()}


def _wire(value: Any) -> str | list[str]:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(_wire(v)) for v in value]
    return str(value)


def sid(value: str, name: str, prefix: str) -> str:
    if not re.fullmatch(prefix + r"[0-9a-fA-F]{32}", value):
        raise InvalidParameter(
            f"Invalid {name}: {shown(value)} is not a {prefix} SID "
            f"(expected {prefix} followed by 32 hexadecimal characters)",
            parameter=name,
        )
    return value


def boolean(value: str, name: str) -> bool:
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise InvalidParameter(
            f"Invalid {name}: {shown(value)} is not a boolean (true or false)", parameter=name
        )
    return lowered == "true"


def integer(value: str, name: str, minimum: int | None = None, maximum: int | None = None) -> int:
    if not _INTEGER.fullmatch(value):
        raise InvalidParameter(f"Invalid {name}: {shown(value)} is not an integer", parameter=name)
    number = int(value)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise InvalidParameter(
            f"Invalid {name}: {number} is out of range ({minimum}..{maximum})", parameter=name
        )
    return number


def enum(value: str, name: str, choices: Iterable[str], *, ignore_case: bool = False) -> str:
    """``value`` when it is one of ``choices`` (compared case-insensitively if asked)."""
    allowed = list(choices)
    candidates = {c.lower(): c for c in allowed} if ignore_case else {c: c for c in allowed}
    key = value.lower() if ignore_case else value
    if key not in candidates:
        raise InvalidParameter(
            f"Invalid {name}: {shown(value)} is not one of {', '.join(allowed)}", parameter=name
        )
    return value


def http_method(value: str, name: str) -> str:
    """GET or POST in either case; answered uppercase, as Twilio does."""
    return enum(value, name, ("GET", "POST"), ignore_case=True).upper()


def url(value: str, name: str, *, allow_empty: bool = True) -> str:
    """An absolute http(s) URL, or ``""`` (which clears the field) when allowed."""
    if value == "" and allow_empty:
        return value
    try:
        parts = urlsplit(value)
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 literal
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or _URL_FORBIDDEN.search(value)
    ):
        raise InvalidUrl(
            f"Invalid Url: {name} {shown(value)} is not a valid http(s) URL", parameter=name
        )
    return value


def text(value: str, name: str, max_length: int) -> str:
    if len(value) > max_length:
        raise InvalidParameter(
            f"Invalid {name}: longer than {max_length} characters", parameter=name
        )
    return value


def date_time(value: str, name: str, *, end_of_day: bool = False) -> int:
    """An ISO 8601 date-time (or a date: its first second, or its last with
    ``end_of_day``) as epoch seconds."""
    try:
        if "T" in value:
            moment = isodate.parse_datetime(value)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return int(moment.timestamp())
        day: date = isodate.parse_date(value)
    except (ValueError, isodate.ISO8601Error):
        raise InvalidParameter(
            f"Invalid {name}: {shown(value)} is not an ISO 8601 date-time "
            "(e.g. 2026-01-31T00:00:00Z)",
            parameter=name,
        ) from None
    start = calendar.timegm(datetime(day.year, day.month, day.day).timetuple())
    return start + 86399 if end_of_day else start


@dataclass(frozen=True)
class PageRequest:
    """``PageSize``, ``Page`` and ``PageToken`` of a list request, checked."""

    page_size: int
    page: int
    token: str | None

    @classmethod
    def parse(cls, query: Form, max_page_size: int, token_error_code: int) -> PageRequest:
        size = query.one("PageSize")
        page = query.one("Page")
        token = query.one("PageToken") or None
        if token is not None and not _PAGE_TOKEN.fullmatch(token):
            raise InvalidPageToken(
                f"Invalid PageToken: {shown(token)}", code=token_error_code, parameter="PageToken"
            )
        return cls(
            page_size=50 if size is None else integer(size, "PageSize", 1, max_page_size),
            page=0 if page is None else integer(page, "Page", 0),
            token=token,
        )


@dataclass(frozen=True)
class PageResult:
    """One page of rows and the tokens that lead to its neighbours (None at the ends)."""

    items: list[Row]
    page: int
    page_size: int
    next_token: str | None
    previous_token: str | None


def paginate(rows: list[Row], request: PageRequest) -> PageResult:
    """Cut one page out of ``rows`` (ordered by ``seq``).

    Tokens are keyset based (``PA<seq>``: the rows after that one; ``PB<seq>``:
    the rows before it), so following ``next_page_url`` neither skips nor repeats
    rows when others are created or deleted meanwhile. Without a token ``Page``
    is used as an offset.
    """
    size = request.page_size
    if request.token is None:
        start = request.page * size
    elif request.token.startswith("PA"):
        after = int(request.token[2:])
        start = next((i for i, row in enumerate(rows) if row.seq > after), len(rows))
    else:
        before = int(request.token[2:])
        end = next((i for i, row in enumerate(rows) if row.seq >= before), len(rows))
        start = max(0, end - size)
        rows = rows[:end]
    items = rows[start : start + size]
    has_next = start + size < len(rows)
    return PageResult(
        items=items,
        page=request.page,
        page_size=size,
        next_token=f"PA{items[-1].seq}" if items and has_next else None,
        previous_token=f"PB{items[0].seq}" if items and start > 0 else None,
    )
