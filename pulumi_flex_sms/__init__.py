"""pulumi-flex-sms: Twilio Flex inbound-SMS routing as Pulumi resources.

The public API is re-exported here; see ``__all__``.
"""

from __future__ import annotations

from .keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE

__all__ = [
    "FLEX_SMS_ADDRESS_TYPE",
    "PHONE_NUMBER_MESSAGING_CONFIG_TYPE",
]

__version__ = "0.1.0"
