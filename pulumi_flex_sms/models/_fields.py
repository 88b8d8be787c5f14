"""One row per setting: how state, Twilio's parameters and Twilio's records name it.

Each resource's model has one table of :class:`Field` rows, and its create and
update parameters, its live state and its outputs are all read from that table,
so a setting is named once for every direction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

__all__ = ["KEEP", "Field", "clearable", "computed", "create_only"]

#: :attr:`Field.clear` of a setting that has no blank: Twilio keeps it when it is not sent.
KEEP: Final = object()


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True)
class Field:
    """A setting as state, Twilio's parameters and Twilio's records name it."""

    #: The state key (camelCase; within its nested object for nested settings).
    key: str
    #: Twilio's parameter, as twilio-python's keyword; None for what Twilio computes.
    param: str | None
    #: The field of Twilio's record (snake_case JSON).
    response: str
    #: What to send to clear it on Twilio; :data:`KEEP` when it cannot be cleared.
    clear: Any = KEEP
    #: Twilio takes it on create only: a change means a new object.
    create_only: bool = False
    #: State value -> parameter value (the spec's enum casing, a number's type).
    to_twilio: Callable[[Any], Any] = _same
    #: Record value -> state value (the form state keeps).
    from_twilio: Callable[[Any], Any] = _same


def computed(fields: Iterable[Field]) -> tuple[str, ...]:
    """State keys of what Twilio computes (the outputs that are no input)."""
    return tuple(f.key for f in fields if f.param is None)


def create_only(fields: Iterable[Field]) -> tuple[str, ...]:
    """State keys that Twilio takes on create only."""
    return tuple(f.key for f in fields if f.create_only)


def clearable(fields: Iterable[Field]) -> tuple[str, ...]:
    """State keys that can be blanked on Twilio."""
    return tuple(f.key for f in fields if f.clear is not KEEP)
