"""The request journal holds no secret, stays small, and filters at a bounded cost."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import requests
from support.emulator import EmulatorHandle, EmulatorProcess, start_process, twilio_client
from twilio.base.exceptions import TwilioException

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.emulator.journal import Journal
from pulumi_flex_sms.emulator.limits import JOURNAL_MAX_VALUES, JOURNAL_VALUE_CHARS

SECRET = "s3cr3t-hook-password"


def test_url_passwords_in_forms_and_queries_are_masked(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    number = client.api.v2010.account.incoming_phone_numbers(emulator.number.sid)
    number.update(sms_url=f"https://flex:{SECRET}@hooks.example.com/sms")
    client.conversations.v1.address_configurations.create(
        type="sms",
        address=emulator.number.phone_number,
        friendly_name=f"relay to https://relay:{SECRET}@relay.example.com/in",
        auto_creation_enabled=True,
        auto_creation_type="webhook",
        auto_creation_webhook_url=f"https://{SECRET}@hooks.example.com/conversations",
    )
    client.api.v2010.account.incoming_phone_numbers.list(
        friendly_name=f"https://u:{SECRET}@x.example.com/"
    )
    journal = emulator.requests()
    assert SECRET not in json.dumps(journal)
    update, create, listing = journal
    assert update["form"]["SmsUrl"] == "https://***:***@hooks.example.com/sms"
    assert create["form"]["AutoCreation.WebhookUrl"] == (
        "https://***:***@hooks.example.com/conversations"
    )
    assert create["form"]["FriendlyName"] == "relay to https://***:***@relay.example.com/in"
    assert listing["query"]["FriendlyName"] == "https://***:***@x.example.com/"
    # The state itself is what Twilio would hold: the URL as it was set.
    assert number.fetch().sms_url == f"https://flex:{SECRET}@hooks.example.com/sms"


def test_a_user_name_that_is_not_a_sid_is_not_journaled(emulator: EmulatorHandle) -> None:
    # Someone who swaps the fields sends the token as the user name.
    client = twilio_client(emulator.base_url, SECRET, emulator.account_sid, emulator.account_sid)
    with pytest.raises(TwilioException):
        client.api.v2010.account.incoming_phone_numbers.list()
    [entry] = emulator.requests()
    assert (entry["status"], entry["credential_sid"]) == (401, None)


def test_long_values_and_many_values_are_cut(emulator: EmulatorHandle) -> None:
    long_value = "x" * (JOURNAL_VALUE_CHARS * 50)
    fields = [("FriendlyName", "Long"), ("Note", long_value)]
    fields += [("Repeated", str(i)) for i in range(JOURNAL_MAX_VALUES * 2)]
    response = requests.post(
        f"{emulator.base_url}/conversations/v1/Services",
        data=fields,
        auth=(emulator.account_sid, emulator.auth_token),
    )
    assert response.status_code == 201  # Twilio ignores parameters it does not know
    [entry] = emulator.requests()
    assert entry["truncated"] is True
    assert entry["form"]["FriendlyName"] == "Long"
    note = entry["form"]["Note"]
    assert note.startswith("x" * JOURNAL_VALUE_CHARS)
    assert note.endswith(f"...[{len(long_value) - JOURNAL_VALUE_CHARS} more]")
    assert len(entry["form"]["Repeated"]) == JOURNAL_MAX_VALUES - 2
    assert len(json.dumps(entry)) < 3 * JOURNAL_VALUE_CHARS + 40 * JOURNAL_MAX_VALUES
    emulator.client().conversations.v1.services.list()
    assert emulator.requests()[-1]["truncated"] is False


def test_the_journal_keeps_within_its_byte_budget() -> None:
    journal = Journal(max_entries=10_000, max_bytes=20_000)
    for i in range(200):
        journal.record(
            {
                "method": "POST",
                "domain": "studio",
                "path": f"/studio/v2/Flows/{i}",
                "form": {"Definition": "y" * 5000},
            }
        )
    kept = journal.entries()
    assert sum(len(json.dumps(e, separators=(",", ":"))) for e in kept) <= 20_000
    assert kept[-1]["path"] == "/studio/v2/Flows/199"  # the oldest went first
    assert 10 < len(kept) < 200


@pytest.fixture
def own_emulator() -> Iterator[EmulatorProcess]:
    # Its own process: an emulator that backtracks on a glob hangs, and must not
    # take the session's emulator down with it.
    process = start_process(["--account-sid", "AC" + "5" * 32, "--auth-token", "glob-token"])
    yield process
    process.stop()


def test_a_pathological_glob_is_matched_in_bounded_time(own_emulator: EmulatorProcess) -> None:
    control = EmulatorControl(own_emulator.base_url, timeout=60)
    auth = ("AC" + "5" * 32, "glob-token")
    long_path = "/studio/v2/Flows/" + "a" * 3000
    # As a regular expression this is [^/]*a[^/]*a... 30 times: it backtracks for
    # longer than anyone waits. Matched as an automaton, it is a single pass.
    pattern = "/studio/v2/Flows/" + "*a" * 30 + "b"
    control.add_fault(pattern, status=503)
    answered = requests.get(f"{own_emulator.base_url}{long_path}", auth=auth, timeout=60)
    assert answered.status_code == 404  # not faulted: the glob does not match
    assert control.requests(path=pattern) == []
    assert len(control.requests(path="/studio/v2/Flows/" + "*a" * 30)) == 1
    assert len(control.requests(path="/studio/**a")) == 1
    assert control.faults()[0]["remaining"] == 1
