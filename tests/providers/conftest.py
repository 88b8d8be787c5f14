"""Fixtures for the engine-protocol tests: real provider processes, configured once each.

The provider server (``python -m pulumi.dynamic``) is started the way the engine
starts it and configured with the stack config the engine would send. A process
is reused for every test with the same config (the emulator is reset between
tests by the ``emulator`` fixture), and stopped by pid at the end of the session.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from support.emulator import EmulatorHandle
from support.engine import DynamicProviderProcess, Resource
from support.pulumi_runtime import isolated_pulumi_config  # noqa: F401 (autouse fixture)

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

ProviderFactory = Callable[..., DynamicProviderProcess]
#: What makes two provider processes interchangeable: (stack config, extra environment).
ProcessKey = tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]


@pytest.fixture(scope="session")
def provider_processes() -> Iterator[dict[ProcessKey, DynamicProviderProcess]]:
    processes: dict[ProcessKey, DynamicProviderProcess] = {}
    yield processes
    for process in processes.values():
        process.stop()


@pytest.fixture
def provider_for(
    emulator: EmulatorHandle, provider_processes: dict[ProcessKey, DynamicProviderProcess]
) -> ProviderFactory:
    """``provider_for(**config)``: a provider process configured against the emulator.

    Keys are stack-config keys (``twilio:authToken``...); the defaults are the
    emulator's standard account, its base URL, and short retry waits.
    """

    def make(env: dict[str, str] | None = None, **config: str | None) -> DynamicProviderProcess:
        given: dict[str, str | None] = {
            "twilio:accountSid": emulator.account_sid,
            "twilio:authToken": emulator.auth_token,
            "flexsms:twilioBaseUrl": emulator.base_url,
            "flexsms:maxRetryWaitSeconds": "3",
            **config,
        }
        full = {k: v for k, v in given.items() if v is not None}
        key = (tuple(sorted(full.items())), tuple(sorted((env or {}).items())))
        if key not in provider_processes:
            process = DynamicProviderProcess(env=env)
            process.configure(full)
            provider_processes[key] = process
        return provider_processes[key]

    return make


@pytest.fixture
def provider(provider_for: ProviderFactory) -> DynamicProviderProcess:
    """The provider process for the standard account, via auth token."""
    return provider_for()


@pytest.fixture
def address(provider: DynamicProviderProcess, request: pytest.FixtureRequest) -> Resource:
    """A FlexSmsAddress as the engine tracks it (not created yet)."""
    return Resource(
        provider, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, request.node.name[:40]
    )


@pytest.fixture
def number_config(provider: DynamicProviderProcess, request: pytest.FixtureRequest) -> Resource:
    """A PhoneNumberMessagingConfig as the engine tracks it (not created yet)."""
    return Resource(
        provider,
        PhoneNumberMessagingConfigProvider(),
        PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
        request.node.name[:40],
    )
