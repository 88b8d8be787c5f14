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
import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any, TypeGuard
from urllib.parse import urlsplit

import isodate  # type: ignore[import-untyped]

from ..urls import mask_credentials
from .errors import (
    InvalidPageToken,
    InvalidParameter,
    InvalidUrl,
    MissingParameter,
    PageSizeTooLarge,
)
from .store import Reads, Row, Where

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
    "select_page",
    "shown",
    "sid",
    "text",
    "url",
]

#: E.164, ASCII digits only; use with ``fullmatch`` (or :func:`is_e164`).
E164 = re.compile(r"\+[1-9][0-9]{1,14}")
_INTEGER = re.compile(r"-?[0-9]{1,18}")
#: ``PA<seq>`` / ``PB<seq>``, and since tokens name their list, ``-<tag>`` (see :func:`paginate`).
_PAGE_TOKEN = re.compile(r"P([AB])([0-9]{1,18})(?:-([0-9a-f]{8}))?")
#: SQLite's OFFSET is a signed 64-bit integer; no list is longer anyway.
_MAX_OFFSET = 2**62
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
    #: The code of a refused token: 21481 in the 2010 API, 20001 in v1.
    token_error_code: int = 20001

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
            page_size=50 if size is None else _page_size(size, max_page_size),
            page=0 if page is None else integer(page, "Page", 0),
            token=token,
            token_error_code=token_error_code,
        )

    def position(self, list_id: str | None) -> tuple[str, int] | None:
        """``("A", seq)`` (the rows after ``seq``), ``("B", seq)`` (the rows before
        it), or None without a token; a token issued for another list is refused."""
        if self.token is None:
            return None
        found = _PAGE_TOKEN.fullmatch(self.token)
        if found is None or (
            found[3] is not None and list_id is not None and found[3] != _list_tag(list_id)
        ):
            what = "" if found is None else " (it was issued for another list)"
            raise InvalidPageToken(
                f"Invalid PageToken: {shown(self.token)}{what}",
                code=self.token_error_code,
                parameter="PageToken",
            )
        return found[1], int(found[2])


def _page_size(value: str, maximum: int) -> int:
    """``PageSize``: 1 or more; over the list's maximum is Twilio's 20007, "Page size too
    large" (https://www.twilio.com/docs/api/errors/20007), not a generic 20001."""
    size = integer(value, "PageSize", 1)
    if size > maximum:
        raise PageSizeTooLarge(
            f"Page size too large: PageSize {size} is over this list's maximum, {maximum}",
            parameter="PageSize",
        )
    return size


@dataclass(frozen=True)
class PageResult:
    """One page of rows and the tokens that lead to its neighbours (None at the ends)."""

    items: list[Row]
    page: int
    page_size: int
    next_token: str | None
    previous_token: str | None


def _list_tag(list_id: str) -> str:
    return hashlib.blake2b(list_id.encode(), digest_size=4).hexdigest()


def _result(
    request: PageRequest,
    items: list[Row],
    has_next: bool,
    has_previous: bool,
    list_id: str | None,
) -> PageResult:
    suffix = "" if list_id is None else "-" + _list_tag(list_id)
    return PageResult(
        items=items,
        page=request.page,
        page_size=request.page_size,
        next_token=f"PA{items[-1].seq}{suffix}" if items and has_next else None,
        previous_token=f"PB{items[0].seq}{suffix}" if items and has_previous else None,
    )


def paginate(rows: list[Row], request: PageRequest, list_id: str | None = None) -> PageResult:
    """Cut one page out of ``rows`` (ordered by ``seq``), all of the list in memory.

    Tokens are keyset based (``PA<seq>``: the rows after that one; ``PB<seq>``:
    the rows before it), so following ``next_page_url`` neither skips nor repeats
    rows when others are created or deleted meanwhile. Without a token ``Page``
    is used as an offset. With a ``list_id`` (what the list is: its kind, account,
    parent, order) tokens end in ``-<tag>`` of it, and a token of another list is
    refused; tokens without a tag (as the emulator issued before) are accepted.

    :func:`select_page` is the same on the store, reading only the page's rows;
    this one serves lists that are not rows in ``seq`` order (a newest-first
    list, an execution's steps) and is its reference in the tests.
    """
    size = request.page_size
    position = request.position(list_id)
    if position is None:
        start = request.page * size
        end = len(rows)
    elif position[0] == "A":
        start = next((i for i, row in enumerate(rows) if row.seq > position[1]), len(rows))
        end = len(rows)
    else:
        end = next((i for i, row in enumerate(rows) if row.seq >= position[1]), len(rows))
        start = max(0, end - size)
    items = rows[start : min(start + size, end)]
    has_next = start + len(items) < len(rows)
    return _result(request, items, has_next, start > 0, list_id)


def select_page(
    tx: Reads,
    kind: str,
    account: str,
    request: PageRequest,
    *,
    where: Sequence[Where] = (),
    key_prefix: str | None = None,
    parent: str = "",
) -> PageResult:
    """One page of the account's rows of ``kind`` (those under ``key_prefix`` that
    meet ``where``), as :func:`paginate` cuts it from the whole list, reading from
    the store only the page's rows (and one more, to know if a next page exists).

    The list's tokens name it by ``kind``, account and ``key_prefix``, or the
    ``parent`` resource whose list it is when ``where`` picks that.
    """
    list_id = f"{kind}/{account}/{key_prefix or parent}"
    size = request.page_size
    position = request.position(list_id)

    def select(**bounds: int) -> list[Row]:
        return tx.select(kind, account, where=where, key_prefix=key_prefix, **bounds)

    def exists(**bounds: int) -> bool:
        return tx.exists(kind, account, where=where, key_prefix=key_prefix, **bounds)

    if position is None:
        start = min(request.page * size, _MAX_OFFSET)
        rows = select(offset=start, limit=size + 1)
        items, has_next, has_previous = rows[:size], len(rows) > size, start > 0
    elif position[0] == "A":
        rows = select(after=position[1], limit=size + 1)
        items, has_next = rows[:size], len(rows) > size
        has_previous = bool(items) and exists(at_most=position[1])
    else:
        rows = select(before=position[1], limit=size + 1)
        items, has_previous = rows[-size:], len(rows) > size
        has_next = bool(items) and exists(at_least=position[1])
    return _result(request, items, has_next, has_previous, list_id)
