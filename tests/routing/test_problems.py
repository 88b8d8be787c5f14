"""Problem codes and messages: the contract the audit and the policy pack share."""

from __future__ import annotations

import pytest
from support.routing_accounts import FW, IG, IS_FLEX, IS_OTHER, MG, NUMBER

from pulumi_flex_sms.routing import PROBLEM_CODES, SEVERITY, problems


def test_the_codes_are_exactly_the_published_contract() -> None:
    assert PROBLEM_CODES == (
        "handler-in-parallel",
        "no-conversation",
        "no-integration",
        "autocreation-disabled",
        "messaging-service-overrides",
        "not-flex-service",
        "service-missing",
        "flow-missing",
        "flow-not-published",
        "flow-without-send-to-flex",
        "legacy-flex-flow",
        "not-delivered",
    )
    assert set(SEVERITY) == set(PROBLEM_CODES)
    warnings = {code for code, severity in SEVERITY.items() if severity == "warning"}
    assert warnings == {"messaging-service-overrides", "legacy-flex-flow"}


def test_sids_get_a_noun_and_stack_names_are_used_as_given() -> None:
    from_account = problems.autocreation_disabled(NUMBER, IG)
    assert f"address configuration {IG}" in from_account.message
    from_stack = problems.autocreation_disabled(NUMBER, "FlexSmsAddress 'support'")
    assert "FlexSmsAddress 'support' for +15550001111" in from_stack.message
    assert "address configuration FlexSmsAddress" not in from_stack.message
    assert from_stack.subject == "FlexSmsAddress 'support'"


def test_handler_in_parallel_for_a_stack_resource() -> None:
    problem = problems.handler_in_parallel(
        NUMBER,
        "number-sms-url",
        "https://user:secret@hooks.example.com/sms",
        resource="PhoneNumberMessagingConfig 'support'",
    )
    assert problem.code == "handler-in-parallel" and problem.severity == "error"
    assert "secret" not in problem.message
    assert "https://***:***@hooks.example.com/sms" in problem.message
    assert problem.fix == "set sms_url to \"\" (blank) on PhoneNumberMessagingConfig 'support'"
    assert problem.message.endswith("\nFix: " + problem.fix)
    assert "in parallel" in problem.summary


@pytest.mark.parametrize(
    ("kind", "handler", "fragments"),
    [
        ("twiml-app", "AP" + "1" * 32, ("TwiML app AP1", 'set sms_application_sid to ""')),
        ("messaging-service-webhook", "https://svc.example.com/in", (MG, "remove +15550001111")),
    ],
)
def test_handler_in_parallel_fix_follows_the_handler(
    kind: problems.HandlerKind, handler: str, fragments: tuple[str, ...]
) -> None:
    problem = problems.handler_in_parallel(NUMBER, kind, handler, service=MG)
    for fragment in fragments:
        assert fragment in problem.message


def test_messaging_service_overrides_when_the_mode_is_unknown() -> None:
    # What the policy pack knows: a number added to a service, mode unknown.
    problem = problems.messaging_service_overrides(
        NUMBER, "MessagingServicesPhoneNumbersV1 'p'", None
    )
    assert problem.severity == "warning"
    assert "confirm it in the Console" in problem.message
    assert "The service " not in problem.summary  # no mode claimed
    declared = problems.messaging_service_overrides(
        NUMBER, MG, "webhook", declared=True, webhook="https://x.example.com"
    )
    assert "confirm" not in declared.message and "https://x.example.com" in declared.message


def test_not_flex_service_names_where_the_service_comes_from() -> None:
    via_address = problems.not_flex_service(NUMBER, IS_OTHER, IS_FLEX, address=IG)
    assert (
        via_address.subject == IG
        and f"conversation_service_sid on address configuration {IG}" in via_address.fix
    )
    via_default = problems.not_flex_service(NUMBER, IS_OTHER, IS_FLEX)
    assert "default Conversations service" in via_default.message and via_default.subject == NUMBER


def test_flow_problems_name_the_flow_and_the_owner() -> None:
    problem = problems.flow_without_send_to_flex(NUMBER, FW, "no Send to Flex widget", address=IG)
    assert (
        f"Studio flow {FW}" in problem.message and f"address configuration {IG}" in problem.message
    )
    assert problem.subject == FW
    missing = problems.flow_missing(NUMBER, None, address="FlexSmsAddress 'a'")
    assert "45763" in missing.message and missing.subject == "FlexSmsAddress 'a'"


def test_delivery_failed_is_not_delivered_and_masks_the_url() -> None:
    problem = problems.delivery_failed("number-sms-url", "https://u:p@h.example.com/", "HTTP 500")
    assert problem.code == "not-delivered"
    assert "u:p@" not in problem.message and "HTTP 500" in problem.message


def test_to_dict() -> None:
    problem = problems.no_conversation(NUMBER)
    assert problem.to_dict() == {
        "code": "no-conversation",
        "severity": "error",
        "subject": NUMBER,
        "message": problem.message,
        "sources": list(problem.sources),
    }
    assert all(url.startswith("https://") for url in problem.sources)
