"""The ready pack over gRPC, launched and called the way the Pulumi engine does."""

from __future__ import annotations

import json
import select
from pathlib import Path

import pytest
from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import StackValidationPolicy
from support.analyzer import (
    UNKNOWN,
    PolicyPackProcess,
    engine_policy_config,
    is_secret,
    secret,
    urn,
)
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    SALES,
    SUPPORT,
    address_inputs,
    address_outputs,
    compliant_stack,
    number_inputs,
    number_outputs,
    pet,
    pn_sid,
)

from pulumi_flex_sms.policies import PACK_NAME, POLICIES_BY_NAME

MAIN = "flex-sms-no-inbound-handler-with-autocreation"
ADVICE = "flex-sms-inbound-handler-unverified"
REMEDIATION = "flex-sms-blank-inbound-handler"
CREDENTIALS = "flex-sms-webhook-credentials-secret"
HOOK = "https://hooks.example.com/sms"
EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "policy" / "policy-config.json"

pytestmark = pytest.mark.usefixtures("default_config")


def failing_variant(outputs: bool = True) -> list:
    """The README stack with the webhook left on the number."""
    if outputs:
        number = number_outputs(SUPPORT, sms_url=HOOK)
        return [
            (ADDRESS, "support-line", address_outputs(SUPPORT)),
            (NUMBER, "support-number", number),
        ]
    number = number_inputs(SUPPORT, sms_url=HOOK)
    return [(ADDRESS, "support-line", address_inputs(SUPPORT)), (NUMBER, "support-number", number)]


# -- what the engine learns first --------------------------------------------------


def test_analyzer_info_lists_every_policy_with_its_level_schema_and_kind(pack) -> None:
    info = pack.info()
    assert info.name == PACK_NAME == "flex-sms"
    assert info.supportsConfig
    assert pack.plugin_info().version == "1.21.0"
    assert [p.name for p in info.policies] == list(POLICIES_BY_NAME)
    for remote in info.policies:
        local = POLICIES_BY_NAME[remote.name]
        assert remote.description == local.description
        level = analyzer_pb2.EnforcementLevel.Name(remote.enforcementLevel).lower()
        assert level == local.enforcement_level.value
        stack = remote.policy_type == analyzer_pb2.POLICY_TYPE_STACK
        assert stack == isinstance(local, StackValidationPolicy)
        schema = local.config_schema.properties if local.config_schema else {}
        assert set(remote.configSchema.properties.keys()) == set(schema)
    levels = {p.name: p.enforcementLevel for p in info.policies}
    assert levels[MAIN] == analyzer_pb2.MANDATORY
    assert levels[ADVICE] == analyzer_pb2.ADVISORY
    assert levels[REMEDIATION] == analyzer_pb2.DISABLED


# -- compliant stacks -----------------------------------------------------------------


@pytest.mark.parametrize("outputs", [True, False], ids=["after-up", "preview"])
def test_compliant_stack_has_no_diagnostics(pack, outputs: bool) -> None:
    stack = compliant_stack(outputs)
    assert pack.analyze_stack(stack).diagnostics == []
    for type_, name, props in compliant_stack(outputs=False):
        result = pack.analyze(type_, name, props)
        assert result.diagnostics == [], name


def test_pack_writes_nothing_to_stdout_after_its_port(pack) -> None:
    pack.analyze_stack(failing_variant())
    pack.analyze(ADDRESS, "a", address_inputs(type_="default"))
    ready, _, _ = select.select([pack.proc.stdout], [], [], 0.2)
    assert ready == []


# -- violations -----------------------------------------------------------------------


@pytest.mark.parametrize("outputs", [True, False], ids=["after-up", "preview"])
def test_webhook_left_on_the_number_fails_on_the_number(pack, outputs: bool) -> None:
    result = pack.analyze_stack([*failing_variant(outputs), pet()])
    [diagnostic] = result.diagnostics
    assert diagnostic.policy == MAIN
    assert diagnostic.level == "mandatory"
    assert diagnostic.urn == urn(NUMBER, "support-number")
    description, message = diagnostic.message.split("\n", 1)
    assert description == POLICIES_BY_NAME[MAIN].description
    assert message.startswith("[handler-in-parallel] ") and HOOK in message


def test_sid_only_config_in_first_preview_gets_advice_then_fails_after_up(pack) -> None:
    sid = pn_sid(SUPPORT)
    preview = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (NUMBER, "support-number", number_inputs(None, sid=sid, sms_url=HOOK)),
    ]
    result = pack.analyze_stack(preview)
    assert result.mandatory == []
    assert {d.urn for d in result.of(ADVICE)} == {
        urn(NUMBER, "support-number"),
        urn(ADDRESS, "support-line"),
    }
    after_up = pack.analyze_stack(failing_variant(outputs=True))
    assert [d.policy for d in after_up.mandatory] == [MAIN]


def test_address_without_its_number_config_is_advised(pack) -> None:
    result = pack.analyze_stack([(ADDRESS, "support-line", address_outputs(SUPPORT)), pet()])
    [diagnostic] = result.diagnostics
    assert (diagnostic.policy, diagnostic.level) == (ADVICE, "advisory")
    assert diagnostic.urn == urn(ADDRESS, "support-line")


def test_duplicate_addresses_fail(pack) -> None:
    stack = [(ADDRESS, "a", address_inputs(SUPPORT)), (ADDRESS, "b", address_inputs(SUPPORT))]
    result = pack.analyze_stack([*stack, (NUMBER, "n", number_inputs(SUPPORT))])
    [diagnostic] = result.diagnostics
    assert diagnostic.policy == "flex-sms-one-address-per-number"
    assert (diagnostic.level, diagnostic.urn) == ("mandatory", urn(ADDRESS, "b"))


@pytest.mark.parametrize(
    ("type_", "props", "policy", "level"),
    [
        (
            NUMBER,
            number_inputs(sms_url="http://hooks.example.com/sms"),
            "flex-sms-https-webhooks",
            "mandatory",
        ),
        (ADDRESS, address_inputs(studioFlowSid=None), "flex-sms-autocreation-target", "mandatory"),
        (
            ADDRESS,
            address_inputs(type_="webhook", webhookUrl=None),
            "flex-sms-autocreation-target",
            "mandatory",
        ),
        (ADDRESS, address_inputs(studioRetryCount=4), "flex-sms-studio-retry-count", "mandatory"),
        (
            ADDRESS,
            address_inputs(type_="default"),
            "flex-sms-autocreation-reaches-flex",
            "advisory",
        ),
    ],
)
def test_each_resource_violation(pack, type_: str, props: dict, policy: str, level: str) -> None:
    result = pack.analyze(type_, "r", props)
    assert [(d.policy, d.level, d.urn) for d in result.diagnostics] == [(policy, level, "")]


def test_credentials_in_a_recorded_url_fail_unless_proven_secret(pack) -> None:
    # Policies see secrets unwrapped: the pack cannot tell, so it asks for proof.
    props = number_outputs(original={"smsUrl": secret("https://u:hunter2@hooks.example.com/sms")})
    result = pack.analyze_stack([(NUMBER, "n", props)])
    [diagnostic] = result.diagnostics
    assert diagnostic.policy == CREDENTIALS
    assert "hunter2" not in diagnostic.message
    proved = pack.analyze_stack(
        [(NUMBER, "n", props)], additional_secret_outputs={"n": ["originalSettings"]}
    )
    assert proved.diagnostics == []
    # Keys the resources make secret themselves are trusted.
    number = number_outputs(sms_url=secret("https://u:hunter2@hooks.example.com/sms"))
    assert pack.analyze_stack([(NUMBER, "n", number)]).of(CREDENTIALS) == []
    address = address_outputs(type_="webhook", webhookUrl=secret("https://u:p@hooks.example.com/x"))
    assert pack.analyze_stack([(ADDRESS, "a", address)]).of(CREDENTIALS) == []


# -- unknowns during preview ---------------------------------------------------------


def test_unknown_handler_is_neither_a_crash_nor_a_pass(pack) -> None:
    stack = [
        (ADDRESS, "support-line", address_inputs(SUPPORT)),
        (ADDRESS, "sales-line", address_inputs(SALES)),
        (NUMBER, "support-number", number_inputs(SUPPORT, sms_url=UNKNOWN)),
        (NUMBER, "sales-number", number_inputs(SALES, sms_url=HOOK)),
    ]
    result = pack.analyze_stack(stack)
    [violation] = result.mandatory
    assert violation.urn == urn(NUMBER, "sales-number")
    [note] = [d for d in result.of(MAIN) if d.level == "advisory"]
    assert note.message == (
        f"can't run policy '{MAIN}' from policy pack 'flex-sms@v0.0.1' during preview: "
        "string value at .support-number.smsUrl can't be known during preview"
    )


def test_unknown_values_in_analyze_are_reported_as_not_run(pack) -> None:
    props = address_inputs(type_="webhook", webhookUrl=UNKNOWN, studioRetryCount=UNKNOWN)
    result = pack.analyze(ADDRESS, "a", props)
    assert {d.policy for d in result.diagnostics} == {
        "flex-sms-https-webhooks",
        "flex-sms-autocreation-target",
        "flex-sms-studio-retry-count",
    }
    assert all(d.level == "advisory" and "during preview" in d.message for d in result.diagnostics)


def test_whole_unknown_objects_are_reported_as_not_run(pack) -> None:
    result = pack.analyze_stack(
        [
            (ADDRESS, "a", {"address": SUPPORT, "autoCreation": UNKNOWN}),
            (NUMBER, "n", number_inputs(sms_url=HOOK)),
        ]
    )
    assert {(d.policy, d.level) for d in result.diagnostics} == {
        (MAIN, "advisory"),
        (ADVICE, "advisory"),
        (CREDENTIALS, "advisory"),  # the webhook URL inside might carry credentials
    }
    assert all(".a.autoCreation can't be known" in d.message for d in result.diagnostics)


# -- configuration ----------------------------------------------------------------------


def test_configure_changes_enforcement_levels(pack) -> None:
    pack.configure({MAIN: "advisory"})
    assert [d.level for d in pack.analyze_stack(failing_variant()).diagnostics] == ["advisory"]
    pack.configure({MAIN: "disabled"})
    assert pack.analyze_stack(failing_variant()).diagnostics == []
    pack.configure({"all": "mandatory"})
    result = pack.analyze_stack([(ADDRESS, "support-line", address_outputs(SUPPORT))])
    assert [(d.policy, d.level) for d in result.diagnostics] == [(ADVICE, "mandatory")]
    pack.configure({})
    assert [d.level for d in pack.analyze_stack(failing_variant()).diagnostics] == ["mandatory"]


def test_allowlists_take_their_settings_from_config(pack) -> None:
    props = address_inputs(SALES, type_="webhook")
    assert set(pack.analyze(ADDRESS, "a", props).not_applicable) == {
        "flex-sms-allowed-numbers",
        "flex-sms-allowed-webhook-hosts",
    }
    pack.configure(
        {
            "flex-sms-allowed-numbers": {"numbers": [SUPPORT]},
            "flex-sms-allowed-webhook-hosts": {
                "enforcementLevel": "advisory",
                "hosts": ["*.twil.io"],
            },
        }
    )
    result = pack.analyze(ADDRESS, "a", props)
    assert {(d.policy, d.level) for d in result.diagnostics} == {
        ("flex-sms-allowed-numbers", "mandatory"),
        ("flex-sms-allowed-webhook-hosts", "advisory"),
    }


def test_example_config_is_valid_and_applies(pack) -> None:
    given = json.loads(EXAMPLE_CONFIG.read_text())
    assert set(given) <= set(POLICIES_BY_NAME) | {"all"}
    pack.configure(given)
    result = pack.analyze(ADDRESS, "a", address_inputs(SALES, type_="default"))
    assert {(d.policy, d.level) for d in result.diagnostics} == {
        ("flex-sms-allowed-numbers", "mandatory"),
        ("flex-sms-autocreation-reaches-flex", "mandatory"),
    }
    [remediated] = pack.remediate(NUMBER, "n", number_inputs(SUPPORT, sms_url=HOOK))
    assert remediated.properties["smsUrl"] == ""


@pytest.mark.parametrize(
    "given",
    [
        {"flex-sms-allowed-webhook-hosts": {"hosts": "hooks.example.com"}},
        {"flex-sms-blank-inbound-handler": {"allNumbers": "yes"}},
        {MAIN: "sometimes"},
    ],
)
def test_invalid_config_is_rejected_like_the_cli_does(pack, given: dict) -> None:
    with pytest.raises(ValueError):
        engine_policy_config(pack.info(), given)


# -- remediation ------------------------------------------------------------------------


def _number_with_provider(**settings) -> dict:
    return {
        **number_inputs(SUPPORT, **settings),
        "smsFallbackUrl": secret("https://hooks.example.com/fallback"),
        "__provider": secret("gASVprovider"),
    }


def test_remediation_is_off_by_default(pack) -> None:
    assert pack.remediate(NUMBER, "n", _number_with_provider(sms_url=HOOK)) == []


def test_remediation_blanks_the_handler_keeping_secrets_and_provider(pack) -> None:
    pack.configure({REMEDIATION: {"enforcementLevel": "remediate", "numbers": [SUPPORT]}})
    props = _number_with_provider(sms_url=secret(HOOK))
    [remediated] = pack.remediate(NUMBER, "support-number", props)
    assert remediated.policy == REMEDIATION
    new = remediated.properties
    assert new["smsUrl"] == secret("")
    assert new["__provider"] == secret("gASVprovider")
    assert is_secret(new["smsFallbackUrl"])
    assert {k: v for k, v in new.items() if k not in ("smsUrl",)} == {
        k: v for k, v in props.items() if k not in ("smsUrl",)
    }
    # What the engine analyses next (inputs after remediation) passes the stack policy.
    stack = [(ADDRESS, "support-line", address_inputs(SUPPORT)), (NUMBER, "support-number", new)]
    assert pack.analyze_stack(stack).mandatory == []
    # At the remediate level, Analyze reports the remediation-only policy as not applicable.
    assert REMEDIATION in pack.analyze(NUMBER, "support-number", new).not_applicable


def test_remediation_leaves_other_numbers_alone(pack) -> None:
    pack.configure({REMEDIATION: {"enforcementLevel": "remediate", "numbers": [SUPPORT]}})
    assert pack.remediate(NUMBER, "n", number_inputs(SALES, sms_url=HOOK)) == []


def test_remediation_with_unknown_number_says_it_could_not_run(pack) -> None:
    pack.configure({REMEDIATION: {"enforcementLevel": "remediate", "numbers": [SUPPORT]}})
    [remediated] = pack.remediate(NUMBER, "n", number_inputs(UNKNOWN, sms_url=HOOK))
    assert remediated.properties == {}
    assert remediated.diagnostic.startswith(f"can't run remediation '{REMEDIATION}'")


# -- the written copy ---------------------------------------------------------------------


def test_written_copy_runs_as_a_pack(tmp_path: Path) -> None:
    from pulumi_flex_sms.policies.cli import write_pack

    directory = write_pack(tmp_path / "policy")
    with PolicyPackProcess(directory) as copy:
        assert copy.info().name == PACK_NAME
        copy.configure({})
        assert [d.policy for d in copy.analyze_stack(failing_variant()).mandatory] == [MAIN]
        assert copy.analyze_stack(compliant_stack()).diagnostics == []
