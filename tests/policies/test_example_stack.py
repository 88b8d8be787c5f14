"""The README's example stack against the ready pack: passes as shipped, fails with a webhook.

The example program runs under Pulumi's mocks to collect the resources it
declares with their inputs (what ``AnalyzeStack`` sees in preview, as dynamic
providers do not support preview); they then go to the launched pack over gRPC.
The failing variant is the documented one (``inboundWebhook`` set), and the
message it produces must be the one ``docs/policies.md`` shows.
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from typing import Any

import pulumi
import pytest
import yaml

from policies.analyzer import PolicyPackProcess, urn
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = ROOT / "examples" / "flex_sms" / "__main__.py"
PROJECT = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["name"]
STACK_CONFIG = yaml.safe_load((ROOT / "examples" / "flex_sms" / "Pulumi.local.yaml").read_text())[
    "config"
]
DOCS = ROOT / "docs" / "policies.md"
#: The documented failing variant: the seeded number's old demo webhook left on it.
LEFT_ON = "https://demo.twilio.com/welcome/sms/reply"
MAIN = "flex-sms-no-inbound-handler-with-autocreation"

pytestmark = pytest.mark.usefixtures("default_config")


class _Inputs(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[tuple[str, str, dict[str, Any]]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        # The engine drops internal keys (__provider) before policies see them.
        inputs = {k: v for k, v in args.inputs.items() if not k.startswith("__")}
        self.resources.append((args.typ, args.name, inputs))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def declared_stack(**extra_config: str) -> list[tuple[str, str, dict[str, Any]]]:
    """The example program's resources and their inputs, for the given stack config."""
    mocks = _Inputs()
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="local", preview=True)
    # The runtime config is process-wide: replace it for this run (other tests set keys
    # such as inboundWebhook), and put it back afterwards for the tests that follow.
    saved = dict(pulumi.runtime.config.CONFIG.get())
    pulumi.runtime.set_all_config({k: str(v) for k, v in {**STACK_CONFIG, **extra_config}.items()})

    # pulumi.runtime.test runs the program and waits for its (asynchronous) registrations.
    @pulumi.runtime.test
    def run() -> None:
        runpy.run_path(str(PROGRAM))

    try:
        run()
    finally:
        pulumi.runtime.set_all_config(saved)
    return mocks.resources


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
