"""No credential in the pickled provider, outputs, logs or errors; the pickle is a reference."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import pytest
from pulumi.dynamic.dynamic import serialize_provider
from support.engine import Resource, walk

from pulumi_flex_sms import gateway
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

PROVIDERS = [FlexSmsAddressProvider, PhoneNumberMessagingConfigProvider]


@pytest.mark.parametrize("provider_class", PROVIDERS)
def test_pickle_is_a_small_reference_without_code_or_state(
    provider_class: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "tok-" + "5" * 28
    monkeypatch.setattr(gateway, "_settings", None)
    provider = provider_class()
    # Even a configured provider with something hung on it pickles to the bare reference.
    gateway.configure({"twilio:accountSid": "AC" + "1" * 32, "twilio:authToken": token}, {})
    provider.stray_token = token
    blob = base64.b64decode(serialize_provider(provider))
    assert len(blob) < 160, len(blob)
    assert provider_class.__module__.encode() in blob
    assert provider_class.__name__.encode() in blob
    assert b"_create_code" not in blob and b"_create_function" not in blob  # not by value
    assert token.encode() not in blob
    assert provider_class.serialize_as_secret_always is False


def test_credentials_do_not_reach_outputs_logs_or_errors(
    emulator: Any, provider: Any, address: Resource, number_config: Resource
) -> None:
    secrets = [emulator.auth_token, emulator.api_key_secret]
    address.up(
        {
            "address": emulator.number.phone_number,
            "friendlyName": "Support",
            "autoCreation": {"enabled": True, "type": "studio", "studioFlowSid": emulator.flow_sid},
        }
    )
    address.refresh()
    number_config.up({"phoneNumber": emulator.number.phone_number})
    number_config.refresh()
    bags = [address.inputs, address.outputs, number_config.inputs, number_config.outputs]
    for bag in bags:
        for value in walk(bag):
            for secret in secrets:
                assert secret not in str(value)
    assert all(secret not in provider.stderr() for secret in secrets)


class _Recorder(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.inputs[args.name] = args.inputs
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(pulumi.runtime.rpc._special_sig_key) == (
        pulumi.runtime.rpc._special_secret_sig
    )


@pulumi.runtime.test
def test_webhook_url_with_credentials_is_secret_in_state() -> pulumi.Output[Any]:
    from pulumi_flex_sms import AutoCreationArgs, FlexSmsAddress

    mocks = _Recorder()
    pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=False)
    with_creds = FlexSmsAddress(
        "with-creds",
        address="+15005550001",
        auto_creation=AutoCreationArgs(
            enabled=True, type="webhook", webhook_url="https://bot:hunter2@hooks.example.com/in"
        ),
    )
    as_dict = FlexSmsAddress(
        "as-dict",
        address="+15005550002",
        auto_creation={"enabled": True, "type": "webhook", "webhook_url": "https://u:p@x.example"},
    )
    plain = FlexSmsAddress(
        "plain",
        address="+15005550003",
        auto_creation={"enabled": True, "type": "webhook", "webhook_url": "https://x.example/in"},
    )

    def verify(_: Any) -> None:
        assert _is_secret(mocks.inputs["with-creds"]["autoCreation"])
        assert _is_secret(mocks.inputs["as-dict"]["autoCreation"])
        assert not _is_secret(mocks.inputs["plain"]["autoCreation"])
        assert mocks.inputs["plain"]["autoCreation"]["webhookUrl"] == "https://x.example/in"
        # The provider pickle holds nothing secret, so it is not encrypted needlessly.
        for name in ("with-creds", "plain"):
            assert isinstance(mocks.inputs[name]["__provider"], str)

    return pulumi.Output.all(with_creds.urn, as_dict.urn, plain.urn).apply(verify)


@pytest.mark.parametrize(
    ("cls", "token"),
    [
        ("FlexSmsAddress", FLEX_SMS_ADDRESS_TYPE),
        ("PhoneNumberMessagingConfig", PHONE_NUMBER_MESSAGING_CONFIG_TYPE),
    ],
)
def test_type_tokens_are_declared_by_the_classes(cls: str, token: str) -> None:
    import pulumi_flex_sms

    assert f"pulumi-python:{getattr(pulumi_flex_sms, cls)._resource_type_name}" == token


class _RecordingMonitor(pulumi.runtime.mocks.MockMonitor):
    """The mock monitor, keeping each RegisterResource request (with its options)."""

    def __init__(self, mocks: pulumi.runtime.Mocks) -> None:
        super().__init__(mocks)
        self.requests: dict[str, Any] = {}

    def RegisterResource(self, request: Any) -> Any:
        self.requests[request.name] = request
        return super().RegisterResource(request)


@pulumi.runtime.test
def test_number_urls_with_credentials_and_recorded_settings_are_secret() -> pulumi.Output[Any]:
    from pulumi_flex_sms import PhoneNumberMessagingConfig

    mocks = _Recorder()
    monitor = _RecordingMonitor(mocks)
    pulumi.runtime.set_mocks(mocks, project="p", stack="s", preview=False, monitor=monitor)
    with_creds = PhoneNumberMessagingConfig(
        "with-creds",
        phone_number="+15005550001",
        sms_url="https://bot:hunter2@hooks.example.com/sms",
        sms_fallback_url="https://bot:hunter2@hooks.example.com/fallback",
        preflight=False,
    )
    plain = PhoneNumberMessagingConfig(
        "plain",
        phone_number="+15005550002",
        opts=pulumi.ResourceOptions(additional_secret_outputs=["friendly_name"]),
        preflight=False,
    )

    def verify(_: Any) -> None:
        creds = mocks.inputs["with-creds"]
        assert _is_secret(creds["smsUrl"]) and _is_secret(creds["smsFallbackUrl"])
        assert list(monitor.requests["with-creds"].additionalSecretOutputs) == ["originalSettings"]
        # The user's own secret outputs are kept next to ours.
        assert set(monitor.requests["plain"].additionalSecretOutputs) == {
            "friendlyName",
            "originalSettings",
        }

    return pulumi.Output.all(with_creds.urn, plain.urn).apply(verify)


def test_refresh_masks_credentials_set_outside_pulumi(
    emulator: Any, address: Resource, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    leaked = "https://someone:hunter2@hooks.example.com/x"
    address_props = {
        "address": legacy.phone_number,
        "autoCreation": {"enabled": True, "type": "webhook", "webhookUrl": "https://a.example/in"},
    }
    address.up(address_props)
    number_config.up({"phoneNumber": legacy.phone_number})
    client = emulator.client()
    client.conversations.v1.address_configurations(address.id).update(
        auto_creation_webhook_url=leaked
    )
    client.incoming_phone_numbers(legacy.sid).update(sms_url=leaked)
    address.refresh()
    number_config.refresh()
    masked = "https://***:***@hooks.example.com/x"
    assert address.outputs["autoCreation"]["webhookUrl"] == masked
    assert number_config.outputs["smsUrl"] == masked
    for bag in (address.inputs, address.outputs, number_config.inputs, number_config.outputs):
        assert all("hunter2" not in str(value) for value in walk(bag))
    # The drift still shows, and up puts the program's values back.
    assert address.up(address_props).op == "update"
    assert number_config.up({"phoneNumber": legacy.phone_number}).op == "update"
    assert client.incoming_phone_numbers(legacy.sid).fetch().sms_url == ""
