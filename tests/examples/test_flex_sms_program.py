"""The example program (root Pulumi.yaml) under Pulumi's mocks: wiring, config, exports.

Mocks never call the providers: this checks what the program declares. The
providers themselves are tested over gRPC against the emulator.
"""

from __future__ import annotations

import runpy
from typing import Any

import pulumi
import pytest
from support.example_program import PROGRAM, PROJECT, SEED, STACK_CONFIG

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE


class Recorder(pulumi.runtime.Mocks):
    """Plays the providers: echoes inputs and adds what Twilio would compute."""

    def __init__(self) -> None:
        self.resources: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.resources.append(args)
        outputs = dict(args.inputs)
        if args.typ == FLEX_SMS_ADDRESS_TYPE:
            outputs["sid"] = "IG" + "1" * 32
            return outputs["sid"], outputs
        outputs["phoneNumberSid"] = "PN" + "2" * 32
        outputs["originalSettings"] = {"smsUrl": "https://demo.twilio.com/welcome/sms/reply"}
        return outputs["phoneNumberSid"], outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}

    def of_type(self, token: str) -> list[pulumi.runtime.MockResourceArgs]:
        return [r for r in self.resources if r.typ == token]


@pytest.fixture
def program(monkeypatch: pytest.MonkeyPatch) -> tuple[Recorder, dict[str, Any]]:
    # No credentials in the program's environment: the preflight must stay quiet.
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="local", preview=False)
    for key, value in STACK_CONFIG.items():
        pulumi.runtime.set_config(key, str(value))
    namespace = runpy.run_path(str(PROGRAM))
    return mocks, namespace


@pulumi.runtime.test
def test_program_blanks_the_webhook_and_routes_the_seeded_number_to_the_seeded_flow(
    program: tuple[Recorder, dict[str, Any]],
) -> pulumi.Output[Any]:
    mocks, ns = program
    seeded = SEED["accounts"][0]

    def verify(values: list[Any]) -> None:
        address_sid, number_sid, original_url = values
        [number] = mocks.of_type(PHONE_NUMBER_MESSAGING_CONFIG_TYPE)
        [address] = mocks.of_type(FLEX_SMS_ADDRESS_TYPE)
        assert number.inputs["phoneNumber"] == seeded["phone_numbers"][0]["phone_number"]
        assert number.inputs["smsUrl"] == ""
        assert number.inputs["onDelete"] == "restore"
        assert address.inputs["address"] == number.inputs["phoneNumber"]
        ac = address.inputs["autoCreation"]
        assert ac["enabled"] is True and ac["type"] == "studio"
        assert ac["studioFlowSid"] == seeded["studio_flows"][0]["sid"]
        assert ac["conversationServiceSid"] == seeded["conversation_services"][0]["sid"]
        assert ac["studioRetryCount"] == 3
        assert address_sid.startswith("IG") and number_sid.startswith("PN")
        assert original_url == "https://demo.twilio.com/welcome/sms/reply"

    return pulumi.Output.all(
        ns["address"].sid, ns["number"].phone_number_sid, ns["number"].original_settings
    ).apply(lambda v: verify([v[0], v[1], (v[2] or {}).get("sms_url")]))


@pulumi.runtime.test
def test_inbound_webhook_config_reaches_the_number(
    monkeypatch: pytest.MonkeyPatch,
) -> pulumi.Output[Any]:
    mocks = Recorder()
    pulumi.runtime.set_mocks(mocks, project=PROJECT, stack="webhook", preview=False)
    for key, value in STACK_CONFIG.items():
        pulumi.runtime.set_config(key, str(value))
    pulumi.runtime.set_config(f"{PROJECT}:inboundWebhook", "https://example.com/sms")
    ns = runpy.run_path(str(PROGRAM))

    def verify(_: Any) -> None:
        [number] = mocks.of_type(PHONE_NUMBER_MESSAGING_CONFIG_TYPE)
        assert number.inputs["smsUrl"] == "https://example.com/sms"

    return ns["number"].sms_url.apply(verify)


def test_stack_config_names_what_the_seed_provides() -> None:
    seeded = SEED["accounts"][0]
    assert STACK_CONFIG[f"{PROJECT}:phoneNumber"] == seeded["phone_numbers"][0]["phone_number"]
    assert STACK_CONFIG[f"{PROJECT}:studioFlowSid"] == seeded["studio_flows"][0]["sid"]
    assert (
        STACK_CONFIG[f"{PROJECT}:conversationServiceSid"]
        == seeded["conversation_services"][0]["sid"]
    )
