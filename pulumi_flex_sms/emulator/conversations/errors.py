"""The conversations domain's own Twilio error codes (https://www.twilio.com/docs/api/errors/<code>)."""

from __future__ import annotations

from ..errors import BadRequest, InvalidParameter, MissingParameter

__all__ = [
    "AddressIsProxyAddress",
    "ConversationClosed",
    "DuplicateAddress",
    "InvalidInactiveTimer",
    "InvalidWebhookFilter",
    "InvalidWebhookFlowSid",
    "InvalidWebhookTarget",
    "MissingWebhookTarget",
    "MissingWebhookUrl",
    "PairInUse",
    "TimersWithoutState",
]


class InvalidWebhookFilter(InvalidParameter):
    code = 50365


class InvalidWebhookTarget(InvalidParameter):
    code = 50364


class InvalidWebhookFlowSid(InvalidParameter):
    code = 50367


class MissingWebhookTarget(MissingParameter):
    code = 50368


class MissingWebhookUrl(MissingParameter):
    code = 50369


class DuplicateAddress(BadRequest):
    """Status and code come from the settings: Twilio documents no answer for it."""


class InvalidInactiveTimer(InvalidParameter):
    """An inactive timer under one minute."""

    code = 50375


class ConversationClosed(BadRequest):
    """ "Can't update conversation as it's in final closed state"."""

    code = 50377


class TimersWithoutState(BadRequest):
    """Timers given at creation without ``State``."""

    code = 50382


class AddressIsProxyAddress(InvalidParameter):
    """A binding's address equals its proxy address."""

    code = 50409


class PairInUse(BadRequest):
    """ "Participant and proxy address pair is already in use": a non-closed
    conversation of the account binds it."""

    code = 50416
