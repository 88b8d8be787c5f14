"""The CLI: ``--proxy-port`` prints the environment after the (unchanged) first line,
``flex-sms emulator env`` prints it for a running emulator, and a client given
exactly those lines reaches the emulator."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.emulator import FIRST_LINE_PREFIX, STANDARD, EmulatorProcess, start_process
from support.proxy import clean_environ, run_python

from pulumi_flex_sms.emulator.control import EmulatorControl

FIRST_LINE = re.compile(
    r"^Twilio emulator listening on http://127\.0\.0\.1:\d+ \(account AC\w{32}, auth token \S+\)$"
)
EMULATOR = (sys.executable, "-m", "pulumi_flex_sms.emulator")
VARIABLES = [
    "HTTPS_PROXY",
    "HTTP_PROXY",
    "NO_PROXY",
    "SSL_CERT_FILE",
    "REQUESTS_CA_BUNDLE",
    "NODE_EXTRA_CA_CERTS",
]


@pytest.fixture(scope="module")
def running(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[EmulatorProcess, list[str]]]:
    ca_dir = tmp_path_factory.mktemp("cli") / "ca"
    process = start_process(
        [
            "--account-sid",
            STANDARD.account_sid,
            "--auth-token",
            STANDARD.auth_token,
            "--proxy-port",
            "0",
            "--ca-dir",
            str(ca_dir),
        ]
    )
    assert process.process.stdout is not None
    lines = [process.process.stdout.readline().rstrip("\n") for _ in range(1 + len(VARIABLES))]
    try:
        yield process, lines
    finally:
        process.stop()


def _env_command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.cli", "emulator", "env", *args],
        env=clean_environ({}),
        capture_output=True,
        text=True,
        timeout=30,
    )


def _exports(lines: list[str]) -> dict[str, str]:
    found = {}
    for line in lines:
        name, _, value = line.removeprefix("export ").partition("=")
        found[name] = shlex.split(value)[0]
    return found


def test_the_first_line_is_unchanged_and_the_environment_follows(
    running: tuple[EmulatorProcess, list[str]],
) -> None:
    process, lines = running
    assert process.first_line.startswith(FIRST_LINE_PREFIX)
    assert FIRST_LINE.match(process.first_line)
    assert process.account_sid == STANDARD.account_sid  # the toolkit's parser still works
    assert lines[0].startswith("# Proxy for unmodified Twilio clients: http://127.0.0.1:")
    assert [line.partition("=")[0] for line in lines[1:]] == [f"export {v}" for v in VARIABLES]
    env = _exports(lines[1:])
    assert env["HTTPS_PROXY"] == env["HTTP_PROXY"] != process.base_url
    assert env["SSL_CERT_FILE"] == env["REQUESTS_CA_BUNDLE"]
    assert (
        Path(env["REQUESTS_CA_BUNDLE"])
        .read_text()
        .endswith(Path(env["NODE_EXTRA_CA_CERTS"]).read_text())
    )


def test_env_prints_the_same_lines_for_the_running_emulator(
    running: tuple[EmulatorProcess, list[str]],
) -> None:
    process, lines = running
    shell = _env_command("--emulator", process.base_url)
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines() == lines[1:]
    dotenv = _env_command("--emulator", process.base_url, "--format", "dotenv")
    assert {
        name: json.loads(value)
        for name, _, value in (line.partition("=") for line in dotenv.stdout.splitlines())
    } == _exports(lines[1:])
    info = json.loads(_env_command("--emulator", process.base_url, "--format", "json").stdout)
    assert info["environment"] == _exports(lines[1:])
    assert info == EmulatorControl(process.base_url)._call("GET", "proxy")


def test_a_client_with_exactly_the_printed_environment_reaches_the_emulator(
    running: tuple[EmulatorProcess, list[str]],
) -> None:
    process, lines = running
    env = _exports(lines[1:])
    env.update(TWILIO_ACCOUNT_SID=process.account_sid, TWILIO_AUTH_TOKEN=process.auth_token)
    numbers = run_python(
        """
import json
from twilio.rest import Client
print(json.dumps([n.phone_number for n in Client().incoming_phone_numbers.list()]))
""",
        env,
    )
    assert numbers == []  # the default account, no numbers: but Twilio's answer, from here
    # The emulator's own port stays direct (NO_PROXY), with HTTP_PROXY set.
    health = run_python(
        f"""
import json, requests
print(json.dumps(requests.get("{process.base_url}/_emulator/health", timeout=10).json()))
""",
        env,
    )
    assert health["status"] == "ok"
    journal = EmulatorControl(process.base_url).requests()
    assert [e["path"] for e in journal] == [
        f"/api/2010-04-01/Accounts/{process.account_sid}/IncomingPhoneNumbers.json"
    ]


def test_env_explains_a_proxyless_or_absent_emulator(tmp_path: Path) -> None:
    process = start_process([])
    try:
        off = _env_command("--emulator", process.base_url)
    finally:
        process.stop()
    assert off.returncode == 2
    assert "runs without its proxy: restart it with --proxy-port" in off.stderr
    gone = _env_command("--emulator", process.base_url)
    assert gone.returncode == 2
    assert f"no emulator answers at {process.base_url}" in gone.stderr


def test_ca_dir_needs_the_proxy(tmp_path: Path) -> None:
    completed = subprocess.run(
        [*EMULATOR, "--ca-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert completed.returncode == 2
    assert "--ca-dir is the proxy's CA: give --proxy-port PORT too" in completed.stderr


def test_an_unusable_ca_dir_stops_the_start_with_the_fix(tmp_path: Path) -> None:
    (tmp_path / "ca.pem").write_text("garbage")
    completed = subprocess.run(
        [*EMULATOR, "--port", "0", "--proxy-port", "0", "--ca-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert f"CA directory {tmp_path} holds no usable CA" in completed.stderr


@pytest.mark.parametrize(("proxy_port", "loaded"), [("None", False), ("0", True)])
def test_cryptography_is_loaded_only_for_the_proxy(
    tmp_path: Path, proxy_port: str, loaded: bool
) -> None:
    """cryptography costs every emulator about 8 MiB of memory; only the proxy's CA needs it."""
    program = (
        "import sys\n"
        "from pulumi_flex_sms.emulator.__main__ import main\n"
        "from pulumi_flex_sms.emulator.server import EmulatorServer\n"
        f"server = EmulatorServer(port=0, proxy_port={proxy_port}, ca_dir={str(tmp_path)!r}"
        f" if {proxy_port} is not None else None)\n"
        "print('cryptography' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=60, check=True
    )
    assert completed.stdout.strip() == str(loaded)
