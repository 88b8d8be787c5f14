"""pulumi-flex-sms: Twilio Flex inbound-SMS routing as Pulumi resources.

Import the resources from here::

    from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress

The names load lazily, so ``pulumi_flex_sms.keys``, the policy pack and the
emulator can be imported without loading Pulumi's SDK, pydantic or twilio.

``__version__`` is the installed distribution's version: ``pyproject.toml`` is
its one source (the ready pack's ``PulumiPolicy.yaml`` is checked against it).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE

_DISTRIBUTION = "pulumi-flex-sms"

if TYPE_CHECKING:
    __version__: str
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


def _installed_version() -> str:
    # importlib.metadata costs more to import than this whole package: load it on demand.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(_DISTRIBUTION)
    except PackageNotFoundError:  # a source tree on sys.path that was never installed
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _installed_version()
    else:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module 'pulumi_flex_sms' has no attribute {name!r}")
        value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__) | {"__version__"})
