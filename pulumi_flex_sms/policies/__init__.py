"""Policies for pulumi-flex-sms stacks, importable to compose into your own pack.

Use the ready pack::

    pulumi preview --policy-pack "$(flex-sms policy-pack)"

or compose these policies with yours (in your pack's ``__main__.py``)::

    from pulumi_policy import PolicyPack
    from pulumi_flex_sms.policies import ALL_POLICIES

    PolicyPack(name="my-org", policies=[*ALL_POLICIES, my_policy])

Each policy is also importable by its Python name (below) and by its policy
name through :data:`POLICIES_BY_NAME`. Policy names appear in
``--policy-pack-config`` files: they never change once released.

Importing this module does not start a policy pack (constructing ``PolicyPack``
does, and then never returns), so unit tests and other packs can import it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from pulumi_policy import Policy

from .allowlist import allowed_numbers
from .autocreation import (
    autocreation_enabled,
    autocreation_reaches_flex,
    autocreation_target,
    studio_retry_count,
)
from .flows import no_legacy_flex_flow, studio_flow_reaches_flex
from .numbers import (
    inbound_handler_unverified,
    no_inbound_handler_with_autocreation,
    one_address_per_number,
)
from .remediation import blank_inbound_handler
from .services import no_messaging_service_with_autocreation
from .webhooks import allowed_webhook_hosts, https_webhooks, webhook_credentials_secret

__all__ = [
    "ALL_POLICIES",
    "PACK_NAME",
    "POLICIES_BY_NAME",
    "allowed_numbers",
    "allowed_webhook_hosts",
    "autocreation_enabled",
    "autocreation_reaches_flex",
    "autocreation_target",
    "blank_inbound_handler",
    "https_webhooks",
    "inbound_handler_unverified",
    "no_inbound_handler_with_autocreation",
    "no_legacy_flex_flow",
    "no_messaging_service_with_autocreation",
    "one_address_per_number",
    "pack_dir",
    "studio_flow_reaches_flex",
    "studio_retry_count",
    "webhook_credentials_secret",
]

#: Name of the ready pack (``pulumi_flex_sms/policies/pack``).
PACK_NAME = "flex-sms"

#: Every policy of the pack, the reason it exists first. Shared by everyone who
#: imports it: copy it (``[*ALL_POLICIES, mine]``) rather than appending to it.
ALL_POLICIES: list[Policy] = [
    no_inbound_handler_with_autocreation,
    inbound_handler_unverified,
    one_address_per_number,
    no_messaging_service_with_autocreation,
    studio_flow_reaches_flex,
    no_legacy_flex_flow,
    https_webhooks,
    autocreation_target,
    studio_retry_count,
    autocreation_reaches_flex,
    autocreation_enabled,
    allowed_numbers,
    allowed_webhook_hosts,
    webhook_credentials_secret,
    blank_inbound_handler,
]

#: Policy name (as in ``--policy-pack-config``) -> policy.
POLICIES_BY_NAME: Mapping[str, Policy] = MappingProxyType({p.name: p for p in ALL_POLICIES})

if len(POLICIES_BY_NAME) != len(ALL_POLICIES):  # pragma: no cover - a packaging bug
    raise RuntimeError("pulumi_flex_sms.policies: two policies share a name")


def pack_dir() -> Path:
    """The ready policy pack directory inside the installed package.

    ``pulumi preview --policy-pack`` takes it as is; ``flex-sms policy-pack
    --write DIR`` copies it somewhere less awkward than site-packages.
    """
    return Path(__file__).resolve().parent / "pack"
