"""The seed's ``applications``: every writable Application field in snake_case."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..params import Form
from ..seed_values import form_values, parameter_names
from ..store import APPLICATION
from .backend import APPLICATION_PARAMS

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["APPLICATIONS"]

#: Field -> Twilio parameter: ``sms_url`` -> ``SmsUrl``.
_PARAMETERS = parameter_names(APPLICATION_PARAMS)


def _create(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    form = Form.from_values(form_values(entry, _PARAMETERS))
    return backend.applications.create_application(account, form, sid=sid)


APPLICATIONS = SeedList(
    name="applications",
    kind=APPLICATION,
    sid_prefix="AP",
    fields=frozenset(_PARAMETERS),
    create=_create,
    summary=("friendly_name",),
)
