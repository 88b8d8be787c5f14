"""Unit tests of the resource policies, called as Analyze calls them."""

from __future__ import annotations

import pytest
from pulumi_policy.policy import _NotApplicableError
from support.analyzer import UNKNOWN, secret
from support.policy_functions import raises_unknown, run_resource_policy
from support.policy_stacks import (
    ADDRESS,
    NUMBER,
    PET,
    SALES,
    SUPPORT,
    address_inputs,
    number_inputs,
    pn_sid,
)

from pulumi_flex_sms.policies import (
    allowed_numbers,
    allowed_webhook_hosts,
    autocreation_reaches_flex,
    autocreation_target,
    https_webhooks,
    studio_retry_count,
)
from pulumi_flex_sms.policies.webhooks import host_allowed
from pulumi_flex_sms.routing import problems
from pulumi_flex_sms.routing.problems import Problem

# -- https ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (ADDRESS, address_inputs(type_="webhook", webhookUrl="http://hooks.example.com/flex")),
        (NUMBER, number_inputs(sms_url="http://hooks.example.com/sms")),
        (NUMBER, number_inputs(smsFallbackUrl="HTTP://hooks.example.com/fallback")),
        (NUMBER, number_inputs(sms_url="hooks.example.com/sms")),
    ],
)
def test_non_https_webhooks_are_reported(type_: str, props: dict) -> None:
    [message] = run_resource_policy(https_webhooks, type_, props)
    assert "not an https URL" in message


@pytest.mark.parametrize(
    ("type_", "props"),
    [
        (ADDRESS, address_inputs(type_="webhook")),
        (ADDRESS, address_inputs()),
        (NUMBER, number_inputs()),
        (NUMBER, number_inputs(sms_url="https://hooks.example.com/sms", smsFallbackUrl="")),
        (PET, {"url": "http://not-ours.example.com"}),
    ],
)
def test_https_and_blank_webhooks_pass(type_: str, props: dict) -> None:
    assert run_resource_policy(https_webhooks, type_, props) == []


def test_https_reports_credentials_redacted() -> None:
    props = number_inputs(sms_url=secret("http://user:hunter2@hooks.example.com/sms"))
    [message] = run_resource_policy(https_webhooks, NUMBER, props)
    assert "hunter2" not in message
    assert "http://***@hooks.example.com/sms" in message


def test_https_checks_known_urls_before_surfacing_an_unknown_one() -> None:
    props = number_inputs(sms_url=UNKNOWN, smsFallbackUrl="http://hooks.example.com/fallback")
    found: list[str] = []
    with raises_unknown("smsUrl"):
        run_resource_policy(https_webhooks, NUMBER, props, into=found)
    assert len(found) == 1 and found[0].startswith("smsFallbackUrl is http://")


# -- webhook host allowlist ---------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "patterns", "allowed"),
    [
        ("hooks.example.com", ["hooks.example.com"], True),
        ("HOOKS.example.com.", ["hooks.example.com"], True),
        ("evil.example.com", ["hooks.example.com"], False),
        ("a.b.twil.io", ["*.twil.io"], True),
        ("twil.io", ["*.twil.io"], False),
        ("eviltwil.io", ["*.twil.io"], False),
        ("hooks.example.com", [], False),
    ],
)
def test_host_allowed(host: str, patterns: list[str], allowed: bool) -> None:
    assert host_allowed(host, patterns) is allowed


def test_host_allowlist_reports_other_hosts() -> None:
    config = {"hosts": ["hooks.example.com", "*.twil.io"]}
    ok = address_inputs(type_="webhook")
    assert run_resource_policy(allowed_webhook_hosts, ADDRESS, ok, config) == []
    bad = number_inputs(sms_url="https://flex-1234.twil.io/sms", smsFallbackUrl="https://x.io/f")
    [message] = run_resource_policy(allowed_webhook_hosts, NUMBER, bad, config)
    assert message.startswith("smsFallbackUrl sends messages to x.io")


def test_host_allowlist_without_config_is_not_applicable() -> None:
    with pytest.raises(_NotApplicableError):
        run_resource_policy(allowed_webhook_hosts, NUMBER, number_inputs(sms_url="https://x.io/"))


# -- autocreation target and retry count ----------------------------------------------


@pytest.mark.parametrize(
    ("props", "expected"),
    [
        (
            address_inputs(type_="studio", studioFlowSid=None),
            problems.flow_missing(SUPPORT, None, address="FlexSmsAddress 'r'"),
        ),
        (
            address_inputs(type_="studio", studioFlowSid=""),
            problems.flow_missing(SUPPORT, None, address="FlexSmsAddress 'r'"),
        ),
        (
            address_inputs(type_="webhook", webhookUrl=None),
            problems.no_integration_webhook_without_url(SUPPORT, "FlexSmsAddress 'r'"),
        ),
        (
            address_inputs(type_="webhook", enabled=False, webhookUrl=None),
            problems.no_integration_webhook_without_url(SUPPORT, "FlexSmsAddress 'r'"),
        ),
    ],
)
def test_autocreation_without_its_target_is_reported(props: dict, expected: Problem) -> None:
    [message] = run_resource_policy(autocreation_target, ADDRESS, props)
    assert message == f"[{expected.code}] {expected.message}"


@pytest.mark.parametrize(
    "props",
    [
        address_inputs(type_="studio"),
        address_inputs(type_="webhook"),
        address_inputs(type_="default"),
        {"address": SUPPORT},
    ],
)
def test_autocreation_with_its_target_passes(props: dict) -> None:
    assert run_resource_policy(autocreation_target, ADDRESS, props) == []


def test_autocreation_target_with_unknown_flow_sid_surfaces() -> None:
    with raises_unknown("autoCreation.studioFlowSid"):
        run_resource_policy(autocreation_target, ADDRESS, address_inputs(studioFlowSid=UNKNOWN))


@pytest.mark.parametrize("count", [0, 1, 3, 3.0])
def test_retry_count_in_range_passes(count: float) -> None:
    props = address_inputs(studioRetryCount=count)
    assert run_resource_policy(studio_retry_count, ADDRESS, props) == []


@pytest.mark.parametrize("count", [4, -1, 2.5, True, "3"])
def test_retry_count_out_of_range_is_reported(count: object) -> None:
    [message] = run_resource_policy(
        studio_retry_count, ADDRESS, address_inputs(studioRetryCount=count)
    )
    assert "studioRetryCount" in message and "0 to 3" in message


def test_default_autocreation_is_advised_only_when_enabled() -> None:
    [message] = run_resource_policy(
        autocreation_reaches_flex, ADDRESS, address_inputs(type_="default")
    )
    assert "no Flex task" in message
    disabled = address_inputs(type_="default", enabled=False)
    assert run_resource_policy(autocreation_reaches_flex, ADDRESS, disabled) == []
    assert run_resource_policy(autocreation_reaches_flex, ADDRESS, address_inputs()) == []
    # The type settles it: an unknown flag matters only for 'default'.
    unknown_flag = address_inputs(enabled=UNKNOWN)
    assert run_resource_policy(autocreation_reaches_flex, ADDRESS, unknown_flag) == []
    with raises_unknown("autoCreation.enabled"):
        run_resource_policy(
            autocreation_reaches_flex, ADDRESS, address_inputs(type_="default", enabled=UNKNOWN)
        )


# -- number allowlist -------------------------------------------------------------------


def test_number_allowlist() -> None:
    config = {"numbers": ["+1 (311) 555-2368", pn_sid(SALES)]}
    assert run_resource_policy(allowed_numbers, ADDRESS, address_inputs(SUPPORT), config) == []
    assert run_resource_policy(allowed_numbers, NUMBER, number_inputs(SUPPORT), config) == []
    by_sid = number_inputs(None, sid=pn_sid(SALES))
    assert run_resource_policy(allowed_numbers, NUMBER, by_sid, config) == []
    [message] = run_resource_policy(allowed_numbers, ADDRESS, address_inputs(SALES), config)
    assert message.startswith(f"{SALES} is not in this stack's number allowlist")
    other_sid = number_inputs(None, sid=pn_sid(SUPPORT))
    [message] = run_resource_policy(allowed_numbers, NUMBER, other_sid, config)
    assert "only by SID" in message


def test_number_allowlist_without_config_is_not_applicable() -> None:
    with pytest.raises(_NotApplicableError):
        run_resource_policy(allowed_numbers, ADDRESS, address_inputs(), {"numbers": []})


def test_number_allowlist_with_unknown_number_surfaces() -> None:
    with raises_unknown("address"):
        run_resource_policy(
            allowed_numbers, ADDRESS, address_inputs(UNKNOWN), {"numbers": [SUPPORT]}
        )
