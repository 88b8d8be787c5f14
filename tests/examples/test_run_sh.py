"""`make demo`'s script (examples/flex_sms/run.sh) around the Pulumi CLI, with a fake CLI.

The fake ``pulumi`` records its arguments and environment; the emulator, the CLI
decision and the script's own commands are real. State and the CLI folder go to
temporary directories (DEMO_STATE_DIR, DEMO_CLI_DIR), never to the checkout.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from support.example_program import EXAMPLE, SEED

pytestmark = pytest.mark.skipif(
    os.name == "nt", reason="run.sh and the fake CLI need a POSIX shell"
)

RUN_SH = EXAMPLE / "run.sh"
VENV = Path(sys.prefix)
SEEDED_NUMBER = SEED["accounts"][0]["phone_numbers"][0]

FAKE_PULUMI = """#!/bin/sh
if [ "$1" = version ]; then echo v3.272.0; exit 0; fi
echo "$*" >> "$FAKE_PULUMI_DIR/calls"
env > "$FAKE_PULUMI_DIR/env"
"""


def _path_without_pulumi() -> list[str]:
    return [
        entry
        for entry in os.environ.get("PATH", "").split(os.pathsep)
        if entry and not (Path(entry) / "pulumi").exists()
    ]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_demo(tmp_path: Path, path: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    if not (VENV / "bin" / "flex-sms").exists():
        pytest.skip(f"run.sh needs a virtualenv with flex-sms; the tests run from {VENV}")
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PULUMI_", "TWILIO_", "FLEX_SMS_"))
        and k.lower() not in {"https_proxy", "no_proxy", "virtual_env"}
    }
    base.update(
        PATH=os.pathsep.join(path),
        VENV=str(VENV),
        DEMO_STATE_DIR=str(tmp_path / "state"),
        DEMO_CLI_DIR=str(tmp_path / "cli"),
        FAKE_PULUMI_DIR=str(tmp_path / "fake"),
        **env,
    )
    return subprocess.run(
        ["bash", str(RUN_SH), "up"], env=base, capture_output=True, text=True, timeout=180
    )


def test_up_runs_the_cli_it_found_against_the_emulator_and_stops_the_emulator(
    tmp_path: Path,
) -> None:
    fake_dir = tmp_path / "fake"
    fake_dir.mkdir()
    fake = fake_dir / "pulumi"
    fake.write_text(FAKE_PULUMI)
    fake.chmod(0o755)

    result = run_demo(tmp_path, [str(fake_dir), *_path_without_pulumi()])

    assert result.returncode == 0, result.stderr
    assert f"== Pulumi CLI 3.272.0 (PATH: {fake})" in result.stderr
    calls = (fake_dir / "calls").read_text().splitlines()
    assert calls == [
        "stack select --create local --non-interactive",
        "up --yes --refresh --stack local",
        "stack output --stack local",
    ]
    seen = dict(
        line.split("=", 1) for line in (fake_dir / "env").read_text().splitlines() if "=" in line
    )
    state = tmp_path / "state"
    assert seen["PULUMI_BACKEND_URL"] == f"file://{state}"
    assert seen["PULUMI_PYTHON_CMD"] == f"{VENV}/bin/python"
    assert seen["PULUMI_SKIP_UPDATE_CHECK"] == "true"
    assert seen["PATH"].split(os.pathsep)[:2] == [f"{VENV}/bin", str(fake_dir)]
    base_url = seen["FLEX_SMS_TWILIO_BASE_URL"]
    assert base_url.startswith("http://127.0.0.1:")
    # The emulator really ran with the example's seed, and is stopped on exit.
    assert (
        f"number  {SEEDED_NUMBER['phone_number']}  sms_url={SEEDED_NUMBER['sms_url']!r}"
        in result.stdout
    )
    with pytest.raises(requests.ConnectionError):
        requests.get(base_url, timeout=5)
    assert not (tmp_path / "cli").exists()


def test_without_a_cli_and_offline_it_stops_with_one_message_before_starting_anything(
    tmp_path: Path,
) -> None:
    # A proxy on a closed loopback port: the SDK's download is refused, nothing leaves the machine.
    proxy = f"http://127.0.0.1:{_closed_port()}"
    result = run_demo(tmp_path, _path_without_pulumi(), https_proxy=proxy, HTTPS_PROXY=proxy)

    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("make demo:") == 1
    assert "the Pulumi CLI is not installed, and installing it into" in result.stderr
    assert "could not download it from https://get.pulumi.com" in result.stderr
    assert "curl -fsSL https://get.pulumi.com | sh" in result.stderr
    assert not (tmp_path / "state").exists()  # the emulator never started
    assert not (tmp_path / "cli" / "bin" / "pulumi").exists()


def test_the_cli_folder_is_ignored_cleaned_and_documented() -> None:
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    root = EXAMPLE.parents[1]
    clean = subprocess.run(
        ["make", "-n", "clean"], cwd=root, capture_output=True, text=True, check=True
    )
    assert ".pulumi-cli" in clean.stdout.split()
    assert ".pulumi-cli/" in (root / ".gitignore").read_text().splitlines()
    assert "`.pulumi-cli/`" in (root / "README.md").read_text()
