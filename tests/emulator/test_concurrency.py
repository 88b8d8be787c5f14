"""Many client threads at once: no corruption, no duplicate addresses, no lost updates."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from support.emulator import EmulatorHandle, twilio_client
from twilio.base.exceptions import TwilioRestException

from pulumi_flex_sms.emulator.server import EmulatorServer

THREADS = 8


def test_racing_creates_of_one_address_yield_exactly_one(emulator: EmulatorHandle) -> None:
    barrier = threading.Barrier(THREADS)

    def attempt(_: int) -> str:
        client = emulator.client()
        barrier.wait()
        try:
            client.conversations.v1.address_configurations.create(
                type="sms", address=emulator.number.phone_number
            )
            return "created"
        except TwilioRestException as exc:
            return f"{exc.status}/{exc.code}"

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = Counter(pool.map(attempt, range(THREADS)))
    assert outcomes == Counter({"created": 1, "400/20001": THREADS - 1})
    assert len(emulator.client().conversations.v1.address_configurations.list()) == 1


def test_concurrent_creates_updates_and_reads_stay_consistent(tmp_path: Path) -> None:
    # A file-backed store, so the lock and the transactions are the real thing.
    numbers = [f"+1500555{i:04d}" for i in range(40)]
    seed = {"phone_numbers": [{"phone_number": n} for n in numbers]}
    with EmulatorServer(seed=seed, state_path=tmp_path / "state.sqlite3") as server:

        def work(index: int) -> None:
            client = twilio_client(server.base_url, server.account_sid, server.auth_token)
            addresses = client.conversations.v1.address_configurations
            for number in numbers[index::THREADS]:
                created = addresses.create(type="sms", address=number, friendly_name="v0")
                for version in range(1, 4):
                    addresses(created.sid).update(friendly_name=f"v{version}")
                assert addresses(number).fetch().friendly_name == "v3"
                pn = client.api.v2010.account.incoming_phone_numbers.list(phone_number=number)[0]
                client.api.v2010.account.incoming_phone_numbers(pn.sid).update(
                    sms_url=f"https://hooks.example.com/{number[1:]}"
                )

        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(work, range(THREADS)))

        client = twilio_client(server.base_url, server.account_sid, server.auth_token)
        configs = client.conversations.v1.address_configurations.list()
        assert sorted(c.address for c in configs) == numbers
        assert {c.friendly_name for c in configs} == {"v3"}
        assert len({c.sid for c in configs}) == len(numbers)
        for number in client.api.v2010.account.incoming_phone_numbers.list():
            assert number.sms_url == f"https://hooks.example.com/{number.phone_number[1:]}"
        journal = server.state.journal.entries()
        assert len(journal) == len(numbers) * 7 + 2
        assert {e["status"] for e in journal} == {200, 201}
