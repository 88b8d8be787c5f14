"""Conversations v1 Address Configurations, driven with twilio-python over HTTP."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

IS_MISSING = "IS" + "0" * 32
FW_MISSING = "FW" + "0" * 32


def addresses(client: Client) -> Any:
    return client.conversations.v1.address_configurations


def studio_config(emulator: EmulatorHandle, **overrides: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "type": "sms",
        "address": emulator.number.phone_number,
        "friendly_name": "Flex SMS",
        "auto_creation_enabled": True,
        "auto_creation_type": "studio",
        "auto_creation_conversation_service_sid": emulator.service_sid,
        "auto_creation_studio_flow_sid": emulator.flow_sid,
        "auto_creation_studio_retry_count": 2,
    }
    params.update(overrides)
    return params


def test_create_studio_then_fetch_by_sid_and_by_address(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    created = addresses(client).create(**studio_config(emulator))
    assert created.sid.startswith("IG") and len(created.sid) == 34
    assert created.account_sid == emulator.account_sid
    assert created.address == emulator.number.phone_number
    assert created.friendly_name == "Flex SMS"
    assert created.auto_creation == {
        "enabled": True,
        "type": "studio",
        "conversation_service_sid": emulator.service_sid,
        "studio_flow_sid": emulator.flow_sid,
        "studio_retry_count": 2,
    }
    assert (
        created.url == f"{emulator.base_url}/conversations/v1/Configuration/Addresses/{created.sid}"
    )
    assert created.date_created is not None and created.date_created.tzinfo is not None

    by_sid = addresses(client)(created.sid).fetch()
    # twilio-python sends the address with a raw "+" in the path.
    by_address = addresses(client)(emulator.number.phone_number).fetch()
    assert by_sid.sid == by_address.sid == created.sid
    assert by_address.url.endswith(created.sid)  # always the IG SID, never the address


def test_fetch_by_percent_encoded_address(emulator: EmulatorHandle) -> None:
    created = addresses(emulator.client()).create(**studio_config(emulator))
    session = validated_session((emulator.account_sid, emulator.auth_token))
    encoded = emulator.number.phone_number.replace("+", "%2B")
    url = f"{emulator.base_url}/conversations/v1/Configuration/Addresses/{encoded}"
    response = session.get(url)
    assert response.status_code == 200
    assert response.json()["sid"] == created.sid


def test_webhook_shape_accepts_lowercase_method_and_answers_uppercase(
    emulator: EmulatorHandle,
) -> None:
    created = addresses(emulator.client()).create(
        type="sms",
        address=emulator.number.phone_number,
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_webhook_url="https://hooks.example.com/inbound",
        auto_creation_webhook_method="post",
        auto_creation_webhook_filters=["onMessageAdded", "onParticipantAdded"],
    )
    assert created.auto_creation == {
        "enabled": True,
        "type": "webhook",
        "conversation_service_sid": None,
        "webhook_url": "https://hooks.example.com/inbound",
        "webhook_method": "POST",
        "webhook_filters": ["onMessageAdded", "onParticipantAdded"],
    }


def test_default_shape_and_omitted_auto_creation(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    default = addresses(client).create(
        type="sms",
        address=emulator.numbers[0].phone_number,
        auto_creation_enabled=True,
        auto_creation_type="default",
        auto_creation_conversation_service_sid=emulator.service_sid,
    )
    assert default.auto_creation == {"enabled": True, "type": "default"}
    assert default.friendly_name is None and default.address_country is None
    bare = addresses(client).create(type="sms", address=emulator.numbers[2].phone_number)
    assert bare.auto_creation == {"enabled": False, "type": "default"}


def test_type_is_case_insensitive_and_echoed(emulator: EmulatorHandle) -> None:
    created = addresses(emulator.client()).create(
        type="whAtsAPP", address="whatsapp:+15005550001", address_country="us"
    )
    assert created.type == "whAtsAPP"
    assert created.address_country == "US"
    fetched = addresses(emulator.client())("whatsapp:+15005550001").fetch()
    assert fetched.sid == created.sid


def test_update_is_partial_and_switching_type_keeps_only_its_keys(
    emulator: EmulatorHandle,
) -> None:
    client = emulator.client()
    created = addresses(client).create(
        type="sms",
        address=emulator.number.phone_number,
        friendly_name="before",
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_webhook_url="https://hooks.example.com/a",
        auto_creation_webhook_filters=["onMessageAdded"],
    )
    renamed = addresses(client)(created.sid).update(friendly_name="after")
    assert renamed.friendly_name == "after"
    assert renamed.auto_creation["webhook_url"] == "https://hooks.example.com/a"
    assert renamed.date_created == created.date_created

    switched = addresses(client)(emulator.number.phone_number).update(
        auto_creation_type="studio",
        auto_creation_studio_flow_sid=emulator.flow_sid,
        auto_creation_enabled=False,
    )
    assert switched.auto_creation == {
        "enabled": False,
        "type": "studio",
        "conversation_service_sid": None,
        "studio_flow_sid": emulator.flow_sid,
        "studio_retry_count": 3,
    }
    assert addresses(client)(created.sid).fetch().auto_creation == switched.auto_creation
    # Clearing a text field with "" really clears it.
    assert addresses(client)(created.sid).update(friendly_name="").friendly_name == ""


def test_delete_by_address_then_404(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    created = addresses(client).create(**studio_config(emulator))
    assert addresses(client)(emulator.number.phone_number).delete() is True
    with pytest.raises(TwilioRestException) as err:
        addresses(client)(created.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    assert created.sid in err.value.msg
    with pytest.raises(TwilioRestException) as err:
        addresses(client)(created.sid).delete()
    assert err.value.status == 404


def test_unknown_address_is_404(emulator: EmulatorHandle) -> None:
    with pytest.raises(TwilioRestException) as err:
        addresses(emulator.client())("+15005550999").fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    assert "+15005550999" in err.value.msg


def test_list_filters_by_type_and_pages_with_meta(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    for number in emulator.numbers:
        addresses(client).create(type="sms", address=number.phone_number)
    addresses(client).create(type="email", address="help@example.com")

    everything = addresses(client).list(page_size=1)
    assert [a.address for a in everything] == [
        *(n.phone_number for n in emulator.numbers),
        "help@example.com",
    ]
    sms_only = addresses(client).list(type="sms", page_size=2)
    assert {a.type for a in sms_only} == {"sms"} and len(sms_only) == 3

    first = addresses(client).page(type="sms", page_size=2)
    meta = first._payload["meta"]
    assert meta["key"] == "address_configurations"
    assert meta["page"] == 0 and meta["page_size"] == 2
    assert meta["first_page_url"].startswith(f"{emulator.base_url}/conversations/v1/")
    assert "Type=sms" in meta["next_page_url"] and "PageToken=" in meta["next_page_url"]
    assert meta["previous_page_url"] is None
    second = first.next_page()
    assert second is not None
    assert [a.address for a in second] == [emulator.numbers[2].phone_number]
    assert second._payload["meta"]["next_page_url"] is None
    assert second._payload["meta"]["previous_page_url"] is not None
    back = second.previous_page()
    assert [a.address for a in back] == [n.phone_number for n in emulator.numbers[:2]]


def test_paging_does_not_skip_when_rows_are_deleted_between_pages(
    emulator: EmulatorHandle,
) -> None:
    client = emulator.client()
    for number in emulator.numbers:
        addresses(client).create(type="sms", address=number.phone_number)
    first = addresses(client).page(page_size=1)
    addresses(client)(emulator.numbers[0].phone_number).delete()
    second = first.next_page()
    assert [a.address for a in second] == [emulator.numbers[1].phone_number]


@pytest.mark.parametrize(
    ("overrides", "status", "code", "named"),
    [
        ({"type": "fax"}, 400, 20001, "Type"),
        ({"address": "5005550001"}, 400, 20001, "Address"),
        ({"address": "+15005550888"}, 400, 20001, "Address"),  # not a number of the account
        ({"auto_creation_type": "flex"}, 400, 20001, "AutoCreation.Type"),
        ({"auto_creation_enabled": "yes"}, 400, 20001, "AutoCreation.Enabled"),
        ({"auto_creation_studio_flow_sid": "FW123"}, 400, 20001, "AutoCreation.StudioFlowSid"),
        (
            {"auto_creation_conversation_service_sid": "CH" + "1" * 32},
            400,
            20001,
            "AutoCreation.ConversationServiceSid",
        ),
        ({"auto_creation_studio_retry_count": 4}, 400, 20001, "AutoCreation.StudioRetryCount"),
        ({"auto_creation_studio_retry_count": -1}, 400, 20001, "AutoCreation.StudioRetryCount"),
        ({"auto_creation_studio_flow_sid": FW_MISSING}, 404, 20404, FW_MISSING),
        ({"auto_creation_conversation_service_sid": IS_MISSING}, 404, 20404, IS_MISSING),
        ({"friendly_name": "x" * 257}, 400, 20001, "FriendlyName"),
        ({"address_country": "USA"}, 400, 20001, "AddressCountry"),
    ],
)
def test_create_refuses_bad_parameters_naming_them(
    emulator: EmulatorHandle, overrides: dict[str, Any], status: int, code: int, named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        addresses(emulator.client()).create(**studio_config(emulator, **overrides))
    assert (err.value.status, err.value.code) == (status, code)
    assert named in err.value.msg
    assert emulator.control.state()["accounts"][0]["address_configurations"] == []


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"auto_creation_type": "webhook"}, 50369, "AutoCreation.WebhookUrl"),
        (
            {"auto_creation_type": "webhook", "auto_creation_webhook_url": "ftp://x"},
            21402,
            "AutoCreation.WebhookUrl",
        ),
        (
            {
                "auto_creation_type": "webhook",
                "auto_creation_webhook_url": "https://h.example.com",
                "auto_creation_webhook_method": "PUT",
            },
            20001,
            "AutoCreation.WebhookMethod",
        ),
        (
            {
                "auto_creation_type": "webhook",
                "auto_creation_webhook_url": "https://h.example.com",
                "auto_creation_webhook_filters": ["onMessageAdded", "onConversationAdded"],
            },
            50365,
            "AutoCreation.WebhookFilters",
        ),
        ({"auto_creation_type": "studio"}, 20001, "AutoCreation.StudioFlowSid"),
    ],
)
def test_integration_settings_are_checked(
    emulator: EmulatorHandle, params: dict[str, Any], code: int, named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        addresses(emulator.client()).create(
            type="sms", address=emulator.number.phone_number, **params
        )
    assert (err.value.status, err.value.code) == (400, code)
    assert named in err.value.msg


def test_one_configuration_per_address(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    first = addresses(client).create(**studio_config(emulator))
    with pytest.raises(TwilioRestException) as err:
        addresses(client).create(type="sms", address=emulator.number.phone_number)
    assert (err.value.status, err.value.code) == (400, 20001)
    assert err.value.msg.endswith(
        f"Address Configuration already exists for address {emulator.number.phone_number}: "
        f"{first.sid}"
    )
    assert len(addresses(client).list()) == 1


def test_duplicate_error_is_configurable_by_seed(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"settings": {"duplicate_address_error": {"status": 409, "code": 50999}}})
    client = emulator.client()
    addresses(client).create(**studio_config(emulator))
    with pytest.raises(TwilioRestException) as err:
        addresses(client).create(**studio_config(emulator))
    assert (err.value.status, err.value.code) == (409, 50999)


@pytest.mark.parametrize("field", ["Type", "Address", "AddressCountry"])
def test_fixed_fields_are_not_updatable(emulator: EmulatorHandle, field: str) -> None:
    created = addresses(emulator.client()).create(**studio_config(emulator))
    session = validated_session((emulator.account_sid, emulator.auth_token))
    url = f"{emulator.base_url}/conversations/v1/Configuration/Addresses/{created.sid}"
    response = session.post(url, data={field: "whatsapp"})
    assert response.status_code == 400
    assert field in response.json()["message"]


def test_update_checks_references_too(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    created = addresses(client).create(**studio_config(emulator))
    with pytest.raises(TwilioRestException) as err:
        addresses(client)(created.sid).update(auto_creation_studio_flow_sid=FW_MISSING)
    assert (err.value.status, err.value.code) == (404, 20404)
    assert addresses(client)(created.sid).fetch().auto_creation["studio_flow_sid"] == (
        emulator.flow_sid
    )
