"""The conversations domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>)."""

from __future__ import annotations

from ..errors import BadRequest, InvalidParameter, MissingParameter

__all__ = ["DuplicateAddress", "InvalidWebhookFilter", "MissingWebhookUrl"]


class InvalidWebhookFilter(InvalidParameter):
    code = 50365


class MissingWebhookUrl(MissingParameter):
    code = 50369


class DuplicateAddress(BadRequest):
    """Status and code come from the settings: Twilio documents no answer for it."""
