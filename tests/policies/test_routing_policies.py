"""Unit tests of the policies that report the routing model's other problems.

Each finding is ``[<code>] <message>`` with the message of the builder in
``pulumi_flex_sms.routing.problems``; the expected texts are built here with the
labels a stack knows (resource names, E.164 numbers, SIDs it holds).
"""

from __future__ import annotations

import json

import pytest
from support.analyzer import UNKNOWN, urn
from support.policy_functions import (
    Violation,
    raises_unknown,
    run_resource_policy,
    run_stack_policy,
)
from support.policy_stacks import (
    ADDRESS,
    FLEX_PROXY_WEBHOOK,
    FLOW_SID,
    MESSAGING_SERVICE_SID,
    NUMBER,
    SALES,
    SUPPORT,
    TWILIO_ADDRESS,
    TWILIO_FLEX_FLOW,
    TWILIO_FLOW,
    TWILIO_NUMBER,
    TWILIO_SERVICE_NUMBER,
    address_inputs,
    address_outputs,
    number_inputs,
    number_outputs,
    pn_sid,
    studio_definition,
    twilio_address,
    twilio_flex_flow,
    twilio_flow,
    twilio_number,
    twilio_service_number,
)

from pulumi_flex_sms.policies import (
    autocreation_enabled,
    autocreation_reaches_flex,
    autocreation_target,
    no_legacy_flex_flow,
    no_messaging_service_with_autocreation,
    studio_flow_reaches_flex,
)
from pulumi_flex_sms.routing import flex_reach, problems
from pulumi_flex_sms.routing.problems import Problem

HOOK = "https://hooks.example.com/sms"
APP_SID = "AP" + "d" * 32


def reported(problem: Problem) -> str:
    return f"[{problem.code}] {problem.message}"


# -- a number in a Messaging Service ---------------------------------------------------


def test_number_in_a_messaging_service_next_to_autocreation_is_reported_on_the_membership():
    stack = [
        (ADDRESS, "line", address_outputs(SUPPORT)),
        (NUMBER, "cfg", number_outputs(SUPPORT)),  # pairs the PN SID with the number
        (TWILIO_SERVICE_NUMBER, "pool", twilio_service_number(pn_sid(SUPPORT))),
    ]
    expected = problems.messaging_service_overrides(SUPPORT, MESSAGING_SERVICE_SID, None)
    assert run_stack_policy(no_messaging_service_with_autocreation, stack) == [
        Violation(reported(expected), urn(TWILIO_SERVICE_NUMBER, "pool"))
    ]
    assert "confirm it in the Console" in expected.message
    assert f"Messaging Service {MESSAGING_SERVICE_SID}" in expected.message


def test_a_service_without_a_sid_yet_is_named_by_the_membership() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        (TWILIO_NUMBER, "num", twilio_number(SUPPORT, sid=pn_sid(SUPPORT))),
        (TWILIO_SERVICE_NUMBER, "pool", twilio_service_number(pn_sid(SUPPORT), UNKNOWN)),
    ]
    [violation] = run_stack_policy(no_messaging_service_with_autocreation, stack)
    label = "the Messaging Service that MessagingServicesPhoneNumbersV1 'pool' adds it to"
    assert violation.message == reported(problems.messaging_service_overrides(SUPPORT, label, None))


@pytest.mark.parametrize(
    "address",
    [address_outputs(SUPPORT, enabled=False), address_outputs(SALES)],
    ids=["autocreation-off", "other-number"],
)
def test_a_service_number_without_an_autocreating_address_is_fine(address) -> None:
    stack = [
        (ADDRESS, "line", address),
        (NUMBER, "cfg", number_outputs(SUPPORT)),
        (TWILIO_SERVICE_NUMBER, "pool", twilio_service_number(pn_sid(SUPPORT))),
    ]
    assert run_stack_policy(no_messaging_service_with_autocreation, stack) == []


def test_an_unknown_service_number_surfaces_only_next_to_autocreation() -> None:
    membership = (TWILIO_SERVICE_NUMBER, "pool", twilio_service_number(UNKNOWN))
    with raises_unknown("pool.phoneNumberSid"):
        run_stack_policy(
            no_messaging_service_with_autocreation,
            [(ADDRESS, "line", address_inputs(SUPPORT)), membership],
        )
    assert run_stack_policy(no_messaging_service_with_autocreation, [membership]) == []


def test_an_unpaired_service_number_is_not_guessed() -> None:
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_SERVICE_NUMBER, "pool", twilio_service_number(pn_sid(SUPPORT))),
    ]
    assert run_stack_policy(no_messaging_service_with_autocreation, stack) == []


# -- the Studio flow -----------------------------------------------------------------------

SMS_TRIGGER = studio_definition(trigger_event="incomingMessage")


def flow_findings(number: str, flow: str, address: str, *, status: str, definition: str):
    """What the routing model says about this flow for this address, in its order."""
    found = []
    if status != "published":
        found.append(problems.flow_not_published(number, flow, address=address))
    reach = flex_reach(definition)
    if not reach.reaches_flex:
        found.append(
            problems.flow_without_send_to_flex(number, flow, reach.reason, address=address)
        )
    return [reported(p) for p in found]


@pytest.mark.parametrize(
    ("status", "definition", "codes"),
    [
        ("draft", studio_definition(), ["flow-not-published"]),
        ("published", SMS_TRIGGER, ["flow-without-send-to-flex"]),
        ("draft", SMS_TRIGGER, ["flow-not-published", "flow-without-send-to-flex"]),
        ("published", studio_definition(), []),
    ],
)
@pytest.mark.parametrize("address_type", [ADDRESS, TWILIO_ADDRESS])
def test_the_flow_an_address_uses_must_be_published_and_reach_send_to_flex(
    address_type: str, status: str, definition: str, codes: list[str]
) -> None:
    address = address_outputs(SUPPORT) if address_type == ADDRESS else twilio_address(SUPPORT)
    stack = [
        (address_type, "line", address),
        (TWILIO_FLOW, "flow", twilio_flow(status=status, definition=definition)),
    ]
    found = run_stack_policy(studio_flow_reaches_flex, stack)
    owner = (
        "FlexSmsAddress 'line'"
        if address_type == ADDRESS
        else ("ConversationsConfigurationAddressesV1 'line'")
    )
    expected = flow_findings(
        SUPPORT, "StudioFlowsV2 'flow'", owner, status=status, definition=definition
    )
    assert [v.message for v in found] == expected
    assert [v.message.split("]")[0][1:] for v in found] == codes
    assert {v.urn for v in found} <= {urn(TWILIO_FLOW, "flow")}


def test_a_definition_given_as_an_object_is_read() -> None:
    # `definition=` an object rather than its JSON text: the pack sees it through the
    # policy SDK's proxies (read-only Mapping and Sequence, not dict and list).
    good = json.loads(studio_definition())
    stack = [
        (ADDRESS, "line", address_outputs(SUPPORT)),
        (TWILIO_FLOW, "flow", {**twilio_flow(), "definition": good}),
    ]
    assert run_stack_policy(studio_flow_reaches_flex, stack) == []
    bad = json.loads(studio_definition(trigger_event="incomingMessage"))
    stack[1] = (TWILIO_FLOW, "flow", {**twilio_flow(), "definition": bad})
    [violation] = run_stack_policy(studio_flow_reaches_flex, stack)
    assert violation.message.startswith("[flow-without-send-to-flex]")
    assert "wired on 'incomingMessage'" in violation.message


def test_the_reason_names_the_sms_trigger() -> None:
    stack = [
        (ADDRESS, "line", address_outputs(SUPPORT)),
        (TWILIO_FLOW, "flow", twilio_flow(definition=SMS_TRIGGER)),
    ]
    [violation] = run_stack_policy(studio_flow_reaches_flex, stack)
    assert "wired on 'incomingMessage'" in violation.message


@pytest.mark.parametrize(
    "address",
    [
        address_outputs(SUPPORT, enabled=False),
        address_outputs(SUPPORT, type_="webhook"),
        address_outputs(SUPPORT, studioFlowSid="FW" + "0" * 32),  # a flow outside the stack
    ],
    ids=["autocreation-off", "webhook", "other-flow"],
)
def test_flows_no_autocreating_address_uses_are_not_judged(address) -> None:
    stack = [
        (ADDRESS, "line", address),
        (TWILIO_FLOW, "flow", twilio_flow(status="draft", definition=SMS_TRIGGER)),
    ]
    assert run_stack_policy(studio_flow_reaches_flex, stack) == []


def test_a_flow_being_created_in_a_preview_surfaces_as_unknown() -> None:
    # The address takes the new flow's SID (unknown), the flow has no SID yet.
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT, studioFlowSid=UNKNOWN)),
        (TWILIO_FLOW, "flow", {**twilio_flow(), "sid": UNKNOWN}),
    ]
    with raises_unknown("line.autoCreation.studioFlowSid"):
        run_stack_policy(studio_flow_reaches_flex, stack)
    # A literal SID that no known flow has may be the new flow's.
    stack[0] = (ADDRESS, "line", address_inputs(SUPPORT))
    with raises_unknown("flow.sid"):
        run_stack_policy(studio_flow_reaches_flex, stack)
    # Without flows in the stack there is nothing to check.
    assert run_stack_policy(studio_flow_reaches_flex, stack[:1]) == []


def test_known_flow_findings_come_before_an_unknown_definition() -> None:
    other = "FW" + "2" * 32
    stack = [
        (ADDRESS, "line", address_outputs(SUPPORT)),
        (ADDRESS, "sales", address_outputs(SALES, studioFlowSid=other)),
        (TWILIO_FLOW, "flow", twilio_flow(status="draft")),
        (TWILIO_FLOW, "sales-flow", {**twilio_flow(sid=other), "definition": UNKNOWN}),
    ]
    found: list[Violation] = []
    with raises_unknown("sales-flow.definition"):
        run_stack_policy(studio_flow_reaches_flex, stack, into=found)
    assert [v.urn for v in found] == [urn(TWILIO_FLOW, "flow")]


# -- legacy Flex Flows -----------------------------------------------------------------------


def legacy(runs: bool | None, number: str = SUPPORT, flow: str = "legacy") -> str:
    return reported(problems.legacy_flex_flow(number, f"FlexFlexFlowsV1 '{flow}'", runs=runs))


@pytest.mark.parametrize(
    ("number_resource", "runs"),
    [
        ((NUMBER, "cfg", number_inputs(SUPPORT, sms_url=FLEX_PROXY_WEBHOOK)), True),
        ((TWILIO_NUMBER, "num", twilio_number(SUPPORT, sms_url=FLEX_PROXY_WEBHOOK)), True),
        ((NUMBER, "cfg", number_inputs(SUPPORT, sms_url=HOOK)), False),
        ((NUMBER, "cfg", number_inputs(SUPPORT)), False),
        ((NUMBER, "other", number_inputs(SALES)), None),
        # A TwiML app replaces the number's URLs, and its own URL is not in the stack.
        ((NUMBER, "cfg", number_inputs(SUPPORT, smsApplicationSid=APP_SID)), None),
        ((TWILIO_NUMBER, "num", twilio_number(SUPPORT, app=APP_SID)), None),
    ],
    ids=[
        "proxy-ours",
        "proxy-theirs",
        "other-webhook",
        "blank",
        "not-in-stack",
        "app-ours",
        "app-theirs",
    ],
)
def test_a_legacy_flex_flow_on_an_autocreating_number_is_reported(number_resource, runs) -> None:
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        number_resource,
        (TWILIO_FLEX_FLOW, "legacy", twilio_flex_flow("+1 311 555 2368")),
    ]
    assert run_stack_policy(no_legacy_flex_flow, stack) == [
        Violation(legacy(runs), urn(TWILIO_FLEX_FLOW, "legacy"))
    ]


def test_their_app_that_our_config_leaves_alone_makes_the_legacy_path_unknown() -> None:
    # Our config blanks smsUrl but does not manage smsApplicationSid: their app stays
    # the number's handler, and whether it is the Flex Proxy webhook the stack cannot tell.
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_NUMBER, "num", twilio_number(SUPPORT, sid=pn_sid(SUPPORT), app=APP_SID)),
        (NUMBER, "cfg", number_inputs(SUPPORT)),
        (TWILIO_FLEX_FLOW, "legacy", twilio_flex_flow()),
    ]
    assert run_stack_policy(no_legacy_flex_flow, stack) == [
        Violation(legacy(None), urn(TWILIO_FLEX_FLOW, "legacy"))
    ]


def test_only_the_first_flex_flow_on_a_number_runs() -> None:
    stack = [
        (TWILIO_ADDRESS, "line", twilio_address(SUPPORT)),
        (NUMBER, "cfg", number_inputs(SUPPORT, sms_url=FLEX_PROXY_WEBHOOK)),
        (TWILIO_FLEX_FLOW, "first", twilio_flex_flow()),
        (TWILIO_FLEX_FLOW, "second", twilio_flex_flow()),
    ]
    found = run_stack_policy(no_legacy_flex_flow, stack)
    assert [v.message for v in found] == [
        legacy(True, flow="first"),
        legacy(False, flow="second"),
    ]


@pytest.mark.parametrize(
    "flex_flow",
    [
        twilio_flex_flow(enabled=False),
        twilio_flex_flow(channel="web"),
        twilio_flex_flow(SALES),
    ],
    ids=["disabled", "web-channel", "other-number"],
)
def test_flex_flows_that_claim_no_autocreating_number_are_fine(flex_flow) -> None:
    stack = [(ADDRESS, "line", address_inputs(SUPPORT)), (TWILIO_FLEX_FLOW, "legacy", flex_flow)]
    assert run_stack_policy(no_legacy_flex_flow, stack) == []


def test_an_unknown_flex_flow_identity_surfaces() -> None:
    stack = [
        (ADDRESS, "line", address_inputs(SUPPORT)),
        (TWILIO_FLEX_FLOW, "legacy", twilio_flex_flow(UNKNOWN)),
    ]
    with raises_unknown("legacy.contactIdentity"):
        run_stack_policy(no_legacy_flex_flow, stack)


# -- autocreation on one address -------------------------------------------------------------

OURS = "FlexSmsAddress 'r'"
THEIRS = "ConversationsConfigurationAddressesV1 'r'"


@pytest.mark.parametrize(
    ("type_", "props", "label"),
    [
        (ADDRESS, address_inputs(SUPPORT, enabled=False), OURS),
        (ADDRESS, {"address": SUPPORT}, OURS),
        (TWILIO_ADDRESS, twilio_address(SUPPORT, enabled=False), THEIRS),
        (TWILIO_ADDRESS, twilio_address(SUPPORT, enabled=None), THEIRS),
    ],
    ids=["ours-off", "ours-without-autocreation", "theirs-off", "theirs-flag-absent"],
)
def test_an_address_that_does_not_autocreate_is_advised(type_, props, label) -> None:
    [message] = run_resource_policy(autocreation_enabled, type_, props)
    assert message == reported(problems.autocreation_disabled(SUPPORT, label))


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (ADDRESS, address_inputs(SUPPORT)),
        (TWILIO_ADDRESS, twilio_address(SUPPORT)),
        (TWILIO_ADDRESS, twilio_address(SUPPORT, enabled=False, channel="whatsapp")),
        (NUMBER, number_inputs(SUPPORT)),
    ],
)
def test_autocreating_and_non_sms_addresses_pass_the_enabled_check(type_, props) -> None:
    assert run_resource_policy(autocreation_enabled, type_, props) == []


def test_an_unknown_number_still_gets_the_finding_without_a_preview_note() -> None:
    [message] = run_resource_policy(
        autocreation_enabled, ADDRESS, address_inputs(UNKNOWN, enabled=False)
    )
    assert message == reported(problems.autocreation_disabled("its number", OURS))
    with raises_unknown("autoCreation.enabled"):
        run_resource_policy(autocreation_enabled, ADDRESS, address_inputs(enabled=UNKNOWN))


@pytest.mark.parametrize(
    ("type_", "props", "expected"),
    [
        (
            TWILIO_ADDRESS,
            twilio_address(SUPPORT, type_="default"),
            problems.no_integration_default_type(SUPPORT, THEIRS),
        ),
        (
            ADDRESS,
            address_inputs(SUPPORT, type_="default"),
            problems.no_integration_default_type(SUPPORT, OURS),
        ),
        (
            TWILIO_ADDRESS,
            twilio_address(SUPPORT, type_="flex"),
            problems.no_integration_invalid_type(SUPPORT, THEIRS, "flex"),
        ),
        (
            ADDRESS,
            address_inputs(SUPPORT, type_="webhook", webhookFilters=["onParticipantAdded"]),
            problems.no_integration_webhook_filters(SUPPORT, OURS, ("onParticipantAdded",)),
        ),
        (
            TWILIO_ADDRESS,
            twilio_address(
                SUPPORT,
                type_="webhook",
                autoCreationWebhookFilters=["onConversationAdded", "onParticipantAdded"],
            ),
            problems.no_integration_webhook_filters(
                SUPPORT, THEIRS, ("onConversationAdded", "onParticipantAdded")
            ),
        ),
    ],
    ids=["theirs-default", "ours-default", "theirs-unknown-type", "ours-filters", "theirs-filters"],
)
def test_an_autocreation_that_attaches_nothing_for_flex_is_advised(type_, props, expected) -> None:
    [message] = run_resource_policy(autocreation_reaches_flex, type_, props)
    assert message == reported(expected)


@pytest.mark.parametrize(
    "props",
    [
        twilio_address(SUPPORT, type_="default", enabled=False),
        twilio_address(
            SUPPORT, type_="webhook"
        ),  # filters omitted: Twilio's default hears messages
        twilio_address(SUPPORT, type_="webhook", autoCreationWebhookFilters=["onMessageAdded"]),
        twilio_address(SUPPORT, type_=None),
    ],
)
def test_autocreations_that_reach_flex_or_do_not_run_pass(props) -> None:
    assert run_resource_policy(autocreation_reaches_flex, TWILIO_ADDRESS, props) == []


def test_their_address_without_its_target_is_reported() -> None:
    props = twilio_address(SUPPORT, autoCreationStudioFlowSid=None)
    [message] = run_resource_policy(autocreation_target, TWILIO_ADDRESS, props)
    assert message == reported(problems.flow_missing(SUPPORT, None, address=THEIRS))
    props = twilio_address(SUPPORT, type_="webhook", autoCreationWebhookUrl="")
    [message] = run_resource_policy(autocreation_target, TWILIO_ADDRESS, props)
    assert message == reported(problems.no_integration_webhook_without_url(SUPPORT, THEIRS))
    assert run_resource_policy(autocreation_target, TWILIO_ADDRESS, twilio_address()) == []
    # Sanity: the flow SID the helpers use is a real one.
    assert twilio_address()["autoCreationStudioFlowSid"] == FLOW_SID
