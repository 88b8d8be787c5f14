"""Errors the emulator answers with, each carrying Twilio's HTTP status and code.

The backend raises them; the HTTP layer turns any of them into Twilio's legacy
error body ``{"code", "message", "more_info", "status"}`` (plus ``detail`` for
20003), which twilio-python turns into a ``TwilioRestException`` with the same
status and code. The body never carries both ``type`` and ``title``: that would
switch twilio-python to ``TwilioServiceException``.

::

    TwilioError                      500  20500
    ├── BadRequest                   400  20001
    │   ├── InvalidParameter         400  20001  (names the parameter)
    │   │   ├── InvalidUrl           400  21402
    │   │   ├── InvalidWebhookFilter 400  50365
    │   │   └── InvalidPageToken     400  20001 (v1) / 21481 (2010)
    │   ├── MissingParameter         400  20001
    │   └── DuplicateAddress         400  20001  (status and code configurable)
    ├── AuthenticationError          401  20003
    ├── Forbidden                    403  20403  (control endpoints: who may call them)
    ├── NotFound                     404  20404
    ├── MethodNotAllowed             405  20004
    ├── PayloadTooLarge              413  20413  (body over limits.MAX_BODY_BYTES)
    ├── UnsupportedMediaType         415  20415  (control endpoints take JSON/YAML)
    ├── TooManyRequests              429  20429
    ├── InternalServerError          500  20500
    └── ServiceUnavailable           503  20503
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AuthenticationError",
    "BadRequest",
    "DuplicateAddress",
    "Forbidden",
    "InternalServerError",
    "InvalidPageToken",
    "InvalidParameter",
    "InvalidUrl",
    "InvalidWebhookFilter",
    "MethodNotAllowed",
    "MissingParameter",
    "NotFound",
    "PayloadTooLarge",
    "ServiceUnavailable",
    "TooManyRequests",
    "TwilioError",
    "UnsupportedMediaType",
    "error_for_status",
]

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


class TwilioError(Exception):
    """An error answered as Twilio would: HTTP ``status``, Twilio ``code``, ``message``."""

    status: ClassVar[int] = 500
    code: ClassVar[int] = 20500

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: int | None = None,
        parameter: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        # Instance overrides: the duplicate-address error is configurable, and a
        # fault may answer any status with any code.
        if status is not None:
            self.status = status  # type: ignore[misc]
        if code is not None:
            self.code = code  # type: ignore[misc]
        self.parameter = parameter

    def body(self) -> dict[str, Any]:
        """Twilio's legacy error body."""
        return {
            "code": self.code,
            "message": self.message,
            "more_info": MORE_INFO.format(code=self.code),
            "status": self.status,
        }


class BadRequest(TwilioError):
    status, code = 400, 20001


class InvalidParameter(BadRequest):
    """A parameter has a wrong type, pattern or value; the message names it."""


class InvalidUrl(InvalidParameter):
    code = 21402


class InvalidWebhookFilter(InvalidParameter):
    code = 50365


class InvalidPageToken(InvalidParameter):
    pass


class MissingParameter(BadRequest):
    pass


class DuplicateAddress(BadRequest):
    pass


class AuthenticationError(TwilioError):
    status, code = 401, 20003

    def body(self) -> dict[str, Any]:
        return {**super().body(), "detail": "Your AccountSid or AuthToken was incorrect."}


class Forbidden(TwilioError):
    status, code = 403, 20403


class NotFound(TwilioError):
    status, code = 404, 20404


class MethodNotAllowed(TwilioError):
    status, code = 405, 20004


class PayloadTooLarge(TwilioError):
    """Twilio's 20413 "Request Entity Too Large" (https://www.twilio.com/docs/api/errors/20413)."""

    status, code = 413, 20413


class UnsupportedMediaType(TwilioError):
    status, code = 415, 20415


class TooManyRequests(TwilioError):
    status, code = 429, 20429


class InternalServerError(TwilioError):
    status, code = 500, 20500


class ServiceUnavailable(TwilioError):
    status, code = 503, 20503


_BY_STATUS: dict[int, type[TwilioError]] = {
    cls.status: cls
    for cls in (
        BadRequest,
        AuthenticationError,
        NotFound,
        MethodNotAllowed,
        TooManyRequests,
        InternalServerError,
        ServiceUnavailable,
    )
}

_DEFAULT_MESSAGES = {
    400: "Bad Request",
    401: "Authenticate",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def error_for_status(
    status: int, message: str | None = None, code: int | None = None
) -> TwilioError:
    """The error a fault answers with: the class for ``status`` (any status works)."""
    cls = _BY_STATUS.get(status, TwilioError)
    text = message or _DEFAULT_MESSAGES.get(status, "Error")
    if code is None:
        code = cls.code if cls.status == status else 20000 + status
    return cls(text, status=status, code=code)
