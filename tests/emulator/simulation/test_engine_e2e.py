"""End to end: deploy with the engine protocol to the emulator, then text the number.

The real provider process (``python -m pulumi.dynamic``) takes a number over
(``PhoneNumberMessagingConfig`` blanks its legacy webhook) and creates its
``FlexSmsAddress``, as ``pulumi up`` would; simulated inbound SMS then land in
conversations, Studio executions and a real local webhook receiver, read back
through twilio-python and judged by ``flex-sms simulate-inbound`` run as a user
runs it. The provider takes only https webhook URLs, so the receiver serves
HTTPS with a throwaway CA's certificate (trustme) that this module's emulator
trusts through ``SSL_CERT_FILE``. ``pulumi destroy`` gives the number its
webhook back, and the route falls apart again.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from support import auto_creation
from support.emulator import STANDARD, EmulatorHandle, EmulatorProcess, start_process
from support.engine import DynamicProviderProcess, Resource
from support.pulumi_runtime import isolated_pulumi_config  # noqa: F401 (autouse fixture)
from support.receiver import WebhookReceiver
from support.simulation import CUSTOMER, FLEX_FLOW, flex_seed

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

FLEX_SMS = Path(sys.executable).with_name("flex-sms")


@pytest.fixture(scope="module")
def tls() -> trustme.CA:
    """A throwaway CA: the receiver's certificate, which the emulator below trusts."""
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_emulator_process(
    tls: trustme.CA, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[EmulatorProcess]:
    """An emulator that trusts ``tls`` (SSL_CERT_FILE), since the provider takes
    https webhook URLs only; stopped by pid at the end of the module."""
    bundle = tmp_path_factory.mktemp("tls") / "ca.pem"
    tls.cert_pem.write_to_path(str(bundle))
    saved = os.environ.get("SSL_CERT_FILE")
    os.environ["SSL_CERT_FILE"] = str(bundle)
    try:
        process = start_process(
            ["--account-sid", STANDARD.account_sid, "--auth-token", STANDARD.auth_token]
        )
    finally:
        if saved is None:
            del os.environ["SSL_CERT_FILE"]
        else:
            os.environ["SSL_CERT_FILE"] = saved
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def tls_emulator(tls_emulator_process: EmulatorProcess) -> EmulatorHandle:
    control = EmulatorControl(tls_emulator_process.base_url)
    control.reset()
    control.seed(STANDARD.seed())
    return EmulatorHandle(base_url=tls_emulator_process.base_url, control=control)


@pytest.fixture(scope="module")
def provider(tls_emulator_process: EmulatorProcess) -> Iterator[DynamicProviderProcess]:
    process = DynamicProviderProcess()
    try:
        process.configure(
            {
                "twilio:accountSid": STANDARD.account_sid,
                "twilio:authToken": STANDARD.auth_token,
                "flexsms:twilioBaseUrl": tls_emulator_process.base_url,
                "flexsms:maxRetryWaitSeconds": "3",
            }
        )
        yield process
    finally:
        process.stop()


def route_check(emulator: EmulatorHandle, to: str, sender: str) -> tuple[int, dict[str, Any]]:
    """``flex-sms simulate-inbound --json`` as a pipeline runs it: exit status and trace."""
    command = (
        [str(FLEX_SMS)] if FLEX_SMS.exists() else [sys.executable, "-m", "pulumi_flex_sms.cli"]
    )
    result = subprocess.run(
        [*command, "simulate-inbound", "--to", to, "--from", sender, "--json"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "FLEX_SMS_TWILIO_BASE_URL": emulator.base_url},
        timeout=120,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return result.returncode, json.loads(result.stdout)


def test_deploy_then_text_the_number(
    tls_emulator: EmulatorHandle, tls: trustme.CA, provider: DynamicProviderProcess
) -> None:
    emulator = tls_emulator
    flex_seed(emulator)

    def simulate(to: str, sender: str = CUSTOMER, body: str = "hello") -> dict[str, Any]:
        return emulator.control.simulate_inbound_sms(sender, to, body)

    legacy = emulator.numbers[1]  # bought with a legacy "A message comes in" webhook
    number = Resource(
        provider, PhoneNumberMessagingConfigProvider(), PHONE_NUMBER_MESSAGING_CONFIG_TYPE, "num"
    )
    address = Resource(provider, FlexSmsAddressProvider(), FLEX_SMS_ADDRESS_TYPE, "addr")
    address_inputs = {
        "address": legacy.phone_number,
        "friendlyName": "Support line",
        "autoCreation": auto_creation.studio(
            FLEX_FLOW, studioRetryCount=3, conversationServiceSid=emulator.service_sid
        ),
    }

    # Before `pulumi up`: nothing takes the message to Flex.
    status, before = route_check(emulator, legacy.phone_number, CUSTOMER)
    assert status == 1 and "no-conversation" in [p["code"] for p in before["problems"]]

    # `pulumi up`, in the example's order: blank the webhook, then the address.
    assert number.up({"phoneNumber": legacy.phone_number}).op == "create"
    assert address.up(address_inputs).op == "create"

    status, trace = route_check(emulator, legacy.phone_number, CUSTOMER)
    assert status == 0, trace["problems"]
    assert trace["conversation"]["outcome"] == "created" and trace["handlers"] == []
    assert trace["conversation"]["address_configuration_sid"] == address.id
    sid = trace["conversation"]["sid"]
    conversations = emulator.client().conversations.v1
    [participant] = conversations.conversations(sid).participants.list()
    assert participant.messaging_binding["proxy_address"] == legacy.phone_number
    [execution] = emulator.client().studio.v2.flows(FLEX_FLOW).executions.list()
    assert execution.sid == trace["created"]["execution_sid"]

    # Switch the integration to a webhook (an update in place) and watch it arrive, signed.
    with WebhookReceiver(emulator.auth_token, tls=tls) as hooks:
        webhook = {
            **address_inputs,
            "autoCreation": {
                "enabled": True,
                "type": "webhook",
                "webhookUrl": hooks.url("/flex"),
                "webhookFilters": ["onParticipantAdded", "onMessageAdded"],
                "conversationServiceSid": emulator.service_sid,
            },
        }
        assert address.up(webhook).op in ("update", "replace")
        fresh = simulate(legacy.phone_number, sender="+15551239999", body="new customer")
        events = hooks.received("/flex")
        assert [e.form["EventType"] for e in events] == ["onParticipantAdded", "onMessageAdded"]
        assert all(e.signature_valid for e in events)
        assert events[1].form["ConversationSid"] == fresh["conversation"]["sid"]
        assert fresh["ok"] is True
        # The first customer's conversation keeps its Studio integration.
        again = simulate(legacy.phone_number, body="me again")
        assert again["conversation"]["sid"] == sid
        assert [d["kind"] for d in again["deliveries"]] == ["studio-execution"]
        assert len(hooks.received()) == 2

    # `pulumi destroy`: the legacy webhook is back and a new sender reaches nobody in Flex.
    address.destroy()
    number.destroy()
    status, after = route_check(emulator, legacy.phone_number, "+15551238888")
    assert status == 1
    assert [h["url"] for h in after["handlers"]] == [emulator.legacy_sms_url]
    assert after["conversation"]["outcome"] == "none"
