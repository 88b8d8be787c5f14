"""The seed's ``messaging_services`` and ``messaging_service_phone_numbers``.

A service entry takes every writable Service field in snake_case plus
``incoming_mode`` (the Console's "Incoming Messages": defer, webhook,
autocreate or drop; stored, never shown by the API) and
``us_app_to_person_registered``. A pool entry names its ``service_sid`` and the
number, by ``sid`` (its PN SID, as the API's PhoneNumber resource) or by
``phone_number``; this is also how the dump shows it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..errors import MissingParameter
from ..params import Form
from ..seed_values import form_values, parameter_names
from ..store import MESSAGING_NUMBER, MESSAGING_SERVICE
from .backend import SEED_ONLY_FIELDS, SERVICE_PARAMS

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["MESSAGING_SERVICES", "MESSAGING_SERVICE_NUMBERS"]

#: Field -> Twilio parameter: ``inbound_request_url`` -> ``InboundRequestUrl``.
_PARAMETERS = parameter_names(SERVICE_PARAMS)


def _create_service(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    values = form_values(entry, _PARAMETERS)
    values.setdefault("FriendlyName", "Messaging Service")
    return backend.messaging.create_service(
        account,
        Form.from_values(values),
        sid=sid,
        extra={k: v for k, v in entry.items() if k in SEED_ONLY_FIELDS},
    )


def _add_number(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    service = entry.get("service_sid")
    if not service:
        raise MissingParameter("service_sid: required", parameter="service_sid")
    phone_number = entry.get("phone_number")
    if sid is None and not phone_number:
        raise MissingParameter("sid or phone_number: one is required", parameter="sid")
    form = Form.from_values({"PhoneNumberSid": sid} if sid else {})
    return backend.messaging.add_phone_number(
        account,
        str(service),
        form,
        phone_number=None if phone_number is None else str(phone_number),
    )


MESSAGING_SERVICES = SeedList(
    name="messaging_services",
    kind=MESSAGING_SERVICE,
    sid_prefix="MG",
    fields=frozenset({*_PARAMETERS, *SEED_ONLY_FIELDS}),
    create=_create_service,
    summary=("friendly_name",),
)

MESSAGING_SERVICE_NUMBERS = SeedList(
    name="messaging_service_phone_numbers",
    kind=MESSAGING_NUMBER,
    sid_prefix="PN",
    fields=frozenset({"service_sid", "phone_number"}),
    create=_add_number,
    summary=("service_sid", "phone_number"),
)
