"""One version: ``pyproject.toml`` is the source; the package and the ready pack agree with it."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import pulumi_flex_sms
from pulumi_flex_sms.policies import pack_dir

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]


def pyproject_version() -> str:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert "version" not in project.get("dynamic", []), "pyproject.toml is the source"
    return str(project["version"])


def test_package_and_ready_pack_carry_the_pyproject_version() -> None:
    version = pyproject_version()
    # A stale install (pyproject bumped, `make venv` not re-run) fails here too.
    assert importlib.metadata.version("pulumi-flex-sms") == version
    assert pulumi_flex_sms.__version__ == version
    shipped = yaml.safe_load((pack_dir() / "PulumiPolicy.yaml").read_text(encoding="utf-8"))
    assert shipped["version"] == version


def test_changelog_has_a_section_for_the_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(
        rf"^## \[{re.escape(pyproject_version())}\] - \d{{4}}-\d\d-\d\d$", changelog, re.M
    )
    assert re.search(r"^## \[Unreleased\]$", changelog, re.M)


def test_importing_the_package_does_not_read_the_version() -> None:
    # importlib.metadata takes longer to import than the package; only __version__ needs it.
    code = (
        "import sys, pulumi_flex_sms, pulumi_flex_sms.keys\n"
        "assert 'importlib.metadata' not in sys.modules, 'loaded on import'\n"
        "print(pulumi_flex_sms.__version__)\n"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip() == pyproject_version()


def test_an_uninstalled_source_tree_reports_an_unknown_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert pulumi_flex_sms._installed_version() == "0+unknown"
