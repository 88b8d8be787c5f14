"""The program ``flex-sms audit --emit-pulumi`` writes, deployed as `pulumi up` would deploy it.

The audit runs (in this process) against a seeded emulator with every kind
of finding; the program it writes runs under Pulumi's mocks (what it declares, in
order); the engine-protocol harness then feeds those inputs to the real
providers over gRPC against the same emulator. The account must come out
exactly as it went in (its state, timestamps aside) with only GET requests
sent, a second `pulumi up` must have nothing to do, and a refresh must find no
drift. The policy pack, over gRPC, must then report on the stack what the
audit reported, for every finding a stack can show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from support.analyzer import PolicyPackProcess
from support.audit_accounts import EVERY_FINDING, Emulated, emulated
from support.audit_program import audit_here, declared_by
from support.engine import DynamicProviderProcess, Resource

from pulumi_flex_sms.audit.program import hidden_from_pack, resource_names
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.providers.address import FlexSmsAddressProvider
from pulumi_flex_sms.providers.phone_number import PhoneNumberMessagingConfigProvider
from pulumi_flex_sms.routing import Problem

PROVIDERS = {
    FLEX_SMS_ADDRESS_TYPE: FlexSmsAddressProvider,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: PhoneNumberMessagingConfigProvider,
}
_CODE = re.compile(r"^\[([a-z-]+)\] ", re.M)


def without_dates(value: Any) -> Any:
    """The emulator's state with every timestamp left out."""
    if isinstance(value, Mapping):
        return {k: without_dates(v) for k, v in value.items() if not k.startswith("date_")}
    if isinstance(value, list):
        return [without_dates(v) for v in value]
    return value


@dataclass
class Adoption:
    emulator: Emulated
    program: Path
    audit: dict[str, Any]
    """The audit's --json object."""
    before: dict[str, Any]
    resources: list[Resource]
    requests: list[dict[str, Any]]
    """What the first `pulumi up` sent Twilio."""


@pytest.fixture(scope="module")
def adoption(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Adoption]:
    program = tmp_path_factory.mktemp("adoption") / "program"
    with emulated(EVERY_FINDING) as emulator:
        code, out, err = audit_here(emulator.env(), "--json", "--emit-pulumi", str(program))
        assert code == 1, err
        before = without_dates(emulator.control.state())
        emulator.control.clear_requests()
        process = DynamicProviderProcess(env=emulator.env())
        try:
            process.configure({})  # no twilio:* keys: the environment, as the audit
            resources = []
            for token, name, inputs in declared_by(program):  # `pulumi up`, in order
                resource = Resource(process, PROVIDERS[token](), token, name)
                assert resource.up(inputs).op == "create", name
                resources.append(resource)
            requests = emulator.requests()
            yield Adoption(emulator, program, json.loads(out), before, resources, requests)
        finally:
            process.stop()


def test_first_up_leaves_the_account_exactly_as_it_was(adoption: Adoption) -> None:
    after = without_dates(adoption.emulator.control.state())
    assert after == adoption.before
    assert {r["method"] for r in adoption.requests} == {"GET"}
    # One look per resource: the address fetched, the number found.
    assert len(adoption.requests) == len(adoption.resources)


def test_every_address_and_number_is_under_management(adoption: Adoption) -> None:
    [account] = adoption.before["accounts"]
    names = {r.urn.rsplit("::", 1)[1] for r in adoption.resources}
    addresses = {resource_names(a["address"])[0] for a in account["address_configurations"]}
    assert addresses <= names
    by_name = {r.urn.rsplit("::", 1)[1]: r for r in adoption.resources}
    for config in account["address_configurations"]:
        resource = by_name[resource_names(config["address"])[0]]
        assert resource.id == config["sid"]  # adopted, not made anew
    with_address = {a["address"] for a in account["address_configurations"]}
    for number in account["phone_numbers"]:
        name = resource_names(number["phone_number"])[1]
        assert (name in names) == (number["phone_number"] in with_address)
        if name in names:
            assert by_name[name].id == number["sid"]


def test_a_second_up_and_a_refresh_find_nothing_to_do(adoption: Adoption) -> None:
    adoption.emulator.control.clear_requests()
    declared = {name: inputs for _, name, inputs in declared_by(adoption.program)}
    for resource in adoption.resources:
        name = resource.urn.rsplit("::", 1)[1]
        assert resource.up(declared[name]).op == "same", name
    assert adoption.emulator.requests() == []  # check and diff never call Twilio
    for resource in adoption.resources:
        assert resource.refresh().op == "refresh"
        name = resource.urn.rsplit("::", 1)[1]
        assert resource.preview(declared[name]).op == "same", f"{name} drifted"
    assert {r["method"] for r in adoption.emulator.requests()} == {"GET"}


def _codes_at(result: Any, analyzed: str = "") -> dict[str, set[str]]:
    """Resource name -> routing codes; Analyze's diagnostics are about ``analyzed``."""
    found: dict[str, set[str]] = {}
    for diagnostic in result.diagnostics:
        name = diagnostic.urn.rsplit("::", 1)[1] if diagnostic.urn else analyzed
        found.setdefault(name, set()).update(_CODE.findall(diagnostic.message))
    return found


def test_the_policy_pack_reports_what_the_audit_found(adoption: Adoption) -> None:
    """Over gRPC: each resource's checked inputs (Analyze), then the stack's outputs."""
    with PolicyPackProcess() as pack:
        pack.configure({})
        found: dict[str, set[str]] = {}
        for resource in adoption.resources:
            name = resource.urn.rsplit("::", 1)[1]
            type_ = resource.urn.rsplit("::", 2)[1]
            analyzed = pack.analyze(type_, name, resource.inputs)
            for key, codes in _codes_at(analyzed, name).items():
                found.setdefault(key, set()).update(codes)
        stack = [
            (r.urn.rsplit("::", 2)[1], r.urn.rsplit("::", 1)[1], r.outputs)
            for r in adoption.resources
        ]
        for key, codes in _codes_at(pack.analyze_stack(stack)).items():
            found.setdefault(key, set()).update(codes)
    compared = 0
    for number in adoption.audit["numbers"]:
        if number["messaging_service"] is not None or number["address_configuration"] is None:
            continue  # its service decides (the stack has none); or nothing is declared
        # Outside a service, whether the pack can see a finding depends on its code alone.
        shown = {
            f["code"] for f in number["findings"] if hidden_from_pack(None, _problem(f)) is None
        }
        address, config = resource_names(number["phone_number"])
        assert found.get(address, set()) | found.get(config, set()) == shown, number
        compared += len(shown)
    assert compared >= 5


def _problem(finding: dict[str, Any]) -> Problem:
    return Problem(finding["code"], finding["subject"], finding["message"], "")
