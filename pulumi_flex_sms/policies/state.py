"""Reading pulumi-flex-sms state from inside a policy.

Policies see a resource's properties through the Policy SDK's read-only proxy:
reading a value that is unknown during preview raises
:class:`pulumi_policy.proxy.UnknownValueError`, which the SDK turns into one
advisory "can't run policy ... during preview" diagnostic. The helpers here keep
that behaviour (they never swallow the error) and add two things policies over
many resources need:

* :func:`lookup` walks nested keys and treats "absent" and "not an object" alike,
  so a policy is a few lines over the state keys from :mod:`pulumi_flex_sms.keys`.
* :class:`PendingUnknowns` lets a stack policy finish every check whose values
  are known (and report those violations) before it surfaces the first unknown
  value; otherwise one unknown URL in one resource would hide a real violation
  in another.

Numbers are compared in E.164 after :func:`normalize_number`, because users
write them loosely in other resources ("+1 (311) 555-2368").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

from pulumi_policy import PolicyResource
from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
    UnknownValueError,
)

from ..identifiers import is_sid, redact_url, strip_phone_punctuation
from ..keys import (
    FLEX_SMS_ADDRESS_TYPE,
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE,
    TWILIO_ADDRESS_TYPE,
    TWILIO_FLEX_FLOW_TYPE,
    TWILIO_INCOMING_NUMBER_TYPE,
    TWILIO_SERVICE_NUMBER_TYPE,
    TWILIO_STUDIO_FLOW_TYPE,
)
from ..routing.problems import Problem
from ..urls import has_credentials

__all__ = [
    "SHORT_TYPE_NAMES",
    "PendingUnknowns",
    "describe",
    "describe_named",
    "diagnostic",
    "is_phone_number_sid",
    "lookup",
    "normalize_number",
    "raise_if_unknown",
    "redact_url",
    "string_list_schema",
    "url_has_credentials",
    "url_host",
]

#: Type token -> the class name users write in their programs (used in messages).
SHORT_TYPE_NAMES: Mapping[str, str] = {
    FLEX_SMS_ADDRESS_TYPE: "FlexSmsAddress",
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: "PhoneNumberMessagingConfig",
    # The Terraform-bridged Twilio provider's classes (pulumi_flex_sms.keys, last section).
    TWILIO_INCOMING_NUMBER_TYPE: "ApiAccountsIncomingPhoneNumbers",
    TWILIO_ADDRESS_TYPE: "ConversationsConfigurationAddressesV1",
    TWILIO_SERVICE_NUMBER_TYPE: "MessagingServicesPhoneNumbersV1",
    TWILIO_STUDIO_FLOW_TYPE: "StudioFlowsV2",
    TWILIO_FLEX_FLOW_TYPE: "FlexFlexFlowsV1",
}

_UNKNOWN_SENTINELS = frozenset(
    {
        UNKNOWN_STRING_VALUE,
        UNKNOWN_BOOLEAN_VALUE,
        UNKNOWN_NUMBER_VALUE,
        UNKNOWN_ARRAY_VALUE,
        UNKNOWN_OBJECT_VALUE,
    }
)


def lookup(props: Mapping[str, Any], *path: str) -> Any:
    """Return the value at ``path`` (nested keys), or None when any step is absent.

    A step that is not an object also gives None: policies judge what the state
    says, and malformed state is the provider's ``check`` to reject. An unknown
    value raises ``UnknownValueError`` (from the SDK's proxy), on purpose.
    """
    value: Any = props
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
        if value is None:
            return None
    return value


def raise_if_unknown(value: Any, path: Iterable[str]) -> Any:
    """Raise ``UnknownValueError`` if ``value`` is the engine's unknown sentinel.

    For property maps the SDK does not wrap in its unknown-checking proxy: in
    ``Remediate`` (pulumi_policy 1.21) props come through the secrets-preserving
    proxy only, so an unknown arrives as the raw sentinel string.
    """
    if isinstance(value, str) and value in _UNKNOWN_SENTINELS:
        raise UnknownValueError(value, list(path))
    return value


def normalize_number(value: str) -> str:
    """Normalise a loosely written number for matching: ``+1 (311) 555-2368`` -> ``+13115552368``.

    Whitespace, dashes, dots and parentheses are dropped, exactly as the
    provider's ``check`` drops them; nothing is guessed (a number without its
    leading ``+`` is not given a country code, other digits are not made ASCII).
    """
    return strip_phone_punctuation(value)


def is_phone_number_sid(value: Any) -> bool:
    """True for an IncomingPhoneNumber SID (``PN`` + 32 ASCII hex digits, nothing around)."""
    return is_sid(value, "PN")


def url_has_credentials(url: str) -> bool:
    """True when the URL carries user info (``https://user:pass@host/``, or a bare token)."""
    return has_credentials(url)


def url_host(url: str) -> str | None:
    """The URL's host name, lower case, or None when it has none (or does not parse)."""
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    return host.rstrip(".") if host else None


def describe(resource: PolicyResource) -> str:
    """``FlexSmsAddress 'support-line'``: how messages name a resource."""
    return describe_named(resource.resource_type, resource.name)


def describe_named(resource_type: str, name: str) -> str:
    """:func:`describe` for a resource policy, which has a type and a name, not a resource."""
    return f"{SHORT_TYPE_NAMES.get(resource_type, resource_type)} '{name}'"


def diagnostic(problem: Problem) -> str:
    """A routing problem as a policy reports it: ``[<code>] <message>``.

    The code and the message are the routing model's (``pulumi_flex_sms.routing``),
    so the pack, ``flex-sms simulate-inbound`` and ``flex-sms audit`` say the same.
    """
    return f"[{problem.code}] {problem.message}"


def string_list_schema(description: str) -> dict[str, Any]:
    """The JSON schema of a policy config property that lists strings (numbers, hosts...)."""
    return {"type": "array", "items": {"type": "string"}, "description": description}


class PendingUnknowns:
    """The first value a policy could not read during preview, kept until the end.

    Catching ``UnknownValueError`` per resource (and nothing broader) lets a policy
    report every violation it *can* see, then call :meth:`raise_first` so the SDK
    still reports that the policy could not fully run. The re-raised error's path
    is prefixed with the resource name so the user can tell which resource it is.
    """

    def __init__(self) -> None:
        self._first: UnknownValueError | None = None

    def add(self, error: UnknownValueError, resource: PolicyResource | None = None) -> None:
        """Remember ``error`` if it is the first one; ``resource`` names where it was read.

        Resource policies pass no resource: the engine already attaches their
        diagnostics to the resource being analysed.
        """
        if self._first is None:
            path = [resource.name, *error.props] if resource is not None else list(error.props)
            self._first = UnknownValueError(error.unknown_type_sentinel, path)

    def __bool__(self) -> bool:
        return self._first is not None

    def raise_first(self) -> None:
        """Raise the remembered error, if any, for the SDK to report."""
        if self._first is not None:
            raise self._first
