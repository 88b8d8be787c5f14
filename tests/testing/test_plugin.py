"""The pytest plugin, run as a user runs it: pytester sessions with test files of their own.

No conftest in those sessions loads the plugin: the ``pytest11`` entry point does.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap
from typing import Any

import pytest
from support.emulator import EmulatorHandle

from pulumi_flex_sms.testing import TwilioEmulator

ENTRY_POINT = "pulumi_flex_sms"

USER_TESTS = """
    import os
    from pathlib import Path

    import pytest
    from twilio.base.exceptions import TwilioRestException

    from pulumi_flex_sms.testing import NotEmulatedError

    NUMBER = "+15005550006"
    ADDRESSES = "/conversations/v1/Configuration/Addresses"
    PIDS = []


    @pytest.fixture(autouse=True)
    def note_the_process(twilio_emulator_process):
        PIDS.append(twilio_emulator_process.pid)


    @pytest.mark.twilio_seed({"phone_numbers": [{"phone_number": NUMBER}]})
    def test_seeded_create_fetch_and_journal(twilio_emulator):
        client = twilio_emulator.client
        created = client.conversations.v1.address_configurations.create(
            type="sms", address=NUMBER
        )
        fetched = client.conversations.v1.address_configurations(created.sid).fetch()
        assert (fetched.sid, fetched.address) == (created.sid, NUMBER)
        posts = twilio_emulator.requests(method="POST", path=ADDRESSES)
        assert [(e["form"]["Address"], e["status"]) for e in posts] == [(NUMBER, 201)]
        assert [e["method"] for e in twilio_emulator.requests()] == ["POST", "GET"]


    def test_the_next_test_starts_from_nothing(twilio_emulator):
        client = twilio_emulator.client
        assert client.conversations.v1.address_configurations.list() == []
        assert client.incoming_phone_numbers.list() == []
        assert [e["method"] for e in twilio_emulator.requests()] == ["GET", "GET"]
        assert twilio_emulator.seeded is None and twilio_emulator.api_key_sid is None
        assert twilio_emulator.control.faults() == []


    @pytest.mark.twilio_seed("seeds/account.yaml")
    def test_a_seed_file_beside_the_test_with_its_account_and_key(twilio_emulator):
        assert twilio_emulator.account_sid == "AC" + "3" * 32
        assert twilio_emulator.auth_token == "token-three"
        assert twilio_emulator.api_key_secret == "key-secret"
        by_key = twilio_emulator.client_for(
            twilio_emulator.api_key_sid, "key-secret", twilio_emulator.account_sid
        )
        by_key.conversations.v1.address_configurations.create(type="sms", address=NUMBER)
        assert twilio_emulator.requests()[0]["credential_sid"] == twilio_emulator.api_key_sid
        assert twilio_emulator.env() == {
            "FLEX_SMS_TWILIO_BASE_URL": twilio_emulator.base_url,
            "TWILIO_ACCOUNT_SID": "AC" + "3" * 32,
            "TWILIO_AUTH_TOKEN": "token-three",
        }


    @pytest.mark.twilio_seed(phone_numbers=[{"phone_number": NUMBER}])
    def test_keyword_seed_and_an_injected_fault(twilio_emulator):
        twilio_emulator.control.add_fault(ADDRESSES, method="POST", status=503)
        with pytest.raises(TwilioRestException) as failed:
            twilio_emulator.client.conversations.v1.address_configurations.create(
                type="sms", address=NUMBER
            )
        assert failed.value.status == 503
        assert len(twilio_emulator.requests(method="POST")) == 1  # the client did not retry


    def test_other_hosts_are_refused(twilio_emulator):
        with pytest.raises(NotEmulatedError):
            twilio_emulator.client.request("GET", "https://example.com/v1/anything")


    def test_one_process_for_the_whole_session(pytestconfig):
        assert len(PIDS) == 6 and len(set(PIDS)) == 1
        assert pytestconfig.pluginmanager.has_plugin("pulumi_flex_sms")
        Path("emulator.pid").write_text(str(PIDS[0]))
"""

SEED_FILE = """
    accounts:
      - sid: AC33333333333333333333333333333333
        auth_token: token-three
        api_keys: [{secret: key-secret}]
        phone_numbers: [{phone_number: "+15005550006"}]
"""

DIRECTORY_CONFTEST = """
    import pytest

    @pytest.fixture
    def twilio_seed():
        return {"conversation_services": [{"friendly_name": "From the conftest"}]}
"""

DIRECTORY_TESTS = """
    import pytest

    def test_the_conftest_seed(twilio_emulator):
        services = twilio_emulator.client.conversations.v1.services.list()
        assert [s.friendly_name for s in services] == ["From the conftest"]

    @pytest.mark.twilio_seed({})
    def test_a_marker_wins_over_the_fixture(twilio_emulator):
        assert twilio_emulator.client.conversations.v1.services.list() == []

    @pytest.mark.twilio_seed("missing.yaml")
    def test_missing_seed_file(twilio_emulator):
        pass

    @pytest.mark.twilio_seed({"phone_numbers": [{"phone_number": "12"}]})
    def test_refused_seed(twilio_emulator):
        pass

    @pytest.mark.twilio_seed({}, phone_numbers=[])
    def test_both_forms(twilio_emulator):
        pass
"""


def test_the_entry_point_registers_the_plugin() -> None:
    found = [
        ep for ep in importlib.metadata.entry_points(group="pytest11") if ep.name == ENTRY_POINT
    ]
    assert [ep.value for ep in found] == ["pulumi_flex_sms.testing.plugin"]
    module = found[0].load()
    assert {"twilio_emulator", "twilio_seed", "twilio_emulator_process"} <= set(vars(module))


def test_a_users_tests_get_a_seeded_emulator_reset_for_each_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=textwrap.dedent(USER_TESTS))
    (pytester.path / "seeds").mkdir()
    (pytester.path / "seeds" / "account.yaml").write_text(textwrap.dedent(SEED_FILE))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=6)
    pid = int((pytester.path / "emulator.pid").read_text())
    with pytest.raises(ProcessLookupError):  # stopped (and reaped) when the session ended
        os.kill(pid, 0)


def test_a_conftest_seed_a_marker_over_it_and_bad_seeds_explained(
    pytester: pytest.Pytester,
) -> None:
    pytester.makeconftest(textwrap.dedent(DIRECTORY_CONFTEST))
    pytester.makepyfile(test_directory=textwrap.dedent(DIRECTORY_TESTS))
    result = pytester.runpytest("-p", "no:cacheprovider", "-rfE")
    result.assert_outcomes(passed=2, errors=3)
    result.stdout.no_fnmatch_line("*During handling*")
    result.stdout.fnmatch_lines(
        [
            "*ERROR at setup of test_missing_seed_file*",
            "twilio_seed: seed file */missing.yaml: No such file or directory",
            "*ERROR at setup of test_refused_seed*",
            "twilio_seed: the emulator refused the seed: *phone_numbers*Invalid PhoneNumber*",
            "*ERROR at setup of test_both_forms*",
            "@pytest.mark.twilio_seed takes one seed * not both",
        ]
    )


def test_the_plugin_can_be_turned_off(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_it(twilio_emulator):\n    pass\n")
    result = pytester.runpytest("-p", "no:cacheprovider", "-p", f"no:{ENTRY_POINT}")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'twilio_emulator' not found*"])


BLOCKER = """
    import sys

    BLOCKED = {"starlette", "uvicorn", "yaml", "httpx2"}


    class NotInstalled:
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None


    sys.meta_path.insert(0, NotInstalled())
"""


def test_without_the_extra_pytest_starts_and_the_fixture_says_what_to_install(
    pytester: pytest.Pytester,
) -> None:
    # `-p` plugins load before the entry points: the plugin loads as without the extra.
    pytester.makepyfile(not_installed=textwrap.dedent(BLOCKER))
    pytester.makepyfile(
        test_user="def test_plain():\n    pass\n\ndef test_needs_it(twilio_emulator):\n    pass\n"
    )
    result = pytester.runpytest_subprocess("-p", "not_installed", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, errors=1)
    assert (
        "the twilio_emulator fixture needs the Twilio emulator's dependencies "
        "(missing: starlette, uvicorn, yaml); install them with: "
        "pip install 'pulumi-flex-sms[testing]'"
    ) in result.stdout.str()
    result.stdout.no_fnmatch_line("*Traceback*")


def test_loading_the_plugin_imports_nothing_heavy() -> None:
    code = (
        "import sys, pytest\n"
        "before = set(sys.modules)\n"
        "import pulumi_flex_sms.testing.plugin\n"
        "print(' '.join(sorted(set(sys.modules) - before)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    heavy = {"twilio", "starlette", "uvicorn", "httpx2", "yaml", "pulumi", "pydantic", "requests"}
    assert "pulumi_flex_sms.testing.plugin" in loaded
    assert sorted(m for m in loaded if m.partition(".")[0] in heavy) == []
    assert "pulumi_flex_sms.emulator.control" not in loaded  # not even urllib.request


def test_our_own_emulator_fixture_and_the_plugins_coexist(
    emulator: EmulatorHandle, twilio_emulator: TwilioEmulator
) -> None:
    assert emulator.base_url != twilio_emulator.base_url  # two processes, two accounts
    assert twilio_emulator.account_sid == "AC" + "e" * 32  # the emulator's default account
    ours = emulator.client().incoming_phone_numbers.list()
    assert len(ours) == len(emulator.numbers)
    assert twilio_emulator.client.incoming_phone_numbers.list() == []
    users: Any = twilio_emulator.requests(method="GET")
    assert [entry["account_sid"] for entry in users] == [twilio_emulator.account_sid]
