"""Where the gateway's settings come from: provider config first, then the environment.

No Twilio import here: resolving settings is pure, so it is cheap to test and
never touches the network. Missing credentials are not an error at this point
(``check`` and ``diff`` never call Twilio, so a preview works without them);
:mod:`pulumi_flex_sms.gateway` reports them on the first call.

Provider config keys (stack config, any may be secret) and their environment
fallbacks:

=========================  ==================================
``twilio:accountSid``      ``TWILIO_ACCOUNT_SID``
``twilio:authToken``       ``TWILIO_AUTH_TOKEN``
``twilio:apiKey``          ``TWILIO_API_KEY``
``twilio:apiSecret``       ``TWILIO_API_SECRET``
``flexsms:twilioBaseUrl``  ``FLEX_SMS_TWILIO_BASE_URL``
``flexsms:timeoutSeconds`` ``FLEX_SMS_TIMEOUT_SECONDS`` (default 15, 0.1 to 600)
``flexsms:maxRetries``     ``FLEX_SMS_MAX_RETRIES`` (default 4, 0 to 20)
``flexsms:maxRetryWaitSeconds`` ``FLEX_SMS_MAX_RETRY_WAIT_SECONDS`` (default 30, 0 to 600)
=========================  ==================================

A bad value is a :class:`~pulumi_flex_sms.errors.ConfigurationError` naming the
key, with the value shown masked and short (:func:`~pulumi_flex_sms.identifiers.shorten`).
The upper bounds keep one ``pulumi up`` from hanging for hours on a typo
(``1e400`` is infinity to ``float``).
"""

from __future__ import annotations

import math
import os
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from .errors import ConfigurationError
from .identifiers import is_sid, shorten
from .urls import has_credentials

__all__ = [
    "ACCOUNT_SID",
    "API_KEY",
    "API_SECRET",
    "AUTH_TOKEN",
    "BASE_URL",
    "CONFIG_KEYS",
    "CONNECTION_KEYS",
    "MAX_RETRIES",
    "MAX_RETRY_WAIT_SECONDS",
    "TIMEOUT_SECONDS",
    "ConfigKey",
    "ConfigSource",
    "Credentials",
    "GatewaySettings",
    "settings_from",
]


@dataclass(frozen=True)
class ConfigKey:
    """A provider config key (a public contract) and the environment variable behind it."""

    #: ``namespace:name`` as ``pulumi config set`` takes it, e.g. ``twilio:accountSid``.
    key: str
    #: The environment variable read when the stack config does not set it.
    env: str
    #: Read with ``get_secret`` by a program (the value is a credential).
    secret: bool = False

    @property
    def namespace(self) -> str:
        """``twilio`` of ``twilio:accountSid``: what ``pulumi.Config()`` is given."""
        return self.key.partition(":")[0]

    @property
    def name(self) -> str:
        """``accountSid`` of ``twilio:accountSid``."""
        return self.key.partition(":")[2]


ACCOUNT_SID = ConfigKey("twilio:accountSid", "TWILIO_ACCOUNT_SID")
AUTH_TOKEN = ConfigKey("twilio:authToken", "TWILIO_AUTH_TOKEN", secret=True)
API_KEY = ConfigKey("twilio:apiKey", "TWILIO_API_KEY")
API_SECRET = ConfigKey("twilio:apiSecret", "TWILIO_API_SECRET", secret=True)
BASE_URL = ConfigKey("flexsms:twilioBaseUrl", "FLEX_SMS_TWILIO_BASE_URL")
TIMEOUT_SECONDS = ConfigKey("flexsms:timeoutSeconds", "FLEX_SMS_TIMEOUT_SECONDS")
MAX_RETRIES = ConfigKey("flexsms:maxRetries", "FLEX_SMS_MAX_RETRIES")
MAX_RETRY_WAIT_SECONDS = ConfigKey("flexsms:maxRetryWaitSeconds", "FLEX_SMS_MAX_RETRY_WAIT_SECONDS")
#: Who we are to Twilio and where Twilio is: what a program's preflight read needs.
CONNECTION_KEYS = (ACCOUNT_SID, AUTH_TOKEN, API_KEY, API_SECRET, BASE_URL)
#: Every key the provider reads.
CONFIG_KEYS = (*CONNECTION_KEYS, TIMEOUT_SECONDS, MAX_RETRIES, MAX_RETRY_WAIT_SECONDS)


class ConfigSource(Protocol):
    """What :func:`settings_from` reads: ``pulumi.dynamic.Config`` or a plain mapping."""

    def get(self, key: str) -> Any: ...


@dataclass(frozen=True)
class Credentials:
    """Who we are to Twilio. Never pickled, never printed."""

    username: str
    password: str = field(repr=False)
    account_sid: str
    #: Where they came from, for error messages, e.g. ``stack config twilio:authToken``.
    source: str

    def __reduce__(self) -> Any:
        raise TypeError("Twilio credentials are never pickled")


@dataclass(frozen=True)
class GatewaySettings:
    """Everything the gateway needs; resolved once per provider process."""

    credentials: Credentials | None
    #: Problem to report on the first Twilio call when credentials are missing or malformed.
    credentials_problem: str | None = None
    #: ``http://127.0.0.1:8717`` sends ``https://{domain}.twilio.com/p`` to ``{base}/{domain}/p``.
    base_url: str | None = None
    timeout_seconds: float = 15.0
    max_retries: int = 4
    max_retry_wait_seconds: float = 30.0
    backoff_base_seconds: float = 0.25

    def __reduce__(self) -> Any:
        raise TypeError("gateway settings hold credentials and are never pickled")


def _lookup(
    config: ConfigSource | None, environ: Mapping[str, str], key: ConfigKey
) -> tuple[str | None, str | None]:
    """Return (value, human-readable source) from config first, then the environment."""
    if config is not None:
        value = config.get(key.key)
        if value not in (None, ""):
            return str(value), f"stack config {key.key}"
    value = environ.get(key.env)
    if value not in (None, ""):
        return value, f"environment variable {key.env}"
    return None, None


def _number(
    config: ConfigSource | None,
    environ: Mapping[str, str],
    key: ConfigKey,
    default: float,
    *,
    minimum: float,
    maximum: float,
    integer: bool = False,
) -> float:
    raw, source = _lookup(config, environ, key)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{source} must be a number; got {shorten(raw)}") from None
    # NaN compares false with everything, so test what is allowed, not what is not.
    in_range = math.isfinite(value) and minimum <= value <= maximum
    if not in_range or (integer and not value.is_integer()):
        kind = "a whole number" if integer else "a number"
        raise ConfigurationError(
            f"{source} must be {kind} >= {minimum:g} and <= {maximum:g}; got {shorten(raw)}"
        )
    return int(value) if integer else value


def _credentials(
    config: ConfigSource | None, environ: Mapping[str, str]
) -> tuple[Credentials | None, str | None]:
    account_sid, sid_source = _lookup(config, environ, ACCOUNT_SID)
    token, token_source = _lookup(config, environ, AUTH_TOKEN)
    api_key, key_source = _lookup(config, environ, API_KEY)
    api_secret, secret_source = _lookup(config, environ, API_SECRET)
    how_to = (
        f"Set {ACCOUNT_SID.key} and {AUTH_TOKEN.key} (`pulumi config set {ACCOUNT_SID.key} "
        f"AC...` and `pulumi config set --secret {AUTH_TOKEN.key} ...`), or {API_KEY.key} and "
        f"{API_SECRET.key} with {ACCOUNT_SID.key}, or the environment variables "
        f"{ACCOUNT_SID.env} with {AUTH_TOKEN.env} (or {API_KEY.env} and {API_SECRET.env})."
    )
    if account_sid is None:
        return None, f"No Twilio account SID was configured. {how_to}"
    if not is_sid(account_sid, "AC"):
        return None, (
            f"{sid_source} must be an account SID like AC followed by 32 hex digits"
            f"{_whitespace_hint(account_sid)}."
        )
    if api_key is not None or api_secret is not None:
        if api_key is None or api_secret is None:
            have, missing = (
                (key_source, API_SECRET.key) if api_key else (secret_source, API_KEY.key)
            )
            return None, f"{have} is set but {missing} is not; set both, or neither. {how_to}"
        if not is_sid(api_key, "SK"):
            return None, (
                f"{key_source} must be an API key SID like SK followed by 32 hex digits"
                f"{_whitespace_hint(api_key)}."
            )
        source = f"{key_source} and {secret_source} (account from {sid_source})"
        return Credentials(api_key, api_secret, account_sid, source), None
    if token is None:
        return None, f"{sid_source} is set but no auth token was configured. {how_to}"
    return Credentials(account_sid, token, account_sid, f"{sid_source} and {token_source}"), None


def _whitespace_hint(value: str) -> str:
    return (
        " (it has spaces or line breaks around it; remove them)" if value != value.strip() else ""
    )


def _base_url(config: ConfigSource | None, environ: Mapping[str, str]) -> str | None:
    raw, source = _lookup(config, environ, BASE_URL)
    if raw is None:
        return None
    if has_credentials(raw):
        raise ConfigurationError(f"{source} must not carry credentials; use {AUTH_TOKEN.key}")
    problem = f"{source} must be an http(s) base URL such as http://127.0.0.1:8717"
    try:
        parts = urlsplit(raw)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError:
        raise ConfigurationError(f"{problem}; got {shorten(raw)}") from None
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        # urlsplit drops tabs and newlines; they would still be in the URL we call.
        or any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf") for c in raw)
    ):
        raise ConfigurationError(f"{problem}; got {shorten(raw)}")
    return raw.rstrip("/")


def settings_from(
    config: ConfigSource | None = None, environ: Mapping[str, str] | None = None
) -> GatewaySettings:
    """Resolve settings from provider config (``pulumi.dynamic.Config``) and the environment.

    Missing credentials are not an error here: ``check`` and ``diff`` never call
    Twilio, so a preview works without them. They are reported on the first call.
    """
    env = os.environ if environ is None else environ
    credentials, problem = _credentials(config, env)
    return GatewaySettings(
        credentials=credentials,
        credentials_problem=problem,
        base_url=_base_url(config, env),
        timeout_seconds=_number(config, env, TIMEOUT_SECONDS, 15.0, minimum=0.1, maximum=600),
        max_retries=int(_number(config, env, MAX_RETRIES, 4, minimum=0, maximum=20, integer=True)),
        max_retry_wait_seconds=_number(
            config, env, MAX_RETRY_WAIT_SECONDS, 30.0, minimum=0, maximum=600
        ),
    )
