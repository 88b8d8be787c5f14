"""The one place that talks to Twilio.

Only this module imports ``twilio.rest``. It resolves credentials (provider
config, else environment), builds clients, points every Twilio domain at the
emulator when a base URL is set, applies timeouts, retries 429 and 5xx with
backoff and jitter (honouring ``Retry-After``), and turns Twilio's errors into
:mod:`pulumi_flex_sms.errors` with messages that say what to do.

Its one user is :mod:`pulumi_flex_sms.twilio_api`, which calls Twilio's API
through :func:`client` and hands everyone else plain records; a loop that tries
again itself (a create looked up before it is resent) waits through
:func:`retry_budget`, the budget the HTTP client retries with.

Settings live at module level, in the provider process only: they are set by
:func:`configure` (called from ``ResourceProvider.configure``, which runs after
the provider was unpickled), so no credential is ever pickled into state.

Settings (credentials, base URL, timeouts, retries) are resolved by
:mod:`pulumi_flex_sms.settings`, where the config keys are listed.
"""

from __future__ import annotations

import contextlib
import contextvars
import json
import logging
import random
import re
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests
from twilio.base.exceptions import (
    TwilioException,
    TwilioRestException,
    TwilioServiceException,
)
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from twilio.rest import Client
from urllib3.exceptions import NewConnectionError
from urllib3.exceptions import SSLError as Urllib3SSLError

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
from .settings import (
    MAX_RETRIES,
    MAX_RETRY_WAIT_SECONDS,
    TIMEOUT_SECONDS,
    ConfigSource,
    Credentials,
    GatewaySettings,
    settings_from,
)
from .urls import mask_credentials_in_text

__all__ = [
    "Credentials",
    "GatewaySettings",
    "RetryBudget",
    "account_sid",
    "backoff_seconds",
    "client",
    "configure",
    "creating",
    "current_settings",
    "describe_attempts",
    "retry_budget",
    "settings_from",
    "twilio_errors",
]

_log = logging.getLogger("pulumi_flex_sms.gateway")

_TWILIO_URL = re.compile(r"^https://([a-z0-9-]+)\.twilio\.com(/.*)?$")
_RETRYABLE_STATUS = frozenset({500, 502, 503, 504})


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
#: What the caller is doing, for messages ("update the messaging settings of +1..."); set by
#: :func:`twilio_errors` so the HTTP client can say where it gave up.
_action: contextvars.ContextVar[str] = contextvars.ContextVar(
    "flex_sms_action", default="call Twilio"
)


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
        return min(
            retry_after + random.uniform(0, settings.backoff_base_seconds),
            settings.max_retry_wait_seconds,
        )
    ceiling = settings.backoff_base_seconds * (2 ** (attempt - 1))
    return random.uniform(0, min(ceiling, settings.max_retry_wait_seconds))


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@dataclass(frozen=True)
class RetryBudget:
    """How often a request is tried and how long to wait between tries.

    One budget for every loop that tries again: the HTTP client's retries of a
    request, and :mod:`pulumi_flex_sms.twilio_api`'s look-before-resend loop for
    a create whose answer was lost. Both wait with the same backoff and jitter,
    honour the same ``flexsms:maxRetries`` and sleep through the same function.
    """

    settings: GatewaySettings
    #: Stands in for ``time.sleep`` (tests record the waits instead).
    sleep: Callable[[float], None] | None = None

    @property
    def max_retries(self) -> int:
        """Retries allowed after the first try (``flexsms:maxRetries``)."""
        return self.settings.max_retries

    def spent(self, tries: int) -> bool:
        """True once ``tries`` tries leave no retry."""
        return tries > self.settings.max_retries

    def pause(self, tries: int, retry_after: float | None = None, why: str = "") -> None:
        """Wait before the next try, after ``tries`` tries (``Retry-After`` if Twilio gave one)."""
        wait = backoff_seconds(self.settings, tries, retry_after)
        _log.info("%s; retry %d in %.2fs", why or "trying again", tries, wait)
        (self.sleep or _sleep)(wait)


def _retry_after(response: Response) -> float | None:
    headers = response.headers or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        return max(0.0, float(raw)) if raw is not None else None
    except ValueError:
        return None  # an HTTP-date; rare for Twilio, fall back to our own backoff


@dataclass(frozen=True)
class _Attempt:
    """What one try of a request met, as far as the client can tell."""

    what: str  # "HTTP 503", "a dropped connection"... as it reads in a message
    status: int | None = None
    #: The request may have reached Twilio. Twilio promises a 429'd request was not
    #: processed, so only a 5xx or a missing answer can have changed something.
    maybe_applied: bool = False
    #: No answer at all (timeout, dropped connection): Twilio may still be working on
    #: it, so it may be applied even after a look-up found it was not.
    unanswered: bool = False
    #: The client refused the server's TLS certificate (a proxy inspecting TLS, a
    #: missing CA bundle): nothing was sent, and trying again will not help.
    certificate: bool = False


#: Raised while reading the body of an answer (the connection dropped mid-body, a
#: gzip that does not decode): neither a ConnectionError nor a Timeout to requests.
_ANSWER_CUT_SHORT = (
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)


def _untrusted_certificate(reason: Any) -> bool:
    """True for a TLS certificate the client refused: the handshake failed, nothing was sent."""
    if isinstance(reason, ssl.SSLCertVerificationError):
        return True
    return isinstance(reason, Urllib3SSLError) and any(
        isinstance(arg, ssl.SSLCertVerificationError) for arg in reason.args
    )


def _transport_attempt(exc: requests.RequestException, timeout: float) -> _Attempt:
    if isinstance(exc, requests.ConnectTimeout):
        return _Attempt(f"no connection within {timeout:g} s")
    cause = exc.args[0] if exc.args else None
    reason = getattr(cause, "reason", cause)
    if isinstance(reason, NewConnectionError):
        return _Attempt("could not connect")  # refused or unresolvable: nothing was sent
    if isinstance(exc, requests.exceptions.ProxyError):
        return _Attempt("could not connect through the proxy")  # Twilio was never reached
    if _untrusted_certificate(reason):
        # Verified before the request is sent; an SSLError of another kind may come
        # mid-request, so only this one says nothing was sent.
        return _Attempt("an untrusted TLS certificate", certificate=True)
    if isinstance(exc, requests.Timeout):
        return _Attempt(f"no answer within {timeout:g} s", maybe_applied=True, unanswered=True)
    if isinstance(exc, _ANSWER_CUT_SHORT):
        # The status line came, so Twilio has done the request; its record was lost.
        return _Attempt("an answer cut short", maybe_applied=True)
    return _Attempt("a dropped connection", maybe_applied=True, unanswered=True)


def _unreadable_success(response: Response) -> bool:
    """A 2xx whose body twilio-python cannot parse (204's empty body is fine)."""
    if not 200 <= response.status_code < 300 or not (response.text or "").strip():
        return False
    try:
        json.loads(response.text)
    except ValueError:
        return True
    return False


def _http_attempt(status: int) -> _Attempt:
    return _Attempt(f"HTTP {status}", status=status, maybe_applied=status != 429)


def describe_attempts(attempts: Sequence[_Attempt]) -> str:
    """``"3 attempts (2 retries): a dropped connection, then HTTP 503 twice"``."""
    runs: list[list[Any]] = []
    for attempt in attempts:
        if runs and runs[-1][0] == attempt.what:
            runs[-1][1] += 1
        else:
            runs.append([attempt.what, 1])
    times = {1: "", 2: " twice"}
    events = ", then ".join(f"{what}{times.get(n, f' {n} times')}" for what, n in runs)
    retries = len(attempts) - 1
    if retries == 0:
        return f"1 attempt, no retry: {events}"
    return f"{len(attempts)} attempts ({retries} retr{'y' if retries == 1 else 'ies'}): {events}"


def _twilio_says(response: Response | None) -> tuple[int | None, str]:
    """(Twilio error code, ``"; Twilio error 20503: ..."``) from an error response's body."""
    if response is None or not response.text:
        return None, ""
    try:
        body = json.loads(response.text)
        code, message = body.get("code"), body.get("message")
    except (ValueError, AttributeError):
        return None, ""
    if not code and not message:
        return None, ""
    message = mask_credentials_in_text(str(message)) if message else message
    return code, f"; last answer: Twilio error {code}: {message}" if code else f"; {message}"


def _lost_create(attempts: Sequence[_Attempt], response: Response | None) -> ResponseLostError:
    code, said = _twilio_says(response)
    account = describe_attempts(attempts)
    return ResponseLostError(
        f"Twilio's answer was lost while trying to {_action.get()} "
        f"({account}{said}); the create may or may not have been applied",
        status=attempts[-1].status,
        code=code,
        attempts=account,
        unanswered=attempts[-1].unanswered,
    )


def _gave_up(
    settings: GatewaySettings,
    method: str,
    attempts: Sequence[_Attempt],
    response: Response | None,
    retry_after_too_long: float | None = None,
) -> TwilioError:
    """The error for a request that ran out of retries, saying what really happened."""
    where = f"while trying to {_action.get()}"
    code, said = _twilio_says(response)
    tries = describe_attempts(attempts)
    account = f"{tries}{said}"
    status = attempts[-1].status
    write = method.upper() != "GET"
    if write and any(a.maybe_applied for a in attempts):
        unanswered = any(a.unanswered for a in attempts)
        later = " (a request that got no answer may even be applied later)" if unanswered else ""
        return ResponseLostError(
            f"Twilio gave no usable answer {where} ({account}). The change may or may not "
            f"have been applied{later}; it is safe to send again: run the operation again.",
            status=status,
            code=code,
            attempts=tries,
            unanswered=unanswered,
        )
    unchanged = "Nothing was changed. " if write else ""
    if status == 429:
        if retry_after_too_long is not None:
            advice = (
                f"Twilio asked for a wait of {retry_after_too_long:g} s (Retry-After), longer "
                f"than {MAX_RETRY_WAIT_SECONDS.key} ({settings.max_retry_wait_seconds:g}), so "
                f"no further retry was made. Run it again later, or raise "
                f"{MAX_RETRY_WAIT_SECONDS.key}."
            )
        else:
            advice = (
                f"Run `pulumi up --parallel 4`, or raise {MAX_RETRIES.key} (now "
                f"{settings.max_retries}) / {MAX_RETRY_WAIT_SECONDS.key} (now "
                f"{settings.max_retry_wait_seconds:g})."
            )
        # Twilio does not process a request it answers 429: a write changed nothing.
        return RateLimitedError(
            f"Twilio answered 429 Too Many Requests {where} ({account}). {unchanged}{advice}",
            status=status,
            code=code,
            attempts=tries,
        )
    if status is not None:
        return ServerError(
            f"Twilio failed {where} ({account}). {unchanged}Run the operation again later.",
            status=status,
            code=code,
            attempts=tries,
        )
    if attempts[-1].certificate:
        return TransportError(
            f"Could not reach Twilio {where} ({account}): the server's TLS certificate is not "
            f"trusted. {unchanged}If a proxy inspects TLS, point REQUESTS_CA_BUNDLE at a CA "
            "bundle that includes its certificate; for the emulator over https, at its CA.",
            attempts=tries,
        )
    return TransportError(
        f"Could not reach Twilio {where} ({account}). {unchanged}Check the network, or raise "
        f"{TIMEOUT_SECONDS.key} (now {settings.timeout_seconds:g}).",
        attempts=tries,
    )


class _GatewayHttpClient(TwilioHttpClient):
    """twilio-python's HTTP client plus routing to the emulator, timeouts and retries."""

    def __init__(self, settings: GatewaySettings, sleep: Callable[[float], None] | None = None):
        super().__init__(timeout=settings.timeout_seconds)
        self._gw = settings
        self._budget = RetryBudget(settings, sleep)

    def _route(self, url: str) -> str:
        if self._gw.base_url is None:
            return url
        match = _TWILIO_URL.match(url)
        if match is None:
            return url  # already local, e.g. a next_page_url the emulator returned
        return f"{self._gw.base_url}/{match.group(1)}{match.group(2) or ''}"

    # The name of the URL parameter follows TwilioHttpClient's (``url``); its own base class,
    # HttpClient, calls it ``uri``, so no name satisfies both of twilio's signatures.
    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> Response:
        """Send with retries; a request that runs out of them raises a :class:`TwilioError`.

        Retried: 429 (Twilio did not process it), 500/502/503/504 and lost
        connections, except inside :func:`creating`, where an answer that may hide
        an applied create raises :class:`ResponseLostError` at once.
        """
        url = self._route(url)
        is_create = _creating.get()
        attempts: list[_Attempt] = []
        while True:
            response: Response | None = None
            try:
                # params, data, headers, auth, timeout, allow_redirects: passed through
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout, *_ANSWER_CUT_SHORT) as exc:
                attempts.append(_transport_attempt(exc, self._gw.timeout_seconds))
            else:
                status = response.status_code
                if status == 429 or status in _RETRYABLE_STATUS:
                    attempts.append(_http_attempt(status))
                elif _unreadable_success(response):
                    # twilio-python would crash on it after Twilio did the request (a
                    # body cut off where no length was announced, a proxy's HTML page).
                    attempts.append(
                        _Attempt(
                            f"HTTP {status} with a body that is not JSON",
                            status,
                            maybe_applied=True,
                        )
                    )
                else:
                    return response
            last = attempts[-1]
            if is_create and last.maybe_applied:
                raise _lost_create(attempts, response)
            if last.certificate or self._budget.spent(len(attempts)):
                raise _gave_up(self._gw, method, attempts, response)
            retry_after = _retry_after(response) if last.status == 429 and response else None
            if retry_after is not None and retry_after > self._gw.max_retry_wait_seconds:
                raise _gave_up(self._gw, method, attempts, response, retry_after)
            self._budget.pause(len(attempts), retry_after, last.what)


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


def retry_budget() -> RetryBudget:
    """The budget the HTTP client retries with, for a caller that loops itself."""
    return RetryBudget(current_settings())


# --- error translation -------------------------------------------------------------------


def _status_code_of(exc: TwilioException) -> tuple[int | None, int | None, str]:
    """(HTTP status, Twilio code, Twilio's message) from either exception twilio-python raises."""
    if isinstance(exc, TwilioRestException):
        return exc.status, exc.code, str(exc.msg)
    if isinstance(exc, TwilioServiceException):
        # twilio-python raises this for an RFC 9457 body (type, title, status, code).
        return exc.status, exc.code, str(exc.detail or exc.title)
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
    token = _action.set(action)
    try:
        yield
    except TwilioError:
        raise  # the HTTP client's own account of a request that ran out of retries
    except TwilioException as exc:
        status, code, message = _status_code_of(exc)
        # Twilio's message may quote a URL we sent, with the credentials in it.
        message = mask_credentials_in_text(message)
        raise _translate(action, status, code, message, references or {}, missing) from None
    finally:
        _action.reset(token)


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
    # 429 and 5xx normally end in the HTTP client, which counts its retries; these
    # cover an answer that reached twilio-python some other way.
    if status == 429:
        return RateLimitedError(
            f"Twilio answered 429 Too Many Requests {where}. Run `pulumi up --parallel 4`, or "
            f"raise {MAX_RETRIES.key} / {MAX_RETRY_WAIT_SECONDS.key}.",
            status=status,
            code=code,
        )
    if status is not None and status >= 500:
        return ServerError(
            f"Twilio failed {where} ({detail}: {message}). Run the operation again later.",
            status=status,
            code=code,
        )
    return RequestRejectedError(
        f"Twilio refused the request {where} ({detail}: {message}).", status=status, code=code
    )
