"""The numbers domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>)."""

from __future__ import annotations

from ..errors import BadRequest, InvalidParameter

__all__ = [
    "ApplicationNotAccessible",
    "InvalidApplicationSid",
    "InvalidPhoneNumber",
    "PhoneNumberUnavailable",
]


class InvalidPhoneNumber(InvalidParameter):
    code = 21421


class PhoneNumberUnavailable(BadRequest):
    code = 21422


class ApplicationNotAccessible(InvalidParameter):
    """Buying a number with an app the account does not have
    (https://www.twilio.com/docs/api/errors/21420)."""

    code = 21420


class InvalidApplicationSid(InvalidParameter):
    """Configuring a number with an app the account does not have
    (https://www.twilio.com/docs/api/errors/22108)."""

    code = 22108
