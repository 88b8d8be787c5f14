"""The routing package is pure: standard library only, and everything public is exported."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

MODULES = ("model", "problems", "snapshot", "sources", "studio", "vocabulary")


def test_importing_the_model_loads_no_third_party_package() -> None:
    code = (
        "import sys, pulumi_flex_sms.routing as r\n"
        "heavy = {'twilio', 'pulumi', 'pulumi_policy', 'pydantic', 'starlette', 'httpx',"
        " 'uvicorn', 'yaml', 'requests', 'aiohttp'}\n"
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("name", MODULES)
def test_every_module_declares_what_it_exports(name: str) -> None:
    module = importlib.import_module(f"pulumi_flex_sms.routing.{name}")
    assert module.__all__, name
    for exported in module.__all__:
        assert hasattr(module, exported), f"{name}.{exported}"


def test_the_package_exports_exist() -> None:
    package = importlib.import_module("pulumi_flex_sms.routing")
    missing = [name for name in package.__all__ if not hasattr(package, name)]
    assert missing == []
