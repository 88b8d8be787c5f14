"""Resource policies on an address configuration's autocreation settings.

They read a FlexSmsAddress's ``autoCreation`` and the bridged Twilio provider's
``ConversationsConfigurationAddressesV1`` (type ``sms``) alike (:mod:`.resources`).
Except for the retry count, each finding is one of the routing model's problems
(:mod:`pulumi_flex_sms.routing.problems`), reported as ``[<code>] <message>``
with the same words the model, ``flex-sms simulate-inbound`` and ``flex-sms
audit`` use; the address is named by its resource ("FlexSmsAddress 'support'").

The provider's ``check`` already rejects some of these for a FlexSmsAddress; the
policies restate them as reviewable rules (a pack can run against state written
by an older provider, the bridged provider checks none of them, and users
compose these into packs of their own).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)
from pulumi_policy.proxy import UnknownValueError

from ..keys import FLEX_SMS_ADDRESS_TYPE, AddressKeys, AutoCreationKeys
from ..routing import problems
from ..routing.problems import Problem
from .resources import ADDRESS_SHAPES, AddressShape
from .state import describe_named, diagnostic, lookup, normalize_number

__all__ = [
    "MAX_STUDIO_RETRY_COUNT",
    "UNKNOWN_NUMBER_LABEL",
    "autocreation_enabled",
    "autocreation_reaches_flex",
    "autocreation_target",
    "check_autocreation_enabled",
    "check_autocreation_reaches_flex",
    "check_autocreation_target",
    "check_studio_retry_count",
    "studio_retry_count",
]

#: Twilio (and Flex's Console) allow 0-3 delivery retries to the Studio flow.
MAX_STUDIO_RETRY_COUNT = 3

#: How a finding names the number while the address is unknown (a preview).
UNKNOWN_NUMBER_LABEL = "its number"

#: The conversation event a webhook integration must hear to hand messages to Flex.
_MESSAGE_EVENT = "onMessageAdded"

_AUTO = AddressKeys.AUTO_CREATION


class _Address:
    """One SMS address resource under a resource policy: its shape, labels and unknowns."""

    def __init__(self, args: ResourceValidationArgs, shape: AddressShape) -> None:
        self.props = args.props
        self.shape = shape
        self.label = describe_named(args.resource_type, args.name)
        try:
            address = shape.read(self.props, "address")
        except UnknownValueError:
            # Only the label needs the number: the finding stands whatever it is, so
            # the check is complete and no "can't run during preview" note is due.
            address = None
        number = normalize_number(address) if isinstance(address, str) else None
        self.number = number or UNKNOWN_NUMBER_LABEL

    @classmethod
    def of(cls, args: ResourceValidationArgs) -> _Address | None:
        """The SMS address under analysis, or None for any other resource."""
        shape = ADDRESS_SHAPES.get(args.resource_type)
        if shape is None or not shape.is_sms(args.props):
            return None
        return cls(args, shape)

    def read(self, setting: str) -> Any:
        return self.shape.read(self.props, setting)

    def type(self) -> str | None:
        """The autocreation type, lower case (Twilio's enum is), or None when absent."""
        kind = self.read("type")
        return kind.strip().lower() if isinstance(kind, str) and kind.strip() else None

    @staticmethod
    def report(report_violation: ReportViolation, problem: Problem | None) -> None:
        if problem is not None:
            report_violation(diagnostic(problem), None)


def _blank(value: Any) -> bool:
    return not (isinstance(value, str) and value.strip())


def check_autocreation_target(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """A studio autocreation needs its flow SID (``flow-missing``); a webhook one its URL.

    The webhook case is the model's ``no-integration`` (Twilio's 45764); studio
    is ``flow-missing`` (45763). Reported whether or not autocreation is enabled:
    Twilio validates the pair either way.
    """
    address = _Address.of(args)
    if address is None:
        return
    kind = address.type()
    problem = None
    if kind == "studio" and _blank(address.read("studio_flow_sid")):
        problem = problems.flow_missing(address.number, None, address=address.label)
    elif kind == "webhook" and _blank(address.read("webhook_url")):
        problem = problems.no_integration_webhook_without_url(address.number, address.label)
    address.report(report_violation, problem)


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


def _integration_problem(address: _Address, kind: str) -> Problem | None:
    """The model's ``no-integration`` for an autocreation of this type, or None."""
    if kind == "studio":
        return None  # the flow itself: flex-sms-studio-flow-reaches-flex
    if kind == "default":
        return problems.no_integration_default_type(address.number, address.label)
    if kind != "webhook":
        return problems.no_integration_invalid_type(address.number, address.label, kind)
    filters = address.read("webhook_filters")
    if isinstance(filters, str) or not isinstance(filters, Sequence):  # the SDK's list proxy
        return None  # omitted: Twilio's default hears onMessageAdded (the model's Q19)
    names = tuple(f for f in filters if isinstance(f, str))
    if _MESSAGE_EVENT in names or _blank(address.read("webhook_url")):
        return None  # fine; or no URL at all, which flex-sms-autocreation-target reports
    return problems.no_integration_webhook_filters(address.number, address.label, names)


def check_autocreation_reaches_flex(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """Advise when an enabled autocreation attaches nothing that hands messages to Flex.

    The model's ``no-integration``: type ``default`` (no Studio flow or webhook),
    a type Twilio does not know (45762), or a webhook whose filters leave out
    ``onMessageAdded``.
    """
    address = _Address.of(args)
    if address is None:
        return
    kind = address.type()
    # Type first: an unknown "enabled" matters only when the type misses Flex.
    problem = _integration_problem(address, kind) if kind is not None else None
    if problem is not None and address.read("enabled") is not True:
        problem = None  # not autocreating: flex-sms-autocreation-enabled says so
    address.report(report_violation, problem)


def check_autocreation_enabled(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """Advise when an address meant for Flex does not autocreate (``autocreation-disabled``).

    Without autocreation a message from a new sender gets no conversation and
    reaches no agent (Twilio's 45761). An absent flag counts as disabled, as
    Twilio's default is.
    """
    address = _Address.of(args)
    if address is None:
        return
    problem = None
    if address.read("enabled") is not True:
        problem = problems.autocreation_disabled(address.number, address.label)
    address.report(report_violation, problem)


autocreation_target = ResourceValidationPolicy(
    name="flex-sms-autocreation-target",
    description=(
        "An address whose autocreation type is studio needs a flow SID; one whose type is "
        "webhook needs a webhook URL (FlexSmsAddress, or the Twilio provider's "
        "ConversationsConfigurationAddressesV1)."
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
        "An address that auto-creates conversations should hand them to Flex: type studio, "
        "or webhook hearing onMessageAdded; not 'default' (FlexSmsAddress, or the Twilio "
        "provider's ConversationsConfigurationAddressesV1)."
    ),
    validate=check_autocreation_reaches_flex,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
)

autocreation_enabled = ResourceValidationPolicy(
    name="flex-sms-autocreation-enabled",
    description=(
        "An address meant for Flex should auto-create conversations, or a new sender's "
        "message reaches no agent (FlexSmsAddress, or the Twilio provider's "
        "ConversationsConfigurationAddressesV1)."
    ),
    validate=check_autocreation_enabled,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
)
