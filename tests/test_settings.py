"""Where the provider's settings come from: stack config, then the environment."""

from __future__ import annotations

import pickle

import pytest

from pulumi_flex_sms import gateway
from pulumi_flex_sms import settings as settings_module
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


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        ("flexsms:timeoutSeconds", "nan"),
        ("flexsms:timeoutSeconds", "inf"),
        ("flexsms:timeoutSeconds", "1e400"),  # float() makes it infinity
        ("flexsms:timeoutSeconds", "86400"),
        ("flexsms:maxRetries", "nan"),  # int(nan) raised ValueError
        ("flexsms:maxRetries", "1e400"),  # int(inf) raised OverflowError
        ("flexsms:maxRetries", "-1"),
        ("flexsms:maxRetries", "1000000"),
        ("flexsms:maxRetries", True),
        ("flexsms:maxRetryWaitSeconds", "nan"),
        ("flexsms:maxRetryWaitSeconds", "-inf"),
        ("flexsms:maxRetryWaitSeconds", "-0.5"),
        ("flexsms:maxRetryWaitSeconds", "1e400"),
    ],
)
def test_numbers_out_of_range_are_a_configuration_error_naming_the_key(
    key: str, raw: object
) -> None:
    with pytest.raises(ConfigurationError) as info:
        settings_from({key: raw}, {})
    assert f"stack config {key} must be" in str(info.value)


def test_environment_numbers_are_checked_the_same_way() -> None:
    with pytest.raises(ConfigurationError, match="environment variable FLEX_SMS_MAX_RETRIES"):
        settings_from({}, {"FLEX_SMS_MAX_RETRIES": "NaN"})


def test_numbers_in_range_still_work() -> None:
    settings = settings_from(
        {
            "flexsms:timeoutSeconds": "600",
            "flexsms:maxRetries": "20.0",
            "flexsms:maxRetryWaitSeconds": "0",
        },
        {},
    )
    assert (settings.timeout_seconds, settings.max_retries) == (600, 20)
    assert settings.max_retry_wait_seconds == 0


@pytest.mark.parametrize(
    "raw",
    [
        "ftp://u:hunter2@twilio.example",
        "http://u:hunter2@twilio.example?x",
        "http://u:hunter2@[::1",  # does not parse
        '["https://u:hunter2@twilio.example"]',  # structured config arrives as JSON text
        ["https://u:hunter2@twilio.example"],
        {"url": "https://u:hunter2@twilio.example"},
    ],
)
def test_a_malformed_base_url_never_echoes_its_password(raw: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        settings_from({"flexsms:twilioBaseUrl": raw}, {})
    message = str(info.value)
    assert "flexsms:twilioBaseUrl must" in message
    assert "hunter2" not in message


@pytest.mark.parametrize(
    "raw",
    [
        "http://127.0.0.1:99999",  # port out of range: failed on the first request
        "http://127.0.0.1:port",
        "http://:8717",  # no host
        "http://127.0.0.1:8717\n",  # urlsplit drops the newline; the client would not
        "http://127.0.0.1:8717/\x00",
        "http://[::1",
    ],
)
def test_a_base_url_that_cannot_work_is_refused_at_once(raw: str) -> None:
    with pytest.raises(ConfigurationError, match="flexsms:twilioBaseUrl must be an http"):
        settings_from({"flexsms:twilioBaseUrl": raw}, {})


def test_long_values_are_cut_in_messages() -> None:
    from pulumi_flex_sms.identifiers import MESSAGE_LIMIT

    for key in ("flexsms:twilioBaseUrl", "flexsms:maxRetries"):
        with pytest.raises(ConfigurationError) as info:
            settings_from({key: "x" * 100_000}, {})
        assert len(str(info.value)) < MESSAGE_LIMIT + 100


@pytest.mark.parametrize(
    ("config", "words"),
    [
        (
            {"twilio:accountSid": AC + "\n", "twilio:authToken": TOKEN},
            "twilio:accountSid must be an account SID like AC followed by 32 hex digits (it has "
            "spaces or line breaks",
        ),
        (
            {"twilio:accountSid": "AC" + "\uff11" * 32, "twilio:authToken": TOKEN},
            "twilio:accountSid must be an account SID",
        ),
        (
            {"twilio:accountSid": AC, "twilio:apiKey": SK + "\n", "twilio:apiSecret": SECRET},
            "twilio:apiKey must be an API key SID like SK followed by 32 hex digits (it has",
        ),
    ],
    ids=["account sid + newline", "full-width digits", "api key + newline"],
)
def test_sids_are_exact(config: dict[str, str], words: str) -> None:
    # re's '$' matched before a trailing newline, which then went into the request URL.
    settings = settings_from(config, {})
    assert settings.credentials is None
    assert settings.credentials_problem is not None
    assert words in settings.credentials_problem


def test_every_config_key_is_read_from_its_stack_key_and_its_environment_variable() -> None:
    # The keys are a public contract: spelled out here, not taken from the module.
    contract = {
        "twilio:accountSid": "TWILIO_ACCOUNT_SID",
        "twilio:authToken": "TWILIO_AUTH_TOKEN",
        "twilio:apiKey": "TWILIO_API_KEY",
        "twilio:apiSecret": "TWILIO_API_SECRET",
        "flexsms:twilioBaseUrl": "FLEX_SMS_TWILIO_BASE_URL",
        "flexsms:timeoutSeconds": "FLEX_SMS_TIMEOUT_SECONDS",
        "flexsms:maxRetries": "FLEX_SMS_MAX_RETRIES",
        "flexsms:maxRetryWaitSeconds": "FLEX_SMS_MAX_RETRY_WAIT_SECONDS",
    }
    assert {key.key: key.env for key in settings_module.CONFIG_KEYS} == contract
    for key in settings_module.CONFIG_KEYS:
        assert f"``{key.key}``" in (settings_module.__doc__ or "")
        assert f"``{key.env}``" in (settings_module.__doc__ or "")
    # The preflight reads the credentials as secrets, as the engine hands them to providers.
    assert {k.key for k in settings_module.CONNECTION_KEYS if k.secret} == {
        "twilio:authToken",
        "twilio:apiSecret",
    }
    numbers = {key: env for key, env in contract.items() if key.startswith("flexsms:max")}
    numbers["flexsms:timeoutSeconds"] = contract["flexsms:timeoutSeconds"]
    by_config = settings_from(dict.fromkeys(numbers, "7"), {})
    by_env = settings_from(None, dict.fromkeys(numbers.values(), "7"))
    for resolved in (by_config, by_env):
        assert (resolved.timeout_seconds, resolved.max_retries) == (7, 7)
        assert resolved.max_retry_wait_seconds == 7
