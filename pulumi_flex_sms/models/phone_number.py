"""PhoneNumberMessagingConfig: its inputs, and the mapping to and from Twilio.

Only the messaging fields of an IncomingPhoneNumber (Api 2010) are ours; voice
settings, the number itself and its lifetime are not. A field is *managed* when
it is in the inputs: ``smsUrl`` always is (blank by default, what Flex wants),
the others only when set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, model_validator

from ..keys import PhoneNumberKeys as K
from ._common import PREVIEW_SAFE, CheckProblem, InputModel, check_model, cross_field, is_unknown
from ._fields import Field, clearable
from ._validators import e164, http_method, input_error, lower, refuse_unsafe_url_characters, sid

__all__ = [
    "CLEARABLE_KEYS",
    "FACT_KEYS",
    "IDENTITY_KEYS",
    "NUMBER_FIELDS",
    "SMS_FIELDS",
    "SMS_KEYS",
    "PhoneNumberInputs",
    "check_phone_number",
    "checked_identity",
    "effective",
    "live_state",
    "settings_params",
    "snapshot",
]


def _text(value: Any) -> str:
    return value or ""  # Twilio shows an unset handler as "" or null: both are blank


def _method(value: Any) -> str:
    return str(value or "POST").upper()  # Twilio's default


#: The messaging settings we may manage. Methods have no blank: Twilio keeps one not sent.
SMS_FIELDS = (
    Field(K.SMS_URL, "sms_url", "sms_url", clear="", from_twilio=_text),
    Field(K.SMS_METHOD, "sms_method", "sms_method", from_twilio=_method),
    Field(K.SMS_FALLBACK_URL, "sms_fallback_url", "sms_fallback_url", clear="", from_twilio=_text),
    Field(K.SMS_FALLBACK_METHOD, "sms_fallback_method", "sms_fallback_method", from_twilio=_method),
    Field(
        K.SMS_APPLICATION_SID,
        "sms_application_sid",
        "sms_application_sid",
        clear="",
        from_twilio=_text,
    ),
)
#: What Twilio says about the number itself, refreshed into the outputs.
NUMBER_FIELDS = (
    Field(K.PHONE_NUMBER, None, "phone_number"),
    Field(K.PHONE_NUMBER_SID, None, "sid"),
    Field(K.ACCOUNT_SID, None, "account_sid"),
    Field(K.FRIENDLY_NAME, None, "friendly_name", from_twilio=_text),
)

#: The messaging fields we may manage, in state-key form.
SMS_KEYS = tuple(f.key for f in SMS_FIELDS)
#: The fields ``on_delete="clear"`` blanks.
CLEARABLE_KEYS = clearable(SMS_FIELDS)
#: Which number: changing it means letting go of one number and taking another.
IDENTITY_KEYS = (K.PHONE_NUMBER, K.PHONE_NUMBER_SID)
#: The number's facts in the outputs.
FACT_KEYS = tuple(f.key for f in NUMBER_FIELDS)
INPUT_KEYS = (*IDENTITY_KEYS, *SMS_KEYS, K.ON_DELETE)
_METHOD_KEYS = (K.SMS_METHOD, K.SMS_FALLBACK_METHOD)
_application_sid = sid("AP", "TwiML application", "Console > TwiML Apps")


def _blankable_url(value: str | None) -> str | None:
    """``""`` (blank: no handler) or an absolute http(s) URL with a host."""
    if value is None or value == "":
        return value
    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise input_error(
            "url",
            'must be blank ("") or an absolute http(s) URL such as https://example.com/sms',
            value,
        )
    refuse_unsafe_url_characters(value)
    return value


def _blankable_application_sid(value: str | None) -> str | None:
    return value if value in (None, "") else _application_sid(value)


class PhoneNumberInputs(InputModel):
    """The normalised inputs of a PhoneNumberMessagingConfig."""

    phone_number: Annotated[str | None, AfterValidator(e164), PREVIEW_SAFE] = None
    phone_number_sid: Annotated[
        str | None,
        AfterValidator(sid("PN", "phone number", "Console > Phone Numbers > Active numbers")),
        PREVIEW_SAFE,
    ] = None
    sms_url: Annotated[str, AfterValidator(_blankable_url), PREVIEW_SAFE] = ""
    sms_method: Annotated[str | None, AfterValidator(http_method), PREVIEW_SAFE] = None
    sms_fallback_url: Annotated[str | None, AfterValidator(_blankable_url), PREVIEW_SAFE] = None
    sms_fallback_method: Annotated[str | None, AfterValidator(http_method), PREVIEW_SAFE] = None
    sms_application_sid: Annotated[
        str | None, AfterValidator(_blankable_application_sid), PREVIEW_SAFE
    ] = None
    on_delete: Annotated[
        Literal["restore", "leave", "clear"], BeforeValidator(lower), PREVIEW_SAFE
    ] = "restore"

    @model_validator(mode="after")
    def _one_number_one_handler(self) -> PhoneNumberInputs:
        problems: list[CheckProblem] = []
        if self.phone_number is None and self.phone_number_sid is None:
            problems.append(
                (
                    K.PHONE_NUMBER,
                    "or phone_number_sid is required: the number to configure, as E.164 "
                    "(+13115552368) or as its PN... SID",
                )
            )
        elif self.phone_number is not None and self.phone_number_sid is not None:
            problems.append(
                (K.PHONE_NUMBER_SID, "and phone_number are both set: give exactly one of them")
            )
        app, url = self.sms_application_sid, self.sms_url
        if not (is_unknown(app) or is_unknown(url)) and app and url:
            problems.append(
                (
                    K.SMS_APPLICATION_SID,
                    "and sms_url are both set, but Twilio ignores sms_url while a TwiML app is "
                    "attached: set only one (for Flex, neither)",
                )
            )
        if problems:
            raise cross_field(problems)
        return self


def check_phone_number(news: Mapping[str, Any]) -> tuple[dict[str, Any], list[CheckProblem]]:
    """Validate and normalise new inputs. Returns (checked inputs, problems)."""
    return check_model(PhoneNumberInputs, news, "PhoneNumberMessagingConfig")


def _comparable(key: str, value: Any) -> Any:
    if is_unknown(value):
        return value
    if value is None:
        return ""  # blank and absent are the same handler: none
    if key in _METHOD_KEYS and isinstance(value, str):
        return value.upper()
    return value


def effective(state: Mapping[str, Any]) -> dict[str, Any]:
    """The managed messaging settings in a comparable form."""
    return {key: _comparable(key, state[key]) for key in SMS_KEYS if key in state}


def settings_params(settings: Mapping[str, Any]) -> dict[str, Any]:
    """twilio-python ``update`` keywords; a blank value is sent as ``""`` so Twilio clears it."""
    return {
        field.param: "" if settings[field.key] is None else settings[field.key]
        for field in SMS_FIELDS
        if field.param is not None and field.key in settings
    }


def live_state(record: Mapping[str, Any]) -> dict[str, Any]:
    """Twilio's IncomingPhoneNumber (snake_case) as state: identity and messaging fields."""
    return {f.key: f.from_twilio(record.get(f.response)) for f in (*NUMBER_FIELDS, *SMS_FIELDS)}


def snapshot(live: Mapping[str, Any]) -> dict[str, Any]:
    """The ``originalSettings`` output: every messaging field as it was."""
    return {key: live[key] for key in SMS_KEYS}


def checked_identity(inputs: Mapping[str, Any]) -> tuple[str, str]:
    """(key, value) naming the number in the inputs: the SID if given, else E.164."""
    if inputs.get(K.PHONE_NUMBER_SID):
        return K.PHONE_NUMBER_SID, inputs[K.PHONE_NUMBER_SID]
    return K.PHONE_NUMBER, inputs[K.PHONE_NUMBER]
