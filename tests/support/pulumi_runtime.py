"""Keep Pulumi's process-wide runtime config from leaking between tests."""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pytest


@pytest.fixture(autouse=True)
def isolated_pulumi_config() -> Iterator[None]:
    """Each test starts with empty stack config; what it sets is undone afterwards."""
    saved = dict(pulumi.runtime.config.CONFIG.get())
    pulumi.runtime.set_all_config({})
    yield
    pulumi.runtime.set_all_config(saved)
