"""``flex-sms audit`` as a user runs it, and the program its ``--emit-pulumi`` writes.

:func:`run_audit` runs the installed command in a subprocess, :func:`audit_here` the
same command in this process (faster, for tests about what it reads rather than how it
exits);

:func:`declared_by` runs it under Pulumi's mocks and returns what it declares;
:func:`checked` gives each resource's inputs after the provider's check (what
the engine sends on, and what the policy pack reads in a preview);
:func:`pack_findings` runs every policy of the pack over them, directly, and
returns the routing codes each resource is reported with.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import sysconfig
from collections.abc import Mapping, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from pulumi_policy import StackValidationPolicy
from pulumi_policy.policy import _NotApplicableError

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE
from pulumi_flex_sms.models.address import check_address
from pulumi_flex_sms.models.phone_number import check_phone_number
from pulumi_flex_sms.policies import ALL_POLICIES

from .example_program import Declared, declared_by_program
from .policy_functions import run_resource_policy, run_stack_policy

__all__ = ["Declared", "audit_here", "checked", "declared_by", "pack_findings", "run_audit"]

_CODE = re.compile(r"^\[([a-z-]+)\] ", re.M)


def _flex_sms() -> list[str]:
    """The installed console script, as a user types it."""
    script = Path(sysconfig.get_path("scripts")) / "flex-sms"
    return [str(script)] if script.exists() else [sys.executable, "-m", "pulumi_flex_sms.cli"]


def run_audit(env: Mapping[str, str], *argv: str) -> subprocess.CompletedProcess[str]:
    """``flex-sms audit ARGV`` with ``env`` as its only Twilio settings (none inherited)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith(("TWILIO_", "FLEX_SMS_"))}
    return subprocess.run(
        [*_flex_sms(), "audit", *argv],
        env={**inherited, "NO_COLOR": "", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def audit_here(env: Mapping[str, str], *argv: str) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of ``flex-sms audit ARGV`` run in this process.

    The gateway is set from ``env`` as the command sets it from the environment,
    and left without credentials afterwards.
    """
    from pulumi_flex_sms import gateway
    from pulumi_flex_sms.audit.cli import main

    out, err = io.StringIO(), io.StringIO()
    gateway.configure(None, env)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(argv))
    finally:
        gateway.configure(None, {})
    return code, out.getvalue(), err.getvalue()


def declared_by(
    directory: Path, *, config: Mapping[str, str] | None = None, preview: bool = False
) -> list[Declared]:
    """(type token, name, inputs) of each resource ``directory/__main__.py`` declares, in order.

    The project name comes from its Pulumi.yaml; ``config`` is stack config
    (``project:key`` -> value); Pulumi's process-wide config is put back afterwards.
    """
    project = next(
        line.split(":", 1)[1].strip()
        for line in (directory / "Pulumi.yaml").read_text().splitlines()
        if line.startswith("name:")
    )
    return declared_by_program(
        directory / "__main__.py",
        project=project,
        stack="adopt",
        config=dict(config or {}),
        preview=preview,
    )


def checked(declared: Sequence[Declared]) -> list[Declared]:
    """Each resource's inputs as the provider's check returns them; a refusal fails the test."""
    out = []
    for type_, name, inputs in declared:
        check = check_address if type_ == FLEX_SMS_ADDRESS_TYPE else check_phone_number
        normal, problems = check(inputs)
        assert problems == [], f"{name}: {problems}"
        out.append((type_, name, normal))
    return out


def pack_findings(stack: Sequence[Declared]) -> dict[str, set[str]]:
    """Resource name -> the routing codes every policy of the pack reports at it."""
    found: dict[str, set[str]] = {name: set() for _, name, _ in stack}
    by_urn = {f"::{type_}::{name}": name for type_, name, _ in stack}
    for policy in ALL_POLICIES:
        if isinstance(policy, StackValidationPolicy):
            for violation in run_stack_policy(policy, stack):
                urn = violation.urn or ""
                name = next((n for end, n in by_urn.items() if urn.endswith(end)), "(stack)")
                found.setdefault(name, set()).update(_CODE.findall(violation.message))
        elif policy.validate is not None:
            for type_, name, props in stack:
                try:
                    messages = run_resource_policy(policy, type_, props, name=name)
                except _NotApplicableError:
                    continue  # the allowlists, without their config
                found[name] |= {code for m in messages for code in _CODE.findall(m)}
    return found
