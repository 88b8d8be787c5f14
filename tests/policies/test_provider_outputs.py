"""The pack against what the real providers return from the emulator, not hand-written dicts.

If a provider renamed a state key, the policies would silently stop matching; this
test makes that a failing test instead of a customer's broken pipeline.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.analyzer import PolicyPackProcess, urn
from support.auto_creation import studio
from support.emulator import STANDARD, EmulatorHandle, EmulatorProcess
from support.engine import DynamicProviderProcess, Resource

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

MAIN = "flex-sms-no-inbound-handler-with-autocreation"


@pytest.fixture(scope="module")
def provider(emulator_process: EmulatorProcess) -> Iterator[DynamicProviderProcess]:
    process = DynamicProviderProcess()
    process.configure(
        {
            "twilio:accountSid": STANDARD.account_sid,
            "twilio:authToken": STANDARD.auth_token,
            "flexsms:twilioBaseUrl": emulator_process.base_url,
        }
    )
    yield process
    process.stop()


def deploy(
    provider: DynamicProviderProcess, emulator: EmulatorHandle, sms_url: str
) -> list[Resource]:
    legacy = emulator.numbers[1]
    number = Resource(
        provider, PhoneNumberMessagingConfigProvider(), PHONE_NUMBER_MESSAGING_CONFIG_TYPE, "number"
    )
    # By SID only: the policy can pair it with the address through the resolved outputs.
    number.up({"phoneNumberSid": legacy.sid, "smsUrl": sms_url})
    address = Resource(provider, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "address")
    address.up(
        {
            "address": legacy.phone_number,
            "autoCreation": studio(emulator.flow_sid, studioRetryCount=3),
        }
    )
    return [number, address]


def entries(resources: list[Resource]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(r.urn.split("::")[-2], r.urn.split("::")[-1], r.outputs) for r in resources]


def test_real_outputs_of_a_flex_ready_stack_pass(
    emulator: EmulatorHandle, provider: DynamicProviderProcess, default_config: PolicyPackProcess
) -> None:
    resources = deploy(provider, emulator, sms_url="")
    number_outputs = resources[0].outputs
    assert "phoneNumber" in number_outputs and "smsUrl" in number_outputs  # what the policy reads
    result = default_config.analyze_stack(entries(resources))
    assert result.mandatory == [], result.diagnostics
    assert result.of(MAIN) == []


def test_real_outputs_with_a_webhook_left_on_the_number_fail(
    emulator: EmulatorHandle, provider: DynamicProviderProcess, default_config: PolicyPackProcess
) -> None:
    resources = deploy(provider, emulator, sms_url="https://legacy.example.com/sms")
    result = default_config.analyze_stack(entries(resources))
    [violation] = result.of(MAIN)
    assert violation.level == "mandatory"
    assert violation.urn == urn(PHONE_NUMBER_MESSAGING_CONFIG_TYPE, "number")
    assert "number" in violation.message and "address" in violation.message
    assert emulator.numbers[1].phone_number in violation.message


def test_real_checked_inputs_pass_the_resource_policies(
    emulator: EmulatorHandle, provider: DynamicProviderProcess, default_config: PolicyPackProcess
) -> None:
    address = Resource(provider, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "checked")
    checked, failures = address.check(
        {
            "address": "+1 500 555 0001",
            "autoCreation": {
                "enabled": True,
                "type": "webhook",
                "webhookUrl": "https://hooks.example.com/in",
                "webhookMethod": "post",
                "webhookFilters": ["onMessageAdded"],
            },
        }
    )
    assert failures == []
    result = default_config.analyze(FLEX_SMS_ADDRESS_TYPE, "checked", checked)
    assert result.mandatory == [], result.diagnostics
