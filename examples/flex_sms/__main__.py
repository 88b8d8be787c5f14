"""Route inbound SMS on a Twilio number into Flex.

Two resources, in this order:

1. ``PhoneNumberMessagingConfig`` blanks the number's own "A message comes in"
   webhook (Flex's address must be the only handler) and gives the old settings
   back on ``pulumi destroy``.
2. ``FlexSmsAddress`` creates the Conversations address configuration that
   auto-creates a conversation for each new sender and hands it to the Studio flow.

Stack config (``examples/flex_sms/Pulumi.<stack>.yaml``):

    flex-sms-example:phoneNumber             the number, E.164 (must exist in the account)
    flex-sms-example:studioFlowSid           FW... the Flex Studio flow
    flex-sms-example:conversationServiceSid  IS... optional: the Flex Conversations service
    flex-sms-example:inboundWebhook          optional, default blank: the number's own
                                             "A message comes in" URL. Anything but blank
                                             is what the policy pack rejects.

Twilio credentials come from ``twilio:accountSid`` / ``twilio:authToken`` (secret)
or the ``TWILIO_*`` environment variables; ``flexsms:twilioBaseUrl`` or
``FLEX_SMS_TWILIO_BASE_URL`` points everything at the local emulator.
"""

from __future__ import annotations

import pulumi

from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress, PhoneNumberMessagingConfig

config = pulumi.Config()
phone_number = config.require("phoneNumber")
studio_flow_sid = config.require("studioFlowSid")
conversation_service_sid = config.get("conversationServiceSid")
inbound_webhook = config.get("inboundWebhook") or ""

number = PhoneNumberMessagingConfig(
    "support-line-number",
    phone_number=phone_number,
    sms_url=inbound_webhook,  # blank: the address below is the only inbound handler
    on_delete="restore",
)

address = FlexSmsAddress(
    "support-line",
    address=phone_number,
    friendly_name="Support line",
    auto_creation=AutoCreationArgs(
        enabled=True,
        type="studio",
        studio_flow_sid=studio_flow_sid,
        studio_retry_count=3,
        conversation_service_sid=conversation_service_sid,
    ),
    # Blank the webhook first, so no message is ever handled twice.
    opts=pulumi.ResourceOptions(depends_on=[number]),
)

pulumi.export("addressSid", address.sid)
pulumi.export("address", address.address)
pulumi.export("phoneNumberSid", number.phone_number_sid)
pulumi.export("smsUrl", number.sms_url)
pulumi.export("originalSmsUrl", number.original_settings.apply(lambda s: (s or {}).get("sms_url")))
