"""Where the provider's settings come from: stack config, then the environment."""

from __future__ import annotations

import pickle

import pytest

from pulumi_flex_sms import gateway
from pulumi_flex_sms.errors import ConfigurationError
from pulumi_flex_sms.settings import settings_from

AC = "AC" + "1" * 32
SK = "SK" + "2" * 32
TOKEN = "tok-" + "9" * 28
SECRET = "sec-" + "8" * 28


def test_stack_config_wins_over_environment_and_source_is_named() -> None:
    settings = settings_from(
        {"twilio:accountSid": AC, "twilio:authToken": TOKEN},
        {"TWILIO_ACCOUNT_SID": "AC" + "3" * 32, "TWILIO_AUTH_TOKEN": "other"},
    )
    assert settings.credentials is not None
    assert settings.credentials.account_sid == AC
    assert settings.credentials.password == TOKEN
    assert "stack config twilio:authToken" in settings.credentials.source


def test_environment_is_the_fallback() -> None:
    settings = settings_from({}, {"TWILIO_ACCOUNT_SID": AC, "TWILIO_AUTH_TOKEN": TOKEN})
    assert settings.credentials is not None
    assert settings.credentials.source == (
        "environment variable TWILIO_ACCOUNT_SID and environment variable TWILIO_AUTH_TOKEN"
    )


def test_api_key_authenticates_as_the_key_for_the_account() -> None:
    settings = settings_from(
        {"twilio:accountSid": AC, "twilio:apiKey": SK, "twilio:apiSecret": SECRET}, {}
    )
    creds = settings.credentials
    assert creds is not None
    assert (creds.username, creds.password, creds.account_sid) == (SK, SECRET, AC)


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({}, "No Twilio account SID"),
        ({"twilio:accountSid": "AC123"}, "stack config twilio:accountSid must be an account SID"),
        ({"twilio:accountSid": AC}, "no auth token"),
        ({"twilio:accountSid": AC, "twilio:apiKey": SK}, "twilio:apiSecret is not"),
        (
            {"twilio:accountSid": AC, "twilio:apiKey": "KEY", "twilio:apiSecret": SECRET},
            "API key SID",
        ),
    ],
)
def test_missing_or_malformed_credentials_wait_for_the_first_call(
    config: dict[str, str], words: str
) -> None:
    # check and diff never call Twilio, so a preview works without credentials.
    settings = settings_from(config, {})
    assert settings.credentials is None
    assert settings.credentials_problem is not None and words in settings.credentials_problem
    assert SECRET not in settings.credentials_problem
    with pytest.raises(ConfigurationError, match=words):
        gateway._build_client(settings)


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"flexsms:twilioBaseUrl": "ftp://x"}, "flexsms:twilioBaseUrl must be an http(s) base URL"),
        ({"flexsms:twilioBaseUrl": "http://u:p@x"}, "must not carry credentials"),
        ({"flexsms:maxRetries": "many"}, "flexsms:maxRetries must be a number"),
        ({"flexsms:maxRetries": "1.5"}, "must be a whole number"),
        ({"flexsms:timeoutSeconds": "0"}, "flexsms:timeoutSeconds must be a number >= 0.1"),
    ],
)
def test_bad_settings_name_the_key(config: dict[str, str], words: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        settings_from(config, {})
    assert words in str(info.value)


def test_credentials_never_pickle_or_print() -> None:
    settings = settings_from({"twilio:accountSid": AC, "twilio:authToken": TOKEN}, {})
    assert TOKEN not in repr(settings)
    with pytest.raises(TypeError):
        pickle.dumps(settings.credentials)
    with pytest.raises(TypeError):
        pickle.dumps(settings)
