"""Throughput of the Twilio emulator for address configurations, and its memory under a flood.

Throughput: starts ``python -m pulumi_flex_sms.emulator --port 0`` as a
subprocess, then for each client thread count creates address configurations
(each on a phone number seeded for it) and fetches them by address, with
twilio-python clients as the providers use them. Prints requests per second per
phase and the server's peak RSS (VmHWM from /proc/PID/status).

Flood: a fresh emulator, warmed up with a few ordinary requests, then
``--flood-threads`` clients each send ``--flood-requests`` unauthenticated POSTs
with a ``--flood-mib`` MiB body (half declared with Content-Length, half
chunked), as fast as the server lets them. Prints the server's RSS when idle
next to its peak RSS (VmHWM) after the flood, and how the requests ended.

Prints figures; asserts nothing about time or memory.

    .venv/bin/python benchmarks/bench_emulator.py [--phases throughput,flood]
        [--threads 1,4,8] [--creates 300] [--fetches 900] [--state FILE]
        [--flood-threads 4] [--flood-requests 25] [--flood-mib 10]
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
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


def status_kib(pid: int, field: str) -> int:
    """A memory figure (VmRSS, VmHWM...) of process ``pid``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return -1


def peak_rss_kib(pid: int) -> int:
    return status_kib(pid, "VmHWM")


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


def flood(threads: int, per_thread: int, mib: int) -> None:
    """Unauthenticated requests with large bodies; print idle vs peak RSS of the server."""
    process, base_url = start(None)
    try:
        warm = client(base_url)
        for _ in range(20):  # the code paths of ordinary requests, loaded and run
            warm.studio.v2.flows.list()
        EmulatorControl(base_url).requests()
        time.sleep(0.5)
        idle_rss = status_kib(process.pid, "VmRSS")
        idle_hwm = peak_rss_kib(process.pid)
        body = b"x" * (mib * 1024 * 1024)
        url = f"{base_url}/conversations/v1/Services"

        def chunks() -> Iterator[bytes]:
            view = memoryview(body)
            for at in range(0, len(body), 256 * 1024):
                yield bytes(view[at : at + 256 * 1024])

        def send(index: int) -> Counter[str]:
            outcomes: Counter[str] = Counter()
            with requests.Session() as session:
                for i in range(per_thread):
                    data = body if (index + i) % 2 == 0 else chunks()
                    try:
                        response = session.post(url, data=data, timeout=60)
                        outcomes[str(response.status_code)] += 1
                    except requests.ConnectionError:
                        # The server answered 401 and closed before the client had
                        # sent its body; the client sees the close, not the answer.
                        outcomes["closed while sending"] += 1
            return outcomes

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            totals = sum(pool.map(send, range(threads)), Counter())
        elapsed = time.perf_counter() - started
        sent = threads * per_thread
        print(
            f"flood: {sent} unauthenticated POSTs of {mib} MiB from {threads} threads "
            f"in {elapsed:.1f} s ({sent * mib / elapsed:.0f} MiB/s offered); "
            f"outcomes: {dict(totals)}"
        )
        print(
            f"server RSS idle: {idle_rss / 1024:.1f} MiB (peak so far {idle_hwm / 1024:.1f} MiB); "
            f"peak during the flood (VmHWM): {peak_rss_kib(process.pid) / 1024:.1f} MiB; "
            f"RSS after: {status_kib(process.pid, 'VmRSS') / 1024:.1f} MiB",
            flush=True,
        )
        journaled = EmulatorControl(base_url).requests(method="POST")
        kept = sum(bool(entry["form"]) for entry in journaled)
        print(f"journaled: {len(journaled)} entries, forms kept: {kept}")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
        if process.stdout is not None:
            process.stdout.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", default="throughput,flood", help="which phases to run")
    parser.add_argument("--threads", default="1,4,8", help="client thread counts")
    parser.add_argument("--creates", type=int, default=300, help="creates per thread count")
    parser.add_argument("--fetches", type=int, default=900, help="fetches per thread count")
    parser.add_argument("--state", help="SQLite state file (default: in memory)")
    parser.add_argument("--flood-threads", type=int, default=4, help="flooding client threads")
    parser.add_argument("--flood-requests", type=int, default=25, help="requests per thread")
    parser.add_argument("--flood-mib", type=int, default=10, help="body size of each, MiB")
    args = parser.parse_args(argv)
    phases = set(args.phases.split(","))

    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    if "throughput" in phases:
        throughput(args)
    if "flood" in phases:
        flood(args.flood_threads, args.flood_requests, args.flood_mib)
    return 0


def throughput(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        state = args.state and str(Path(tmp) / Path(args.state).name)
        process, base_url = start(state)
        try:
            control = EmulatorControl(base_url)
            print(f"emulator {base_url} (pid {process.pid}), state: {args.state or 'memory'}")
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


if __name__ == "__main__":
    raise SystemExit(main())
