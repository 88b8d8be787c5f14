"""Policies read numbers and SIDs exactly as the provider's check does (one shared definition)."""

from __future__ import annotations

import pytest
from support.policy_functions import run_resource_policy
from support.policy_stacks import ADDRESS, SUPPORT, address_inputs, pn_sid

from pulumi_flex_sms.models.address import check_address
from pulumi_flex_sms.policies import allowed_numbers
from pulumi_flex_sms.policies.state import is_phone_number_sid, normalize_number

LOOSELY_WRITTEN = [
    "+1 (311) 555-2368",
    "+1.311.555.2368",
    "+1\u00a0311\u00a0555\u00a02368",  # no-break spaces, as copied from a web page
    "+1\u2009311\u20095552368",  # thin spaces
    "+1 311\n555 2368",
    "\t+13115552368 \n",
]


@pytest.mark.parametrize("written", LOOSELY_WRITTEN)
def test_policies_normalise_numbers_like_check(written: str) -> None:
    checked, problems = check_address({"address": written})
    assert problems == []
    assert normalize_number(written) == checked["address"] == SUPPORT


@pytest.mark.parametrize("written", LOOSELY_WRITTEN)
def test_an_allowlist_entry_copied_with_odd_spaces_still_matches(written: str) -> None:
    config = {"numbers": [written]}
    assert run_resource_policy(allowed_numbers, ADDRESS, address_inputs(SUPPORT), config) == []


def test_other_digits_are_not_made_ascii() -> None:
    # Nothing is guessed: a number in other digits never matches an E.164 one.
    assert normalize_number("+1\u0663\u0661\u06615552368") != SUPPORT
    config = {"numbers": ["+1\uff13\uff11\uff115552368"]}
    [message] = run_resource_policy(allowed_numbers, ADDRESS, address_inputs(SUPPORT), config)
    assert "not in this stack's number allowlist" in message


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        (pn_sid(SUPPORT), True),
        (pn_sid(SUPPORT) + "\n", False),  # re's '$' matched before the newline
        ("PN" + "\uff10" * 32, False),
        (pn_sid(SUPPORT)[:-1], False),
        (None, False),
    ],
)
def test_phone_number_sid_is_exact(value: object, ok: bool) -> None:
    assert is_phone_number_sid(value) is ok
