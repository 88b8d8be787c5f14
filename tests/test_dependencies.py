"""Every third-party import is declared, by the list that installs it where it runs.

``pulumi_flex_sms`` may import only the runtime dependencies, except its
``emulator`` package, which may also use the ``emulator`` extra (so the provider
path never needs the emulator's web stack), and its ``testing`` toolkit, which may
use the ``testing`` extra; ``tests/`` and ``benchmarks/`` may also
use the ``dev`` extra. The declarations are read from the installed distribution's
metadata, which ``make venv`` rebuilds whenever ``pyproject.toml`` changes.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "pulumi-flex-sms"
#: Our own top-level modules: the package and the tests' shared harness.
LOCAL = {"pulumi_flex_sms", "support"}
#: Which extras a file may rely on, by the first folder (most specific first) it is in.
SCOPES: list[tuple[str, tuple[str, ...]]] = [
    ("pulumi_flex_sms/emulator", ("emulator",)),
    ("pulumi_flex_sms/testing", ("testing",)),
    ("pulumi_flex_sms", ()),
    ("examples", ("emulator", "demo")),
    ("tests", ("emulator", "demo", "dev")),
    ("benchmarks", ("emulator", "dev")),
]
#: Markers are evaluated for every supported Python, so a backport counts as declared.
SUPPORTED_PYTHONS = ("3.10", f"{sys.version_info.major}.{sys.version_info.minor}")


def declared(extras: tuple[str, ...]) -> set[str]:
    """Distribution names the runtime dependencies plus ``extras`` install."""
    names: set[str] = set()
    for line in importlib.metadata.requires(DISTRIBUTION) or []:
        requirement = Requirement(line)
        marker = requirement.marker
        if marker is None or any(
            marker.evaluate({"extra": extra, "python_version": python})
            for extra in extras
            for python in SUPPORTED_PYTHONS
        ):
            names.add(canonicalize_name(requirement.name))
    return names


def third_party_imports(path: Path) -> Iterator[tuple[int, str]]:
    """(line, top-level module) of every absolute import that is neither stdlib nor ours."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            modules = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules = [node.module]
        else:
            continue
        for module in modules:
            top = module.partition(".")[0]
            if top not in sys.stdlib_module_names and top not in LOCAL:
                yield node.lineno, top


def scope_of(path: Path) -> tuple[str, tuple[str, ...]]:
    relative = path.relative_to(ROOT).as_posix()
    return next((folder, extras) for folder, extras in SCOPES if relative.startswith(folder + "/"))


def python_files() -> list[Path]:
    folders = {folder.partition("/")[0] for folder, _ in SCOPES}
    return sorted(p for folder in sorted(folders) for p in (ROOT / folder).rglob("*.py"))


def imported_by(path: str) -> set[str]:
    return {module for _, module in third_party_imports(ROOT / path)}


@pytest.mark.parametrize(("folder", "extras"), SCOPES, ids=[folder for folder, _ in SCOPES])
def test_every_third_party_import_is_declared_for_where_it_runs(
    folder: str, extras: tuple[str, ...]
) -> None:
    allowed = declared(extras)
    providers = importlib.metadata.packages_distributions()
    undeclared = []
    for path in python_files():
        if scope_of(path) != (folder, extras):
            continue
        for line, module in third_party_imports(path):
            # An import name not installed here (a backport) is taken as its distribution name.
            distributions = {canonicalize_name(d) for d in providers.get(module, [module])}
            if not distributions & allowed:
                where = f"{path.relative_to(ROOT)}:{line}"
                undeclared.append(f"{where} imports {module} ({', '.join(sorted(distributions))})")
    lists = " + ".join(["dependencies", *(f"[{extra}]" for extra in extras)])
    assert not undeclared, f"not in pyproject.toml's {lists}:\n" + "\n".join(undeclared)


def test_the_check_sees_the_imports_it_must_judge() -> None:
    # The gateway's undeclared requests is what made this test exist.
    assert {"requests", "twilio"} <= imported_by("pulumi_flex_sms/gateway.py")
    assert "starlette" in imported_by("pulumi_flex_sms/emulator/app.py")
    assert scope_of(ROOT / "pulumi_flex_sms/gateway.py") == ("pulumi_flex_sms", ())
    assert "requests" in declared(())
    assert "starlette" not in declared(())
    assert "starlette" in declared(("emulator",))
    assert "tomli" in declared(("dev",))  # a backport, declared for Python < 3.11 only


def test_the_license_file_is_the_declared_license() -> None:
    metadata = importlib.metadata.metadata(DISTRIBUTION)
    assert metadata["License-Expression"] == "Apache-2.0"
    assert metadata.get_all("License-File") == ["LICENSE"]
    words = (ROOT / "LICENSE").read_text(encoding="utf-8").split()
    assert words[:5] == ["Apache", "License", "Version", "2.0,", "January"]
    assert "END OF TERMS AND CONDITIONS" in " ".join(words)
