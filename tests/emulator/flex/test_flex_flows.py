"""Flex v1 FlexFlows through twilio-python (every response checked against
``twilio_flex_v1.json``), served at ``{base}/flex-api/v1``."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle
from support.openapi import SpecValidator
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

IS = "IS" + "d" * 32
FW = "FW" + "e" * 32


def flows(client: Client) -> Any:
    return client.flex_api.v1.flex_flow


def studio_flow(client: Client, identity: str, **params: Any) -> Any:
    return flows(client).create(
        friendly_name=params.pop("friendly_name", "SMS to Flex"),
        chat_service_sid=IS,
        channel_type=params.pop("channel_type", "sms"),
        contact_identity=identity,
        integration_type="studio",
        integration_flow_sid=FW,
        **params,
    )


def test_create_answers_the_spec_shape(emulator: EmulatorHandle) -> None:
    created = studio_flow(emulator.client(), "+15005550001", integration_retry_count=1)
    assert created.sid.startswith("FO") and len(created.sid) == 34
    assert created.account_sid == emulator.account_sid
    assert (created.chat_service_sid, created.channel_type) == (IS, "sms")
    assert (created.contact_identity, created.integration_type) == ("+15005550001", "studio")
    # The spec's example: a studio integration holds flow_sid and retry_count only.
    assert created.integration == {"flow_sid": FW, "retry_count": 1}
    assert created.enabled is True  # INFERRED default (notes R9)
    assert (created.long_lived, created.janitor_enabled) == (False, False)
    assert created.url == f"{emulator.base_url}/flex-api/v1/FlexFlows/{created.sid}"
    assert created.date_created is not None and created.date_created.tzinfo is not None


def test_integration_keys_follow_the_type(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    external = flows(client).create(
        friendly_name="Webhook",
        chat_service_sid=IS,
        channel_type="custom",
        integration_type="external",
        integration_url="https://hooks.example.com/flex",
        integration_flow_sid=FW,  # not applicable to external: dropped
    )
    assert external.integration == {"url": "https://hooks.example.com/flex", "retry_count": 3}
    task = flows(client)(external.sid).update(
        integration_type="task",
        integration_workspace_sid="WS" + "1" * 32,
        integration_workflow_sid="WW" + "2" * 32,
        integration_priority=5,
    )
    assert task.integration == {
        "workspace_sid": "WS" + "1" * 32,
        "workflow_sid": "WW" + "2" * 32,
        "channel": "default",
        "timeout": 86400,
        "priority": 5,
        "creation_on_message": False,
    }
    assert flows(client)(external.sid).fetch().integration_type == "task"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"friendly_name": "", "chat_service_sid": IS, "channel_type": "sms"}, "FriendlyName"),
        ({"friendly_name": "F", "chat_service_sid": "", "channel_type": "sms"}, "ChatServiceSid"),
        ({"friendly_name": "F", "chat_service_sid": "IS1", "channel_type": "sms"}, "ChatService"),
        ({"friendly_name": "F", "chat_service_sid": IS, "channel_type": "fax"}, "ChannelType"),
        (
            {"friendly_name": "F", "chat_service_sid": IS, "channel_type": "sms"},
            "Integration.FlowSid",  # studio is the default type and needs its flow
        ),
        (
            {
                "friendly_name": "F",
                "chat_service_sid": IS,
                "channel_type": "sms",
                "integration_type": "external",
            },
            "Integration.Url",
        ),
        (
            {
                "friendly_name": "F",
                "chat_service_sid": IS,
                "channel_type": "sms",
                "integration_type": "studio",
                "integration_flow_sid": FW,
                "integration_retry_count": 4,
            },
            "Integration.RetryCount",
        ),
        (
            {
                "friendly_name": "F",
                "chat_service_sid": IS,
                "channel_type": "sms",
                "integration_type": "voice",
            },
            "IntegrationType",
        ),
    ],
)
def test_bad_flows_are_400s_naming_the_parameter(
    emulator: EmulatorHandle, params: dict[str, Any], named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        flows(emulator.client()).create(**params)
    assert (err.value.status, err.value.code) == (400, 20001)
    assert named in err.value.msg
    assert flows(emulator.client()).list() == []


def test_an_enabled_identity_collides(emulator: EmulatorHandle) -> None:
    """45212 "collided with existing Flex Flows" (https://www.twilio.com/docs/api/errors/45212)."""
    client = emulator.client()
    first = studio_flow(client, "+15005550001")
    with pytest.raises(TwilioRestException) as err:
        studio_flow(client, "+15005550001", friendly_name="Second")
    assert (err.value.status, err.value.code) == (400, 45212)
    assert first.sid in err.value.msg
    # Disabled, another channel type, or another identity: no collision.
    spare = studio_flow(client, "+15005550001", friendly_name="Spare", enabled=False)
    studio_flow(client, "+15005550001", channel_type="whatsapp")
    studio_flow(client, "+15005550002")
    # Enabling the spare collides too; after disabling the first it may.
    with pytest.raises(TwilioRestException) as err:
        flows(client)(spare.sid).update(enabled=True)
    assert err.value.code == 45212
    flows(client)(first.sid).update(enabled=False)
    assert flows(client)(spare.sid).update(enabled=True).enabled is True
    assert len(flows(client).list()) == 4


def test_list_filters_by_friendly_name_and_pages(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    made = [
        studio_flow(client, f"+1500555000{i}", friendly_name="Pair" if i < 2 else "Odd").sid
        for i in range(3)
    ]
    assert [f.sid for f in flows(client).list(friendly_name="Pair", page_size=1)] == made[:2]
    page = flows(client).page(friendly_name="Pair", page_size=1)
    meta = page._payload["meta"]
    assert meta["key"] == "flex_flows"
    assert "FriendlyName=Pair" in meta["next_page_url"]
    assert meta["next_page_url"].startswith(f"{emulator.base_url}/flex-api/v1/FlexFlows?")
    assert [f.sid for f in page.next_page()] == [made[1]]
    assert [f.sid for f in flows(client).list()] == made


def test_update_delete_and_another_account(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    flow = studio_flow(client, "+15005550001")
    updated = flows(client)(flow.sid).update(
        friendly_name="Renamed",
        long_lived=True,
        janitor_enabled=True,
        contact_identity="+15005550002",
    )
    assert (updated.friendly_name, updated.long_lived, updated.janitor_enabled) == (
        "Renamed",
        True,
        True,
    )
    assert updated.contact_identity == "+15005550002"
    assert updated.integration == {"flow_sid": FW, "retry_count": 3}  # kept
    other = flows(emulator.other_client())
    assert other.list() == []
    for call in (lambda: other(flow.sid).fetch(), lambda: other(flow.sid).delete()):
        with pytest.raises(TwilioRestException) as err:
            call()
        assert (err.value.status, err.value.code) == (404, 20404)
    assert flows(client)(flow.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        flows(client)(flow.sid).fetch()
    assert err.value.status == 404


def test_every_response_is_validated(emulator: EmulatorHandle, spec: SpecValidator) -> None:
    before = spec.checked
    client = emulator.client()
    sid = studio_flow(client, "+15005550001").sid
    flows(client)(sid).fetch()
    flows(client).list()
    assert spec.checked == before + 3
