"""The table for people: a row per number, each finding in full, colour only when asked."""

from __future__ import annotations

import re

import pytest
from support import routing_accounts as ra
from support.audit_accounts import EVERY_FINDING, EXPECTED, SeededTwilioApi

from pulumi_flex_sms.audit import account as reader
from pulumi_flex_sms.audit.report import Report, audit
from pulumi_flex_sms.audit.table import HEADERS, render_table, short_sid

ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def report(monkeypatch: pytest.MonkeyPatch) -> Report:
    monkeypatch.setattr(reader, "twilio_api", SeededTwilioApi(EVERY_FINDING))
    return audit(reader.read_account().snapshot())


def rows(text: str) -> dict[str, str]:
    return {line.split()[0]: line for line in text.splitlines() if line.startswith("+1")}


def test_one_row_per_number_with_address_handlers_verdict_and_problems(report: Report) -> None:
    text = render_table(report)
    header = next(line for line in text.splitlines() if line.startswith("NUMBER"))
    assert header.split() == list(HEADERS)
    table = rows(text.split("\n\n")[1])
    assert set(table) == set(EXPECTED)
    assert "ok: reaches Flex" in table["+13115550101"]
    assert table["+13115550101"].endswith("  -")  # no problem
    assert "studio FW0000..0001" in table["+13115550101"]
    assert "sms_url https://legacy.example.com/sms" in table["+13115550102"]
    assert "error: reaches Flex, and more" in table["+13115550102"]
    assert "disabled (studio)" in table["+13115550104"]
    assert "app AP0000..0001" in table["+13115550114"]
    assert "service webhook https://marketing" in table["+13115550113"]
    assert table["+13115550113"].endswith("messaging-service-overrides, handler-in-parallel")
    assert "warning: reaches Flex" in table["+13115550112"]


def test_every_finding_is_printed_in_full_under_its_number(report: Report) -> None:
    text = render_table(report, width=100)
    flat = " ".join(text.split())
    for number in report.numbers:
        for problem in number.findings:
            assert f"[{problem.code}]" in text
            assert " ".join(problem.message.split()) in flat
    assert "The account" in text
    for problem in report.account_findings:
        assert " ".join(problem.message.split()) in flat
    assert text.rstrip().endswith("1 ok, 1 warning, 12 error; 15 errors and 3 warnings found.")
    details = text.split("\n\n", 2)[2]
    assert all(len(line) <= 100 or " " not in line.strip() for line in details.splitlines())


def test_colour_only_when_asked(report: Report) -> None:
    plain = render_table(report)
    assert not ANSI.search(plain)
    coloured = render_table(report, colour=True)
    assert (
        "\x1b[31merror" in coloured and "\x1b[32mok" in coloured and "\x1b[33mwarning" in coloured
    )
    assert ANSI.sub("", coloured) == plain


def test_an_account_without_numbers_says_so() -> None:
    text = render_table(Report(account_sid=ra.ACCOUNT, numbers=(), account_findings=()))
    assert "The account has no phone numbers." in text
    assert text.rstrip().endswith(
        "0 numbers: 0 ok, 0 warning, 0 error; 0 errors and 0 warnings found."
    )


def test_urls_with_credentials_are_masked() -> None:
    snapshot = ra.with_number(
        ra.flex_account(), sms_url="https://bob:pw1234@legacy.example.com/sms"
    )
    snapshot = ra.with_auto(
        snapshot,
        type="webhook",
        webhook_url="https://user:hunter2@hooks.example.com/flex",
        studio_flow_sid=None,
    )
    text = render_table(audit(snapshot))
    assert "pw1234" not in text and "hunter2" not in text
    assert "sms_url https://***:***@" in text
    assert "https://***:***@legacy.example.com/sms" in text


def test_short_sids_keep_both_ends() -> None:
    assert short_sid("FW0123456789abcdef0123456789abcdef") == "FW0123..cdef"
    assert short_sid("FlexSmsAddress 'x'") == "FlexSmsAddress 'x'"
