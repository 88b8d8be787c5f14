"""The ready pack, started once per test session like the engine starts it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from support.analyzer import PolicyPackProcess


@pytest.fixture(scope="session")
def pack() -> Iterator[PolicyPackProcess]:
    """``python -u -m pulumi.policy 127.0.0.1:0 <pack-dir>``, stopped by pid at the end."""
    process = PolicyPackProcess()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def default_config(pack: PolicyPackProcess) -> PolicyPackProcess:
    """The pack configured as ``pulumi preview`` without ``--policy-pack-config`` would.

    Configure replaces the whole configuration, so every test starts from here.
    """
    pack.configure({})
    return pack
