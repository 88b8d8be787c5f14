"""Flex v1 FlexFlows and the account's Flex Configuration. No HTTP here.

A legacy (Flex UI 1.x) Flex Flow claims a contact identity (an SMS number)
for Flex; the routing needs to see them next to Conversations addresses (notes
C5, R8, R9). The Flex Configuration says which Conversations/Chat service is
Flex's (``chat_service_instance_sid``). ``twilio_flex_v1.json`` is SPEC-FLEX1.

Rules kept here, once:

* Flex Flows: ``FriendlyName``, ``ChatServiceSid`` and ``ChannelType`` are
  required on create; ``ChannelType`` and ``IntegrationType`` take their
  enums; ``Integration.*`` as the create/update operations of ``/v1/FlexFlows``
  describe them (``FlowSid`` "Required when `integrationType` is `studio`",
  ``Url`` for ``external``, ``WorkspaceSid`` and ``WorkflowSid`` for ``task``;
  ``RetryCount`` "from 0 to 3 with the default being 3", studio and external
  only; ``Timeout``, ``Priority``, ``Channel``, ``CreationOnMessage`` task
  only). ``integration`` holds only its type's keys, as the spec's examples
  show (studio: ``flow_sid``, ``retry_count``); switching type drops the old
  type's. The list filters by ``FriendlyName`` only.
* Collisions: an enabled flow whose ``channel_type`` and ``contact_identity``
  equal another enabled flow's is refused, 400, 45212, on create and on update
  (https://www.twilio.com/docs/api/errors/45212: "Some request attributes were
  either missing, invalid, or collided with existing Flex Flows"; 45210 says the
  same of "Flows"). That the key is (channel type, identity) of *enabled* flows
  is INFERRED (notes R9); a flow without an identity collides with none.
* Inferred defaults: ``Enabled`` true (the legacy outbound guide has the extra
  flow created with "the enabled parameter ... set to false", which would not
  be needed otherwise), ``IntegrationType`` studio (the Flex Console "creates a
  Flex Flow (Studio by default)"). The chat service, Studio flow and TaskRouter
  SIDs are checked for their shape only: Twilio's checks are not documented.
* Configuration: one per account, fetched at ``/v1/Configuration``. An
  account that never had one answers the schema's fields null and ``status``
  ``notstarted`` (``configuration_enum_status``). An update is a JSON object
  holding the account's SID and any fields to change (the spec's update body
  is a free-form object; https://www.twilio.com/docs/flex/developer/config/flex-configuration-rest-api:
  "Include a JSON object in the request body that contains your Twilio account
  SID along with any configuration items that you wish to update"; a JSON-typed
  field is replaced whole). Each field is checked against its schema type;
  ``date_*`` and ``url`` are not writable, unknown fields are a 400.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from .. import params as p
from ..domain import DomainBackend, new_sid
from ..errors import InvalidParameter, MissingParameter
from ..form_fields import ParamTable, checked_fields
from ..params import Form, PageResult
from ..store import FLEX_CONFIGURATION, FLEX_FLOW, Row, Transaction, Where
from .errors import FlexFlowCollision

__all__ = [
    "CHANNEL_TYPES",
    "CONFIGURATION_FIELDS",
    "FLOW_PARAMS",
    "INTEGRATION_KEYS",
    "INTEGRATION_PARAMS",
    "INTEGRATION_TYPES",
    "FlexBackend",
]

CHANNEL_TYPES = ("web", "sms", "facebook", "whatsapp", "line", "custom")
INTEGRATION_TYPES = ("studio", "external", "task")


def _sid_check(prefix: str) -> Callable[[str, str], str]:
    return lambda value, name: p.sid(value, name, prefix)


#: Top-level writable parameters -> (field, check).
FLOW_PARAMS: ParamTable = {
    "FriendlyName": ("friendly_name", lambda v, n: v),
    "ChatServiceSid": ("chat_service_sid", _sid_check("IS")),
    "ChannelType": ("channel_type", lambda v, n: p.enum(v, n, CHANNEL_TYPES)),
    "ContactIdentity": ("contact_identity", lambda v, n: v or None),
    "Enabled": ("enabled", p.boolean),
    "IntegrationType": ("integration_type", lambda v, n: p.enum(v, n, INTEGRATION_TYPES)),
    "LongLived": ("long_lived", p.boolean),
    "JanitorEnabled": ("janitor_enabled", p.boolean),
}
#: ``Integration.*`` parameters -> (key in ``integration``, check).
INTEGRATION_PARAMS: ParamTable = {
    "Integration.FlowSid": ("flow_sid", _sid_check("FW")),
    "Integration.Url": ("url", lambda v, n: p.url(v, n, allow_empty=False)),
    "Integration.WorkspaceSid": ("workspace_sid", _sid_check("WS")),
    "Integration.WorkflowSid": ("workflow_sid", _sid_check("WW")),
    "Integration.Channel": ("channel", lambda v, n: v),
    "Integration.Timeout": ("timeout", lambda v, n: p.integer(v, n, 0)),
    "Integration.Priority": ("priority", lambda v, n: p.integer(v, n, 0)),
    "Integration.CreationOnMessage": ("creation_on_message", p.boolean),
    "Integration.RetryCount": ("retry_count", lambda v, n: p.integer(v, n, 0, 3)),
}
#: The keys ``integration`` holds for each type, and their defaults (None: required).
INTEGRATION_KEYS: dict[str, dict[str, Any]] = {
    "studio": {"flow_sid": None, "retry_count": 3},
    "external": {"url": None, "retry_count": 3},
    "task": {
        "workspace_sid": None,
        "workflow_sid": None,
        "channel": "default",
        "timeout": 86400,
        "priority": 0,
        "creation_on_message": False,
    },
}
_PARAMETER_OF = {key: name for name, (key, _) in INTEGRATION_PARAMS.items()}


def _flow_path(sid: str) -> str:
    return f"/FlexFlows/{sid}"


# -- the configuration's schema (``flex.v1.configuration``), in its order -----------------


def _sid_pattern(prefix: str) -> StringConstraints:
    return StringConstraints(pattern=rf"^{prefix}[0-9a-fA-F]{{32}}$")


_WS = Annotated[str, _sid_pattern("WS")]
_WW = Annotated[str, _sid_pattern("WW")]
_WQ = Annotated[str, _sid_pattern("WQ")]
_WA = Annotated[str, _sid_pattern("WA")]
_MG = Annotated[str, _sid_pattern("MG")]
_IS = Annotated[str, _sid_pattern("IS")]
_GO = Annotated[str, _sid_pattern("GO")]
_ZS = Annotated[str, _sid_pattern("ZS")]


class _ConfigurationFields(BaseModel):
    """The writable fields of ``flex.v1.configuration``, typed as its schema types them
    (untyped ones take any JSON value)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    attributes: Any = None
    status: Literal["ok", "inprogress", "notstarted"] = "notstarted"
    taskrouter_workspace_sid: _WS | None = None
    taskrouter_target_workflow_sid: _WW | None = None
    taskrouter_target_taskqueue_sid: _WQ | None = None
    taskrouter_taskqueues: list[Any] | None = None
    taskrouter_skills: list[Any] | None = None
    taskrouter_worker_channels: Any = None
    taskrouter_worker_attributes: Any = None
    taskrouter_offline_activity_sid: _WA | None = None
    runtime_domain: str | None = None
    messaging_service_instance_sid: _MG | None = None
    chat_service_instance_sid: _IS | None = None
    flex_service_instance_sid: _IS | None = None
    flex_instance_sid: _GO | None = None
    ui_language: str | None = None
    ui_attributes: Any = None
    ui_dependencies: Any = None
    ui_version: str | None = None
    service_version: str | None = None
    call_recording_enabled: bool | None = None
    call_recording_webhook_url: str | None = None
    crm_enabled: bool | None = None
    crm_type: str | None = None
    crm_callback_url: str | None = None
    crm_fallback_url: str | None = None
    crm_attributes: Any = None
    public_attributes: Any = None
    plugin_service_enabled: bool | None = None
    plugin_service_attributes: Any = None
    integrations: list[Any] | None = None
    outbound_call_flows: Any = None
    serverless_service_sids: list[_ZS] | None = None
    queue_stats_configuration: Any = None
    notifications: Any = None
    markdown: Any = None
    flex_insights_hr: Any = None
    flex_insights_drilldown: bool | None = None
    flex_url: str | None = None
    channel_configs: list[Any] | None = None
    debugger_integration: Any = None
    flex_ui_status_report: Any = None
    agent_conv_end_methods: Any = None
    citrix_voice_vdi: Any = None
    offline_config: Any = None


#: Every writable field, in the schema's order.
CONFIGURATION_FIELDS: tuple[str, ...] = tuple(_ConfigurationFields.model_fields)


def _configuration_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` checked against the schema; errors name the field and what it takes."""
    try:
        checked = _ConfigurationFields.model_validate(dict(values))
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        if error["type"] == "extra_forbidden":
            message = f"Invalid {field}: not a field of the Flex Configuration"
        else:
            message = f"Invalid {field}: {error['msg']} (got {p.shown(error.get('input'))})"
        raise InvalidParameter(message, parameter=field) from None
    return checked.model_dump(include=set(values))


class FlexBackend(DomainBackend):
    """Flex Flows (rows ``flex_flow``) and Flex Configurations (rows ``flex_configuration``,
    one per account, its SID the account's)."""

    # -- flex flows -------------------------------------------------------------------

    def _flow(self, tx: Transaction, account: str, sid: str) -> Row:
        return self._require_owned(tx, FLEX_FLOW, sid, account, _flow_path(sid))

    def create_flex_flow(
        self, account: str, form: Form, *, sid: str | None = None
    ) -> dict[str, Any]:
        for required in ("FriendlyName", "ChatServiceSid", "ChannelType"):
            form.required(required)
        now = self._now()
        record: dict[str, Any] = {
            "sid": sid or new_sid("FO"),
            "account_sid": account,
            "friendly_name": None,
            "chat_service_sid": None,
            "channel_type": None,
            "contact_identity": None,
            "enabled": True,
            "integration_type": "studio",
            "integration": {},
            "long_lived": False,
            "janitor_enabled": False,
            "date_created": now,
            "date_updated": now,
        }
        self._apply(record, form)
        with self.store.transaction() as tx:
            self._check_collision(tx, record)
            self._insert_new(tx, FLEX_FLOW, record)
        return record

    def list_flex_flows(self, account: str, query: Form) -> PageResult:
        friendly = query.one("FriendlyName")
        where = () if friendly is None else (Where.equals("friendly_name", friendly),)
        return self._list_page(FLEX_FLOW, account, query, 1000, where=where)

    def fetch_flex_flow(self, account: str, sid: str) -> Row:
        return self._fetch_owned(FLEX_FLOW, account, sid, _flow_path(sid))

    def update_flex_flow(self, account: str, sid: str, form: Form) -> dict[str, Any]:
        for fixed in ("FriendlyName", "ChatServiceSid", "ChannelType"):
            if form.one(fixed) == "":
                raise InvalidParameter(f"{fixed} cannot be blank", parameter=fixed)
        with self.store.transaction() as tx:
            record = dict(self._flow(tx, account, sid))
            self._apply(record, form)
            record["date_updated"] = self._now()
            self._check_collision(tx, record)
            tx.update(FLEX_FLOW, sid, record, key=None)
        return record

    def delete_flex_flow(self, account: str, sid: str) -> None:
        self._delete_owned(FLEX_FLOW, account, sid, _flow_path(sid))

    @staticmethod
    def _apply(record: dict[str, Any], form: Form) -> None:
        """``form``'s parameters applied to ``record``, its integration completed and checked."""
        record.update(checked_fields(form, FLOW_PARAMS))
        kind = record["integration_type"]
        integration = {**record["integration"], **checked_fields(form, INTEGRATION_PARAMS)}
        # Only the type's keys ("not applicable otherwise"), with their defaults.
        integration = {
            key: integration.get(key, default) for key, default in INTEGRATION_KEYS[kind].items()
        }
        for key, value in integration.items():
            if value is None:
                raise MissingParameter(
                    f"{_PARAMETER_OF[key]} is required when IntegrationType is {kind}",
                    parameter=_PARAMETER_OF[key],
                )
        record["integration"] = integration

    @staticmethod
    def _check_collision(tx: Transaction, record: dict[str, Any]) -> None:
        if not (record["enabled"] and record["contact_identity"]):
            return
        for other in tx.list(FLEX_FLOW, record["account_sid"]):
            if (
                other["sid"] != record["sid"]
                and other["enabled"]
                and other["channel_type"] == record["channel_type"]
                and other["contact_identity"] == record["contact_identity"]
            ):
                raise FlexFlowCollision(
                    f"Flex Flow collided with existing Flex Flows: {other['sid']} is enabled "
                    f"for {record['channel_type']} {record['contact_identity']}; disable or "
                    "delete it first, or pass Enabled=false",
                    parameter="ContactIdentity",
                )

    # -- the configuration ------------------------------------------------------------

    def fetch_configuration(self, account: str) -> dict[str, Any]:
        """The account's configuration (every field; a fresh account's are defaults)."""
        with self.store.transaction() as tx:
            return self._configuration(tx, account)

    def update_configuration(self, account: str, body: Any) -> dict[str, Any]:
        """Apply a JSON update body: ``account_sid`` (the caller's) and fields to change."""
        if not isinstance(body, Mapping):
            raise InvalidParameter("The body must be a JSON object", parameter="body")
        values = dict(body)
        named = values.pop("account_sid", None)
        if not named:
            raise MissingParameter(
                "Missing required field account_sid in the JSON body", parameter="account_sid"
            )
        if named != account:
            raise InvalidParameter(
                f"Invalid account_sid: {p.shown(named)} is not the authenticated account",
                parameter="account_sid",
            )
        return self.configure(account, values)

    def configure(self, account: str, values: Mapping[str, Any]) -> dict[str, Any]:
        """Set configuration fields (an update's, or a seed's) on the account's configuration."""
        changes = _configuration_values(values)
        with self.store.transaction() as tx:
            record = self._configuration(tx, account)
            fresh = record["date_created"] is None
            record.update(changes)
            now = self._now()
            record["date_updated"] = now
            if fresh:
                record["date_created"] = now
                tx.insert(FLEX_CONFIGURATION, account, account, record, key=None)
            else:
                tx.update(FLEX_CONFIGURATION, account, record, key=None)
        return record

    @staticmethod
    def _configuration(tx: Transaction, account: str) -> dict[str, Any]:
        row = tx.get(FLEX_CONFIGURATION, account)
        if row is not None:
            return dict(row)
        defaults = _ConfigurationFields().model_dump()
        return {"account_sid": account, **defaults, "date_created": None, "date_updated": None}
