"""Emulator pieces on their own: store transactions, paging tokens, globs, wire formats."""

from __future__ import annotations

import json
import locale
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from pulumi_flex_sms.emulator import errors
from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.faults import FaultRegistry, path_matches
from pulumi_flex_sms.emulator.params import Form, PageRequest, paginate
from pulumi_flex_sms.emulator.store import Conflict, Row, Store
from pulumi_flex_sms.emulator.wire import iso, rfc2822

AC = "AC" + "1" * 32


def test_a_failed_transaction_leaves_nothing(tmp_path: Path) -> None:
    store = Store(tmp_path / "s.sqlite3")
    with store.transaction() as tx:
        tx.insert("thing", "T1", AC, {"sid": "T1"}, key="k1")
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.insert("thing", "T2", AC, {"sid": "T2"}, key="k2")
        with store.transaction() as inner:  # joins the outer transaction
            inner.insert("thing", "T3", AC, {"sid": "T3"}, key="k3")
        raise RuntimeError("boom")
    with store.transaction() as tx:
        assert [row["sid"] for row in tx.list("thing", AC)] == ["T1"]
        with pytest.raises(Conflict):
            tx.insert("thing", "T4", AC, {"sid": "T4"}, key="k1")  # unique key per account
        tx.insert("thing", "T5", "AC" + "2" * 32, {"sid": "T5"}, key="k1")  # other account: fine
    store.close()
    reopened = Store(tmp_path / "s.sqlite3")
    with reopened.transaction() as tx:
        assert [row["sid"] for row in tx.list("thing")] == ["T1", "T5"]
    reopened.close()


def test_store_is_safe_across_threads() -> None:
    store = Store()

    def insert(offset: int) -> None:
        for i in range(50):
            with store.transaction() as tx:
                sid = f"T{offset}-{i}"
                tx.insert("thing", sid, AC, {"sid": sid}, key=sid)

    threads = [threading.Thread(target=insert, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with store.transaction() as tx:
        rows = tx.list("thing", AC)
    assert len(rows) == 300 and len({r.seq for r in rows}) == 300


def _rows(n: int) -> list[Row]:
    rows = []
    for i in range(n):
        row = Row({"sid": f"R{i}"})
        row.seq = (i + 1) * 10  # gaps, as after deletions
        rows.append(row)
    return rows


def test_paging_tokens_walk_forwards_and_backwards() -> None:
    rows = _rows(5)
    first = paginate(rows, PageRequest(page_size=2, page=0, token=None))
    assert [r["sid"] for r in first.items] == ["R0", "R1"]
    assert (first.next_token, first.previous_token) == ("PA20", None)
    second = paginate(rows, PageRequest(2, 1, first.next_token))
    assert [r["sid"] for r in second.items] == ["R2", "R3"]
    last = paginate(rows, PageRequest(2, 2, second.next_token))
    assert [r["sid"] for r in last.items] == ["R4"] and last.next_token is None
    back = paginate(rows, PageRequest(2, 1, last.previous_token))
    assert [r["sid"] for r in back.items] == ["R2", "R3"]
    by_offset = paginate(rows, PageRequest(2, 2, None))
    assert [r["sid"] for r in by_offset.items] == ["R4"]


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ({"PageSize": "0"}, "PageSize"),
        ({"PageSize": "51"}, "PageSize"),
        ({"PageSize": "ten"}, "PageSize"),
        ({"Page": "-1"}, "Page"),
        ({"PageToken": "garbage"}, "PageToken"),
    ],
)
def test_bad_paging_parameters(query: dict[str, str], words: str) -> None:
    with pytest.raises(errors.InvalidParameter, match=words) as err:
        PageRequest.parse(Form.of(**query), max_page_size=50, token_error_code=21481)
    assert err.value.status == 400


def test_a_page_size_over_the_maximum_is_20007() -> None:
    with pytest.raises(errors.PageSizeTooLarge) as err:
        PageRequest.parse(Form.of(PageSize="51"), max_page_size=50, token_error_code=20001)
    assert (err.value.status, err.value.code, err.value.parameter) == (400, 20007, "PageSize")


def test_page_token_error_code_is_per_api() -> None:
    with pytest.raises(errors.InvalidPageToken) as err:
        PageRequest.parse(Form.of(PageToken="x"), max_page_size=1000, token_error_code=21481)
    assert err.value.code == 21481


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("/a/b", "/a/b", True),
        ("/a/*", "/a/b", True),
        ("/a/*", "/a/b/c", False),
        ("/a/**", "/a/b/c", True),
        (
            "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*",
            "/api/2010-04-01/Accounts/AC1/IncomingPhoneNumbers/PN1.json",
            True,
        ),
        (
            "/api/2010-04-01/Accounts/*/IncomingPhoneNumbers/*",
            "/api/2010-04-01/Accounts/AC1/IncomingPhoneNumbers.json",
            False,
        ),
        ("/x/+1555", "/x/+1555", True),
        ("/x/?", "/x/ab", False),
    ],
)
def test_path_globs(pattern: str, path: str, matches: bool) -> None:
    assert path_matches(pattern, path) is matches


def test_faults_are_used_up_exactly_under_contention() -> None:
    registry = FaultRegistry()
    registry.add({"path": "/a", "times": 25, "status": 503})
    taken = []

    def take() -> None:
        for _ in range(20):
            if registry.take("GET", "/a"):
                taken.append(1)

    threads = [threading.Thread(target=take) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(taken) == 25


@pytest.mark.parametrize(
    ("status", "cls", "code"),
    [
        (429, errors.TooManyRequests, 20429),
        (500, errors.InternalServerError, 20500),
        (503, errors.ServiceUnavailable, 20503),
        (502, errors.ApiError, 20502),
    ],
)
def test_error_for_status(status: int, cls: type, code: int) -> None:
    error = errors.error_for_status(status)
    assert type(error) is cls and (error.status, error.code) == (status, code)
    assert error.body()["more_info"] == f"https://www.twilio.com/docs/errors/{code}"


def test_auth_error_body_is_twilios() -> None:
    body = errors.AuthenticationError("Authentication Error - invalid username").body()
    assert body["detail"] == "Your AccountSid or AuthToken was incorrect."
    assert "type" not in body and "title" not in body


def test_dates_do_not_follow_the_locale() -> None:
    ts = 1438298344  # Thu, 30 Jul 2015 23:19:04 +0000 (the spec's example)
    try:
        previous = locale.setlocale(locale.LC_TIME)
        locale.setlocale(locale.LC_TIME, "de_DE.UTF-8")
    except locale.Error:
        previous = None
    try:
        assert rfc2822(ts) == "Thu, 30 Jul 2015 23:19:04 +0000"
        assert iso(ts) == "2015-07-30T23:19:04Z"
    finally:
        if previous is not None:
            locale.setlocale(locale.LC_TIME, previous)


def test_backend_without_http(tmp_path: Path) -> None:
    """The backend's rules hold with no server at all (moto style)."""
    backend = Backend(Store(), AC, "token", clock=lambda: 1_000_000)
    assert backend.accounts.authenticate(AC, "token") == AC
    assert backend.accounts.authenticate(AC, "nope") is None
    number = backend.numbers.create_phone_number(AC, Form.of(PhoneNumber="+15005550001"))
    config = backend.conversations.create_address_configuration(
        AC, Form.of(Type="sms", Address="+15005550001", AutoCreation__Enabled="true")
    )
    assert config["date_created"] == 1_000_000
    conversations = backend.conversations
    assert conversations.fetch_address_configuration(AC, "+15005550001")["sid"] == config["sid"]
    backend.numbers.release_phone_number(AC, number["sid"])
    with pytest.raises(errors.NotFound):
        conversations.fetch_address_configuration(AC, config["sid"])


def test_the_default_store_keeps_its_rows_out_of_the_process() -> None:
    # SQLite's private temporary database: rows beyond its page cache live in the
    # operating system's file cache, so 32 MiB of rows grow the process by little
    # (a ":memory:" database grows it by all of them).
    script = """
import json
from pulumi_flex_sms.emulator.store import Store

def rss_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

store = Store()
before = rss_kib()
with store.transaction() as tx:
    for i in range(32 * 1024):
        tx.insert("thing", f"T{i}", "AC1", {"sid": f"T{i}", "pad": "x" * 1000}, key=None)
print(json.dumps({"grew_kib": rss_kib() - before, "rows": tx.count()}))
store.close()
"""
    if not Path("/proc/self/status").exists():
        pytest.skip("reads VmRSS from /proc")
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )
    figures = json.loads(done.stdout)
    assert figures["rows"] == 32 * 1024
    assert figures["grew_kib"] < 12 * 1024, figures
