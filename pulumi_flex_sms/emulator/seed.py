"""Seed documents (JSON or YAML) in, state dumps out.

A seed declares accounts and what they own; ``docs/emulator.md`` has a complete
example. Each domain declares its lists of resources (a
:class:`~.domain.SeedList` in its ``seed.py``) and :data:`SEED_LISTS` orders
them. Each resource goes through the same backend call (and so the same checks)
as the API's create, with its SID kept exactly when the seed gives one. The
whole seed is one transaction: any error and nothing of it is applied.

Seeding is additive. Naming an existing account (e.g. the default one) adds to
it; a resource whose SID, phone number or address already exists is an error,
and so is another auth token for an existing account: a seed never replaces
credentials (it may add API keys).

A dump has the seed's shape, with every field of every resource, and no
secrets: auth tokens and API key secrets are left out. A one-per-account
resource (:attr:`~.domain.SeedList.singleton`, the Flex configuration) is a
mapping there, not a list; seeding it again merges into it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import params as p
from .applications.seed import APPLICATIONS
from .backend import Backend
from .conversations.seed import (
    ADDRESS_CONFIGURATIONS,
    CONVERSATIONS,
    CONVERSATIONS_CONFIGURATION,
    SERVICES,
)
from .documents import DocumentError, JsonSyntaxError, check_data, parse_json, parse_yaml
from .domain import SeedList, new_sid
from .errors import ApiError, BadRequest
from .flex.seed import FLEX_CONFIGURATION_SEED, FLEX_FLOWS
from .messaging.seed import MESSAGING_SERVICE_NUMBERS, MESSAGING_SERVICES
from .numbers.seed import PHONE_NUMBERS
from .seed_values import mapping
from .simulation.seed import SMS_MESSAGES
from .store import ACCOUNT, API_KEY, Transaction
from .studio.seed import EXECUTIONS, FLOWS

__all__ = [
    "RESOURCE_LISTS",
    "SEED_LISTS",
    "apply_seed",
    "dump_state",
    "load_seed_file",
    "parse_seed_text",
]

#: What a seed account may declare, in the order it is applied: a number may
#: name an application; an address configuration refers to a number, a service
#: and a flow; a Messaging Service's pool to a service and a number; the
#: Conversations configuration to a service; a conversation to a service (by
#: default the configuration's) and flows; an execution to a flow; the SMS log
#: names a Messaging Service.
SEED_LISTS: tuple[SeedList, ...] = (
    APPLICATIONS,
    PHONE_NUMBERS,
    SERVICES,
    FLOWS,
    ADDRESS_CONFIGURATIONS,
    MESSAGING_SERVICES,
    MESSAGING_SERVICE_NUMBERS,
    FLEX_FLOWS,
    FLEX_CONFIGURATION_SEED,
    CONVERSATIONS_CONFIGURATION,
    CONVERSATIONS,
    EXECUTIONS,
    SMS_MESSAGES,
)
RESOURCE_LISTS = tuple(seed_list.name for seed_list in SEED_LISTS)


def parse_seed_text(text: str, *, yaml_ok: bool = True) -> Any:
    """JSON, or YAML (a superset) when ``yaml_ok``; within :mod:`.limits` either way."""
    try:
        try:
            return parse_json(text)
        except JsonSyntaxError:
            if not yaml_ok:
                raise
        return parse_yaml(text)
    except DocumentError as exc:
        raise BadRequest(f"seed: {exc}") from None


def load_seed_file(path: str | Path) -> Any:
    return parse_seed_text(Path(path).read_text(encoding="utf-8"))


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise BadRequest(f"seed {where}: expected a list")
    return value


def apply_seed(backend: Backend, document: Any) -> dict[str, Any]:
    """Apply ``document``; returns the SIDs it created, per account (no secrets)."""
    try:
        check_data(document)  # a document built in Python has not been parsed here
    except DocumentError as exc:
        raise BadRequest(f"seed: {exc}") from None
    top = mapping(document or {}, "seed document", {"settings", "accounts", *RESOURCE_LISTS})
    accounts = _list(top.get("accounts"), "accounts")
    if any(name in top for name in RESOURCE_LISTS):
        # Shorthand: resources at the top level belong to the default account.
        accounts = [
            {"sid": backend.account_sid, **{k: top[k] for k in RESOURCE_LISTS if k in top}},
            *accounts,
        ]
    summary: list[dict[str, Any]] = []
    with backend.store.transaction() as tx:
        if top.get("settings") is not None:
            if not isinstance(top["settings"], Mapping):
                raise BadRequest("seed settings: expected a mapping")
            backend.accounts.configure(dict(top["settings"]))
        for index, account in enumerate(accounts):
            summary.append(_seed_account(backend, tx, account, f"accounts[{index}]"))
    return {"accounts": summary}


def _seed_account(backend: Backend, tx: Transaction, value: Any, where: str) -> dict[str, Any]:
    entry = mapping(
        value, f"seed {where}", {"sid", "auth_token", "friendly_name", "api_keys", *RESOURCE_LISTS}
    )
    sid = p.sid(str(entry.get("sid") or new_sid("AC")), f"{where}.sid", "AC")
    token, name = entry.get("auth_token"), entry.get("friendly_name")
    try:
        backend.accounts.add_account(
            sid, str(token) if token else None, None if name is None else str(name)
        )
    except ApiError as exc:
        field = f"{where}.{exc.parameter}" if exc.parameter else where
        raise BadRequest(f"seed {field}: {exc.message}") from None
    out: dict[str, Any] = {"sid": sid}

    keys = []
    for i, key in enumerate(_list(entry.get("api_keys"), f"{where}.api_keys")):
        here = f"{where}.api_keys[{i}]"
        key = mapping(key, f"seed {here}", {"sid", "secret"})
        key_sid = p.sid(str(key.get("sid") or new_sid("SK")), f"{here}.sid", "SK")
        if not key.get("secret"):
            raise BadRequest(f"seed {here}.secret: required")
        try:
            backend.accounts.add_api_key(sid, key_sid, str(key["secret"]))
        except ApiError as exc:
            raise BadRequest(f"seed {here}: {exc.message}") from None
        keys.append({"sid": key_sid})
    out["api_keys"] = keys

    for seed_list in SEED_LISTS:
        here = f"{where}.{seed_list.name}"
        if seed_list.singleton:
            single = entry.get(seed_list.name)
            out[seed_list.name] = (
                None
                if single is None
                else _seed_resource(backend, tx, seed_list, sid, single, here)
            )
            continue
        out[seed_list.name] = [
            _seed_resource(backend, tx, seed_list, sid, item, f"{here}[{i}]")
            for i, item in enumerate(_list(entry.get(seed_list.name), here))
        ]
    return out


def _seed_resource(
    backend: Backend, tx: Transaction, seed_list: SeedList, account: str, value: Any, where: str
) -> dict[str, Any]:
    """Create one entry of ``seed_list``; answers its SID and summary fields."""
    allowed = set(seed_list.fields) if seed_list.singleton else {"sid", *seed_list.fields}
    entry = mapping(value, f"seed {where}", allowed)
    try:
        sid = None if seed_list.singleton else _seed_sid(tx, seed_list, entry)
        record = seed_list.create(backend, account, entry, sid)
    except ApiError as exc:
        raise BadRequest(f"seed {where}: {exc.message}") from None
    summary = {name: record[name] for name in seed_list.summary}
    return summary if seed_list.singleton else {"sid": record["sid"], **summary}


def _seed_sid(tx: Transaction, seed_list: SeedList, entry: dict[str, Any]) -> str | None:
    if entry.get("sid") is None:
        return None
    sid = p.sid(str(entry["sid"]), "sid", seed_list.sid_prefix)
    if tx.get(seed_list.kind, sid) is not None:
        raise BadRequest(f"{sid} already exists")
    return sid


def _iso(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def dump_state(backend: Backend) -> dict[str, Any]:
    """Everything the emulator holds, in the seed's shape, without secrets."""
    with backend.store.transaction() as tx:
        accounts = []
        for account in tx.list(ACCOUNT):
            sid = account["sid"]
            entry: dict[str, Any] = {"sid": sid}
            if account.get("friendly_name"):
                entry["friendly_name"] = account["friendly_name"]
            entry["api_keys"] = [{"sid": k["sid"]} for k in tx.list(API_KEY, sid)]
            for seed_list in SEED_LISTS:
                if seed_list.dump is not None:
                    entry[seed_list.name] = seed_list.dump(tx, sid)
                    continue
                rows = [
                    {
                        k: (_iso(v) if k.startswith("date_") else v)
                        for k, v in row.items()
                        if k != "account_sid"
                    }
                    for row in tx.list(seed_list.kind, sid)
                ]
                entry[seed_list.name] = (rows[0] if rows else None) if seed_list.singleton else rows
            accounts.append(entry)
        return {"settings": tx.get_meta("settings") or {}, "accounts": accounts}
