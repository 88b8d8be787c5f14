"""Handlers and routes made from a description of one of Twilio's API resources.

Most resources the emulator serves answer the same requests in the same way: list
and create at the list's path, fetch, update and delete at ``{path}/{sid}``. Each
handler finds the account the request acts for and the parents its path names,
makes one backend call off the event loop (:func:`~.wire.call`), and answers the
record as Twilio's JSON: 201 for a create, an empty 204 for a delete, a list in its
API's paging envelope. A :class:`Resource` declares only what differs: its path,
the list's key and filters, its serializer, and the backend method of each request
it serves. A method is chosen by a callable (``lambda backend:
backend.flex.list_flex_flows``), not by name, so that the type checker sees it.

Backend methods take the account first, then the parents the path names (the
resource's ``scope``), then the SID, the form or the query, as the request has them.
"""

from __future__ import annotations

import builtins
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .domain import not_found
from .params import PageResult
from .shapes import Json, Place, Serializer
from .wire import (
    account_of,
    backend_of,
    base_url,
    call,
    form_of,
    json_response,
    page_2010,
    page_v1,
    query_of,
)

if TYPE_CHECKING:
    from .backend import Backend

__all__ = [
    "API_2010",
    "V1",
    "Api",
    "Pick",
    "Resource",
    "path_account",
    "place_of",
    "twilio_path",
]

_T = TypeVar("_T")
Filters = tuple[str, ...]
#: A backend method, chosen from the request's backend:
#: ``lambda backend: backend.studio.fetch_flow``.
Pick = Callable[["Backend"], Callable[..., _T]]
Endpoint = Callable[[Request], Awaitable[Response]]


def place_of(request: Request) -> Place:
    """Where ``request`` was addressed, as its serializer needs it."""
    return Place(base_url(request), request.path_params)


def twilio_path(path: str) -> str:
    """``path`` at Twilio: the emulator's path without its first segment (the domain)."""
    return "/" + path.lstrip("/").partition("/")[2]


def path_account(request: Request) -> str:
    """The authenticated account, which must be the one the (2010) path names."""
    account = account_of(request)
    if request.path_params["account_sid"] != account:
        # Another account's resources do not exist for this caller.
        raise not_found(twilio_path(request.url.path))
    return account


def _page_v1(
    request: Request, path: str, key: str, result: PageResult, items: list[Json], filters: Filters
) -> Json:
    return page_v1(request, f"{base_url(request)}{path}", key, result, items, filters)


def _page_2010(
    request: Request, path: str, key: str, result: PageResult, items: list[Json], filters: Filters
) -> Json:
    return page_2010(request, f"{twilio_path(path)}.json", key, result, items, filters)


@dataclass(frozen=True)
class Api:
    """How one generation of Twilio's APIs addresses resources and pages lists."""

    #: What every path ends in.
    suffix: str
    #: The account a request acts for.
    account: Callable[[Request], str]
    #: A list's body: (request, list path, key, page, serialised items, filter names).
    page: Callable[[Request, str, str, PageResult, list[Json], Filters], Json]


#: The v1 APIs (and Studio v2): the account is the credentials', lists carry ``meta``
#: with absolute URLs.
V1 = Api(suffix="", account=account_of, page=_page_v1)
#: Api 2010: paths name the account and end in ``.json``; lists are flat, their URIs
#: relative to the ``api`` domain.
API_2010 = Api(suffix=".json", account=path_account, page=_page_2010)


def _form(request: Request) -> list[Any]:
    return [form_of(request)]


def _sid(request: Request) -> list[Any]:
    return [request.path_params["sid"]]


def _sid_and_form(request: Request) -> list[Any]:
    return [request.path_params["sid"], form_of(request)]


@dataclass(frozen=True)
class Resource:
    """One API resource: where it is served, how it is shown, and what serves each request.

    A request is served when its method is given: ``list`` and ``create`` at
    ``path``, ``fetch``, ``update`` and ``delete`` at ``{path}/{sid}``.
    """

    #: The list's route path, in Starlette's syntax:
    #: ``/messaging/v1/Services/{service_sid}/PhoneNumbers``.
    path: str
    #: The list's key in its paging envelope: ``phone_numbers``.
    key: str
    serialize: Serializer
    #: Path parameters passed to the backend after the account (None where the path has none).
    scope: tuple[str, ...] = ()
    #: The list's filters, as its page links repeat them.
    filters: Filters = ()
    api: Api = V1
    #: How a list shows each record, when not as ``serialize`` does.
    serialize_listed: Serializer | None = None
    list: Pick[PageResult] | None = None
    create: Pick[dict[str, Any]] | None = None
    fetch: Pick[dict[str, Any]] | None = None
    update: Pick[dict[str, Any]] | None = None
    delete: Pick[None] | None = None

    def routes(self) -> builtins.list[Route]:
        """The routes of the requests this resource serves, in the order above."""
        listed, one = f"{self.path}{self.api.suffix}", f"{self.path}/{{sid}}{self.api.suffix}"
        served = [
            (listed, "GET", self.list and self._lister(self.list)),
            (listed, "POST", self.create and self._answer(self.create, _form, 201)),
            (one, "GET", self.fetch and self._answer(self.fetch, _sid)),
            (one, "POST", self.update and self._answer(self.update, _sid_and_form)),
            (one, "DELETE", self.delete and self._deleter(self.delete)),
        ]
        return [Route(path, handler, methods=[verb]) for path, verb, handler in served if handler]

    def _scope(self, request: Request) -> builtins.list[Any]:
        return [request.path_params.get(name) for name in self.scope]

    def _lister(self, pick: Pick[PageResult]) -> Endpoint:
        serialize = self.serialize_listed or self.serialize

        async def list_resources(request: Request) -> Response:
            account, scope = self.api.account(request), self._scope(request)
            result = await call(pick(backend_of(request)), account, *scope, query_of(request))
            place = place_of(request)
            items = [serialize(record, place) for record in result.items]
            path = self.path.format_map(request.path_params)
            body = self.api.page(request, path, self.key, result, items, self.filters)
            return json_response(body)

        return list_resources

    def _answer(
        self,
        pick: Pick[dict[str, Any]],
        takes: Callable[[Request], builtins.list[Any]],
        status: int = 200,
    ) -> Endpoint:
        """A handler answering one record; the call ``takes`` the path's SID and/or the form."""

        async def answer_resource(request: Request) -> Response:
            account, scope = self.api.account(request), self._scope(request)
            record = await call(pick(backend_of(request)), account, *scope, *takes(request))
            return json_response(self.serialize(record, place_of(request)), status)

        return answer_resource

    def _deleter(self, pick: Pick[None]) -> Endpoint:
        async def delete_resource(request: Request) -> Response:
            account, scope = self.api.account(request), self._scope(request)
            await call(pick(backend_of(request)), account, *scope, request.path_params["sid"])
            return Response(status_code=204)

        return delete_resource
