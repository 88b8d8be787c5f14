"""A domain's table of the form parameters it takes, and a request's form read through it.

A backend that takes a resource's writable fields as Twilio's form parameters
declares them once, as a :data:`ParamTable`: parameter -> (record field, check),
``{"SmsUrl": ("sms_url", p.url), ...}``. The seed reads the same table
(:func:`~.seed_values.parameter_names`), so the API and the seed take the same fields.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .params import Form

__all__ = ["ParamTable", "checked_fields"]

#: Twilio parameter -> (record field, check); a check takes (value, parameter name)
#: and raises an error naming the parameter (see :mod:`.params`).
ParamTable = Mapping[str, tuple[str, Callable[[str, str], Any]]]


def checked_fields(form: Form, table: ParamTable) -> dict[str, Any]:
    """Record field -> checked value, for each parameter of ``table`` that ``form`` gives."""
    fields: dict[str, Any] = {}
    for name, (field, check) in table.items():
        value = form.one(name)
        if value is not None:
            fields[field] = check(value, name)
    return fields
