"""The numbers domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>)."""

from __future__ import annotations

from ..errors import BadRequest, InvalidParameter

__all__ = ["InvalidPhoneNumber", "PhoneNumberUnavailable"]


class InvalidPhoneNumber(InvalidParameter):
    code = 21421


class PhoneNumberUnavailable(BadRequest):
    code = 21422
