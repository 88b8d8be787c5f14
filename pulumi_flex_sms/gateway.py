"""The one place that talks to Twilio.

Only this module imports ``twilio.rest``. It resolves credentials (provider
config, else environment), builds clients, points every Twilio domain at the
emulator when a base URL is set, applies timeouts, retries 429 and 5xx with
backoff and jitter (honouring ``Retry-After``), and turns Twilio's errors into
:mod:`pulumi_flex_sms.errors` with messages that say what to do.

Settings live at module level, in the provider process only: they are set by
:func:`configure` (called from ``ResourceProvider.configure``, which runs after
the provider was unpickled), so no credential is ever pickled into state.

Provider config keys (stack config, any may be secret) and their environment
fallbacks:

=========================  ==================================
``twilio:accountSid``      ``TWILIO_ACCOUNT_SID``
``twilio:authToken``       ``TWILIO_AUTH_TOKEN``
``twilio:apiKey``          ``TWILIO_API_KEY``
``twilio:apiSecret``       ``TWILIO_API_SECRET``
``flexsms:twilioBaseUrl``  ``FLEX_SMS_TWILIO_BASE_URL``
``flexsms:timeoutSeconds`` ``FLEX_SMS_TIMEOUT_SECONDS`` (default 15)
``flexsms:maxRetries``     ``FLEX_SMS_MAX_RETRIES`` (default 4)
``flexsms:maxRetryWaitSeconds`` ``FLEX_SMS_MAX_RETRY_WAIT_SECONDS`` (default 30)
=========================  ==================================
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import os
import random
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from . import __version__
from .errors import (
    AuthenticationError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    RateLimitedError,
    ReferenceNotFoundError,
    RequestRejectedError,
    ResponseLostError,
    ServerError,
    TransportError,
    TwilioError,
)

__all__ = [
    "Credentials",
    "GatewaySettings",
    "client",
    "configure",
    "creating",
    "current_settings",
    "settings_from",
    "twilio_errors",
]

_log = logging.getLogger("pulumi_flex_sms.gateway")

_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_API_KEY_SID = re.compile(r"^SK[0-9a-fA-F]{32}$")
_TWILIO_URL = re.compile(r"^https://([a-z0-9-]+)\.twilio\.com(/.*)?$")
_RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


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
    config: ConfigSource | None, environ: Mapping[str, str], key: str, env: str
) -> tuple[str | None, str | None]:
    """Return (value, human-readable source) from config first, then the environment."""
    if config is not None:
        value = config.get(key)
        if value not in (None, ""):
            return str(value), f"stack config {key}"
    value = environ.get(env)
    if value not in (None, ""):
        return value, f"environment variable {env}"
    return None, None


def _number(
    config: ConfigSource | None,
    environ: Mapping[str, str],
    key: str,
    env: str,
    default: float,
    *,
    minimum: float,
    integer: bool = False,
) -> float:
    raw, source = _lookup(config, environ, key, env)
    if raw is None:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ConfigurationError(f"{source} must be a number; got {raw!r}") from None
    if value < minimum or (integer and value != int(value)):
        kind = "a whole number" if integer else "a number"
        raise ConfigurationError(f"{source} must be {kind} >= {minimum:g}; got {raw!r}")
    return int(value) if integer else value


def _credentials(
    config: ConfigSource | None, environ: Mapping[str, str]
) -> tuple[Credentials | None, str | None]:
    account_sid, sid_source = _lookup(config, environ, "twilio:accountSid", "TWILIO_ACCOUNT_SID")
    token, token_source = _lookup(config, environ, "twilio:authToken", "TWILIO_AUTH_TOKEN")
    api_key, key_source = _lookup(config, environ, "twilio:apiKey", "TWILIO_API_KEY")
    api_secret, secret_source = _lookup(config, environ, "twilio:apiSecret", "TWILIO_API_SECRET")
    how_to = (
        "Set twilio:accountSid and twilio:authToken (`pulumi config set twilio:accountSid AC...` "
        "and `pulumi config set --secret twilio:authToken ...`), or twilio:apiKey and "
        "twilio:apiSecret with twilio:accountSid, or the environment variables "
        "TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or TWILIO_API_KEY and TWILIO_API_SECRET)."
    )
    if account_sid is None:
        return None, f"No Twilio account SID was configured. {how_to}"
    if not _ACCOUNT_SID.match(account_sid):
        return None, f"{sid_source} must be an account SID like AC followed by 32 hex digits."
    if api_key is not None or api_secret is not None:
        if api_key is None or api_secret is None:
            have, missing = (
                (key_source, "twilio:apiSecret")
                if api_key
                else (
                    secret_source,
                    "twilio:apiKey",
                )
            )
            return None, f"{have} is set but {missing} is not; set both, or neither. {how_to}"
        if not _API_KEY_SID.match(api_key):
            return None, f"{key_source} must be an API key SID like SK followed by 32 hex digits."
        source = f"{key_source} and {secret_source} (account from {sid_source})"
        return Credentials(api_key, api_secret, account_sid, source), None
    if token is None:
        return None, f"{sid_source} is set but no auth token was configured. {how_to}"
    return Credentials(account_sid, token, account_sid, f"{sid_source} and {token_source}"), None


def _base_url(config: ConfigSource | None, environ: Mapping[str, str]) -> str | None:
    raw, source = _lookup(config, environ, "flexsms:twilioBaseUrl", "FLEX_SMS_TWILIO_BASE_URL")
    if raw is None:
        return None
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigurationError(
            f"{source} must be an http(s) base URL such as http://127.0.0.1:8717; got {raw!r}"
        )
    if parts.username or parts.password:
        raise ConfigurationError(f"{source} must not carry credentials; use twilio:authToken")
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
        timeout_seconds=_number(
            config, env, "flexsms:timeoutSeconds", "FLEX_SMS_TIMEOUT_SECONDS", 15.0, minimum=0.1
        ),
        max_retries=int(
            _number(
                config,
                env,
                "flexsms:maxRetries",
                "FLEX_SMS_MAX_RETRIES",
                4,
                minimum=0,
                integer=True,
            )
        ),
        max_retry_wait_seconds=_number(
            config,
            env,
            "flexsms:maxRetryWaitSeconds",
            "FLEX_SMS_MAX_RETRY_WAIT_SECONDS",
            30.0,
            minimum=0,
        ),
    )


_settings_lock = threading.Lock()
_settings: GatewaySettings | None = None
_clients = threading.local()


def configure(config: ConfigSource | None = None, environ: Mapping[str, str] | None = None) -> None:
    """Resolve and install the process's settings (from ``ResourceProvider.configure``)."""
    global _settings
    resolved = settings_from(config, environ)
    with _settings_lock:
        _settings = resolved


def current_settings() -> GatewaySettings:
    """The installed settings; resolved from the environment alone if never configured."""
    global _settings
    with _settings_lock:
        if _settings is None:
            _settings = settings_from(None)
        return _settings


# --- retries ---------------------------------------------------------------------------

_creating: contextvars.ContextVar[bool] = contextvars.ContextVar("flex_sms_creating", default=False)


@contextlib.contextmanager
def creating() -> Iterator[None]:
    """Mark the requests inside as non-idempotent creates.

    A create that fails ambiguously (5xx, dropped connection, timeout) is not
    retried blindly, which could make a duplicate: it raises
    :class:`ResponseLostError` so the caller can look the object up first.
    """
    token = _creating.set(True)
    try:
        yield
    finally:
        _creating.reset(token)


def backoff_seconds(
    settings: GatewaySettings, attempt: int, retry_after: float | None = None
) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based): full jitter, capped."""
    if retry_after is not None:
        # Twilio asked for a wait; a little jitter keeps parallel resources from stampeding.
        return min(retry_after + random.uniform(0, settings.backoff_base_seconds), _cap(settings))
    ceiling = settings.backoff_base_seconds * (2 ** (attempt - 1))
    return random.uniform(0, min(ceiling, _cap(settings)))


def _cap(settings: GatewaySettings) -> float:
    return settings.max_retry_wait_seconds


def _retry_after(response: Response) -> float | None:
    headers = response.headers or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None  # an HTTP-date; rare for Twilio, fall back to our own backoff


class _GatewayHttpClient(TwilioHttpClient):
    """twilio-python's HTTP client plus routing to the emulator, timeouts and retries."""

    def __init__(self, settings: GatewaySettings, sleep: Callable[[float], None] = time.sleep):
        super().__init__(timeout=settings.timeout_seconds)
        self._gw = settings
        self._sleep = sleep

    def _route(self, url: str) -> str:
        if self._gw.base_url is None:
            return url
        match = _TWILIO_URL.match(url)
        if match is None:
            return url  # already local, e.g. a next_page_url the emulator returned
        return f"{self._gw.base_url}/{match.group(1)}{match.group(2) or ''}"

    def request(  # type: ignore[override]
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Response:
        url = self._route(url)
        is_create = _creating.get()
        attempt = 0
        while True:
            attempt += 1
            last = attempt > self._gw.max_retries
            try:
                response = super().request(
                    method, url, params, data, headers, auth, timeout, allow_redirects
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                what = type(exc).__name__
                if is_create:
                    raise ResponseLostError(
                        f"the connection to Twilio failed during a create ({what}); "
                        "it may or may not have been applied"
                    ) from None
                if last:
                    raise TransportError(
                        f"could not reach Twilio after {attempt} attempts ({what}); "
                        f"check the network or raise flexsms:timeoutSeconds "
                        f"(now {self._gw.timeout_seconds:g})"
                    ) from None
                wait = backoff_seconds(self._gw, attempt)
                _log.info("Twilio unreachable (%s); retry %d in %.2fs", what, attempt, wait)
                self._sleep(wait)
                continue
            status = response.status_code
            if status == 429 and not last:
                # Twilio does not process a 429'd request, so even a create is safe to resend.
                retry_after = _retry_after(response)
                if retry_after is not None and retry_after > _cap(self._gw):
                    return response
                wait = backoff_seconds(self._gw, attempt, retry_after)
                _log.info("Twilio answered 429; retry %d in %.2fs", attempt, wait)
                self._sleep(wait)
                continue
            if status in _RETRYABLE_STATUS:
                if is_create:
                    raise ResponseLostError(
                        f"Twilio answered {status} to a create; it may or may not have been "
                        "applied",
                        status=status,
                    )
                if not last:
                    wait = backoff_seconds(self._gw, attempt)
                    _log.info("Twilio answered %d; retry %d in %.2fs", status, attempt, wait)
                    self._sleep(wait)
                    continue
            return response


def _build_client(settings: GatewaySettings) -> Client:
    if settings.credentials is None:
        raise ConfigurationError(settings.credentials_problem or "No Twilio credentials.")
    creds = settings.credentials
    twilio = Client(
        creds.username,
        creds.password,
        creds.account_sid,
        http_client=_GatewayHttpClient(settings),
        user_agent_extensions=[f"pulumi-flex-sms/{__version__}"],
    )
    if settings.base_url is not None:
        # TWILIO_REGION / TWILIO_EDGE would rewrite the emulator's host name.
        twilio.region = None
        twilio.edge = None
    return twilio


def client() -> Client:
    """A Twilio client for the current settings; one per thread (gRPC serves 4 at once)."""
    settings = current_settings()
    cached = getattr(_clients, "entry", None)
    if cached is None or cached[0] is not settings:
        cached = (settings, _build_client(settings))
        _clients.entry = cached
    return cached[1]


def account_sid() -> str:
    """The account SID requests are made for."""
    settings = current_settings()
    if settings.credentials is None:
        raise ConfigurationError(settings.credentials_problem or "No Twilio credentials.")
    return settings.credentials.account_sid


def retry_budget() -> tuple[int, Callable[[int], float]]:
    """(max retries, attempt -> seconds to wait) for callers that loop themselves."""
    settings = current_settings()
    return settings.max_retries, lambda attempt: backoff_seconds(settings, attempt)


# --- error translation -------------------------------------------------------------------


def _status_code_of(exc: TwilioException) -> tuple[int | None, int | None, str]:
    """(HTTP status, Twilio code, Twilio's message) from either exception twilio-python raises."""
    if isinstance(exc, TwilioRestException):
        return exc.status, exc.code, str(exc.msg)
    # List pages fail with TwilioException("Unable to fetch page", response).
    response = exc.args[1] if len(exc.args) > 1 else None
    status = getattr(response, "status_code", None)
    code, message = None, str(exc.args[0]) if exc.args else "unknown error"
    text = getattr(response, "text", None)
    if text:
        try:
            body = json.loads(text)
            code, message = body.get("code"), body.get("message", message)
        except (ValueError, AttributeError):
            pass
    return status, code, message


@contextlib.contextmanager
def twilio_errors(
    action: str, *, references: Mapping[str, str] | None = None, missing: str | None = None
) -> Iterator[None]:
    """Translate Twilio's exceptions raised inside into :mod:`errors` that say what to do.

    ``action`` completes "while trying to ..."; ``references`` maps the property
    that holds a SID (``auto_creation.studio_flow_sid``) to the SID, so a 404
    can name the one that is missing; ``missing`` is the message for a 404 that
    means the target object itself is gone.
    """
    try:
        yield
    except TwilioError:
        raise
    except TwilioException as exc:
        status, code, message = _status_code_of(exc)
        raise _translate(action, status, code, message, references or {}, missing) from None


def _translate(
    action: str,
    status: int | None,
    code: int | None,
    message: str,
    references: Mapping[str, str],
    missing: str | None = None,
) -> TwilioError:
    settings = current_settings()
    where = f"while trying to {action}"
    detail = f"HTTP {status}" + (f", Twilio error {code}" if code else "")
    if status in (401, 403):
        creds = settings.credentials
        source = creds.source if creds else "nowhere"
        return AuthenticationError(
            f"Twilio rejected the credentials {where} ({detail}: {message}). They came from "
            f"{source}. Check that they are current and belong to account "
            f"{creds.account_sid if creds else '?'}.",
            status=status,
            code=code,
        )
    if status == 404:
        named = [(prop, sid) for prop, sid in references.items() if sid and sid in message]
        if named or (references and missing is None):
            listing = ", ".join(f"{prop}={sid}" for prop, sid in named or references.items())
            return ReferenceNotFoundError(
                f"Twilio could not find {listing} {where} ({detail}: {message}). Check that the "
                f"SID exists in account {account_sid()} and is spelled right.",
                status=status,
                code=code,
            )
        text = missing or f"Not found {where} ({detail}: {message})."
        return NotFoundError(text, status=status, code=code)
    if status == 409:
        return ConflictError(f"Conflict {where} ({detail}: {message}).", status=status, code=code)
    if status == 429:
        return RateLimitedError(
            f"Twilio kept answering 429 Too Many Requests {where} after "
            f"{settings.max_retries} retries. Run `pulumi up --parallel 4`, or raise "
            "flexsms:maxRetries / flexsms:maxRetryWaitSeconds.",
            status=status,
            code=code,
        )
    if status is not None and status >= 500:
        return ServerError(
            f"Twilio kept failing {where} ({detail}: {message}) after {settings.max_retries} "
            "retries. Nothing was left half-done; run the operation again later.",
            status=status,
            code=code,
        )
    return RequestRejectedError(
        f"Twilio refused the request {where} ({detail}: {message}).", status=status, code=code
    )
