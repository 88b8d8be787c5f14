"""FlexSmsAddressProvider.diff on its own: what replaces, what updates, what is no change."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.output import Unknown

from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

FLOW = "FW" + "e" * 32
OLD_OUTPUTS: dict[str, Any] = {
    "address": "+15005550001",
    "addressCountry": "US",
    "autoCreation": {"enabled": True, "type": "studio", "studioFlowSid": FLOW},
    "adoptExisting": False,
    "sid": "IG" + "0" * 32,
    "accountSid": "AC" + "1" * 32,
    "url": "http://127.0.0.1/conversations/v1/Configuration/Addresses/IG0",
    "dateCreated": "2026-01-01T00:00:00Z",
    "dateUpdated": "2026-01-01T00:00:00Z",
}
INPUTS = {k: OLD_OUTPUTS[k] for k in ("address", "addressCountry", "autoCreation", "adoptExisting")}


@pytest.mark.parametrize(
    ("change", "changes", "replaces"),
    [
        ({}, False, []),
        ({"adoptExisting": True}, False, []),
        ({"addressCountry": "CA"}, True, ["addressCountry"]),
        ({"address": "+15005550002"}, True, ["address"]),
        ({"address": Unknown()}, True, ["address"]),
        ({"friendlyName": "Support"}, True, []),
        ({"autoCreation": {**INPUTS["autoCreation"], "studioRetryCount": 2}}, True, []),
        ({"autoCreation": Unknown()}, True, []),
    ],
)
def test_diff(change: dict[str, Any], changes: bool, replaces: list[str]) -> None:
    result = FlexSmsAddressProvider().diff(OLD_OUTPUTS["sid"], OLD_OUTPUTS, {**INPUTS, **change})
    assert result.changes is changes
    assert list(result.replaces or []) == replaces
    assert result.delete_before_replace is True
