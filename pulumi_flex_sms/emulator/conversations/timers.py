"""Conversation timers: ISO 8601 durations, their minimums, and when they fall due.

``twilio_conversations_v1.json`` describes both timers as ISO 8601 durations,
the inactive one at least 1 minute and the closed one at least 10 minutes
(``DefaultInactiveTimer``/``DefaultClosedTimer`` of ``/v1/Configuration``,
``Timers.Inactive``/``Timers.Closed`` of a conversation). A too short inactive
timer is Twilio's 50375; Twilio documents no code for a too short closed timer,
so that one is a 400 with the generic 20001. ``PT0S`` turns a timer off
(https://support.twilio.com/hc/en-us/articles/46619837838235), as ``""`` does.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import isodate  # type: ignore[import-untyped]

from .. import params as p
from ..errors import InvalidParameter
from .errors import InvalidInactiveTimer

__all__ = ["CLOSED_MINIMUM", "INACTIVE_MINIMUM", "closed_timer", "deadline", "inactive_timer"]

INACTIVE_MINIMUM = timedelta(minutes=1)
CLOSED_MINIMUM = timedelta(minutes=10)


def _parse(value: str, name: str) -> Any:
    try:
        return isodate.parse_duration(value)
    except (ValueError, isodate.ISO8601Error):
        raise InvalidParameter(
            f"Invalid {name}: {p.shown(value)} is not an ISO 8601 duration (e.g. PT10M)",
            parameter=name,
        ) from None


def _length(duration: Any, at: int) -> timedelta:
    """How long ``duration`` lasts from ``at`` (a month's length depends on the month)."""
    start = datetime.fromtimestamp(at, timezone.utc)
    length: timedelta = (start + duration) - start
    return length


def _timer(
    value: str, name: str, minimum: timedelta, error: type[InvalidParameter], at: int
) -> str | None:
    if value == "":
        return None
    duration = _parse(value, name)
    length = _length(duration, at)
    if length == timedelta(0):
        return None
    if length < minimum:
        minutes = int(minimum.total_seconds() // 60)
        raise error(
            f"Invalid {name}: {p.shown(value)} is shorter than the minimum of {minutes} "
            f"minute{'s' if minutes > 1 else ''} (PT{minutes}M); PT0S turns the timer off",
            parameter=name,
        )
    return value


def inactive_timer(value: str, name: str, at: int) -> str | None:
    """``value`` checked as an inactive timer (None: no timer)."""
    return _timer(value, name, INACTIVE_MINIMUM, InvalidInactiveTimer, at)


def closed_timer(value: str, name: str, at: int) -> str | None:
    """``value`` checked as a closed timer (None: no timer)."""
    return _timer(value, name, CLOSED_MINIMUM, InvalidParameter, at)


def deadline(start: int, value: str | None) -> int | None:
    """When a timer of ``value`` started at ``start`` (epoch seconds) falls due."""
    if value is None:
        return None
    return start + int(_length(isodate.parse_duration(value), start).total_seconds())
