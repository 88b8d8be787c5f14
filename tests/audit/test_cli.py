"""``flex-sms audit`` in-process over the fake twilio_api: options, output streams, exit codes.

The same command as a user runs it, against the emulator, is in
test_audit_against_emulator.py.
"""

from __future__ import annotations

import copy
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support.audit_accounts import CLEAN, EVERY_FINDING, Account, SeededTwilioApi, sid

from pulumi_flex_sms import cli
from pulumi_flex_sms.audit import account as reader
from pulumi_flex_sms.audit.cli import PROGRAM_FILES, main
from pulumi_flex_sms.audit.report import json_schema
from pulumi_flex_sms.errors import AuthenticationError, ConfigurationError

ANSI = "\x1b["


def warnings_only() -> Account:
    """The clean account plus an inert legacy Flex Flow: one warning, no error."""
    account = copy.deepcopy(CLEAN)
    account.body["flex_flows"] = [
        {
            "sid": sid("FO", 9),
            "friendly_name": "Legacy SMS",
            "chat_service_sid": sid("IS", 1),
            "channel_type": "sms",
            "contact_identity": "+13115550201",
            "enabled": True,
            "integration_type": "studio",
            "integration": {"flow_sid": sid("FW", 1)},
        }
    ]
    return account


@pytest.fixture
def account(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Call it with an Account to serve; returns the fake."""

    def serve(served: Account) -> SeededTwilioApi:
        fake = SeededTwilioApi(served)
        monkeypatch.setattr(reader, "twilio_api", fake)
        return fake

    yield serve


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("served", "argv", "code"),
    [
        (CLEAN, [], 0),
        (CLEAN, ["--fail-on", "warning"], 0),
        (EVERY_FINDING, [], 1),
        (EVERY_FINDING, ["--fail-on", "error"], 1),
        (EVERY_FINDING, ["--fail-on", "never"], 0),
        (warnings_only(), [], 0),
        (warnings_only(), ["--fail-on", "warning"], 1),
        (EVERY_FINDING, ["--number", "+13115550101"], 1),  # the default service is not Flex's
        (EVERY_FINDING, ["--number", "+13115550112", "--fail-on", "never"], 0),
    ],
)
def test_exit_status_follows_fail_on(
    account: Any,
    capsys: pytest.CaptureFixture[str],
    served: Account,
    argv: list[str],
    code: int,
) -> None:
    account(served)
    assert run(capsys, *argv)[0] == code


def test_the_table_goes_to_stdout_and_nothing_to_stderr_off_a_terminal(
    account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    account(EVERY_FINDING)
    code, out, err = run(capsys)
    assert code == 1
    assert out.startswith("Inbound SMS to Flex, account ")
    assert "+13115550113" in out and "[legacy-flex-flow]" in out
    assert ANSI not in out
    assert err == ""


def test_json_is_one_object_following_the_schema(
    account: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    account(EVERY_FINDING)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)  # still no progress bar
    code, out, err = run(capsys, "--json")
    assert code == 1
    data = json.loads(out)
    jsonschema.validate(data, json_schema())
    assert len(data["numbers"]) == 14
    assert err == ""


def test_numbers_narrow_the_report(account: Any, capsys: pytest.CaptureFixture[str]) -> None:
    account(EVERY_FINDING)
    code, out, _ = run(
        capsys, "--json", "--number", "+1 (311) 555-0112", "--number", "+13115550101"
    )
    data = json.loads(out)
    assert [n["phone_number"] for n in data["numbers"]] == ["+13115550101", "+13115550112"]
    assert [f["code"] for f in data["account"]["findings"]] == ["not-flex-service"]
    assert code == 1
    # nargs: several after one flag
    _, out, _ = run(capsys, "--json", "--number", "+13115550101", "+13115550102")
    assert len(json.loads(out)["numbers"]) == 2


def test_colour_on_a_terminal_unless_no_color(
    account: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    account(EVERY_FINDING)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    assert ANSI in run(capsys)[1]
    monkeypatch.setenv("NO_COLOR", "1")
    assert ANSI not in run(capsys)[1]
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert ANSI not in run(capsys)[1]


def test_a_progress_bar_on_a_terminal_stderr_only(
    account: Any, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    account(EVERY_FINDING)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _, out, err = run(capsys)
    assert "reading Messaging Services" in err and "[#" in err
    assert err.endswith("\r\x1b[K")  # cleared before the table
    assert "reading" not in out


@pytest.mark.parametrize(
    ("error", "shown"),
    [
        (
            ConfigurationError("No Twilio account SID was configured. Set twilio:accountSid"),
            "No Twilio account SID was configured",
        ),
        (
            AuthenticationError("Twilio rejected the credentials (HTTP 401)", status=401),
            "Twilio rejected the credentials",
        ),
    ],
)
def test_credential_and_connection_errors_exit_2_with_the_providers_message(
    account: Any, capsys: pytest.CaptureFixture[str], error: Exception, shown: str
) -> None:
    fake = account(CLEAN)
    fake.fail_next("list_numbers", error)  # type: ignore[arg-type]
    code, out, err = run(capsys)
    assert code == 2
    assert out == ""
    assert err == f"flex-sms audit: {error}\n"
    assert shown in err and "Traceback" not in err


def test_an_unexpected_error_exits_2_and_says_it_is_a_bug(
    account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = account(CLEAN)
    fake.fail_next("list_numbers", RuntimeError("boom"))  # type: ignore[arg-type]
    code, _, err = run(capsys)
    assert code == 2
    assert "unexpected error (please report it)" in err and "RuntimeError: boom" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--number", "12345"], "--number '12345' is not an E.164 number"),
        (["--force"], "--force only applies with --emit-pulumi DIR"),
        (["--fail-on", "sometimes"], "invalid choice: 'sometimes'"),
        (["--unknown"], "unrecognized arguments: --unknown"),
    ],
)
def test_usage_errors_exit_2(
    account: Any, capsys: pytest.CaptureFixture[str], argv: list[str], said: str
) -> None:
    fake = account(CLEAN)
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert said in capsys.readouterr().err
    assert fake.calls == []  # refused before reading anything


def test_emit_pulumi_writes_the_program_and_refuses_a_non_empty_dir(
    account: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = account(EVERY_FINDING)
    target = tmp_path / "new" / "adopt"
    code, out, err = run(capsys, "--emit-pulumi", str(target))
    assert code == 1 and out.startswith("Inbound SMS to Flex")
    assert sorted(p.name for p in target.iterdir()) == sorted(PROGRAM_FILES)
    assert f"wrote a Pulumi program adopting the account to {target}" in err
    fake.calls.clear()
    with pytest.raises(SystemExit) as exited:
        main(["--emit-pulumi", str(target)])
    assert exited.value.code == 2
    assert "the directory is not empty" in capsys.readouterr().err
    assert fake.calls == []
    (target / "notes.txt").write_text("ours")
    (target / "__main__.py").write_text("# stale")
    code, _, _ = run(capsys, "--emit-pulumi", str(target), "--force", "--number", "+13115550102")
    main_py = (target / "__main__.py").read_text()
    assert "number_13115550102 = PhoneNumberMessagingConfig(" in main_py
    assert "address_13115550101" not in main_py  # only the numbers asked for
    assert (target / "notes.txt").read_text() == "ours"  # --force writes its files, no more


def test_emit_pulumi_refuses_a_file(account: Any, tmp_path: Path) -> None:
    account(CLEAN)
    (tmp_path / "file").write_text("")
    with pytest.raises(SystemExit) as exited:
        main(["--emit-pulumi", str(tmp_path / "file")])
    assert exited.value.code == 2


def test_registered_with_flex_sms(account: Any, capsys: pytest.CaptureFixture[str]) -> None:
    account(CLEAN)
    assert "audit" in cli.SUBCOMMANDS
    assert cli.main(["audit", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["totals"]["numbers"] == 2


def test_a_record_the_model_cannot_read_exits_2_naming_it(
    account: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = account(CLEAN)
    next(iter(fake.numbers.values()))["phone_number"] = None  # what no Twilio record lacks
    code, out, err = run(capsys)
    assert (code, out) == (2, "")
    assert err.startswith("flex-sms audit: incoming phone number record: 'phone_number'")
