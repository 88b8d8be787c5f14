"""Reading the account: what it asks twilio_api for, and how that grows (never per number)."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from support.audit_accounts import (
    AP_REPLY,
    CLEAN,
    EVERY_FINDING,
    FW_DRAFT,
    FW_FLEX,
    FW_GONE,
    FW_SMS_TRIGGER,
    IS_FLEX,
    IS_GONE,
    IS_OTHER,
    Account,
    SeededTwilioApi,
    numbered_account,
)

from pulumi_flex_sms.audit import account as reader
from pulumi_flex_sms.errors import AuthenticationError, NotFoundError

READ_ONLY = {
    "account_sid",
    "list_numbers",
    "list_address_configurations",
    "list_applications",
    "list_messaging_services",
    "list_flex_flows",
    "fetch_conversations_configuration",
    "fetch_flex_configuration",
    "fetch_studio_flow",
    "fetch_conversation_service",
}


def read(account: Account, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, SeededTwilioApi]:
    fake = SeededTwilioApi(account)
    monkeypatch.setattr(reader, "twilio_api", fake)
    return reader.read_account(), fake


def test_reads_everything_once_and_each_referenced_object_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records, fake = read(EVERY_FINDING, monkeypatch)
    assert {op for op, _ in fake.calls} <= READ_ONLY
    assert fake.calls == [
        ("list_numbers", None),
        ("list_address_configurations", None),
        ("list_applications", None),  # a number names a TwiML app
        ("list_messaging_services", None),
        ("list_flex_flows", None),
        ("fetch_conversations_configuration", None),
        ("fetch_flex_configuration", None),
        *[("fetch_studio_flow", f) for f in (FW_FLEX, FW_GONE, FW_DRAFT, FW_SMS_TRIGGER)],
        *[("fetch_conversation_service", s) for s in (IS_FLEX, IS_OTHER, IS_GONE)],
    ]
    assert records.account_sid == fake.account
    # What no longer exists is simply absent: the model calls it missing.
    assert {f["sid"] for f in records.studio_flows} == {FW_FLEX, FW_DRAFT, FW_SMS_TRIGGER}
    assert {s["sid"] for s in records.conversation_services} == {IS_FLEX, IS_OTHER}
    assert [a["sid"] for a in records.applications] == [AP_REPLY]


def test_the_calls_do_not_grow_with_the_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    _, few = read(numbered_account(3), monkeypatch)
    _, many = read(numbered_account(300), monkeypatch)
    # Six reads (no number names a TwiML app), then the one flow and the one service.
    assert len(few.calls) == len(many.calls) == 6 + 2
    assert few.calls == many.calls


def test_applications_are_listed_only_when_a_number_names_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _, fake = read(CLEAN, monkeypatch)
    assert ("list_applications", None) not in fake.calls


def test_an_account_without_flex_flows_to_list_has_none(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = SeededTwilioApi(CLEAN)
    fake.fail_next("list_flex_flows", NotFoundError("no Flex here", status=404))
    monkeypatch.setattr(reader, "twilio_api", fake)
    assert reader.read_account().flex_flows == []


def test_twilio_errors_pass_through_untouched(monkeypatch: pytest.MonkeyPatch) -> None:
    fake = SeededTwilioApi(CLEAN)
    refused = AuthenticationError("Twilio rejected the credentials", status=401, code=20003)
    fake.fail_next("list_address_configurations", refused)
    monkeypatch.setattr(reader, "twilio_api", fake)
    with pytest.raises(AuthenticationError) as raised:
        reader.read_account()
    assert raised.value is refused


def test_progress_is_told_before_each_read(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, int, int]] = []
    fake = SeededTwilioApi(CLEAN)
    monkeypatch.setattr(reader, "twilio_api", fake)
    reader.read_account(lambda what, done, known: seen.append((what, done, known)))
    assert seen[0] == ("phone numbers", 0, 7)
    assert seen[-1] == ("done", 9, 9)  # 7 steps (applications skipped), the flow, the service
    assert [done for _, done, _ in seen] == list(range(10))


def test_addresses_of_other_types_are_read_but_only_sms_counts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    account = copy.deepcopy(CLEAN)
    account.body["address_configurations"].append(
        {"sid": "IG" + "9" * 32, "address": "whatsapp:+13115550299", "type": "whatsapp"}
    )
    records, _ = read(account, monkeypatch)
    snapshot = records.snapshot()
    assert len(snapshot.addresses) == 3
    from pulumi_flex_sms.routing import account_problems

    assert account_problems(snapshot) == ()  # a WhatsApp address is not an orphan SMS one
