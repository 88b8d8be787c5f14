"""What the handlers share: the backend, parameters in, Twilio JSON out, dates, paging.

Twilio's wire conventions live here once: v1/Studio dates are ISO 8601 at
second precision with ``Z``; 2010 dates are RFC 2822 with ``+0000``; v1 lists
carry a ``meta`` block with absolute URLs (twilio-python follows
``next_page_url`` verbatim), 2010 lists a flat envelope with URIs relative to
the ``api`` domain.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, ParamSpec, TypeVar
from urllib.parse import parse_qsl, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .errors import ApiError, BadRequest
from .hosts import PUBLIC_BASE_STATE
from .limits import MAX_FORM_FIELDS
from .params import Form, PageResult
from .store import Store

if TYPE_CHECKING:
    from .backend import Backend

__all__ = [
    "account_of",
    "backend_of",
    "base_url",
    "call",
    "error_response",
    "form_of",
    "iso",
    "json_response",
    "page_2010",
    "page_v1",
    "parse_form",
    "query_of",
    "rfc2822",
]

_P = ParamSpec("_P")
#: Compact JSON, one encoder for every answer (json.dumps builds one per call; no
#: cycle check: an answer is built from decoded JSON, never circular).
_encode = json.JSONEncoder(separators=(",", ":"), allow_nan=False, check_circular=False).encode
_T = TypeVar("_T")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


# Dates are cached: every answer shows two, most records of a list were written in
# the same few seconds, and formatting one costs as much as serialising the rest of
# a record. The cache is bounded, and a date is the same text whenever it is asked.
@functools.lru_cache(maxsize=4096)
def iso(ts: int | None) -> str | None:
    return None if ts is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


@functools.lru_cache(maxsize=4096)
def rfc2822(ts: int | None) -> str | None:
    if ts is None:
        return None
    t = time.gmtime(ts)
    # Spelled out rather than strftime("%a %b"), which follows the C locale.
    return (
        f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
        f"{t.tm_hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} +0000"
    )


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(
        _encode(body),
        status_code=status,
        media_type="application/json",
        headers=headers,
    )


def error_response(error: ApiError, headers: dict[str, str] | None = None) -> Response:
    return json_response(error.body(), error.status, headers)


def parse_form(body: bytes) -> Form:
    # Form bodies decode "+" as a space (that is their encoding). Paths never
    # do: uvicorn decodes them with unquote, so /Addresses/+1555... keeps its "+".
    try:
        pairs = parse_qsl(
            body.decode("utf-8", "replace"), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS
        )
    except ValueError:  # counted on the raw text, before anything is parsed
        raise BadRequest(
            f"Too many parameters: a form body takes at most {MAX_FORM_FIELDS}"
        ) from None
    return Form.from_pairs(pairs)


def form_of(request: Request) -> Form:
    """The request's form body, parsed once by the gate."""
    form: Form = request.state.form
    return form


def query_of(request: Request) -> Form:
    query: Form = request.state.query
    return query


def account_of(request: Request) -> str:
    """The account the request authenticated as (set by the gate)."""
    account: str = request.state.account_sid
    return account


def base_url(request: Request) -> str:
    """What the answer's URLs start with, so that they lead back here: decided once per
    request by :class:`~.hosts.HostRouting` (``scheme://host:port`` as the client
    addressed us, or, for a request addressed to a Twilio host, a stand-in that
    becomes ``https://{domain}.twilio.com`` on the way out)."""
    base: str = request.scope["state"][PUBLIC_BASE_STATE]
    return base


def backend_of(request: Request) -> Backend:
    """The backend the app serves from; handlers take their domain's part of it."""
    backend: Backend = request.app.state.backend
    return backend


async def call(function: Callable[_P, _T], /, *args: _P.args, **kwargs: _P.kwargs) -> _T:
    """Run a backend method: on the event loop while no other thread holds the store's
    lock, else in a worker thread, where it waits for the lock off the loop.

    A backend method's work is SQLite under the store's lock, which takes
    microseconds, so running it here spares the two thread switches of a worker
    thread (most of a request's time); the lock held meanwhile still keeps it one
    transaction apart from every other thread's. Backend methods therefore never
    wait on anything but the store (no network, no sleeping).
    """
    store = getattr(getattr(function, "__self__", None), "store", None)
    if isinstance(store, Store) and store.try_acquire():
        try:
            return function(*args, **kwargs)
        finally:
            store.release()
    return await run_in_threadpool(function, *args, **kwargs)


def _filters(query: Form, names: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(name, value) for name in names if (value := query.one(name)) is not None]


def _page_query(filters: list[tuple[str, str]], size: int, page: int, token: str | None) -> str:
    pairs = [*filters, ("PageSize", str(size)), ("Page", str(page))]
    if token:
        pairs.append(("PageToken", token))
    return urlencode(pairs)


class _PageLinks(NamedTuple):
    first: str
    previous: str | None
    current: str
    next: str | None


def _page_links(
    request: Request, list_url: str, result: PageResult, filter_names: tuple[str, ...]
) -> _PageLinks:
    """The links of a list page: the list's filters, then ``PageSize``, ``Page``, ``PageToken``."""
    query = query_of(request)
    filters = _filters(query, filter_names)
    size, page = result.page_size, result.page

    def link(index: int, token: str | None) -> str:
        return f"{list_url}?{_page_query(filters, size, index, token)}"

    return _PageLinks(
        first=link(0, None),
        previous=link(max(page - 1, 0), result.previous_token) if result.previous_token else None,
        current=link(page, query.one("PageToken")),
        next=link(page + 1, result.next_token) if result.next_token else None,
    )


def page_v1(
    request: Request,
    list_url: str,
    key: str,
    result: PageResult,
    items: list[dict[str, Any]],
    filter_names: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A v1 list body: ``{"meta": {...}, key: items}`` with absolute page URLs."""
    links = _page_links(request, list_url, result, filter_names)
    return {
        "meta": {
            "page": result.page,
            "page_size": result.page_size,
            "first_page_url": links.first,
            "previous_page_url": links.previous,
            "url": links.current,
            "next_page_url": links.next,
            "key": key,
        },
        key: items,
    }


def page_2010(
    request: Request,
    list_uri: str,
    key: str,
    result: PageResult,
    items: list[dict[str, Any]],
    filter_names: tuple[str, ...] = (),
) -> dict[str, Any]:
    """A 2010 list body: the flat envelope, URIs relative to the ``api`` domain."""
    links = _page_links(request, list_uri, result, filter_names)
    start = result.page * result.page_size
    return {
        "end": start + max(len(items) - 1, 0),
        "first_page_uri": links.first,
        "next_page_uri": links.next,
        "page": result.page,
        "page_size": result.page_size,
        "previous_page_uri": links.previous,
        "start": start,
        "uri": links.current,
        key: items,
    }
