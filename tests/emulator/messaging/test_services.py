"""Messaging v1 Services through twilio-python (every response checked against
``twilio_messaging_v1.json``)."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from support.openapi import SpecValidator
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def services(client: Client) -> Any:
    return client.messaging.v1.services


def test_create_answers_every_field_with_inbound_disabled(emulator: EmulatorHandle) -> None:
    created = services(emulator.client()).create(friendly_name="Support")
    assert created.sid.startswith("MG") and len(created.sid) == 34
    assert created.account_sid == emulator.account_sid
    # SPEC-MSG: "When this property is `null`, receiving inbound messages is disabled".
    assert created.inbound_request_url is None and created.fallback_url is None
    assert (created.inbound_method, created.fallback_method) == ("POST", "POST")
    assert created.use_inbound_webhook_on_number is False
    assert created.validity_period == 36000
    url = f"{emulator.base_url}/messaging/v1/Services/{created.sid}"
    assert created.url == url
    assert created.links["phone_numbers"] == f"{url}/PhoneNumbers"
    assert created.date_created is not None and created.date_created.tzinfo is not None


def test_every_writable_field_round_trips_and_blank_clears(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    created = services(client).create(
        friendly_name="Flex",
        inbound_request_url="https://hooks.example.com/in",
        inbound_method="get",
        fallback_url="https://hooks.example.com/fallback",
        fallback_method="GET",
        status_callback="https://hooks.example.com/status",
        sticky_sender=False,
        mms_converter=False,
        smart_encoding=False,
        scan_message_content="disable",
        fallback_to_long_code=True,
        area_code_geomatch=False,
        validity_period=600,
        synchronous_validation=True,
        usecase="marketing",
        use_inbound_webhook_on_number=True,
    )
    fetched = services(client)(created.sid).fetch()
    assert fetched.inbound_request_url == "https://hooks.example.com/in"
    assert (fetched.inbound_method, fetched.fallback_method) == ("GET", "GET")
    assert fetched.status_callback == "https://hooks.example.com/status"
    assert (fetched.sticky_sender, fetched.mms_converter, fetched.smart_encoding) == (
        False,
        False,
        False,
    )
    assert fetched.scan_message_content == "disable"
    assert (fetched.fallback_to_long_code, fetched.area_code_geomatch) == (True, False)
    assert (fetched.validity_period, fetched.synchronous_validation) == (600, True)
    assert (fetched.usecase, fetched.use_inbound_webhook_on_number) == ("marketing", True)

    updated = services(client)(created.sid).update(
        inbound_request_url="", fallback_url="", use_inbound_webhook_on_number=False
    )
    # twilio-python drops None, so "" is how a client disables inbound again.
    assert updated.inbound_request_url is None and updated.fallback_url is None
    assert updated.use_inbound_webhook_on_number is False
    assert updated.friendly_name == "Flex"  # updates are partial
    assert updated.date_updated >= updated.date_created


def test_list_pages_across_pages_and_delete(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    made = [services(client).create(friendly_name=f"S{i}").sid for i in range(3)]
    assert [s.sid for s in services(client).list(page_size=2)] == made
    first = services(client).page(page_size=2)
    meta = first._payload["meta"]
    assert (meta["key"], meta["page_size"], meta["previous_page_url"]) == ("services", 2, None)
    assert meta["next_page_url"].startswith(f"{emulator.base_url}/messaging/v1/Services?")
    second = first.next_page()
    assert [s.sid for s in second] == made[2:]
    assert second.next_page() is None
    assert services(client)(made[0]).delete() is True
    assert [s.sid for s in services(client).list()] == made[1:]
    with pytest.raises(TwilioRestException) as err:
        services(client)(made[0]).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_another_accounts_service_does_not_exist(emulator: EmulatorHandle) -> None:
    mine = services(emulator.client()).create(friendly_name="Mine")
    other = services(emulator.other_client())
    assert other.list() == []
    for call in (
        lambda: other(mine.sid).fetch(),
        lambda: other(mine.sid).update(friendly_name="Taken"),
        lambda: other(mine.sid).delete(),
    ):
        with pytest.raises(TwilioRestException) as err:
            call()
        assert (err.value.status, err.value.code) == (404, 20404)
    assert services(emulator.client())(mine.sid).fetch().friendly_name == "Mine"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"friendly_name": ""}, "FriendlyName"),
        ({"friendly_name": "x" * 65}, "FriendlyName"),
        ({"friendly_name": "S", "inbound_request_url": "not a url"}, "InboundRequestUrl"),
        ({"friendly_name": "S", "inbound_method": "PUT"}, "InboundMethod"),
        ({"friendly_name": "S", "validity_period": 0}, "ValidityPeriod"),
        ({"friendly_name": "S", "validity_period": 36001}, "ValidityPeriod"),
        ({"friendly_name": "S", "scan_message_content": "maybe"}, "ScanMessageContent"),
        ({"friendly_name": "S", "usecase": "spam"}, "Usecase"),
    ],
)
def test_bad_parameters_are_400s_naming_them(
    emulator: EmulatorHandle, params: dict[str, Any], named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        services(emulator.client()).create(**params)
    assert err.value.status == 400
    assert named in err.value.msg
    assert services(emulator.client()).list() == []


def test_a_seeded_console_mode_is_never_served(emulator: EmulatorHandle) -> None:
    """``incoming_mode`` is the Console's "Incoming Messages" (not in the API)."""
    summary = emulator.control.seed(
        {"messaging_services": [{"friendly_name": "Autocreate", "incoming_mode": "autocreate"}]}
    )
    sid = summary["accounts"][0]["messaging_services"][0]["sid"]
    session = validated_session((emulator.account_sid, emulator.auth_token))
    body = session.get(f"{emulator.base_url}/messaging/v1/Services/{sid}").json()
    assert "incoming_mode" not in body and "autocreate" not in str(body)
    listed = session.get(f"{emulator.base_url}/messaging/v1/Services").json()
    assert "incoming_mode" not in str(listed)
    state = emulator.control.state()["accounts"][0]["messaging_services"]
    assert [s["incoming_mode"] for s in state] == ["autocreate"]


def test_api_updates_move_the_declared_mode_as_the_console_would(
    emulator: EmulatorHandle,
) -> None:
    summary = emulator.control.seed(
        {
            "messaging_services": [
                {"friendly_name": "Drop", "incoming_mode": "drop"},
                {"friendly_name": "Defer", "incoming_mode": "defer"},
                {
                    "friendly_name": "Webhook",
                    "incoming_mode": "webhook",
                    "inbound_request_url": "https://hooks.example.com/in",
                },
                {"friendly_name": "Autocreate", "incoming_mode": "autocreate"},
            ]
        }
    )
    drop, defer, webhook, autocreate = (
        s["sid"] for s in summary["accounts"][0]["messaging_services"]
    )
    client = emulator.client()
    # Declaring defer sets the API field it is.
    assert services(client)(defer).fetch().use_inbound_webhook_on_number is True
    services(client)(drop).update(use_inbound_webhook_on_number=True)
    services(client)(defer).update(use_inbound_webhook_on_number=False)
    services(client)(webhook).update(inbound_request_url="")
    services(client)(autocreate).update(friendly_name="Still autocreating", inbound_request_url="")
    modes = {
        s["sid"]: s["incoming_mode"]
        for s in emulator.control.state()["accounts"][0]["messaging_services"]
    }
    assert modes == {drop: "defer", defer: None, webhook: None, autocreate: "autocreate"}


def test_every_response_is_validated(emulator: EmulatorHandle, spec: SpecValidator) -> None:
    before = spec.checked
    client = emulator.client()
    sid = services(client).create(friendly_name="Checked").sid
    services(client)(sid).fetch()
    services(client).list()
    assert spec.checked == before + 3
