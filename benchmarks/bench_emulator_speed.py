"""The emulator beside a bare Starlette+uvicorn app, and its lists at 100 and 10,000 rows.

Floor: a bare Starlette app served by uvicorn with the emulator's server settings
(h11, the asyncio loop, no lifespan, no access log, a pre-bound loopback socket)
that answers POST and GET on the address-configuration paths with a JSON of the
same size as the emulator's (one captured from it). Both servers run as child
processes and take the same client: a requests Session per thread with
keep-alive and HTTP Basic, as twilio-python sends, from 1 and 4 threads. Rounds
alternate bare and emulator; each figure is the median of the rounds. Two
ratios: requests per second, emulator / bare (what this client sees; the
client's own CPU is part of every request), and server CPU per request (user +
system from /proc/PID/stat), bare / emulator (the servers alone).

Lists: a fresh emulator (default state, no ``--state``) is seeded through its
control endpoint in chunks with an account of 100 and one of 10,000 phone
numbers, each number with an address configuration. For each account it times
(median of ``--samples`` requests per round, median of the rounds) page 1 and
the last page of the address configurations and of the IncomingPhoneNumbers
(reached by following the next-page links, a walk it also times once),
IncomingPhoneNumbers filtered by a whole ``PhoneNumber`` and by a partial one
with ``*`` wildcards, and address configurations with ``Type``; the ratio is
10,000-row / 100-row. Then it prints the emulator's peak RSS (VmHWM from
/proc/PID/status) after those phases.

Prints figures; asserts nothing about time or memory (beyond the pages' sizes).

    .venv/bin/python benchmarks/bench_emulator_speed.py [--rounds 3] [--threads 1,4]
        [--creates 400] [--fetches 1200] [--rows 100,10000] [--samples 30]
        [--phases throughput,lists]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import requests

from pulumi_flex_sms.emulator.control import EmulatorControl
from pulumi_flex_sms.testing.process import EmulatorProcess, start_process

ACCOUNT = "AC" + "b" * 32
TOKEN = "bench-token"
ADDRESSES = "/conversations/v1/Configuration/Addresses"
#: The first line the bare app prints: ``bare app listening on http://...``.
BARE_PREFIX = "bare app listening on "
#: What twilio-python sends besides auth (twilio/base/client_base.py).
HEADERS = {
    "User-Agent": "twilio-python/9 (bench) Python/3",
    "X-Twilio-Client": "python-9",
    "Accept-Charset": "utf-8",
    "Accept": "application/json",
}
WEBHOOK = "https://hooks.example.com/inbound"


# -- the bare app (run as this script with --serve-bare SAMPLE) ------------------------


def serve_bare(sample_path: str) -> None:
    """A Starlette app on uvicorn, configured as the emulator's server; never returns."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    sample = json.loads(Path(sample_path).read_text())

    def answer(status: int) -> Response:
        body = json.dumps(sample, separators=(",", ":"), allow_nan=False)
        return Response(body, status_code=status, media_type="application/json")

    async def create(request: Request) -> Response:
        await request.body()
        return answer(201)

    async def fetch(request: Request) -> Response:
        return answer(200)

    app = Starlette(
        routes=[
            Route(ADDRESSES, create, methods=["POST"]),
            Route(ADDRESSES + "/{sid}", fetch, methods=["GET"]),
        ]
    )
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    config = uvicorn.Config(
        app, http="h11", loop="asyncio", lifespan="off", log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    print(f"{BARE_PREFIX}http://127.0.0.1:{sock.getsockname()[1]}", flush=True)
    server.run(sockets=[sock])


@contextmanager
def bare_app(sample: dict[str, Any]) -> Iterator[tuple[str, int]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sample.json"
        path.write_text(json.dumps(sample))
        argv = [sys.executable, __file__, "--serve-bare", str(path)]
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            if not line.startswith(BARE_PREFIX):
                raise SystemExit(f"bare app did not start: {line!r}")
            yield line[len(BARE_PREFIX) :].strip(), process.pid
        finally:
            process.terminate()
            process.wait(10)
            if process.stdout is not None:
                process.stdout.close()


@contextmanager
def emulator() -> Iterator[EmulatorProcess]:
    process = start_process(["--account-sid", ACCOUNT, "--auth-token", TOKEN])
    try:
        yield process
    finally:
        process.stop()


# -- process figures -----------------------------------------------------------------


def status_kib(pid: int, field: str) -> int:
    """A memory figure (VmRSS, VmHWM...) of process ``pid``, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return -1


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# -- the client ----------------------------------------------------------------------


def session(account: str = ACCOUNT, token: str = TOKEN) -> requests.Session:
    http = requests.Session()
    http.auth = (account, token)
    http.headers.update(HEADERS)
    return http


def numbers_for(prefix: str, count: int) -> list[str]:
    return [f"+1{prefix}{i:07d}" for i in range(count)]


def create_form(number: str) -> dict[str, str]:
    return {
        "Type": "sms",
        "Address": number,
        "AutoCreation.Enabled": "true",
        "AutoCreation.Type": "webhook",
        "AutoCreation.WebhookUrl": WEBHOOK,
    }


class Phase(NamedTuple):
    """One phase against one server: client-side requests per second, server CPU per request."""

    rate: float
    cpu_us: float


def drive(
    base_url: str, pid: int, threads: int, numbers: list[str], fetches: int
) -> tuple[Phase, Phase]:
    """Create one address configuration per number, then fetch them by address."""
    sessions = [session() for _ in range(threads)]
    url = base_url + ADDRESSES

    def create(index: int) -> None:
        http = sessions[index]
        for number in numbers[index::threads]:
            response = http.post(url, data=create_form(number))
            if response.status_code != 201:
                raise SystemExit(f"create: {response.status_code} {response.text[:200]}")

    def fetch(index: int) -> None:
        http = sessions[index]
        for i in range(index, fetches, threads):
            response = http.get(f"{url}/{quote(numbers[i % len(numbers)])}")
            if response.status_code != 200:
                raise SystemExit(f"fetch: {response.status_code} {response.text[:200]}")

    phases = []
    for work, count in ((create, len(numbers)), (fetch, fetches)):
        with ThreadPoolExecutor(threads) as pool:
            cpu = cpu_seconds(pid)
            started = time.perf_counter()
            list(pool.map(work, range(threads)))
            elapsed = time.perf_counter() - started
            phases.append(Phase(count / elapsed, 1e6 * (cpu_seconds(pid) - cpu) / count))
    for http in sessions:
        http.close()
    return phases[0], phases[1]


def sample_body(base_url: str) -> dict[str, Any]:
    """An address configuration as the emulator answers it (the bare app's answer)."""
    control = EmulatorControl(base_url)
    control.reset()
    number = "+15009990000"
    control.seed({"phone_numbers": [{"phone_number": number}]})
    with session() as http:
        response = http.post(base_url + ADDRESSES, data=create_form(number))
    control.reset()
    body: dict[str, Any] = response.json()
    return body


def throughput(args: argparse.Namespace) -> None:
    threads_list = [int(t) for t in args.threads.split(",")]
    with emulator() as emu:
        sample = sample_body(emu.base_url)
        with bare_app(sample) as (bare_url, bare_pid):
            control = EmulatorControl(emu.base_url)
            print(
                f"emulator {emu.base_url} (pid {emu.pid}), bare app {bare_url} (pid {bare_pid}); "
                f"answer {len(json.dumps(sample, separators=(',', ':')))} bytes; "
                f"{args.creates} creates + {args.fetches} fetches per round"
            )
            figures: dict[tuple[str, int], list[tuple[Phase, Phase]]] = {}
            for round_ in range(args.rounds):
                for threads in threads_list:
                    numbers = numbers_for(f"5{round_:02d}{threads:02d}", args.creates)
                    control.reset()
                    control.seed({"phone_numbers": [{"phone_number": n} for n in numbers]})
                    control.clear_requests()
                    for name, url, pid in (
                        ("bare", bare_url, bare_pid),
                        ("emulator", emu.base_url, emu.pid),
                    ):
                        phases = drive(url, pid, threads, numbers, args.fetches)
                        figures.setdefault((name, threads), []).append(phases)
            print(
                f"{'threads':>7}  {'':>8}  {'create req/s':>12}  {'fetch req/s':>11}  "
                f"{'create CPU/req':>14}  {'fetch CPU/req':>13}"
            )
            for threads in threads_list:
                medians: dict[str, list[float]] = {}
                for name in ("bare", "emulator"):
                    runs = figures[(name, threads)]
                    medians[name] = [
                        statistics.median(run[op][field] for run in runs)
                        for op in (0, 1)
                        for field in (0, 1)
                    ]
                    c_rate, c_cpu, f_rate, f_cpu = medians[name]
                    print(
                        f"{threads:>7}  {name:>8}  {c_rate:>12.0f}  {f_rate:>11.0f}  "
                        f"{c_cpu:>11.0f} us  {f_cpu:>10.0f} us"
                    )
                bare, emu_ = medians["bare"], medians["emulator"]
                print(
                    f"{threads:>7}  {'ratio':>8}  {emu_[0] / bare[0]:>11.2f}x  "
                    f"{emu_[2] / bare[2]:>10.2f}x  {bare[1] / emu_[1]:>13.2f}x  "
                    f"{bare[3] / emu_[3]:>12.2f}x",
                    flush=True,
                )
            print(
                "ratio: emulator / bare (req/s), bare / emulator (CPU per request): "
                "the emulator's speed as a share of the bare app's; goal >= 0.7x"
            )
            print(
                f"peak RSS (VmHWM): bare app {status_kib(bare_pid, 'VmHWM') / 1024:.1f} MiB, "
                f"emulator {status_kib(emu.pid, 'VmHWM') / 1024:.1f} MiB"
            )


# -- lists ---------------------------------------------------------------------------


def seed_account(base_url: str, account: str, token: str, prefix: str, rows: int) -> float:
    """Seed ``rows`` numbers, each with an address configuration; answers seconds taken."""
    control = EmulatorControl(base_url, timeout=300)
    numbers = numbers_for(prefix, rows)
    started = time.perf_counter()
    chunk = 1000
    for at in range(0, rows, chunk):
        part = numbers[at : at + chunk]
        control.seed(
            {
                "accounts": [
                    {
                        "sid": account,
                        "auth_token": token,
                        "phone_numbers": [{"phone_number": n} for n in part],
                        "address_configurations": [
                            {
                                "address": n,
                                "auto_creation": {"enabled": True, "type": "webhook"}
                                | {"webhook_url": WEBHOOK},
                            }
                            for n in part
                        ],
                    }
                ]
            }
        )
    return time.perf_counter() - started


def timed(http: requests.Session, url: str, samples: int) -> tuple[float, dict[str, Any]]:
    """Median seconds of ``samples`` GETs of ``url`` (after one warm-up), and its body."""
    body = _get(http, url)
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        body = _get(http, url)
        times.append(time.perf_counter() - started)
    return statistics.median(times), body


def _get(http: requests.Session, url: str) -> dict[str, Any]:
    response = http.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url}: {response.status_code} {response.text[:200]}")
    body: dict[str, Any] = response.json()
    return body


def last_page(
    http: requests.Session, first_url: str, next_of: Callable[[dict[str, Any]], str | None]
) -> tuple[str, int, float]:
    """Follow the next-page links from ``first_url``; answers the last page's URL,
    how many pages there were and the seconds the walk took."""
    url, pages = first_url, 1
    started = time.perf_counter()
    body = _get(http, url)
    while (following := next_of(body)) is not None:
        url, pages = following, pages + 1
        body = _get(http, url)
    return url, pages, time.perf_counter() - started


class Target(NamedTuple):
    """A list page to time, and the rows it must hold (the check that it is the page)."""

    url: str
    key: str
    rows: Callable[[list[dict[str, Any]]], bool]


def list_targets(
    http: requests.Session, base_url: str, account: str, prefix: str, rows: int
) -> tuple[dict[str, Target], dict[str, float]]:
    """The pages to time in one account, and how long walking each whole list took
    (which is also how the last page's URL is found)."""
    addresses = base_url + ADDRESSES
    numbers = f"{base_url}/api/2010-04-01/Accounts/{account}/IncomingPhoneNumbers.json"

    def v1_next(body: dict[str, Any]) -> str | None:
        link: str | None = body["meta"]["next_page_url"]
        return link

    def api_next(body: dict[str, Any]) -> str | None:
        link: str | None = body["next_page_uri"]
        return None if link is None else base_url + "/api" + link

    def count(n: int) -> Callable[[list[dict[str, Any]]], bool]:
        return lambda items: len(items) == n

    targets: dict[str, Target] = {}
    walks: dict[str, float] = {}
    for name, first, next_of, key in (
        ("addresses", addresses, v1_next, "address_configurations"),
        ("numbers", numbers, api_next, "incoming_phone_numbers"),
    ):
        targets[f"{name} page 1"] = Target(first, key, count(min(50, rows)))
        last, pages, walks[f"{name}: walk all pages"] = last_page(http, first, next_of)
        assert pages == (rows + 49) // 50, pages
        targets[f"{name} page N"] = Target(last, key, count((rows - 1) % 50 + 1))
    wanted = numbers_for(prefix, rows)[rows // 2]
    targets["numbers ?PhoneNumber=whole"] = Target(
        f"{numbers}?PhoneNumber={quote(wanted)}",
        "incoming_phone_numbers",
        lambda items: [r["phone_number"] for r in items] == [wanted],
    )
    partial = "*" + wanted[-6:-3] + "*" + wanted[-2:]  # a few matches in any account
    targets["numbers ?PhoneNumber=partial*"] = Target(
        f"{numbers}?PhoneNumber={quote(partial)}",
        "incoming_phone_numbers",
        lambda items: wanted in [r["phone_number"] for r in items],
    )
    targets["addresses ?Type=sms page 1"] = Target(
        addresses + "?Type=sms", "address_configurations", count(min(50, rows))
    )
    return targets, walks


def lists(args: argparse.Namespace) -> None:
    sizes = [int(r) for r in args.rows.split(",")]
    with emulator() as emu:
        idle_hwm = status_kib(emu.pid, "VmHWM")
        accounts = []
        for index, rows in enumerate(sizes):
            account, token, prefix = "AC" + f"{index + 1:x}" * 32, f"token-{index}", f"6{index}"
            seconds = seed_account(emu.base_url, account, token, prefix, rows)
            accounts.append((account, token, prefix, rows))
            print(f"seeded {rows} numbers + {rows} address configurations in {seconds:.1f} s")
        seeded_hwm = status_kib(emu.pid, "VmHWM")
        seeded_rss = status_kib(emu.pid, "VmRSS")
        sessions = [session(account, token) for account, token, _, _ in accounts]
        found = [
            list_targets(http, emu.base_url, account, prefix, rows)
            for http, (account, _, prefix, rows) in zip(sessions, accounts, strict=True)
        ]
        results: list[dict[str, list[float]]] = [{} for _ in accounts]
        for _ in range(args.rounds):
            for http, (targets, _), result in zip(sessions, found, results, strict=True):
                for name, target in targets.items():
                    seconds, body = timed(http, target.url, args.samples)
                    assert target.rows(body[target.key]), (name, len(body[target.key]))
                    result.setdefault(name, []).append(seconds)
        for http in sessions:
            http.close()
        for (_, walks), result in zip(found, results, strict=True):
            result.update({name: [seconds] for name, seconds in walks.items()})
        small, large = results[0], results[-1]
        print(f"{'list (median ms)':<32}  {sizes[0]:>8}  {sizes[-1]:>8}  {'ratio':>6}")
        for (name, a_runs), b_runs in zip(small.items(), large.values(), strict=True):
            a, b = statistics.median(a_runs) * 1000, statistics.median(b_runs) * 1000
            print(f"{name:<32}  {a:>8.2f}  {b:>8.2f}  {b / a:>5.1f}x")
        print("(goal: page 1 and page N within 2x)")
        print(
            f"emulator RSS: idle peak {idle_hwm / 1024:.1f} MiB; after seeding "
            f"{seeded_rss / 1024:.1f} MiB (peak {seeded_hwm / 1024:.1f} MiB); "
            f"peak after the list phases (VmHWM) {status_kib(emu.pid, 'VmHWM') / 1024:.1f} MiB "
            "(goal < 60 MiB)",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phases", default="throughput,lists", help="which phases to run")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per figure (median)")
    parser.add_argument("--threads", default="1,4", help="client thread counts")
    parser.add_argument("--creates", type=int, default=400, help="creates per round")
    parser.add_argument("--fetches", type=int, default=1200, help="fetches per round")
    parser.add_argument("--rows", default="100,10000", help="rows of the small and large account")
    parser.add_argument("--samples", type=int, default=30, help="requests timed per list figure")
    parser.add_argument("--serve-bare", metavar="SAMPLE", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.serve_bare:
        serve_bare(args.serve_bare)
        return 0
    phases = set(args.phases.split(","))
    load = os.getloadavg()
    print(
        f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    if "throughput" in phases:
        throughput(args)
    if "lists" in phases:
        lists(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
