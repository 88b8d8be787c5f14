"""POST /_emulator/simulate/inbound-sms: routing with autocreation, reported as JSON."""

from __future__ import annotations

import pytest
from support.emulator import EmulatorHandle

from pulumi_flex_sms.emulator.control import EmulatorControlError

CUSTOMER = "+15551230000"


def studio_address(emulator: EmulatorHandle, number: int = 0, enabled: bool = True) -> str:
    config = emulator.client().conversations.v1.address_configurations.create(
        type="sms",
        address=emulator.numbers[number].phone_number,
        auto_creation_enabled=enabled,
        auto_creation_type="studio",
        auto_creation_conversation_service_sid=emulator.service_sid,
        auto_creation_studio_flow_sid=emulator.flow_sid,
    )
    return config.sid


def test_first_message_creates_a_conversation_then_the_pair_appends(
    emulator: EmulatorHandle,
) -> None:
    config_sid = studio_address(emulator)
    to = emulator.number.phone_number
    first = emulator.control.simulate_inbound_sms(CUSTOMER, to, "hello")
    assert first["account_sid"] == emulator.account_sid
    assert first["phone_number_sid"] == emulator.number.sid
    conversation = first["conversation"]
    assert conversation["outcome"] == "created"
    assert conversation["sid"].startswith("CH")
    assert conversation["conversation_service_sid"] == emulator.service_sid
    assert conversation["address_configuration_sid"] == config_sid
    assert conversation["integration"] == {
        "type": "studio",
        "studio_flow_sid": emulator.flow_sid,
        "studio_retry_count": 3,
    }
    assert first["messaging_webhook"]["fires"] is False
    assert first["warnings"] == []

    second = emulator.control.simulate_inbound_sms(CUSTOMER, to, "again")
    assert second["conversation"]["outcome"] == "appended"
    assert second["conversation"]["sid"] == conversation["sid"]
    assert second["conversation"]["message_count"] == 2
    # Another sender gets a conversation of its own.
    other = emulator.control.simulate_inbound_sms("+15551239999", to, "hi")
    assert other["conversation"]["outcome"] == "created"
    assert other["conversation"]["sid"] != conversation["sid"]
    # Only the configuration's create was Twilio API traffic; simulations are not.
    assert [r["method"] for r in emulator.requests()] == ["POST"]


def test_legacy_sms_url_fires_in_parallel_and_is_warned_about(emulator: EmulatorHandle) -> None:
    studio_address(emulator, number=1)
    report = emulator.control.simulate_inbound_sms(CUSTOMER, emulator.numbers[1].phone_number)
    assert report["conversation"]["outcome"] == "created"
    assert report["messaging_webhook"] == {
        "fires": True,
        "mode": "parallel",
        "url": emulator.legacy_sms_url,
        "method": "POST",
    }
    assert any("in parallel" in w for w in report["warnings"])
    exclusive = emulator.control.simulate_inbound_sms(
        "+15551238888", emulator.numbers[1].phone_number, sms_url_mode="exclusive"
    )
    assert exclusive["messaging_webhook"]["fires"] is False


def test_without_enabled_autocreation_only_the_number_answers(emulator: EmulatorHandle) -> None:
    legacy = emulator.numbers[1].phone_number
    report = emulator.control.simulate_inbound_sms(CUSTOMER, legacy)
    assert report["conversation"] == {"outcome": "none", "reason": "no address configuration"}
    assert report["messaging_webhook"]["fires"] is True
    studio_address(emulator, number=0, enabled=False)
    disabled = emulator.control.simulate_inbound_sms(CUSTOMER, emulator.number.phone_number)
    assert disabled["conversation"]["reason"] == "autocreation disabled"
    assert disabled["messaging_webhook"]["fires"] is False  # blank handler: nothing at all


def test_default_type_and_webhook_integration(emulator: EmulatorHandle) -> None:
    addresses = emulator.client().conversations.v1.address_configurations
    addresses.create(
        type="sms",
        address=emulator.numbers[0].phone_number,
        auto_creation_enabled=True,
        auto_creation_type="default",
    )
    addresses.create(
        type="sms",
        address=emulator.numbers[2].phone_number,
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_webhook_url="https://hooks.example.com/in",
        auto_creation_webhook_filters=["onMessageAdded"],
    )
    default = emulator.control.simulate_inbound_sms(CUSTOMER, emulator.numbers[0].phone_number)
    assert default["conversation"]["integration"] is None
    assert default["conversation"]["conversation_service_sid"] is None  # the default service
    assert any("does not reach Flex" in w for w in default["warnings"])
    webhook = emulator.control.simulate_inbound_sms(CUSTOMER, emulator.numbers[2].phone_number)
    assert webhook["conversation"]["integration"] == {
        "type": "webhook",
        "url": "https://hooks.example.com/in",
        "method": "POST",
        "filters": ["onMessageAdded"],
    }


def test_a_deleted_flow_is_reported(emulator: EmulatorHandle) -> None:
    studio_address(emulator)
    emulator.client().studio.v2.flows(emulator.flow_sid).delete()
    report = emulator.control.simulate_inbound_sms(CUSTOMER, emulator.number.phone_number)
    assert any(emulator.flow_sid in w and "no longer exists" in w for w in report["warnings"])


def test_unknown_number_is_not_delivered(emulator: EmulatorHandle) -> None:
    report = emulator.control.simulate_inbound_sms(CUSTOMER, "+15550000000")
    assert report["delivered"] is False and report["account_sid"] is None


@pytest.mark.parametrize(
    ("document", "words"),
    [
        ({"from": "12", "to": "+15005550001"}, "from"),
        ({"from": CUSTOMER}, "to"),
        ({"from": CUSTOMER, "to": "+15005550001", "sms_url_mode": "sometimes"}, "sms_url_mode"),
        ({"from": CUSTOMER, "to": "+15005550001", "cc": "x"}, "cc"),
    ],
)
def test_bad_simulation_requests(emulator: EmulatorHandle, document: dict, words: str) -> None:
    with pytest.raises(EmulatorControlError) as err:
        emulator.control._call("POST", "simulate/inbound-sms", document)
    assert err.value.status == 400 and words in err.value.body["message"]
