"""Credential URLs and secrets; the remediation that blanks a number's handler."""

from __future__ import annotations

import pytest
from pulumi_policy import Secret
from pulumi_policy.deserialize import serialize_properties
from support.analyzer import UNKNOWN, is_secret, secret, urn
from support.policy_functions import raises_unknown, remediation_args, run_stack_policy
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    PET,
    SALES,
    SUPPORT,
    address_inputs,
    address_outputs,
    number_inputs,
    number_outputs,
    pn_sid,
)

from pulumi_flex_sms.policies import blank_inbound_handler, webhook_credentials_secret
from pulumi_flex_sms.policies.remediation import remediate_blank_inbound_handler
from pulumi_flex_sms.policies.state import redact_url, url_has_credentials

CRED_URL = "https://flex:hunter2@hooks.example.com/sms"
POLICY = webhook_credentials_secret


@pytest.mark.parametrize(
    ("url", "has", "redacted"),
    [
        (CRED_URL, True, "https://***@hooks.example.com/sms"),
        ("https://token@hooks.example.com/x?y=1", True, "https://***@hooks.example.com/x?y=1"),
        ("https://hooks.example.com/sms", False, "https://hooks.example.com/sms"),
        ("https://hooks.example.com/a@b", False, "https://hooks.example.com/a@b"),
    ],
)
def test_credential_urls(url: str, has: bool, redacted: str) -> None:
    assert url_has_credentials(url) is has
    assert redact_url(url) == redacted


def test_address_webhook_url_is_trusted_because_the_resource_makes_it_secret() -> None:
    props = address_outputs(type_="webhook", webhookUrl=secret(CRED_URL))
    assert run_stack_policy(POLICY, [(ADDRESS, "a", props)]) == []


@pytest.mark.parametrize("key", ["smsUrl", "smsFallbackUrl"])
def test_number_urls_are_trusted_because_the_resource_makes_them_secret(key: str) -> None:
    props = number_inputs(**{key: CRED_URL})
    assert run_stack_policy(POLICY, [(NUMBER, "n", props), (PET, "p", {"url": CRED_URL})]) == []


def test_recorded_original_settings_with_credentials_are_reported() -> None:
    props = number_outputs(original={"smsUrl": CRED_URL})
    [violation] = run_stack_policy(POLICY, [(NUMBER, "n", props)])
    assert violation.message.startswith(
        "PhoneNumberMessagingConfig 'n': originalSettings.smsUrl holds a URL with credentials"
    )
    assert 'additional_secret_outputs=["originalSettings"]' in violation.message


def test_additional_secret_outputs_and_secret_keys_config_prove_secrecy() -> None:
    original = {"smsUrl": CRED_URL, "smsFallbackUrl": CRED_URL}
    stack = [(NUMBER, "n", number_outputs(original=original))]
    assert len(run_stack_policy(POLICY, stack)) == 2
    # PhoneNumberMessagingConfig always declares originalSettings a secret output.
    proved = {"n": ["originalSettings"]}
    assert run_stack_policy(POLICY, stack, additional_secret_outputs=proved) == []
    declared = {"secretKeys": ["PhoneNumberMessagingConfig.originalSettings.smsUrl"]}
    [left] = run_stack_policy(POLICY, stack, declared)
    assert "originalSettings.smsFallbackUrl" in left.message


def test_credentials_check_reports_known_then_surfaces_unknown() -> None:
    stack = [
        (NUMBER, "unknown", number_inputs(sms_url=UNKNOWN)),
        (NUMBER, "leaky", number_outputs(SALES, original={"smsUrl": CRED_URL})),
    ]
    found: list = []
    with raises_unknown("unknown.smsUrl"):
        run_stack_policy(POLICY, stack, into=found)
    assert [v.urn for v in found] == [urn(NUMBER, "leaky")]


# -- remediation ----------------------------------------------------------------------

PROVIDER = secret("gASV-pickled-provider")


def _remediate(props: dict, config: dict) -> dict | None:
    """Run the remediation as Remediate does; return the wire form it would send back."""
    result = remediate_blank_inbound_handler(remediation_args(NUMBER, "n", props, config))
    return None if result is None else dict(serialize_properties(result))


def test_remediation_blanks_the_handler_and_keeps_secrets_and_provider() -> None:
    props = {
        **number_inputs(SUPPORT, sms_url=secret(CRED_URL), smsApplicationSid="AP" + "d" * 32),
        "smsFallbackUrl": secret("https://hooks.example.com/fallback"),
        "__provider": PROVIDER,
    }
    out = _remediate(props, {"numbers": ["+1 311 555 2368"]})
    assert out is not None
    assert out["smsUrl"] == secret("")
    assert out["smsApplicationSid"] == ""
    assert out["__provider"] == PROVIDER
    assert is_secret(out["smsFallbackUrl"])
    assert out["phoneNumber"] == SUPPORT


def test_remediation_leaves_untargeted_and_blank_numbers_alone() -> None:
    props = number_inputs(SALES, sms_url="https://hooks.example.com/sms")
    assert _remediate(props, {"numbers": [SUPPORT]}) is None
    assert _remediate(props, {}) is None
    assert _remediate(number_inputs(SUPPORT), {"allNumbers": True}) is None


def test_remediation_all_numbers_and_sid_targets() -> None:
    props = number_inputs(None, sid=pn_sid(SALES), sms_url="https://hooks.example.com/sms")
    assert _remediate(props, {"allNumbers": True})["smsUrl"] == ""
    assert _remediate(props, {"numbers": [pn_sid(SALES)]})["smsUrl"] == ""


def test_remediation_does_not_start_managing_an_unmanaged_app() -> None:
    out = _remediate(number_inputs(sms_url="https://x.example.com/"), {"allNumbers": True})
    assert out is not None and "smsApplicationSid" not in out


def test_remediation_blanks_an_unknown_handler_but_not_an_unknown_number() -> None:
    out = _remediate(number_inputs(sms_url=UNKNOWN), {"numbers": [SUPPORT]})
    assert out is not None and out["smsUrl"] == ""
    with raises_unknown("phoneNumber"):
        _remediate(number_inputs(UNKNOWN, sms_url="https://x.example.com/"), {"numbers": [SUPPORT]})


def test_remediation_ignores_other_types() -> None:
    args = remediation_args(ADDRESS, "a", address_inputs(), {"allNumbers": True})
    assert remediate_blank_inbound_handler(args) is None


def test_remediation_policy_is_off_by_default_and_remediation_only() -> None:
    assert blank_inbound_handler.enforcement_level.value == "disabled"
    assert blank_inbound_handler.has_remediation()
    assert not blank_inbound_handler.has_validation()


def test_secret_marker_survives_assignment_through_the_proxy() -> None:
    # The property the remediation relies on, pinned against SDK changes.
    args = remediation_args(NUMBER, "n", {"smsUrl": secret(CRED_URL)})
    args.props["smsUrl"] = ""  # type: ignore[index]
    assert isinstance(args.props["__target"]["smsUrl"], Secret)
