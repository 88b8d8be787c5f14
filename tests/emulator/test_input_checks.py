"""Input Twilio would refuse is refused: non-ASCII digits, trailing newlines, bad URLs.

Python's ``\\d`` matches Arabic-Indic and full-width digits, ``int()`` accepts
them, and ``$`` matches before a final newline; Twilio's patterns (E.164
``^\\+[1-9]\\d{1,14}$``, SIDs, ISO country codes) mean ASCII and the whole value.
"""

from __future__ import annotations

import pytest
from support.emulator import EmulatorHandle, arabic_indic, full_width, validated_session
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import EmulatorControlError

NOT_E164 = [
    "+1" + arabic_indic("5005550400"),
    "+" + full_width("15005550400"),
    "+15005550400\n",  # a trailing newline
    "+15005550400\r",
    " +15005550400",
]


@pytest.mark.parametrize("number", NOT_E164)
def test_buying_a_number_takes_ascii_e164_only(emulator: EmulatorHandle, number: str) -> None:
    numbers = emulator.client().api.v2010.account.incoming_phone_numbers
    with pytest.raises(TwilioRestException) as err:
        numbers.create(phone_number=number)
    assert (err.value.status, err.value.code) == (400, 21421)
    assert "PhoneNumber" in err.value.msg
    assert len(numbers.list()) == len(emulator.numbers)


@pytest.mark.parametrize("number", NOT_E164)
def test_seeds_and_simulated_sms_take_ascii_e164_only(
    emulator: EmulatorHandle, number: str
) -> None:
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed({"phone_numbers": [{"phone_number": number}]})
    assert err.value.status == 400 and "PhoneNumber" in err.value.body["message"]
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.simulate_inbound_sms(number, emulator.number.phone_number)
    assert err.value.status == 400 and "from" in err.value.body["message"]


def test_area_codes_take_ascii_digits_only(emulator: EmulatorHandle) -> None:
    numbers = emulator.client().api.v2010.account.incoming_phone_numbers
    with pytest.raises(TwilioRestException) as err:
        numbers.create(area_code="2" + arabic_indic("02"))
    assert err.value.status == 400 and "AreaCode" in err.value.msg


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/sms\x01",
        "https://hooks.example.com/sms\n",
        "https://hooks.example.com/a\tb",
        "https://hooks.example.com/a\x7fb",
        "http://[::1",  # an unclosed IPv6 literal: urlsplit raises
        "https://hooks.example.com/a b",
    ],
)
def test_urls_with_control_characters_are_refused(emulator: EmulatorHandle, url: str) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    number_url = (
        f"{emulator.base_url}/api/2010-04-01/Accounts/{emulator.account_sid}"
        f"/IncomingPhoneNumbers/{emulator.number.sid}.json"
    )
    response = session.post(number_url, data={"SmsUrl": url})
    assert response.status_code == 400
    assert (response.json()["code"], "SmsUrl" in response.json()["message"]) == (21402, True)
    addresses = f"{emulator.base_url}/conversations/v1/Configuration/Addresses"
    response = session.post(
        addresses,
        data={
            "Type": "sms",
            "Address": emulator.number.phone_number,
            "AutoCreation.Type": "webhook",
            "AutoCreation.WebhookUrl": url,
        },
    )
    assert response.status_code == 400
    assert "AutoCreation.WebhookUrl" in response.json()["message"]
    assert (
        emulator.client()
        .api.v2010.account.incoming_phone_numbers(emulator.number.sid)
        .fetch()
        .sms_url
        == ""
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("AutoCreation.StudioFlowSid", "FW" + arabic_indic("3" * 32)),
        ("AutoCreation.ConversationServiceSid", "IS" + "d" * 32 + "\n"),
        ("AddressCountry", full_width("US")),
        ("AddressCountry", "US\n"),
        ("AutoCreation.StudioRetryCount", full_width("2")),
    ],
)
def test_sids_country_codes_and_counts_take_ascii_only(
    emulator: EmulatorHandle, field: str, value: str
) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    response = session.post(
        f"{emulator.base_url}/conversations/v1/Configuration/Addresses",
        data={
            "Type": "sms",
            "Address": emulator.number.phone_number,
            "AutoCreation.Type": "studio",
            "AutoCreation.StudioFlowSid": emulator.flow_sid,
            field: value,
        },
    )
    assert response.status_code == 400
    assert field in response.json()["message"]
