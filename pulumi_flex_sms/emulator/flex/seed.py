"""The seed's ``flex_flows`` and ``flex_configuration``.

A flow entry takes the writable Flex Flow fields in snake_case, with
``integration`` as the API shows it (``{flow_sid, retry_count}`` for studio).
``flex_configuration`` is one mapping (not a list) of the Configuration's
fields, ``chat_service_instance_sid`` first among them; its ``status`` is
``ok`` unless it says otherwise. Seeding it again changes the fields it names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..params import Form
from ..seed_values import form_values, mapping, parameter_names
from ..store import FLEX_CONFIGURATION, FLEX_FLOW
from .backend import CONFIGURATION_FIELDS, FLOW_PARAMS, INTEGRATION_PARAMS

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["FLEX_CONFIGURATION_SEED", "FLEX_FLOWS"]

#: Field -> Twilio parameter: ``chat_service_sid`` -> ``ChatServiceSid``.
_PARAMETERS = parameter_names(FLOW_PARAMS)
#: ``integration`` key -> Twilio parameter: ``flow_sid`` -> ``Integration.FlowSid``.
_INTEGRATION = parameter_names(INTEGRATION_PARAMS)


def _create_flow(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    values = form_values(entry, _PARAMETERS)
    integration = mapping(entry.get("integration") or {}, "integration", set(_INTEGRATION))
    values.update({_INTEGRATION[k]: v for k, v in integration.items() if v is not None})
    return backend.flex.create_flex_flow(account, Form.from_values(values), sid=sid)


def _configure(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    return backend.flex.configure(account, {"status": "ok", **entry})


FLEX_FLOWS = SeedList(
    name="flex_flows",
    kind=FLEX_FLOW,
    sid_prefix="FO",
    fields=frozenset({*_PARAMETERS, "integration"}),
    create=_create_flow,
    summary=("friendly_name",),
)

FLEX_CONFIGURATION_SEED = SeedList(
    name="flex_configuration",
    kind=FLEX_CONFIGURATION,
    sid_prefix="AC",
    fields=frozenset(CONFIGURATION_FIELDS),
    create=_configure,
    summary=("chat_service_instance_sid",),
    singleton=True,
)
