"""The example stack end to end without the CLI: the program's declared inputs, fed to
the real providers over gRPC, against an emulator started with the example's seed.

Mocks capture what the program declares (in order); the engine harness then does
what `pulumi up` and `pulumi destroy` would, with credentials from the environment
as `make demo` sets them.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import start_process
from support.engine import DynamicProviderProcess, Resource
from support.example_program import EXAMPLE, SEED, declared_by_example

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

ACCOUNT = SEED["accounts"][0]
PROVIDERS = {
    FLEX_SMS_ADDRESS_TYPE: FlexSmsAddressProvider,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: PhoneNumberMessagingConfigProvider,
}


@pytest.fixture(scope="module")
def example_emulator() -> Any:
    process = start_process(["--seed", str(EXAMPLE / "seed.yaml")])
    yield process
    process.stop()


def test_up_routes_the_number_and_destroy_gives_the_webhook_back(example_emulator: Any) -> None:
    control = EmulatorControl(example_emulator.base_url)
    env = {  # what examples/flex_sms/run.sh exports
        "TWILIO_ACCOUNT_SID": ACCOUNT["sid"],
        "TWILIO_AUTH_TOKEN": ACCOUNT["auth_token"],
        "FLEX_SMS_TWILIO_BASE_URL": example_emulator.base_url,
    }
    process = DynamicProviderProcess(env=env)
    try:
        process.configure({"flex-sms-example:phoneNumber": "+13115552368"})  # no twilio:* keys
        resources = []
        for token, name, inputs in declared_by_example(preview=False):  # `pulumi up`, in order
            resource = Resource(process, PROVIDERS[token](), token, name)
            assert resource.up(inputs).op == "create"
            resources.append(resource)

        state = control.state()["accounts"][0]
        [number] = state["phone_numbers"]
        [config] = state["address_configurations"]
        assert number["sms_url"] == ""
        assert config["address"] == number["phone_number"]
        assert config["auto_creation"]["type"] == "studio"
        assert config["auto_creation"]["studio_flow_sid"] == ACCOUNT["studio_flows"][0]["sid"]

        for resource in reversed(resources):  # `pulumi destroy`
            resource.destroy()
        state = control.state()["accounts"][0]
        assert state["address_configurations"] == []
        assert state["phone_numbers"][0]["sms_url"] == ACCOUNT["phone_numbers"][0]["sms_url"]
        assert control.requests(method="DELETE", path="/api/**") == []
    finally:
        process.stop()
