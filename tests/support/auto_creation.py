"""A FlexSmsAddress's ``autoCreation`` block as the tests write it (camelCase state keys).

The keys are spelled out rather than taken from :mod:`pulumi_flex_sms.keys`: they
are a public contract, so a renamed key must fail the tests that use this block.
"""

from __future__ import annotations

from typing import Any

#: A well-formed Studio flow SID, for tests that never reach a real (or emulated) flow.
FLOW_SID = "FW" + "a" * 32


def studio(flow_sid: str = FLOW_SID, **extra: Any) -> dict[str, Any]:
    """Create a conversation for each new sender and start Studio flow ``flow_sid``.

    ``extra`` adds or overrides keys: ``studio(studioRetryCount=3)``,
    ``studio(emulator.flow_sid)``, ``studio(studioFlowSid="FW123")``.
    """
    return {"enabled": True, "type": "studio", "studioFlowSid": flow_sid, **extra}
