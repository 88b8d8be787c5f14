"""pulumi-flex-sms: Twilio Flex inbound-SMS routing as Pulumi resources.

Import the resources from here::

    from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress

The names load lazily, so ``pulumi_flex_sms.keys``, the policy pack and the
emulator can be imported without loading Pulumi's SDK, pydantic or twilio.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .resources.address import AutoCreationArgs, FlexSmsAddress, FlexSmsAddressArgs
    from .resources.phone_number import (
        PhoneNumberMessagingConfig,
        PhoneNumberMessagingConfigArgs,
    )

_LAZY = {
    "AutoCreationArgs": ".resources.address",
    "FlexSmsAddress": ".resources.address",
    "FlexSmsAddressArgs": ".resources.address",
    "PhoneNumberMessagingConfig": ".resources.phone_number",
    "PhoneNumberMessagingConfigArgs": ".resources.phone_number",
}

__all__ = [
    "FLEX_SMS_ADDRESS_TYPE",
    "PHONE_NUMBER_MESSAGING_CONFIG_TYPE",
    "AutoCreationArgs",
    "FlexSmsAddress",
    "FlexSmsAddressArgs",
    "PhoneNumberMessagingConfig",
    "PhoneNumberMessagingConfigArgs",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'pulumi_flex_sms' has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
