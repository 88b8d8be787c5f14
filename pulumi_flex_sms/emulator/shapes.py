"""What the serializers of Twilio's JSON share: fields in the schema's order, dates, links.

A serializer (each domain's ``handlers.py``) turns a backend's record into the JSON
Twilio answers with, for the request a :class:`Place` describes. Dates follow
:mod:`.wire`: ISO 8601 in the v1 APIs, RFC 2822 in Api 2010.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from .wire import iso, rfc2822

__all__ = [
    "Json",
    "Place",
    "Serializer",
    "api_2010_serializer",
    "dates",
    "in_order",
    "links",
    "v1_serializer",
]

Json = dict[str, Any]


class Place(NamedTuple):
    """Where the request a serializer answers was addressed: the URL it came to."""

    base: str
    """What the answer's URLs start with (:func:`~.wire.base_url`)."""
    path_params: Mapping[str, Any]
    """The parameters the request's path named (``service``, ``flow``...)."""


#: A record as Twilio's JSON, for the request ``place`` describes.
Serializer = Callable[[dict[str, Any], Place], Json]


def dates(record: Mapping[str, Any]) -> dict[str, str | None]:
    """A v1 record's ``date_created`` and ``date_updated``, in ISO 8601."""
    return {
        "date_created": iso(record["date_created"]),
        "date_updated": iso(record["date_updated"]),
    }


def links(url: str, segments: Iterable[tuple[str, str]]) -> dict[str, str]:
    """``links`` of the resource at ``url``: each name to ``{url}/{segment}``."""
    return {name: f"{url}/{segment}" for name, segment in segments}


def in_order(fields: Iterable[str], record: Mapping[str, Any], derived: Mapping[str, Any]) -> Json:
    """``fields`` in the schema's order, each from ``derived`` when there, else ``record``'s."""
    return {name: derived[name] if name in derived else record[name] for name in fields}


def v1_serializer(
    fields: tuple[str, ...], path: str, link_segments: tuple[tuple[str, str], ...] = ()
) -> Serializer:
    """The v1 JSON of a record: ``fields`` in order, ISO 8601 dates, the absolute ``url``
    of ``path`` (a template of the record's fields: ``/messaging/v1/Services/{sid}``)
    and, given ``link_segments``, its ``links``."""

    def serialize(record: dict[str, Any], place: Place) -> Json:
        url = place.base + path.format_map(record)
        derived: dict[str, Any] = {**dates(record), "url": url}
        if link_segments:
            derived["links"] = links(url, link_segments)
        return in_order(fields, record, derived)

    return serialize


def api_2010_serializer(fields: tuple[str, ...], path: Callable[[str, str], str]) -> Serializer:
    """The Api 2010 JSON of a record: ``fields`` in order (null when the record has none),
    RFC 2822 dates and the ``uri`` ``path(account_sid, sid)``, relative to the ``api`` domain
    (so the request does not matter)."""

    def serialize(record: dict[str, Any], place: Place) -> Json:
        derived = {
            "date_created": rfc2822(record["date_created"]),
            "date_updated": rfc2822(record["date_updated"]),
            "uri": path(record["account_sid"], record["sid"]),
        }
        return {name: derived[name] if name in derived else record.get(name) for name in fields}

    return serialize
