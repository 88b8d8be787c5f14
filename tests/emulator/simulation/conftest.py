"""Fixtures for the simulation tests: a Flex-ready number, a webhook receiver, a simulate call."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.emulator import EmulatorHandle
from support.receiver import WebhookReceiver
from support.simulation import CUSTOMER, Simulate, flex_seed


@pytest.fixture
def flex(emulator: EmulatorHandle) -> dict[str, Any]:
    return flex_seed(emulator)


@pytest.fixture
def hooks(emulator: EmulatorHandle) -> Iterator[WebhookReceiver]:
    """A receiver on a free loopback port that checks signatures with the account's token."""
    with WebhookReceiver(emulator.auth_token) as receiver:
        yield receiver


@pytest.fixture
def simulate(emulator: EmulatorHandle) -> Simulate:
    """``simulate(to, sender=CUSTOMER, body="hello", mode="parallel")``: the emulator's trace."""

    def send(
        to: str, sender: str = CUSTOMER, body: str = "hello", mode: str = "parallel"
    ) -> dict[str, Any]:
        return emulator.control.simulate_inbound_sms(sender, to, body, number_webhook_mode=mode)

    return send
