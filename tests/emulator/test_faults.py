"""Fault injection: error (429/500/503), delay, drop; matching and counting."""

from __future__ import annotations

import time

import pytest
import requests
from support.emulator import EmulatorHandle
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import EmulatorControlError

ADDRESSES = "/conversations/v1/Configuration/Addresses"


def create(emulator: EmulatorHandle, number: int = 0):
    return emulator.client().conversations.v1.address_configurations.create(
        type="sms", address=emulator.numbers[number].phone_number
    )


def configs(emulator: EmulatorHandle) -> list[dict]:
    return emulator.control.state()["accounts"][0]["address_configurations"]


def test_429_with_retry_after_is_not_processed_then_used_up(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", status=429, retry_after=1, times=2)
    for _ in range(2):
        with pytest.raises(TwilioRestException) as err:
            create(emulator)
        assert (err.value.status, err.value.code) == (429, 20429)
        assert err.value.msg.endswith("Too Many Requests")
    assert configs(emulator) == []
    assert create(emulator).sid.startswith("IG")  # the fault is used up
    journal = emulator.requests(method="POST")
    assert [(e["status"], e["fault"]) for e in journal] == [
        (429, "error"),
        (429, "error"),
        (201, None),
    ]
    fault = emulator.control.faults()[0]
    assert fault["remaining"] == 0 and len(fault["hits"]) == 2


def test_retry_after_header_is_sent(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("/studio/v2/Flows", status=429, retry_after=2.5)
    response = requests.get(
        f"{emulator.base_url}/studio/v2/Flows", auth=(emulator.account_sid, emulator.auth_token)
    )
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2.5"
    assert response.json()["code"] == 20429


@pytest.mark.parametrize(("status", "code"), [(500, 20500), (503, 20503)])
def test_server_errors(emulator: EmulatorHandle, status: int, code: int) -> None:
    emulator.control.add_fault(ADDRESSES + "/*", method="GET", status=status)
    client = emulator.client()
    with pytest.raises(TwilioRestException) as err:
        client.conversations.v1.address_configurations(emulator.number.phone_number).fetch()
    assert (err.value.status, err.value.code) == (status, code)
    assert "Retry-After" not in str(err.value)


def test_custom_code_and_message(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(ADDRESSES, status=503, code=20503, message="Down for lunch")
    with pytest.raises(TwilioRestException) as err:
        create(emulator)
    assert err.value.msg.endswith("Down for lunch")


def test_delay_answers_slowly_then_normally(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", action="delay", seconds=0.4)
    started = time.monotonic()
    created = create(emulator)
    assert time.monotonic() - started >= 0.4
    assert created.sid.startswith("IG")
    started = time.monotonic()
    create(emulator, 1)
    assert time.monotonic() - started < 0.4


def test_drop_commits_then_closes_without_a_response(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(ADDRESSES, method="POST", action="drop")
    with pytest.raises(requests.exceptions.ConnectionError) as err:
        create(emulator)
    assert "without response" in str(err.value)
    # The change happened; only the answer was lost.
    assert [c["address"] for c in configs(emulator)] == [emulator.number.phone_number]
    entry = emulator.requests(method="POST")[-1]
    assert (entry["status"], entry["fault"]) == (201, "drop")
    with pytest.raises(TwilioRestException) as dup:
        create(emulator)
    assert dup.value.status == 400  # a blind retry now meets the duplicate


@pytest.mark.releases_numbers
def test_glob_matches_within_segments_and_method_must_match(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(
        "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*", method="DELETE", status=500, times=5
    )
    numbers = emulator.client().api.v2010.account.incoming_phone_numbers
    assert numbers(emulator.number.sid).fetch().sid == emulator.number.sid  # GET: untouched
    assert len(numbers.list()) == 3  # the list path is not matched
    with pytest.raises(TwilioRestException) as err:
        numbers(emulator.number.sid).delete()
    assert err.value.status == 500
    assert numbers(emulator.number.sid).fetch().sid == emulator.number.sid  # not processed


def test_double_star_crosses_segments_and_faults_apply_in_order(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("/conversations/**", status=503)
    emulator.control.add_fault("/conversations/**", status=500)
    client = emulator.client()
    statuses = []
    for _ in range(3):
        try:
            client.conversations.v1.services(emulator.service_sid).fetch()
            statuses.append(200)
        except TwilioRestException as exc:
            statuses.append(exc.status)
    assert statuses == [503, 500, 200]


def test_clear_faults(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault(ADDRESSES, status=500, times=10)
    emulator.control.clear_faults()
    assert emulator.control.faults() == []
    assert create(emulator).sid.startswith("IG")


@pytest.mark.parametrize(
    ("spec", "words"),
    [
        ({"path": ADDRESSES, "action": "explode"}, "fault.action"),
        ({"action": "error"}, "fault.path"),
        ({"path": "no-slash"}, "fault.path"),
        ({"path": ADDRESSES, "times": 0}, "fault.times"),
        ({"path": ADDRESSES, "status": 200}, "fault.status"),
        ({"path": ADDRESSES, "seconds": "1"}, "fault.seconds"),
        ({"path": ADDRESSES, "colour": "red"}, "colour"),
    ],
)
def test_bad_fault_specs_are_refused(emulator: EmulatorHandle, spec: dict, words: str) -> None:
    with pytest.raises(EmulatorControlError) as err:
        emulator.control._call("POST", "faults", spec)
    assert err.value.status == 400
    assert words in err.value.body["message"]


def test_authentication_comes_before_faults(emulator: EmulatorHandle) -> None:
    emulator.control.add_fault("/studio/v2/Flows", status=503)
    refused = requests.get(f"{emulator.base_url}/studio/v2/Flows", auth=(emulator.account_sid, "x"))
    assert refused.status_code == 401
    assert emulator.control.faults()[0]["remaining"] == 1  # not taken by a refused request
    # Another path is untouched.
    assert emulator.client().studio.v2.flows(emulator.flow_sid).fetch().sid == emulator.flow_sid
    faulted = requests.get(
        f"{emulator.base_url}/studio/v2/Flows", auth=(emulator.account_sid, emulator.auth_token)
    )
    assert faulted.status_code == 503
    entry = emulator.requests()[-1]
    assert (entry["status"], entry["fault"], entry["account_sid"]) == (
        503,
        "error",
        emulator.account_sid,
    )
