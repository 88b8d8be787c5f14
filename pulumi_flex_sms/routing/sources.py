"""The public Twilio pages the routing model follows, by the notes' source keys.

Problems carry these URLs (``Problem.sources``) so a reader can check why the
model says what it says; ``docs/routing.md`` cites the same keys.
"""

from __future__ import annotations

__all__ = [
    "ADDRESS_CONFIG",
    "CONV_WH",
    "ERR",
    "FLEX_A2P",
    "FLEX_BP",
    "FLEX_FAQ",
    "FLEX_LEG",
    "FLEX_LEG_FLOWS",
    "FLEX_MIG",
    "FLEX_MS",
    "FLEX_PRE",
    "FLEX_SMS",
    "IAC",
    "MSVC",
    "MSVC_API",
    "SEND_FLEX",
    "SPEC_MSG",
    "STATES",
    "STUDIO_CONV",
    "error_page",
]

_FLEX_SETUP = "https://www.twilio.com/docs/flex/admin-guide/setup/conversations"

IAC = "https://www.twilio.com/docs/conversations/inbound-autocreation"
ADDRESS_CONFIG = "https://www.twilio.com/docs/conversations/api/address-configuration-resource"
FLEX_SMS = f"{_FLEX_SETUP}/manage-conversations-sms-addresses"
FLEX_MS = f"{_FLEX_SETUP}/configure-with-messaging-service-advanced"
FLEX_A2P = f"{_FLEX_SETUP}/a2p-10dlc"
FLEX_PRE = f"{_FLEX_SETUP}/prerequisites"
FLEX_MIG = f"{_FLEX_SETUP}/migrate-from-legacy-messaging"
FLEX_BP = "https://www.twilio.com/docs/flex/developer/conversations/best-practices"
FLEX_FAQ = "https://www.twilio.com/docs/flex/developer/conversations/faq-and-troubleshooting"
FLEX_LEG = "https://www.twilio.com/docs/flex/developer/messaging/inbound-messages-channels"
FLEX_LEG_FLOWS = "https://www.twilio.com/docs/flex/developer/messaging/manage-flows"
MSVC = "https://www.twilio.com/docs/messaging/services"
MSVC_API = "https://www.twilio.com/docs/messaging/api/service-resource"
CONV_WH = "https://www.twilio.com/docs/conversations/conversations-webhooks"
STATES = "https://www.twilio.com/docs/conversations/states-timers"
STUDIO_CONV = "https://www.twilio.com/docs/studio/tutorials/using-conversations-with-studio"
SEND_FLEX = "https://www.twilio.com/docs/studio/widget-library/send-flex"
SPEC_MSG = "https://github.com/twilio/twilio-oai/blob/main/spec/json/twilio_messaging_v1.json"
ERR = "https://www.twilio.com/docs/api/errors"


def error_page(code: int) -> str:
    """The public page of a Twilio error code, e.g. 45761."""
    return f"{ERR}/{code}"
