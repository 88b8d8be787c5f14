"""Resource policy: only the numbers a team has agreed on may be routed or reconfigured."""

from __future__ import annotations

from collections.abc import Iterable

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    AddressKeys,
    PhoneNumberKeys,
)
from .state import is_phone_number_sid, lookup, normalize_number, string_list_schema

__all__ = ["allowed_numbers", "check_allowed_numbers", "number_allowlist"]


def number_allowlist(entries: Iterable[object]) -> frozenset[str]:
    """The configured entries as matching keys: E.164 numbers normalised, PN SIDs as given."""
    return frozenset(
        e.strip() if is_phone_number_sid(e.strip()) else normalize_number(e)
        for e in entries
        if isinstance(e, str) and e.strip()
    )


def check_allowed_numbers(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Report a FlexSmsAddress or PhoneNumberMessagingConfig whose number is not allowlisted."""
    if args.resource_type == FLEX_SMS_ADDRESS_TYPE:
        number, sid = lookup(args.props, AddressKeys.ADDRESS), None
    elif args.resource_type == PHONE_NUMBER_MESSAGING_CONFIG_TYPE:
        number = lookup(args.props, PhoneNumberKeys.PHONE_NUMBER)
        sid = None if number else lookup(args.props, PhoneNumberKeys.PHONE_NUMBER_SID)
    else:
        return
    allowed = number_allowlist(args.get_config().get("numbers") or ())
    if not allowed:
        args.not_applicable("no number allowlist configured (config: numbers)")
    if isinstance(number, str) and number.strip():
        if normalize_number(number) not in allowed:
            report_violation(
                f"{normalize_number(number)} is not in this stack's number allowlist.\n"
                "Fix: use an allowed number, or add it to the flex-sms-allowed-numbers "
                "policy's numbers config.",
                None,
            )
    elif isinstance(sid, str) and sid.strip() and sid.strip() not in allowed:
        report_violation(
            f"this config names its number only by SID ({sid.strip()}), which is not in "
            "this stack's number allowlist, and a policy cannot look the number up.\n"
            "Fix: give phone_number instead of phone_number_sid, or add the SID to the "
            "flex-sms-allowed-numbers policy's numbers config.",
            None,
        )


allowed_numbers = ResourceValidationPolicy(
    name="flex-sms-allowed-numbers",
    description=(
        "FlexSmsAddress and PhoneNumberMessagingConfig may only use the numbers in the "
        "configured allowlist."
    ),
    validate=check_allowed_numbers,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "numbers": string_list_schema(
                "Allowed numbers in E.164 ('+13115552368'; spaces, dashes and "
                "parentheses are ignored), and PN SIDs for configs that name their "
                "number only by SID. Empty: the policy does not apply."
            ),
        },
    ),
)
