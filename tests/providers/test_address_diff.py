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
    ("change", "changes", "replaces", "delete_first"),
    [
        ({}, False, [], True),
        ({"adoptExisting": True}, False, [], True),
        # Same address: Twilio allows one configuration per address, so the old goes first.
        ({"addressCountry": "CA"}, True, ["addressCountry"], True),
        # Another address: made first, so a create Twilio refuses leaves the old in place.
        ({"address": "+15005550002"}, True, ["address"], False),
        (
            {"address": "+15005550002", "addressCountry": "CA"},
            True,
            ["address", "addressCountry"],
            False,
        ),
        ({"address": Unknown()}, True, ["address"], True),
        ({"friendlyName": "Support"}, True, [], True),
        ({"autoCreation": {**INPUTS["autoCreation"], "studioRetryCount": 2}}, True, [], True),
        ({"autoCreation": Unknown()}, True, [], True),
    ],
)
def test_diff(
    change: dict[str, Any], changes: bool, replaces: list[str], delete_first: bool
) -> None:
    result = FlexSmsAddressProvider().diff(OLD_OUTPUTS["sid"], OLD_OUTPUTS, {**INPUTS, **change})
    assert result.changes is changes
    assert list(result.replaces or []) == replaces
    assert result.delete_before_replace is delete_first
