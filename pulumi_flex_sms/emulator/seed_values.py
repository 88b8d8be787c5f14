"""Reading a seed entry's values, and writing a dump's dates, alike in every domain.

Each error names where in the seed the value sits (``messages[2].date_created``),
as :mod:`.seed` prefixes it with the account and list.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from . import params as p
from .errors import BadRequest
from .form_fields import ParamTable

__all__ = ["dump_date", "form_values", "mapping", "parameter_names", "seed_date"]


def mapping(value: Any, where: str, allowed: tuple[str, ...] | set[str]) -> dict[str, Any]:
    """``value``, which must be a mapping holding only ``allowed`` keys."""
    if not isinstance(value, Mapping):
        raise BadRequest(f"{where}: expected a mapping")
    unknown = set(value) - set(allowed)
    if unknown:
        raise BadRequest(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return dict(value)


def seed_date(value: Any, where: str) -> int | None:
    """An ISO 8601 date-time string as epoch seconds (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise BadRequest(f"{where}: expected an ISO 8601 date-time string")
    return p.date_time(value, where)


def dump_date(value: int | None) -> str | None:
    """Epoch seconds as the ISO 8601 a seed takes back."""
    return None if value is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(value))


def parameter_names(params: ParamTable) -> dict[str, str]:
    """Field -> Twilio parameter (``sms_url`` -> ``SmsUrl``), from a backend's table of
    parameter -> (field, check)."""
    return {field: name for name, (field, _) in params.items()}


def form_values(entry: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    """The entry's fields that are parameters, under their Twilio names (``names``)."""
    return {names[field]: value for field, value in entry.items() if field in names}
