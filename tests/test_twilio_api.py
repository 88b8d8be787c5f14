"""twilio_api: plain records, page-by-page lists, and creates that look before they resend.

Against the emulator where it serves the resource; against Twilio's own OpenAPI
examples (served by a stand-in for the network under the gateway) for what the
audit reads and the emulator does not serve yet: Messaging Services, Flex Flows,
the Flex and Conversations configurations, TwiML apps.
"""

from __future__ import annotations

import ast
import inspect
import json
import math
import re
import ssl
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
import urllib3
from support.emulator import EmulatorHandle
from support.fake_twilio_api import FakeTwilioApi, public_operations
from support.openapi import SpecValidator
from twilio.http.http_client import TwilioHttpClient
from twilio.http.response import Response
from urllib3.exceptions import MaxRetryError

from pulumi_flex_sms import gateway, twilio_api
from pulumi_flex_sms.errors import RequestRejectedError, ServerError, TransportError
from pulumi_flex_sms.routing import AccountSnapshot

ROOT = Path(__file__).resolve().parents[1]
AC = "AC" + "1" * 32
ADDRESSES = "/conversations/v1/Configuration/Addresses"


@pytest.fixture
def configured(emulator: EmulatorHandle) -> Iterator[EmulatorHandle]:
    """The gateway in this process, pointed at the emulator with short retry waits."""
    gateway.configure(
        {
            "twilio:accountSid": emulator.account_sid,
            "twilio:authToken": emulator.auth_token,
            "flexsms:twilioBaseUrl": emulator.base_url,
            "flexsms:maxRetries": "2",
            "flexsms:maxRetryWaitSeconds": "0.05",
        },
        {},
    )
    yield emulator
    gateway.configure(None, {})


def raw_json(emulator: EmulatorHandle, path: str) -> dict[str, Any]:
    """What Twilio (the emulator) sent, read without twilio-python."""
    response = requests.get(
        f"{emulator.base_url}{path}", auth=(emulator.account_sid, emulator.auth_token), timeout=10
    )
    response.raise_for_status()
    return response.json()


def iso(rfc2822: str) -> str:
    return parsedate_to_datetime(rfc2822).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- records --------------------------------------------------------------------------------


def test_a_number_record_is_its_json_with_iso_dates(configured: EmulatorHandle) -> None:
    sid = configured.numbers[1].sid
    record = twilio_api.fetch_number(sid)
    sent = raw_json(
        configured,
        f"/api/2010-04-01/Accounts/{configured.account_sid}/IncomingPhoneNumbers/{sid}.json",
    )
    assert record is not None and set(record) == set(sent)
    dates = {"date_created", "date_updated"}
    assert {k: v for k, v in record.items() if k not in dates} == {
        k: v for k, v in sent.items() if k not in dates
    }
    assert record["date_created"] == iso(sent["date_created"])  # RFC 2822 on the wire


def test_an_address_configuration_record_is_its_json(configured: EmulatorHandle) -> None:
    outcome = twilio_api.create_address_configuration(
        {
            "type": "sms",
            "address": configured.number.phone_number,
            "auto_creation_enabled": True,
            "auto_creation_type": "studio",
            "auto_creation_studio_flow_sid": configured.flow_sid,
        },
        is_ours=lambda _: True,
    )
    assert isinstance(outcome, twilio_api.Confirmed)
    sent = raw_json(configured, f"{ADDRESSES}/{outcome.record['sid']}")
    assert outcome.record == sent
    assert twilio_api.fetch_address_configuration(configured.number.phone_number) == sent
    assert twilio_api.list_address_configurations() == [sent]


def test_a_snapshot_takes_the_records_as_they_are(configured: EmulatorHandle) -> None:
    flow = twilio_api.fetch_studio_flow(configured.flow_sid)
    assert flow is not None and isinstance(flow["definition"], dict)
    snapshot = AccountSnapshot.from_twilio(
        account_sid=twilio_api.account_sid(),
        numbers=twilio_api.list_numbers(),
        addresses=twilio_api.list_address_configurations(),
        conversation_services=twilio_api.list_conversation_services(),
        studio_flows=[flow],
    )
    assert {n.sid for n in snapshot.numbers} == {n.sid for n in configured.numbers}
    assert snapshot.conversation_services == {configured.service_sid}
    assert twilio_api.fetch_conversation_service(configured.service_sid) is not None
    assert twilio_api.fetch_studio_flow("FW" + "0" * 32) is None


# --- pages ----------------------------------------------------------------------------------


def seed_numbers(emulator: EmulatorHandle, numbers: list[str]) -> None:
    emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": emulator.account_sid,
                    "phone_numbers": [{"phone_number": n} for n in numbers],
                }
            ]
        }
    )


def test_a_list_costs_one_request_per_page_not_per_record(
    configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    seed_numbers(configured, [f"+1500555{i:04d}" for i in range(7100, 7107)])
    monkeypatch.setattr(twilio_api, "_PAGE_SIZE_2010", 3)
    configured.control.clear_requests()
    numbers = twilio_api.list_numbers()
    sids = [n["sid"] for n in numbers]
    assert len(sids) == len(set(sids)) == len(configured.numbers) + 7
    assert len(configured.requests()) == math.ceil(len(sids) / 3)


def test_find_number_matches_exactly_through_the_pages_of_a_pattern(
    configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twilio's PhoneNumber filter matches a pattern: +1500555001 also finds +15005550010...
    seed_numbers(configured, [*(f"+1500555001{i}" for i in range(5)), "+1500555001"])
    monkeypatch.setattr(twilio_api, "_PAGE_SIZE_FIND", 2)
    configured.control.clear_requests()
    assert twilio_api.find_number("+1500555001")["phone_number"] == "+1500555001"
    assert [r["query"].get("PhoneNumber") for r in configured.requests()] == ["+1500555001"] * 3


# --- a create whose answer is lost ----------------------------------------------------------


def test_the_look_before_resend_loop_waits_through_the_gateways_budget(
    configured: EmulatorHandle, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []
    monkeypatch.setattr(gateway, "_sleep", waits.append)
    configured.control.add_fault(ADDRESSES, method="POST", status=503, times=3)
    with pytest.raises(ServerError, match="none was created"):
        twilio_api.create_address_configuration(
            {"type": "sms", "address": configured.number.phone_number}, is_ours=lambda _: True
        )
    # Three tries (maxRetries 2), each looked up; a wait between tries, within the cap.
    assert [r["method"] for r in configured.requests()] == ["POST", "GET"] * 3
    assert len(waits) == 2 and all(0 <= w <= 0.05 for w in waits)


def test_a_lost_create_found_at_the_address_is_ours_or_occupied(
    configured: EmulatorHandle,
) -> None:
    params = {"type": "sms", "address": configured.number.phone_number}
    configured.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    assert isinstance(
        twilio_api.create_address_configuration(params, is_ours=lambda _: True),
        twilio_api.Confirmed,
    )
    configured.control.add_fault(ADDRESSES, method="POST", action="drop", times=1)
    other = {"type": "sms", "address": configured.numbers[2].phone_number}
    outcome = twilio_api.create_address_configuration(other, is_ours=lambda _: False)
    assert isinstance(outcome, twilio_api.Occupied)
    assert outcome.record["address"] == configured.numbers[2].phone_number


def test_a_create_refused_at_the_tls_handshake_fails_instead_of_staying_unconfirmed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Nothing is sent when the client refuses the certificate: no provisional create."""
    sent: list[str] = []

    def untrusted(_self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        sent.append(method)
        refused = ssl.SSLCertVerificationError(1, "[SSL: CERTIFICATE_VERIFY_FAILED]")
        raise requests.exceptions.SSLError(
            MaxRetryError(None, url, reason=urllib3.exceptions.SSLError(refused))
        )

    monkeypatch.setattr(TwilioHttpClient, "request", untrusted)
    monkeypatch.setattr(gateway, "_sleep", lambda _: None)
    gateway.configure(
        {"twilio:accountSid": AC, "twilio:authToken": "token", "flexsms:maxRetries": "1"}, {}
    )
    try:
        with pytest.raises(TransportError, match="TLS certificate is not trusted"):
            twilio_api.create_address_configuration(
                {"type": "sms", "address": "+15005550006"}, is_ours=lambda _: True
            )
    finally:
        gateway.configure(None, {})
    assert sent == ["POST"]  # never sent: no look-up for a lost answer, no pointless retry


def test_a_create_whose_answer_is_cut_short_is_found_by_its_look_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Twilio made it and the body broke off: the look-up finds it, no crash, no duplicate."""
    made = {"sid": "IG" + "a" * 32, "type": "sms", "address": "+15005550006"}
    sent: list[str] = []

    def network(_self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        sent.append(method)
        if method == "POST":
            raise requests.exceptions.ChunkedEncodingError("Connection broken: IncompleteRead")
        return Response(200, json.dumps(made))

    monkeypatch.setattr(TwilioHttpClient, "request", network)
    gateway.configure({"twilio:accountSid": AC, "twilio:authToken": "token"}, {})
    try:
        outcome = twilio_api.create_address_configuration(
            {"type": "sms", "address": "+15005550006"}, is_ours=lambda _: True
        )
    finally:
        gateway.configure(None, {})
    assert isinstance(outcome, twilio_api.Confirmed) and outcome.record["sid"] == made["sid"]
    assert sent == ["POST", "GET"]


def test_a_refused_url_names_the_property_that_carried_it(monkeypatch: pytest.MonkeyPatch) -> None:
    body = {"code": 21402, "message": "Invalid Url", "status": 400}

    def refuse(_self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
        return Response(400, json.dumps(body))

    monkeypatch.setattr(TwilioHttpClient, "request", refuse)
    gateway.configure({"twilio:accountSid": AC, "twilio:authToken": "token"}, {})
    try:
        with pytest.raises(RequestRejectedError) as info:
            twilio_api.update_number(
                "PN" + "0" * 32,
                {"sms_url": "", "sms_fallback_url": "https://fallback.example/sms"},
                number="+15005550006",
            )
    finally:
        gateway.configure(None, {})
    message = str(info.value)
    assert "Twilio error 21402" in message and "Invalid Url" in message
    assert info.value.code == 21402
    # Only the URL that was sent is named (a blank clears, Twilio does not refuse it).
    assert "sms_fallback_url is not a URL Twilio accepts" in message
    assert "sms_url or" not in message


# --- what the audit reads, served from Twilio's own examples --------------------------------

SPEC_OF_HOST = {
    "api": "twilio_api_v2010.json",
    "conversations": "twilio_conversations_v1.json",
    "messaging": "twilio_messaging_v1.json",
    "flex-api": "twilio_flex_v1.json",
    "studio": "twilio_studio_v2.json",
}


class TwilioExamples:
    """The network under the gateway, answering each GET with the spec's example for its path."""

    def __init__(self, spec_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.specs = {
            host: json.loads((spec_dir / name).read_text()) for host, name in SPEC_OF_HOST.items()
        }
        self.requested: list[str] = []
        self.missing: set[str] = set()
        outer = self

        def answer(_self: Any, method: str, url: str, *args: Any, **kwargs: Any) -> Response:
            parts = urlsplit(url)
            host = parts.hostname.split(".")[0] if parts.hostname else ""
            outer.requested.append(f"{method} {host}{parts.path}")
            assert len(outer.requested) < 50, "paging does not end"
            if parts.path in outer.missing:
                return Response(404, '{"code": 20404, "message": "not found", "status": 404}')
            # A next page (its URL carries a PageToken) is the spec's empty example.
            name = "readEmpty" if "PageToken" in parts.query else None
            return Response(200, json.dumps(outer.example(host, method, parts.path, name)))

        monkeypatch.setattr(TwilioHttpClient, "request", answer)

    def operation(self, host: str, method: str, path: str) -> dict[str, Any]:
        for template, item in self.specs[host]["paths"].items():
            pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
            if re.fullmatch(pattern, path) and method.lower() in item:
                return item[method.lower()]
        raise AssertionError(f"{method} {host}{path} is not a path in {SPEC_OF_HOST[host]}")

    def example(self, host: str, method: str, path: str, name: str | None = None) -> dict[str, Any]:
        content = self.operation(host, method, path)["responses"]["200"]["content"]
        examples = content["application/json"]["examples"]
        return (examples[name] if name else next(iter(examples.values())))["value"]

    def records(self, host: str, path: str) -> list[dict[str, Any]]:
        """The records of a list example (v1's ``meta.key``, else 2010's one list)."""
        body = self.example(host, "GET", path)
        if "meta" in body:
            return body[body["meta"]["key"]]
        [listed] = [v for k, v in body.items() if isinstance(v, list)]
        return listed

    def record(self, host: str, path: str) -> dict[str, Any]:
        """The record of a fetch example."""
        return self.example(host, "GET", path)


@pytest.fixture
def examples(spec: SpecValidator, monkeypatch: pytest.MonkeyPatch) -> Iterator[TwilioExamples]:
    gateway.configure({"twilio:accountSid": AC, "twilio:authToken": "token"}, {})
    yield TwilioExamples(spec.spec_dir, monkeypatch)
    gateway.configure(None, {})


#: Fields some copies of Twilio's examples show that twilio-python does not read, so no
#: record can carry them (the npm spec copy's Messaging Service has ``sending_windows``).
NOT_READ_BY_TWILIO_PYTHON = frozenset({"sending_windows"})


def same_fields(record: dict[str, Any] | None, example: dict[str, Any]) -> None:
    """Every field of the example, as it is (RFC 2822 dates as ISO 8601)."""
    assert record is not None
    for key, value in example.items():
        if key in NOT_READ_BY_TWILIO_PYTHON and key not in record:
            continue
        if key.startswith("date_") and isinstance(value, str) and "," in value:
            value = iso(value)
        assert record[key] == value, key


def test_audit_reads_take_twilios_examples_as_they_are(examples: TwilioExamples) -> None:
    services = twilio_api.list_messaging_services()
    [(service, numbers)] = services
    same_fields(service, examples.records("messaging", "/v1/Services")[0])
    sid = service["sid"]
    for got, want in zip(
        numbers, examples.records("messaging", f"/v1/Services/{sid}/PhoneNumbers"), strict=True
    ):
        same_fields(got, want)
    for got, want in zip(
        twilio_api.list_flex_flows(), examples.records("flex-api", "/v1/FlexFlows"), strict=True
    ):
        same_fields(got, want)
    same_fields(
        twilio_api.fetch_conversations_configuration(),
        examples.record("conversations", "/v1/Configuration"),
    )
    same_fields(
        twilio_api.fetch_flex_configuration(), examples.record("flex-api", "/v1/Configuration")
    )
    apps = f"/2010-04-01/Accounts/{AC}/Applications"
    same_fields(
        twilio_api.fetch_application("AP" + "a" * 32),
        examples.record("api", f"{apps}/AP{'a' * 32}.json"),
    )
    for got, want in zip(
        twilio_api.list_applications(), examples.records("api", f"{apps}.json"), strict=True
    ):
        same_fields(got, want)
    # One request per page: the services, each service's numbers, and one per other read.
    assert examples.requested[:-1] == [
        "GET messaging/v1/Services",
        f"GET messaging/v1/Services/{sid}/PhoneNumbers",
        "GET flex-api/v1/FlexFlows",
        "GET conversations/v1/Configuration",
        "GET flex-api/v1/Configuration",
        f"GET api{apps}/AP{'a' * 32}.json",
        f"GET api{apps}.json",
    ]
    assert examples.requested[-1].endswith("/Applications.json")  # the example's next page
    snapshot = AccountSnapshot.from_twilio(
        messaging_services=services,
        flex_flows=twilio_api.list_flex_flows(),
        conversations_configuration=twilio_api.fetch_conversations_configuration(),
        flex_configuration=twilio_api.fetch_flex_configuration(),
        applications=twilio_api.list_applications(),
    )
    assert snapshot.messaging_services[0].sid == sid


def test_an_account_without_flex_has_no_flex_configuration(examples: TwilioExamples) -> None:
    examples.missing.add("/v1/Configuration")
    assert twilio_api.fetch_flex_configuration() is None


# --- the seam -------------------------------------------------------------------------------


def test_the_fake_has_every_operation_with_the_same_signature() -> None:
    for name in public_operations():
        real = inspect.signature(getattr(twilio_api, name))
        fake = inspect.signature(getattr(FakeTwilioApi, name))
        assert list(fake.parameters)[1:] == list(real.parameters), name
        for parameter in real.parameters.values():
            assert fake.parameters[parameter.name].kind == parameter.kind, (name, parameter)


def calls_of(path: Path, owner: str, attribute: str) -> list[int]:
    """Lines of ``path`` that call ``owner.attribute(...)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == owner
    ]


def provider_path() -> list[Path]:
    """The package's modules but the emulator and the testing toolkit.

    Those two stand apart: the emulator plays Twilio, and the toolkit builds
    twilio-python clients for users' own tests against it.
    """
    package = ROOT / "pulumi_flex_sms"
    return [
        path
        for path in sorted(package.rglob("*.py"))
        if path.parts[len(package.parts)] not in ("emulator", "testing")
    ]


def test_only_twilio_api_walks_twilios_object_tree() -> None:
    package = ROOT / "pulumi_flex_sms"
    walkers = {
        str(path.relative_to(package))
        for path in provider_path()
        if calls_of(path, "gateway", "client")
    }
    assert walkers == {"twilio_api.py"}
    importers = {
        str(path.relative_to(package))
        for path in provider_path()
        if re.search(r"^\s*(from|import) twilio\b", path.read_text(encoding="utf-8"), re.M)
    }
    assert importers == {"gateway.py"}
