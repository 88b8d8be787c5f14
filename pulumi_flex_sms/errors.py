"""The errors pulumi-flex-sms raises, each with a message that says what to do.

Messages never contain a credential: not the auth token, not the API secret,
not the userinfo of a webhook URL.

::

    FlexSmsError
    ├── ConfigurationError           provider config or environment missing or malformed
    └── TwilioError                  Twilio answered with an error, or not at all
        ├── AuthenticationError      401/403: the credentials were rejected
        ├── NotFoundError            404: the object does not exist
        │   └── ReferenceNotFoundError   a referenced flow, service or number is missing
        ├── ConflictError            the object exists already (e.g. one configuration per address)
        ├── RequestRejectedError     another 4xx: Twilio refused the parameters
        ├── RateLimitedError         429 that outlasted the retry budget
        ├── ServerError              5xx that outlasted the retry budget
        └── TransportError           no usable answer: timeout, refused or dropped connection
            └── ResponseLostError    a write was sent but its outcome is unknown
                                     (no answer, or 5xx, after it may have reached Twilio)

Messages say what happened: how many attempts were made and what each met, and
whether anything can have changed (Twilio does not process a request it answers
429, nor one that never reached it).
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "AuthenticationError",
    "ConfigurationError",
    "ConflictError",
    "FlexSmsError",
    "NotFoundError",
    "RateLimitedError",
    "ReferenceNotFoundError",
    "RequestRejectedError",
    "ResponseLostError",
    "ServerError",
    "TransportError",
    "TwilioError",
]


class FlexSmsError(Exception):
    """Base class of every error this package raises."""


class ConfigurationError(FlexSmsError):
    """Provider configuration or environment is missing or malformed."""


class TwilioError(FlexSmsError):
    """Twilio answered with an error, or did not answer."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        attempts: str | None = None,
    ):
        super().__init__(message)
        #: HTTP status Twilio answered with, if any.
        self.status = status
        #: Twilio error code (e.g. 20404), if any.
        self.code = code
        #: What the tries of the request met, when it ran out of them:
        #: ``"3 attempts (2 retries): a dropped connection, then HTTP 503 twice"``.
        self.attempts = attempts


class AuthenticationError(TwilioError):
    """Twilio rejected the credentials (HTTP 401 or 403)."""


class NotFoundError(TwilioError):
    """The object does not exist in the account (HTTP 404)."""


class ReferenceNotFoundError(NotFoundError):
    """A SID the configuration refers to (Studio flow, Conversations service, number) is missing."""


class ConflictError(TwilioError):
    """The object exists already and may not be created twice."""


class RequestRejectedError(TwilioError):
    """Twilio refused the request's parameters (a 4xx other than 401, 403, 404, 429)."""


class RateLimitedError(TwilioError):
    """Twilio kept answering 429 beyond the retry budget."""


class ServerError(TwilioError):
    """Twilio kept answering 5xx beyond the retry budget."""


class TransportError(TwilioError):
    """No usable answer: the connection timed out, was refused or was dropped."""


class ResponseLostError(TransportError):
    """A write reached Twilio, or may have, but its answer was lost."""

    def __init__(self, message: str, *, unanswered: bool = True, **details: Any) -> None:
        super().__init__(message, **details)  # status, code, attempts as for every TwilioError
        #: Some attempt got no answer at all (timeout, dropped connection): Twilio may
        #: still apply it later, even after a look-up found it was not applied.
        #: False when every attempt was answered (5xx): a look-up then settles it.
        self.unanswered = unanswered
