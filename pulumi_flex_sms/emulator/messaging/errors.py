"""The messaging domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>).

Adding a number with a bad or foreign ``PhoneNumberSid`` is the numbers
domain's :class:`~..numbers.errors.InvalidPhoneNumber` (21421: "add an invalid
Phone Number SID … to a Messaging Service"). The error pages give no HTTP
status; 409 and 412 are what a public client of this API (mozilla/fx-private-relay,
``phones/models.py``) handles for 21710 and 21714.
"""

from __future__ import annotations

from ..errors import ApiError, BadRequest

__all__ = [
    "NumberAlreadyInService",
    "NumberInAnotherService",
    "NumberPoolFull",
    "NumberWithoutMessaging",
]


class NumberAlreadyInService(ApiError):
    """ "Phone Number or Short Code is already in the Messaging Service"."""

    status, code = 409, 21710


class NumberInAnotherService(ApiError):
    """ "A Twilio phone number or short code can only be associated with one Messaging
    Service at a time"."""

    status, code = 409, 21712


class NumberPoolFull(ApiError):
    """ "By default, a Messaging Service can contain up to a total of 400 Twilio phone
    numbers and short codes"."""

    status, code = 412, 21714


class NumberWithoutMessaging(BadRequest):
    """ "For a phone number to work in a Messaging Service it must have at least SMS or
    MMS capabilities"."""

    code = 21715
