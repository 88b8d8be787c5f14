"""A test toolkit for code that talks to Twilio: the emulator, in a test's hands.

* The pytest plugin (loaded by the ``pytest11`` entry point wherever the package
  is installed) gives tests the ``twilio_emulator`` fixture and the
  ``twilio_seed`` marker: see :mod:`.plugin`.
* :func:`emulated_twilio` runs an emulator inside the process, as a context
  manager or a decorator, with no port: see :mod:`.inprocess`.

Both hand out a :class:`TwilioEmulator`. They need the ``testing`` extra
(``pip install 'pulumi-flex-sms[testing]'``); importing this package does not,
and loads nothing heavy: the names resolve on first use. See docs/testing.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .handle import NotEmulatedError, SeedError, TwilioEmulator
    from .inprocess import EmulatedTwilio, emulated_twilio

__all__ = ["EmulatedTwilio", "NotEmulatedError", "SeedError", "TwilioEmulator", "emulated_twilio"]

_LAZY = {
    "EmulatedTwilio": ".inprocess",
    "emulated_twilio": ".inprocess",
    "NotEmulatedError": ".handle",
    "SeedError": ".handle",
    "TwilioEmulator": ".handle",
}


def __getattr__(name: str) -> Any:
    # Lazy, so that the plugin's import (every pytest run) does not load twilio or starlette.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module, __name__), name)
