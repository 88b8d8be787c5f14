"""The audit's findings and its JSON object, from accounts read through a fake twilio_api."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import jsonschema
import pytest
from support import routing_accounts as ra
from support.audit_accounts import (
    CLEAN,
    EVERY_FINDING,
    EXPECTED,
    EXPECTED_ACCOUNT,
    MG_WEBHOOK,
    SeededTwilioApi,
    sid,
)

from pulumi_flex_sms.audit import account as reader
from pulumi_flex_sms.audit.report import (
    FAIL_ON_LEVELS,
    Report,
    audit,
    json_schema,
    service_setting_unknown,
)
from pulumi_flex_sms.routing import (
    PROBLEM_CODES,
    SEVERITY,
    AccountSnapshot,
    MessagingService,
    Problem,
    ServiceNumber,
)


def snapshot_of(account: Any, monkeypatch: pytest.MonkeyPatch) -> AccountSnapshot:
    monkeypatch.setattr(reader, "twilio_api", SeededTwilioApi(account))
    return reader.read_account().snapshot()


@pytest.fixture
def every(monkeypatch: pytest.MonkeyPatch) -> AccountSnapshot:
    return snapshot_of(EVERY_FINDING, monkeypatch)


def codes(report: Report) -> dict[str, set[str]]:
    return {number.phone_number: {p.code for p in number.findings} for number in report.numbers}


def test_every_number_has_the_findings_of_its_route(every: AccountSnapshot) -> None:
    report = audit(every)
    assert codes(report) == EXPECTED
    assert [p.code for p in report.account_findings] == EXPECTED_ACCOUNT
    # Every problem code the routing model has shows up somewhere.
    found = {p.code for p in report.findings}
    assert found == set(PROBLEM_CODES)


def test_numbers_come_in_e164_order_and_carry_their_address(every: AccountSnapshot) -> None:
    report = audit(every)
    numbers = [n.phone_number for n in report.numbers]
    assert numbers == sorted(numbers)
    by_number = {n.phone_number: n for n in report.numbers}
    assert by_number["+13115550103"].address is None
    address = by_number["+13115550101"].address
    assert address is not None and address.sid == sid("IG", 101)


def test_verdicts_are_the_worst_finding(every: AccountSnapshot) -> None:
    by_number = {n.phone_number: n for n in audit(every).numbers}
    assert by_number["+13115550101"].verdict == "ok"
    assert by_number["+13115550101"].reach == "reaches Flex"
    assert by_number["+13115550112"].verdict == "warning"  # legacy-flex-flow only
    assert by_number["+13115550112"].reach == "reaches Flex"
    assert by_number["+13115550102"].verdict == "error"
    assert by_number["+13115550102"].reach == "reaches Flex, and more"
    assert by_number["+13115550103"].reach == "misses Flex"


def test_a_clean_account_has_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    report = audit(snapshot_of(CLEAN, monkeypatch))
    assert [n.verdict for n in report.numbers] == ["ok", "ok"]
    assert report.findings == ()
    assert not report.fails("warning")
    assert report.totals() == {
        "numbers": 2,
        "verdicts": {"ok": 2, "warning": 0, "error": 0},
        "findings": {"error": 0, "warning": 0},
        "codes": {},
    }


@pytest.mark.parametrize(
    ("fail_on", "findings", "fails"),
    [
        ("error", ("legacy-flex-flow",), False),
        ("warning", ("legacy-flex-flow",), True),
        ("never", ("no-conversation",), False),
        ("error", ("no-conversation",), True),
        ("warning", (), False),
    ],
)
def test_fail_on_levels(fail_on: Any, findings: tuple[Any, ...], fails: bool) -> None:
    problems = tuple(Problem(code, "subject", "summary", "fix") for code in findings)
    report = Report(account_sid=None, numbers=(), account_findings=problems)
    assert report.fails(fail_on) is fails
    assert fail_on in FAIL_ON_LEVELS


def test_numbers_narrow_the_report_and_the_account_findings(every: AccountSnapshot) -> None:
    report = audit(every, numbers=["+1 311 555 0113", "+13115550199", "+13115550000"])
    assert [n.phone_number for n in report.numbers] == [
        "+13115550000",
        "+13115550113",
        "+13115550199",
    ]
    by_number = {n.phone_number: n for n in report.numbers}
    # Not in the account: the model's not-delivered, and no SID.
    assert {p.code for p in by_number["+13115550000"].findings} == {"not-delivered"}
    assert by_number["+13115550000"].sid is None
    assert by_number["+13115550000"].reach == "not in the account"
    # The orphan address is for +13115550199, which was asked for; the service holds 0113;
    # the default service concerns every number.
    assert [p.code for p in report.account_findings] == EXPECTED_ACCOUNT
    narrower = audit(every, numbers=["+13115550101"])
    assert [p.code for p in narrower.account_findings] == ["not-flex-service"]


def test_the_service_finding_asks_for_the_console_and_names_its_numbers() -> None:
    numbers = [f"+1311555{n:04d}" for n in range(7)]
    service = MessagingService(
        sid=MG_WEBHOOK,
        friendly_name="Marketing",
        inbound_request_url="https://user:secret@hooks.example.com/in",
        phone_numbers=tuple(
            ServiceNumber(sid=sid("PN", n), phone_number=numbers[n]) for n in range(7)
        ),
    )
    problem = service_setting_unknown(service, numbers)
    assert problem.code == "messaging-service-overrides" and problem.severity == "warning"
    assert problem.subject == MG_WEBHOOK
    assert "confirm it in the Console" in problem.message
    assert "+13115550004 and 2 more" in problem.message
    assert (
        "secret" not in problem.message
        and "https://***:***@hooks.example.com/in" in problem.message
    )


def test_a_declared_service_mode_needs_no_console_check(every: AccountSnapshot) -> None:
    declared = replace(
        every,
        messaging_services=tuple(
            replace(s, incoming_mode="webhook") for s in every.messaging_services
        ),
    )
    account_codes = [p.code for p in audit(declared).account_findings]
    assert account_codes == ["not-flex-service", "not-delivered"]


def test_json_follows_its_schema_and_totals_count_everything(every: AccountSnapshot) -> None:
    report = audit(every)
    data = report.to_dict()
    jsonschema.Draft202012Validator.check_schema(json_schema())
    jsonschema.validate(data, json_schema(), format_checker=jsonschema.FormatChecker())
    assert data["version"] == 1
    assert data["account"]["sid"] == every.account_sid
    assert data["totals"]["numbers"] == len(EXPECTED)
    every_code = [c for found in EXPECTED.values() for c in found] + EXPECTED_ACCOUNT
    assert data["totals"]["findings"] == {
        "error": sum(SEVERITY[c] == "error" for c in every_code),
        "warning": sum(SEVERITY[c] == "warning" for c in every_code),
    }
    assert sum(data["totals"]["codes"].values()) == len(report.findings)
    assert data["totals"]["verdicts"] == {"ok": 1, "warning": 1, "error": 12}
    number = next(n for n in data["numbers"] if n["phone_number"] == "+13115550106")
    assert number["address_configuration"]["auto_creation"]["webhook_filters"] == [
        "onParticipantAdded"
    ]
    assert [f["code"] for f in number["findings"]] == ["no-integration"]


def test_the_schema_refuses_what_the_contract_does_not_allow(every: AccountSnapshot) -> None:
    data = audit(every).to_dict()
    data["numbers"][0]["findings"].append({**data["account"]["findings"][0], "code": "bogus"})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
    data = audit(every).to_dict()
    data["surprise"] = True
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())


def test_json_masks_credentials_in_urls() -> None:
    snapshot = ra.with_auto(
        ra.flex_account(),
        type="webhook",
        webhook_url="https://user:hunter2@hooks.example.com/flex",
        studio_flow_sid=None,
    )
    snapshot = ra.with_number(snapshot, sms_url="https://bob:pw1234@legacy.example.com/sms")
    text = str(audit(snapshot).to_dict())
    assert "hunter2" not in text and "pw1234" not in text
    assert "https://***:***@hooks.example.com/flex" in text
