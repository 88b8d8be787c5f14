"""The providers' lifecycle logic, in-process, over a fake of twilio_api (no process, no emulator).

The engine-protocol tests drive the same providers over gRPC against the
emulator; these pin the decisions the providers make on what the operations
return (adopt or refuse, keep the originals, settle an unconfirmed create), in
milliseconds each. ``calls`` is what the provider asked the API for.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pulumi
import pytest
from support.auto_creation import studio
from support.fake_twilio_api import FakeTwilioApi, installed

from pulumi_flex_sms.errors import (
    AuthenticationError,
    ConflictError,
    NotFoundError,
    ServerError,
)
from pulumi_flex_sms.models.address import check_address
from pulumi_flex_sms.models.phone_number import check_phone_number
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider
from pulumi_flex_sms.resources.phone_number import preflight_warning

NUMBER = "+13115552368"
LEGACY_URL = "https://legacy.example.com/sms"
APP = "AP" + "a" * 32
SERVICE = "MG" + "b" * 32


@pytest.fixture
def twilio(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTwilioApi]:
    with installed(monkeypatch) as fake:
        yield fake


@pytest.fixture
def warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the providers tell the user during `pulumi up` (pulumi.log.warn)."""
    told: list[str] = []
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *_, **__: told.append(message))
    return told


def address_inputs(**extra: Any) -> dict[str, Any]:
    checked, problems = check_address({"address": NUMBER, "autoCreation": studio(), **extra})
    assert problems == []
    return checked


def number_inputs(**extra: Any) -> dict[str, Any]:
    checked, problems = check_phone_number(extra)
    assert problems == []
    return checked


def operations(fake: FakeTwilioApi) -> list[str]:
    return [operation for operation, _ in fake.calls]


# --- FlexSmsAddress ---------------------------------------------------------------------------


def test_create_is_one_create_and_records_what_twilio_made(twilio: FakeTwilioApi) -> None:
    result = FlexSmsAddressProvider().create(address_inputs(friendlyName="Support"))
    [made] = twilio.configurations.values()
    assert operations(twilio) == ["create_address_configuration"]
    assert result.id == made["sid"]
    assert result.outs["sid"] == made["sid"] and result.outs["friendlyName"] == "Support"
    assert result.outs["dateCreated"] == made["date_created"]


def test_an_existing_configuration_is_refused_unless_adopted(twilio: FakeTwilioApi) -> None:
    theirs = twilio.add_configuration(NUMBER, friendly_name="Console")
    with pytest.raises(ConflictError, match="adopt_existing=True") as info:
        FlexSmsAddressProvider().create(address_inputs())
    assert theirs["sid"] in str(info.value)
    assert "interrupted" not in str(info.value)  # it is not what this program sends

    twilio.calls.clear()
    result = FlexSmsAddressProvider().create(address_inputs(adoptExisting=True))
    assert operations(twilio) == ["fetch_address_configuration", "update_address_configuration"]
    assert result.id == theirs["sid"]
    assert twilio.configurations[theirs["sid"]]["auto_creation"]["type"] == "studio"


def test_an_identical_leftover_is_named_as_probably_from_an_interrupted_up(
    twilio: FakeTwilioApi,
) -> None:
    twilio.add_configuration(
        NUMBER,
        auto_creation_enabled=True,
        auto_creation_type="studio",
        auto_creation_studio_flow_sid=studio()["studioFlowSid"],
    )
    with pytest.raises(ConflictError, match="interrupted `pulumi up`"):
        FlexSmsAddressProvider().create(address_inputs())


def test_a_lost_create_that_landed_is_confirmed_by_the_look_up(twilio: FakeTwilioApi) -> None:
    twilio.lose_next_answer(applied=True)
    result = FlexSmsAddressProvider().create(address_inputs())
    [made] = twilio.configurations.values()
    assert result.id == made["sid"] and "unconfirmed" not in result.outs


def test_a_lost_create_that_cannot_be_settled_is_kept_in_state_provisionally(
    twilio: FakeTwilioApi, warnings: list[str]
) -> None:
    twilio.lose_next_answer(applied=True, look_fails=True)
    provider = FlexSmsAddressProvider()
    result = provider.create(address_inputs())
    assert result.id == NUMBER and "sid" not in result.outs
    assert "the look-up failed" in result.outs["unconfirmed"]
    [warning] = warnings
    assert warning.startswith(f"FlexSmsAddress {NUMBER}: the create was sent")

    # The next `pulumi up` finds it at the address, records its SID and makes nothing.
    twilio.calls.clear()
    olds = {**address_inputs(), **result.outs}
    assert provider.diff(result.id, olds, address_inputs()).changes
    settled = provider.update(result.id, olds, address_inputs()).outs
    [made] = twilio.configurations.values()
    assert settled["sid"] == made["sid"] and "unconfirmed" not in settled
    assert operations(twilio) == ["fetch_address_configuration"]


def test_an_unconfirmed_create_that_never_landed_is_made_by_the_next_up(
    twilio: FakeTwilioApi,
) -> None:
    twilio.lose_next_answer(applied=False, look_fails=True)
    provider = FlexSmsAddressProvider()
    outs = provider.create(address_inputs()).outs
    assert twilio.configurations == {}
    settled = provider.update(NUMBER, {**address_inputs(), **outs}, address_inputs()).outs
    [made] = twilio.configurations.values()
    assert settled["sid"] == made["sid"] and "unconfirmed" not in settled


def test_an_unconfirmed_create_never_claims_someone_elses_configuration(
    twilio: FakeTwilioApi,
) -> None:
    twilio.lose_next_answer(applied=False, look_fails=True)
    provider = FlexSmsAddressProvider()
    olds = {**address_inputs(), **provider.create(address_inputs()).outs}
    theirs = twilio.add_configuration(NUMBER, friendly_name="Theirs")

    with pytest.raises(ConflictError, match="not confirmed"):
        provider.update(NUMBER, olds, address_inputs())
    assert provider.read(NUMBER, olds).id is None  # dropped from state, not claimed
    provider.delete(NUMBER, olds)
    assert list(twilio.configurations) == [theirs["sid"]]


def test_a_look_up_that_fails_before_adopting_fails_the_create(twilio: FakeTwilioApi) -> None:
    twilio.fail_next("fetch_address_configuration", AuthenticationError("rejected", status=401))
    with pytest.raises(AuthenticationError):
        FlexSmsAddressProvider().create(address_inputs(adoptExisting=True))
    assert twilio.configurations == {}


def test_refresh_masks_a_webhook_url_with_credentials_set_outside_pulumi(
    twilio: FakeTwilioApi,
) -> None:
    provider = FlexSmsAddressProvider()
    created = provider.create(address_inputs())
    twilio.configurations[created.id]["auto_creation"] = {
        "enabled": True,
        "type": "webhook",
        "webhook_url": "https://bot:hunter2@hooks.example.com/in",
    }
    read = provider.read(created.id, {**address_inputs(), **created.outs})
    assert read.outs["autoCreation"]["webhookUrl"] == "https://***:***@hooks.example.com/in"


def test_delete_of_a_configuration_already_gone_succeeds(twilio: FakeTwilioApi) -> None:
    provider = FlexSmsAddressProvider()
    created = provider.create(address_inputs())
    twilio.configurations.clear()
    provider.delete(created.id, created.outs)
    assert operations(twilio)[-1] == "delete_address_configuration"


# --- PhoneNumberMessagingConfig ---------------------------------------------------------------


def test_create_by_e164_records_the_originals_and_blanks_sms_url(twilio: FakeTwilioApi) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    result = PhoneNumberMessagingConfigProvider().create(number_inputs(phoneNumber=NUMBER))
    assert operations(twilio) == ["find_number", "update_number"]
    assert result.id == number["sid"]
    assert result.outs["originalSettings"]["smsUrl"] == LEGACY_URL
    assert twilio.numbers[number["sid"]]["sms_url"] == ""


def test_create_by_sid_that_gives_nothing_back_reads_nothing(twilio: FakeTwilioApi) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    inputs = number_inputs(phoneNumberSid=number["sid"], onDelete="leave")
    result = PhoneNumberMessagingConfigProvider().create(inputs)
    assert operations(twilio) == ["update_number"]
    assert "originalSettings" not in result.outs


def test_a_number_not_in_the_account_is_never_bought(twilio: FakeTwilioApi) -> None:
    with pytest.raises(NotFoundError, match="not in Twilio account"):
        PhoneNumberMessagingConfigProvider().create(number_inputs(phoneNumber=NUMBER))
    assert twilio.numbers == {}


def test_a_lost_update_keeps_the_originals_and_marks_the_create_unconfirmed(
    twilio: FakeTwilioApi, warnings: list[str]
) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    twilio.lose_next_answer(applied=True, look_fails=True)
    provider = PhoneNumberMessagingConfigProvider()
    result = provider.create(number_inputs(phoneNumber=NUMBER))
    assert result.outs["originalSettings"]["smsUrl"] == LEGACY_URL
    assert "a look-up failed too" in result.outs["unconfirmed"]
    [warning] = warnings
    assert "not confirmed" in warning and "originalSettings" in warning

    # The next `pulumi up` sends every managed setting again and drops the marker.
    twilio.calls.clear()
    olds = {**number_inputs(phoneNumber=NUMBER), **result.outs}
    outs = provider.update(number["sid"], olds, number_inputs(phoneNumber=NUMBER)).outs
    assert operations(twilio) == ["update_number"] and "unconfirmed" not in outs
    assert outs["originalSettings"]["smsUrl"] == LEGACY_URL


def test_a_lost_update_the_look_up_confirms_needs_no_marker(twilio: FakeTwilioApi) -> None:
    twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    twilio.lose_next_answer(applied=True)
    result = PhoneNumberMessagingConfigProvider().create(number_inputs(phoneNumber=NUMBER))
    assert "unconfirmed" not in result.outs
    assert result.outs["originalSettings"]["smsUrl"] == LEGACY_URL


def test_an_update_every_try_of_which_was_answered_and_not_applied_fails(
    twilio: FakeTwilioApi,
) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    twilio.lose_next_answer(applied=False, unanswered=False)
    with pytest.raises(ServerError, match="nothing was changed"):
        PhoneNumberMessagingConfigProvider().create(number_inputs(phoneNumber=NUMBER))
    assert twilio.numbers[number["sid"]]["sms_url"] == LEGACY_URL


def test_a_field_no_longer_managed_is_given_back(twilio: FakeTwilioApi) -> None:
    number = twilio.add_number(NUMBER, sms_fallback_url="https://old.example.com/f")
    provider = PhoneNumberMessagingConfigProvider()
    managed = number_inputs(phoneNumber=NUMBER, smsFallbackUrl="https://new.example.com/f")
    created = provider.create(managed)
    olds = {**managed, **created.outs}
    provider.update(number["sid"], olds, number_inputs(phoneNumber=NUMBER))
    assert twilio.numbers[number["sid"]]["sms_fallback_url"] == "https://old.example.com/f"


@pytest.mark.parametrize(
    ("on_delete", "sms_url", "application"),
    [
        ("restore", LEGACY_URL, APP),
        ("clear", "", ""),
        ("leave", "", APP),
    ],
)
def test_delete_gives_back_clears_or_leaves_and_never_releases(
    twilio: FakeTwilioApi, on_delete: str, sms_url: str, application: str
) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL, sms_application_sid=APP)
    provider = PhoneNumberMessagingConfigProvider()
    inputs = number_inputs(phoneNumber=NUMBER, smsApplicationSid="", onDelete=on_delete)
    created = provider.create(inputs)
    twilio.numbers[number["sid"]]["sms_application_sid"] = APP  # someone re-attached it
    provider.delete(created.id, {**inputs, **created.outs})
    live = twilio.numbers[number["sid"]]
    assert (live["sms_url"], live["sms_application_sid"]) == (sms_url, application)


def test_a_messaging_service_recorded_as_the_app_is_not_sent_back(
    twilio: FakeTwilioApi, warnings: list[str]
) -> None:
    # Twilio shows the service (MG...) in sms_application_sid but takes only AP... there
    # (the spec's pattern): sending it back would fail the destroy, every time.
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL, sms_application_sid=SERVICE)
    provider = PhoneNumberMessagingConfigProvider()
    inputs = number_inputs(phoneNumber=NUMBER, smsApplicationSid="")
    created = provider.create(inputs)
    assert created.outs["originalSettings"]["smsApplicationSid"] == SERVICE
    sent: list[dict[str, Any]] = []
    real_update = twilio.update_number

    def recording(sid: str, params: Mapping[str, Any], **kw: Any) -> dict[str, Any]:
        sent.append(dict(params))
        return real_update(sid, params, **kw)

    twilio.update_number = recording  # type: ignore[method-assign]
    # No longer managed: the rest is given back by update, the service is not sent.
    kept = number_inputs(phoneNumber=NUMBER)
    provider.update(created.id, {**inputs, **created.outs}, kept)
    provider.delete(created.id, {**kept, **created.outs})
    assert sent and all("sms_application_sid" not in params for params in sent)
    assert twilio.numbers[number["sid"]]["sms_url"] == LEGACY_URL
    assert len(warnings) == 2 and all(SERVICE in w and "Console" in w for w in warnings)


def test_delete_of_a_released_number_succeeds(twilio: FakeTwilioApi) -> None:
    number = twilio.add_number(NUMBER, sms_url=LEGACY_URL)
    provider = PhoneNumberMessagingConfigProvider()
    created = provider.create(number_inputs(phoneNumber=NUMBER))
    del twilio.numbers[number["sid"]]
    provider.delete(created.id, {**number_inputs(phoneNumber=NUMBER), **created.outs})


# --- the program's preflight reads through the same operations -----------------------------


def test_preflight_finds_the_number_through_twilio_api(twilio: FakeTwilioApi) -> None:
    twilio.add_number(NUMBER, sms_application_sid=SERVICE)
    message = preflight_warning("+1 (311) 555-2368", None)
    assert message is not None and f"Messaging Service {SERVICE}" in message
    assert twilio.calls == [("find_number", NUMBER)]
    number = twilio.add_number("+13115550000", sms_application_sid=APP)
    assert 'sms_application_sid=""' in (preflight_warning(None, number["sid"]) or "")
    assert twilio.calls[-1] == ("fetch_number", number["sid"])
