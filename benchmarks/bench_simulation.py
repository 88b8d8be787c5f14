"""Simulated inbound SMS through the emulator: latency and messages per second.

Starts ``python -m pulumi_flex_sms.emulator --port 0`` as a subprocess, seeds
``--numbers`` Flex-ready numbers (a published Studio flow whose Incoming
Conversation trigger sends to Flex, an address configuration that autocreates
into the Flex service), then sends ``POST /_emulator/simulate/inbound-sms``
through ``EmulatorControl`` (what ``flex-sms simulate-inbound`` uses) from 1 and
4 client threads, in three phases:

* ``create``: each message from a new sender (snapshot, route, a conversation
  with its participant, message, scoped webhook and Studio execution);
* ``append``: the same senders again (the bound conversation takes it);
* ``webhook``: new senders to numbers whose ``sms_url`` is a local receiver
  (the signed webhook is sent and answered next to the conversation).

Prints, per phase and thread count, the median and p95 latency of one
simulate call and the messages per second. Asserts nothing about time.

    PYTHONPATH=tests .venv/bin/python benchmarks/bench_simulation.py \
        [--threads 1,4] [--messages 400] [--numbers 20] [--state FILE]
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from support.receiver import WebhookReceiver
from support.simulation import FLEX_DEFINITION

from pulumi_flex_sms.emulator.control import EmulatorControl

ACCOUNT = "AC" + "b" * 32
TOKEN = "bench-token"
SERVICE = "IS" + "b" * 32
FLOW = "FW" + "b" * 32


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


def number(index: int) -> str:
    return f"+1500555{index:04d}"


def seed(control: EmulatorControl, numbers: int, sms_url: str) -> None:
    control.reset()
    control.seed(
        {
            "conversation_services": [{"sid": SERVICE, "friendly_name": "Flex"}],
            "studio_flows": [{"sid": FLOW, "friendly_name": "Flex", "definition": FLEX_DEFINITION}],
            "phone_numbers": [
                {"phone_number": number(i), "sms_url": sms_url if i % 2 else ""}
                for i in range(2 * numbers)
            ],
            "address_configurations": [
                {
                    "address": number(i),
                    "auto_creation": {
                        "enabled": True,
                        "type": "studio",
                        "conversation_service_sid": SERVICE,
                        "studio_flow_sid": FLOW,
                    },
                }
                for i in range(2 * numbers)
            ],
        }
    )


def _serve_webhooks(urls: multiprocessing.Queue[str]) -> None:
    # In a process of its own: in the client's, it would compete for the GIL.
    with WebhookReceiver(TOKEN) as hooks:
        urls.put(hooks.url("/sms"))
        while True:
            time.sleep(3600)


def start_receiver() -> tuple[multiprocessing.Process, str]:
    """A signature-checking webhook receiver in a process of its own; answers 200, no TwiML."""
    urls: multiprocessing.Queue[str] = multiprocessing.Queue()
    process = multiprocessing.Process(target=_serve_webhooks, args=(urls,), daemon=True)
    process.start()
    return process, urls.get(timeout=30)


def measure(threads: int, messages: int, send: Callable[[int], None]) -> tuple[float, float, float]:
    """(median ms, p95 ms, messages per second) of ``send(i)`` for i in range(messages)."""
    latencies: list[float] = []

    def timed(i: int) -> None:
        start = time.perf_counter()
        send(i)
        latencies.append((time.perf_counter() - start) * 1000)

    start = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(timed, range(messages)))
    elapsed = time.perf_counter() - start
    latencies.sort()
    p95 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.95))]
    return statistics.median(latencies), p95, messages / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", default="1,4")
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--numbers", type=int, default=20)
    parser.add_argument("--state", help="SQLite state file (default: in memory)")
    args = parser.parse_args()

    process, base_url = start(args.state)
    control = EmulatorControl(base_url, timeout=60)
    print(f"emulator {base_url}; {args.messages} messages per run, {args.numbers} numbers")
    print(f"{'phase':<8} {'threads':>7} {'median ms':>10} {'p95 ms':>8} {'msg/s':>8}")
    flex = [number(2 * i) for i in range(args.numbers)]  # sms_url blank
    hooked = [number(2 * i + 1) for i in range(args.numbers)]  # sms_url: the receiver
    receiver, sms_url = start_receiver()
    try:
        for threads in (int(t) for t in args.threads.split(",")):
            seed(control, args.numbers, sms_url)

            def customer(i: int, base: int = 0) -> str:
                return f"+1555{base + i:07d}"

            def created(i: int) -> None:
                trace = control.simulate_inbound_sms(customer(i), flex[i % len(flex)])
                assert trace["conversation"]["outcome"] == "created", trace["problems"]

            def appended(i: int) -> None:
                trace = control.simulate_inbound_sms(customer(i), flex[i % len(flex)])
                assert trace["conversation"]["outcome"] == "appended", trace["problems"]

            def webhook(i: int) -> None:
                sender = customer(i, base=5_000_000)
                trace = control.simulate_inbound_sms(sender, hooked[i % len(hooked)])
                assert trace["deliveries"][0]["status_code"] == 200, trace["deliveries"]

            for phase, send in (("create", created), ("append", appended), ("webhook", webhook)):
                median, p95, rate = measure(threads, args.messages, send)
                print(f"{phase:<8} {threads:>7} {median:>10.1f} {p95:>8.1f} {rate:>8.0f}")
    finally:
        receiver.terminate()
        process.terminate()
        process.wait(10)


if __name__ == "__main__":
    main()
