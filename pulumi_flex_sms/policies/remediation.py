"""Remediation (off by default): blank a Flex number's own inbound handler.

Remediations are per resource: ``Remediate`` receives one resource's inputs
and nothing about the rest of the stack, so this policy cannot see which
numbers have an auto-creating FlexSmsAddress. The user says so in its config
(``numbers``, or ``allNumbers`` for stacks whose PhoneNumberMessagingConfigs all
serve Flex addresses); the mandatory stack policy still checks the result.

It returns ``args.props`` mutated in place: in ``Remediate`` that is the SDK's
secrets-preserving proxy, so a secret ``smsUrl`` stays secret (as ``""``) and
``__provider`` (which ``Remediate`` receives and which the returned map must
keep, as it replaces all inputs) survives. ``dict(args.props)`` would unwrap
every secret into plaintext.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ResourceValidationArgs,
    ResourceValidationPolicy,
)
from pulumi_policy.policy import ResourceRemediation

from ..keys import PHONE_NUMBER_MESSAGING_CONFIG_TYPE, PhoneNumberKeys
from .allowlist import number_allowlist
from .state import normalize_number, raise_if_unknown, string_list_schema

__all__ = ["blank_inbound_handler", "remediate_blank_inbound_handler"]


def _targeted(props: Mapping[str, Any], config: Mapping[str, Any]) -> bool:
    if config.get("allNumbers") is True:
        return True
    targets = number_allowlist(config.get("numbers") or ())
    if not targets:
        return False
    number = raise_if_unknown(
        props.get(PhoneNumberKeys.PHONE_NUMBER), [PhoneNumberKeys.PHONE_NUMBER]
    )
    if isinstance(number, str) and normalize_number(number) in targets:
        return True
    sid = raise_if_unknown(
        props.get(PhoneNumberKeys.PHONE_NUMBER_SID), [PhoneNumberKeys.PHONE_NUMBER_SID]
    )
    return isinstance(sid, str) and sid in targets


def remediate_blank_inbound_handler(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Blank ``smsUrl`` (and a managed ``smsApplicationSid``) on targeted number configs.

    Returns the mutated ``args.props``, or None when there is nothing to change.
    An unmanaged ``smsApplicationSid`` (absent) stays unmanaged: adding it would
    change what the config owns, which is not this remediation's call.
    """
    if args.resource_type != PHONE_NUMBER_MESSAGING_CONFIG_TYPE:
        return None
    props = args.props
    if not _targeted(props, args.get_config()):
        return None
    changed = False
    # props is typed a Mapping; the SDK's proxy takes assignments (see above): the ignores.
    if props.get(PhoneNumberKeys.SMS_URL) != "":
        props[PhoneNumberKeys.SMS_URL] = ""  # type: ignore[index]
        changed = True
    app = props.get(PhoneNumberKeys.SMS_APPLICATION_SID)
    if app is not None and app != "":
        props[PhoneNumberKeys.SMS_APPLICATION_SID] = ""  # type: ignore[index]
        changed = True
    return props if changed else None


blank_inbound_handler = ResourceValidationPolicy(
    name="flex-sms-blank-inbound-handler",
    description=(
        "Remediation: blank smsUrl (and a managed smsApplicationSid) on the "
        "PhoneNumberMessagingConfigs of numbers whose FlexSmsAddress auto-creates, as "
        "listed in config (numbers, or allNumbers)."
    ),
    # pulumi_policy types a remediation as returning an awaitable, yet its analyzer takes
    # the mapping itself as well (it awaits only what is awaitable), as this one returns.
    remediate=cast(ResourceRemediation, remediate_blank_inbound_handler),
    enforcement_level=EnforcementLevel.DISABLED,
    config_schema=PolicyConfigSchema(
        properties={
            "numbers": string_list_schema(
                "Numbers (E.164) or PN SIDs whose FlexSmsAddress auto-creates; their "
                "PhoneNumberMessagingConfig gets a blank inbound handler."
            ),
            "allNumbers": {
                "type": "boolean",
                "default": False,
                "description": (
                    "Blank the handler on every PhoneNumberMessagingConfig in the stack "
                    "(for stacks whose numbers all serve auto-creating Flex addresses)."
                ),
            },
        },
    ),
)
