"""The README's example stack against the ready pack: passes as shipped, fails with a webhook.

The example program runs under Pulumi's mocks to collect the resources it
declares with their inputs (what ``AnalyzeStack`` sees in preview, as dynamic
providers do not support preview); they then go to the launched pack over gRPC.
The failing variant is the documented one (``inboundWebhook`` set), and the
message it produces must be the one ``docs/policies.md`` shows.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from support.analyzer import PolicyPackProcess, urn
from support.example_program import PROJECT, ROOT, declared_by_example

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE

DOCS = ROOT / "docs" / "policies.md"
#: The documented failing variant: the seeded number's old demo webhook left on it.
LEFT_ON = "https://demo.twilio.com/welcome/sms/reply"
MAIN = "flex-sms-no-inbound-handler-with-autocreation"

pytestmark = pytest.mark.usefixtures("default_config")


def declared_stack(**extra_config: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The example program's resources and their inputs, for the given stack config."""
    return declared_by_example(preview=True, **extra_config)


@pytest.fixture
def stack() -> list[tuple[str, str, dict[str, Any]]]:
    return declared_stack()


def test_example_declares_an_address_and_its_number(stack) -> None:
    types = sorted(t for t, _, _ in stack)
    assert types == sorted([FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE])


def test_example_stack_passes_the_pack(pack: PolicyPackProcess, stack) -> None:
    assert pack.analyze_stack(stack).diagnostics == []
    for type_, name, props in stack:
        assert pack.analyze(type_, name, props).diagnostics == [], name


def test_webhook_variant_fails_with_the_documented_message(pack: PolicyPackProcess) -> None:
    variant = declared_stack(**{f"{PROJECT}:inboundWebhook": LEFT_ON})
    [diagnostic] = pack.analyze_stack(variant).diagnostics
    [(_, number_name, _)] = [r for r in variant if r[0] == PHONE_NUMBER_MESSAGING_CONFIG_TYPE]
    assert (diagnostic.policy, diagnostic.level) == (MAIN, "mandatory")
    assert diagnostic.urn == urn(PHONE_NUMBER_MESSAGING_CONFIG_TYPE, number_name)
    documented = re.sub(r"\s+", " ", DOCS.read_text())
    for line in diagnostic.message.splitlines():
        assert re.sub(r"\s+", " ", line) in documented, line
