"""Validators of single input values: phone numbers, SIDs, URLs, methods, enums.

Each raises an error that says what is wrong and how to fix it, with the value
shown masked and short (:func:`~pulumi_flex_sms.identifiers.shorten`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from pydantic_core import PydanticCustomError

from ..identifiers import is_e164, is_sid, shorten, strip_phone_punctuation

__all__ = [
    "e164",
    "http_method",
    "https_url",
    "input_error",
    "lower",
    "refuse_unsafe_url_characters",
    "sid",
]


def input_error(kind: str, message: str, value: Any) -> PydanticCustomError:
    return PydanticCustomError(kind, message + "; got {got}", {"got": shorten(value)})


def e164(value: str | None) -> str | None:
    """Normalise a phone number to E.164 (``+13115552368``); tolerate spaces, dashes, dots."""
    if value is None:
        return None
    cleaned = strip_phone_punctuation(value)
    if not is_e164(cleaned):
        raise input_error(
            "e164",
            "must be a phone number in E.164 form like +13115552368: a '+', the country code, "
            "then the number, at most 15 digits 0-9",
            value,
        )
    return cleaned


def sid(prefix: str, what: str, where: str) -> Callable[[str | None], str | None]:
    """A validator for a Twilio SID: ``prefix`` and 32 hex digits."""
    is_sid("", prefix)  # a bad prefix fails at import, not at check

    def validate(value: str | None) -> str | None:
        if value is None:
            return None
        if not is_sid(value, prefix):
            raise input_error(
                "sid",
                f"must be a {what} SID: '{prefix}' followed by 32 hex digits, as shown in {where}",
                value,
            )
        return value

    return validate


def refuse_unsafe_url_characters(value: str) -> None:
    """Refuse whitespace and control or format characters anywhere in a URL.

    ``urlsplit`` silently drops tabs and newlines, and an invisible character (NUL,
    a right-to-left override) makes the URL Twilio calls differ from the one shown.
    """
    for char in value:
        if char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
            raise input_error(
                "url_characters",
                f"must not contain spaces, control or invisible characters (found "
                f"U+{ord(char):04X}); percent-encode them, e.g. %20 for a space",
                value,
            )


def https_url(value: str | None) -> str | None:
    """A webhook URL: https, with a host, no whitespace or control characters."""
    if value is None:
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        raise input_error("url", "must be an https:// URL", value) from None
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise input_error(
            "https_url",
            "must be an https:// URL with a host name (Twilio would send message content "
            "unencrypted over http)",
            value,
        )
    refuse_unsafe_url_characters(value)
    return value


def http_method(value: str | None) -> str | None:
    """``get``/``Post``/... to Twilio's canonical ``GET`` or ``POST``."""
    if value is None:
        return None
    # ASCII only: 'po\u017ft'.upper() is 'POST', and Twilio would not take it.
    upper = value.upper() if isinstance(value, str) and value.isascii() else value
    if upper not in ("GET", "POST"):
        raise input_error("http_method", "must be 'GET' or 'POST'", value)
    return upper


def lower(value: Any) -> Any:
    """Case-fold strings before an enum check; ASCII only ('\u212a'.lower() is 'k')."""
    return value.lower() if isinstance(value, str) and value.isascii() else value
