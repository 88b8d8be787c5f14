"""Drive a Python dynamic provider over gRPC the way the Pulumi engine does.

The Pulumi CLI is not available here, so these helpers launch the real provider
server (``python -u -m pulumi.dynamic``), call Configure first, and then run
Check / Diff / Create / Read / Update / Delete with the property bags the engine
would send (see ``pulumi-engine-protocol.md``):

* Check gets old *inputs* and new inputs; its returned inputs are what the engine
  stores and sends on.
* Diff / Update get old *outputs* as ``olds``; Delete gets old outputs.
* Secrets are unwrapped before sending (the provider does not accept secrets).
* During preview, unknown values are the sentinel string :data:`UNKNOWN`, and only
  Check and Diff are called.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import json_format, struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

UNKNOWN = rpc.UNKNOWN
_SIG = rpc._special_sig_key
_SECRET = rpc._special_secret_sig
PROVIDER_KEY = "__provider"


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


def unwrap_secrets(value: Any) -> Any:
    """What the engine sends a provider that does not accept secrets."""
    if isinstance(value, Mapping):
        if value.get(_SIG) == _SECRET:
            return unwrap_secrets(value.get("value"))
        return {k: unwrap_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap_secrets(v) for v in value]
    return value


class ProviderError(Exception):
    """The provider failed an RPC; ``message`` is the last line of its traceback."""

    def __init__(self, error: grpc.RpcError):
        self.details = error.details() or ""
        lines = [line for line in self.details.strip().splitlines() if line.strip()]
        self.message = lines[-1] if lines else ""
        super().__init__(self.message)


class DynamicProviderProcess:
    """``python -u -m pulumi.dynamic`` started like the engine starts it; stopped by pid."""

    def __init__(self, env: Mapping[str, str] | None = None, project: str = "flex-sms-test"):
        self._env = {**os.environ, "PULUMI_PROJECT": project, "PULUMI_CONFIG": "{}", **(env or {})}
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic", "127.0.0.1:0"],
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=self._env,
        )
        line = self.proc.stdout.readline() if self.proc.stdout else b""
        if not line.strip().isdigit():
            self.stop()
            raise RuntimeError(f"provider did not print its port: {line!r}; {self.stderr()}")
        self.port = int(line)
        self.channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        grpc.channel_ready_future(self.channel).result(timeout=15)
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        if hasattr(self, "channel"):
            self.channel.close()

    def call(self, method: str, request: Any) -> Any:
        try:
            return getattr(self.stub, method)(request, timeout=120)
        except grpc.RpcError as exc:
            raise ProviderError(exc) from None

    def configure(self, config: Mapping[str, str]) -> None:
        """What the engine sends first: the whole stack config, values as strings."""
        self.call(
            "Configure",
            provider_pb2.ConfigureRequest(
                args=to_struct(config), acceptSecrets=True, acceptResources=True
            ),
        )


@dataclass
class Failure:
    property: str
    reason: str


@dataclass
class Step:
    """What one engine step did."""

    op: str  # create | same | update | replace | delete | refresh | gone
    failures: list[Failure] = field(default_factory=list)
    diff: Any = None


class CheckFailed(Exception):
    def __init__(self, failures: list[Failure]):
        self.failures = failures
        super().__init__("; ".join(f"{f.property}: {f.reason}" for f in failures))


class Resource:
    """One resource's state as the engine keeps it, driven through preview/up/refresh/destroy."""

    def __init__(self, process: DynamicProviderProcess, provider: Any, type_token: str, name: str):
        self.process = process
        self.blob = serialize_provider(provider)
        self.urn = f"urn:pulumi:test::flex-sms-test::{type_token}::{name}"
        self.id: str | None = None
        self.inputs: dict[str, Any] = {}
        self.outputs: dict[str, Any] = {}

    # --- single RPCs -------------------------------------------------------------------
    def check(self, props: Mapping[str, Any]) -> tuple[dict[str, Any], list[Failure]]:
        news = {**unwrap_secrets(dict(props)), PROVIDER_KEY: self.blob}
        resp = self.process.call(
            "Check",
            provider_pb2.CheckRequest(
                urn=self.urn, olds=to_struct(self.inputs), news=to_struct(news)
            ),
        )
        failures = [Failure(f.property, f.reason) for f in resp.failures]
        return from_struct(resp.inputs), failures

    def diff(self, checked: Mapping[str, Any]) -> Any:
        return self.process.call(
            "Diff",
            provider_pb2.DiffRequest(
                id=self.id or "",
                urn=self.urn,
                olds=to_struct(self.outputs),
                news=to_struct(checked),
                old_inputs=to_struct(self.inputs),
            ),
        )

    # --- engine operations -------------------------------------------------------------
    def preview(self, props: Mapping[str, Any]) -> Step:
        """Check, and Diff for an existing resource; nothing is changed."""
        checked, failures = self.check(props)
        if failures:
            return Step("failed", failures)
        if self.id is None:
            return Step("create")
        diff = self.diff(checked)
        return Step(_op_of(diff), diff=diff)

    def up(self, props: Mapping[str, Any]) -> Step:
        checked, failures = self.check(props)
        if failures:
            raise CheckFailed(failures)
        if self.id is None:
            self._create(checked)
            return Step("create")
        diff = self.diff(checked)
        op = _op_of(diff)
        if op == "update":
            resp = self.process.call(
                "Update",
                provider_pb2.UpdateRequest(
                    id=self.id,
                    urn=self.urn,
                    olds=to_struct(self.outputs),
                    news=to_struct(checked),
                    old_inputs=to_struct(self.inputs),
                ),
            )
            self.inputs, self.outputs = checked, from_struct(resp.properties)
        elif op == "replace":
            if diff.deleteBeforeReplace:
                self._delete()
                self._create(checked)
            else:
                old_id, old_outputs = self.id, self.outputs
                self._create(checked)
                self.process.call(
                    "Delete",
                    provider_pb2.DeleteRequest(
                        id=old_id, urn=self.urn, properties=to_struct(old_outputs)
                    ),
                )
        return Step(op, diff=diff)

    def refresh(self) -> Step:
        resp = self.process.call(
            "Read",
            provider_pb2.ReadRequest(
                id=self.id or "",
                urn=self.urn,
                properties=to_struct(self.outputs),
                inputs=to_struct(self.inputs),
            ),
        )
        if not resp.id:
            self.id, self.inputs, self.outputs = None, {}, {}
            return Step("gone")
        # The engine takes a new ID from Read (RefreshStep.Apply in
        # pulumi/pulumi pkg/resource/deploy/step.go: "Refreshing ID").
        self.id = resp.id
        self.outputs = from_struct(resp.properties)
        if resp.HasField("inputs"):
            self.inputs = from_struct(resp.inputs)
        return Step("refresh")

    def destroy(self) -> Step:
        if self.id is not None:
            self._delete()
        return Step("delete")

    def _create(self, checked: Mapping[str, Any]) -> None:
        resp = self.process.call(
            "Create",
            provider_pb2.CreateRequest(urn=self.urn, properties=to_struct(checked), timeout=300),
        )
        assert resp.id, "the engine refuses an empty resource ID"
        self.id, self.inputs, self.outputs = resp.id, dict(checked), from_struct(resp.properties)

    def _delete(self) -> None:
        self.process.call(
            "Delete",
            provider_pb2.DeleteRequest(
                id=self.id or "", urn=self.urn, properties=to_struct(self.outputs)
            ),
        )
        self.id, self.inputs, self.outputs = None, {}, {}


def _op_of(diff: Any) -> str:
    if diff.changes == provider_pb2.DiffResponse.DIFF_NONE:
        return "same"
    if diff.replaces:
        return "replace"
    return "update"


def walk(value: Any) -> Iterator[Any]:
    """Every scalar inside a property bag (for "no credential anywhere" assertions)."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            yield k
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)
    else:
        yield value
