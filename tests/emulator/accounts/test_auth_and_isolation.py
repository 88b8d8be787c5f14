"""Authentication (auth token, API key, failures) and account isolation."""

from __future__ import annotations

import pytest
import requests
from support.emulator import EmulatorHandle, twilio_client, validated_session
from twilio.base.exceptions import TwilioException, TwilioRestException

AUTH_BODY = {
    "code": 20003,
    "detail": "Your AccountSid or AuthToken was incorrect.",
    "message": "Authentication Error - invalid username",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}


@pytest.mark.parametrize(
    ("username", "password"),
    [
        ("AC" + "1" * 32, "wrong-token"),  # right account, wrong token
        ("AC" + "7" * 32, "test-auth-token-" + "0" * 16),  # unknown account
        ("SK" + "2" * 32, "wrong-secret"),  # right key, wrong secret
        ("SK" + "3" * 32, "whatever"),  # unknown key
        ("someone", "else"),
    ],
)
def test_bad_credentials_get_twilios_401(
    emulator: EmulatorHandle, username: str, password: str
) -> None:
    client = twilio_client(emulator.base_url, username, password, emulator.account_sid)
    with pytest.raises(TwilioRestException) as err:
        client.conversations.v1.address_configurations(emulator.number.phone_number).fetch()
    assert (err.value.status, err.value.code) == (401, 20003)
    assert err.value.msg == "Unable to fetch record: Authentication Error - invalid username"
    session = validated_session((username, password))
    response = session.get(f"{emulator.base_url}/studio/v2/Flows")
    assert response.status_code == 401
    assert response.json() == AUTH_BODY
    entry = emulator.requests()[-1]
    assert entry["status"] == 401 and entry["account_sid"] is None


def test_no_credentials(emulator: EmulatorHandle) -> None:
    response = validated_session().get(f"{emulator.base_url}/conversations/v1/Services")
    assert response.status_code == 401
    assert response.json()["message"] == "Authentication Error - No credentials provided"


def test_list_errors_surface_as_twilio_exception_with_the_response(
    emulator: EmulatorHandle,
) -> None:
    client = twilio_client(emulator.base_url, emulator.account_sid, "nope")
    with pytest.raises(TwilioException) as err:
        client.conversations.v1.address_configurations.list()
    # twilio-python's list trap: a failed page is a bare TwilioException("Unable to
    # fetch page", response), not a TwilioRestException (twilio/base/page.py).
    assert err.value.args[1].status_code == 401


def test_api_key_works_for_its_account(emulator: EmulatorHandle) -> None:
    client = emulator.client(api_key=True)
    number = client.api.v2010.account.incoming_phone_numbers(emulator.number.sid).fetch()
    assert number.account_sid == emulator.account_sid
    created = client.conversations.v1.address_configurations.create(
        type="sms", address=emulator.number.phone_number
    )
    assert created.account_sid == emulator.account_sid
    entry = emulator.requests(method="POST")[-1]
    assert entry["credential_sid"] == emulator.api_key_sid
    assert entry["account_sid"] == emulator.account_sid


def test_api_key_cannot_reach_another_account(emulator: EmulatorHandle) -> None:
    client = twilio_client(
        emulator.base_url, emulator.api_key_sid, emulator.api_key_secret, emulator.other_account_sid
    )
    with pytest.raises(TwilioRestException) as err:
        client.api.v2010.account.incoming_phone_numbers(emulator.other_number.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


def test_accounts_never_see_each_other(emulator: EmulatorHandle) -> None:
    mine, theirs = emulator.client(), emulator.other_client()
    config = mine.conversations.v1.address_configurations.create(
        type="sms", address=emulator.number.phone_number
    )
    assert theirs.conversations.v1.address_configurations.list() == []
    for fetch in (
        lambda: theirs.conversations.v1.address_configurations(config.sid).fetch(),
        lambda: theirs.conversations.v1.address_configurations(config.address).fetch(),
        lambda: theirs.conversations.v1.address_configurations(config.sid).delete(),
        lambda: theirs.conversations.v1.services(emulator.service_sid).fetch(),
        lambda: theirs.studio.v2.flows(emulator.flow_sid).fetch(),
        lambda: theirs.studio.v2.flows(emulator.flow_sid).delete(),
        lambda: mine.api.v2010.account.incoming_phone_numbers(emulator.other_number.sid).fetch(),
        lambda: theirs.api.v2010.account.incoming_phone_numbers(emulator.number.sid).update(
            sms_url=""
        ),
    ):
        with pytest.raises(TwilioRestException) as err:
            fetch()
        assert (err.value.status, err.value.code) == (404, 20404)
    assert [n.sid for n in theirs.api.v2010.account.incoming_phone_numbers.list()] == [
        emulator.other_number.sid
    ]
    assert theirs.conversations.v1.services.list() == []
    # Their own flow list is empty; the standard account's flow is still there.
    assert theirs.studio.v2.flows.list() == []
    assert mine.studio.v2.flows(emulator.flow_sid).fetch().sid == emulator.flow_sid
    # An account may not name another account's services or flows either.
    with pytest.raises(TwilioRestException) as err:
        theirs.conversations.v1.address_configurations.create(
            type="sms",
            address=emulator.other_number.phone_number,
            auto_creation_type="studio",
            auto_creation_studio_flow_sid=emulator.flow_sid,
        )
    assert err.value.status == 404


def test_2010_path_naming_another_account_is_404(emulator: EmulatorHandle) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    url = (
        f"{emulator.base_url}/api/2010-04-01/Accounts/{emulator.other_account_sid}"
        "/IncomingPhoneNumbers.json"
    )
    response = session.get(url)
    assert response.status_code == 404
    assert emulator.other_account_sid in response.json()["message"]


def test_unknown_route_and_method_are_twilio_errors(emulator: EmulatorHandle) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    missing = session.get(f"{emulator.base_url}/conversations/v1/Nothing")
    assert missing.status_code == 404 and missing.json()["code"] == 20404
    assert missing.json()["message"] == "The requested resource /v1/Nothing was not found"
    wrong = requests.put(
        f"{emulator.base_url}/conversations/v1/Services",
        auth=(emulator.account_sid, emulator.auth_token),
    )
    assert wrong.status_code == 405 and wrong.json()["code"] == 20004
