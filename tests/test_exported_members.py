"""``__all__``: every exported name exists, and public modules export what they define.

Modelled on httpx's ``tests/test_exported_members.py``. The public modules are the
ones the README and docs tell users to import from, plus the providers, whose
import paths are pickled into every user's state.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path
from types import ModuleType

import pytest

import pulumi_flex_sms

ROOT = Path(__file__).resolve().parents[1]

PUBLIC_MODULES = [
    "pulumi_flex_sms",
    "pulumi_flex_sms.emulator",
    "pulumi_flex_sms.emulator.control",
    "pulumi_flex_sms.errors",
    "pulumi_flex_sms.keys",
    "pulumi_flex_sms.policies",
    "pulumi_flex_sms.policies.numbers",
    "pulumi_flex_sms.policies.state",
    "pulumi_flex_sms.providers.address",
    "pulumi_flex_sms.providers.phone_number",
    "pulumi_flex_sms.resources.address",
    "pulumi_flex_sms.resources.phone_number",
    "pulumi_flex_sms.routing",
    "pulumi_flex_sms.testing",
    "pulumi_flex_sms.testing.inprocess",
    "pulumi_flex_sms.testing.plugin",
    "pulumi_flex_sms.twilio_api",
]

#: ``from pulumi_flex_sms[.module] import a, b`` (or a parenthesised list).
_DOCUMENTED_IMPORT = re.compile(
    r"^\s*from (pulumi_flex_sms(?:\.\w+)*) import (\([^)]*\)|[^\n#]+)", re.MULTILINE
)


def all_modules() -> list[str]:
    found = pkgutil.walk_packages(pulumi_flex_sms.__path__, prefix="pulumi_flex_sms.")
    # A __main__ runs a program on import (the emulator's serves until stopped).
    names = [info.name for info in found if not info.name.endswith(".__main__")]
    return ["pulumi_flex_sms", *sorted(names)]


def public_definitions(module: ModuleType) -> list[str]:
    """Public classes and functions written in ``module`` itself (not imported into it)."""
    return sorted(
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and value.__module__ == module.__name__
    )


def documented_imports() -> list[tuple[str, str, str]]:
    """(where, module, name) for every import the README, docs and examples show."""
    sources = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    sources += sorted(p for p in (ROOT / "examples").rglob("*") if p.suffix in (".py", ".sh"))
    found = []
    for source in sources:
        for match in _DOCUMENTED_IMPORT.finditer(source.read_text(encoding="utf-8")):
            for name in match.group(2).strip("()").replace("\n", " ").split(","):
                if name.strip():
                    found.append((source.name, match.group(1), name.split(" as ")[0].strip()))
    return found


@pytest.mark.parametrize("name", all_modules())
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    exported = getattr(module, "__all__", None)
    if exported is None:
        assert not public_definitions(module), f"{name} defines public names but has no __all__"
        return
    assert len(set(exported)) == len(exported), f"{name}.__all__ lists a name twice"
    assert [n for n in exported if n.startswith("_") and not n.startswith("__")] == []
    # Lazy names (the package's resources, the emulator's server) resolve on access.
    assert [n for n in exported if not hasattr(module, n)] == [], f"{name}.__all__ is stale"


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_modules_export_every_class_and_function_they_define(name: str) -> None:
    module = importlib.import_module(name)
    assert set(public_definitions(module)) <= set(module.__all__), (
        f"{name}: export these or give them a leading underscore"
    )


def test_every_name_the_docs_import_is_exported() -> None:
    imports = documented_imports()
    # The README's usage example and the policy docs' composition example at least.
    assert ("README.md", "pulumi_flex_sms", "FlexSmsAddress") in imports
    assert ("policies.md", "pulumi_flex_sms.policies", "ALL_POLICIES") in imports
    missing = [
        f"{where}: from {module} import {name}"
        for where, module, name in imports
        if name not in importlib.import_module(module).__all__
    ]
    assert missing == []
    assert {module for _, module, _ in imports} <= set(PUBLIC_MODULES)
