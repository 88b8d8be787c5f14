"""The README's "Adopting an existing account" shows a real audit: its seed, output and program."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.audit_program import run_audit

ROOT = Path(__file__).resolve().parents[2]
SECTION = (ROOT / "README.md").read_text().split("## Adopting an existing account", 1)[1]
SECTION = SECTION.split("\n## ", 1)[0]


def block(language: str, first_line: str) -> str:
    found = re.search(rf"```{language}\n({re.escape(first_line)}.*?)```", SECTION, re.S)
    assert found, f"README's adoption section lost its {language} block {first_line!r}"
    return found.group(1)


@pytest.fixture(scope="module")
def readme_account() -> Iterator[dict[str, str]]:
    from pulumi_flex_sms.emulator import EmulatorServer

    seed: dict[str, Any] = yaml.safe_load(block("yaml", "# adopt-seed.yaml"))
    [account] = seed["accounts"]
    server = EmulatorServer(
        seed=seed, account_sid=account["sid"], auth_token=account["auth_token"]
    ).start()
    try:
        yield {
            "TWILIO_ACCOUNT_SID": account["sid"],
            "TWILIO_AUTH_TOKEN": account["auth_token"],
            "FLEX_SMS_TWILIO_BASE_URL": server.base_url,
        }
    finally:
        server.stop()


def test_the_output_and_program_shown_are_what_the_command_gives(
    readme_account: dict[str, str], tmp_path: Path
) -> None:
    shown = block("text", "$ flex-sms audit\n").removeprefix("$ flex-sms audit\n")
    excerpt = block("python", "# [error] [handler-in-parallel]")
    done = run_audit(readme_account, "--emit-pulumi", str(tmp_path / "adopt"))
    assert done.returncode == 1
    assert "(exit status 1)" in SECTION
    assert done.stdout == shown  # the same table, with or without --emit-pulumi
    assert excerpt in (tmp_path / "adopt" / "__main__.py").read_text()
