"""Resource policies on a FlexSmsAddress's ``autoCreation`` settings.

The provider's ``check`` already rejects most of these; the policies restate
them as reviewable rules (a pack can run against state written by an older
provider, and users compose these into packs of their own).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from ..keys import FLEX_SMS_ADDRESS_TYPE, AddressKeys, AutoCreationKeys
from .state import lookup

__all__ = [
    "MAX_STUDIO_RETRY_COUNT",
    "autocreation_reaches_flex",
    "autocreation_target",
    "check_autocreation_reaches_flex",
    "check_autocreation_target",
    "check_studio_retry_count",
    "studio_retry_count",
]

#: Twilio (and Flex's Console) allow 0-3 delivery retries to the Studio flow.
MAX_STUDIO_RETRY_COUNT = 3

_AUTO = AddressKeys.AUTO_CREATION

#: autoCreation.type -> (the key it needs, the Python argument that sets it, what it is)
_TARGETS: Mapping[str, tuple[str, str, str]] = {
    "studio": (
        AutoCreationKeys.STUDIO_FLOW_SID,
        "studio_flow_sid",
        "the Studio flow (FW...) that hands new conversations to Flex",
    ),
    "webhook": (
        AutoCreationKeys.WEBHOOK_URL,
        "webhook_url",
        "the https URL that receives the new conversations' events",
    ),
}


def check_autocreation_target(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """A studio autocreation needs ``studioFlowSid``; a webhook one needs ``webhookUrl``."""
    if args.resource_type != FLEX_SMS_ADDRESS_TYPE:
        return
    kind = lookup(args.props, _AUTO, AutoCreationKeys.TYPE)
    target = _TARGETS.get(kind) if isinstance(kind, str) else None
    if target is None:
        return
    key, argument, what = target
    value = lookup(args.props, _AUTO, key)
    if not (isinstance(value, str) and value.strip()):
        report_violation(
            f"autoCreation.type is '{kind}' but autoCreation.{key} is not set, so Twilio "
            f"has nowhere to send new conversations.\nFix: set auto_creation.{argument} to "
            f"{what}.",
            None,
        )


def _as_count(value: Any) -> int | None:
    # Numbers arrive as floats over gRPC (3 -> 3.0); bool is an int subclass, not a count.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return int(value) if float(value).is_integer() else None


def check_studio_retry_count(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """``autoCreation.studioRetryCount`` must be a whole number from 0 to 3."""
    if args.resource_type != FLEX_SMS_ADDRESS_TYPE:
        return
    value = lookup(args.props, _AUTO, AutoCreationKeys.STUDIO_RETRY_COUNT)
    if value is None:
        return
    count = _as_count(value)
    if count is None or not 0 <= count <= MAX_STUDIO_RETRY_COUNT:
        report_violation(
            f"autoCreation.studioRetryCount is {value!r}; Twilio accepts a whole number "
            f"from 0 to {MAX_STUDIO_RETRY_COUNT} (retries of the hand-off to the Studio "
            f"flow when it fails).\nFix: set auto_creation.studio_retry_count to 0-"
            f"{MAX_STUDIO_RETRY_COUNT}.",
            None,
        )


def check_autocreation_reaches_flex(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """Advise when an enabled autocreation has type ``default``, which never reaches Flex."""
    if args.resource_type != FLEX_SMS_ADDRESS_TYPE:
        return
    # Type first: an unknown "enabled" matters only when the type is 'default'.
    if lookup(args.props, _AUTO, AutoCreationKeys.TYPE) != "default":
        return
    if lookup(args.props, _AUTO, AutoCreationKeys.ENABLED) is True:
        report_violation(
            "autoCreation.type is 'default': Twilio creates each conversation in the default "
            "Conversations service with no Studio flow or webhook attached, so no Flex task "
            "is created and no agent sees the message.\nFix: use type 'studio' with your "
            "Flex Studio flow (the usual Flex set-up) or 'webhook'; keep 'default' only if "
            "something else picks the conversations up.",
            None,
        )


autocreation_target = ResourceValidationPolicy(
    name="flex-sms-autocreation-target",
    description=(
        "A FlexSmsAddress with a studio autocreation needs a flow SID; one with a webhook "
        "autocreation needs a webhook URL."
    ),
    validate=check_autocreation_target,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
)

studio_retry_count = ResourceValidationPolicy(
    name="flex-sms-studio-retry-count",
    description="A FlexSmsAddress's autoCreation.studioRetryCount must be 0-3.",
    validate=check_studio_retry_count,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.LOW,
)

autocreation_reaches_flex = ResourceValidationPolicy(
    name="flex-sms-autocreation-reaches-flex",
    description=(
        "A FlexSmsAddress that auto-creates conversations should hand them to Flex "
        "(type studio or webhook), not 'default'."
    ),
    validate=check_autocreation_reaches_flex,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
)
