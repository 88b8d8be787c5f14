"""Stack policies that pair Conversations addresses with their phone numbers.

The reason the pack exists: Twilio runs a number's own "A message comes in"
handler (``smsUrl``, or a TwiML app in ``smsApplicationSid``) *in parallel* with
a Conversations address that auto-creates conversations, so a handler left on a
Flex number answers every customer a second time. Only the stack knows both
sides, hence stack policies. The finding is the routing model's
``handler-in-parallel`` problem, with its message (:mod:`pulumi_flex_sms.routing`).

Both sides may come from this package or from the Terraform-bridged Twilio
provider, in any mix (:mod:`.resources`): an address is a FlexSmsAddress or a
``ConversationsConfigurationAddressesV1`` of type ``sms``; a number's handler is
set by a PhoneNumberMessagingConfig or an ``ApiAccountsIncomingPhoneNumbers``.
Where a PhoneNumberMessagingConfig manages a number, its settings are the ones
checked: it applies them after the number exists, so the bridged resource's
recorded ``smsUrl`` is stale (an app the number keeps is recorded in the
config's ``originalSettings`` after ``pulumi up``). A config without
``smsApplicationSid`` does not manage the app, so the bridged resource's
``smsApplicationSid`` still counts.

All three policies index the stack once (:meth:`StackIndex.build`) and then do
dictionary lookups, so they are linear in the number of resources.

Matching is by normalised E.164. A number resource that names its number only
by SID (``PN...``) is paired with a number through any resource in the stack
whose properties hold both (its own outputs after ``pulumi up``, or, for
example, an IncomingPhoneNumber resource of another provider with ``sid`` and
``phoneNumber``). When nothing pairs it, the mandatory policy cannot decide and
the advisory :data:`inbound_handler_unverified` says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import UnknownValueError

from ..keys import PhoneNumberKeys
from ..routing import problems
from .resources import ADDRESS_SHAPES, NUMBER_SHAPES, InboundHandler, inbound_handler
from .state import (
    PendingUnknowns,
    describe,
    diagnostic,
    is_phone_number_sid,
    lookup,
    normalize_number,
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


@dataclass
class NumberConfig:
    """What the stack says about one resource that sets a number's own SMS handler."""

    resource: PolicyResource
    number: str | None = None
    sid: str | None = None
    handler: InboundHandler | None = None
    identity_unknown: UnknownValueError | None = None
    handler_unknown: UnknownValueError | None = None
    governs: bool = True
    """True for a PhoneNumberMessagingConfig (see the module docstring)."""
    manages_app: bool = True
    """False for a PhoneNumberMessagingConfig without ``smsApplicationSid``: the number
    keeps whatever TwiML app it has, which another resource may set."""

    @property
    def may_have_handler(self) -> bool:
        """False only when the handler is known to be blank."""
        return self.handler is not None or self.handler_unknown is not None


@dataclass
class StackIndex:
    """One pass over the stack: addresses by number, number resources, SID pairs."""

    autocreating: dict[str, list[PolicyResource]] = field(default_factory=dict)
    """E.164 -> SMS address resources whose autocreation is enabled."""
    unknown_addresses: list[tuple[PolicyResource, UnknownValueError]] = field(default_factory=list)
    """Address resources whose address, channel or autocreation is unknown (preview)."""
    configs: list[NumberConfig] = field(default_factory=list)
    sid_to_number: dict[str, str] = field(default_factory=dict)
    others: dict[str, list[PolicyResource]] = field(default_factory=dict)
    """Every other resource, by type token (what the other routing policies read)."""

    @classmethod
    def build(cls, resources: Iterable[PolicyResource]) -> StackIndex:
        """Index ``resources``; reads only the keys the number policies need."""
        index = cls()
        for resource in resources:
            if resource.resource_type in ADDRESS_SHAPES:
                index._add_address(resource)
            elif resource.resource_type in NUMBER_SHAPES:
                index._add_config(resource)
            else:
                index.others.setdefault(resource.resource_type, []).append(resource)
                index._add_pairing_hint(resource)
        return index

    @classmethod
    def build_for(
        cls, resources: Sequence[PolicyResource], resource_type: str
    ) -> tuple[StackIndex, list[PolicyResource]]:
        """The index, and the stack's resources of ``resource_type`` for a policy on them.

        The resources come only while some address auto-creates, or might (unknown in
        preview): otherwise there is nothing to check them against. A stack without
        that type, the common case, is settled without reading a property.
        """
        if not any(r.resource_type == resource_type for r in resources):
            return cls(), []
        index = cls.build(resources)
        if not index.any_autocreating:
            return index, []
        return index, index.others.get(resource_type, [])

    def _add_address(self, resource: PolicyResource) -> None:
        shape = ADDRESS_SHAPES[resource.resource_type]
        try:
            if not shape.is_sms(resource.props):
                return
            address = shape.read(resource.props, "address")
            enabled = shape.read(resource.props, "enabled")
        except UnknownValueError as err:
            self.unknown_addresses.append((resource, err))
            return
        if enabled is True and isinstance(address, str):
            self.autocreating.setdefault(normalize_number(address), []).append(resource)

    def _add_config(self, resource: PolicyResource) -> None:
        shape = NUMBER_SHAPES[resource.resource_type]
        config = NumberConfig(resource, governs=shape.governs)
        # Either one identifies the number: an unknown SID next to a known number
        # (a number bought in this update) does not make the number unknown.
        unknown: UnknownValueError | None = None
        try:
            number = lookup(resource.props, *shape.phone_number)
        except UnknownValueError as err:
            number, unknown = None, err
        try:
            sid = lookup(resource.props, *shape.sid)
        except UnknownValueError as err:
            sid, unknown = None, unknown or err
        config.number = (normalize_number(number) or None) if isinstance(number, str) else None
        config.sid = sid if is_phone_number_sid(sid) else None
        if config.number is None and config.sid is None:
            config.identity_unknown = unknown
        if config.number and config.sid:
            self.sid_to_number.setdefault(config.sid, config.number)
        if shape.governs:
            try:
                config.manages_app = lookup(resource.props, *shape.sms_application_sid) is not None
            except UnknownValueError:
                pass  # given, though unknown: managed (and reported as unknown below)
        try:
            config.handler = inbound_handler(resource.props, resource.resource_type)
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

    def governed_numbers(self, *, app: bool = False) -> set[str]:
        """The numbers a PhoneNumberMessagingConfig in the stack is known to manage.

        ``app=True``: only those whose config also manages ``smsApplicationSid``.
        """
        return {
            number
            for config in self.configs
            if config.governs
            and (config.manages_app or not app)
            and (number := self.resolve(config)) is not None
        }

    @property
    def any_autocreating(self) -> bool:
        """True if some address auto-creates, or might (unknown in preview)."""
        return bool(self.autocreating) or bool(self.unknown_addresses)

    def defer_unknown_address(self, pending: PendingUnknowns) -> None:
        """Give ``pending`` an address that could not be read (preview), if there is one.

        It may auto-create for the number at hand, so the policy cannot fully run;
        the first such address stands for them all, as ``pending`` keeps one error.
        """
        if self.unknown_addresses:
            resource, error = self.unknown_addresses[0]
            pending.add(error, resource)


def _names(resources: Sequence[PolicyResource]) -> str:
    shown = ", ".join(describe(r) for r in resources[:_MAX_NAMES])
    if len(resources) > _MAX_NAMES:
        shown += f" and {len(resources) - _MAX_NAMES} more"
    return shown


def check_no_inbound_handler_with_autocreation(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report each number resource that leaves a handler on a number whose address auto-creates.

    Reported on the number resource's URN, as the routing model's
    ``handler-in-parallel`` problem. Values unknown in preview that could hide
    a violation are surfaced (after the known violations) as the SDK's "can't
    run policy during preview" advisory.
    """
    index = StackIndex.build(args.resources)
    pending = PendingUnknowns()
    governed = index.governed_numbers()
    app_governed = index.governed_numbers(app=True)
    # The apps the configs report themselves (one recorded in originalSettings): said once.
    governor_apps = {
        (index.resolve(c), c.handler.value)
        for c in index.configs
        if c.governs and c.handler is not None and c.handler.kind == "twiml-app"
    }
    # A PhoneNumberMessagingConfig whose number is unknown (it names a number bought in
    # this update by its SID) may govern any bridged number: theirs cannot be judged.
    unknown_governor = next(
        (c for c in index.configs if c.governs and c.identity_unknown is not None), None
    )
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
        handler, handler_unknown = config.handler, config.handler_unknown
        if not config.governs and number in governed:
            # A PhoneNumberMessagingConfig sets this number's smsUrl, and its TwiML app
            # only where it manages smsApplicationSid: else the app set here stays.
            if number in app_governed:
                continue
            try:
                handler, handler_unknown = _app_handler(config), None
            except UnknownValueError as err:
                handler, handler_unknown = None, err
            if handler is None and handler_unknown is None:
                continue
            if handler is not None and (number, handler.value) in governor_apps:
                continue
        if not index.autocreating.get(number):
            index.defer_unknown_address(pending)
            continue
        if handler is None:
            if handler_unknown is not None:
                pending.add(handler_unknown, config.resource)
            continue
        if not config.governs and unknown_governor is not None:
            assert unknown_governor.identity_unknown is not None
            pending.add(unknown_governor.identity_unknown, unknown_governor.resource)
            continue
        problem = problems.handler_in_parallel(number, handler.kind, handler.value)
        report_violation(diagnostic(problem), config.resource.urn)
    pending.raise_first()


def _app_handler(config: NumberConfig) -> InboundHandler | None:
    """The TwiML app a number resource sets, or None; raises if it is unknown."""
    shape = NUMBER_SHAPES[config.resource.resource_type]
    app = lookup(config.resource.props, *shape.sms_application_sid)
    if isinstance(app, str) and app.strip():
        return InboundHandler(PhoneNumberKeys.SMS_APPLICATION_SID, app.strip())
    return None


def check_inbound_handler_unverified(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Advise where the pack cannot check a number's own handler.

    * an address that auto-creates for a number no number resource in the stack
      (PhoneNumberMessagingConfig, or the bridged provider's
      ApiAccountsIncomingPhoneNumbers) is known to manage (on the address's URN);
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
    index.defer_unknown_address(pending)

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
        "PhoneNumberMessagingConfig (nor ApiAccountsIncomingPhoneNumbers) in this stack is "
        "known to manage that number, so this pack cannot check the number's own inbound "
        "handler. Make sure the number's "
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
    """Report every SMS address whose number an earlier one in the stack already configures.

    FlexSmsAddress and the bridged provider's ConversationsConfigurationAddressesV1
    count alike: Twilio keeps one address configuration per address either way.
    """
    first: dict[str, PolicyResource] = {}
    pending = PendingUnknowns()
    count = 0
    for resource in args.resources:
        shape = ADDRESS_SHAPES.get(resource.resource_type)
        if shape is None:
            continue
        count += 1
        try:
            if not shape.is_sms(resource.props):
                continue
            address = shape.read(resource.props, "address")
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
                "every update).\nFix: keep one address configuration (FlexSmsAddress) per "
                "number.",
                resource.urn,
            )
    if count > 1:
        pending.raise_first()


no_inbound_handler_with_autocreation = StackValidationPolicy(
    name="flex-sms-no-inbound-handler-with-autocreation",
    description=(
        "A phone number must not keep its own inbound SMS handler (smsUrl or "
        "smsApplicationSid) while its Conversations address (FlexSmsAddress, or the Twilio "
        "provider's ConversationsConfigurationAddressesV1) auto-creates conversations for it."
    ),
    validate=check_no_inbound_handler_with_autocreation,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    remediation_steps=(
        'Blank the handler on the PhoneNumberMessagingConfig (sms_url defaults to ""; '
        'set sms_application_sid="" if a TwiML app is attached) or on the '
        "ApiAccountsIncomingPhoneNumbers, or enable the flex-sms-blank-inbound-handler "
        "remediation."
    ),
)

inbound_handler_unverified = StackValidationPolicy(
    name="flex-sms-inbound-handler-unverified",
    description=(
        "Make sure the number's inbound webhook is blank: the pack cannot check it for an "
        "auto-creating address whose number's PhoneNumberMessagingConfig (or "
        "ApiAccountsIncomingPhoneNumbers) is not in the stack (or names the number only by "
        "a SID nothing pairs)."
    ),
    validate=check_inbound_handler_unverified,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.MEDIUM,
)

one_address_per_number = StackValidationPolicy(
    name="flex-sms-one-address-per-number",
    description=(
        "At most one address configuration (FlexSmsAddress or "
        "ConversationsConfigurationAddressesV1) per address in a stack."
    ),
    validate=check_one_address_per_number,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
)
