"""The shortcuts of the request path (issue 13's speed) keep its guarantees: a read
is consistent and cannot write, journal times stay exact across seconds, a plain
form is journaled as sent and anything else still masked or cut, a Host header is
parsed the same whether or not it was seen before."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from starlette.types import Message

from pulumi_flex_sms.emulator import journal as journal_module
from pulumi_flex_sms.emulator.hosts import _ROUTED_BASE, PUBLIC_BASE_STATE, HostRouting
from pulumi_flex_sms.emulator.journal import Journal, sanitize
from pulumi_flex_sms.emulator.limits import JOURNAL_VALUE_CHARS
from pulumi_flex_sms.emulator.store import Store, Transaction
from pulumi_flex_sms.emulator.wire import iso, rfc2822

AC = "AC" + "1" * 32


def test_a_read_sees_what_is_committed_and_joins_an_open_transaction() -> None:
    store = Store()
    with store.transaction() as tx:
        tx.insert("thing", "T1", AC, {"sid": "T1"}, key="k1")
    with store.read() as reads:
        assert [row["sid"] for row in reads.list("thing", AC)] == ["T1"]
        assert not isinstance(reads, Transaction)
        assert not hasattr(reads, "insert")  # a read cannot write outside a transaction
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("thing", "T2", AC, {"sid": "T2"}, key="k2")
        with store.read() as inner:  # inside the transaction: sees its writes
            assert inner.has("thing", AC, "k2")
        raise RuntimeError("rolled back")
    with store.read() as reads:
        assert not reads.has("thing", AC, "k2")
    store.close()


def test_a_read_waits_for_a_writer_on_another_thread() -> None:
    store = Store()
    inside, release = threading.Event(), threading.Event()
    seen: list[list[str]] = []

    def write() -> None:
        with store.transaction() as tx:
            tx.insert("thing", "T1", AC, {"sid": "T1"}, key="k1")
            inside.set()
            release.wait(10)
            tx.insert("thing", "T2", AC, {"sid": "T2"}, key="k2")

    def read() -> None:
        with store.read() as reads:
            seen.append([row["sid"] for row in reads.list("thing", AC)])

    writer = threading.Thread(target=write)
    writer.start()
    assert inside.wait(10)
    reader = threading.Thread(target=read)
    reader.start()
    reader.join(0.2)
    assert seen == []  # held off while the transaction is open
    release.set()
    writer.join(10)
    reader.join(10)
    assert seen == [["T1", "T2"]]  # the whole transaction, never half of it
    store.close()


def test_journal_times_are_exact_across_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = iter([100.75, 101.0, 101.5, 3600 * 24 + 0.25])  # binary-exact fractions
    monkeypatch.setattr(time, "time", lambda: next(clock))
    monkeypatch.setattr(journal_module, "_second", (-1, ""))
    entries = Journal()
    for _ in range(4):
        entries.record({"method": "GET", "domain": "api", "path": "/api/x"})
    assert [e["time"] for e in entries.entries()] == [
        "1970-01-01T00:01:40.750Z",
        "1970-01-01T00:01:41.000Z",
        "1970-01-01T00:01:41.500Z",
        "1970-01-02T00:00:00.250Z",
    ]


@pytest.mark.parametrize(
    ("form", "kept", "truncated"),
    [
        (
            {"Type": "sms", "Address": "+15005550006"},
            {"Type": "sms", "Address": "+15005550006"},
            False,
        ),
        ({"Url": "https://u:p@h.example.com/"}, {"Url": "https://***:***@h.example.com/"}, False),
        ({"a@b": "x"}, {"a@b": "x"}, False),  # no URL in the name: nothing to mask
        ({"n" * (JOURNAL_VALUE_CHARS + 1): "x"}, None, True),  # a long name is cut
        ({"Repeated": ["1", "2"]}, {"Repeated": ["1", "2"]}, False),
        ({"Note": "y" * (JOURNAL_VALUE_CHARS + 5)}, None, True),
    ],
)
def test_journaled_forms(
    form: dict[str, Any], kept: dict[str, Any] | None, truncated: bool
) -> None:
    clean = sanitize({"method": "POST", "form": form})
    assert clean["truncated"] is truncated
    if kept is not None:
        assert clean["form"] == kept
    else:
        assert all(len(name) <= JOURNAL_VALUE_CHARS + 20 for name in clean["form"])


async def _base_of(headers: list[tuple[bytes, bytes]]) -> tuple[str, str]:
    seen: dict[str, Any] = {}

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.update(path=scope["path"], base=scope["state"][PUBLIC_BASE_STATE])

    async def receive() -> Message:
        raise AssertionError("not read")

    async def send(message: Message) -> None:
        raise AssertionError("not answered")

    scope = {"type": "http", "path": "/v1/Services", "headers": headers, "scheme": "http"}
    await HostRouting(app)(scope, receive, send)
    return seen["path"], seen["base"]


@pytest.mark.anyio
async def test_host_headers_route_the_same_the_second_time() -> None:
    for _ in range(2):  # the second time from the cache
        assert await _base_of([(b"host", b"conversations.twilio.com")]) == (
            "/conversations/v1/Services",
            _ROUTED_BASE,
        )
        assert await _base_of([(b"host", b"localhost:8123"), (b"host", b"other")]) == (
            "/v1/Services",
            "http://localhost:8123",
        )
        assert await _base_of([]) == ("/v1/Services", "http://127.0.0.1:80")


def test_dates_are_the_same_text_every_time() -> None:
    assert [iso(86400), iso(86400), iso(None)] == ["1970-01-02T00:00:00Z"] * 2 + [None]
    assert rfc2822(86400) == rfc2822(86400) == "Fri, 02 Jan 1970 00:00:00 +0000"


def test_a_transaction_lets_go_of_the_lock_however_it_ends() -> None:
    store = Store()

    def free_elsewhere() -> bool:
        taken: list[bool] = []

        def take() -> None:
            if store.try_acquire():
                taken.append(True)
                store.release()

        thread = threading.Thread(target=take)
        thread.start()
        thread.join(10)
        return taken == [True]

    with store.transaction() as tx:
        tx.insert("thing", "T1", AC, {"sid": "T1"}, key="k1")
    with pytest.raises(KeyError), store.transaction() as tx, store.transaction() as inner:
        inner.insert("thing", "T2", AC, {"sid": "T2"}, key="k2")
        raise KeyError("boom")
    with pytest.raises(ValueError), store.read():
        raise ValueError("boom")
    assert free_elsewhere()
    assert store.in_nested_transaction is False
    with store.transaction() as tx:  # a new transaction begins: the old one is gone
        assert [row["sid"] for row in tx.list("thing", AC)] == ["T1"]
    store.close()
