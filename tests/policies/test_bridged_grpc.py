"""A stack mixing our resources with the bridged Twilio provider's, through the real analyzer.

The ready pack is started as the engine starts it (``python -m pulumi.policy``,
see ``support.analyzer``) and gets the properties the engine sends: every
resource's outputs to ``AnalyzeStack``, one resource's inputs to ``Analyze``.
Each routing finding carries its code and the routing model's message.
"""

from __future__ import annotations

import pytest
from support.analyzer import urn
from support.policy_stacks import (
    ADDRESS,
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
    address_outputs,
    number_outputs,
    pet,
    pn_sid,
    twilio_address,
    twilio_flex_flow,
    twilio_flow,
    twilio_number,
    twilio_service_number,
)

from pulumi_flex_sms.policies import POLICIES_BY_NAME
from pulumi_flex_sms.routing import problems

pytestmark = pytest.mark.usefixtures("default_config")

HOOK = "https://hooks.example.com/sms"
APP_SID = "AP" + "d" * 32


def mixed_stack() -> list:
    """Two Flex numbers, each half ours and half the bridged provider's, with everything wrong.

    * +13115552368: our FlexSmsAddress (Studio), their number with a webhook left on
      it, in a Messaging Service, a draft Studio flow, a legacy Flex Flow;
    * +13115550100: their address (type 'default'), our config leaving a TwiML app.
    """
    return [
        (ADDRESS, "support-line", address_outputs(SUPPORT)),
        (
            TWILIO_NUMBER,
            "support-number",
            twilio_number(SUPPORT, sid=pn_sid(SUPPORT), sms_url=HOOK),
        ),
        (TWILIO_SERVICE_NUMBER, "support-pool", twilio_service_number(pn_sid(SUPPORT))),
        (TWILIO_FLOW, "flex-flow", twilio_flow(sid=FLOW_SID, status="draft")),
        (TWILIO_FLEX_FLOW, "legacy", twilio_flex_flow(SUPPORT)),
        (TWILIO_ADDRESS, "sales-line", twilio_address(SALES, type_="default")),
        (NUMBER, "sales-number", number_outputs(SALES, smsApplicationSid=APP_SID)),
        pet(),
    ]


def finding(problem) -> str:
    return f"[{problem.code}] {problem.message}"


EXPECTED = {
    # (policy, enforcement level, resource) -> the routing model's finding
    (
        "flex-sms-no-inbound-handler-with-autocreation",
        "mandatory",
        urn(TWILIO_NUMBER, "support-number"),
    ): finding(problems.handler_in_parallel(SUPPORT, "number-sms-url", HOOK)),
    (
        "flex-sms-no-inbound-handler-with-autocreation",
        "mandatory",
        urn(NUMBER, "sales-number"),
    ): finding(problems.handler_in_parallel(SALES, "twiml-app", APP_SID)),
    (
        "flex-sms-no-messaging-service-with-autocreation",
        "advisory",
        urn(TWILIO_SERVICE_NUMBER, "support-pool"),
    ): finding(problems.messaging_service_overrides(SUPPORT, MESSAGING_SERVICE_SID, None)),
    ("flex-sms-studio-flow-reaches-flex", "advisory", urn(TWILIO_FLOW, "flex-flow")): finding(
        problems.flow_not_published(
            SUPPORT, "StudioFlowsV2 'flex-flow'", address="FlexSmsAddress 'support-line'"
        )
    ),
    ("flex-sms-no-legacy-flex-flow", "advisory", urn(TWILIO_FLEX_FLOW, "legacy")): finding(
        problems.legacy_flex_flow(SUPPORT, "FlexFlexFlowsV1 'legacy'", runs=False)
    ),
}


def test_a_mixed_stack_gets_every_routing_finding_in_the_models_words(pack) -> None:
    result = pack.analyze_stack(mixed_stack())
    got = {}
    for d in result.diagnostics:
        description, message = d.message.split("\n", 1)
        assert description == POLICIES_BY_NAME[d.policy].description
        got[(d.policy, d.level, d.urn)] = message
    assert got == EXPECTED
    assert {d.urn for d in result.mandatory} == {
        urn(TWILIO_NUMBER, "support-number"),
        urn(NUMBER, "sales-number"),
    }


def test_fixing_the_handlers_clears_the_mandatory_findings(pack) -> None:
    stack = mixed_stack()
    stack[1] = (
        TWILIO_NUMBER,
        "support-number",
        twilio_number(SUPPORT, sid=pn_sid(SUPPORT), sms_url=""),
    )
    stack[6] = (NUMBER, "sales-number", number_outputs(SALES, smsApplicationSid=""))
    result = pack.analyze_stack(stack)
    assert result.mandatory == []
    assert len(result.diagnostics) == 3  # the advisories stand


def test_their_address_is_analyzed_like_ours(pack) -> None:
    result = pack.analyze(TWILIO_ADDRESS, "sales-line", twilio_address(SALES, type_="default"))
    [diagnostic] = result.diagnostics
    assert (diagnostic.policy, diagnostic.level) == (
        "flex-sms-autocreation-reaches-flex",
        "advisory",
    )
    assert diagnostic.message.split("\n", 1)[1] == finding(
        problems.no_integration_default_type(
            SALES, "ConversationsConfigurationAddressesV1 'sales-line'"
        )
    )
    disabled = pack.analyze(TWILIO_ADDRESS, "off", twilio_address(SALES, enabled=False))
    assert [(d.policy, d.level) for d in disabled.diagnostics] == [
        ("flex-sms-autocreation-enabled", "advisory")
    ]
    assert "[autocreation-disabled] " in disabled.diagnostics[0].message


def test_the_new_checks_can_be_made_mandatory(pack) -> None:
    pack.configure(
        {
            "flex-sms-studio-flow-reaches-flex": "mandatory",
            "flex-sms-no-messaging-service-with-autocreation": "mandatory",
        }
    )
    levels = {d.policy: d.level for d in pack.analyze_stack(mixed_stack()).diagnostics}
    assert levels["flex-sms-studio-flow-reaches-flex"] == "mandatory"
    assert levels["flex-sms-no-messaging-service-with-autocreation"] == "mandatory"
    assert levels["flex-sms-no-legacy-flex-flow"] == "advisory"
