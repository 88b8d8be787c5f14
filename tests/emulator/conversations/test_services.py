"""Conversations Services: enough for address configurations to reference."""

from __future__ import annotations

import pytest
from support.emulator import EmulatorHandle
from twilio.base.exceptions import TwilioRestException


def test_service_lifecycle_and_links(emulator: EmulatorHandle) -> None:
    services = emulator.client().conversations.v1.services
    created = services.create(friendly_name="Support")
    assert created.sid.startswith("IS") and created.friendly_name == "Support"
    url = f"{emulator.base_url}/conversations/v1/Services/{created.sid}"
    assert created.url == url
    assert created.links["conversations"] == f"{url}/Conversations"
    assert set(created.links) == {
        "conversations",
        "users",
        "roles",
        "bindings",
        "configuration",
        "participant_conversations",
        "conversation_with_participants",
    }
    assert services(created.sid).fetch().friendly_name == "Support"
    listed = services.list(page_size=1)
    assert [s.sid for s in listed] == [emulator.service_sid, created.sid]
    assert services(created.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        services(created.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_service_needs_a_friendly_name(emulator: EmulatorHandle) -> None:
    with pytest.raises(TwilioRestException) as err:
        emulator.client().conversations.v1.services.create(friendly_name="")
    assert (err.value.status, err.value.code) == (400, 20001)
    assert "FriendlyName" in err.value.msg


def test_a_deleted_service_can_no_longer_be_referenced(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    client.conversations.v1.services(emulator.service_sid).delete()
    with pytest.raises(TwilioRestException) as err:
        client.conversations.v1.address_configurations.create(
            type="sms",
            address=emulator.number.phone_number,
            auto_creation_type="studio",
            auto_creation_conversation_service_sid=emulator.service_sid,
            auto_creation_studio_flow_sid=emulator.flow_sid,
        )
    assert (err.value.status, err.value.code) == (404, 20404)
    assert emulator.service_sid in err.value.msg
