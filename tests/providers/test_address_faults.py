"""FlexSmsAddress when Twilio misbehaves: 429 with Retry-After, 503, lost answers.

Every case must end correct: one configuration in the desired state, no duplicate,
nothing created that state does not know about.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from support import auto_creation
from support.engine import ProviderError, Resource

ADDRESSES = "/conversations/v1/Configuration/Addresses"


def props(emulator: Any, **extra: Any) -> dict[str, Any]:
    return {
        "address": emulator.number.phone_number,
        "autoCreation": auto_creation.studio(emulator.flow_sid),
        **extra,
    }


def configurations(emulator: Any) -> list[Any]:
    return emulator.client().conversations.v1.address_configurations.list()


def statuses(emulator: Any, method: str, path: str) -> list[int]:
    return [r["status"] for r in emulator.requests(method=method, path=path)]


def test_create_waits_out_429_with_retry_after(emulator: Any, address: Resource) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", status=429, retry_after=1, times=2)
    address.up(props(emulator))
    assert statuses(emulator, "POST", ADDRESSES) == [429, 429, 201]
    [config] = configurations(emulator)
    assert config.sid == address.id


def test_create_through_503s_looks_before_resending(emulator: Any, address: Resource) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", status=503, times=2)
    address.up(props(emulator))
    made = [(r["method"], r["status"]) for r in emulator.requests()]
    # 503, look (404: not made), resend; 503, look, resend; created.
    assert made == [("POST", 503), ("GET", 404), ("POST", 503), ("GET", 404), ("POST", 201)]
    assert [c.sid for c in configurations(emulator)] == [address.id]


def test_create_whose_answer_is_lost_is_found_not_duplicated(
    emulator: Any, address: Resource
) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    address.up(props(emulator, friendlyName="Support"))
    posts = emulator.requests(method="POST")
    assert len(posts) == 1 and posts[0]["fault"] == "drop"
    [config] = configurations(emulator)
    assert address.id == config.sid  # the committed one is in state: no orphan
    assert address.outputs["sid"] == config.sid
    assert address.up(props(emulator, friendlyName="Support")).op == "same"


def test_update_and_delete_retry_through_5xx_and_dropped_connections(
    emulator: Any, address: Resource
) -> None:
    address.up(props(emulator))
    one = f"{ADDRESSES}/{address.id}"
    emulator.control.add_fault(one, method="POST", status=500, times=1)
    emulator.control.add_fault(one, method="POST", action="drop", times=1)
    address.up(props(emulator, friendlyName="After faults"))
    assert configurations(emulator)[0].friendly_name == "After faults"
    emulator.control.add_fault(one, method="DELETE", status=429, retry_after=0, times=1)
    emulator.control.add_fault(one, method="DELETE", action="drop", times=1)
    address.destroy()
    assert configurations(emulator) == []


def test_refresh_retries_a_slow_503(emulator: Any, address: Resource) -> None:
    address.up(props(emulator))
    emulator.control.add_fault(f"{ADDRESSES}/*", method="GET", status=503, times=1)
    assert address.refresh().op == "refresh"


def test_retry_budget_runs_out_with_a_clear_error(emulator: Any, provider_for: Any) -> None:
    from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
    from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

    process = provider_for(**{"flexsms:maxRetries": "1"})
    resource = Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "budget")
    emulator.control.add_fault(ADDRESSES, method="POST", status=429, times=5)
    with pytest.raises(ProviderError) as info:
        resource.up(props(emulator))
    assert "RateLimitedError" in info.value.message and "flexsms:maxRetries" in info.value.message
    assert statuses(emulator, "POST", ADDRESSES) == [429, 429]
    assert configurations(emulator) == []


def test_slow_twilio_past_the_timeout_is_not_a_duplicate(emulator: Any, provider_for: Any) -> None:
    from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
    from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

    process = provider_for(**{"flexsms:timeoutSeconds": "0.5"})
    resource = Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "slow")
    emulator.control.add_fault(ADDRESSES, method="POST", action="delay", seconds=1.5, times=1)
    resource.up(props(emulator))
    # The slow POST is still in flight; once it lands, Twilio refuses it as a duplicate.
    deadline = time.monotonic() + 5
    while len(emulator.requests(method="POST")) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert sorted(statuses(emulator, "POST", ADDRESSES)) == [201, 400]
    [config] = configurations(emulator)
    assert resource.id == config.sid


def test_a_lost_create_that_lands_after_the_look_is_still_ours(
    emulator: Any, provider_for: Any
) -> None:
    from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
    from pulumi_flex_sms.providers.address import FlexSmsAddressProvider

    # POST #1 is applied at 1.2 s, after the client gave up at 0.8 s and looked (404);
    # POST #2 arrives after that and is refused as a duplicate.
    process = provider_for(**{"flexsms:timeoutSeconds": "0.8"})
    resource = Resource(process, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "late")
    emulator.control.add_fault(ADDRESSES, method="POST", action="delay", seconds=1.2, times=1)
    emulator.control.add_fault(ADDRESSES, method="POST", action="delay", seconds=0.6, times=1)
    resource.up(props(emulator))
    assert [(r["method"], r["status"]) for r in emulator.requests()] == [
        ("GET", 404),
        ("POST", 201),
        ("POST", 400),
        ("GET", 200),
    ]
    [config] = configurations(emulator)
    assert resource.id == config.sid
