"""The PhoneNumberMessagingConfig input model: values that only look right, and what errors show."""

from __future__ import annotations

from typing import Any

import pytest

from pulumi_flex_sms.identifiers import MESSAGE_LIMIT
from pulumi_flex_sms.models.phone_number import check_phone_number

PN = "PN" + "a" * 32


@pytest.mark.parametrize(
    ("props", "prop", "words"),
    [
        ({"phoneNumber": "+1\u0663\u0661\u06615552368"}, "phoneNumber", "digits 0-9"),
        ({"phoneNumber": "+1\uff13\uff11\uff115552368"}, "phoneNumber", "digits 0-9"),
        ({"phoneNumberSid": "PN" + "\uff41" * 32}, "phoneNumberSid", "32 hex"),
        (
            {"phoneNumberSid": PN, "smsApplicationSid": "AP" + "1" * 31 + "\u0661"},
            "smsApplicationSid",
            "32 hex",
        ),
        ({"phoneNumberSid": PN, "smsMethod": "po\u017ft"}, "smsMethod", "'GET' or 'POST'"),
        ({"phoneNumberSid": PN, "smsUrl": "https://h.example/\x07"}, "smsUrl", "U+0007"),
        (
            {"phoneNumberSid": PN, "smsFallbackUrl": "https://h.example/a\u200bb"},
            "smsFallbackUrl",
            "U+200B",
        ),
    ],
)
def test_lookalike_values_are_refused(props: dict[str, Any], prop: str, words: str) -> None:
    _, problems = check_phone_number(props)
    assert prop in [p for p, _ in problems], problems
    assert words in dict(problems)[prop]


def test_trailing_newline_is_trimmed_not_kept() -> None:
    checked, problems = check_phone_number({"phoneNumberSid": PN + "\n"})
    assert problems == []
    assert checked["phoneNumberSid"] == PN


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"phoneNumberSid": PN, "smsUrl": ["https://bot:hunter2@h.example/sms"]}, "smsUrl"),
        (
            {"phoneNumberSid": PN, "smsFallbackUrl": {"u": "https://bot:hunter2@h.example"}},
            "smsFallbackUrl",
        ),
        ({"phoneNumberSid": ["https://bot:hunter2@h.example"]}, "phoneNumberSid"),
        ({"phoneNumberSid": PN, "smsUrl": "ftp://bot:hunter2@h.example"}, "smsUrl"),
    ],
)
def test_credentials_in_the_wrong_place_are_masked(props: dict[str, Any], prop: str) -> None:
    _, problems = check_phone_number(props)
    assert prop in [p for p, _ in problems], problems
    assert "hunter2" not in repr(problems)


def test_long_values_are_cut_in_messages() -> None:
    _, problems = check_phone_number({"phoneNumber": "+1" + "5" * 10_000, "smsUrl": "x" * 10_000})
    assert {p for p, _ in problems} == {"phoneNumber", "smsUrl"}
    for _, reason in problems:
        assert len(reason.rsplit("; got ", 1)[1]) <= MESSAGE_LIMIT, reason
