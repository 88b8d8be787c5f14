"""The seed's ``conversation_services`` and ``address_configurations``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ..domain import SeedList
from ..errors import BadRequest
from ..params import Form
from ..store import ADDRESS, SERVICE

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["ADDRESS_CONFIGURATIONS", "SERVICES"]

#: ``auto_creation`` field -> Twilio parameter.
_AUTO_CREATION_PARAMS = {
    "enabled": "AutoCreation.Enabled",
    "type": "AutoCreation.Type",
    "conversation_service_sid": "AutoCreation.ConversationServiceSid",
    "webhook_url": "AutoCreation.WebhookUrl",
    "webhook_method": "AutoCreation.WebhookMethod",
    "webhook_filters": "AutoCreation.WebhookFilters",
    "studio_flow_sid": "AutoCreation.StudioFlowSid",
    "studio_retry_count": "AutoCreation.StudioRetryCount",
}


def _create_service(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    name = entry.get("friendly_name") or "Conversations Service"
    form = Form.from_values({"FriendlyName": name})
    return backend.conversations.create_service(account, form, sid=sid)


def _address_form(entry: dict[str, Any]) -> Form:
    values: dict[str, Any] = {"Type": entry.get("type") or "sms", "Address": entry.get("address")}
    for field, name in (("friendly_name", "FriendlyName"), ("address_country", "AddressCountry")):
        if entry.get(field) is not None:
            values[name] = entry[field]
    auto = entry.get("auto_creation") or {}
    if not isinstance(auto, Mapping):
        raise BadRequest("auto_creation: expected a mapping")
    unknown = set(auto) - set(_AUTO_CREATION_PARAMS)
    if unknown:
        raise BadRequest(f"auto_creation: unknown field(s) {', '.join(sorted(unknown))}")
    for field, value in auto.items():
        values[_AUTO_CREATION_PARAMS[field]] = value
    return Form.from_values(values)


def _create_address(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    form = _address_form(entry)
    return backend.conversations.create_address_configuration(account, form, sid=sid)


SERVICES = SeedList(
    name="conversation_services",
    kind=SERVICE,
    sid_prefix="IS",
    fields=frozenset({"friendly_name"}),
    create=_create_service,
    summary=("friendly_name",),
)

ADDRESS_CONFIGURATIONS = SeedList(
    name="address_configurations",
    kind=ADDRESS,
    sid_prefix="IG",
    fields=frozenset({"address", "type", "friendly_name", "address_country", "auto_creation"}),
    create=_create_address,
    summary=("address",),
)
