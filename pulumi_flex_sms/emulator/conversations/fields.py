"""Checks on the conversations domain's parameter values, and list ordering.

Each check raises an error naming the parameter, as :mod:`..params` does.
"""

from __future__ import annotations

from .. import params as p
from ..documents import DocumentError, parse_json
from ..errors import InvalidParameter
from ..params import Form
from ..store import Row

__all__ = ["attributes", "attributes_of", "date_created_of", "newest_first"]

#: Bounds of the keys :func:`newest_first` gives rows (page tokens hold 18 digits).
_LATEST = 10**10
_SEQ_SPAN = 10**7


def attributes(value: str, name: str) -> str:
    """``value`` when it is JSON ("must contain structurally valid JSON"); ``""`` -> ``{}``."""
    if value == "":
        return "{}"
    try:
        parse_json(value)
    except DocumentError as exc:
        raise InvalidParameter(f"Invalid {name}: {exc}", parameter=name) from None
    return value


def attributes_of(form: Form) -> str:
    """A create's ``Attributes`` (``{}`` when the form has none)."""
    value = form.one("Attributes")
    return "{}" if value is None else attributes(value, "Attributes")


def date_created_of(form: Form) -> int | None:
    """A create's ``DateCreated`` as epoch seconds (None: now)."""
    value = form.one("DateCreated")
    return None if value is None else p.date_time(value, "DateCreated")


def newest_first(rows: list[Row], date_field: str | None = None) -> list[Row]:
    """``rows`` from the newest to the oldest (by ``date_field``, then insertion).

    Copies whose ``seq`` grows in that order, so the keyset page tokens of
    :func:`..params.paginate` walk it without skipping or repeating rows.
    """

    def order(row: Row) -> tuple[int, int]:
        return (row[date_field] if date_field else 0, row.seq)

    ranked = []
    for row in sorted(rows, key=order, reverse=True):
        when = min(max(row[date_field], 0), _LATEST - 1) if date_field else 0
        copy = Row(row)
        copy.seq = (_LATEST - 1 - when) * _SEQ_SPAN + (_SEQ_SPAN - 1 - row.seq % _SEQ_SPAN)
        ranked.append(copy)
    return ranked
