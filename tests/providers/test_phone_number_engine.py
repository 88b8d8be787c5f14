"""PhoneNumberMessagingConfig over gRPC, as the engine drives it, against the emulator.

Takeover by E.164 and by SID, no-op, update, clearing, refresh after Console
edits, each on_delete mode, a missing number, a number released out of band;
and never a DELETE of an IncomingPhoneNumber.
"""

from __future__ import annotations

from typing import Any

import pytest
from support.engine import UNKNOWN, ProviderError, Resource

NUMBERS = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers.json"
ONE_NUMBER = "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*"


def calls(emulator: Any) -> list[str]:
    """The Twilio requests made so far, as 'METHOD twilio_path', then forget them."""
    made = [f"{r['method']} {r['twilio_path']}" for r in emulator.requests()]
    emulator.control.clear_requests()
    return made


def number_path(emulator: Any, sid: str) -> str:
    return f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers/{sid}.json"


def list_path(emulator: Any) -> str:
    return f"/2010-04-01/Accounts/{emulator.account_sid}/IncomingPhoneNumbers.json"


def live(emulator: Any, sid: str) -> Any:
    return emulator.client().incoming_phone_numbers(sid).fetch()


def test_takeover_by_e164_finds_records_and_applies_in_two_calls(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    step = number_config.up({"phoneNumber": legacy.phone_number})
    assert step.op == "create"
    assert calls(emulator) == [
        f"GET {list_path(emulator)}",
        f"POST {number_path(emulator, legacy.sid)}",
    ]
    out = number_config.outputs
    assert number_config.id == legacy.sid
    assert out["phoneNumberSid"] == legacy.sid and out["phoneNumber"] == legacy.phone_number
    assert out["smsUrl"] == "" and out["onDelete"] == "restore"
    assert out["accountSid"] == emulator.account_sid
    assert out["friendlyName"] == "Legacy SMS line"
    assert out["originalSettings"] == {
        "smsUrl": emulator.legacy_sms_url,
        "smsMethod": "POST",
        "smsFallbackUrl": "https://legacy.example.com/fallback",
        "smsFallbackMethod": "GET",
        "smsApplicationSid": "",
    }
    number = live(emulator, legacy.sid)
    assert number.sms_url == ""
    assert number.sms_fallback_url == "https://legacy.example.com/fallback"  # not managed


def test_only_the_blank_sms_url_is_sent(emulator: Any, number_config: Resource) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumber": legacy.phone_number})
    [post] = emulator.requests(method="POST")
    assert post["form"] == {"SmsUrl": ""}


def test_a_number_already_blank_needs_one_call(emulator: Any, number_config: Resource) -> None:
    clean = emulator.numbers[0]
    number_config.up({"phoneNumber": clean.phone_number})
    assert calls(emulator) == [f"GET {list_path(emulator)}"]
    assert number_config.outputs["originalSettings"]["smsUrl"] == ""


def test_takeover_by_sid_reads_once_for_restore(emulator: Any, number_config: Resource) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumberSid": legacy.sid})
    path = number_path(emulator, legacy.sid)
    assert calls(emulator) == [f"GET {path}", f"POST {path}"]
    assert number_config.outputs["phoneNumber"] == legacy.phone_number
    assert number_config.outputs["originalSettings"]["smsUrl"] == emulator.legacy_sms_url


def test_takeover_by_sid_without_restore_is_one_call(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumberSid": legacy.sid, "onDelete": "leave"})
    assert calls(emulator) == [f"POST {number_path(emulator, legacy.sid)}"]
    assert number_config.outputs["phoneNumber"] == legacy.phone_number
    assert "originalSettings" not in number_config.outputs


def test_a_twiml_app_twilio_does_not_know_is_named_with_the_fix(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    missing = "AP" + "0" * 32
    with pytest.raises(ProviderError) as info:
        number_config.up({"phoneNumber": legacy.phone_number, "smsApplicationSid": missing})
    message = info.value.message
    assert "22108" in message  # Twilio's refusal, as it said it
    assert "sms_application_sid names no TwiML app of this account" in message
    assert "Console > TwiML Apps" in message
    assert live(emulator, legacy.sid).sms_url == emulator.legacy_sms_url  # nothing changed


def test_no_op_up_makes_no_call(emulator: Any, number_config: Resource) -> None:
    props = {"phoneNumber": emulator.numbers[1].phone_number, "smsMethod": "post"}
    number_config.up(props)
    calls(emulator)
    assert number_config.up(props).op == "same"
    number_config.refresh()
    assert number_config.up(props).op == "same"
    assert calls(emulator) == [f"GET {number_path(emulator, emulator.numbers[1].sid)}"]


def test_update_sends_only_what_changed_and_blank_really_clears(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    props = {"phoneNumber": legacy.phone_number, "smsFallbackUrl": "https://new.example.com/fb"}
    number_config.up(props)
    calls(emulator)
    props["smsFallbackMethod"] = "post"
    assert number_config.up(props).op == "update"
    [post] = emulator.requests(method="POST")
    assert post["form"] == {"SmsFallbackMethod": "POST"}
    emulator.control.clear_requests()
    assert number_config.up({**props, "smsFallbackUrl": ""}).op == "update"
    [post] = emulator.requests(method="POST")
    assert post["form"] == {"SmsFallbackUrl": ""}
    assert live(emulator, legacy.sid).sms_fallback_url == ""


def test_a_field_no_longer_managed_is_given_back(emulator: Any, number_config: Resource) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumber": legacy.phone_number, "smsFallbackUrl": ""})
    assert live(emulator, legacy.sid).sms_fallback_url == ""
    number_config.up({"phoneNumber": legacy.phone_number})
    assert live(emulator, legacy.sid).sms_fallback_url == "https://legacy.example.com/fallback"


def test_refresh_after_console_edits_shows_drift_and_up_fixes_it(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    props = {"phoneNumber": legacy.phone_number, "smsMethod": "POST"}
    number_config.up(props)
    emulator.client().incoming_phone_numbers(legacy.sid).update(
        sms_url="https://someone.example.com/hook", sms_method="GET", voice_url="https://v.example"
    )
    number_config.refresh()
    assert number_config.outputs["smsUrl"] == "https://someone.example.com/hook"
    assert number_config.outputs["smsMethod"] == "GET"
    assert "voiceUrl" not in number_config.outputs  # voice is not ours
    step = number_config.preview(props)
    assert step.op == "update"
    number_config.up(props)
    number = live(emulator, legacy.sid)
    assert (number.sms_url, number.sms_method) == ("", "POST")
    assert number.voice_url == "https://v.example"


@pytest.mark.parametrize(
    ("mode", "sms_url", "fallback", "posts"),
    [
        ("restore", "https://legacy.example.com/sms", "https://legacy.example.com/fallback", 1),
        ("clear", "", "", 1),
        ("leave", "", "https://managed.example.com/fb", 0),
    ],
)
def test_each_on_delete_mode(
    emulator: Any, number_config: Resource, mode: str, sms_url: str, fallback: str, posts: int
) -> None:
    legacy = emulator.numbers[1]
    number_config.up(
        {
            "phoneNumber": legacy.phone_number,
            "smsFallbackUrl": "https://managed.example.com/fb",
            "onDelete": mode,
        }
    )
    emulator.control.clear_requests()
    number_config.destroy()
    assert len(emulator.requests(method="POST")) == posts
    assert emulator.requests(method="DELETE") == []
    number = live(emulator, legacy.sid)
    assert (number.sms_url, number.sms_fallback_url) == (sms_url, fallback)
    assert number.sms_fallback_method == "GET"  # never managed: untouched


def test_missing_number_is_named_and_nothing_is_bought(
    emulator: Any, number_config: Resource
) -> None:
    for props, named in (
        ({"phoneNumber": "+15005559999"}, "+15005559999"),
        ({"phoneNumber": emulator.other_number.phone_number}, emulator.other_number.phone_number),
        ({"phoneNumberSid": "PN" + "0" * 32}, "PN" + "0" * 32),
        ({"phoneNumberSid": "PN" + "0" * 32, "onDelete": "leave"}, "PN" + "0" * 32),
    ):
        with pytest.raises(ProviderError) as info:
            number_config.up(props)
        assert named in info.value.message and "never buys" in info.value.message
        assert emulator.account_sid in info.value.message
    assert emulator.requests(method="POST", path=NUMBERS) == []  # no purchase
    assert len(emulator.client().incoming_phone_numbers.list()) == len(emulator.numbers)


@pytest.mark.releases_numbers
def test_number_released_out_of_band_drops_out_and_destroy_succeeds(
    emulator: Any, number_config: Resource
) -> None:
    spare = emulator.numbers[2]
    number_config.up({"phoneNumber": spare.phone_number})
    emulator.client().incoming_phone_numbers(spare.sid).delete()  # released in the Console
    emulator.control.clear_requests()
    ours = dict(number_config.outputs), number_config.id
    assert number_config.refresh().op == "gone"
    number_config.outputs, number_config.id = ours  # the engine deleting from older state
    number_config.destroy()
    assert emulator.requests(method="DELETE") == []


def test_another_number_replaces_taking_the_new_one_first(
    emulator: Any, number_config: Resource
) -> None:
    legacy, spare = emulator.numbers[1], emulator.numbers[2]
    number_config.up({"phoneNumber": legacy.phone_number})
    step = number_config.preview({"phoneNumber": spare.phone_number})
    assert step.op == "replace" and not step.diff.deleteBeforeReplace
    number_config.up({"phoneNumber": spare.phone_number})
    assert live(emulator, legacy.sid).sms_url == emulator.legacy_sms_url
    assert live(emulator, spare.sid).sms_url == ""
    assert number_config.id == spare.sid


def test_moving_to_a_number_not_in_the_account_keeps_the_old_one(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumber": legacy.phone_number})
    assert live(emulator, legacy.sid).sms_url == ""
    with pytest.raises(ProviderError) as info:
        number_config.up({"phoneNumber": "+15005550999"})  # a typo: not in the account
    assert "+15005550999" in info.value.message and "never buys" in info.value.message
    # Twilio is as it was: the old number's handler is still blank for Flex.
    assert live(emulator, legacy.sid).sms_url == ""
    assert number_config.id == legacy.sid


def test_unknown_number_during_preview_gives_the_old_one_back_first(
    emulator: Any, number_config: Resource
) -> None:
    number_config.up({"phoneNumber": emulator.numbers[1].phone_number})
    step = number_config.preview({"phoneNumberSid": UNKNOWN})
    assert step.op == "replace" and step.diff.deleteBeforeReplace


def test_naming_the_same_number_by_sid_is_no_replace(
    emulator: Any, number_config: Resource
) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumber": legacy.phone_number})
    assert number_config.preview({"phoneNumberSid": legacy.sid}).op == "same"


def test_a_sid_written_in_upper_case_is_the_same_number(
    emulator: Any, number_config: Resource
) -> None:
    # Made first, a "new" number that is the same one would record our own settings as
    # its originals, and the old one's restore would then undo them.
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumberSid": legacy.sid})
    shouted = "PN" + legacy.sid[2:].upper()
    assert shouted != legacy.sid
    assert number_config.preview({"phoneNumberSid": shouted}).op == "same"


def test_restore_without_a_record_fails_at_preview(emulator: Any, number_config: Resource) -> None:
    legacy = emulator.numbers[1]
    number_config.up({"phoneNumberSid": legacy.sid, "onDelete": "leave"})
    with pytest.raises(ProviderError) as info:
        number_config.preview({"phoneNumberSid": legacy.sid, "onDelete": "restore"})
    assert "pulumi up --replace" in info.value.message


def test_no_lifecycle_path_ever_deletes_a_number(emulator: Any, number_config: Resource) -> None:
    legacy, spare = emulator.numbers[1], emulator.numbers[2]
    for mode in ("restore", "clear", "leave"):
        number_config.up({"phoneNumber": legacy.phone_number, "onDelete": mode})
        number_config.up({"phoneNumber": spare.phone_number, "onDelete": mode})  # replace
        number_config.refresh()
        number_config.destroy()
    assert emulator.requests(method="DELETE") == []
    assert len(emulator.client().incoming_phone_numbers.list()) == len(emulator.numbers)
