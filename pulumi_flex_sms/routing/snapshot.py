"""An account's inbound-SMS settings as plain, frozen data: the routing model's input.

Everything here is what Twilio's API shows (one class per resource, fields
named as in the OpenAPI schemas) plus the one thing it cannot show, a
Messaging Service's Console "Incoming Messages" mode
(:attr:`MessagingService.incoming_mode`, ``None`` = unknown). Each class has a
``from_twilio(record)`` constructor that takes the snake_case JSON record of
its schema, so the emulator (from its state) and the audit (from API pages)
build snapshots the same way; :meth:`AccountSnapshot.from_twilio` takes all of
them at once.

A snapshot may be partial. It needs the ``to`` number and what refers to it
(its address configuration, the Messaging Services holding it, the TwiML app
it names, Flex Flows on its identity, conversations binding the pair, the
flows and services those name); what it leaves out counts as absent, except
where a field says ``None`` means unknown (the Conversations defaults, the
Flex configuration, the list of conversation services, a service's Console
mode): those checks are then skipped rather than guessed.

Numbers and addresses are compared after :func:`normalize_address`, which
drops spaces, dashes, dots and parentheses and keeps any channel prefix
(``whatsapp:``) literally.

Records that lack an identifying field raise :class:`SnapshotError` naming the
record kind and the field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, TypedDict

from .studio import FlexReach, flex_reach
from .vocabulary import SERVICE_MODES, ServiceMode

__all__ = [
    "AccountSnapshot",
    "AddressConfiguration",
    "AutoCreation",
    "Conversation",
    "ConversationsDefaults",
    "FlexConfiguration",
    "FlexFlow",
    "IncomingNumber",
    "MessagingService",
    "Participant",
    "ScopedWebhook",
    "ServiceNumber",
    "SnapshotError",
    "StudioFlow",
    "TwimlApplication",
    "is_flex_proxy_webhook",
    "normalize_address",
]

_PUNCTUATION = str.maketrans("", "", " \t-.()")
# FLEX-LEG (inbound-messages-channels): the legacy Flex number handler "looks like
# https://webhooks.twilio.com/v1/Accounts/ACxx/Proxy/KSxx/Webhooks/Message".
_FLEX_PROXY_WEBHOOK = re.compile(
    r"^https?://webhooks\.twilio\.com/v1/Accounts/AC\w+/Proxy/KS\w+/Webhooks/Message/?(?:[?#].*)?$",
    re.IGNORECASE,
)


class SnapshotError(ValueError):
    """A Twilio record the snapshot cannot use (names the record kind and the field)."""


def normalize_address(value: str) -> str:
    """``+1 (311) 555-2368`` -> ``+13115552368``; a ``whatsapp:`` prefix stays as written."""
    return value.strip().translate(_PUNCTUATION)


def is_flex_proxy_webhook(url: str | None) -> bool:
    """True for the legacy Flex Proxy Service's message webhook (how Flex UI 1.x took SMS)."""
    return url is not None and _FLEX_PROXY_WEBHOOK.match(url.strip()) is not None


# -- reading records -------------------------------------------------------------


def _required(record: Mapping[str, Any], key: str, kind: str) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SnapshotError(f"{kind} record: {key!r} is missing or not a string ({value!r})")
    return value.strip()


def _optional(record: Mapping[str, Any], key: str) -> str | None:
    """A string field; null, absent and blank are all None (Twilio uses each for 'unset')."""
    value = record.get(key)
    return (value.strip() or None) if isinstance(value, str) else None


def _method(record: Mapping[str, Any], key: str) -> str:
    value = _optional(record, key)
    return value.upper() if value else "POST"


def _flag(record: Mapping[str, Any], key: str, kind: str, default: bool = False) -> bool:
    value = record.get(key)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise SnapshotError(f"{kind} record: {key!r} must be true or false, not {value!r}")


def _mapping(record: Mapping[str, Any], key: str, kind: str) -> Mapping[str, Any] | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise SnapshotError(f"{kind} record: {key!r} must be an object, not {value!r}")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise SnapshotError(f"{what} must be a list of strings, not {value!r}")


# -- numbers and what handles their messages ---------------------------------------


class _SmsUrls(TypedDict):
    """The SMS URLs a number and a TwiML app both carry, named alike in both records."""

    sms_url: str
    sms_method: str
    sms_fallback_url: str
    sms_fallback_method: str


def _sms_urls(record: Mapping[str, Any]) -> _SmsUrls:
    return {
        "sms_url": _optional(record, "sms_url") or "",
        "sms_method": _method(record, "sms_method"),
        "sms_fallback_url": _optional(record, "sms_fallback_url") or "",
        "sms_fallback_method": _method(record, "sms_fallback_method"),
    }


@dataclass(frozen=True, kw_only=True)
class IncomingNumber:
    """``api.v2010.account.incoming_phone_number``: a number and its own SMS handler."""

    sid: str
    phone_number: str
    sms_url: str = ""
    """The "A message comes in" webhook; blank means none."""
    sms_method: str = "POST"
    sms_fallback_url: str = ""
    sms_fallback_method: str = "POST"
    sms_application_sid: str = ""
    """A TwiML app that replaces the ``sms_*`` URLs when set (SPEC-2010 L19082)."""

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> IncomingNumber:
        kind = "incoming phone number"
        return cls(
            sid=_required(record, "sid", kind),
            phone_number=normalize_address(_required(record, "phone_number", kind)),
            **_sms_urls(record),
            sms_application_sid=_optional(record, "sms_application_sid") or "",
        )


@dataclass(frozen=True, kw_only=True)
class TwimlApplication:
    """``api.v2010.account.application``: the SMS URLs a number's TwiML app points at."""

    sid: str
    sms_url: str = ""
    sms_method: str = "POST"
    sms_fallback_url: str = ""
    sms_fallback_method: str = "POST"
    friendly_name: str = ""

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> TwimlApplication:
        return cls(
            sid=_required(record, "sid", "application"),
            **_sms_urls(record),
            friendly_name=_optional(record, "friendly_name") or "",
        )


@dataclass(frozen=True, kw_only=True)
class AutoCreation:
    """An address configuration's ``auto_creation`` object (FACTS §1)."""

    enabled: bool
    type: str
    """``webhook``, ``studio`` or ``default``; anything else is Twilio's 45762."""
    conversation_service_sid: str | None = None
    webhook_url: str | None = None
    webhook_method: str | None = None
    webhook_filters: tuple[str, ...] | None = None
    """None when omitted (the model then assumes ``onMessageAdded``, §5 Q19)."""
    studio_flow_sid: str | None = None
    studio_retry_count: int | None = None
    """None when omitted (the model then assumes 3, §5 Q9)."""

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> AutoCreation:
        kind = "auto_creation"
        retry = record.get("studio_retry_count")
        if retry is not None and (isinstance(retry, bool) or not isinstance(retry, int)):
            raise SnapshotError(f"{kind}: 'studio_retry_count' must be a whole number ({retry!r})")
        return cls(
            enabled=_flag(record, "enabled", kind),
            type=(_optional(record, "type") or "").lower(),
            conversation_service_sid=_optional(record, "conversation_service_sid"),
            webhook_url=_optional(record, "webhook_url"),
            webhook_method=(_optional(record, "webhook_method") or "").upper() or None,
            webhook_filters=_strings(record.get("webhook_filters"), f"{kind}.webhook_filters"),
            studio_flow_sid=_optional(record, "studio_flow_sid"),
            studio_retry_count=retry,
        )


@dataclass(frozen=True, kw_only=True)
class AddressConfiguration:
    """``conversations.v1.configuration_address``: autocreation for one address."""

    sid: str
    address: str
    type: str = "sms"
    friendly_name: str = ""
    auto_creation: AutoCreation | None = None
    """None when Twilio holds no autocreation data (its 45760)."""

    @property
    def autocreates(self) -> bool:
        """True when an inbound message that no conversation holds creates one."""
        return self.auto_creation is not None and self.auto_creation.enabled

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> AddressConfiguration:
        kind = "address configuration"
        auto = _mapping(record, "auto_creation", kind)
        return cls(
            sid=_required(record, "sid", kind),
            address=normalize_address(_required(record, "address", kind)),
            type=_optional(record, "type") or "sms",
            friendly_name=_optional(record, "friendly_name") or "",
            auto_creation=AutoCreation.from_twilio(auto) if auto is not None else None,
        )


@dataclass(frozen=True, kw_only=True)
class ServiceNumber:
    """``messaging.v1.service.phone_number``: a number in a Messaging Service's sender pool."""

    sid: str
    phone_number: str

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> ServiceNumber:
        kind = "messaging service phone number"
        return cls(
            sid=_required(record, "sid", kind),
            phone_number=normalize_address(_required(record, "phone_number", kind)),
        )


@dataclass(frozen=True, kw_only=True)
class MessagingService:
    """``messaging.v1.service`` with its numbers, and the Console mode when someone knows it."""

    sid: str
    friendly_name: str = ""
    inbound_request_url: str | None = None
    """None: per the spec, "receiving inbound messages is disabled" (SPEC-MSG L1075)."""
    inbound_method: str = "POST"
    fallback_url: str | None = None
    fallback_method: str = "POST"
    use_inbound_webhook_on_number: bool = False
    """The Console's "Defer to sender's webhook" (SPEC-MSG L1173)."""
    phone_numbers: tuple[ServiceNumber, ...] = ()
    incoming_mode: ServiceMode | None = None
    """The Console's "Incoming Messages" setting, which the API cannot show
    (notes §1.1); None = unknown, and the mode is then read from the API fields
    (:attr:`mode`). The emulator's seed may declare it."""

    def __post_init__(self) -> None:
        if self.incoming_mode is not None and self.incoming_mode not in SERVICE_MODES:
            raise SnapshotError(
                f"messaging service {self.sid}: incoming_mode {self.incoming_mode!r} is not "
                f"one of {', '.join(SERVICE_MODES)} (or None for unknown)"
            )

    @property
    def mode(self) -> ServiceMode:
        """The mode that governs inbound: declared, else what the API fields say.

        From the API alone: ``use_inbound_webhook_on_number`` -> defer; an
        ``inbound_request_url`` -> webhook; neither -> drop (the spec's "inbound
        disabled", §5 Q5). "autocreate" looks like one of these through the
        API, which is why :attr:`mode_declared` matters.
        """
        if self.incoming_mode is not None:
            return self.incoming_mode
        if self.use_inbound_webhook_on_number:
            return "defer"
        return "webhook" if self.inbound_request_url else "drop"

    @property
    def mode_declared(self) -> bool:
        """True when :attr:`mode` comes from a declared Console mode, not from the API."""
        return self.incoming_mode is not None

    def holds(self, number: IncomingNumber) -> bool:
        """True when ``number`` is in this service's sender pool (by SID or by number)."""
        return any(
            n.sid == number.sid or n.phone_number == number.phone_number for n in self.phone_numbers
        )

    @classmethod
    def from_twilio(
        cls,
        record: Mapping[str, Any],
        phone_numbers: Iterable[Mapping[str, Any]] = (),
        *,
        incoming_mode: ServiceMode | None = None,
    ) -> MessagingService:
        kind = "messaging service"
        return cls(
            sid=_required(record, "sid", kind),
            friendly_name=_optional(record, "friendly_name") or "",
            inbound_request_url=_optional(record, "inbound_request_url"),
            inbound_method=_method(record, "inbound_method"),
            fallback_url=_optional(record, "fallback_url"),
            fallback_method=_method(record, "fallback_method"),
            use_inbound_webhook_on_number=_flag(record, "use_inbound_webhook_on_number", kind),
            phone_numbers=tuple(ServiceNumber.from_twilio(n) for n in phone_numbers),
            incoming_mode=incoming_mode,
        )


@dataclass(frozen=True, kw_only=True)
class FlexFlow:
    """``flex.v1.flex_flow``: a legacy (Flex UI 1.x) channel claiming an identity."""

    sid: str
    contact_identity: str
    channel_type: str = "sms"
    enabled: bool = True
    friendly_name: str = ""
    integration_type: str | None = None
    integration: Mapping[str, Any] | None = field(default=None, compare=False)

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> FlexFlow:
        kind = "flex flow"
        integration = _mapping(record, "integration", kind)
        return cls(
            sid=_required(record, "sid", kind),
            contact_identity=normalize_address(_optional(record, "contact_identity") or ""),
            channel_type=(_optional(record, "channel_type") or "").lower(),
            enabled=_flag(record, "enabled", kind),
            friendly_name=_optional(record, "friendly_name") or "",
            integration_type=_optional(record, "integration_type"),
            integration=dict(integration) if integration is not None else None,
        )


# -- account-wide settings ---------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ConversationsDefaults:
    """``conversations.v1.configuration``: the account's Conversations defaults."""

    default_chat_service_sid: str | None = None
    default_messaging_service_sid: str | None = None
    default_inactive_timer: str | None = None
    default_closed_timer: str | None = None

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> ConversationsDefaults:
        return cls(
            default_chat_service_sid=_optional(record, "default_chat_service_sid"),
            default_messaging_service_sid=_optional(record, "default_messaging_service_sid"),
            default_inactive_timer=_optional(record, "default_inactive_timer"),
            default_closed_timer=_optional(record, "default_closed_timer"),
        )


@dataclass(frozen=True, kw_only=True)
class FlexConfiguration:
    """``flex.v1.configuration``: which Conversations service is Flex's."""

    chat_service_instance_sid: str | None = None

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> FlexConfiguration:
        return cls(chat_service_instance_sid=_optional(record, "chat_service_instance_sid"))


@dataclass(frozen=True, kw_only=True)
class StudioFlow:
    """``studio.v2.flow``: status and definition (parsed once into :attr:`reach`)."""

    sid: str
    status: str = "published"
    """``draft`` or ``published``: the latest revision's status."""
    definition: Any = field(default=None, compare=False, repr=False)
    """Studio's JSON, as an object or as text."""
    friendly_name: str = ""
    reach: FlexReach = field(init=False, compare=False)
    """Whether the definition hands incoming conversation messages to Flex."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "reach", flex_reach(self.definition))

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> StudioFlow:
        return cls(
            sid=_required(record, "sid", "studio flow"),
            status=(_optional(record, "status") or "draft").lower(),
            definition=record.get("definition"),
            friendly_name=_optional(record, "friendly_name") or "",
        )


# -- conversations -----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Participant:
    """``conversations.v1.conversation.conversation_participant``: who a conversation binds."""

    sid: str
    address: str | None = None
    """``messaging_binding.address``: the customer's number."""
    proxy_address: str | None = None
    """``messaging_binding.proxy_address``: the Twilio number."""
    identity: str | None = None

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> Participant:
        binding = _mapping(record, "messaging_binding", "participant") or {}
        address, proxy = _optional(binding, "address"), _optional(binding, "proxy_address")
        return cls(
            sid=_required(record, "sid", "participant"),
            address=normalize_address(address) if address else None,
            proxy_address=normalize_address(proxy) if proxy else None,
            identity=_optional(record, "identity"),
        )


@dataclass(frozen=True, kw_only=True)
class ScopedWebhook:
    """``conversations.v1.conversation.conversation_scoped_webhook``: an integration."""

    sid: str
    target: str
    """``webhook``, ``studio`` or ``trigger``."""
    url: str | None = None
    """``configuration.url`` (not the resource's own ``url``)."""
    method: str | None = None
    filters: tuple[str, ...] = ()
    flow_sid: str | None = None

    @classmethod
    def from_twilio(cls, record: Mapping[str, Any]) -> ScopedWebhook:
        kind = "conversation scoped webhook"
        config = _mapping(record, "configuration", kind) or {}
        return cls(
            sid=_required(record, "sid", kind),
            target=_required(record, "target", kind).lower(),
            url=_optional(config, "url"),
            method=(_optional(config, "method") or "").upper() or None,
            filters=_strings(config.get("filters"), f"{kind}.configuration.filters") or (),
            flow_sid=_optional(config, "flow_sid"),
        )


@dataclass(frozen=True, kw_only=True)
class Conversation:
    """``conversations.v1.conversation`` with its participants and scoped webhooks."""

    sid: str
    chat_service_sid: str | None = None
    messaging_service_sid: str | None = None
    state: str = "active"
    """``initializing``, ``active``, ``inactive`` or ``closed``."""
    participants: tuple[Participant, ...] = ()
    webhooks: tuple[ScopedWebhook, ...] = ()

    def binds(self, sender: str, to: str) -> bool:
        """True when a participant holds the (customer, Twilio number) pair and it is not closed."""
        return self.state != "closed" and any(
            p.address == sender and p.proxy_address == to for p in self.participants
        )

    @classmethod
    def from_twilio(
        cls,
        record: Mapping[str, Any],
        participants: Iterable[Mapping[str, Any]] = (),
        webhooks: Iterable[Mapping[str, Any]] = (),
    ) -> Conversation:
        return cls(
            sid=_required(record, "sid", "conversation"),
            chat_service_sid=_optional(record, "chat_service_sid"),
            messaging_service_sid=_optional(record, "messaging_service_sid"),
            state=(_optional(record, "state") or "active").lower(),
            participants=tuple(Participant.from_twilio(p) for p in participants),
            webhooks=tuple(ScopedWebhook.from_twilio(w) for w in webhooks),
        )


# -- the whole account -------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountSnapshot:
    """Everything the routing model reads, for one account.

    Lookups are indexed once per snapshot (on first use), so routing every
    number of a large account stays linear.
    """

    account_sid: str | None = None
    numbers: tuple[IncomingNumber, ...] = ()
    applications: tuple[TwimlApplication, ...] = ()
    addresses: tuple[AddressConfiguration, ...] = ()
    messaging_services: tuple[MessagingService, ...] = ()
    flex_flows: tuple[FlexFlow, ...] = ()
    conversations_defaults: ConversationsDefaults | None = None
    """None = unknown (not read)."""
    flex_configuration: FlexConfiguration | None = None
    """None = unknown (no Flex, or not read): the not-Flex-service check is skipped."""
    conversation_services: frozenset[str] | None = None
    """SIDs of the existing Conversations services; None = unknown."""
    studio_flows: tuple[StudioFlow, ...] = ()
    """The flows the snapshot knows; a referenced flow not here is missing."""
    conversations: tuple[Conversation, ...] = ()

    @classmethod
    def from_twilio(
        cls,
        *,
        account_sid: str | None = None,
        numbers: Iterable[Mapping[str, Any]] = (),
        applications: Iterable[Mapping[str, Any]] = (),
        addresses: Iterable[Mapping[str, Any]] = (),
        messaging_services: Iterable[tuple[Mapping[str, Any], Iterable[Mapping[str, Any]]]] = (),
        messaging_service_modes: Mapping[str, ServiceMode] | None = None,
        flex_flows: Iterable[Mapping[str, Any]] = (),
        conversations_configuration: Mapping[str, Any] | None = None,
        flex_configuration: Mapping[str, Any] | None = None,
        conversation_services: Iterable[Mapping[str, Any]] | None = None,
        studio_flows: Iterable[Mapping[str, Any]] = (),
        conversations: Iterable[
            tuple[Mapping[str, Any], Iterable[Mapping[str, Any]], Iterable[Mapping[str, Any]]]
        ] = (),
    ) -> AccountSnapshot:
        """Build a snapshot from Twilio's JSON records (the API's snake_case fields).

        ``messaging_services`` pairs each service record with its PhoneNumbers
        records; ``messaging_service_modes`` maps service SIDs to a known
        Console mode. ``conversations`` holds (conversation, participants,
        scoped webhooks) triples. ``conversation_services`` are
        ``conversations.v1.service`` records (None = not read).
        """
        modes = messaging_service_modes or {}
        services = tuple(
            MessagingService.from_twilio(
                record, members, incoming_mode=modes.get(str(record.get("sid")))
            )
            for record, members in messaging_services
        )
        return cls(
            account_sid=account_sid,
            numbers=tuple(IncomingNumber.from_twilio(r) for r in numbers),
            applications=tuple(TwimlApplication.from_twilio(r) for r in applications),
            addresses=tuple(AddressConfiguration.from_twilio(r) for r in addresses),
            messaging_services=services,
            flex_flows=tuple(FlexFlow.from_twilio(r) for r in flex_flows),
            conversations_defaults=(
                ConversationsDefaults.from_twilio(conversations_configuration)
                if conversations_configuration is not None
                else None
            ),
            flex_configuration=(
                FlexConfiguration.from_twilio(flex_configuration)
                if flex_configuration is not None
                else None
            ),
            conversation_services=(
                frozenset(
                    _required(r, "sid", "conversation service") for r in conversation_services
                )
                if conversation_services is not None
                else None
            ),
            studio_flows=tuple(StudioFlow.from_twilio(r) for r in studio_flows),
            conversations=tuple(
                Conversation.from_twilio(c, participants, webhooks)
                for c, participants, webhooks in conversations
            ),
        )

    # The indexes: first entry wins where Twilio's uniqueness is only inferred.

    @cached_property
    def _numbers(self) -> Mapping[str, IncomingNumber]:
        index: dict[str, IncomingNumber] = {}
        for number in self.numbers:
            index.setdefault(number.phone_number, number)
            index.setdefault(number.sid, number)
        return index

    @cached_property
    def _addresses(self) -> Mapping[str, AddressConfiguration]:
        index: dict[str, AddressConfiguration] = {}
        for address in self.addresses:
            index.setdefault(address.address, address)
        return index

    @cached_property
    def _services_by_member(self) -> Mapping[str, MessagingService]:
        index: dict[str, MessagingService] = {}
        for service in self.messaging_services:
            for member in service.phone_numbers:
                index.setdefault(member.sid, service)
                index.setdefault(member.phone_number, service)
        return index

    @cached_property
    def _applications(self) -> Mapping[str, TwimlApplication]:
        return {app.sid: app for app in reversed(self.applications)}

    @cached_property
    def _studio_flows(self) -> Mapping[str, StudioFlow]:
        return {flow.sid: flow for flow in reversed(self.studio_flows)}

    @cached_property
    def _bindings(self) -> Mapping[tuple[str, str], Conversation]:
        index: dict[tuple[str, str], Conversation] = {}
        for conversation in self.conversations:
            if conversation.state == "closed":
                continue
            for participant in conversation.participants:
                if participant.address and participant.proxy_address:
                    pair = (participant.address, participant.proxy_address)
                    index.setdefault(pair, conversation)
        return index

    @cached_property
    def _flex_flows(self) -> Mapping[str, tuple[FlexFlow, ...]]:
        index: dict[str, list[FlexFlow]] = {}
        for flow in self.flex_flows:
            index.setdefault(flow.contact_identity, []).append(flow)
        return {identity: tuple(flows) for identity, flows in index.items()}

    def number(self, phone_number_or_sid: str) -> IncomingNumber | None:
        """The account's number with this E.164 number (loosely written) or PN SID."""
        return self._numbers.get(normalize_address(phone_number_or_sid))

    def address_for(self, address: str) -> AddressConfiguration | None:
        """The address configuration for an address (a number, loosely written)."""
        return self._addresses.get(normalize_address(address))

    def messaging_service_of(self, number: IncomingNumber) -> MessagingService | None:
        """The Messaging Service whose sender pool holds the number (one per number, INFERRED)."""
        return self._services_by_member.get(number.sid) or self._services_by_member.get(
            number.phone_number
        )

    def application(self, sid: str) -> TwimlApplication | None:
        """The TwiML app with this SID (AP...), or None."""
        return self._applications.get(sid)

    def studio_flow(self, sid: str) -> StudioFlow | None:
        """The Studio flow with this SID (FW...), or None (missing)."""
        return self._studio_flows.get(sid)

    def bound_conversation(self, sender: str, to: str) -> Conversation | None:
        """The conversation, in any service and not closed, whose participant binds the pair."""
        return self._bindings.get((normalize_address(sender), normalize_address(to)))

    def flex_flows_for(self, identity: str) -> tuple[FlexFlow, ...]:
        """Every Flex Flow whose ``contact_identity`` is this identity (any channel, any state)."""
        return self._flex_flows.get(normalize_address(identity), ())
