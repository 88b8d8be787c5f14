"""The example stack (root Pulumi.yaml) as tests see it: its files, and what it declares."""

from __future__ import annotations

import runpy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pulumi
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "flex_sms"
PROGRAM = EXAMPLE / "__main__.py"
PROJECT: str = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())["name"]
STACK_CONFIG: dict[str, Any] = yaml.safe_load((EXAMPLE / "Pulumi.local.yaml").read_text())["config"]
SEED: dict[str, Any] = yaml.safe_load((EXAMPLE / "seed.yaml").read_text())

Declared = tuple[str, str, dict[str, Any]]


class _Declarations(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.resources: list[Declared] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        # The engine drops internal keys (__provider) before policies see them.
        inputs = {k: v for k, v in args.inputs.items() if not k.startswith("__")}
        self.resources.append((args.typ, args.name, inputs))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


def declared_by_program(
    program: Path, *, project: str, stack: str, config: Mapping[str, str], preview: bool
) -> list[Declared]:
    """(type token, name, inputs) of each resource ``program`` declares, in order.

    Runs it under Pulumi's mocks with ``config`` (``project:key`` -> value) as the
    stack's config; Pulumi's process-wide config is put back afterwards.
    """
    mocks = _Declarations()
    pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview)
    saved = dict(pulumi.runtime.config.CONFIG.get())
    pulumi.runtime.set_all_config(dict(config))

    # pulumi.runtime.test runs the program and waits for its (asynchronous) registrations.
    @pulumi.runtime.test
    def run() -> None:
        runpy.run_path(str(program))

    try:
        run()
    finally:
        pulumi.runtime.set_all_config(saved)
    return mocks.resources


def declared_by_example(*, preview: bool = True, **extra_config: str) -> list[Declared]:
    """(type token, name, inputs) of each resource the program declares, in order.

    Runs the program under Pulumi's mocks with the ``local`` stack config plus
    ``extra_config``.
    """
    config = {k: str(v) for k, v in {**STACK_CONFIG, **extra_config}.items()}
    return declared_by_program(
        PROGRAM, project=PROJECT, stack="local", config=config, preview=preview
    )
