"""Policies on the webhook URLs of FlexSmsAddress and PhoneNumberMessagingConfig.

Secrets and policies: pulumi_policy 1.21.0 hands ``Analyze`` and ``AnalyzeStack``
secret values already unwrapped (it deserializes with ``proxy_secrets=False``),
so a policy cannot see whether a URL is a secret. Only ``Remediate`` keeps the
secret markers, and it runs only for policies at the ``remediate`` level.
:data:`webhook_credentials_secret` therefore treats a credential-carrying URL as
secret only where that can be established without seeing the marker:

* the key is one the resource itself always makes secret
  (:data:`RESOURCE_SECRET_KEYS`; FlexSmsAddress ``autoCreation.webhookUrl``);
* its top-level key is in the resource's ``additional_secret_outputs``, which
  the engine does pass to policies and which guarantees a secret in state;
* the user lists it in the policy's ``secretKeys`` config (for a value they
  made secret in a way the pack cannot see, e.g. ``pulumi.Output.secret``).

Everything else is reported. It is a stack policy because recorded outputs such
as ``originalSettings.smsUrl`` exist only after ``pulumi up``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
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
    SHORT_TYPE_NAMES,
    PendingUnknowns,
    describe,
    lookup,
    redact_url,
    string_list_schema,
    url_has_credentials,
    url_host,
)

__all__ = [
    "CREDENTIAL_URL_KEYS",
    "RESOURCE_SECRET_KEYS",
    "WEBHOOK_URL_KEYS",
    "allowed_webhook_hosts",
    "check_allowed_webhook_hosts",
    "check_https_webhooks",
    "check_webhook_credentials_secret",
    "host_allowed",
    "https_webhooks",
    "webhook_credentials_secret",
]

Path = tuple[str, ...]

#: The webhook URLs a user sets, per type token (input keys, as paths).
WEBHOOK_URL_KEYS: Mapping[str, tuple[Path, ...]] = {
    FLEX_SMS_ADDRESS_TYPE: ((AddressKeys.AUTO_CREATION, AutoCreationKeys.WEBHOOK_URL),),
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: (
        (PhoneNumberKeys.SMS_URL,),
        (PhoneNumberKeys.SMS_FALLBACK_URL,),
    ),
}

#: Every key that can hold a webhook URL in state, including recorded outputs.
CREDENTIAL_URL_KEYS: Mapping[str, tuple[Path, ...]] = {
    FLEX_SMS_ADDRESS_TYPE: WEBHOOK_URL_KEYS[FLEX_SMS_ADDRESS_TYPE],
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: (
        *WEBHOOK_URL_KEYS[PHONE_NUMBER_MESSAGING_CONFIG_TYPE],
        (PhoneNumberKeys.ORIGINAL_SETTINGS, PhoneNumberKeys.SMS_URL),
        (PhoneNumberKeys.ORIGINAL_SETTINGS, PhoneNumberKeys.SMS_FALLBACK_URL),
    ),
}

#: Keys the resource class itself makes secret when the URL carries credentials
#: (the resource's documented contract; the pack cannot check it, see above).
RESOURCE_SECRET_KEYS: Mapping[str, frozenset[Path]] = {
    FLEX_SMS_ADDRESS_TYPE: frozenset({(AddressKeys.AUTO_CREATION, AutoCreationKeys.WEBHOOK_URL)}),
    PHONE_NUMBER_MESSAGING_CONFIG_TYPE: frozenset(
        {(PhoneNumberKeys.SMS_URL,), (PhoneNumberKeys.SMS_FALLBACK_URL,)}
    ),
}


def _dotted(path: Path) -> str:
    return ".".join(path)


def _urls(
    props: Mapping[str, Any],
    paths: Sequence[Path],
    pending: PendingUnknowns,
    resource: PolicyResource | None = None,
) -> Iterator[tuple[Path, str]]:
    """Yield (path, url) for the non-blank URLs at ``paths``; unknowns go to ``pending``."""
    for path in paths:
        try:
            value = lookup(props, *path)
        except UnknownValueError as err:
            pending.add(err, resource)
            continue
        if isinstance(value, str) and value.strip():
            yield path, value.strip()


def check_https_webhooks(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    """Report every webhook URL of the resource that is not https."""
    paths = WEBHOOK_URL_KEYS.get(args.resource_type)
    if not paths:
        return
    pending = PendingUnknowns()
    for path, url in _urls(args.props, paths, pending):
        if not url.lower().startswith("https://") or url_host(url) is None:
            report_violation(
                f"{_dotted(path)} is {redact_url(url)}, not an https URL. Twilio sends the "
                "sender's number and the message text to it; over http anyone on the way "
                "can read them (and a request signature does not stop that).\n"
                "Fix: serve the webhook over https and use its https:// URL.",
                None,
            )
    pending.raise_first()


def host_allowed(host: str, patterns: Sequence[str]) -> bool:
    """True if ``host`` matches: ``example.com`` exactly, ``*.example.com`` any subdomain."""
    host = host.lower().rstrip(".")
    for pattern in patterns:
        pattern = pattern.strip().lower().rstrip(".")
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif host == pattern:
            return True
    return False


def check_allowed_webhook_hosts(
    args: ResourceValidationArgs, report_violation: ReportViolation
) -> None:
    """Report webhook URLs whose host is not in the configured ``hosts`` allowlist."""
    paths = WEBHOOK_URL_KEYS.get(args.resource_type)
    if not paths:
        return
    patterns = [p for p in args.get_config().get("hosts") or () if isinstance(p, str)]
    if not patterns:
        args.not_applicable("no webhook host allowlist configured (config: hosts)")
    pending = PendingUnknowns()
    for path, url in _urls(args.props, paths, pending):
        host = url_host(url)
        if host is None or not host_allowed(host, patterns):
            report_violation(
                f"{_dotted(path)} sends messages to {host or redact_url(url)}, which is not "
                f"in this stack's webhook host allowlist ({', '.join(patterns)}).\n"
                "Fix: point it at an allowed host, or add the host to the "
                "flex-sms-allowed-webhook-hosts policy's hosts config.",
                None,
            )
    pending.raise_first()


def _proved_secret(resource: PolicyResource, path: Path, declared: frozenset[str]) -> bool:
    if path in RESOURCE_SECRET_KEYS.get(resource.resource_type, frozenset()):
        return True
    if path[0] in (resource.opts.additional_secret_outputs or ()):
        return True
    kind = SHORT_TYPE_NAMES[resource.resource_type]
    return f"{kind}.{_dotted(path)}" in declared


def check_webhook_credentials_secret(
    args: StackValidationArgs, report_violation: ReportViolation
) -> None:
    """Report webhook URLs with credentials that the pack cannot establish are secret."""
    declared = frozenset(k for k in args.get_config().get("secretKeys") or () if isinstance(k, str))
    pending = PendingUnknowns()
    for resource in args.resources:
        paths = CREDENTIAL_URL_KEYS.get(resource.resource_type)
        if not paths:
            continue
        for path, url in _urls(resource.props, paths, pending, resource):
            if url_has_credentials(url) and not _proved_secret(resource, path, declared):
                report_violation(_credentials_message(resource, path, url), resource.urn)
    pending.raise_first()


def _credentials_message(resource: PolicyResource, path: Path, url: str) -> str:
    kind = SHORT_TYPE_NAMES[resource.resource_type]
    return (
        f"{describe(resource)}: {_dotted(path)} holds a URL with credentials "
        f"({redact_url(url)}) that this pack cannot establish is a secret, so the password "
        "may be stored in plaintext in the state file and in `pulumi stack export`. "
        "(Policies see secrets unwrapped, so the pack only trusts keys the resource "
        "always encrypts, additional_secret_outputs, and the secretKeys config.)\n"
        "Fix: pass opts=pulumi.ResourceOptions(additional_secret_outputs="
        f'["{path[0]}"]) to {describe(resource)}, or take the credentials out of the URL '
        "(validate Twilio's X-Twilio-Signature instead); if the value is already secret, "
        f'list "{kind}.{_dotted(path)}" in the flex-sms-webhook-credentials-secret '
        "policy's secretKeys config."
    )


https_webhooks = ResourceValidationPolicy(
    name="flex-sms-https-webhooks",
    description="Webhook URLs (autoCreation.webhookUrl, smsUrl, smsFallbackUrl) must be https.",
    validate=check_https_webhooks,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
)

allowed_webhook_hosts = ResourceValidationPolicy(
    name="flex-sms-allowed-webhook-hosts",
    description="Webhook URLs may only point at the hosts in the configured allowlist.",
    validate=check_allowed_webhook_hosts,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.MEDIUM,
    config_schema=PolicyConfigSchema(
        properties={
            "hosts": string_list_schema(
                "Allowed webhook hosts: 'hooks.example.com' exactly, or "
                "'*.example.com' for any subdomain. Empty: the policy does not apply."
            ),
        },
    ),
)

webhook_credentials_secret = StackValidationPolicy(
    name="flex-sms-webhook-credentials-secret",
    description=(
        "A webhook URL that carries credentials (https://user:pass@host/) must be a secret."
    ),
    validate=check_webhook_credentials_secret,
    enforcement_level=EnforcementLevel.MANDATORY,
    severity=Severity.HIGH,
    config_schema=PolicyConfigSchema(
        properties={
            "secretKeys": string_list_schema(
                "Keys you made secret in a way policies cannot see, as "
                "'<Type>.<key path>', e.g. 'PhoneNumberMessagingConfig.smsUrl'."
            ),
        },
    ),
)
