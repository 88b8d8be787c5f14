"""twilio-python, unmodified, reaches the emulator through its proxy.

No custom HTTP client and no base URL: a fresh interpreter with only
``HTTPS_PROXY``, ``REQUESTS_CA_BUNDLE`` and the credentials in its environment
(twilio-python's requests session reads both, ``Session.merge_environment_settings``).
Every answer is checked against Twilio's OpenAPI specs by the recorder
(conftest.py), as the host it was addressed to.
"""

from __future__ import annotations

import itertools

import pytest
from support.emulator import STANDARD
from support.openapi import spec_validator
from support.proxy import Proxied, run_python

pytestmark = pytest.mark.spec

ADDRESSES = "/conversations/v1/Configuration/Addresses"


def test_create_list_and_fetch_an_address_configuration(proxy: Proxied) -> None:
    number = STANDARD.numbers[0].phone_number
    result = run_python(
        f"""
import json
from twilio.rest import Client
client = Client()
created = client.conversations.v1.address_configurations.create(type="sms", address="{number}")
listed = client.conversations.v1.address_configurations.list()
fetched = client.conversations.v1.address_configurations(created.sid).fetch()
print(json.dumps({{"sid": created.sid, "url": created.url, "listed": [c.sid for c in listed],
                  "fetched": [fetched.address, fetched.url]}}))
""",
        proxy.python_env(),
    )
    sid = result["sid"]
    twilio_url = f"https://conversations.twilio.com/v1/Configuration/Addresses/{sid}"
    assert result["url"] == twilio_url
    assert result["listed"] == [sid]
    assert result["fetched"] == [number, twilio_url]
    # The same backend and journal as the direct routes: the emulator's own paths.
    journal = [(e["method"], e["path"], e["status"]) for e in proxy.control.requests()]
    assert journal == [
        ("POST", ADDRESSES, 201),
        ("GET", ADDRESSES, 200),
        ("GET", f"{ADDRESSES}/{sid}", 200),
    ]
    tunnelled = [e for e in proxy.recorder.exchanges if e.tunnelled]
    assert [e.url.split("?")[0] for e in tunnelled] == [
        "https://conversations.twilio.com/v1/Configuration/Addresses",
        "https://conversations.twilio.com/v1/Configuration/Addresses",
        twilio_url,
    ]
    assert proxy.recorder.validated == (3 if spec_validator() else 0)


def test_paging_follows_next_page_url_through_the_proxy(proxy: Proxied, spec_checked: None) -> None:
    numbers = [n.phone_number for n in STANDARD.numbers]
    result = run_python(
        f"""
import json
from twilio.rest import Client
client = Client()
for number in {numbers!r}:
    client.conversations.v1.address_configurations.create(type="sms", address=number)
page = client.conversations.v1.address_configurations.page(page_size=1)
urls = [page.next_page_url]
listed = [c.address for c in client.conversations.v1.address_configurations.list(page_size=1)]
print(json.dumps({{"listed": listed, "next": urls}}))
""",
        proxy.python_env(),
    )
    assert sorted(result["listed"]) == sorted(numbers)
    assert result["next"][0].startswith(
        "https://conversations.twilio.com/v1/Configuration/Addresses?PageSize=1&Page=1&PageToken="
    )
    lists = [e for e in proxy.recorder.exchanges if e.method == "GET" and e.tunnelled]
    # page() once, then list(): three pages, each reached by its predecessor's next_page_url.
    assert len(lists) == 4
    pages = [e.json()["meta"] for e in lists[1:]]
    assert [m["page"] for m in pages] == [0, 1, 2]
    for previous, following in itertools.pairwise(lists[1:]):
        assert previous.json()["meta"]["next_page_url"] == following.url
    assert pages[-1]["next_page_url"] is None
    assert proxy.recorder.validated == 7  # 3 creates + 4 pages, every one validated


def test_an_unknown_sid_is_twilios_404(proxy: Proxied) -> None:
    missing = "IG" + "0" * 32
    result = run_python(
        f"""
import json
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException
try:
    Client().conversations.v1.address_configurations("{missing}").fetch()
except TwilioRestException as exc:
    print(json.dumps([exc.status, exc.code, exc.msg]))
""",
        proxy.python_env(),
    )
    assert result[:2] == [404, 20404]
    # Twilio's message, the same as on the direct route: nothing of the proxy in it.
    assert f"/Configuration/Addresses/{missing} was not found" in result[2]
    assert "/conversations" not in result[2]


def test_regional_and_edge_hosts(proxy: Proxied) -> None:
    number = STANDARD.numbers[1].phone_number
    result = run_python(
        f"""
import json
from twilio.rest import Client
client = Client(region="ie1", edge="dublin")
created = client.conversations.v1.address_configurations.create(type="sms", address="{number}")
listed = client.conversations.v1.address_configurations.list(page_size=1)
au = Client(region="au1")  # a region without an edge
print(json.dumps({{"url": created.url, "listed": [c.sid for c in listed],
                  "au": [c.sid for c in au.conversations.v1.address_configurations.list()]}}))
""",
        proxy.python_env(),
    )
    assert result["url"].startswith(
        "https://conversations.dublin.ie1.twilio.com/v1/Configuration/Addresses/IG"
    )
    assert result["listed"] == result["au"] == [result["url"].rsplit("/", 1)[1]]
    hosts = [e.url.split("/")[2] for e in proxy.recorder.exchanges if e.tunnelled]
    assert hosts == [
        "conversations.dublin.ie1.twilio.com",
        "conversations.dublin.ie1.twilio.com",
        "conversations.au1.twilio.com",
    ]


def test_numbers_and_flows_through_their_own_hosts(proxy: Proxied, spec_checked: None) -> None:
    account, flow = STANDARD.account_sid, STANDARD.flow_sid
    result = run_python(
        f"""
import json
from twilio.rest import Client
client = Client()
numbers = client.incoming_phone_numbers.list(phone_number="{STANDARD.numbers[1].phone_number}")
updated = client.incoming_phone_numbers(numbers[0].sid).update(sms_url="")
flow = client.studio.v2.flows("{flow}").fetch()
print(json.dumps({{"uri": updated.uri, "sms_url": updated.sms_url,
                  "flow": [flow.url, flow.webhook_url]}}))
""",
        proxy.python_env(),
    )
    assert result["uri"] == (
        f"/2010-04-01/Accounts/{account}/IncomingPhoneNumbers/{STANDARD.numbers[1].sid}.json"
    )
    assert result["sms_url"] == ""
    assert result["flow"] == [
        f"https://studio.twilio.com/v2/Flows/{flow}",
        f"https://webhooks.twilio.com/v1/Accounts/{account}/Flows/{flow}",
    ]
    hosts = {e.url.split("/")[2] for e in proxy.recorder.exchanges if e.tunnelled}
    assert hosts == {"api.twilio.com", "studio.twilio.com"}
    assert proxy.recorder.validated == 3


def test_the_gate_applies_through_the_proxy(proxy: Proxied) -> None:
    """Authentication and injected faults are the same app's, whichever port."""
    proxy.control.add_fault(ADDRESSES, method="POST", status=503, code=20503)
    env = proxy.python_env()
    script = f"""
import json
from twilio.rest import Client
from twilio.base.exceptions import TwilioRestException
try:
    Client().conversations.v1.address_configurations.create(
        type="sms", address="{STANDARD.numbers[0].phone_number}")
except TwilioRestException as exc:
    print(json.dumps([exc.status, exc.code]))
"""
    assert run_python(script, env) == [503, 20503]
    assert run_python(script, {**env, "TWILIO_AUTH_TOKEN": "wrong"}) == [401, 20003]
    entries = proxy.control.requests()
    assert [(e["fault"], e["status"]) for e in entries] == [("error", 503), (None, 401)]
