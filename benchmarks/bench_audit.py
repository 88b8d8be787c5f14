"""``flex-sms audit`` on accounts of 10, 100 and 1,000 numbers: requests and seconds.

For each size, starts the emulator (``python -m pulumi_flex_sms.emulator``, a
subprocess) seeded with that many numbers, each with a Flex address
configuration, then audits it twice: in this process (the account read through
the gateway, the routing, the table: what the command does, without Python's
start-up) and as a user runs it (``flex-sms audit --json``, a subprocess).
Prints the requests each made (from the emulator's journal, by Twilio domain)
and the seconds; asserts nothing about time.

    PYTHONPATH=tests .venv/bin/python benchmarks/bench_audit.py [--sizes 10,100,1000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from support.audit_accounts import ACCOUNT_SID, AUTH_TOKEN, numbered_account
from support.emulator import start_process

from pulumi_flex_sms import gateway
from pulumi_flex_sms.audit.account import read_account
from pulumi_flex_sms.audit.report import audit
from pulumi_flex_sms.audit.table import render_table
from pulumi_flex_sms.emulator.control import EmulatorControl


def in_process(base_url: str) -> float:
    gateway.configure(
        {
            "twilio:accountSid": ACCOUNT_SID,
            "twilio:authToken": AUTH_TOKEN,
            "flexsms:twilioBaseUrl": base_url,
        },
        {},
    )
    started = time.perf_counter()
    report = audit(read_account().snapshot())
    render_table(report)
    elapsed = time.perf_counter() - started
    gateway.configure(None, {})
    assert report.findings == (), "the benchmark's accounts are clean"
    return elapsed


def as_a_user(base_url: str) -> float:
    env = {
        **os.environ,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "FLEX_SMS_TWILIO_BASE_URL": base_url,
    }
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pulumi_flex_sms.cli", "audit", "--json"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"flex-sms audit exited {done.returncode}: {done.stderr}")
    json.loads(done.stdout)
    return elapsed


def requests_by_domain(control: EmulatorControl) -> tuple[int, str]:
    made = control.requests()
    assert {r["method"] for r in made} == {"GET"}
    domains = Counter(r["domain"] for r in made)
    return len(made), ", ".join(f"{d} {n}" for d, n in sorted(domains.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'numbers':>8} {'requests':>9} {'in-process s':>13} {'command s':>10}  by domain")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            seed = Path(tmp) / "seed.json"
            seed.write_text(json.dumps(numbered_account(size).seed))
            process = start_process(
                ["--seed", str(seed), "--account-sid", ACCOUNT_SID, "--auth-token", AUTH_TOKEN]
            )
            try:
                control = EmulatorControl(process.base_url)
                control.clear_requests()
                seconds = in_process(process.base_url)
                count, domains = requests_by_domain(control)
                control.clear_requests()
                command = as_a_user(process.base_url)
                assert requests_by_domain(control)[0] == count
            finally:
                process.stop()
        print(f"{size:>8} {count:>9} {seconds:>13.2f} {command:>10.2f}  {domains}")


if __name__ == "__main__":
    main()
