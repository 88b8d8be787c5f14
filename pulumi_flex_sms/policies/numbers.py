"""Stack policies that pair FlexSmsAddress resources with their phone numbers.

The reason the pack exists: Twilio runs a number's own "A message comes in"
handler (``smsUrl``, or a TwiML app in ``smsApplicationSid``) *in parallel* with
a Conversations address that auto-creates conversations, so a handler left on a
Flex number answers every customer a second time. Only the stack knows both
sides, hence stack policies.

All three policies index the stack once (:meth:`StackIndex.build`) and then do
dictionary lookups, so they are linear in the number of resources.

Matching is by normalised E.164. A PhoneNumberMessagingConfig that names its
number only by SID (``PN...``) is paired with a number through any resource in
the stack whose properties hold both (its own outputs after ``pulumi up``, or,
for example, an IncomingPhoneNumber resource of another provider with ``sid``
and ``phoneNumber``). When nothing pairs it, the mandatory policy cannot decide
and the advisory :data:`inbound_handler_unverified` says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ..keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    AddressKeys,
    AutoCreationKeys,
    PhoneNumberKeys,
)
from .state import (
    PendingUnknowns,
    describe,
    is_phone_number_sid,
    lookup,
    normalize_number,
    redact_url,
)

__all__ = [
    "InboundHandler",
    "NumberConfig",
    "StackIndex",
    "check_inbound_handler_unverified",
    "check_no_inbound_handler_with_autocreation",
    "check_one_address_per_number",
    "inbound_handler",
    "inbound_handler_unverified",
    "no_inbound_handler_with_autocreation",
    "one_address_per_number",
]

#: Keys under which resources of other providers commonly pair a number's SID
#: and its E.164 number (Twilio's own API names, camelCased as Pulumi does).
PAIRING_SID_KEYS: tuple[str, ...] = ("sid", PhoneNumberKeys.PHONE_NUMBER_SID)
PAIRING_NUMBER_KEYS: tuple[str, ...] = (PhoneNumberKeys.PHONE_NUMBER,)

_MAX_NAMES = 3


@dataclass(frozen=True)
class InboundHandler:
    """A non-blank inbound handler that a PhoneNumberMessagingConfig leaves on its number."""

    key: str
    """The state key holding it (``smsUrl`` or ``smsApplicationSid``)."""
    value: str
    managed: bool = True
    """False when the config does not manage the key and the value is what the
    number had when the config took it over (``originalSettings``)."""

    def describe(self) -> str:
        """How a message names the handler (URL credentials redacted)."""
        if self.key == PhoneNumberKeys.SMS_URL:
            return f"smsUrl = {redact_url(self.value)}"
        if self.managed:
            return f"smsApplicationSid = {self.value}, a TwiML app"
        return (
            f"the TwiML app {self.value} it had when the config took it over; "
            "the config does not manage smsApplicationSid"
        )

    def fix(self, config: str) -> str:
        """The change that blanks this handler, in the Python the user writes."""
        if self.key == PhoneNumberKeys.SMS_URL:
            return f'remove sms_url from {config} (blank, "", is its default)'
        return f'set sms_application_sid="" on {config}'


def inbound_handler(props: Mapping[str, Any]) -> InboundHandler | None:
    """The inbound handler a PhoneNumberMessagingConfig leaves on its number, or None if blank.

    ``smsApplicationSid`` absent means "not managed": the number keeps whatever
    app it had, which after ``pulumi up`` is recorded in ``originalSettings``.
    Raises ``UnknownValueError`` if a value it needs is unknown.
    """
    sms_url = lookup(props, PhoneNumberKeys.SMS_URL)
    if isinstance(sms_url, str) and sms_url.strip():
        return InboundHandler(PhoneNumberKeys.SMS_URL, sms_url.strip())
    app = lookup(props, PhoneNumberKeys.SMS_APPLICATION_SID)
    managed = app is not None
    if not managed:
        app = lookup(props, PhoneNumberKeys.ORIGINAL_SETTINGS, PhoneNumberKeys.SMS_APPLICATION_SID)
    if isinstance(app, str) and app.strip():
        return InboundHandler(PhoneNumberKeys.SMS_APPLICATION_SID, app.strip(), managed)
    return None


@dataclass
class NumberConfig:
    """What the stack says about one PhoneNumberMessagingConfig."""

    resource: PolicyResource
    number: str | None = None
    sid: str | None = None
    handler: InboundHandler | None = None
    identity_unknown: UnknownValueError | None = None
    handler_unknown: UnknownValueError | None = None

    @property
    def may_have_handler(self) -> bool:
        """False only when the handler is known to be blank."""
        return self.handler is not None or self.handler_unknown is not None


@dataclass
class StackIndex:
    """One pass over the stack: addresses by number, number configs, SID pairs."""

    autocreating: dict[str, list[PolicyResource]] = field(default_factory=dict)
    """E.164 -> FlexSmsAddress resources with ``autoCreation.enabled`` true."""
    unknown_addresses: list[tuple[PolicyResource, UnknownValueError]] = field(default_factory=list)
    """FlexSmsAddress resources whose address or autocreation is unknown (preview)."""
    configs: list[NumberConfig] = field(default_factory=list)
    sid_to_number: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, resources: Iterable[PolicyResource]) -> StackIndex:
        """Index ``resources``; reads only the keys the number policies need."""
        index = cls()
        for resource in resources:
            if resource.resource_type == FLEX_SMS_ADDRESS_TYPE:
                index._add_address(resource)
            elif resource.resource_type == PHONE_NUMBER_MESSAGING_CONFIG_TYPE:
                index._add_config(resource)
            else:
                index._add_pairing_hint(resource)
        return index

    def _add_address(self, resource: PolicyResource) -> None:
        try:
            address = lookup(resource.props, AddressKeys.ADDRESS)
            enabled = lookup(resource.props, AddressKeys.AUTO_CREATION, AutoCreationKeys.ENABLED)
        except UnknownValueError as err:
            self.unknown_addresses.append((resource, err))
            return
        if enabled is True and isinstance(address, str):
            self.autocreating.setdefault(normalize_number(address), []).append(resource)

    def _add_config(self, resource: PolicyResource) -> None:
        config = NumberConfig(resource)
        try:
            number = lookup(resource.props, PhoneNumberKeys.PHONE_NUMBER)
            sid = lookup(resource.props, PhoneNumberKeys.PHONE_NUMBER_SID)
        except UnknownValueError as err:
            config.identity_unknown = err
        else:
            config.number = normalize_number(number) if isinstance(number, str) else None
            config.sid = sid if is_phone_number_sid(sid) else None
            if config.number and config.sid:
                self.sid_to_number.setdefault(config.sid, config.number)
        try:
            config.handler = inbound_handler(resource.props)
        except UnknownValueError as err:
            config.handler_unknown = err
        self.configs.append(config)

    def _add_pairing_hint(self, resource: PolicyResource) -> None:
        # Other providers' resources are hints only: an unknown or odd value there
        # just means no pair, and the unpaired config is then reported as unverified.
        props = resource.props
        try:
            sid = next(
                (v for k in PAIRING_SID_KEYS if is_phone_number_sid(v := props.get(k))), None
            )
            if sid is None:
                return
            number = next(
                (v for k in PAIRING_NUMBER_KEYS if isinstance(v := props.get(k), str)), None
            )
        except UnknownValueError:
            return
        if number:
            self.sid_to_number.setdefault(sid, normalize_number(number))

    def resolve(self, config: NumberConfig) -> str | None:
        """The config's E.164 number: given, or paired through its SID; None if unknown."""
        if config.number:
            return config.number
        if config.sid:
            return self.sid_to_number.get(config.sid)
        return None

    @property
    def any_autocreating(self) -> bool:
        """True if some FlexSmsAddress auto-creates, or might (unknown in preview)."""
        return bool(self.autocreating) or bool(self.unknown_addresses)


def _names(resources: Sequence[PolicyResource]) -> str:
    shown = ", ".join(describe(r) for r in resources[:_MAX_NAMES])
    if len(resources) > _MAX_NAMES:
        shown += f" and {len(resources) - _MAX_NAMES} more"
    return shown


def _number_label(config: NumberConfig, number: str) -> str:
    return f"{number} ({config.sid})" if config.sid and not config.number else number


def check_no_inbound_handler_with_autocreation(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report each number config that leaves a handler on a number whose address auto-creates.

    Reported on the PhoneNumberMessagingConfig's URN. Values unknown in preview
    that could hide a violation are surfaced (after the known violations) as the
    SDK's "can't run policy during preview" advisory.
    """
    index = StackIndex.build(args.resources)
    pending = PendingUnknowns()
    for config in index.configs:
        if not config.may_have_handler:
            continue
        if config.identity_unknown is not None:
            if index.any_autocreating:
                pending.add(config.identity_unknown, config.resource)
            continue
        number = index.resolve(config)
        if number is None:
            continue  # SID-only and unpaired: inbound_handler_unverified reports it
        addresses = index.autocreating.get(number)
        if not addresses:
            if index.unknown_addresses:
                resource, err = index.unknown_addresses[0]
                pending.add(err, resource)
            continue
        if config.handler is None:
            if config.handler_unknown is not None:
                pending.add(config.handler_unknown, config.resource)
            continue
        report_violation(_handler_message(config, number, addresses), config.resource.urn)
    pending.raise_first()


def _handler_message(config: NumberConfig, number: str, addresses: Sequence[PolicyResource]) -> str:
    assert config.handler is not None
    who = describe(config.resource)
    return (
        f"{who} leaves an inbound handler on {_number_label(config, number)} "
        f"({config.handler.describe()}), and {_names(addresses)} auto-creates Flex "
        "conversations for the same number. Twilio runs that handler in parallel with "
        "autocreation, so every inbound SMS also reaches it (and whatever it replies "
        "goes back to the customer).\n"
        f"Fix: {config.handler.fix(who)}; or, if the number should not route into Flex, "
        f"turn off autocreation on {_names(addresses)}."
    )


def check_inbound_handler_unverified(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Advise where the pack cannot check a number's own handler.

    * a FlexSmsAddress that auto-creates for a number no PhoneNumberMessagingConfig
      in the stack is known to manage (reported on the address's URN);
    * a PhoneNumberMessagingConfig with a handler that names its number only by
      SID which nothing pairs with a number (typical of a first preview), while
      some address auto-creates (reported on the config's URN).
    """
    index = StackIndex.build(args.resources)
    pending = PendingUnknowns()
    configured: set[str] = set()
    unpaired: list[NumberConfig] = []
    identity_unknown = False
    for config in index.configs:
        if config.identity_unknown is not None:
            identity_unknown = True
            if index.any_autocreating:
                pending.add(config.identity_unknown, config.resource)
            continue
        number = index.resolve(config)
        if number is not None:
            configured.add(number)
        elif config.sid is not None:
            unpaired.append(config)
    # An address whose number or autocreation is unknown may need the advice too.
    for resource, err in index.unknown_addresses[:1]:
        pending.add(err, resource)

    for config in unpaired if index.autocreating else ():
        if config.handler_unknown is not None:
            pending.add(config.handler_unknown, config.resource)
        elif config.handler is not None:
            report_violation(_unpaired_message(config, index), config.resource.urn)

    # A config whose number is unknown may be the one an address lacks: no advice
    # that might be wrong; the SDK's "can't run during preview" note stands for it.
    if not identity_unknown:
        for number, addresses in index.autocreating.items():
            if number in configured:
                continue
            for address in addresses:
                report_violation(_unmanaged_message(address, number, unpaired), address.urn)
    pending.raise_first()


def _unpaired_message(config: NumberConfig, index: StackIndex) -> str:
    assert config.handler is not None
    pairs = [f"{_names(rs)} ({n})" for n, rs in list(index.autocreating.items())[:_MAX_NAMES]]
    more = len(index.autocreating) - len(pairs)
    listed = "; ".join(pairs) + (f"; and {more} more numbers" if more > 0 else "")
    return (
        f"{describe(config.resource)} names its number only by SID ({config.sid}), and "
        "nothing in this stack pairs that SID with a phone number yet (its own outputs do, "
        "after its first `pulumi up`), so this pack cannot tell whether it is the number "
        f"of an address that auto-creates conversations: {listed}. It leaves an inbound "
        f"handler ({config.handler.describe()}); on such a number Twilio runs it in "
        "parallel with autocreation.\n"
        "Fix: give phone_number instead of phone_number_sid so this is checked now, "
        f"or {config.handler.fix(describe(config.resource))}."
    )


def _unmanaged_message(
    address: PolicyResource, number: str, unpaired: Sequence[NumberConfig]
) -> str:
    message = (
        f"{describe(address)} auto-creates Flex conversations for {number}, but no "
        "PhoneNumberMessagingConfig in this stack is known to manage that number, so this "
        "pack cannot check the number's own inbound handler. Make sure the number's "
        '"A message comes in" webhook (smsUrl) is blank and no TwiML app or Messaging '
        "Service takes its messages: Twilio runs them in parallel with autocreation.\n"
        f'To have this checked, add PhoneNumberMessagingConfig(phone_number="{number}") '
        "to this stack (it blanks the webhook by default)."
    )
    if unpaired:
        names = _names([c.resource for c in unpaired])
        message += (
            f" {names} names its number only by SID, which this run could not pair with a "
            "number; if that is this number, give it phone_number instead."
        )
    return message


def check_one_address_per_number(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report every FlexSmsAddress whose address an earlier one in the stack already routes."""
    first: dict[str, PolicyResource] = {}
    pending = PendingUnknowns()
    count = 0
    for resource in args.resources:
        if resource.resource_type != FLEX_SMS_ADDRESS_TYPE:
            continue
        count += 1
        try:
            address = lookup(resource.props, AddressKeys.ADDRESS)
        except UnknownValueError as err:
            pending.add(err, resource)
            continue
        if not isinstance(address, str):
            continue
        number = normalize_number(address)
        earlier = first.setdefault(number, resource)
        if earlier is not resource:
            report_violation(
                f"{describe(resource)} and {describe(earlier)} both configure {number}. "
                "Twilio keeps one address configuration per address, so the second "
                "create fails (or, with adopt_existing, the two overwrite each other on "
                "every update).\nFix: keep one FlexSmsAddress per number.",
                resource.urn,
            )
    if count > 1:
        pending.raise_first()


no_inbound_handler_with_autocreation = StackValidationPolicy(
    name="flex-sms-no-inbound-handler-with-autocreation",
    description=(
        "A phone number must not keep its own inbound SMS handler (smsUrl or "
        "smsApplicationSid) while a FlexSmsAddress auto-creates conversations for it."
    ),
    validate=check_no_inbound_handler_with_autocreation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        'Blank the handler on the PhoneNumberMessagingConfig (sms_url defaults to ""; '
        'set sms_application_sid="" if a TwiML app is attached), or enable the '
        "flex-sms-blank-inbound-handler remediation."
    ),
)

inbound_handler_unverified = StackValidationPolicy(
    name="flex-sms-inbound-handler-unverified",
    description=(
        "Make sure the number's inbound webhook is blank: the pack cannot check it for a "
        "FlexSmsAddress whose number's PhoneNumberMessagingConfig is not in the stack (or "
        "names the number only by a SID nothing pairs)."
    ),
    validate=check_inbound_handler_unverified,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
)

one_address_per_number = StackValidationPolicy(
    name="flex-sms-one-address-per-number",
    description="At most one FlexSmsAddress per address in a stack.",
    validate=check_one_address_per_number,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
)
