"""Errors the emulator answers with, each carrying Twilio's HTTP status and code.

The backends raise them; the HTTP layer turns any of them into Twilio's legacy
error body ``{"code", "message", "more_info", "status"}`` (plus ``detail`` for
20003), which twilio-python turns into a ``TwilioRestException`` with the same
status and code. The body never carries both ``type`` and ``title``: that would
switch twilio-python to ``TwilioServiceException``.

Named ``ApiError`` (not ``TwilioError``) so that it never meets the package's
own :class:`pulumi_flex_sms.errors.TwilioError`, which is what a client raises.
The classes shared by every domain live here; a domain's own codes live in its
``errors.py`` (marked ``<domain>`` below)::

    ApiError                           500  20500
    ├── BadRequest                     400  20001
    │   ├── InvalidParameter           400  20001  (names the parameter)
    │   │   ├── InvalidUrl             400  21402
    │   │   ├── InvalidPageToken       400  20001 (v1) / 21481 (2010)
    │   │   ├── PageSizeTooLarge       400  20007  (PageSize over the list's maximum)
    │   │   ├── InvalidWebhookTarget   400  50364  <conversations>
    │   │   ├── InvalidWebhookFilter   400  50365  <conversations>
    │   │   ├── InvalidWebhookFlowSid  400  50367  <conversations>
    │   │   ├── InvalidInactiveTimer   400  50375  <conversations>
    │   │   ├── AddressIsProxyAddress  400  50409  <conversations>
    │   │   ├── InvalidPhoneNumber     400  21421  <numbers> (also a bad PhoneNumberSid <messaging>)
    │   │   ├── ApplicationNotAccessible 400 21420 <numbers> (buying with a foreign app)
    │   │   └── InvalidApplicationSid  400  22108  <numbers> (updating with a foreign app)
    │   ├── MissingParameter           400  20001
    │   │   ├── MissingWebhookTarget   400  50368  <conversations>
    │   │   └── MissingWebhookUrl      400  50369  <conversations>
    │   ├── DuplicateAddress           400  20001  <conversations> (status and code configurable)
    │   ├── ConversationClosed         400  50377  <conversations> (closed is final)
    │   ├── TimersWithoutState         400  50382  <conversations>
    │   ├── PairInUse                  400  50416  <conversations> (address + proxy address bound)
    │   ├── FlowNotPublished           400  20001  <studio> (a draft flow does not execute)
    │   ├── PhoneNumberUnavailable     400  21422  <numbers>
    │   ├── NumberWithoutMessaging     400  21715  <messaging>
    │   └── FlexFlowCollision          400  45212  <flex>
    ├── NumberAlreadyInService         409  21710  <messaging>
    ├── NumberInAnotherService         409  21712  <messaging>
    ├── NumberPoolFull                 412  21714  <messaging>
    ├── AuthenticationError            401  20003
    ├── Forbidden                      403  20403  (control endpoints: who may call them)
    ├── NotFound                       404  20404
    ├── MethodNotAllowed               405  20004
    ├── PayloadTooLarge                413  20413  (body over limits.MAX_BODY_BYTES)
    ├── UnsupportedMediaType           415  20415  (control endpoints take JSON/YAML)
    ├── TooManyRequests                429  20429
    ├── InternalServerError            500  20500
    └── ServiceUnavailable             503  20503
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "ApiError",
    "AuthenticationError",
    "BadRequest",
    "Forbidden",
    "InternalServerError",
    "InvalidPageToken",
    "InvalidParameter",
    "InvalidUrl",
    "MethodNotAllowed",
    "MissingParameter",
    "NotFound",
    "PageSizeTooLarge",
    "PayloadTooLarge",
    "ServiceUnavailable",
    "TooManyRequests",
    "UnsupportedMediaType",
    "error_for_status",
]

MORE_INFO = "https://www.twilio.com/docs/errors/{code}"


class ApiError(Exception):
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


class BadRequest(ApiError):
    status, code = 400, 20001


class InvalidParameter(BadRequest):
    """A parameter has a wrong type, pattern or value; the message names it."""


class InvalidUrl(InvalidParameter):
    code = 21402


class InvalidPageToken(InvalidParameter):
    pass


class PageSizeTooLarge(InvalidParameter):
    """https://www.twilio.com/docs/api/errors/20007: "Page size too large"."""

    code = 20007


class MissingParameter(BadRequest):
    pass


class AuthenticationError(ApiError):
    status, code = 401, 20003

    def body(self) -> dict[str, Any]:
        return {**super().body(), "detail": "Your AccountSid or AuthToken was incorrect."}


class Forbidden(ApiError):
    status, code = 403, 20403


class NotFound(ApiError):
    status, code = 404, 20404


class MethodNotAllowed(ApiError):
    status, code = 405, 20004


class PayloadTooLarge(ApiError):
    """Twilio's 20413 "Request Entity Too Large" (https://www.twilio.com/docs/api/errors/20413)."""

    status, code = 413, 20413


class UnsupportedMediaType(ApiError):
    status, code = 415, 20415


class TooManyRequests(ApiError):
    status, code = 429, 20429


class InternalServerError(ApiError):
    status, code = 500, 20500


class ServiceUnavailable(ApiError):
    status, code = 503, 20503


_BY_STATUS: dict[int, type[ApiError]] = {
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


def error_for_status(status: int, message: str | None = None, code: int | None = None) -> ApiError:
    """The error a fault answers with: the class for ``status`` (any status works)."""
    cls = _BY_STATUS.get(status, ApiError)
    text = message or _DEFAULT_MESSAGES.get(status, "Error")
    if code is None:
        code = cls.code if cls.status == status else 20000 + status
    return cls(text, status=status, code=code)
