"""Unit tests of the stack policies that pair addresses with their numbers."""

from __future__ import annotations

import pytest
from pulumi_policy.proxy import UnknownValueError
from support.analyzer import UNKNOWN, urn
from support.policy_functions import Violation, raises_unknown, run_stack_policy
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    OTHER_NUMBER,
    SALES,
    SUPPORT,
    address_inputs,
    address_outputs,
    compliant_stack,
    number_inputs,
    number_outputs,
    pet,
    pn_sid,
)

from pulumi_flex_sms.keys import PhoneNumberKeys
from pulumi_flex_sms.policies import (
    inbound_handler_unverified,
    no_inbound_handler_with_autocreation,
    one_address_per_number,
)
from pulumi_flex_sms.policies.numbers import inbound_handler
from pulumi_flex_sms.routing import problems

MANDATORY = no_inbound_handler_with_autocreation
ADVICE = inbound_handler_unverified
HOOK = "https://hooks.example.com/sms"
APP_SID = "AP" + "d" * 32


@pytest.mark.parametrize("outputs", [True, False], ids=["after-up", "preview"])
def test_compliant_stack_passes_every_number_policy(outputs: bool) -> None:
    stack = compliant_stack(outputs)
    for policy in (MANDATORY, ADVICE, one_address_per_number):
        assert run_stack_policy(policy, stack) == []


def in_parallel(kind: str, handler: str, number: str = SUPPORT) -> str:
    """The routing model's handler-in-parallel finding, as the pack reports it."""
    return f"[handler-in-parallel] {problems.handler_in_parallel(number, kind, handler).message}"


def test_webhook_left_on_the_number_is_reported_on_the_number_in_the_routing_words() -> None:
    stack = [
        (ADDRESS, "support-line", address_outputs(SUPPORT)),
        (NUMBER, "support-number", number_outputs(SUPPORT, sms_url=HOOK)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.urn == urn(NUMBER, "support-number")
    assert violation.message == in_parallel("number-sms-url", HOOK)
    assert HOOK in violation.message
    assert 'set sms_url to "" (blank)' in violation.message


def test_loosely_written_number_still_matches() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "support-number", number_inputs("+1 (311) 555-2368", sms_url=HOOK)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert SUPPORT in violation.message


def test_handler_on_a_number_without_autocreation_is_fine() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT, enabled=False)),
        (NUMBER, "support-number", number_inputs(SUPPORT, sms_url=HOOK)),
        (NUMBER, "sales-number", number_inputs(SALES, sms_url=HOOK)),
    ]
    assert run_stack_policy(MANDATORY, stack) == []


def test_managed_application_sid_is_a_handler() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "support-number", number_inputs(SUPPORT, smsApplicationSid=APP_SID)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.message == in_parallel("twiml-app", APP_SID)
    assert 'set sms_application_sid to ""' in violation.message


def test_unmanaged_application_sid_recorded_at_takeover_is_a_handler() -> None:
    original = {PhoneNumberKeys.SMS_APPLICATION_SID: APP_SID}
    stack = [
        (ADDRESS, "support-line", address_outputs(SUPPORT)),
        (NUMBER, "support-number", number_outputs(SUPPORT, original=original)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.message == in_parallel("twiml-app", APP_SID)
    # Managed and blank: the config clears the app, so nothing to report.
    stack[1] = (
        NUMBER,
        "support-number",
        number_outputs(SUPPORT, original=original, smsApplicationSid=""),
    )
    assert run_stack_policy(MANDATORY, stack) == []


def test_sid_only_config_is_matched_through_its_own_outputs() -> None:
    outputs = number_outputs(SUPPORT, sms_url=HOOK)  # holds phoneNumber and phoneNumberSid
    stack = [(ADDRESS, "support-line", address_outputs(SUPPORT)), (NUMBER, "cfg", outputs)]
    assert len(run_stack_policy(MANDATORY, stack)) == 1


def test_sid_only_config_is_paired_through_another_resource() -> None:
    sid = pn_sid(SUPPORT)
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (OTHER_NUMBER, "bought", {"sid": sid, "phoneNumber": "+1 311-555-2368"}),
        (NUMBER, "cfg", number_inputs(None, sid=sid, sms_url=HOOK)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.urn == urn(NUMBER, "cfg")
    assert violation.message == in_parallel("number-sms-url", HOOK)  # the paired E.164
    assert run_stack_policy(ADVICE, stack) == []


def test_unpaired_sid_only_config_is_advised_not_silently_passed() -> None:
    sid = pn_sid(SUPPORT)
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "cfg", number_inputs(None, sid=sid, sms_url=HOOK)),
    ]
    assert run_stack_policy(MANDATORY, stack) == []
    found = {v.urn: v.message for v in run_stack_policy(ADVICE, stack)}
    assert sid in found[urn(NUMBER, "cfg")]
    assert "give phone_number instead of phone_number_sid" in found[urn(NUMBER, "cfg")]
    assert "could not pair" in found[urn(ADDRESS, "support-line")]


def test_unpaired_sid_only_config_with_blank_handler_needs_no_own_advice() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "cfg", number_inputs(None, sid=pn_sid(SUPPORT))),
    ]
    assert [v.urn for v in run_stack_policy(ADVICE, stack)] == [urn(ADDRESS, "support-line")]


def test_address_without_number_config_gets_advice_on_its_urn() -> None:
    stack = [(ADDRESS, "support-line", address_inputs(SUPPORT)), pet()]
    [advice] = run_stack_policy(ADVICE, stack)
    assert advice.urn == urn(ADDRESS, "support-line")
    assert "webhook (smsUrl) is blank" in advice.message
    assert f'PhoneNumberMessagingConfig(phone_number="{SUPPORT}")' in advice.message


def test_no_advice_for_addresses_that_do_not_autocreate() -> None:
    stack = [(ADDRESS, "support-line", address_inputs(SUPPORT, enabled=False))]
    assert run_stack_policy(ADVICE, stack) == []


def test_other_numbers_configs_do_not_silence_the_advice() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "sales-number", number_inputs(SALES)),
    ]
    assert [v.urn for v in run_stack_policy(ADVICE, stack)] == [urn(ADDRESS, "support-line")]


def test_violations_for_several_numbers_are_all_reported() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (ADDRESS, "sales-line", address_inputs(SALES)),
        (NUMBER, "support-number", number_inputs(SUPPORT, sms_url=HOOK)),
        (NUMBER, "sales-number", number_inputs(SALES, smsApplicationSid=APP_SID)),
    ]
    urns = {v.urn for v in run_stack_policy(MANDATORY, stack)}
    assert urns == {urn(NUMBER, "support-number"), urn(NUMBER, "sales-number")}


# -- unknowns during preview --------------------------------------------------


def test_unknown_handler_on_an_autocreating_number_surfaces_after_known_violations() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (ADDRESS, "sales-line", address_inputs(SALES)),
        (NUMBER, "support-number", number_inputs(SUPPORT, sms_url=UNKNOWN)),
        (NUMBER, "sales-number", number_inputs(SALES, sms_url=HOOK)),
    ]
    found: list[Violation] = []
    with pytest.raises(UnknownValueError) as raised:
        run_stack_policy(MANDATORY, stack, into=found)
    assert [v.urn for v in found] == [urn(NUMBER, "sales-number")]
    assert (
        raised.value.message
        == "string value at .support-number.smsUrl can't be known during preview"
    )


def test_unknown_number_surfaces_only_when_it_could_matter() -> None:
    unknown_number = (NUMBER, "cfg", number_inputs(UNKNOWN, sms_url=HOOK))
    with raises_unknown("cfg.phoneNumber"):
        run_stack_policy(MANDATORY, [(ADDRESS, "support-line", address_inputs()), unknown_number])
    # No address auto-creates: an unknown number cannot be a violation.
    assert run_stack_policy(MANDATORY, [unknown_number, pet()]) == []
    # A blank handler is fine whatever the number turns out to be.
    blank = (NUMBER, "cfg", number_inputs(UNKNOWN))
    assert run_stack_policy(MANDATORY, [(ADDRESS, "a", address_inputs()), blank]) == []


def test_unknown_address_surfaces_when_a_handler_could_collide() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(UNKNOWN)),
        (NUMBER, "sales-number", number_inputs(SALES, sms_url=HOOK)),
    ]
    with raises_unknown("support-line.address"):
        run_stack_policy(MANDATORY, stack)
    stack[1] = (NUMBER, "sales-number", number_inputs(SALES))
    assert run_stack_policy(MANDATORY, stack) == []


def test_unknown_autocreation_flag_surfaces() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT, enabled=UNKNOWN)),
        (NUMBER, "support-number", number_inputs(SUPPORT, sms_url=HOOK)),
    ]
    with raises_unknown("support-line.autoCreation.enabled"):
        run_stack_policy(MANDATORY, stack)


def test_unknown_values_in_unrelated_resources_are_ignored() -> None:
    stack = [
        *compliant_stack(False),
        (OTHER_NUMBER, "other", {"sid": UNKNOWN, "phoneNumber": UNKNOWN}),
    ]
    assert run_stack_policy(MANDATORY, stack) == []
    assert run_stack_policy(ADVICE, stack) == []


def test_advice_with_unknown_config_number_defers_to_the_sdk_note() -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "cfg", number_inputs(UNKNOWN)),
    ]
    found: list[Violation] = []
    with raises_unknown("cfg.phoneNumber"):
        run_stack_policy(ADVICE, stack, into=found)
    assert found == []  # "cfg" may well be this number's config: no possibly wrong advice


# -- one address per number ---------------------------------------------------


def test_duplicate_addresses_are_reported_on_the_later_one() -> None:
    stack = [
        (ADDRESS, "first", address_inputs(SUPPORT)),
        (ADDRESS, "second", address_inputs("+1 311 555 2368")),
        (ADDRESS, "other", address_inputs(SALES)),
    ]
    [violation] = run_stack_policy(one_address_per_number, stack)
    assert violation.urn == urn(ADDRESS, "second")
    assert "FlexSmsAddress 'first'" in violation.message


def test_duplicates_with_unknown_address_surface_the_unknown() -> None:
    stack = [(ADDRESS, "first", address_inputs(SUPPORT)), (ADDRESS, "x", address_inputs(UNKNOWN))]
    with raises_unknown("x.address"):
        run_stack_policy(one_address_per_number, stack)
    assert run_stack_policy(one_address_per_number, stack[1:]) == []


# -- the pure helper ------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        ({"smsUrl": ""}, None),
        ({"smsUrl": "  "}, None),
        ({}, None),
        ({"smsUrl": HOOK}, ("smsUrl", HOOK, True)),
        ({"smsUrl": "", "smsApplicationSid": ""}, None),
        ({"smsUrl": "", "smsApplicationSid": APP_SID}, ("smsApplicationSid", APP_SID, True)),
        # The app replaces the number's URLs, so it is the handler (as in the routing model).
        ({"smsUrl": HOOK, "smsApplicationSid": APP_SID}, ("smsApplicationSid", APP_SID, True)),
        (
            {"smsUrl": "", "originalSettings": {"smsApplicationSid": APP_SID}},
            ("smsApplicationSid", APP_SID, False),
        ),
        (
            {
                "smsUrl": "",
                "smsApplicationSid": "",
                "originalSettings": {"smsApplicationSid": APP_SID},
            },
            None,
        ),
    ],
)
def test_inbound_handler(props: dict, expected: tuple | None) -> None:
    handler = inbound_handler(props)
    got = None if handler is None else (handler.key, handler.value, handler.managed)
    assert got == expected
