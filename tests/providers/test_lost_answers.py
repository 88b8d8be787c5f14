"""Lost answers never lose a number's original settings, nor leave an address outside state.

Each case drives the real provider process over gRPC, as the engine does,
against the emulator with faults: the first ``up`` meets a lost answer (a
``drop`` that commits, then 5xx; timeouts on every try; 429 storms), then ``up``
runs again with whatever the engine would have in state after the first, then
``destroy``. Every case must end with the number's pre-Pulumi webhook back and
no address configuration left behind.

A failed Create leaves nothing in state (a Python dynamic provider cannot report
partial state: pulumi/pulumi ``sdk/python/lib/pulumi/dynamic/__main__.py`` turns
any exception into a gRPC error), so a create that may have changed Twilio must
succeed, with what it knows in state and an ``unconfirmed`` marker. Warnings reach
the user as ``warning: ...`` on the provider's stderr, which the engine streams
into the update's diagnostics (``runtrace`` in ``pkg/resource/plugin/plugin.go``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from support.engine import DynamicProviderProcess, ProviderError, Resource

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

ONE_NUMBER = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*"
ADDRESSES = "/conversations/v1/Configuration/Addresses"
ONE_ADDRESS = f"{ADDRESSES}/*"
#: Two retries, so three tries per request; waits of at most 50 ms.
FAST = {"flexsms:maxRetries": "2", "flexsms:maxRetryWaitSeconds": "0.05"}
TRIES = 3
#: Timeouts well below the emulator's delay: every try times out.
SLOW = {**FAST, "flexsms:timeoutSeconds": "0.3"}
DELAY = 1.2


class Stderr:
    """What the provider process printed since this object was made."""

    def __init__(self, process: DynamicProviderProcess):
        self.process = process
        self.mark = len(process.stderr())

    def new(self) -> str:
        return self.process.stderr()[self.mark :]


def wait_for_journal(emulator: Any, count: int, timeout: float = 10.0) -> None:
    """Let requests still held by a ``delay`` fault finish before the next step."""
    deadline = time.monotonic() + timeout
    while len(emulator.requests()) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(emulator.requests()) >= count, emulator.requests()


def journal(emulator: Any) -> list[tuple[str, int, str | None]]:
    return [(r["method"], r["status"], r["fault"]) for r in emulator.requests()]


@pytest.fixture
def make(provider_for: Any, request: pytest.FixtureRequest) -> Callable[..., Resource]:
    def resource(kind: str, config: dict[str, str] = FAST) -> Resource:
        process = provider_for(**config)
        if kind == "number":
            provider: Any = PhoneNumberMessagingConfigProvider()
            token = PHONE_NUMBER_MESSAGING_CONFIG_TYPE
        else:
            provider, token = FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE
        return Resource(process, provider, token, request.node.name[:40])

    return resource


def sms_url(emulator: Any, sid: str) -> str:
    return emulator.client().incoming_phone_numbers(sid).fetch().sms_url


def configurations(emulator: Any) -> list[Any]:
    return emulator.client().conversations.v1.address_configurations.list()


# --- PhoneNumberMessagingConfig -----------------------------------------------------------


def test_drop_then_5xx_everywhere_keeps_the_original_settings(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    legacy = emulator.numbers[1]
    config = make("number")
    stderr = Stderr(config.process)
    # The update is applied and its answer dropped; every retry and the look-up get 503.
    emulator.control.add_fault(ONE_NUMBER, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_NUMBER, status=503, times=(TRIES - 1) + TRIES)

    assert config.up({"phoneNumber": legacy.phone_number}).op == "create"

    assert journal(emulator)[1:] == [
        ("POST", 200, "drop"),
        *[("POST", 503, "error")] * (TRIES - 1),
        *[("GET", 503, "error")] * TRIES,
    ]
    assert config.id == legacy.sid
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    marker = config.outputs["unconfirmed"]
    assert "3 attempts (2 retries): a dropped connection, then HTTP 503 twice" in marker
    warning = stderr.new()
    assert f"warning: PhoneNumberMessagingConfig {legacy.phone_number} ({legacy.sid})" in warning
    assert "not confirmed" in warning and "originalSettings" in warning
    assert emulator.auth_token not in warning

    # The next `pulumi up` sees the marker as a change and applies the settings again.
    emulator.control.clear_requests()
    assert config.up({"phoneNumber": legacy.phone_number}).op == "update"
    assert [(r["method"], r["form"]) for r in emulator.requests()] == [("POST", {"SmsUrl": ""})]
    assert "unconfirmed" not in config.outputs
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    assert config.up({"phoneNumber": legacy.phone_number}).op == "same"

    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


def test_refresh_settles_an_unconfirmed_create(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    legacy = emulator.numbers[1]
    config = make("number")
    # Nothing reaches the number: 503 to every try of the update and of the look-up.
    emulator.control.add_fault(ONE_NUMBER, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_NUMBER, status=503, times=(TRIES - 1) + TRIES)
    config.up({"phoneNumber": legacy.phone_number})
    assert "unconfirmed" in config.outputs

    assert config.refresh().op == "refresh"
    assert "unconfirmed" not in config.outputs
    assert config.outputs["smsUrl"] == ""  # the dropped update was applied: the truth
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    assert config.up({"phoneNumber": legacy.phone_number}).op == "same"
    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


def test_timeouts_on_every_try_keep_the_original_settings(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    legacy = emulator.numbers[1]
    config = make("number", SLOW)
    stderr = Stderr(config.process)
    # Every try of the update and of the look-up outlasts the timeout; Twilio still
    # applies each update once its delay is over.
    emulator.control.add_fault(ONE_NUMBER, action="delay", seconds=DELAY, times=2 * TRIES)

    assert config.up({"phoneNumber": legacy.phone_number}).op == "create"

    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    marker = config.outputs["unconfirmed"]
    assert "no answer within 0.3 s 3 times" in marker and "a look-up failed too" in marker
    assert "not confirmed" in stderr.new()
    wait_for_journal(emulator, 1 + 2 * TRIES)
    assert sms_url(emulator, legacy.sid) == ""  # the slow updates did land

    assert config.up({"phoneNumber": legacy.phone_number}).op == "update"
    assert "unconfirmed" not in config.outputs
    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


@pytest.mark.parametrize(
    ("retry_after", "account"),
    [
        pytest.param(0, "3 attempts (2 retries): HTTP 429 3 times", id="budget-spent"),
        pytest.param(600, "1 attempt, no retry: HTTP 429", id="retry-after-beyond-cap"),
    ],
)
def test_a_429_storm_changes_nothing_and_the_next_up_records_the_truth(
    emulator: Any, make: Callable[..., Resource], retry_after: int, account: str
) -> None:
    legacy = emulator.numbers[1]
    config = make("number")
    emulator.control.add_fault(
        ONE_NUMBER, method="POST", status=429, retry_after=retry_after, times=TRIES
    )

    with pytest.raises(ProviderError) as info:
        config.up({"phoneNumber": legacy.phone_number})

    # Twilio does not process a request it answers 429: failing loses nothing.
    message = info.value.message
    assert "RateLimitedError" in message and account in message
    assert "Nothing was changed" in message and "may or may not" not in message
    assert config.id is None
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url

    emulator.control.clear_faults()
    assert config.up({"phoneNumber": legacy.phone_number}).op == "create"
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    assert "unconfirmed" not in config.outputs
    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


def test_a_drop_then_a_429_storm_is_settled_by_the_look_up(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    legacy = emulator.numbers[1]
    config = make("number")
    emulator.control.add_fault(ONE_NUMBER, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_NUMBER, method="POST", status=429, times=TRIES - 1)

    config.up({"phoneNumber": legacy.phone_number})

    # The 429s changed nothing, but the dropped try did; one look-up confirms it.
    assert journal(emulator)[-1] == ("GET", 200, None)
    assert "unconfirmed" not in config.outputs
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    assert config.up({"phoneNumber": legacy.phone_number}).op == "same"
    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


def test_5xx_to_every_try_and_a_look_up_that_finds_nothing_applied_fails_plainly(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    legacy = emulator.numbers[1]
    config = make("number")
    emulator.control.add_fault(ONE_NUMBER, method="POST", status=503, times=TRIES)

    with pytest.raises(ProviderError) as info:
        config.up({"phoneNumber": legacy.phone_number})

    message = info.value.message
    assert "ServerError" in message and "3 attempts (2 retries): HTTP 503 3 times" in message
    assert "found them unchanged: nothing was changed" in message
    assert "may or may not" not in message
    assert config.up({"phoneNumber": legacy.phone_number}).op == "create"
    assert config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url
    config.destroy()
    assert sms_url(emulator, legacy.sid) == emulator.legacy_sms_url


# --- FlexSmsAddress -----------------------------------------------------------------------


def address_props(emulator: Any, **extra: Any) -> dict[str, Any]:
    return {
        "address": emulator.number.phone_number,
        "autoCreation": {"enabled": True, "type": "studio", "studioFlowSid": emulator.flow_sid},
        **extra,
    }


def test_address_drop_then_failed_look_ups_is_kept_in_state_and_settled(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address")
    stderr = Stderr(address.process)
    number = emulator.number.phone_number
    emulator.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", status=503, times=TRIES)

    assert address.up(address_props(emulator)).op == "create"

    [made] = configurations(emulator)  # the dropped POST was applied
    assert address.id == number  # provisional: Twilio accepts the address as the ID
    assert "sid" not in address.outputs
    assert "the look-up that followed failed" in address.outputs["unconfirmed"]
    warning = stderr.new()
    assert f"warning: FlexSmsAddress {number}: the create was sent but is not confirmed" in warning
    assert emulator.auth_token not in warning

    # The next `pulumi up` finds it at the address and records its SID; no new POST.
    emulator.control.clear_requests()
    assert address.up(address_props(emulator)).op == "update"
    assert [r["method"] for r in emulator.requests()] == ["GET"]
    assert address.outputs["sid"] == made.sid and "unconfirmed" not in address.outputs
    assert address.up(address_props(emulator)).op == "same"

    address.destroy()
    assert configurations(emulator) == []


def test_address_refresh_records_the_real_sid(emulator: Any, make: Callable[..., Resource]) -> None:
    address = make("address")
    emulator.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", status=503, times=TRIES)
    address.up(address_props(emulator))
    [made] = configurations(emulator)

    assert address.refresh().op == "refresh"
    assert address.id == made.sid and address.outputs["sid"] == made.sid
    assert "unconfirmed" not in address.outputs
    assert address.up(address_props(emulator)).op == "same"
    address.destroy()
    assert configurations(emulator) == []


def test_address_timeouts_on_every_try_leave_no_orphan(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address", SLOW)
    # The POST times out (and lands later); every try of the look-up times out too.
    emulator.control.add_fault(ADDRESSES, method="POST", action="delay", seconds=DELAY, times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", action="delay", seconds=DELAY, times=3)

    assert address.up(address_props(emulator)).op == "create"
    assert "no answer within 0.3 s" in address.outputs["unconfirmed"]
    wait_for_journal(emulator, 1 + TRIES)
    [made] = configurations(emulator)

    assert address.up(address_props(emulator)).op == "update"
    assert address.outputs["sid"] == made.sid and "unconfirmed" not in address.outputs
    address.destroy()
    assert configurations(emulator) == []


def test_address_lost_create_that_never_landed_is_made_by_the_next_up(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address")
    # 503 to the POST (not applied), then 503 to every try of the look-up.
    emulator.control.add_fault(ADDRESSES, method="POST", status=503, times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", status=503, times=TRIES)
    address.up(address_props(emulator))
    assert "unconfirmed" in address.outputs and configurations(emulator) == []

    assert address.up(address_props(emulator)).op == "update"
    [made] = configurations(emulator)
    assert address.outputs["sid"] == made.sid and "unconfirmed" not in address.outputs
    address.destroy()
    assert configurations(emulator) == []


def lose_the_create(emulator: Any, address: Resource) -> None:
    """A create whose POST got 503 (not applied) and whose look-ups all failed."""
    emulator.control.add_fault(ADDRESSES, method="POST", status=503, times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", status=503, times=TRIES)
    address.up(address_props(emulator))
    assert "unconfirmed" in address.outputs


def test_address_unconfirmed_never_claims_someone_elses_configuration(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address")
    lose_the_create(emulator, address)
    # Meanwhile someone makes a different configuration at the address in the Console.
    theirs = emulator.client().conversations.v1.address_configurations.create(
        type="sms", address=emulator.number.phone_number, friendly_name="Theirs"
    )

    with pytest.raises(ProviderError) as info:
        address.up(address_props(emulator))
    assert "ConflictError" in info.value.message and theirs.sid in info.value.message
    assert "not confirmed" in info.value.message
    address.destroy()  # what is in state is not theirs: nothing is deleted
    assert [c.sid for c in configurations(emulator)] == [theirs.sid]

    lose_the_create(emulator, address)
    assert address.refresh().op == "gone"  # dropped from state, not claimed
    assert [c.sid for c in configurations(emulator)] == [theirs.sid]


@pytest.mark.parametrize(
    ("retry_after", "account"),
    [
        pytest.param(0, "3 attempts (2 retries): HTTP 429 3 times", id="budget-spent"),
        pytest.param(600, "1 attempt, no retry: HTTP 429", id="retry-after-beyond-cap"),
    ],
)
def test_address_429_storm_creates_nothing_and_says_so(
    emulator: Any, make: Callable[..., Resource], retry_after: int, account: str
) -> None:
    address = make("address")
    emulator.control.add_fault(
        ADDRESSES, method="POST", status=429, retry_after=retry_after, times=TRIES
    )
    with pytest.raises(ProviderError) as info:
        address.up(address_props(emulator))
    message = info.value.message
    assert "RateLimitedError" in message and account in message
    assert "Nothing was changed" in message and "may or may not" not in message
    assert configurations(emulator) == []

    emulator.control.clear_faults()
    address.up(address_props(emulator))
    address.destroy()
    assert configurations(emulator) == []


def test_address_drop_then_a_429_storm_on_the_look_up_is_kept_in_state(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address")
    emulator.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    emulator.control.add_fault(ONE_ADDRESS, method="GET", status=429, times=TRIES)
    address.up(address_props(emulator))
    assert "HTTP 429 3 times" in address.outputs["unconfirmed"]

    address.up(address_props(emulator))
    [made] = configurations(emulator)
    assert address.outputs["sid"] == made.sid
    address.destroy()
    assert configurations(emulator) == []


def test_address_5xx_to_every_try_with_look_ups_finding_nothing_says_none_was_created(
    emulator: Any, make: Callable[..., Resource]
) -> None:
    address = make("address")
    emulator.control.add_fault(ADDRESSES, method="POST", status=503, times=TRIES)
    with pytest.raises(ProviderError) as info:
        address.up(address_props(emulator))
    message = info.value.message
    assert "ServerError" in message and "all 3 tries" in message
    assert "found no configuration" in message and "none was created" in message
    assert "may or may not" not in message
    assert [r["method"] for r in emulator.requests()] == ["POST", "GET"] * TRIES

    address.up(address_props(emulator))
    address.destroy()
    assert configurations(emulator) == []
