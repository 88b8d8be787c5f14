"""Api 2010 IncomingPhoneNumbers, driven with twilio-python over HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client


def numbers(client: Client) -> Any:
    return client.api.v2010.account.incoming_phone_numbers


def test_fetch_has_every_field_with_rfc2822_dates(emulator: EmulatorHandle) -> None:
    legacy = emulator.numbers[1]
    number = numbers(emulator.client())(legacy.sid).fetch()
    assert number.sid == legacy.sid
    assert number.phone_number == legacy.phone_number
    assert number.friendly_name == "Legacy SMS line"
    assert number.sms_url == emulator.legacy_sms_url
    assert (number.sms_method, number.sms_fallback_method) == ("POST", "GET")
    assert number.sms_application_sid is None
    assert number.capabilities == {"voice": True, "sms": True, "mms": True, "fax": False}
    assert number.uri == (
        f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/{legacy.sid}.json"
    )
    # twilio-python parses RFC 2822 into an aware datetime; a wrong shape stays None.
    assert number.date_created is not None and number.date_created.tzinfo is not None
    session = validated_session((emulator.account_sid, emulator.auth_token))
    body = session.get(f"{emulator.base_url}/api{number.uri}").json()
    assert body["date_created"].endswith(" +0000") and body["date_created"][3:5] == ", "


def test_clean_number_has_blank_sms_handler_and_friendly_default(emulator: EmulatorHandle) -> None:
    number = numbers(emulator.client())(emulator.number.sid).fetch()
    assert number.sms_url == ""
    assert number.voice_url is None
    assert number.friendly_name == "(500) 555-0001"


def test_list_filters_by_phone_number_and_pages(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    found = numbers(client).list(phone_number=emulator.numbers[1].phone_number)
    assert [n.sid for n in found] == [emulator.numbers[1].sid]
    partial = numbers(client).list(phone_number="555000*")
    assert [n.sid for n in partial] == [n.sid for n in emulator.numbers]
    assert numbers(client).list(phone_number="+19999999999") == []

    every = numbers(client).list(page_size=1)
    assert [n.sid for n in every] == [n.sid for n in emulator.numbers]
    first = numbers(client).page(page_size=2)
    payload = first._payload
    assert (payload["page"], payload["page_size"], payload["start"], payload["end"]) == (0, 2, 0, 1)
    assert payload["next_page_uri"].startswith(
        f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers.json?"
    )
    assert "meta" not in payload
    second = first.next_page()
    assert [n.sid for n in second] == [emulator.numbers[2].sid]
    assert (second._payload["start"], second._payload["end"]) == (2, 2)
    assert second._payload["next_page_uri"] is None
    assert [n.sid for n in second.previous_page()] == [n.sid for n in emulator.numbers[:2]]


def test_list_by_friendly_name_and_origin(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    assert [n.sid for n in numbers(client).list(friendly_name="Legacy SMS line")] == [
        emulator.numbers[1].sid
    ]
    assert numbers(client).list(origin="hosted") == []
    assert len(numbers(client).list(origin="twilio", beta=False)) == 3


def test_update_every_messaging_field_and_clear_with_empty(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"applications": [{"sid": "AP" + "3" * 32}]})
    client = emulator.client()
    sid = emulator.numbers[1].sid
    updated = numbers(client)(sid).update(
        sms_url="https://flex.example.com/sms",
        sms_method="get",
        sms_fallback_url="https://flex.example.com/fallback",
        sms_fallback_method="POST",
        sms_application_sid="AP" + "3" * 32,
        status_callback="https://flex.example.com/status",
        status_callback_method="GET",
        friendly_name="Flex line",
    )
    assert updated.sms_url == "https://flex.example.com/sms"
    assert updated.sms_method == "GET"
    assert updated.sms_application_sid == "AP" + "3" * 32
    assert updated.status_callback_method == "GET"
    assert updated.friendly_name == "Flex line"
    cleared = numbers(client)(sid).update(sms_url="", sms_fallback_url="", sms_application_sid="")
    assert (cleared.sms_url, cleared.sms_fallback_url) == ("", "")
    assert cleared.sms_application_sid is None
    fetched = numbers(client)(sid).fetch()
    assert fetched.sms_url == "" and fetched.sms_method == "GET"
    assert fetched.date_updated >= fetched.date_created


def test_update_every_voice_field(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    sid = emulator.number.sid
    updated = numbers(client)(sid).update(
        voice_url="https://voice.example.com/in",
        voice_method="GET",
        voice_fallback_url="https://voice.example.com/fb",
        voice_fallback_method="GET",
        voice_caller_id_lookup=True,
        voice_receive_mode="fax",
        trunk_sid="TK" + "4" * 32,
        emergency_status="Active",
        emergency_address_sid="AD" + "5" * 32,
        identity_sid="RI" + "6" * 32,
        address_sid="AD" + "7" * 32,
        bundle_sid="BU" + "8" * 32,
        api_version="2008-08-01",
    )
    assert updated.voice_url == "https://voice.example.com/in"
    assert (updated.voice_method, updated.voice_fallback_method) == ("GET", "GET")
    assert updated.voice_caller_id_lookup is True
    assert updated.voice_receive_mode == "fax"
    assert updated.trunk_sid == "TK" + "4" * 32
    assert updated.emergency_status == "Active"
    assert updated.bundle_sid == "BU" + "8" * 32
    assert updated.api_version == "2008-08-01"
    # Setting a voice application deletes the trunk, and vice versa (Twilio's rule).
    emulator.control.seed({"applications": [{"sid": "AP" + "9" * 32}]})
    app = numbers(client)(sid).update(voice_application_sid="AP" + "9" * 32)
    assert (app.voice_application_sid, app.trunk_sid) == ("AP" + "9" * 32, None)


@pytest.mark.parametrize(
    ("params", "code", "named"),
    [
        ({"sms_url": "not a url"}, 21402, "SmsUrl"),
        ({"sms_fallback_url": "mailto:x@example.com"}, 21402, "SmsFallbackUrl"),
        ({"sms_method": "PUT"}, 20001, "SmsMethod"),
        ({"sms_application_sid": "AP123"}, 20001, "SmsApplicationSid"),
        ({"voice_caller_id_lookup": "maybe"}, 20001, "VoiceCallerIdLookup"),
        ({"friendly_name": "x" * 65}, 20001, "FriendlyName"),
        ({"emergency_status": "active"}, 20001, "EmergencyStatus"),
        ({"account_sid": "AC" + "9" * 32}, 20001, "AccountSid"),
    ],
)
def test_update_refuses_bad_parameters_naming_them(
    emulator: EmulatorHandle, params: dict[str, Any], code: int, named: str
) -> None:
    client = emulator.client()
    with pytest.raises(TwilioRestException) as err:
        numbers(client)(emulator.numbers[1].sid).update(**params)
    assert (err.value.status, err.value.code) == (400, code)
    assert named in err.value.msg
    assert numbers(client)(emulator.numbers[1].sid).fetch().sms_url == emulator.legacy_sms_url


def test_unknown_number_is_404_with_the_path(emulator: EmulatorHandle) -> None:
    sid = "PN" + "0" * 32
    with pytest.raises(TwilioRestException) as err:
        numbers(emulator.client())(sid).fetch()
    assert (err.value.status, err.value.code) == (404, 20404)
    assert f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/{sid}.json" in (
        err.value.msg
    )


def test_buy_by_number_and_by_area_code(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    bought = numbers(client).create(phone_number="+15005550100", sms_url="https://a.example/s")
    assert bought.sid.startswith("PN") and bought.sms_url == "https://a.example/s"
    assert bought.status == "in-use"
    by_area = numbers(client).create(area_code="415")
    assert by_area.phone_number.startswith("+1415")
    assert len(numbers(client).list()) == 5
    with pytest.raises(TwilioRestException) as err:
        numbers(client).create(phone_number="+15005550100")
    assert (err.value.status, err.value.code) == (400, 21422)
    with pytest.raises(TwilioRestException) as err:
        # Owned by the other account: not available either.
        numbers(client).create(phone_number=emulator.other_number.phone_number)
    assert err.value.code == 21422
    with pytest.raises(TwilioRestException) as err:
        numbers(client).create()
    assert err.value.status == 400 and "PhoneNumber" in err.value.msg
    with pytest.raises(TwilioRestException) as err:
        numbers(client).create(phone_number="5005550100")
    assert err.value.code == 21421


@pytest.mark.releases_numbers
def test_release_deletes_the_number_and_its_address_configuration(
    emulator: EmulatorHandle,
) -> None:
    client = emulator.client()
    config = client.conversations.v1.address_configurations.create(
        type="sms", address=emulator.number.phone_number
    )
    assert numbers(client)(emulator.number.sid).delete() is True
    with pytest.raises(TwilioRestException) as err:
        numbers(client)(emulator.number.sid).fetch()
    assert err.value.status == 404
    with pytest.raises(TwilioRestException) as err:
        client.conversations.v1.address_configurations(config.sid).fetch()
    assert err.value.status == 404  # Twilio warning 50610
    assert [r["status"] for r in emulator.requests(method="DELETE")] == [204]


def test_fixture_fails_a_test_that_releases_numbers_unmarked(pytester: pytest.Pytester) -> None:
    """The real ``emulator`` fixture (tests/conftest.py), run in a nested session."""
    pytester.makeconftest((Path(__file__).parents[2] / "conftest.py").read_text())
    pytester.makeini("[pytest]\nmarkers =\n    releases_numbers: deliberately releases numbers\n")
    pytester.makepyfile(
        """
import pytest

def release(emulator):
    emulator.client().api.v2010.account.incoming_phone_numbers(emulator.numbers[2].sid).delete()

def test_unmarked(emulator):
    release(emulator)

@pytest.mark.releases_numbers
def test_marked(emulator):
    release(emulator)

def test_no_release(emulator):
    emulator.client().api.v2010.account.incoming_phone_numbers.list()
"""
    )
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3, errors=1)
    result.stdout.fnmatch_lines(
        ["*ERROR at teardown of test_unmarked*", "*released phone numbers*"]
    )
