"""Type tokens and state keys: the public contract of pulumi-flex-sms.

The type token is part of every URN, and the state keys are what
``pulumi stack export``, the policy pack and users' own policies read. They are
defined here once and imported everywhere else; never rename one once released.

State keys are camelCase, like every Pulumi provider's. Nested keys are written
with a dot in documentation (``autoCreation.studioFlowSid``) and are real
nested objects in state.

FlexSmsAddress (``pulumi-python:dynamic/flexsms:FlexSmsAddress``)::

    address            str   E.164 number the configuration routes (input, replaces)
    friendlyName       str   human-readable name, <= 256 characters (input)
    addressCountry     str   ISO 3166-1 alpha-2 country (input, replaces)
    autoCreation       obj   (input)
      enabled                 bool
      type                    "webhook" | "studio" | "default"
      conversationServiceSid  str  IS...
      webhookUrl              str  https URL (secret in state if it carries credentials)
      webhookMethod           "GET" | "POST"
      webhookFilters          [str] sorted, e.g. ["onMessageAdded"]
      studioFlowSid           str  FW...
      studioRetryCount        int  0..3
    adoptExisting      bool  take over an existing configuration on create (input)
    sid                str   IG... (output)
    accountSid         str   AC... (output)
    url                str   Twilio URL of the configuration (output)
    dateCreated        str   ISO 8601 (output)
    dateUpdated        str   ISO 8601 (output)
    unconfirmed        str   present only while a create is not confirmed (its answer was
                             lost): what is unknown; the resource ID is then the address
                             until a refresh or the next `pulumi up` settles it (output)

PhoneNumberMessagingConfig (``pulumi-python:dynamic/flexsms:PhoneNumberMessagingConfig``)::

    phoneNumber        str   E.164 (input or resolved output; replaces)
    phoneNumberSid     str   PN... (input or resolved output; replaces)
    smsUrl             str   "A message comes in" URL; "" = blank (input)
    smsMethod          "GET" | "POST" (input)
    smsFallbackUrl     str   (input)
    smsFallbackMethod  "GET" | "POST" (input)
    smsApplicationSid  str   AP... TwiML app; "" = none (input)
    onDelete           "restore" | "leave" | "clear" (input)
    accountSid         str   AC... (output)
    friendlyName       str   the number's friendly name (output)
    originalSettings   obj   the messaging settings before we took the number over,
                             with the keys smsUrl, smsMethod, smsFallbackUrl,
                             smsFallbackMethod, smsApplicationSid (output)
    unconfirmed        str   present only while the settings a create sent are not
                             confirmed (Twilio's answer was lost): what is unknown; the
                             next refresh or `pulumi up` settles it (output)
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "FLEX_SMS_ADDRESS_TYPE",
    "PHONE_NUMBER_MESSAGING_CONFIG_TYPE",
    "TYPE_MODULE",
    "AddressKeys",
    "AutoCreationKeys",
    "PhoneNumberKeys",
    "SmsSettingsKeys",
    "to_python_name",
    "to_state_key",
]

#: The ``module`` every resource of this package declares.
TYPE_MODULE: Final = "flexsms"
#: Type token of :class:`pulumi_flex_sms.FlexSmsAddress`.
FLEX_SMS_ADDRESS_TYPE: Final = "pulumi-python:dynamic/flexsms:FlexSmsAddress"
#: Type token of :class:`pulumi_flex_sms.PhoneNumberMessagingConfig`.
PHONE_NUMBER_MESSAGING_CONFIG_TYPE: Final = (
    "pulumi-python:dynamic/flexsms:PhoneNumberMessagingConfig"
)


class AutoCreationKeys:
    """Keys of the nested ``autoCreation`` object of a FlexSmsAddress."""

    ENABLED: Final = "enabled"
    TYPE: Final = "type"
    CONVERSATION_SERVICE_SID: Final = "conversationServiceSid"
    WEBHOOK_URL: Final = "webhookUrl"
    WEBHOOK_METHOD: Final = "webhookMethod"
    WEBHOOK_FILTERS: Final = "webhookFilters"
    STUDIO_FLOW_SID: Final = "studioFlowSid"
    STUDIO_RETRY_COUNT: Final = "studioRetryCount"


class AddressKeys:
    """Top-level state keys of a FlexSmsAddress."""

    ADDRESS: Final = "address"
    FRIENDLY_NAME: Final = "friendlyName"
    ADDRESS_COUNTRY: Final = "addressCountry"
    AUTO_CREATION: Final = "autoCreation"
    ADOPT_EXISTING: Final = "adoptExisting"
    SID: Final = "sid"
    ACCOUNT_SID: Final = "accountSid"
    URL: Final = "url"
    DATE_CREATED: Final = "dateCreated"
    DATE_UPDATED: Final = "dateUpdated"
    UNCONFIRMED: Final = "unconfirmed"


class SmsSettingsKeys:
    """The messaging settings of a number; also the keys of ``originalSettings``."""

    SMS_URL: Final = "smsUrl"
    SMS_METHOD: Final = "smsMethod"
    SMS_FALLBACK_URL: Final = "smsFallbackUrl"
    SMS_FALLBACK_METHOD: Final = "smsFallbackMethod"
    SMS_APPLICATION_SID: Final = "smsApplicationSid"


class PhoneNumberKeys(SmsSettingsKeys):
    """Top-level state keys of a PhoneNumberMessagingConfig."""

    PHONE_NUMBER: Final = "phoneNumber"
    PHONE_NUMBER_SID: Final = "phoneNumberSid"
    ON_DELETE: Final = "onDelete"
    ACCOUNT_SID: Final = "accountSid"
    FRIENDLY_NAME: Final = "friendlyName"
    ORIGINAL_SETTINGS: Final = "originalSettings"
    UNCONFIRMED: Final = "unconfirmed"


def to_state_key(python_name: str) -> str:
    """Translate a Python keyword (``studio_flow_sid``) into its state key (``studioFlowSid``).

    Names that are already camelCase, or internal ones such as ``__provider``,
    come back unchanged.
    """
    if python_name.startswith("_") or "_" not in python_name:
        return python_name
    head, *rest = python_name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_python_name(state_key: str) -> str:
    """Translate a state key (``studioFlowSid``) into its Python name (``studio_flow_sid``)."""
    if state_key.startswith("_"):
        return state_key
    out = []
    for char in state_key:
        if char.isupper():
            out.append("_")
            out.append(char.lower())
        else:
            out.append(char)
    return "".join(out)


# -- The Terraform-bridged Twilio provider ----------------------------------------------
#
# The policy pack also reads the resources of the Terraform-bridged Twilio Pulumi
# provider (``twilio:index/...``), so a stack that mixes them with ours is checked
# as a whole. Not our contract but theirs: the tokens and camelCase keys below are
# what its generated SDK declares (``__pulumiType`` and the declared properties),
# read in nellisauction/pulumi-twilio at commit
# b4a38076f8b17f973e99a72efaac7f53af8beb0e (sdk/nodejs/*.ts; every language's SDK
# is generated from the same schema.json, bridged from twilio/terraform-provider-twilio).
# The Flex Flow resource is ``flexFlexFlowsV1`` (Terraform's twilio_flex_flex_flows_v1).

#: The bridged provider's IncomingPhoneNumber (buys or holds a number; its SMS handler).
TWILIO_INCOMING_NUMBER_TYPE: Final = (
    "twilio:index/apiAccountsIncomingPhoneNumbers:ApiAccountsIncomingPhoneNumbers"
)
#: The bridged provider's Conversations address configuration (autocreation).
TWILIO_ADDRESS_TYPE: Final = (
    "twilio:index/conversationsConfigurationAddressesV1:ConversationsConfigurationAddressesV1"
)
#: The bridged provider's "number in a Messaging Service's sender pool".
TWILIO_SERVICE_NUMBER_TYPE: Final = (
    "twilio:index/messagingServicesPhoneNumbersV1:MessagingServicesPhoneNumbersV1"
)
#: The bridged provider's Studio flow (v2: status and definition).
TWILIO_STUDIO_FLOW_TYPE: Final = "twilio:index/studioFlowsV2:StudioFlowsV2"
#: The bridged provider's legacy (Flex UI 1.x) Flex Flow.
TWILIO_FLEX_FLOW_TYPE: Final = "twilio:index/flexFlexFlowsV1:FlexFlexFlowsV1"


class TwilioIncomingNumberKeys:
    """Keys of ``ApiAccountsIncomingPhoneNumbers`` that the policies read."""

    PHONE_NUMBER: Final = "phoneNumber"
    SID: Final = "sid"
    """PN... (output)."""
    SMS_URL: Final = "smsUrl"
    SMS_APPLICATION_SID: Final = "smsApplicationSid"


class TwilioAddressKeys:
    """Keys of ``ConversationsConfigurationAddressesV1`` (flat, where ours nest autoCreation)."""

    ADDRESS: Final = "address"
    TYPE: Final = "type"
    """The channel: ``sms``, ``whatsapp``, ... (not the autocreation type)."""
    SID: Final = "sid"
    """IG... (output)."""
    AUTO_CREATION_ENABLED: Final = "autoCreationEnabled"
    AUTO_CREATION_TYPE: Final = "autoCreationType"
    AUTO_CREATION_CONVERSATION_SERVICE_SID: Final = "autoCreationConversationServiceSid"
    AUTO_CREATION_STUDIO_FLOW_SID: Final = "autoCreationStudioFlowSid"
    AUTO_CREATION_STUDIO_RETRY_COUNT: Final = "autoCreationStudioRetryCount"
    AUTO_CREATION_WEBHOOK_URL: Final = "autoCreationWebhookUrl"
    AUTO_CREATION_WEBHOOK_METHOD: Final = "autoCreationWebhookMethod"
    AUTO_CREATION_WEBHOOK_FILTERS: Final = "autoCreationWebhookFilters"


class TwilioServiceNumberKeys:
    """Keys of ``MessagingServicesPhoneNumbersV1``."""

    PHONE_NUMBER_SID: Final = "phoneNumberSid"
    SERVICE_SID: Final = "serviceSid"
    SID: Final = "sid"


class TwilioStudioFlowKeys:
    """Keys of ``StudioFlowsV2``."""

    SID: Final = "sid"
    """FW... (output)."""
    STATUS: Final = "status"
    """``draft`` or ``published``."""
    DEFINITION: Final = "definition"
    """Studio's flow definition, as JSON text."""
    FRIENDLY_NAME: Final = "friendlyName"


class TwilioFlexFlowKeys:
    """Keys of ``FlexFlexFlowsV1``."""

    SID: Final = "sid"
    """FO... (output)."""
    CHANNEL_TYPE: Final = "channelType"
    CONTACT_IDENTITY: Final = "contactIdentity"
    ENABLED: Final = "enabled"


__all__ += [
    "TWILIO_ADDRESS_TYPE",
    "TWILIO_FLEX_FLOW_TYPE",
    "TWILIO_INCOMING_NUMBER_TYPE",
    "TWILIO_SERVICE_NUMBER_TYPE",
    "TWILIO_STUDIO_FLOW_TYPE",
    "TwilioAddressKeys",
    "TwilioFlexFlowKeys",
    "TwilioIncomingNumberKeys",
    "TwilioServiceNumberKeys",
    "TwilioStudioFlowKeys",
]
