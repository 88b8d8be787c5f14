"""Drive a policy pack over gRPC the way the Pulumi engine does.

The Pulumi CLI is not available to the tests, so :class:`PolicyPackProcess`
starts the pack as the Python language host does
(``python -u -m pulumi.policy 127.0.0.1:0 <pack-dir>``, cwd = the pack dir, the
``PULUMI_*`` environment, port from the first stdout line) and calls the
analyzer RPCs with the property bags the engine sends
(``pulumi-engine-protocol.md`` section 2):

* ``Analyze`` gets one resource's checked inputs; ``AnalyzeStack`` every
  resource's outputs (inputs in preview); internal keys such as ``__provider``
  are not sent to either. ``Remediate`` does get ``__provider``.
* Secrets arrive sig-wrapped (use :func:`secret`); unknowns during preview are
  the string :data:`UNKNOWN`; numbers become floats on the wire.
* ``Configure`` replaces the whole policy config and an unset level means
  advisory, so :meth:`PolicyPackProcess.configure` does what the engine does:
  start from every policy's default level and schema defaults, apply the given
  ``--policy-pack-config`` style mapping, validate it against each policy's
  schema, and send an entry for every policy.

:func:`analyze_stack` takes a plain list of ``(type, name, props)``; a test that
feeds it the outputs a provider returned (for example ``from_struct`` of a
``CreateResponse.properties`` from ``support.engine``) needs nothing more.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
import jsonschema
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

from pulumi_flex_sms.policies import pack_dir

__all__ = [
    "PROJECT",
    "STACK",
    "UNKNOWN",
    "AnalyzeResult",
    "Diagnostic",
    "PolicyPackProcess",
    "StackEntry",
    "analyze_stack",
    "engine_policy_config",
    "is_secret",
    "secret",
    "to_analyzer_resources",
    "urn",
]

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_SIG = "4dabf18193072939515e22adb298388d"
_SECRET = "1b47061264138c4ac30d75fd1eb44270"
PROJECT = "flex-sms-test"
STACK = "dev"
REPO_ROOT = Path(__file__).resolve().parents[2]

#: One resource of a stack: (type token, resource name, properties).
StackEntry = tuple[str, str, Mapping[str, Any]]


def secret(value: Any) -> dict[str, Any]:
    """``value`` wrapped as the engine sends a secret to a policy pack."""
    return {_SIG: _SECRET, "value": value}


def is_secret(value: Any) -> bool:
    """True if ``value`` is a sig-wrapped secret."""
    return isinstance(value, Mapping) and value.get(_SIG) == _SECRET


def urn(type_: str, name: str) -> str:
    """The URN the engine gives a top-level resource of the test stack."""
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_}::{name}"


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def _without_internal_keys(props: Mapping[str, Any]) -> dict[str, Any]:
    # The engine marshals Analyze/AnalyzeStack properties with SkipInternalKeys.
    return {k: v for k, v in props.items() if not k.startswith("__")}


def _options(additional_secret_outputs: Sequence[str] = ()) -> analyzer_pb2.AnalyzerResourceOptions:
    return analyzer_pb2.AnalyzerResourceOptions(
        additionalSecretOutputs=list(additional_secret_outputs)
    )


def to_analyzer_resources(
    resources: Iterable[StackEntry],
    *,
    additional_secret_outputs: Mapping[str, Sequence[str]] | None = None,
) -> list[analyzer_pb2.AnalyzerResource]:
    """``(type, name, props)`` entries as the engine's ``AnalyzerResource`` messages.

    ``additional_secret_outputs`` maps a resource name to that resource option.
    """
    secrets = additional_secret_outputs or {}
    return [
        analyzer_pb2.AnalyzerResource(
            type=type_,
            name=name,
            urn=urn(type_, name),
            properties=_struct(_without_internal_keys(props)),
            options=_options(secrets.get(name, ())),
        )
        for type_, name, props in resources
    ]


@dataclass(frozen=True)
class Diagnostic:
    """One policy diagnostic, decoded."""

    policy: str
    level: str
    urn: str
    message: str
    description: str


@dataclass
class AnalyzeResult:
    """Diagnostics and not-applicable policies from Analyze or AnalyzeStack."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    not_applicable: dict[str, str] = field(default_factory=dict)

    @classmethod
    def decode(cls, response: analyzer_pb2.AnalyzeResponse) -> AnalyzeResult:
        """Decode an ``AnalyzeResponse``."""
        return cls(
            diagnostics=[
                Diagnostic(
                    policy=d.policyName,
                    level=analyzer_pb2.EnforcementLevel.Name(d.enforcementLevel).lower(),
                    urn=d.urn,
                    message=d.message,
                    description=d.description,
                )
                for d in response.diagnostics
            ],
            not_applicable={n.policy_name: n.reason for n in response.not_applicable},
        )

    def of(self, policy: str) -> list[Diagnostic]:
        """The diagnostics of one policy."""
        return [d for d in self.diagnostics if d.policy == policy]

    @property
    def policies(self) -> set[str]:
        """Names of the policies that reported something."""
        return {d.policy for d in self.diagnostics}

    @property
    def mandatory(self) -> list[Diagnostic]:
        """The diagnostics that would fail the operation."""
        return [d for d in self.diagnostics if d.level == "mandatory"]


@dataclass
class Remediated:
    """One remediation, decoded; ``properties`` keep secrets sig-wrapped."""

    policy: str
    properties: dict[str, Any]
    diagnostic: str


def engine_policy_config(
    info: analyzer_pb2.AnalyzerInfo, given: Mapping[str, Any]
) -> dict[str, tuple[str, dict[str, Any]]]:
    """What the engine sends to Configure for a ``--policy-pack-config`` mapping.

    Mirrors ``ReconcilePolicyPackConfig`` (pulumi ``pkg/resource/analyzer/config.go``):
    defaults (level + schema defaults), then ``all``, then per-policy entries;
    each policy's properties are validated against ``{"type": "object",
    "properties": ..., "required": ...}``. Raises ``ValueError`` like the CLI would.
    """
    levels = {"advisory", "mandatory", "remediate", "disabled"}
    result: dict[str, tuple[str, dict[str, Any]]] = {}
    schemas: dict[str, dict[str, Any]] = {}
    for policy in info.policies:
        schema = json_format.MessageToDict(policy.configSchema)
        props = schema.get("properties", {})
        defaults = {k: v["default"] for k, v in props.items() if "default" in v}
        level = analyzer_pb2.EnforcementLevel.Name(policy.enforcementLevel).lower()
        result[policy.name] = (level, defaults)
        schemas[policy.name] = {
            "type": "object",
            **({"properties": props} if props else {}),
            **({"required": schema["required"]} if schema.get("required") else {}),
        }
    if isinstance(given.get("all"), str):
        if given["all"] not in levels:
            raise ValueError(f"all: {given['all']!r} is not a valid enforcement level")
        result = {name: (given["all"], props) for name, (_, props) in result.items()}
    for name, value in given.items():
        if name == "all":
            continue
        level, props = result.get(name, ("advisory", {}))
        if isinstance(value, str):
            level = value
        else:
            value = dict(value)
            level = value.pop("enforcementLevel", level)
            props = {**props, **value}
        if level not in levels:
            raise ValueError(f"{name}: {level!r} is not a valid enforcement level")
        result[name] = (level, props)
    for name, (_, props) in result.items():
        if name in schemas:
            try:
                jsonschema.validate(props, schemas[name])
            except jsonschema.ValidationError as exc:
                raise ValueError(f"{name}: {exc.message}") from exc
    return result


class PolicyPackProcess:
    """A policy pack started like the language host starts it; stopped by pid."""

    def __init__(
        self,
        directory: Path | None = None,
        *,
        dry_run: bool = True,
        config: Mapping[str, str] | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.directory = (directory or pack_dir()).resolve()
        env = {
            **os.environ,
            "PULUMI_ORGANIZATION": "organization",
            "PULUMI_PROJECT": PROJECT,
            "PULUMI_STACK": STACK,
            "PULUMI_DRY_RUN": "true" if dry_run else "false",
            "PULUMI_CONFIG": json.dumps(dict(config or {})),
            # The pack imports pulumi_flex_sms; make it this checkout's.
            "PYTHONPATH": os.pathsep.join(
                p for p in (str(REPO_ROOT), os.environ.get("PYTHONPATH", "")) if p
            ),
        }
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.policy", "127.0.0.1:0", str(self.directory)],
            cwd=self.directory,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=env,
        )
        try:
            self.port = self._read_port(timeout)
            self.channel = grpc.insecure_channel(
                f"127.0.0.1:{self.port}",
                options=[("grpc.max_send_message_length", 400 * 1024 * 1024)],
            )
            grpc.channel_ready_future(self.channel).result(timeout=timeout)
        except BaseException:
            self.stop()
            raise
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        self._info: analyzer_pb2.AnalyzerInfo | None = None

    def _read_port(self, timeout: float) -> int:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else b""
        try:
            return int(line.decode().strip())
        except ValueError:
            raise RuntimeError(
                f"policy pack did not print its port (first stdout line {line!r}); "
                f"stderr:\n{self.stderr()}"
            ) from None

    def stderr(self) -> str:
        """What the pack wrote to stderr so far."""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self) -> None:
        """Stop the pack process (by its pid) and close the channel."""
        if getattr(self, "channel", None) is not None:
            self.channel.close()
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()

    def __enter__(self) -> PolicyPackProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- RPCs ---------------------------------------------------------------

    def plugin_info(self) -> plugin_pb2.PluginInfo:
        """GetPluginInfo."""
        return self.stub.GetPluginInfo(empty_pb2.Empty())

    def info(self) -> analyzer_pb2.AnalyzerInfo:
        """GetAnalyzerInfo (cached: the pack's metadata does not change)."""
        if self._info is None:
            self._info = self.stub.GetAnalyzerInfo(empty_pb2.Empty())
        return self._info

    def configure(self, given: Mapping[str, Any] | None = None) -> None:
        """Configure as the engine does for a ``--policy-pack-config`` mapping ({}: defaults)."""
        config = engine_policy_config(self.info(), given or {})
        self.stub.Configure(
            analyzer_pb2.ConfigureAnalyzerRequest(
                policyConfig={
                    name: analyzer_pb2.PolicyConfig(
                        enforcementLevel=analyzer_pb2.EnforcementLevel.Value(level.upper()),
                        properties=_struct(props),
                    )
                    for name, (level, props) in config.items()
                }
            )
        )

    def analyze(
        self,
        type_: str,
        name: str,
        props: Mapping[str, Any],
        *,
        additional_secret_outputs: Sequence[str] = (),
    ) -> AnalyzeResult:
        """Analyze one resource's checked inputs."""
        request = analyzer_pb2.AnalyzeRequest(
            type=type_,
            name=name,
            urn=urn(type_, name),
            properties=_struct(_without_internal_keys(props)),
            options=_options(additional_secret_outputs),
        )
        return AnalyzeResult.decode(self.stub.Analyze(request))

    def analyze_stack(
        self,
        resources: Iterable[StackEntry],
        *,
        additional_secret_outputs: Mapping[str, Sequence[str]] | None = None,
    ) -> AnalyzeResult:
        """AnalyzeStack over ``(type, name, props)`` entries (outputs, or inputs in preview)."""
        return analyze_stack(self, resources, additional_secret_outputs=additional_secret_outputs)

    def remediate(self, type_: str, name: str, props: Mapping[str, Any]) -> list[Remediated]:
        """Remediate one resource; ``props`` may hold ``__provider`` and sig-wrapped secrets."""
        request = analyzer_pb2.AnalyzeRequest(
            type=type_, name=name, urn=urn(type_, name), properties=_struct(props)
        )
        response = self.stub.Remediate(request)
        return [
            Remediated(
                policy=r.policyName,
                properties=json_format.MessageToDict(r.properties),
                diagnostic=r.diagnostic,
            )
            for r in response.remediations
        ]


def analyze_stack(
    pack: PolicyPackProcess,
    resources: Iterable[StackEntry],
    *,
    additional_secret_outputs: Mapping[str, Sequence[str]] | None = None,
) -> AnalyzeResult:
    """Turn ``(type, name, props)`` entries into AnalyzerResources and call AnalyzeStack.

    ``props`` are what the engine has for each resource: provider outputs after
    ``pulumi up`` (internal keys like ``__provider`` are dropped, as the engine
    does), checked inputs in preview (:data:`UNKNOWN` for unknown values).
    """
    request = analyzer_pb2.AnalyzeStackRequest(
        resources=to_analyzer_resources(
            resources, additional_secret_outputs=additional_secret_outputs
        )
    )
    return AnalyzeResult.decode(pack.stub.AnalyzeStack(request))
