"""Api 2010 Applications (TwiML apps) through twilio-python, and the numbers that name them."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from support.openapi import SpecValidator
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def apps(client: Client) -> Any:
    return client.api.v2010.account.applications


def numbers(client: Client) -> Any:
    return client.api.v2010.account.incoming_phone_numbers


def test_create_answers_every_field_with_rfc2822_dates(emulator: EmulatorHandle) -> None:
    created = apps(emulator.client()).create(friendly_name="SMS app")
    assert created.sid.startswith("AP") and len(created.sid) == 34
    assert created.account_sid == emulator.account_sid
    # Unset URLs are null and methods POST, as the spec's readFull example shows.
    assert (created.sms_url, created.sms_fallback_url, created.voice_url) == (None, None, None)
    assert (created.sms_method, created.sms_fallback_method) == ("POST", "POST")
    assert created.api_version == "2010-04-01"
    assert created.public_application_connect_enabled is False
    assert created.uri == (
        f"/2010-04-01/Accounts/{emulator.account_sid}/Applications/{created.sid}.json"
    )
    assert created.date_created is not None and created.date_created.tzinfo is not None


def test_every_writable_field_round_trips_and_blank_clears(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    created = apps(client).create(
        friendly_name="Full",
        api_version="2008-08-01",
        sms_url="https://app.example.com/sms",
        sms_method="get",
        sms_fallback_url="https://app.example.com/fb",
        sms_fallback_method="GET",
        sms_status_callback="https://app.example.com/sms-status",
        message_status_callback="https://app.example.com/msg-status",
        voice_url="https://app.example.com/voice",
        voice_method="GET",
        voice_fallback_url="https://app.example.com/vfb",
        voice_fallback_method="GET",
        voice_caller_id_lookup=True,
        status_callback="https://app.example.com/status",
        status_callback_method="GET",
        public_application_connect_enabled=True,
    )
    fetched = apps(client)(created.sid).fetch()
    assert (fetched.sms_url, fetched.sms_method) == ("https://app.example.com/sms", "GET")
    assert fetched.sms_fallback_url == "https://app.example.com/fb"
    assert fetched.message_status_callback == "https://app.example.com/msg-status"
    assert (fetched.voice_caller_id_lookup, fetched.api_version) == (True, "2008-08-01")
    assert fetched.public_application_connect_enabled is True
    cleared = apps(client)(created.sid).update(sms_url="", sms_fallback_url="")
    assert (cleared.sms_url, cleared.sms_fallback_url) == (None, None)
    assert cleared.voice_url == "https://app.example.com/voice"  # updates are partial


def test_list_filters_pages_and_deletes(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    made = [apps(client).create(friendly_name="Same" if i < 2 else "Other").sid for i in range(3)]
    assert [a.sid for a in apps(client).list(page_size=1)] == made
    assert [a.sid for a in apps(client).list(friendly_name="Same")] == made[:2]
    page = apps(client).page(friendly_name="Same", page_size=1)
    payload = page._payload
    assert (payload["start"], payload["end"], payload["page_size"]) == (0, 0, 1)
    assert payload["next_page_uri"].startswith(
        f"/2010-04-01/Accounts/{emulator.account_sid}/Applications.json?FriendlyName=Same"
    )
    assert [a.sid for a in page.next_page()] == [made[1]]
    assert apps(client)(made[0]).delete() is True
    with pytest.raises(TwilioRestException) as err:
        apps(client)(made[0]).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"sms_url": "not a url"}, 21402, "SmsUrl"),
        ({"sms_method": "PUT"}, 20001, "SmsMethod"),
        ({"api_version": "2020-01-01"}, 20001, "ApiVersion"),
        ({"friendly_name": "x" * 65}, 20001, "FriendlyName"),
    ],
)
def test_bad_parameters_are_400s_naming_them(
    emulator: EmulatorHandle, params: dict[str, Any], code: int, named: str
) -> None:
    with pytest.raises(TwilioRestException) as err:
        apps(emulator.client()).create(**params)
    assert (err.value.status, err.value.code) == (400, code)
    assert named in err.value.msg


def test_another_accounts_app_does_not_exist(emulator: EmulatorHandle) -> None:
    mine = apps(emulator.client()).create(friendly_name="Mine")
    other = emulator.other_client()
    assert apps(other).list() == []
    with pytest.raises(TwilioRestException) as err:
        apps(other)(mine.sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    # Naming the first account in the path is a 404 too, whatever the SID.
    session = validated_session((emulator.other_account_sid, emulator.other_auth_token))
    response = session.get(f"{emulator.base_url}/api{mine.uri}")
    assert (response.status_code, response.json()["code"]) == (404, 20404)


def test_a_number_names_only_an_app_of_its_account(emulator: EmulatorHandle) -> None:
    """22108 on update, 21420 on buying (https://www.twilio.com/docs/api/errors/22108, /21420)."""
    client = emulator.client()
    foreign = apps(emulator.other_client()).create(friendly_name="Theirs").sid
    for sid in (foreign, "AP" + "0" * 32):
        with pytest.raises(TwilioRestException) as err:
            numbers(client)(emulator.number.sid).update(sms_application_sid=sid)
        assert (err.value.status, err.value.code) == (400, 22108)
        assert "SmsApplicationSid" in err.value.msg
        with pytest.raises(TwilioRestException) as err:
            numbers(client).create(phone_number="+15005550099", voice_application_sid=sid)
        assert (err.value.status, err.value.code) == (400, 21420)
    assert numbers(client)(emulator.number.sid).fetch().sms_application_sid is None
    assert numbers(client).list(phone_number="+15005550099") == []
    mine = apps(client).create(friendly_name="Mine").sid
    assert numbers(client)(emulator.number.sid).update(sms_application_sid=mine).sms_application_sid


def test_deleting_an_app_clears_it_from_numbers(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    app = apps(client).create(friendly_name="Going").sid
    kept = apps(client).create(friendly_name="Staying").sid
    numbers(client)(emulator.number.sid).update(sms_application_sid=app, voice_application_sid=app)
    numbers(client)(emulator.numbers[1].sid).update(sms_application_sid=kept)
    apps(client)(app).delete()
    cleared = numbers(client)(emulator.number.sid).fetch()
    assert (cleared.sms_application_sid, cleared.voice_application_sid) == (None, None)
    assert numbers(client)(emulator.numbers[1].sid).fetch().sms_application_sid == kept


def test_seeded_apps_and_numbers_that_name_them(emulator: EmulatorHandle) -> None:
    app_sid = "AP" + "4" * 32
    summary = emulator.control.seed(
        {
            "applications": [
                {"sid": app_sid, "friendly_name": "Legacy bot", "sms_url": "https://bot.example"}
            ],
            "phone_numbers": [{"phone_number": "+15005550044", "sms_application_sid": app_sid}],
        }
    )
    account = summary["accounts"][0]
    assert account["applications"] == [{"sid": app_sid, "friendly_name": "Legacy bot"}]
    client = emulator.client()
    assert apps(client)(app_sid).fetch().sms_url == "https://bot.example"
    number = numbers(client).list(phone_number="+15005550044")[0]
    assert number.sms_application_sid == app_sid


def test_every_response_is_validated(emulator: EmulatorHandle, spec: SpecValidator) -> None:
    before = spec.checked
    client = emulator.client()
    sid = apps(client).create(friendly_name="Checked").sid
    apps(client)(sid).fetch()
    apps(client).list()
    assert spec.checked == before + 3
