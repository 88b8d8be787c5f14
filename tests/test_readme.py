"""What the README promises: its two commands exist as written, its seed is accepted."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def _two_commands() -> list[str]:
    block = re.search(r"## Two commands.*?```bash\n(.*?)```", README, re.S)
    assert block, "README lost its 'Two commands' block"
    return [line.split("#")[0].strip() for line in block.group(1).splitlines() if line.strip()]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    demo, test = _two_commands()
    assert (demo, test) == ("make demo", "make test")
    ci = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#") and not line.startswith(("set ", "cd "))
    ]
    assert ci == [test]


def test_makefile_has_both_targets() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("demo", "test"):
        assert re.search(rf"^{target}:", makefile, re.M), target


def test_readme_seed_is_accepted_by_the_emulator(emulator: Any) -> None:
    block = re.search(r"```yaml\n(# flex-sms emulator --seed.*?)```", README, re.S)
    assert block, "README lost its seed example"
    created = emulator.control.seed(yaml.safe_load(block.group(1)))
    [account] = created["accounts"]
    assert [n["phone_number"] for n in account["phone_numbers"]] == ["+13115552368"]
    number = emulator.control.state()["accounts"]
    assert any(
        n.get("sms_url") == "https://demo.twilio.com/welcome/sms/reply"
        for a in number
        for n in a.get("phone_numbers", [])
    )
