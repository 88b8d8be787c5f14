"""The seed's ``phone_numbers``: every writable IncomingPhoneNumber field in
snake_case, plus the fields only a seed may set (``capabilities``, ``origin``...)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..params import Form
from ..seed_values import form_values, parameter_names
from ..store import NUMBER
from .backend import NUMBER_PARAMS, SEED_ONLY_FIELDS

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["PHONE_NUMBERS"]

#: Field -> Twilio parameter: ``sms_url`` -> ``SmsUrl``.
_PARAMETERS = parameter_names(NUMBER_PARAMS)


def _create(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    values = {"PhoneNumber": entry.get("phone_number"), **form_values(entry, _PARAMETERS)}
    return backend.numbers.create_phone_number(
        account,
        Form.from_values(values),
        sid=sid,
        extra={k: v for k, v in entry.items() if k in SEED_ONLY_FIELDS},
    )


PHONE_NUMBERS = SeedList(
    name="phone_numbers",
    kind=NUMBER,
    sid_prefix="PN",
    fields=frozenset({"phone_number", *_PARAMETERS, *SEED_ONLY_FIELDS}),
    create=_create,
    summary=("phone_number",),
)
