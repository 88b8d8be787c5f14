"""``--emit-pulumi``: the program that adopts the account as it is, findings as comments.

Against the fake twilio_api; tests/audit/test_adoption_against_emulator.py runs
the same program through the real providers against the emulator.
"""

from __future__ import annotations

import ast
import copy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from support.analyzer import is_secret, secret
from support.audit_accounts import (
    EVERY_FINDING,
    EXPECTED,
    Account,
    SeededTwilioApi,
    sid,
)
from support.audit_program import checked, declared_by, pack_findings

from pulumi_flex_sms import __version__
from pulumi_flex_sms.audit import account as reader
from pulumi_flex_sms.audit.account import AccountRecords
from pulumi_flex_sms.audit.cli import PROGRAM_FILES
from pulumi_flex_sms.audit.program import hidden_from_pack, program_files, resource_names
from pulumi_flex_sms.audit.report import Report, audit
from pulumi_flex_sms.keys import FLEX_SMS_ADDRESS_TYPE, PHONE_NUMBER_MESSAGING_CONFIG_TYPE
from pulumi_flex_sms.models import address as address_model
from pulumi_flex_sms.models import phone_number as number_model
from pulumi_flex_sms.routing import normalize_address

RUFF_RULES = "E,F,W,I,B,UP,RUF"


def emit(
    account: Account, target: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[Report, AccountRecords]:
    monkeypatch.setattr(reader, "twilio_api", SeededTwilioApi(account))
    records = reader.read_account()
    report = audit(records.snapshot())
    files = program_files(
        report, addresses=records.addresses, numbers=records.numbers, version=__version__
    )
    target.mkdir()
    for name, text in files.items():
        (target / name).write_text(text)
    return report, records


@pytest.fixture
def adopted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Report, AccountRecords]:
    target = tmp_path / "adopt"
    report, records = emit(EVERY_FINDING, target, monkeypatch)
    return target, report, records


def ruff(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--isolated", "."],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )


def assert_clean_python(target: Path) -> None:
    source = (target / "__main__.py").read_text()
    compile(source, "__main__.py", "exec")
    checked_ = ruff(target, "check", "--select", RUFF_RULES)
    assert checked_.returncode == 0, checked_.stdout + checked_.stderr
    formatted = ruff(target, "format", "--check", "--diff")
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def statements(source: str) -> dict[str, str]:
    """Variable -> the comment lines just above its statement (up to the previous one)."""
    lines = source.splitlines()
    out, previous_end = {}, 0
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            above = lines[previous_end : node.lineno - 1]
            out[node.targets[0].id] = "\n".join(line for line in above if line.startswith("#"))
        previous_end = node.end_lineno or node.lineno
    return out


def test_a_ready_python_project(adopted: tuple[Path, Report, AccountRecords]) -> None:
    target, report, _ = adopted
    assert sorted(p.name for p in target.iterdir()) == sorted(PROGRAM_FILES)
    project = yaml.safe_load((target / "Pulumi.yaml").read_text())
    assert project["runtime"]["name"] == "python"
    assert report.account_sid in project["description"]
    assert (target / "requirements.txt").read_text().splitlines() == [
        "pulumi>=3.216.0",
        f"pulumi-flex-sms>={__version__}",
    ]
    assert_clean_python(target)


def test_one_address_per_sms_configuration_and_one_config_per_number_that_has_one(
    adopted: tuple[Path, Report, AccountRecords],
) -> None:
    target, _, _ = adopted
    declared = declared_by(target)
    addresses = [name for type_, name, _ in declared if type_ == FLEX_SMS_ADDRESS_TYPE]
    numbers = [name for type_, name, _ in declared if type_ == PHONE_NUMBER_MESSAGING_CONFIG_TYPE]
    with_address = sorted(EXPECTED.keys() - {"+13115550103"})
    # (Registration order is Pulumi's: an address waits for its number.)
    assert sorted(addresses) == [resource_names(n)[0] for n in [*with_address, "+13115550199"]]
    assert sorted(numbers) == [resource_names(n)[1] for n in with_address]  # not 0103, 0199
    assert resource_names("+13115550101") == ("address-13115550101", "number-13115550101")
    inputs = {name: props for _, name, props in declared}
    assert inputs["address-13115550101"]["adoptExisting"] is True
    assert inputs["address-13115550101"]["friendlyName"] == "Support line"
    assert inputs["number-13115550102"]["smsUrl"] == "https://legacy.example.com/sms"
    assert inputs["number-13115550114"]["smsApplicationSid"] == sid("AP", 1)
    assert inputs["number-13115550101"]["onDelete"] == "restore"


def test_the_declared_settings_are_the_live_ones_so_up_sends_no_write(
    adopted: tuple[Path, Report, AccountRecords],
) -> None:
    """What the providers' create compares (adopt: update_params; number: the diff) is empty."""
    target, _, records = adopted
    addresses = {normalize_address(a["address"]): a for a in records.addresses}
    numbers = {n["phone_number"]: n for n in records.numbers}
    for type_, _, props in checked(declared_by(target)):
        if type_ == FLEX_SMS_ADDRESS_TYPE:
            live = address_model.live_state(addresses[props["address"]])
            assert address_model.update_params(live, props) == {}
            assert props.get("addressCountry") == live.get("addressCountry")
        else:
            live = number_model.live_state(numbers[props["phoneNumber"]])
            wanted = {k: props[k] for k in number_model.SMS_KEYS if k in props}
            assert number_model.effective(wanted).items() <= number_model.effective(live).items()


def test_each_finding_is_a_comment_at_its_resource(
    adopted: tuple[Path, Report, AccountRecords],
) -> None:
    target, report, _ = adopted
    source = (target / "__main__.py").read_text()
    above = statements(source)
    flat = {name: " ".join(text.replace("#", " ").split()) for name, text in above.items()}
    at = {
        "handler-in-parallel": "number",
        "messaging-service-overrides": "number",
        "legacy-flex-flow": "number",
    }
    for number in report.numbers:
        if number.phone_number == "+13115550103":
            continue
        address, config = (n.replace("-", "_") for n in resource_names(number.phone_number))
        for problem in number.findings:
            holder = config if at.get(problem.code) == "number" else address
            message = " ".join(problem.message.split())
            assert message in flat[holder], (holder, problem.code)
            after = flat[holder].split(message, 1)[1].lstrip()
            hidden = hidden_from_pack(number, problem)
            assert after.startswith("(The policy pack cannot see this") == (hidden is not None)
    header = source[: source.index("number_13115550101 =")]
    header_text = " ".join(header.replace("#", " ").split())
    for problem in report.account_findings:
        if problem.code == "not-delivered":  # at the orphan address instead
            assert " ".join(problem.message.split()) in flat["address_13115550199"]
        else:
            assert " ".join(problem.message.split()) in header_text
    # The number without an address: its findings head the program.
    assert "+13115550103 has no SMS address configuration" in header_text
    assert "[no-conversation]" in header


def test_the_pack_reports_what_the_audit_found_wherever_the_stack_can_show_it(
    adopted: tuple[Path, Report, AccountRecords],
) -> None:
    target, report, _ = adopted
    stack = checked(declared_by(target))
    pack = pack_findings(stack)
    compared = 0
    for number in report.numbers:
        if number.trace.messaging_service is not None or number.address is None:
            continue  # the service decides its route; or nothing is declared for it
        address, config = resource_names(number.phone_number)
        shown = {p.code for p in number.findings if hidden_from_pack(number, p) is None}
        assert pack.get(address, set()) | pack.get(config, set()) == shown, number.phone_number
        compared += len(shown)
    assert compared >= 5  # handler (URL and app), disabled, no-integration twice
    showable = {
        p.code for n in report.numbers for p in n.findings if hidden_from_pack(n, p) is None
    }
    assert showable == {"handler-in-parallel", "autocreation-disabled", "no-integration"}


def _variant(**changes: Any) -> Account:
    account = copy.deepcopy(EVERY_FINDING)
    body = account.body
    for number in body["phone_numbers"]:
        number.update(changes.get(number["phone_number"], {}))
    for address in body["address_configurations"]:
        patch = changes.get(f"address {address['address']}", {})
        address["auto_creation"].update(patch.pop("auto_creation", {}))
        address.update(patch)
    return account


def test_urls_with_credentials_stay_out_of_the_program(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    number_url = "https://bob:pw1234@legacy.example.com/sms"
    hook = "https://user:hunter2@hooks.example.com/flex"
    account = _variant(
        **{
            "+13115550102": {"sms_fallback_url": number_url},
            "address +13115550106": {"auto_creation": {"webhook_url": hook}},
        }
    )
    target = tmp_path / "adopt"
    emit(account, target, monkeypatch)
    source = (target / "__main__.py").read_text()
    assert "pw1234" not in source and "hunter2" not in source
    assert 'config.require_secret("number-13115550102-smsFallbackUrl")' in source
    assert 'config.require_secret("address-13115550106-webhookUrl")' in source
    assert "pulumi config set --secret address-13115550106-webhookUrl" in source
    assert "https://***:***@hooks.example.com/flex" in source
    assert_clean_python(target)
    declared = declared_by(
        target,
        config={
            "flex-sms-adopted:number-13115550102-smsFallbackUrl": number_url,
            "flex-sms-adopted:address-13115550106-webhookUrl": hook,
        },
    )
    inputs = {name: props for _, name, props in declared}
    # Secrets in the program, hence in state.
    assert inputs["number-13115550102"]["smsFallbackUrl"] == secret(number_url)
    auto_creation = inputs["address-13115550106"]["autoCreation"]
    assert is_secret(auto_creation) and auto_creation["value"]["webhookUrl"] == hook


def test_settings_a_resource_refuses_are_written_as_a_comment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _variant(
        **{"address +13115550106": {"auto_creation": {"webhook_url": "http://hooks.example.com/x"}}}
    )
    target = tmp_path / "adopt"
    emit(account, target, monkeypatch)
    source = (target / "__main__.py").read_text()
    assert "# NOT DECLARED: FlexSmsAddress refuses these settings" in source
    assert '# address_13115550106 = FlexSmsAddress(\n#     "address-13115550106",' in source
    assert "https" in source[source.index("# NOT DECLARED") :].split("\n\n")[0]
    names = [name for _, name, _ in declared_by(target)]
    assert "address-13115550106" not in names and "number-13115550106" in names
    assert_clean_python(target)


def test_a_messaging_service_in_the_app_field_is_left_unmanaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twilio shows the number's Messaging Service in sms_application_sid.
    account = _variant(**{"+13115550113": {"sms_application_sid": sid("MG", 1)}})
    account.body["applications"] = []
    target = tmp_path / "adopt"
    emit(account, target, monkeypatch)
    inputs = {name: props for _, name, props in declared_by(target)}
    assert "smsApplicationSid" not in inputs["number-13115550113"]
    assert "sms_application_sid is left unmanaged" in (target / "__main__.py").read_text()


def test_an_app_next_to_a_url_leaves_the_app_unmanaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = _variant(**{"+13115550114": {"sms_url": "https://legacy.example.com/sms"}})
    target = tmp_path / "adopt"
    emit(account, target, monkeypatch)
    inputs = {name: props for _, name, props in declared_by(target)}
    assert "smsApplicationSid" not in inputs["number-13115550114"]
    assert inputs["number-13115550114"]["smsUrl"] == "https://legacy.example.com/sms"


def test_long_values_keep_the_program_ruff_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    long_name = "Support line for the customers of the northern region, " * 4
    long_url = "https://legacy.example.com/" + "very-long-path-segment/" * 6 + "sms"
    account = _variant(
        **{
            "+13115550102": {"sms_url": long_url},
            "address +13115550101": {"friendly_name": long_name.strip()[:256]},
        }
    )
    target = tmp_path / "adopt"
    emit(account, target, monkeypatch)
    assert "sms_url=(\n" in (target / "__main__.py").read_text()  # split, not suppressed
    assert_clean_python(target)
    inputs = {name: props for _, name, props in declared_by(target)}
    assert inputs["number-13115550102"]["smsUrl"] == long_url
