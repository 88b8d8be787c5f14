"""The emulator's seams hold: backends without HTTP, handlers without storage, every
domain's routes served (see docs/design.md, "The emulator")."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from pulumi_flex_sms.emulator import app
from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.domain import DomainBackend
from pulumi_flex_sms.emulator.store import Store

EMULATOR = Path(importlib.import_module("pulumi_flex_sms.emulator").__file__ or "").parent
DOMAINS = sorted(p.name for p in EMULATOR.iterdir() if (p / "backend.py").is_file())
SERVING = [d for d in DOMAINS if (EMULATOR / d / "routes.py").is_file()]


def imported(path: Path) -> set[str]:
    """Modules ``path`` imports, relative ones resolved against the emulator package."""
    package = ["pulumi_flex_sms", "emulator", path.parent.name]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def test_the_domains_are_the_ones_the_design_names() -> None:
    assert DOMAINS == [
        "accounts",
        "applications",
        "conversations",
        "flex",
        "messaging",
        "numbers",
        "simulation",
        "studio",
    ]


@pytest.mark.parametrize("domain", DOMAINS)
def test_a_backend_knows_nothing_of_http(domain: str) -> None:
    modules = imported(EMULATOR / domain / "backend.py")
    web = {m for m in modules if m.split(".")[0] in ("starlette", "uvicorn")}
    layers = {m for m in modules if m.endswith((".wire", ".handlers", ".routes", ".app"))}
    assert not web | layers


@pytest.mark.parametrize("domain", SERVING)
def test_a_handler_knows_nothing_of_storage(domain: str) -> None:
    modules = imported(EMULATOR / domain / "handlers.py")
    assert not {m for m in modules if m.startswith("pulumi_flex_sms.emulator.store")}


@pytest.mark.parametrize("domain", SERVING)
def test_every_domain_route_is_served(domain: str) -> None:
    routes = importlib.import_module(f"pulumi_flex_sms.emulator.{domain}.routes").ROUTES
    assert routes and all(route in app.ROUTES for route in routes)


def test_the_backend_has_each_domain_over_one_store() -> None:
    store = Store()
    backend = Backend(store, "AC" + "1" * 32, "token")
    parts = {domain: getattr(backend, domain) for domain in DOMAINS}
    assert all(isinstance(part, DomainBackend) for part in parts.values())
    assert {id(part.store) for part in parts.values()} == {id(store)}
    store.close()
