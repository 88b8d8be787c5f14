"""The audit's core is pure, and the command loads the network and Pulumi parts only to run."""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("twilio", "requests", "pulumi", "pulumi_policy", "pydantic", "starlette", "uvicorn")


def loaded_by(statement: str) -> set[str]:
    script = (
        f"import sys\n{statement}\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    return set(done.stdout.split()) & set(HEAVY)


@pytest.mark.parametrize(
    ("statement", "allowed"),
    [
        ("import pulumi_flex_sms.cli", set()),
        ("import pulumi_flex_sms.audit.cli", set()),
        ("import pulumi_flex_sms.audit.report, pulumi_flex_sms.audit.table", set()),
        ("import pulumi_flex_sms.audit.pysource", set()),
        # The account read goes through the gateway: twilio-python and requests, nothing else.
        ("import pulumi_flex_sms.audit.account", {"twilio", "requests"}),
        # The emitter uses the providers' own models (pydantic; pulumi's Unknown).
        ("import pulumi_flex_sms.audit.program", {"pydantic", "pulumi"}),
    ],
)
def test_what_each_module_loads(statement: str, allowed: set[str]) -> None:
    assert loaded_by(statement) == allowed
