"""Where each resource type the pack checks keeps the settings its policies read.

The pack checks our resources and those of the Terraform-bridged Twilio provider
(``twilio:index/...``, see the last section of :mod:`pulumi_flex_sms.keys`) in
any mix: a FlexSmsAddress next to the bridged provider's phone number, the
bridged address configuration next to a PhoneNumberMessagingConfig, and so on.
The two families say the same things under different keys (ours nest
``autoCreation``; theirs are flat ``autoCreation*``), so each policy reads a
setting through the resource type's *shape* here and never spells a key.

Reading goes through :func:`~.state.lookup`, so an unknown value still raises
``UnknownValueError`` for the policy to handle.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    TWILIO_ADDRESS_TYPE,
    TWILIO_INCOMING_NUMBER_TYPE,
    AddressKeys,
    AutoCreationKeys,
    PhoneNumberKeys,
    TwilioAddressKeys,
    TwilioIncomingNumberKeys,
)
from ..routing.vocabulary import HandlerKind
from .state import lookup, redact_url

__all__ = [
    "ADDRESS_SHAPES",
    "NUMBER_SHAPES",
    "AddressShape",
    "InboundHandler",
    "NumberShape",
    "inbound_handler",
]

Path = tuple[str, ...]
_AUTO = AddressKeys.AUTO_CREATION


@dataclass(frozen=True)
class AddressShape:
    """Where a Conversations address-configuration resource keeps its settings."""

    address: Path
    enabled: Path
    type: Path
    """The autocreation type: ``studio``, ``webhook`` or ``default``."""
    studio_flow_sid: Path
    webhook_url: Path
    webhook_filters: Path
    channel: Path | None = None
    """The address's channel (``sms``, ``whatsapp``, ...); None: always SMS."""

    def read(self, props: Mapping[str, Any], setting: str) -> Any:
        """The value of ``setting`` (a field name of this class); raises if unknown."""
        return lookup(props, *getattr(self, setting))

    def is_sms(self, props: Mapping[str, Any]) -> bool:
        """True when the address is an SMS one (the only kind a phone number's SMS reaches)."""
        if self.channel is None:
            return True
        channel = lookup(props, *self.channel)
        return isinstance(channel, str) and channel.strip().lower() == "sms"


#: Address-configuration resources by type token.
ADDRESS_SHAPES: Mapping[str, AddressShape] = {
    FLEX_SMS_ADDRESS_TYPE: AddressShape(
        address=(AddressKeys.ADDRESS,),
        enabled=(_AUTO, AutoCreationKeys.ENABLED),
        type=(_AUTO, AutoCreationKeys.TYPE),
        studio_flow_sid=(_AUTO, AutoCreationKeys.STUDIO_FLOW_SID),
        webhook_url=(_AUTO, AutoCreationKeys.WEBHOOK_URL),
        webhook_filters=(_AUTO, AutoCreationKeys.WEBHOOK_FILTERS),
    ),
    TWILIO_ADDRESS_TYPE: AddressShape(
        address=(TwilioAddressKeys.ADDRESS,),
        enabled=(TwilioAddressKeys.AUTO_CREATION_ENABLED,),
        type=(TwilioAddressKeys.AUTO_CREATION_TYPE,),
        studio_flow_sid=(TwilioAddressKeys.AUTO_CREATION_STUDIO_FLOW_SID,),
        webhook_url=(TwilioAddressKeys.AUTO_CREATION_WEBHOOK_URL,),
        webhook_filters=(TwilioAddressKeys.AUTO_CREATION_WEBHOOK_FILTERS,),
        channel=(TwilioAddressKeys.TYPE,),
    ),
}


@dataclass(frozen=True)
class NumberShape:
    """Where a resource that sets a phone number's own SMS handler keeps it."""

    phone_number: Path
    sid: Path
    sms_url: Path
    sms_application_sid: Path
    original_application_sid: Path | None = None
    """Where the TwiML app the number had before is recorded when the resource does
    not manage ``smsApplicationSid`` (ours: ``originalSettings``); None: nowhere."""
    governs: bool = False
    """True for PhoneNumberMessagingConfig: it applies the messaging settings after
    the number exists, so where it manages a number its settings are the ones
    checked (a bridged number resource's recorded ``smsUrl`` is then stale)."""


#: Resources that hold a number's own SMS handler, by type token.
NUMBER_SHAPES: Mapping[str, NumberShape] = {
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: NumberShape(
        phone_number=(PhoneNumberKeys.PHONE_NUMBER,),
        sid=(PhoneNumberKeys.PHONE_NUMBER_SID,),
        sms_url=(PhoneNumberKeys.SMS_URL,),
        sms_application_sid=(PhoneNumberKeys.SMS_APPLICATION_SID,),
        original_application_sid=(
            PhoneNumberKeys.ORIGINAL_SETTINGS,
            PhoneNumberKeys.SMS_APPLICATION_SID,
        ),
        governs=True,
    ),
    TWILIO_INCOMING_NUMBER_TYPE: NumberShape(
        phone_number=(TwilioIncomingNumberKeys.PHONE_NUMBER,),
        sid=(TwilioIncomingNumberKeys.SID,),
        sms_url=(TwilioIncomingNumberKeys.SMS_URL,),
        sms_application_sid=(TwilioIncomingNumberKeys.SMS_APPLICATION_SID,),
    ),
}


@dataclass(frozen=True)
class InboundHandler:
    """A non-blank inbound handler that a resource leaves on its number."""

    key: str
    """The state key holding it (``smsUrl`` or ``smsApplicationSid``)."""
    value: str
    managed: bool = True
    """False when the resource does not manage the key and the value is what the
    number had when it was taken over (``originalSettings``)."""

    @property
    def kind(self) -> HandlerKind:
        """The routing model's name for it: ``twiml-app`` or ``number-sms-url``."""
        if self.key == PhoneNumberKeys.SMS_APPLICATION_SID:
            return "twiml-app"
        return "number-sms-url"

    def describe(self) -> str:
        """How a message names the handler (URL credentials redacted)."""
        if self.key == PhoneNumberKeys.SMS_URL:
            return f"smsUrl = {redact_url(self.value)}"
        if self.managed:
            return f"smsApplicationSid = {self.value}, a TwiML app"
        return (
            f"the TwiML app {self.value} it had when the config took it over; "
            "the config does not manage smsApplicationSid"
        )

    def fix(self, config: str) -> str:
        """The change that blanks this handler, in the Python the user writes."""
        if self.key == PhoneNumberKeys.SMS_URL:
            return f'remove sms_url from {config} (blank, "", is its default)'
        return f'set sms_application_sid="" on {config}'


def inbound_handler(
    props: Mapping[str, Any], resource_type: str = PHONE_NUMBER_MESSAGING_CONFIG_TYPE
) -> InboundHandler | None:
    """The SMS handler a number resource leaves on its number, or None if there is none.

    A TwiML app comes first: when ``smsApplicationSid`` is set, Twilio uses the
    app's URLs instead of the number's ``smsUrl`` (as the routing model does).
    On a PhoneNumberMessagingConfig, ``smsApplicationSid`` absent means "not
    managed": the number keeps whatever app it had, which after ``pulumi up``
    is recorded in ``originalSettings``. Raises ``UnknownValueError`` if a value
    it needs is unknown.
    """
    shape = NUMBER_SHAPES[resource_type]
    app = lookup(props, *shape.sms_application_sid)
    managed = app is not None
    if not managed and shape.original_application_sid is not None:
        app = lookup(props, *shape.original_application_sid)
    if isinstance(app, str) and app.strip():
        return InboundHandler(PhoneNumberKeys.SMS_APPLICATION_SID, app.strip(), managed)
    sms_url = lookup(props, *shape.sms_url)
    if isinstance(sms_url, str) and sms_url.strip():
        return InboundHandler(PhoneNumberKeys.SMS_URL, sms_url.strip())
    return None
