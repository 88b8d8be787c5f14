"""Call policy functions directly, with the argument objects the SDK builds.

Properties go through the SDK's own ``deserialize_properties`` and
``unknown_checking_proxy`` (as in ``Analyze``/``AnalyzeStack``), or through the
secrets-preserving proxy (as in ``Remediate``), so the policies see exactly the
mapping types they get in a real run: reading :data:`UNKNOWN` raises
``UnknownValueError`` and secrets are unwrapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from pulumi_policy import (
    Policy,
    PolicyCustomTimeouts,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.deserialize import deserialize_properties
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from support.analyzer import StackEntry, urn


@dataclass(frozen=True)
class Violation:
    message: str
    urn: str | None


def _options(additional_secret_outputs: Sequence[str] = ()) -> PolicyResourceOptions:
    return PolicyResourceOptions(
        False, [], None, [], PolicyCustomTimeouts(0, 0, 0), list(additional_secret_outputs), None
    )


def policy_resource(
    type_: str, name: str, props: Mapping[str, Any], additional_secret_outputs: Sequence[str] = ()
) -> PolicyResource:
    """A stack resource as AnalyzeStack builds it."""
    proxied = unknown_checking_proxy(deserialize_properties(dict(props)))
    return PolicyResource(
        type_,
        proxied,
        urn(type_, name),
        name,
        _options(additional_secret_outputs),
        None,
        None,
        [],
        {},
    )


def run_stack_policy(
    policy: Policy,
    resources: Iterable[StackEntry],
    config: Mapping[str, Any] | None = None,
    additional_secret_outputs: Mapping[str, Sequence[str]] | None = None,
    into: list[Violation] | None = None,
) -> list[Violation]:
    """Run a stack policy's validate; returns what it reported (raises what it raises).

    ``into`` collects the violations too, for a test that expects a raise after them.
    """
    assert isinstance(policy, StackValidationPolicy)
    secrets = additional_secret_outputs or {}
    stack = [policy_resource(t, n, p, secrets.get(n, ())) for t, n, p in resources]
    found: list[Violation] = [] if into is None else into
    policy.validate(
        StackValidationArgs(stack, dict(config or {})),
        lambda message, urn=None: found.append(Violation(message, urn)),
    )
    return found


def resource_args(
    type_: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any] | None = None
) -> ResourceValidationArgs:
    """ResourceValidationArgs as Analyze builds them."""
    proxied = unknown_checking_proxy(deserialize_properties(dict(props)))
    return ResourceValidationArgs(
        type_, proxied, urn(type_, name), name, _options(), None, dict(config or {})
    )


def run_resource_policy(
    policy: Policy,
    type_: str,
    props: Mapping[str, Any],
    config: Mapping[str, Any] | None = None,
    name: str = "r",
    into: list[str] | None = None,
) -> list[str]:
    """Run a resource policy's validate; returns the reported messages (``into`` too)."""
    assert isinstance(policy, ResourceValidationPolicy)
    found: list[str] = [] if into is None else into
    policy.validate(
        resource_args(type_, name, props, config),
        lambda message, urn=None: found.append(message),
    )
    return found


def remediation_args(
    type_: str, name: str, props: Mapping[str, Any], config: Mapping[str, Any] | None = None
) -> ResourceValidationArgs:
    """ResourceValidationArgs as Remediate builds them (secret markers preserved)."""
    proxied = unknown_checking_proxy(deserialize_properties(dict(props), True))
    return ResourceValidationArgs(
        type_, proxied, urn(type_, name), name, _options(), None, dict(config or {})
    )


@contextmanager
def raises_unknown(path: str) -> Iterator[None]:
    """Expect the SDK's UnknownValueError for the value at ``path`` (``name.key...``)."""
    with pytest.raises(UnknownValueError) as raised:
        yield
    assert raised.value.message == f"string value at .{path} can't be known during preview"
