"""What a phone number, a Twilio SID, a country code and a webhook event look like;
values shown in messages.

One definition for the input models, the settings, the resources' preflight and
the policies, so that all of them accept exactly the same values. Standard
library only, so every one of them can import it. (The emulator keeps its own
copy of Twilio's rules, on purpose: it checks this package independently.)

The patterns are ASCII on purpose: Python's ``\\d`` also matches Arabic-Indic
(U+0663) and full-width (U+FF13) digits, ``str.isalpha`` accepts ``É``, and ``$``
matches before a trailing newline. Twilio accepts none of those, so a value
that only looks right would pass ``check`` and fail (or match nothing) later.

:func:`shorten` is how every error message shows a value the user gave: any
URL credentials masked first, then cut to :data:`MESSAGE_LIMIT` characters.
:func:`redact_url` is how a policy message quotes a URL from state: as written,
with its user info replaced by ``***``.
"""

from __future__ import annotations

import re
import reprlib
from typing import Any, TypeGuard

from .urls import mask_credentials, mask_credentials_in_text

__all__ = [
    "MESSAGE_LIMIT",
    "WEBHOOK_FILTERS",
    "is_country_code",
    "is_e164",
    "is_sid",
    "redact_url",
    "shorten",
    "shorten_text",
    "strip_phone_punctuation",
]

#: The longest a value shown in an error message may be, quotes and ellipsis included.
MESSAGE_LIMIT = 200

# E.164: '+', a country code that does not start with 0, at most 15 digits in all (ITU-T E.164).
_E164 = re.compile(r"\+[1-9][0-9]{1,14}")
# What people put between digits when they write a number down; dropped before matching.
_PHONE_PUNCTUATION = re.compile(r"[\s\-.()]")
_HEX32 = "[0-9a-fA-F]{32}"
_SID_PREFIX = re.compile(r"[A-Z]{2}")
_COUNTRY_CODE = re.compile(r"[A-Z]{2}")

#: The post-event names a conversation-scoped webhook can subscribe to (Twilio's
#: AutoCreation.WebhookFilters; there is no onConversationAdded).
WEBHOOK_FILTERS = (
    "onConversationRemoved",
    "onConversationStateUpdated",
    "onConversationUpdated",
    "onDeliveryUpdated",
    "onMessageAdded",
    "onMessageRemoved",
    "onMessageUpdated",
    "onParticipantAdded",
    "onParticipantRemoved",
    "onParticipantUpdated",
)


def strip_phone_punctuation(value: str) -> str:
    """``+1 (311) 555-2368`` -> ``+13115552368``: drop whitespace, dashes, dots, parentheses.

    Nothing is guessed: a number without its ``+`` is not given a country code,
    and digits other than ASCII ``0-9`` stay as they are (so they fail :func:`is_e164`).
    """
    return _PHONE_PUNCTUATION.sub("", value)


def is_e164(value: Any) -> TypeGuard[str]:
    """True for a number in E.164 form (``+13115552368``), ASCII digits only, nothing around."""
    return isinstance(value, str) and _E164.fullmatch(value) is not None


def is_sid(value: Any, prefix: str) -> TypeGuard[str]:
    """True for a Twilio SID: ``prefix`` (two capitals, e.g. ``PN``) and 32 ASCII hex digits."""
    if not _SID_PREFIX.fullmatch(prefix):
        raise ValueError(f"a SID prefix is two capital letters; got {prefix!r}")
    return (
        isinstance(value, str)
        and value.startswith(prefix)
        and re.fullmatch(_HEX32, value[2:]) is not None
    )


def is_country_code(value: Any) -> TypeGuard[str]:
    """True for an ISO 3166-1 alpha-2 code as Twilio takes it: two ASCII capitals (``US``)."""
    return isinstance(value, str) and _COUNTRY_CODE.fullmatch(value) is not None


class _MessageRepr(reprlib.Repr):
    """``repr`` bounded in depth and length, with URL credentials masked in every string."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.maxlevel = 4
        self.maxtuple = self.maxlist = self.maxset = self.maxfrozenset = self.maxdeque = 8
        self.maxdict = 8
        self.maxstring = self.maxother = limit

    def repr_str(self, x: str, level: int) -> str:
        return super().repr_str(mask_credentials_in_text(x), level)

    def repr_int(self, x: int, level: int) -> str:
        if x.bit_length() > 4096:  # str(int) refuses more than 4300 digits
            return f"<int of {x.bit_length()} bits>"
        return super().repr_int(x, level)

    def repr_instance(self, x: Any, level: int) -> str:
        try:
            text = repr(x)
        except Exception:
            return f"<{type(x).__name__} object>"
        return _clip(mask_credentials_in_text(text), self.maxother)


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: max(limit - 3, 0)] + "..."


def shorten(value: Any, limit: int = MESSAGE_LIMIT) -> str:
    """How an error message shows a value: its ``repr``, credentials masked, cut to ``limit``.

    Masking comes first, so a cut can never leave part of a password behind, and
    it reaches strings nested in lists and dicts (keys too): a URL with
    credentials given where a string was expected is masked like any other.
    """
    return _clip(_MessageRepr(limit).repr(value), limit)


def shorten_text(text: str, limit: int = MESSAGE_LIMIT) -> str:
    """Like :func:`shorten` for text shown as is (a property name), without quotes."""
    return _clip(mask_credentials_in_text(text), limit)


def redact_url(url: str) -> str:
    """The URL with any user info replaced by ``***``, safe to put in a policy message."""
    return mask_credentials(url.strip(), mask="***", unparseable="<unparseable URL>")
