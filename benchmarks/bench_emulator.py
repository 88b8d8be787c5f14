"""Throughput of the Twilio emulator for address configurations, and its peak memory.

Starts ``python -m pulumi_flex_sms.emulator --port 0`` as a subprocess, then for
each client thread count creates address configurations (each on a phone number
seeded for it) and fetches them by address, with twilio-python clients as the
providers use them. Prints requests per second per phase and the server's peak
RSS (VmHWM from /proc/PID/status). Prints figures; asserts nothing about time.

    .venv/bin/python benchmarks/bench_emulator.py [--threads 1,4,8] [--creates 300]
        [--fetches 900] [--state FILE]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from pulumi_flex_sms.emulator.control import EmulatorControl

ACCOUNT = "AC" + "b" * 32
TOKEN = "bench-token"


def start(state: str | None) -> tuple[subprocess.Popen[str], str]:
    argv = [sys.executable, "-m", "pulumi_flex_sms.emulator", "--port", "0"]
    argv += ["--account-sid", ACCOUNT, "--auth-token", TOKEN, "--journal-size", "1000"]
    if state:
        argv += ["--state", state]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    line = process.stdout.readline()
    url = next((t for t in line.split() if t.startswith("http://")), None)
    if url is None:
        process.kill()
        raise SystemExit(f"emulator did not start: {line!r}")
    return process, url


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


def client(base_url: str) -> Client:
    twilio = Client(ACCOUNT, TOKEN, http_client=TwilioHttpClient(timeout=30), environment={})
    for domain in ("api", "conversations", "studio"):
        getattr(twilio, domain).base_url = f"{base_url}/{domain}"
    return twilio


def run(base_url: str, control: EmulatorControl, threads: int, creates: int, fetches: int):
    control.reset()
    numbers = [f"+1500{threads:02d}{i:05d}" for i in range(creates)]
    control.seed({"phone_numbers": [{"phone_number": n} for n in numbers]})
    clients = [client(base_url) for _ in range(threads)]

    def create(index: int) -> None:
        addresses = clients[index].conversations.v1.address_configurations
        for number in numbers[index::threads]:
            addresses.create(
                type="sms",
                address=number,
                auto_creation_enabled=True,
                auto_creation_type="webhook",
                auto_creation_webhook_url="https://hooks.example.com/inbound",
            )

    def fetch(index: int) -> None:
        addresses = clients[index].conversations.v1.address_configurations
        for i in range(index, fetches, threads):
            addresses(numbers[i % len(numbers)]).fetch()

    rates = []
    for work, count in ((create, creates), (fetch, fetches)):
        with ThreadPoolExecutor(threads) as pool:
            started = time.perf_counter()
            list(pool.map(work, range(threads)))
            rates.append(count / (time.perf_counter() - started))
    return rates


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,4,8", help="client thread counts")
    parser.add_argument("--creates", type=int, default=300, help="creates per thread count")
    parser.add_argument("--fetches", type=int, default=900, help="fetches per thread count")
    parser.add_argument("--state", help="SQLite state file (default: in memory)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        state = args.state and str(Path(tmp) / Path(args.state).name)
        process, base_url = start(state)
        try:
            control = EmulatorControl(base_url)
            print(f"emulator {base_url} (pid {process.pid}), state: {args.state or 'memory'}")
            print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
            print(f"{'threads':>7}  {'create req/s':>12}  {'fetch req/s':>11}")
            for threads in (int(t) for t in args.threads.split(",")):
                create_rate, fetch_rate = run(
                    base_url, control, threads, args.creates, args.fetches
                )
                print(f"{threads:>7}  {create_rate:>12.0f}  {fetch_rate:>11.0f}", flush=True)
            print(f"server peak RSS (VmHWM): {peak_rss_kib(process.pid) / 1024:.1f} MiB")
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
