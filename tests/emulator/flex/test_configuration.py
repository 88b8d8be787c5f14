"""The Flex Configuration (``/v1/Configuration``) through twilio-python: one per
account, updated with a JSON body (twilio-python sends ``body.to_dict()`` as JSON)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from support.openapi import SpecValidator
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

FLEX_SERVICE = "IS" + "d" * 32


@dataclass
class Body:
    """What twilio-python's ``configuration().update(body=...)`` takes: a ``to_dict()``."""

    values: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return self.values


def configuration(client: Client) -> Any:
    return client.flex_api.v1.configuration()


def test_an_account_without_flex_answers_defaults(emulator: EmulatorHandle) -> None:
    fetched = configuration(emulator.client()).fetch()
    assert fetched.account_sid == emulator.account_sid
    assert fetched.status == "notstarted"
    assert fetched.chat_service_instance_sid is None
    assert fetched.date_created is None
    assert fetched.url == f"{emulator.base_url}/flex-api/v1/Configuration"


def test_update_sets_fields_and_replaces_json_ones_whole(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    updated = configuration(client).update(
        body=Body(
            {
                "account_sid": emulator.account_sid,
                "chat_service_instance_sid": FLEX_SERVICE,
                "call_recording_enabled": True,
                "ui_attributes": {"theme": {"isLight": True}, "logLevel": "info"},
                "serverless_service_sids": ["ZS" + "1" * 32],
            }
        )
    )
    assert updated.chat_service_instance_sid == FLEX_SERVICE
    assert updated.call_recording_enabled is True
    assert updated.date_created is not None
    again = configuration(client).update(
        body=Body({"account_sid": emulator.account_sid, "ui_attributes": {"logLevel": "debug"}})
    )
    # "the existing value of the property will be completely replaced" (Flex docs).
    assert again.ui_attributes == {"logLevel": "debug"}
    assert again.chat_service_instance_sid == FLEX_SERVICE  # untouched fields stay
    assert configuration(client).fetch().serverless_service_sids == ["ZS" + "1" * 32]
    # The other account's configuration is its own.
    assert configuration(emulator.other_client()).fetch().chat_service_instance_sid is None


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"chat_service_instance_sid": FLEX_SERVICE}, "account_sid"),
        ({"account_sid": "AC" + "9" * 32, "crm_enabled": True}, "account_sid"),
        ({"account_sid": None, "chat_service_instance_sid": "IS123"}, "chat_service_instance_sid"),
        ({"account_sid": None, "call_recording_enabled": "yes"}, "call_recording_enabled"),
        ({"account_sid": None, "status": "done"}, "status"),
        ({"account_sid": None, "serverless_service_sids": ["XX"]}, "serverless_service_sids"),
        ({"account_sid": None, "colour": "red"}, "colour"),
        ({"account_sid": None, "date_created": "2026-01-01T00:00:00Z"}, "date_created"),
    ],
)
def test_bad_updates_are_400s_naming_the_field(
    emulator: EmulatorHandle, body: dict[str, Any], named: str
) -> None:
    if "account_sid" in body and body["account_sid"] is None:
        body = {**body, "account_sid": emulator.account_sid}
    with pytest.raises(TwilioRestException) as err:
        configuration(emulator.client()).update(body=Body(body))
    assert err.value.status == 400
    assert named in err.value.msg
    assert configuration(emulator.client()).fetch().status == "notstarted"  # nothing applied


def test_a_body_that_is_not_a_json_object_is_refused(emulator: EmulatorHandle) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    url = f"{emulator.base_url}/flex-api/v1/Configuration"
    for data in ("[1, 2]", "{not json", ""):
        response = session.post(url, data=data, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, data
        assert "JSON object" in response.json()["message"]


def test_every_response_is_validated(emulator: EmulatorHandle, spec: SpecValidator) -> None:
    before = spec.checked
    client = emulator.client()
    configuration(client).fetch()
    configuration(client).update(
        body=Body({"account_sid": emulator.account_sid, "flex_service_instance_sid": FLEX_SERVICE})
    )
    assert spec.checked == before + 2
