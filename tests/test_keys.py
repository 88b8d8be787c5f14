import pytest

from pulumi_flex_sms import keys


@pytest.mark.parametrize(
    ("python_name", "state_key"),
    [
        ("studio_flow_sid", "studioFlowSid"),
        ("address", "address"),
        ("sms_fallback_url", "smsFallbackUrl"),
        ("original_settings", "originalSettings"),
    ],
)
def test_python_names_and_state_keys_round_trip(python_name: str, state_key: str) -> None:
    assert keys.to_state_key(python_name) == state_key
    assert keys.to_python_name(state_key) == python_name


def test_internal_and_camel_keys_pass_through() -> None:
    assert keys.to_state_key("__provider") == "__provider"
    assert keys.to_state_key("studioFlowSid") == "studioFlowSid"


def test_type_tokens_are_the_released_contract() -> None:
    assert keys.FLEX_SMS_ADDRESS_TYPE == "pulumi-python:dynamic/flexsms:FlexSmsAddress"
    assert (
        keys.PHONE_NUMBER_MESSAGING_CONFIG_TYPE
        == "pulumi-python:dynamic/flexsms:PhoneNumberMessagingConfig"
    )
