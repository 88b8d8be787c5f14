"""Lists read a page at a time from SQL: the same pages as cutting the whole list in
Python, filters with the same meaning, tokens bound to their list."""

from __future__ import annotations

import random
import re
from collections.abc import Iterator

import pytest
from support.emulator import EmulatorHandle, arabic_indic, list_error, validated_session

from pulumi_flex_sms.emulator import errors, store
from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.numbers.backend import number_filter
from pulumi_flex_sms.emulator.params import Form, PageRequest, PageResult, paginate, select_page
from pulumi_flex_sms.emulator.store import Row, Store, Transaction, Where

AC = "AC" + "1" * 32
OTHER = "AC" + "2" * 32


@pytest.fixture
def tx() -> Iterator[Transaction]:
    """A store of 600 ``thing`` rows of AC (seqs with gaps, interleaved with another
    account's and another kind's rows), every third one ``colour`` red."""
    db = Store()
    rng = random.Random(7)
    with db.transaction() as tx:
        for i in range(1000):
            account = OTHER if rng.random() < 0.2 else AC
            kind = "other" if rng.random() < 0.1 else "thing"
            data = {"sid": f"T{i}", "colour": "red" if i % 3 == 0 else "blue", "n": i}
            tx.insert(kind, f"T{i}", account, data, key=f"P{i % 4}/T{i}")
        for row in tx.list("thing", AC)[::7]:  # gaps, as after deletions
            tx.delete("thing", row["sid"])
        yield tx
    db.close()


def _reference(
    tx: Transaction, request: PageRequest, list_id: str, where: Where | None = None
) -> PageResult:
    """The page cut from the whole list in Python (how every list was served before)."""
    rows = tx.list("thing", AC)
    if where is not None:
        rows = [r for r in rows if r["colour"] == "red"]
    return paginate(rows, request, list_id)


def _walk(tx: Transaction, size: int, where: tuple[Where, ...], list_id: str) -> int:
    """Walk the list forwards and backwards by token, comparing every page; answers pages."""
    reference_where = where[0] if where else None
    request = PageRequest(size, 0, None)
    pages = 0
    while True:
        got = select_page(tx, "thing", AC, request, where=where)
        want = _reference(tx, request, list_id, reference_where)
        assert got == want
        pages += 1
        if got.previous_token is not None:
            back = PageRequest(size, request.page - 1, got.previous_token)
            assert select_page(tx, "thing", AC, back, where=where) == _reference(
                tx, back, list_id, reference_where
            )
        if got.next_token is None:
            return pages
        request = PageRequest(size, request.page + 1, got.next_token)


@pytest.mark.parametrize("size", [1, 7, 50, 1000])
def test_sql_pages_equal_the_whole_list_cut_in_python(tx: Transaction, size: int) -> None:
    count = len(tx.list("thing", AC))
    assert _walk(tx, size, (), f"thing/{AC}/") == max(1, -(-count // size))


def test_sql_filters_page_like_python_filters(tx: Transaction) -> None:
    red = (Where.equals("colour", "red"),)
    count = sum(r["colour"] == "red" for r in tx.list("thing", AC))
    assert _walk(tx, 13, red, f"thing/{AC}/") == -(-count // 13)


@pytest.mark.parametrize("page", [0, 1, 5, 40, 10**18])
def test_pages_by_offset_equal_python(tx: Transaction, page: int) -> None:
    request = PageRequest(10, page, None)
    assert select_page(tx, "thing", AC, request) == _reference(tx, request, f"thing/{AC}/")


def test_a_page_before_a_token_links_to_the_next(tx: Transaction) -> None:
    first = select_page(tx, "thing", AC, PageRequest(5, 0, None))
    second = select_page(tx, "thing", AC, PageRequest(5, 1, first.next_token))
    back = select_page(tx, "thing", AC, PageRequest(5, 0, second.previous_token))
    assert [r["sid"] for r in back.items] == [r["sid"] for r in first.items]
    assert back.previous_token is None and back.next_token == first.next_token


def test_children_by_key_prefix(tx: Transaction) -> None:
    got = select_page(tx, "thing", AC, PageRequest(1000, 0, None), key_prefix="P1/")
    assert [r["sid"] for r in got.items] == [
        r["sid"] for r in tx.list("thing", AC) if r.get("n", -1) % 4 == 1
    ]


def test_a_page_decodes_only_its_rows(tx: Transaction, monkeypatch: pytest.MonkeyPatch) -> None:
    decoded: list[int] = []
    real = store._row

    def counting(seq: int, data: str) -> Row:
        decoded.append(seq)
        return real(seq, data)

    monkeypatch.setattr(store, "_row", counting)
    first = select_page(tx, "thing", AC, PageRequest(20, 0, None))
    select_page(tx, "thing", AC, PageRequest(20, 1, first.next_token))
    assert len(decoded) <= 2 * 21


@pytest.mark.parametrize(
    "token",
    [
        "PA5-00000000",  # a tag of another list
        "PAx",
        "PA5-abc",
        "PA5-0123456789",
        "PC5",
    ],
)
def test_tokens_that_are_not_this_lists_are_refused(tx: Transaction, token: str) -> None:
    with pytest.raises(errors.InvalidPageToken) as err:
        select_page(tx, "thing", AC, PageRequest(5, 1, token, token_error_code=21481))
    assert err.value.code == 21481 and err.value.status == 400


def test_a_token_of_one_list_is_refused_by_another(tx: Transaction) -> None:
    token = select_page(tx, "thing", AC, PageRequest(5, 0, None)).next_token
    assert token is not None and re.fullmatch(r"PA[0-9]+-[0-9a-f]{8}", token)
    for kind, account, prefix in (
        ("other", AC, None),
        ("thing", OTHER, None),
        ("thing", AC, "P1/"),
    ):
        with pytest.raises(errors.InvalidPageToken):
            select_page(tx, kind, account, PageRequest(5, 1, token), key_prefix=prefix)
    # Tokens as the emulator issued them before (no tag) still page.
    bare = token.partition("-")[0]
    assert select_page(tx, "thing", AC, PageRequest(5, 1, bare)).items == (
        select_page(tx, "thing", AC, PageRequest(5, 1, token)).items
    )


# -- PhoneNumber: the same numbers as the regular expression it replaced ---------------


def _python_match(value: str, number: str) -> bool:
    """How the filter was applied before: each ``*`` a digit, the rest literal, anywhere."""
    pattern = "".join("[0-9]" if ch == "*" else re.escape(ch) for ch in value.strip())
    return re.search(pattern, number) is not None


NUMBERS = ["+15005550001", "+15005550002", "+14155550123", "+442071838750", "+15005559999"]


@pytest.mark.parametrize(
    "value",
    [
        "+15005550001",
        "+1500555000",
        "555",
        "0001",
        "*0001",
        "+1*00555*00*",
        "+1**5",
        "5*5",
        "+",
        "",
        "  555  ",
        "**************",
        "1+5",
        "+15005550001 ",
        "50?5",
        "[5]",
        "5]",
        arabic_indic("555"),  # not digits to Twilio's patterns
        "+1500\x00",
        "%",
        "_",
    ],
)
def test_phone_number_filter_matches_like_the_pattern(value: str) -> None:
    db = Store()
    with db.transaction() as tx:
        for i, number in enumerate(NUMBERS):
            tx.insert(store.NUMBER, f"PN{i}", AC, {"phone_number": number}, key=number)
        page = select_page(
            tx, store.NUMBER, AC, PageRequest(50, 0, None), where=(number_filter(value),)
        )
    db.close()
    assert [r["phone_number"] for r in page.items] == [
        n for n in NUMBERS if _python_match(value, n)
    ]


@pytest.mark.parametrize(
    ("value", "search"),
    [
        ("+15005550001", "key>? AND key<?"),  # a range of the index
        ("+1500*55", "key>? AND key<?"),
        ("5550*01", "key>?"),  # the account's keys, on the index: no row is read
    ],
)
def test_phone_number_filters_read_the_key_index(value: str, search: str) -> None:
    db = Store()
    sql, args = store._conditions(store.NUMBER, AC, (number_filter(value),), None)
    plan = db._conn.execute(
        f"EXPLAIN QUERY PLAN SELECT seq, data FROM resources WHERE {sql} ORDER BY seq", args
    ).fetchall()
    db.close()
    steps = [step[3] for step in plan]
    index = "USING COVERING INDEX resources_unique_key (kind=? AND account_sid=? AND "
    assert any(step.endswith(index + search + ")") for step in steps), steps


def test_backend_lists_page_through_thousands_of_rows() -> None:
    db = Store()
    backend = Backend(db, AC, "token")
    numbers = [f"+1500{i:07d}" for i in range(1500)]
    with db.transaction():
        for number in numbers:
            backend.numbers.create_phone_number(AC, Form.of(PhoneNumber=number))
            backend.conversations.create_address_configuration(
                AC, Form.of(Type="sms", Address=number)
            )
    seen: list[str] = []
    query = Form.of(PageSize="50")
    while True:
        page = backend.conversations.list_address_configurations(AC, query)
        seen += [r["address"] for r in page.items]
        if page.next_token is None:
            break
        query = Form.of(PageSize="50", PageToken=page.next_token, Type="SMS")
    assert seen == numbers
    query = Form.of(PhoneNumber="*0001*9", PageSize="1000")
    found = backend.numbers.list_phone_numbers(AC, query)
    wanted = [n for n in numbers if _python_match("*0001*9", n)]
    assert [r["phone_number"] for r in found.items] == wanted and 50 < len(wanted) < 1000
    db.close()


# -- over HTTP ----------------------------------------------------------------------


def test_a_token_of_another_list_is_a_400_with_the_lists_code(emulator: EmulatorHandle) -> None:
    client = emulator.client()
    numbers = client.api.v2010.account.incoming_phone_numbers
    token = numbers.page(page_size=1).next_page_url
    assert token is not None
    token = token.partition("PageToken=")[2]
    session = validated_session((emulator.account_sid, emulator.auth_token))
    apps = f"{emulator.base_url}/api/2010-04-01/Accounts/{emulator.account_sid}/Applications.json"
    response = session.get(apps, params={"PageToken": token})
    assert response.status_code == 400 and response.json()["code"] == 21481
    assert "PageToken" in response.json()["message"]
    status, body = list_error(
        lambda: client.conversations.v1.address_configurations.page(page_token=token)
    )
    assert (status, body["code"]) == (400, 20001)


def test_previous_page_links_forward_again(emulator: EmulatorHandle) -> None:
    numbers = emulator.client().api.v2010.account.incoming_phone_numbers
    first = numbers.page(page_size=1)
    second = first.next_page()
    back = second.previous_page()
    assert [n.sid for n in back] == [n.sid for n in first]
    assert [n.sid for n in back.next_page()] == [n.sid for n in second]


#: Each list's ``PageSize`` maximum, as its operation's ``parameters`` in Twilio's
#: OpenAPI specs give it (twilio/twilio-oai ``spec/json``): a client may ask for
#: that many (twilio-python's ``list(limit=n)`` sends ``PageSize=n``), not one more.
PAGE_SIZE_MAXIMA = {
    "conversations services": (lambda c: c.conversations.v1.services, 100),
    "address configurations": (lambda c: c.conversations.v1.address_configurations, 50),
    "conversations": (lambda c: c.conversations.v1.conversations, 100),
    "studio flows": (lambda c: c.studio.v2.flows, 1000),
    "messaging services": (lambda c: c.messaging.v1.services, 1000),
    "flex flows": (lambda c: c.flex_api.v1.flex_flow, 1000),
    "phone numbers": (lambda c: c.api.v2010.account.incoming_phone_numbers, 1000),
    "local numbers": (lambda c: c.api.v2010.account.incoming_phone_numbers.local, 1000),
    "mobile numbers": (lambda c: c.api.v2010.account.incoming_phone_numbers.mobile, 1000),
    "toll-free numbers": (lambda c: c.api.v2010.account.incoming_phone_numbers.toll_free, 1000),
    "applications": (lambda c: c.api.v2010.account.applications, 1000),
}


@pytest.mark.parametrize("name", sorted(PAGE_SIZE_MAXIMA))
def test_page_size_bounds_are_the_specs(emulator: EmulatorHandle, name: str) -> None:
    pick, maximum = PAGE_SIZE_MAXIMA[name]
    listing = pick(emulator.client())
    listing.page(page_size=maximum)  # a refused page raises
    status, body = list_error(lambda: listing.page(page_size=maximum + 1))
    # https://www.twilio.com/docs/api/errors/20007: "Page size too large"
    assert (status, body["code"]) == (400, 20007) and "PageSize" in body["message"]
