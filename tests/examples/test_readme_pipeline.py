"""The README's pipeline job, played here: start the emulator with the example's seed,
deploy the example stack (its providers over the engine protocol, as ``pulumi up`` would),
then run the job's last step, ``flex-sms simulate-inbound``, exactly as the README writes it.

The Pulumi CLI is not available here, so ``pulumi up`` is the engine harness
(tests/support/engine.py) driving the program's declared resources; every other
step of the job is taken from the README's YAML.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.emulator import EmulatorProcess, start_process
from support.engine import DynamicProviderProcess, Resource
from support.example_program import EXAMPLE, ROOT, SEED, declared_by_example
from support.pulumi_runtime import isolated_pulumi_config  # noqa: F401 (autouse fixture)

from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider

README = (ROOT / "README.md").read_text()
ACCOUNT = SEED["accounts"][0]
PROVIDERS = {
    FLEX_SMS_ADDRESS_TYPE: FlexSmsAddressProvider,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: PhoneNumberMessagingConfigProvider,
}


def readme_job() -> dict[str, Any]:
    for block in re.findall(r"```yaml\n(.*?)```", README, re.S):
        document = yaml.safe_load(block)
        if isinstance(document, dict) and "routing-on-the-emulator" in document.get("jobs", {}):
            job: dict[str, Any] = document["jobs"]["routing-on-the-emulator"]
            return job
    raise AssertionError("README lost its routing-on-the-emulator job")


def step_running(job: dict[str, Any], command: str) -> str:
    runs = [step["run"] for step in job["steps"] if command in step.get("run", "")]
    assert len(runs) == 1, f"one step runs {command}"
    return str(runs[0]).strip()


@pytest.fixture(scope="module")
def example_emulator() -> Iterator[EmulatorProcess]:
    process = start_process(["--seed", str(EXAMPLE / "seed.yaml")])
    yield process
    process.stop()


def run_check(command: str, base_url: str) -> subprocess.CompletedProcess[str]:
    argv = shlex.split(command)
    assert argv[0] == "flex-sms"
    script = Path(sys.executable).with_name("flex-sms")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "pulumi_flex_sms.cli"]
    return subprocess.run(
        [*launcher, *argv[1:]],
        capture_output=True,
        text=True,
        env={**os.environ, "FLEX_SMS_TWILIO_BASE_URL": base_url},
        timeout=120,
        check=False,
    )


def test_the_job_starts_the_emulator_deploys_then_checks_the_route() -> None:
    job = readme_job()
    start = step_running(job, "flex-sms emulator")
    assert "--seed seed.yaml" in start and "FLEX_SMS_TWILIO_BASE_URL" in start
    runs = [str(step.get("run", "")) for step in job["steps"]]
    up = next(i for i, run in enumerate(runs) if "pulumi up" in run)
    check = next(i for i, run in enumerate(runs) if "flex-sms simulate-inbound" in run)
    assert up < check, "the route is checked after the deployment"


def test_the_readme_check_fails_before_and_passes_after_the_deployment(
    example_emulator: EmulatorProcess,
) -> None:
    command = step_running(readme_job(), "flex-sms simulate-inbound")
    to = shlex.split(command)[shlex.split(command).index("--to") + 1]
    assert to == ACCOUNT["phone_numbers"][0]["phone_number"], (
        "the README texts the example's number"
    )

    before = run_check(command, example_emulator.base_url)
    assert before.returncode == 1, before.stdout + before.stderr
    assert "[no-conversation]" in before.stdout

    process = DynamicProviderProcess(
        env={  # what the job exports
            "TWILIO_ACCOUNT_SID": ACCOUNT["sid"],
            "TWILIO_AUTH_TOKEN": ACCOUNT["auth_token"],
            "FLEX_SMS_TWILIO_BASE_URL": example_emulator.base_url,
        }
    )
    try:
        process.configure({"flex-sms-example:phoneNumber": to})
        for token, name, inputs in declared_by_example(preview=False):  # `pulumi up`
            assert Resource(process, PROVIDERS[token](), token, name).up(inputs).op == "create"
    finally:
        process.stop()

    after = run_check(command, example_emulator.base_url)
    assert after.returncode == 0, after.stdout + after.stderr
    assert "OK: reaches Flex by exactly one path" in after.stdout
