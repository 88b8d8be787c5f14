"""A local Twilio emulator: the Twilio endpoints pulumi-flex-sms uses, offline.

``python -m pulumi_flex_sms.emulator`` (or ``flex-sms emulator``) runs it;
:class:`EmulatorServer` runs it in-process; :class:`EmulatorControl` drives its
control endpoints (reset, seed, faults, request journal). See docs/emulator.md.

Importing this package (or :mod:`.control`) loads no web stack: the server
modules import starlette and uvicorn, which come with the ``emulator`` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .control import EmulatorControl
    from .server import EmulatorServer

__all__ = ["EmulatorControl", "EmulatorServer"]


def __getattr__(name: str) -> Any:
    # Lazy, so that users of EmulatorControl never import starlette/uvicorn.
    if name == "EmulatorServer":
        from .server import EmulatorServer

        return EmulatorServer
    if name == "EmulatorControl":
        from .control import EmulatorControl

        return EmulatorControl
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
