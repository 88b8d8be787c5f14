"""``flex-sms audit`` against a seeded emulator, through the real gateway.

Each exit status as a user meets it (the installed command, in a subprocess);
what it reads in this process. Read-only, provably: the emulator's journal
holds only GET requests, the same ones for an account of 3 numbers as for one
of 40 (one page of each list).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from support.audit_accounts import (
    ACCOUNT_SID,
    AUTH_TOKEN,
    CLEAN,
    EVERY_FINDING,
    EXPECTED,
    EXPECTED_ACCOUNT,
    FW_FLEX,
    FW_GONE,
    IS_FLEX,
    IS_GONE,
    Emulated,
    emulated,
    numbered_account,
)
from support.audit_program import audit_here, run_audit

from pulumi_flex_sms.audit.report import json_schema


@pytest.fixture(scope="module")
def every() -> Iterator[Emulated]:
    with emulated(EVERY_FINDING) as emulator:
        yield emulator


@pytest.fixture
def journal(every: Emulated) -> Emulated:
    every.control.clear_requests()
    return every


def codes(data: dict[str, Any]) -> dict[str, set[str]]:
    return {n["phone_number"]: {f["code"] for f in n["findings"]} for n in data["numbers"]}


def test_every_kind_of_finding_exit_1_with_get_requests_only(journal: Emulated) -> None:
    done = run_audit(journal.env(), "--json")
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    data = json.loads(done.stdout)
    jsonschema.validate(data, json_schema(), format_checker=jsonschema.FormatChecker())
    assert codes(data) == EXPECTED
    assert [f["code"] for f in data["account"]["findings"]] == EXPECTED_ACCOUNT
    requests = journal.requests()
    assert {r["method"] for r in requests} == {"GET"}
    # The deleted flow and service are looked up once each, and missing.
    missed = {(r["twilio_path"], r["status"]) for r in requests if r["status"] != 200}
    assert missed == {(f"/v2/Flows/{FW_GONE}", 404), (f"/v1/Services/{IS_GONE}", 404)}


def test_the_table_names_every_number_and_finding(journal: Emulated) -> None:
    done = run_audit(journal.env())
    assert done.returncode == 1
    assert done.stdout.startswith("Inbound SMS to Flex, account ")
    for number in EXPECTED:
        assert f"\n{number}  " in done.stdout
    assert "\x1b[" not in done.stdout  # not a terminal
    assert done.stderr == ""  # and no progress bar off a terminal


def test_a_clean_account_exits_0() -> None:
    with emulated(CLEAN) as emulator:
        done = run_audit(emulator.env(), "--fail-on", "warning")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 numbers: 2 ok, 0 warning, 0 error; 0 errors and 0 warnings found." in done.stdout


def test_numbers_narrow_what_is_reported(journal: Emulated) -> None:
    code, out, _ = audit_here(journal.env(), "--json", "--number", "+13115550112")
    assert code == 1  # the account's default service is not Flex's
    data = json.loads(out)
    assert codes(data) == {"+13115550112": {"legacy-flex-flow"}}
    assert [f["code"] for f in data["account"]["findings"]] == ["not-flex-service"]
    assert audit_here(journal.env(), "--number", "+13115550112", "--fail-on", "never")[0] == 0


def test_rejected_credentials_exit_2_without_the_secret(journal: Emulated) -> None:
    wrong = "not-the-token-" + "x" * 18
    done = run_audit(journal.env(TWILIO_AUTH_TOKEN=wrong))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.startswith("flex-sms audit: ")
    assert "Traceback" not in done.stderr
    assert wrong not in done.stderr and AUTH_TOKEN not in done.stderr
    assert "401" in done.stderr or "credentials" in done.stderr.lower()


def test_missing_credentials_exit_2_naming_what_to_set(journal: Emulated) -> None:
    env = journal.env()
    del env["TWILIO_ACCOUNT_SID"], env["TWILIO_AUTH_TOKEN"]
    done = run_audit(env)
    assert done.returncode == 2
    assert "TWILIO_ACCOUNT_SID" in done.stderr and "Traceback" not in done.stderr
    assert journal.requests() == []


def test_twilio_out_of_reach_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once it is closed
    env = {
        "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "FLEX_SMS_TWILIO_BASE_URL": f"http://127.0.0.1:{port}",
        "FLEX_SMS_MAX_RETRIES": "0",
    }
    done = run_audit(env)
    assert done.returncode == 2
    assert done.stderr.startswith("flex-sms audit: ") and "Traceback" not in done.stderr
    assert AUTH_TOKEN not in done.stderr


def test_usage_errors_exit_2(journal: Emulated, tmp_path: Path) -> None:
    assert run_audit(journal.env(), "--number", "311-555").returncode == 2
    (tmp_path / "kept.txt").write_text("")
    done = run_audit(journal.env(), "--emit-pulumi", str(tmp_path))
    assert done.returncode == 2 and "not empty" in done.stderr
    assert journal.requests() == []  # refused before reading anything


def requests_made(count: int) -> list[tuple[str, str, str]]:
    """(method, domain, Twilio path) of each request an audit of ``count`` numbers makes."""
    with emulated(numbered_account(count)) as emulator:
        code, out, err = audit_here(emulator.env(), "--json")
        assert code == 0, err
        assert len(json.loads(out)["numbers"]) == count
        return [(r["method"], r["domain"], r["twilio_path"]) for r in emulator.requests()]


def test_requests_do_not_grow_with_numbers_within_a_page() -> None:
    # 40 addresses still fit one page of 50 (numbers: 1000 a page): the same requests.
    few, many = requests_made(3), requests_made(40)
    assert (
        few
        == many
        == [
            ("GET", "api", f"/2010-04-01/Accounts/{ACCOUNT_SID}/IncomingPhoneNumbers.json"),
            ("GET", "conversations", "/v1/Configuration/Addresses"),
            ("GET", "messaging", "/v1/Services"),
            ("GET", "flex-api", "/v1/FlexFlows"),
            ("GET", "conversations", "/v1/Configuration"),
            ("GET", "flex-api", "/v1/Configuration"),
            ("GET", "studio", f"/v2/Flows/{FW_FLEX}"),  # the one flow the addresses name
            ("GET", "conversations", f"/v1/Services/{IS_FLEX}"),  # and the one service
        ]
    )


def test_requests_grow_with_pages_not_numbers() -> None:
    # 120 addresses: three pages of 50, still one page of numbers.
    made = requests_made(120)
    pages = Counter(path for _, _, path in made)
    assert pages["/v1/Configuration/Addresses"] == 3
    assert len(made) == 8 + 2


def test_the_command_loads_neither_the_web_stack_nor_pulumi(journal: Emulated) -> None:
    script = (
        "import sys\n"
        "from pulumi_flex_sms.cli import main\n"
        "code = main(['audit', '--json'])\n"
        "loaded = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'starlette', 'uvicorn', 'httpx2', 'yaml', 'pulumi', 'pulumi_policy', 'pydantic'})\n"
        "print(loaded, code, file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **journal.env()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr.strip().splitlines()[-1] == "[] 1", done.stderr
