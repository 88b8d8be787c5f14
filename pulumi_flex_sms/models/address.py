"""FlexSmsAddress: its inputs, their normal form, and the mapping to and from Twilio.

Twilio's Address Configuration API (Conversations v1) is described in
``twilio_conversations_v1.json``; ``auto_creation`` holds only the keys of its
type (webhook, studio or default), webhook methods are sent lowercase (the
spec's request enum) and come back uppercase, and filters come back in any order.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator, model_validator

from ..identifiers import WEBHOOK_FILTERS, is_country_code
from ..keys import AddressKeys as K
from ..keys import AutoCreationKeys as AC
from ._common import PREVIEW_SAFE, CheckProblem, InputModel, check_model, cross_field, is_unknown
from ._fields import KEEP, Field, computed, create_only
from ._validators import e164, http_method, https_url, input_error, lower, sid

__all__ = [
    "AUTO_CREATION_FIELDS",
    "FIELDS",
    "INPUT_KEYS",
    "OUTPUT_KEYS",
    "REPLACE_KEYS",
    "WEBHOOK_FILTERS",
    "AddressInputs",
    "AutoCreation",
    "check_address",
    "create_params",
    "effective",
    "live_state",
    "update_params",
]

_FILTERS_BY_FOLDED = {f.lower(): f for f in WEBHOOK_FILTERS}

#: The configuration's own settings and what Twilio computes (``autoCreation`` apart).
FIELDS = (
    Field(K.ADDRESS, "address", "address", create_only=True),
    Field(K.FRIENDLY_NAME, "friendly_name", "friendly_name", clear=""),
    Field(K.ADDRESS_COUNTRY, "address_country", "address_country", create_only=True),
    Field(K.SID, None, "sid"),
    Field(K.ACCOUNT_SID, None, "account_sid"),
    Field(K.URL, None, "url"),
    Field(K.DATE_CREATED, None, "date_created"),
    Field(K.DATE_UPDATED, None, "date_updated"),
)
#: ``autoCreation``: flat ``auto_creation_*`` parameters, a nested ``auto_creation`` record.
AUTO_CREATION_FIELDS = (
    Field(AC.ENABLED, "auto_creation_enabled", "enabled"),
    Field(AC.TYPE, "auto_creation_type", "type", from_twilio=lambda v: str(v).lower()),
    Field(
        AC.CONVERSATION_SERVICE_SID,
        "auto_creation_conversation_service_sid",
        "conversation_service_sid",
        clear="",
    ),
    Field(AC.WEBHOOK_URL, "auto_creation_webhook_url", "webhook_url", clear=""),
    Field(
        AC.WEBHOOK_METHOD,
        "auto_creation_webhook_method",
        "webhook_method",
        clear="post",  # Twilio's default; the spec's request enum is get/post
        to_twilio=str.lower,
        from_twilio=lambda v: str(v).upper(),
    ),
    Field(
        AC.WEBHOOK_FILTERS,
        "auto_creation_webhook_filters",
        "webhook_filters",
        clear=[""],  # twilio-python drops an empty list; one empty value clears the filters
        from_twilio=sorted,
    ),
    Field(AC.STUDIO_FLOW_SID, "auto_creation_studio_flow_sid", "studio_flow_sid", clear=""),
    # No blank for a number: Twilio keeps its own count when none is sent.
    Field(
        AC.STUDIO_RETRY_COUNT,
        "auto_creation_studio_retry_count",
        "studio_retry_count",
        to_twilio=int,
        from_twilio=int,
    ),
)

#: Input keys in state; everything else in the outputs is computed by Twilio.
INPUT_KEYS = (K.ADDRESS, K.FRIENDLY_NAME, K.ADDRESS_COUNTRY, K.AUTO_CREATION, K.ADOPT_EXISTING)
#: Changing these means a new configuration (Twilio cannot update them).
REPLACE_KEYS = create_only(FIELDS)
#: Computed outputs.
OUTPUT_KEYS = computed(FIELDS)

#: Which autoCreation keys each type uses; the others are refused at check.
_TYPE_KEYS = {
    "studio": {AC.STUDIO_FLOW_SID, AC.STUDIO_RETRY_COUNT},
    "webhook": {AC.WEBHOOK_URL, AC.WEBHOOK_METHOD, AC.WEBHOOK_FILTERS},
    "default": set(),
}
_COMMON_KEYS = {AC.ENABLED, AC.TYPE, AC.CONVERSATION_SERVICE_SID}


def _filters(value: list[str] | None) -> list[str] | None:
    if value is None:
        return None
    canonical = []
    for name in value:
        if is_unknown(name):
            return value  # a filter computed at deploy time: keep the list as written
        found = _FILTERS_BY_FOLDED.get(name.lower()) if isinstance(name, str) else None
        if found is None:
            raise input_error(
                "webhook_filter",
                f"must list only these events: {', '.join(WEBHOOK_FILTERS)}",
                name,
            )
        canonical.append(found)
    return sorted(set(canonical))


def _not_a_boolean(value: Any) -> Any:
    """Refuse True/False before pydantic (and Python) read them as 1/0."""
    if isinstance(value, bool):
        raise input_error(
            "retry_count",
            "must be a whole number from 0 to 3 (how often Twilio retries a failed Studio "
            "webhook), not true or false",
            value,
        )
    return value


def _retry_count(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 3:
        raise input_error(
            "retry_count",
            "must be a whole number from 0 to 3 (how often Twilio retries a failed Studio webhook)",
            value,
        )
    return value


def _friendly_name(value: str | None) -> str | None:
    if value is not None and len(value) > 256:
        raise input_error("length", f"must be at most 256 characters (it has {len(value)})", value)
    return value


def _country(value: Any) -> Any:
    """Two ASCII letters, upper-cased; checked before upper-casing, which maps 'ß' to 'SS'."""
    if value is None:
        return None
    if isinstance(value, str) and value.isascii() and is_country_code(value.upper()):
        return value.upper()
    raise input_error(
        "country",
        "must be an ISO 3166-1 alpha-2 country code of two letters A-Z such as 'US'",
        value,
    )


class AutoCreation(InputModel):
    """``autoCreation``: how an inbound message that starts a conversation is handled."""

    enabled: Annotated[bool, PREVIEW_SAFE]
    type: Annotated[
        Literal["webhook", "studio", "default"] | None, BeforeValidator(lower), PREVIEW_SAFE
    ] = None
    conversation_service_sid: Annotated[
        str | None,
        AfterValidator(sid("IS", "Conversations service", "Console > Conversations > Services")),
        PREVIEW_SAFE,
    ] = None
    webhook_url: Annotated[str | None, AfterValidator(https_url), PREVIEW_SAFE] = None
    webhook_method: Annotated[str | None, AfterValidator(http_method), PREVIEW_SAFE] = None
    webhook_filters: Annotated[list[Any] | None, AfterValidator(_filters), PREVIEW_SAFE] = None
    studio_flow_sid: Annotated[
        str | None,
        AfterValidator(sid("FW", "Studio flow", "Console > Studio > Flows")),
        PREVIEW_SAFE,
    ] = None
    studio_retry_count: Annotated[
        int | None, BeforeValidator(_not_a_boolean), AfterValidator(_retry_count), PREVIEW_SAFE
    ] = None

    @model_validator(mode="after")
    def _fields_of_the_type(self) -> AutoCreation:
        problems: list[CheckProblem] = []
        if self.type is None:
            if self.enabled is True:
                problems.append(
                    (
                        AC.TYPE,
                        "is required when enabled is true: 'studio' (a Studio flow, what Flex "
                        "uses), 'webhook' or 'default'",
                    )
                )
        elif not is_unknown(self.type):
            wanted = _TYPE_KEYS[self.type]
            present = self.to_state()
            for key in sorted(set(present) - _COMMON_KEYS - wanted):
                if is_unknown(present[key]):
                    continue  # may resolve to nothing; the engine drops empty values
                owner = next(t for t, keys in _TYPE_KEYS.items() if key in keys)
                problems.append(
                    (key, f"is not used by type {self.type!r}; remove it, or set type {owner!r}")
                )
            if self.type == "studio" and self.studio_flow_sid is None:
                problems.append(
                    (AC.STUDIO_FLOW_SID, "is required for type 'studio': the FW... SID of the flow")
                )
            if self.type == "webhook" and self.webhook_url is None:
                problems.append((AC.WEBHOOK_URL, "is required for type 'webhook': an https:// URL"))
        if problems:
            raise cross_field(problems)
        return self


class AddressInputs(InputModel):
    """The normalised inputs of a FlexSmsAddress."""

    address: Annotated[str, AfterValidator(e164), PREVIEW_SAFE]
    friendly_name: Annotated[str | None, AfterValidator(_friendly_name), PREVIEW_SAFE] = None
    address_country: Annotated[str | None, AfterValidator(_country), PREVIEW_SAFE] = None
    auto_creation: Annotated[AutoCreation | None, PREVIEW_SAFE] = None
    adopt_existing: Annotated[bool, PREVIEW_SAFE] = False


_REQUIRED_HINTS = {
    K.ADDRESS: "the Twilio phone number to route, in E.164 form like +13115552368",
    f"{K.AUTO_CREATION}.{AC.ENABLED}": "True to start a conversation for a new sender",
}


def check_address(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[CheckProblem]]:
    """Validate and normalise new inputs. Returns (checked inputs, problems)."""
    return check_model(AddressInputs, news, "FlexSmsAddress", _REQUIRED_HINTS)


# --- comparing and talking to Twilio ------------------------------------------------------

_BLANK: tuple[Any, ...] = (None, "", [])


def effective(state: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs in a comparable form: blanks dropped, Twilio defaults folded in.

    ``webhookMethod`` absent means Twilio's default ``POST``; autoCreation keys that
    do not belong to the current type are ignored, as Twilio ignores them.
    """
    out: dict[str, Any] = {}
    for key in INPUT_KEYS:
        if key == K.ADOPT_EXISTING:
            continue  # only steers create; never a change on its own
        value = state.get(key)
        if key == K.AUTO_CREATION and isinstance(value, Mapping):
            value = _effective_auto_creation(value)
        if not _is_blank(value):
            out[key] = value
    return out


def _effective_auto_creation(ac: Mapping[str, Any]) -> dict[str, Any]:
    kind = ac.get(AC.TYPE)
    keep = _COMMON_KEYS | _TYPE_KEYS.get(kind, set()) if isinstance(kind, str) else set(ac)
    out = {k: v for k, v in ac.items() if k in keep and not _is_blank(v)}
    if kind == "webhook" and AC.WEBHOOK_METHOD not in out:
        out[AC.WEBHOOK_METHOD] = "POST"
    if isinstance(out.get(AC.STUDIO_RETRY_COUNT), float):
        out[AC.STUDIO_RETRY_COUNT] = int(out[AC.STUDIO_RETRY_COUNT])
    return out


def _is_blank(value: Any) -> bool:
    return not is_unknown(value) and (value is None or value == "" or value == [])


def create_params(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """twilio-python keyword arguments for ``address_configurations.create``."""
    params: dict[str, Any] = {"type": "sms"}
    for field in FIELDS:
        if field.param is not None and inputs.get(field.key) is not None:
            params[field.param] = field.to_twilio(inputs[field.key])
    params.update(_auto_creation_params(inputs.get(K.AUTO_CREATION) or {}, keys=None))
    return params


def _auto_creation_params(ac: Mapping[str, Any], keys: set[str] | None) -> dict[str, Any]:
    """Parameters for ``ac``; with ``keys`` only those, and an absent one is sent blank."""
    params: dict[str, Any] = {}
    for field in AUTO_CREATION_FIELDS:
        if field.param is None or (keys is not None and field.key not in keys):
            continue
        value = ac.get(field.key)
        if value is not None:
            params[field.param] = field.to_twilio(value)
        elif keys is not None and field.clear is not KEEP:
            params[field.param] = field.clear
    return params


def update_params(olds: Mapping[str, Any], news: Mapping[str, Any]) -> dict[str, Any]:
    """Only what changed between two input bags, as ``update`` keyword arguments.

    A removed optional value is sent blank so Twilio really clears it.
    """
    old, new = effective(olds), effective(news)
    params: dict[str, Any] = {}
    for field in FIELDS:
        if field.param is None or field.create_only or old.get(field.key) == new.get(field.key):
            continue
        if field.key in new:
            params[field.param] = field.to_twilio(new[field.key])
        elif field.clear is not KEEP:
            params[field.param] = field.clear
    old_ac, new_ac = old.get(K.AUTO_CREATION, {}), new.get(K.AUTO_CREATION, {})
    if old_ac != new_ac:
        if not new_ac:
            # No autoCreation means disabled; what a disabled one keeps is not ours.
            if old_ac.get(AC.ENABLED) is False:
                return params
            return {**params, "auto_creation_enabled": False}
        changed = {k for k in set(old_ac) | set(new_ac) if old_ac.get(k) != new_ac.get(k)}
        if AC.TYPE in changed and AC.TYPE in new_ac:
            # A new type needs its own fields even where their values happen to match.
            changed |= set(new_ac) & (_TYPE_KEYS.get(new_ac.get(AC.TYPE), set()) | {AC.ENABLED})
        changed &= _COMMON_KEYS | _TYPE_KEYS.get(new_ac.get(AC.TYPE), set())
        if AC.STUDIO_RETRY_COUNT in changed and AC.STUDIO_RETRY_COUNT not in new_ac:
            changed.discard(AC.STUDIO_RETRY_COUNT)  # no blank for a number: Twilio keeps its own
        params.update(_auto_creation_params(new_ac, keys=changed))
    return params


def _from_record(fields: tuple[Field, ...], record: Mapping[str, Any]) -> dict[str, Any]:
    """State for ``fields`` from a Twilio record; blank fields are left out."""
    return {
        field.key: field.from_twilio(value)
        for field in fields
        if (value := record.get(field.response)) not in _BLANK
    }


def live_state(record: Mapping[str, Any]) -> dict[str, Any]:
    """Twilio's address configuration (snake_case JSON) as state (camelCase, normalised)."""
    state = _from_record(FIELDS, record)
    auto_creation = _from_record(AUTO_CREATION_FIELDS, record.get("auto_creation") or {})
    if auto_creation:
        state[K.AUTO_CREATION] = auto_creation
    return state
