"""The CLI (first line, options, signals) and ``--state`` persistence across restarts."""

from __future__ import annotations

import json
import re
import signal
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from support.emulator import EmulatorProcess, start_process, twilio_client
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.control import EmulatorControl

FIRST_LINE = re.compile(
    r"^Twilio emulator listening on (http://127\.0\.0\.1:(\d+)) "
    r"\(account (AC[0-9a-f]{32}), auth token (\S+)\)$"
)
ACCOUNT = "AC" + "c" * 32
TOKEN = "cli-token"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def processes() -> list[EmulatorProcess]:
    started: list[EmulatorProcess] = []
    yield started
    for process in started:
        process.stop()


def test_first_line_names_the_url_and_credentials(processes: list[EmulatorProcess]) -> None:
    port = _free_port()
    process = start_process(["--port", str(port)])
    processes.append(process)
    match = FIRST_LINE.match(process.first_line)
    assert match, process.first_line
    assert match[1] == process.base_url == f"http://127.0.0.1:{port}"
    account, token = match[3], match[4]
    # The printed defaults are the credentials it accepts.
    client = twilio_client(process.base_url, account, token)
    assert client.studio.v2.flows.list() == []
    assert process.stop() == 0
    assert "Twilio emulator stopped" in process.stderr()


def test_flex_sms_dispatcher_runs_it_with_options(processes: list[EmulatorProcess]) -> None:
    argv = [
        sys.executable,
        "-m",
        "pulumi_flex_sms.cli",
        "emulator",
        "--port",
        "0",
        "--account-sid",
        ACCOUNT,
        "--auth-token",
        TOKEN,
        "--duplicate-address-status",
        "409",
        "--duplicate-address-code",
        "50123",
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline().rstrip("\n")
    process = EmulatorProcess(proc, line, Path("/dev/null"))
    try:
        match = FIRST_LINE.match(line)
        assert match and (match[3], match[4]) == (ACCOUNT, TOKEN)
        control = EmulatorControl(process.base_url)
        control.seed({"phone_numbers": [{"phone_number": "+15005550600"}]})
        client = twilio_client(process.base_url, ACCOUNT, TOKEN)
        addresses = client.conversations.v1.address_configurations
        addresses.create(type="sms", address="+15005550600")
        with pytest.raises(TwilioRestException) as err:
            addresses.create(type="sms", address="+15005550600")
        assert (err.value.status, err.value.code) == (409, 50123)
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(10) == 0
        assert proc.stdout.read() == ""  # nothing but the first line on stdout
        proc.stdout.close()


def test_state_survives_a_restart(tmp_path: Path, processes: list[EmulatorProcess]) -> None:
    state = tmp_path / "emulator.sqlite3"
    seed = tmp_path / "seed.yaml"
    seed.write_text(
        "phone_numbers:\n"
        "  - sid: PN" + "c" * 32 + "\n"
        "    phone_number: '+15005550700'\n"
        "    sms_url: https://legacy.example.com/sms\n"
    )
    args = ["--state", str(state), "--seed", str(seed), "--account-sid", ACCOUNT]
    args += ["--auth-token", TOKEN]
    first = start_process(args)
    processes.append(first)
    client = twilio_client(first.base_url, ACCOUNT, TOKEN)
    created = client.conversations.v1.address_configurations.create(
        type="sms", address="+15005550700", friendly_name="persisted"
    )
    client.api.v2010.account.incoming_phone_numbers("PN" + "c" * 32).update(sms_url="")
    assert first.stop(signal.SIGTERM) == 0
    with sqlite3.connect(state) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)

    # The seed is for a new state only: the cleared sms_url must not come back.
    second = start_process(args)
    processes.append(second)
    client = twilio_client(second.base_url, ACCOUNT, TOKEN)
    fetched = client.conversations.v1.address_configurations("+15005550700").fetch()
    assert (fetched.sid, fetched.friendly_name) == (created.sid, "persisted")
    assert fetched.date_created == created.date_created
    number = client.api.v2010.account.incoming_phone_numbers("PN" + "c" * 32).fetch()
    assert number.sms_url == ""
    assert len(client.api.v2010.account.incoming_phone_numbers.list()) == 1
    assert second.stop(signal.SIGINT) == 0


def test_without_state_nothing_survives(processes: list[EmulatorProcess]) -> None:
    args = ["--account-sid", ACCOUNT, "--auth-token", TOKEN]
    first = start_process(args)
    processes.append(first)
    EmulatorControl(first.base_url).seed({"conversation_services": [{"friendly_name": "S"}]})
    first.stop()
    second = start_process(args)
    processes.append(second)
    client = twilio_client(second.base_url, ACCOUNT, TOKEN)
    assert client.conversations.v1.services.list() == []


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--account-sid", "AC123"], "AC"),
        (["--seed", "/nonexistent/seed.yaml"], "seed.yaml"),
        (["--duplicate-address-status", "1000"], "duplicate_address_error.status"),
        (["--duplicate-address-status", "200"], "out of range (400..599)"),
        (
            ["--state", "/nonexistent/dir/state.sqlite3"],
            "state file /nonexistent/dir/state.sqlite3",
        ),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], words: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.emulator", "--port", "0", *args],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert words in result.stderr


def test_a_bad_seed_file_is_refused(tmp_path: Path) -> None:
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps({"phone_numbers": [{"phone_number": "555"}]}))
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.emulator", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2
    assert "phone_numbers[0]" in result.stderr and "PhoneNumber" in result.stderr


def test_port_in_use_exits_2() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "pulumi_flex_sms.emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "in use" in result.stderr.lower()


def test_control_client_does_not_load_the_web_stack() -> None:
    code = (
        "import sys, pulumi_flex_sms.emulator.control, pulumi_flex_sms.emulator;"
        "from pulumi_flex_sms.emulator import EmulatorControl;"
        "loaded = {'starlette', 'uvicorn'} & set(sys.modules);"
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_a_seed_file_is_read_within_the_same_limits(tmp_path: Path) -> None:
    seed = tmp_path / "laughs.yaml"
    lines = ["studio_flows:", "  - friendly_name: Laughs", "    definition:"]
    lines.append("      b0: &b0 [" + ", ".join(["lol"] * 10) + "]")
    lines += [f"      b{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, 6)]
    seed.write_text("\n".join(lines) + "\n")
    result = subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.emulator", "--port", "0", "--seed", str(seed)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert "expands to more than 100000 values" in result.stderr
