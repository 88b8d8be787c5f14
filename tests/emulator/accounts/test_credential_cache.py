"""Credentials are checked from what was last read, until an account or key changes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from support.emulator import EmulatorHandle, validated_session

from pulumi_flex_sms.emulator.backend import Backend
from pulumi_flex_sms.emulator.store import ACCOUNT, Store

AC = "AC" + "1" * 32
OTHER = "AC" + "2" * 32
KEY = "SK" + "3" * 32


@pytest.fixture
def backend() -> Iterator[Backend]:
    store = Store()
    yield Backend(store, AC, "token")
    store.close()


def _transactions(backend: Backend, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    opened: list[int] = []
    real = backend.store.transaction

    def counting() -> Any:
        opened.append(1)
        return real()

    monkeypatch.setattr(backend.store, "transaction", counting)
    return opened


def test_a_known_credential_costs_no_transaction(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert backend.accounts.authenticate(AC, "token") == AC
    opened = _transactions(backend, monkeypatch)
    for _ in range(3):
        assert backend.accounts.authenticate(AC, "token") == AC
        assert backend.accounts.authenticate(AC, "wrong") is None
    assert opened == []


def test_writes_to_accounts_or_keys_are_seen_at_once(backend: Backend) -> None:
    accounts = backend.accounts
    assert accounts.authenticate(AC, "token") == AC
    assert accounts.authenticate(KEY, "secret") is None  # unknown: nothing is noted
    accounts.add_api_key(AC, KEY, "secret")
    assert accounts.authenticate(KEY, "secret") == AC
    accounts.add_account(OTHER, "other", None)
    assert accounts.authenticate(OTHER, "other") == OTHER
    backend.reset()  # the seeded account and key are gone
    assert accounts.authenticate(OTHER, "other") is None
    assert accounts.authenticate(KEY, "secret") is None
    assert accounts.authenticate(AC, "token") == AC


def test_a_write_by_any_path_is_seen(backend: Backend) -> None:
    assert backend.accounts.authenticate(AC, "token") == AC
    with backend.store.transaction() as tx:
        tx.update(ACCOUNT, AC, {"sid": AC, "auth_token": "rotated"}, key=None)
    assert backend.accounts.authenticate(AC, "token") is None
    assert backend.accounts.authenticate(AC, "rotated") == AC


def test_what_a_rolled_back_transaction_wrote_is_not_kept(backend: Backend) -> None:
    with pytest.raises(RuntimeError), backend.store.transaction() as tx:
        tx.insert(ACCOUNT, OTHER, OTHER, {"sid": OTHER, "auth_token": "other"}, key=None)
        # Read inside the transaction that wrote it: true now, never after the rollback.
        assert backend.accounts.authenticate(OTHER, "other") == OTHER
        raise RuntimeError("rolled back")
    assert backend.accounts.authenticate(OTHER, "other") is None


def test_reset_and_seed_over_http_change_who_gets_in(emulator: EmulatorHandle) -> None:
    other = validated_session((emulator.other_account_sid, emulator.other_auth_token))
    flows = f"{emulator.base_url}/studio/v2/Flows"
    assert other.get(flows).status_code == 200
    emulator.control.reset()
    assert other.get(flows).status_code == 401
    key = validated_session(("SK" + "4" * 32, "new-secret"))
    assert key.get(flows).status_code == 401
    emulator.control.seed(
        {
            "accounts": [
                {
                    "sid": emulator.account_sid,
                    "api_keys": [{"sid": "SK" + "4" * 32, "secret": "new-secret"}],
                }
            ]
        }
    )
    assert key.get(flows).status_code == 200
