"""Keep Pulumi's process-wide runtime state from leaking between tests."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pulumi
import pytest


@pytest.fixture(autouse=True)
def isolated_pulumi_config() -> Iterator[None]:
    """Each test starts with empty stack config and a usable event loop.

    Stack config is process-wide, so what a test sets is undone afterwards. Pulumi's
    mocks run on the thread's current event loop, which ``asyncio.run`` elsewhere in
    the suite leaves unset (or closed).
    """
    policy = asyncio.get_event_loop_policy()
    try:
        loop = policy.get_event_loop()
    except RuntimeError:
        loop = None
    if loop is None or loop.is_closed():
        policy.set_event_loop(policy.new_event_loop())
    saved = dict(pulumi.runtime.config.CONFIG.get())
    pulumi.runtime.set_all_config({})
    yield
    pulumi.runtime.set_all_config(saved)
