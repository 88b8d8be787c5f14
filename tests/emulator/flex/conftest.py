"""Flex tests validate every response against ``twilio_flex_v1.json``: an older spec
copy without it cannot check them, so they skip (saying which file)."""

from __future__ import annotations

import pytest
from support.openapi import spec_validator


@pytest.fixture(autouse=True)
def _flex_spec_present() -> None:
    validator = spec_validator()
    reason = validator.missing_domain_reason("flex-api") if validator else None
    if reason:
        pytest.skip(reason)
