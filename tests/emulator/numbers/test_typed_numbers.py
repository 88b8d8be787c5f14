"""Api 2010 IncomingPhoneNumbers/Local.json, /Mobile.json and /TollFree.json (list and
buy), driven with twilio-python over HTTP: the same numbers as IncomingPhoneNumbers.json,
each sub-list holding the numbers of its type."""

from __future__ import annotations

from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session
from twilio.base.exceptions import TwilioRestException
from twilio.rest import Client

from pulumi_flex_sms.emulator.control import EmulatorControlError


def numbers(client: Client) -> Any:
    return client.api.v2010.account.incoming_phone_numbers


def sids(found: list[Any]) -> list[str]:
    return [n.sid for n in found]


def test_a_number_bought_as_local_is_in_both_lists(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    bought = numbers(client).local.create(
        phone_number="+15005550100", sms_url="https://a.example/s", friendly_name="Bought"
    )
    assert bought.sid.startswith("PN") and bought.phone_number == "+15005550100"
    assert (bought.sms_url, bought.friendly_name, bought.status) == (
        "https://a.example/s",
        "Bought",
        "in-use",
    )
    assert bought.uri == (
        f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/{bought.sid}.json"
    )
    seeded = sids(emulator.numbers)
    assert sids(numbers(client).local.list()) == [*seeded, bought.sid]
    assert sids(numbers(client).list()) == [*seeded, bought.sid]
    assert numbers(client)(bought.sid).fetch().type == "local"
    # The sub-list's schema has no ``type`` (the list says it); the plain one has.
    session = validated_session((emulator.account_sid, emulator.auth_token))
    listed = f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/Local.json"
    body = session.get(f"{emulator.base_url}/api{listed}").json()
    assert all("type" not in item for item in body["incoming_phone_numbers"])
    assert body["uri"].startswith(f"{listed}?") and body["first_page_uri"].startswith(f"{listed}?")
    assert "meta" not in body


def test_each_sub_list_holds_its_type(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    toll_free = numbers(client).toll_free.create(phone_number="+18005550100")
    mobile = numbers(client).mobile.create(phone_number="+15005550101")
    assert numbers(client)(toll_free.sid).fetch().type == "tollfree"
    assert numbers(client)(mobile.sid).fetch().type == "mobile"
    assert sids(numbers(client).toll_free.list()) == [toll_free.sid]
    assert sids(numbers(client).mobile.list()) == [mobile.sid]
    assert sids(numbers(client).local.list()) == sids(emulator.numbers)
    assert len(numbers(client).list()) == 5


@pytest.mark.parametrize("area_code", ["800", "833", "844", "855", "866", "877", "888"])
def test_a_us_toll_free_number_bought_plainly_is_toll_free(
    emulator: EmulatorHandle, area_code: str
) -> None:
    client = emulator.client()
    bought = numbers(client).create(phone_number=f"+1{area_code}5550100")
    assert bought.type == "tollfree"
    assert sids(numbers(client).toll_free.list()) == [bought.sid]
    assert bought.sid not in sids(numbers(client).local.list())


@pytest.mark.parametrize(
    ("sub_list", "number"),
    [
        ("local", "+18885550100"),
        ("mobile", "+18775550100"),
        ("toll_free", "+15005550102"),
        ("toll_free", "+14155550102"),
    ],
)
def test_a_sub_list_sells_only_its_type(
    emulator: EmulatorHandle, sub_list: str, number: str
) -> None:
    client = emulator.client()
    with pytest.raises(TwilioRestException) as err:
        getattr(numbers(client), sub_list).create(phone_number=number)
    assert (err.value.status, err.value.code) == (400, 21422)
    assert number in err.value.msg
    assert len(numbers(client).list()) == 3  # nothing bought


def test_a_sub_list_needs_a_phone_number_not_an_area_code(emulator: EmulatorHandle) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    listed = f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/Local.json"
    answer = session.post(f"{emulator.base_url}/api{listed}", data={"AreaCode": "415"})
    assert answer.status_code == 400 and "PhoneNumber" in answer.json()["message"]
    bad = numbers(emulator.client()).local
    with pytest.raises(TwilioRestException) as err:
        bad.create(phone_number="5005550100")
    assert err.value.code == 21421
    with pytest.raises(TwilioRestException) as err:
        # Owned already (by the other account): not available.
        bad.create(phone_number=emulator.other_number.phone_number)
    assert err.value.code == 21422
    assert len(numbers(emulator.client()).list()) == 3


def test_sub_list_filters_and_pages(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    local = numbers(client).local
    legacy = emulator.numbers[1]
    assert sids(local.list(phone_number=legacy.phone_number)) == [legacy.sid]
    assert sids(local.list(phone_number="555000*")) == sids(emulator.numbers)
    assert sids(local.list(friendly_name="Legacy SMS line")) == [legacy.sid]
    assert local.list(origin="hosted") == []
    assert len(local.list(origin="twilio", beta=False)) == 3
    assert numbers(client).mobile.list(phone_number=legacy.phone_number) == []

    first = local.page(page_size=2)
    payload = first._payload
    assert (payload["page"], payload["page_size"], payload["start"], payload["end"]) == (0, 2, 0, 1)
    listed = f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/Local.json?"
    assert payload["next_page_uri"].startswith(listed)
    second = first.next_page()
    assert sids(second) == [emulator.numbers[2].sid]
    assert second._payload["next_page_uri"] is None
    assert sids(second.previous_page()) == sids(emulator.numbers[:2])
    assert sids(local.list(page_size=1)) == sids(emulator.numbers)


def test_a_seed_gives_a_numbers_type(emulator: EmulatorHandle) -> None:
    emulator.control.seed({"phone_numbers": [{"phone_number": "+15005550120", "type": "mobile"}]})
    client = emulator.client()
    assert [n.phone_number for n in numbers(client).mobile.list()] == ["+15005550120"]
    with pytest.raises(EmulatorControlError) as err:
        emulator.control.seed(
            {"phone_numbers": [{"phone_number": "+18005550121", "type": "toll-free"}]}
        )
    assert err.value.status == 400 and "type" in err.value.body["message"]
    assert numbers(client).toll_free.list() == []
