"""The number policies over the Terraform-bridged Twilio provider's resources, in any mix with ours.

The bridged provider's address configuration (``ConversationsConfigurationAddressesV1``,
flat ``autoCreation*`` keys) and phone number (``ApiAccountsIncomingPhoneNumbers``)
stand in for FlexSmsAddress and PhoneNumberMessagingConfig on either side.
"""

from __future__ import annotations

import pytest
from support.analyzer import UNKNOWN, urn
from support.policy_functions import Violation, raises_unknown, run_stack_policy
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    SALES,
    SUPPORT,
    TWILIO_ADDRESS,
    TWILIO_NUMBER,
    address_inputs,
    address_outputs,
    number_inputs,
    number_outputs,
    pet,
    pn_sid,
    twilio_address,
    twilio_number,
)

from pulumi_flex_sms.policies import (
    inbound_handler_unverified,
    no_inbound_handler_with_autocreation,
    one_address_per_number,
)
from pulumi_flex_sms.routing import problems

MANDATORY = no_inbound_handler_with_autocreation
ADVICE = inbound_handler_unverified
HOOK = "https://hooks.example.com/sms"
APP_SID = "AP" + "d" * 32


def in_parallel(kind: str, handler: str, number: str = SUPPORT) -> str:
    return f"[handler-in-parallel] {problems.handler_in_parallel(number, kind, handler).message}"


#: Each way to say "this number auto-creates" next to each way to leave a webhook on it.
MIXES = {
    "ours-ours": (
        (ADDRESS, address_inputs(SUPPORT)),
        (NUMBER, number_inputs(SUPPORT, sms_url=HOOK)),
    ),
    "our-address-their-number": (
        (ADDRESS, address_inputs(SUPPORT)),
        (TWILIO_NUMBER, twilio_number("+1 (311) 555-2368", sms_url=HOOK)),
    ),
    "their-address-our-number": (
        (TWILIO_ADDRESS, twilio_address(SUPPORT)),
        (NUMBER, number_inputs(SUPPORT, sms_url=HOOK)),
    ),
    "theirs-theirs": (
        (TWILIO_ADDRESS, twilio_address(SUPPORT)),
        (TWILIO_NUMBER, twilio_number(SUPPORT, sms_url=HOOK)),
    ),
}


@pytest.mark.parametrize("mix", MIXES.values(), ids=MIXES.keys())
def test_handler_next_to_autocreation_is_reported_in_every_mix(mix) -> None:
    (address_type, address), (number_type, number) = mix
    stack = [(address_type, "line", address), (number_type, "num", number), pet()]
    assert run_stack_policy(MANDATORY, stack) == [
        Violation(in_parallel("number-sms-url", HOOK), urn(number_type, "num"))
    ]
    # Blank the handler (or turn autocreation off) and the stack passes.
    if number_type == TWILIO_NUMBER:
        blank = twilio_number(SUPPORT, sms_url="")
    else:
        blank = number_inputs(SUPPORT)
    assert run_stack_policy(MANDATORY, [stack[0], (number_type, "num", blank)]) == []
    if address_type == TWILIO_ADDRESS:
        off = twilio_address(SUPPORT, enabled=False)
    else:
        off = address_inputs(SUPPORT, enabled=False)
    assert run_stack_policy(MANDATORY, [(address_type, "line", off), stack[1]]) == []


def test_their_numbers_app_is_the_handler_even_next_to_a_url() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        (TWILIO_NUMBER, "num", twilio_number(SUPPORT, sms_url=HOOK, app=APP_SID)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.message == in_parallel("twiml-app", APP_SID)


def test_their_non_sms_address_is_not_the_numbers_address() -> None:
    whatsapp = twilio_address(f"whatsapp:{SUPPORT}", channel="whatsapp")
    stack = [
        (TWILIO_ADDRESS, "wa", whatsapp),
        (TWILIO_ADDRESS, "odd", twilio_address(SUPPORT, channel="whatsapp")),
        (NUMBER, "num", number_inputs(SUPPORT, sms_url=HOOK)),
    ]
    assert run_stack_policy(MANDATORY, stack) == []


def test_their_address_without_the_enabled_flag_does_not_autocreate() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT, enabled=None)),
        (NUMBER, "num", number_inputs(SUPPORT, sms_url=HOOK)),
    ]
    assert run_stack_policy(MANDATORY, stack) == []


def test_our_config_pairs_through_their_number_sid() -> None:
    sid = pn_sid(SUPPORT)
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        # Their number after `pulumi up`: sid and phoneNumber, handler blanked.
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, sms_url="")),
        (NUMBER, "cfg", number_inputs(None, sid=sid, sms_url=HOOK)),
    ]
    assert run_stack_policy(MANDATORY, stack) == [
        Violation(in_parallel("number-sms-url", HOOK), urn(NUMBER, "cfg"))
    ]
    assert run_stack_policy(ADVICE, stack) == []


def test_our_config_governs_the_number_their_resource_bought() -> None:
    # Their number's state still holds the demo URL it had when bought; our config,
    # applied after it, blanks it: ours is what the number has.
    sid = pn_sid(SUPPORT)
    demo = "https://demo.twilio.com/welcome/sms/reply"
    stack = [
        (ADDRESS, "line", address_outputs(SUPPORT)),
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, sms_url=demo)),
        (NUMBER, "cfg", number_outputs(SUPPORT)),
    ]
    assert run_stack_policy(MANDATORY, stack) == []
    # Without our config, their number's handler is the number's handler.
    [violation] = run_stack_policy(MANDATORY, stack[:2])
    assert violation == Violation(in_parallel("number-sms-url", demo), urn(TWILIO_NUMBER, "bought"))


def test_their_number_bought_in_this_update_is_matched_by_its_number() -> None:
    # In a preview, their number's SID is unknown; its phoneNumber identifies it.
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_NUMBER, "bought", {**twilio_number(SUPPORT, sms_url=HOOK), "sid": UNKNOWN}),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert violation.urn == urn(TWILIO_NUMBER, "bought")
    assert run_stack_policy(ADVICE, stack) == []  # the number is managed in the stack


def test_unknown_handler_on_their_number_surfaces() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sms_url=UNKNOWN)),
    ]
    with raises_unknown("bought.smsUrl"):
        run_stack_policy(MANDATORY, stack)


def test_unknown_flag_on_their_address_surfaces_when_a_handler_could_collide() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT, enabled=UNKNOWN)),
        (NUMBER, "num", number_inputs(SALES, sms_url=HOOK)),
    ]
    with raises_unknown("line.autoCreationEnabled"):
        run_stack_policy(MANDATORY, stack)


def test_their_address_without_a_number_resource_gets_the_advice() -> None:
    stack = [(TWILIO_ADDRESS, "line", twilio_address(SUPPORT))]
    [advice] = run_stack_policy(ADVICE, stack)
    assert advice.urn == urn(TWILIO_ADDRESS, "line")
    assert advice.message.startswith(
        f"ConversationsConfigurationAddressesV1 'line' auto-creates Flex conversations for "
        f"{SUPPORT}"
    )
    # Their number resource in the stack is what the advice asks for.
    stack.append((TWILIO_NUMBER, "num", twilio_number(SUPPORT)))
    assert run_stack_policy(ADVICE, stack) == []


def test_one_address_per_number_counts_both_providers() -> None:
    stack = [
        (ADDRESS, "ours", address_inputs(SUPPORT)),
        (TWILIO_ADDRESS, "theirs", twilio_address("+1 311 555 2368")),
        (TWILIO_ADDRESS, "wa", twilio_address(SUPPORT, channel="whatsapp")),
    ]
    [violation] = run_stack_policy(one_address_per_number, stack)
    assert violation.urn == urn(TWILIO_ADDRESS, "theirs")
    assert "FlexSmsAddress 'ours'" in violation.message


def test_credentials_in_the_handler_url_never_reach_the_message() -> None:
    url = "https://user:hunter2@hooks.example.com/sms"
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        (TWILIO_NUMBER, "num", twilio_number(SUPPORT, sms_url=url)),
    ]
    [violation] = run_stack_policy(MANDATORY, stack)
    assert "hunter2" not in violation.message
    assert "https://***:***@hooks.example.com/sms" in violation.message


def test_a_first_preview_does_not_blame_their_number_that_our_config_will_blank() -> None:
    # `PhoneNumberMessagingConfig(phone_number_sid=bought.sid)` next to a number their
    # resource buys in this update: in the preview both SIDs are unknown, so the pack
    # cannot tell that our config governs (and blanks) their number's demo URL. Failing
    # the mandatory policy on their stale smsUrl would fail a correct stack; the
    # unknown SID is what stops the check.
    demo = "https://demo.twilio.com/welcome/sms/reply"
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_NUMBER, "bought", {**twilio_number(SUPPORT, sms_url=demo), "sid": UNKNOWN}),
        (NUMBER, "cfg", number_inputs(None, sid=UNKNOWN)),
    ]
    found: list[Violation] = []
    with raises_unknown("cfg.phoneNumberSid"):
        run_stack_policy(MANDATORY, stack, into=found)
    assert found == []
    # Once the SIDs are known (after `pulumi up`), our blank config governs the number.
    sid = pn_sid(SUPPORT)
    applied = [
        stack[0],
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, sms_url=demo)),
        (NUMBER, "cfg", number_inputs(None, sid=sid)),
    ]
    assert run_stack_policy(MANDATORY, applied) == []


def test_their_numbers_app_stays_when_our_config_does_not_manage_the_app() -> None:
    # Our config blanks smsUrl but leaves smsApplicationSid unmanaged (absent): the
    # TwiML app their resource puts on the number stays, and answers every message in
    # parallel with autocreation. Our config governs the URL, not the app.
    sid = pn_sid(SUPPORT)
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, sms_url=HOOK, app=APP_SID)),
        (NUMBER, "cfg", number_outputs(SUPPORT)),
    ]
    assert run_stack_policy(MANDATORY, stack) == [
        Violation(in_parallel("twiml-app", APP_SID), urn(TWILIO_NUMBER, "bought"))
    ]
    # Managed and blank on our config: ours is what the number has.
    managed = [*stack[:2], (NUMBER, "cfg", number_outputs(SUPPORT, smsApplicationSid=""))]
    assert run_stack_policy(MANDATORY, managed) == []
    # Their number without an app: our blank smsUrl is what counts.
    no_app = [
        stack[0],
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, sms_url=HOOK)),
        stack[2],
    ]
    assert run_stack_policy(MANDATORY, no_app) == []
    # The app our config recorded in originalSettings is theirs: reported once, by ours.
    recorded = [
        *stack[:2],
        (NUMBER, "cfg", number_outputs(SUPPORT, original={"smsApplicationSid": APP_SID})),
    ]
    assert run_stack_policy(MANDATORY, recorded) == [
        Violation(in_parallel("twiml-app", APP_SID), urn(NUMBER, "cfg"))
    ]
    # Their app unknown in a preview: the check cannot finish.
    unknown = [
        stack[0],
        (TWILIO_NUMBER, "bought", twilio_number(SUPPORT, sid=sid, app=UNKNOWN)),
        stack[2],
    ]
    with raises_unknown("bought.smsApplicationSid"):
        run_stack_policy(MANDATORY, unknown)
