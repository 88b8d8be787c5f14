"""Hostile documents and numbers get a 4xx naming what is wrong, never a 500 or a hang.

Seeds, faults and Studio flow definitions are read by one reader
(emulator/documents.py) within the limits of emulator/limits.py: nesting,
YAML alias expansion, JSON numbers (no NaN/Infinity, integers within RFC 8259's
interoperable range). No answer ever carries a bare ``NaN`` or ``Infinity``.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from support.emulator import EmulatorHandle, arabic_indic, full_width, validated_session

from pulumi_flex_sms.emulator.limits import MAX_DOCUMENT_DEPTH

YAML = {"Content-Type": "application/yaml"}
JSON = {"Content-Type": "application/json"}


def _post(emulator: EmulatorHandle, endpoint: str, text: str, headers: dict) -> Any:
    return requests.post(
        f"{emulator.base_url}/_emulator/{endpoint}", data=text.encode(), headers=headers, timeout=60
    )


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def _bomb(name: str, levels: int, alias: str, first: str) -> str:
    """A seed whose flow definition holds a YAML bomb: anchor ``i`` repeats anchor ``i-1``."""
    lines = [
        "studio_flows:",
        f"  - friendly_name: {name}",
        "    definition:",
        f"      b0: &b0 {first}",
    ]
    for i in range(1, levels):
        lines.append(f"      b{i}: &b{i} " + alias.replace("PREV", f"*b{i - 1}"))
    return "\n".join(lines)


#: "Billion laughs": 10 strings, then 10 aliases of the one before, 6 times over:
#: 10**6 strings once expanded (an emulator that expands it still answers, wrongly 200).
LAUGHS = _bomb(
    "Laughs", 6, "[" + ", ".join(["PREV"] * 10) + "]", "[" + ", ".join(["lol"] * 10) + "]"
)
#: Merge keys copy (key, value) pairs while loading: the same bomb, another way.
MERGES = _bomb(
    "Merges",
    6,
    "{<<: [" + ", ".join(["PREV"] * 10) + "]}",
    "{" + ", ".join(f"k{i}: {i}" for i in range(10)) + "}",
)


@pytest.mark.parametrize(
    ("text", "headers", "words"),
    [
        ('{"phone_numbers": ' + _nested(10_000) + "}", JSON, "nested deeper than"),
        ("phone_numbers: " + _nested(10_000), YAML, "nested deeper than"),
        ('{"phone_numbers": ' + _nested(MAX_DOCUMENT_DEPTH + 1) + "}", JSON, "nested deeper"),
        (LAUGHS, YAML, "expands to more than"),
        (MERGES, YAML, "expands to more than"),
        ("studio_flows: [{friendly_name: Loop, definition: &a {x: [*a]}}]", YAML, "alias"),
        ('{"studio_flows": [{"friendly_name": "F", "definition": {"x": NaN}}]}', JSON, "NaN"),
        ('{"studio_flows": [{"friendly_name": "F", "definition": {"x": 1e999}}]}', JSON, "range"),
        ("studio_flows: [{friendly_name: F, definition: {x: .inf}}]", YAML, "finite"),
        ('{"phone_numbers": [{"phone_number": 1' + "0" * 30 + "}]}", JSON, "range"),
        ("studio_flows: [{friendly_name: F, definition: {when: 2026-01-01}}]", YAML, "date"),
        ('{"settings": {"duplicate_address_error": {"status": 1000}}}', JSON, "status"),
        ('{"settings": {"duplicate_address_error": {"status": 99}}}', JSON, "status"),
        (
            json.dumps({"settings": {"duplicate_address_error": {"status": full_width("400")}}}),
            JSON,
            "status",
        ),
    ],
)
def test_hostile_seeds_are_refused_whole(
    emulator: EmulatorHandle, text: str, headers: dict, words: str
) -> None:
    before = emulator.control.state()
    response = _post(emulator, "seed", text, headers)
    assert response.status_code == 400, response.text[:300]
    assert response.json()["code"] == 20001
    assert words in response.json()["message"]
    assert emulator.control.state() == before


def test_aliases_within_the_limit_are_fine(emulator: EmulatorHandle) -> None:
    text = """
studio_flows:
  - friendly_name: Shared states
    definition:
      state: &state {name: Trigger, type: trigger, transitions: [], properties: {}}
      states: [*state, *state, *state]
"""
    response = _post(emulator, "seed", text, YAML)
    assert response.status_code == 200, response.text
    [flow] = response.json()["accounts"][0]["studio_flows"]
    fetched = emulator.client().studio.v2.flows(flow["sid"]).fetch()
    assert fetched.definition["states"] == [fetched.definition["state"]] * 3


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"path": "/x", "status": NaN}', "NaN"),
        ('{"path": "/x", "times": 1e999}', "range"),
        ('{"path": "/x", "action": "delay", "seconds": 1e300}', "fault.seconds"),
        ('{"path": "/x", "retry_after": 1e300}', "fault.retry_after"),
        ('{"path": "/x", "status": 99}', "fault.status"),
        ('{"path": "/x", "status": 1000}', "fault.status"),
        ('{"path": "/x", "code": -1}', "fault.code"),
        ('{"path": "/x", "method": {"GET": 1}}', "fault.method"),
        ('{"path": "/x", "message": ["a"]}', "fault.message"),
        ('{"path": "/' + "*" * 2000 + '"}', "fault.path"),
        ('{"path": "/x", "x": ' + _nested(10_000) + "}", "nested deeper than"),
    ],
)
def test_hostile_faults_are_refused(emulator: EmulatorHandle, text: str, words: str) -> None:
    response = _post(emulator, "faults", text, JSON)
    assert response.status_code == 400, response.text[:300]
    assert words in response.json()["message"]
    assert emulator.control.faults() == []


def test_simulated_sms_documents_are_read_the_same_way(emulator: EmulatorHandle) -> None:
    response = _post(emulator, "simulate/inbound-sms", '{"from": ' + _nested(5000) + "}", JSON)
    assert response.status_code == 400
    assert "nested deeper than" in response.json()["message"]


@pytest.mark.parametrize(
    ("definition", "words"),
    [
        ('{"a": ' * 5000 + "1" + "}" * 5000, "nested deeper than"),
        ('{"initial_state": "Trigger", "x": NaN}', "NaN"),
        ('{"initial_state": "Trigger", "x": -Infinity}', "Infinity"),
        ('{"initial_state": "Trigger", "x": 1e400}', "range"),
    ],
)
def test_studio_definitions_are_checked(
    emulator: EmulatorHandle, definition: str, words: str
) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    flows = f"{emulator.base_url}/studio/v2/Flows"
    for url, fields in (
        (flows, {"FriendlyName": "F", "Status": "draft"}),
        (f"{flows}/{emulator.flow_sid}", {"Status": "draft"}),
    ):
        response = session.post(url, data={**fields, "Definition": definition})
        assert response.status_code == 400, response.text[:300]
        body = response.json()
        assert body["code"] == 20001
        assert body["message"].startswith("Invalid Definition: ") and words in body["message"]
        assert "NaN" not in response.text.replace("'NaN'", "").replace(" NaN ", "")
    assert emulator.client().studio.v2.flows(emulator.flow_sid).fetch().revision == 1


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"PageToken": "PA" + "9" * 5000}, "PageToken"),
        ({"PageToken": "PA" + arabic_indic("3")}, "PageToken"),
        ({"PageToken": "PA1\n"}, "PageToken"),
        ({"PageSize": full_width("5")}, "PageSize"),
        ({"PageSize": "1_0"}, "PageSize"),
        ({"Page": "9" * 5000}, "Page"),
    ],
)
def test_page_parameters_take_ascii_digits_only(
    emulator: EmulatorHandle, query: dict, parameter: str
) -> None:
    session = validated_session((emulator.account_sid, emulator.auth_token))
    for url in (
        f"{emulator.base_url}/conversations/v1/Configuration/Addresses",
        f"{emulator.base_url}/api/2010-04-01/Accounts/{emulator.account_sid}"
        "/IncomingPhoneNumbers.json",
    ):
        response = session.get(url, params=query)
        assert response.status_code == 400, response.text[:300]
        assert parameter in response.json()["message"]
