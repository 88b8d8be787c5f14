"""Every output a provider reports is a typed, documented attribute of its resource class."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest
from support.auto_creation import studio
from support.fake_twilio_api import installed
from support.pulumi_runtime import isolated_pulumi_config  # noqa: F401 (autouse fixture)

from pulumi_flex_sms import FlexSmsAddress, PhoneNumberMessagingConfig
from pulumi_flex_sms.keys import to_python_name
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider
from pulumi_flex_sms.resources._base import OutputProperty

NUMBER = "+13115552368"


def attributes(resource: type) -> dict[str, OutputProperty[Any]]:
    return {
        name: value for name, value in vars(resource).items() if isinstance(value, OutputProperty)
    }


def reported(monkeypatch: pytest.MonkeyPatch, resource: type) -> set[str]:
    """The Python names of what the provider's create puts in state."""
    with installed(monkeypatch) as twilio:
        twilio.add_number(NUMBER, sms_url="https://legacy.example.com/sms")
        if resource is FlexSmsAddress:
            outs = (
                FlexSmsAddressProvider()
                .create({"address": NUMBER, "autoCreation": studio(), "adoptExisting": False})
                .outs
            )
        else:
            outs = (
                PhoneNumberMessagingConfigProvider()
                .create({"phoneNumber": NUMBER, "smsUrl": "", "onDelete": "restore"})
                .outs
            )
    return {to_python_name(key) for key in outs}


@pytest.mark.parametrize("resource", [FlexSmsAddress, PhoneNumberMessagingConfig])
def test_what_create_reports_is_an_attribute_with_a_docstring(
    monkeypatch: pytest.MonkeyPatch, resource: type
) -> None:
    outputs = attributes(resource)
    assert reported(monkeypatch, resource) <= set(outputs)
    for name, output in outputs.items():
        assert output.name == name and output.__doc__, name
        assert getattr(resource, name) is output  # on the class: the descriptor itself


def test_on_an_instance_an_output_is_the_engines_value() -> None:
    class Echo(pulumi.runtime.Mocks):
        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            return "IG" + "0" * 32, {**args.inputs, "sid": "IG" + "0" * 32}

        def call(self, args: Any) -> dict[str, Any]:
            return {}

    pulumi.runtime.set_mocks(Echo(), project="p", stack="s", preview=False)

    @pulumi.runtime.test
    def program() -> Any:
        address = FlexSmsAddress("a", address=NUMBER, auto_creation=studio())
        assert isinstance(address.sid, pulumi.Output)
        return pulumi.Output.all(address.sid, address.address).apply(
            lambda values: assert_equal(values, ["IG" + "0" * 32, NUMBER])
        )

    program()


def assert_equal(got: Any, want: Any) -> None:
    assert got == want
