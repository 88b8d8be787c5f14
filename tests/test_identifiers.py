"""The one definition of phone numbers, SIDs, country codes, and of values shown in messages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pulumi_flex_sms.identifiers import (
    MESSAGE_LIMIT,
    is_country_code,
    is_e164,
    is_sid,
    redact_url,
    shorten,
    shorten_text,
    strip_phone_punctuation,
)

PN = "PN" + "a1" * 16
ARABIC_INDIC_3 = "\u0663"
FULLWIDTH_3 = "\uff13"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("+13115552368", True),
        ("+123", True),
        ("+123456789012345", True),  # 15 digits, E.164's maximum
        ("+1234567890123456", False),
        ("+03115552368", False),
        ("13115552368", False),
        ("+1311555236" + ARABIC_INDIC_3, False),  # re's \d would take it
        ("+1311555236" + FULLWIDTH_3, False),
        ("+13115552368\n", False),  # re's $ would take it
        (" +13115552368", False),
        (None, False),
        (13115552368, False),
    ],
)
def test_e164_is_ascii_digits_only_and_nothing_around(value: object, ok: bool) -> None:
    assert is_e164(value) is ok


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (PN, True),
        (PN.upper(), True),
        ("PN" + "a" * 31, False),
        (PN + "a", False),
        (PN + "\n", False),
        ("MG" + PN[2:], False),
        ("PN" + "a" * 31 + ARABIC_INDIC_3, False),
        ("PN" + "a" * 31 + "\uff41", False),  # full-width 'a'
        (None, False),
    ],
)
def test_sid_is_prefix_and_32_ascii_hex_digits(value: object, ok: bool) -> None:
    assert is_sid(value, "PN") is ok


def test_sid_prefix_must_be_two_capitals() -> None:
    with pytest.raises(ValueError, match="two capital letters"):
        is_sid(PN, "P.")


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("US", True),
        ("us", False),  # the model upper-cases first; the code itself is capitals
        ("USA", False),
        ("\u00c9S", False),  # str.isalpha takes it
        ("\uff35\uff33", False),  # full-width US
        ("U\n", False),
        ("US\n", False),
        (None, False),
    ],
)
def test_country_code_is_two_ascii_capitals(value: object, ok: bool) -> None:
    assert is_country_code(value) is ok


def test_punctuation_goes_digits_stay() -> None:
    assert strip_phone_punctuation("+1 (311)\u00a0555-2368.\n") == "+13115552368"
    # Nothing is translated: a non-ASCII digit stays and then fails is_e164.
    assert strip_phone_punctuation("+1 311 555 236" + ARABIC_INDIC_3).endswith(ARABIC_INDIC_3)


def test_shorten_masks_credentials_however_deep_they_sit() -> None:
    for value in (
        "https://bot:hunter2@hooks.example.com/in",
        ["https://bot:hunter2@hooks.example.com/in"],
        {"url": ("x", "https://bot:hunter2@hooks.example.com/in")},
        {"https://bot:hunter2@hooks.example.com/in": 1},
        "see https://bot:hunter2@hooks.example.com now",
        "http://bot:hunter2@[::1",  # does not parse as a URL
        "https:/\n/bot:hunter2@hooks.example.com",  # urlsplit drops the newline
    ):
        shown = shorten(value)
        assert "hunter2" not in shown and "bot" not in shown, shown
        assert "***" in shown


def test_shorten_masks_before_it_cuts() -> None:
    # Cutting first would leave the start of a long password with no '@' to find.
    value = "https://bot:" + "s" * 300 + "@hooks.example.com/" + "x" * 300
    shown = shorten(value)
    assert "s" * 10 not in shown
    assert len(shown) <= MESSAGE_LIMIT


@pytest.mark.parametrize(
    "value",
    [
        "x" * 10_000,
        ["y" * 500] * 500,
        {f"k{i}": "v" * 500 for i in range(100)},
        [[[[[[[[["deep"]]]]]]]]],
        10**400,
        10**5000,  # more digits than str(int) allows
    ],
    ids=["long string", "long list", "big dict", "deep list", "huge int", "huger int"],
)
def test_shorten_is_bounded(value: object) -> None:
    shown = shorten(value)
    assert 0 < len(shown) <= MESSAGE_LIMIT


def test_short_values_are_shown_as_repr() -> None:
    assert shorten("US") == "'US'"
    assert shorten(["a", 1]) == "['a', 1]"
    assert shorten(True) == "True"


def test_shorten_text_has_no_quotes_and_the_same_rules() -> None:
    assert shorten_text("studioFlowSid") == "studioFlowSid"
    assert shorten_text("https://u:p@h.example") == "https://***:***@h.example"
    assert len(shorten_text("k" * 1000, 60)) == 60


def test_a_policy_message_quotes_a_url_as_written_with_its_user_info_masked() -> None:
    assert redact_url(" https://bot:hunter2@Hooks.example.com:8443/in ") == (
        "https://***@Hooks.example.com:8443/in"
    )
    assert redact_url("https://hooks.example.com/in") == "https://hooks.example.com/in"
    assert redact_url("http://bot:hunter2@[::1") == "<unparseable URL>"


#: What each concept looks like when someone writes it again instead of importing it.
COPIES = {
    "a SID pattern": re.compile(r"0-9a-fA-F\]\{32\}|\[0-9a-f\]\{32\}"),
    "the E.164 pattern": re.compile(r"\\\+\[1-9\]"),
    "the list of webhook events": re.compile(r"[\"']onParticipantRemoved[\"']"),
    "a URL redactor": re.compile(r"^def redact_url\b", re.M),
}


def test_each_identifier_is_defined_once() -> None:
    package = Path(__file__).resolve().parents[1] / "pulumi_flex_sms"
    found = [
        (what, str(path.relative_to(package)))
        for path in sorted(package.rglob("*.py"))
        # The emulator keeps its own copy of Twilio's rules on purpose (docs/design.md);
        # routing/ is being reshaped by its own issue and still has copies to replace.
        if path.parts[len(package.parts)] not in ("emulator", "routing")
        for what, pattern in COPIES.items()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert sorted(found) == [
        ("a SID pattern", "identifiers.py"),
        ("a URL redactor", "identifiers.py"),
        ("the E.164 pattern", "identifiers.py"),
        ("the list of webhook events", "identifiers.py"),
    ]
