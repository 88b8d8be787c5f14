"""Seed documents (JSON or YAML) in, state dumps out.

A seed declares accounts and what they own; ``docs/emulator.md`` has a complete
example. Each resource goes through the same backend call (and so the same
checks) as the API's create, with its SID kept exactly when the seed gives one.
The whole seed is one transaction: any error and nothing of it is applied.

Seeding is additive. Naming an existing account (e.g. the default one) adds to
it; a resource whose SID, phone number or address already exists is an error,
and so is another auth token for an existing account: a seed never replaces
credentials (it may add API keys).

A dump has the seed's shape, with every field of every resource, and no
secrets: auth tokens and API key secrets are left out.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import params as p
from .backend import Backend, new_sid
from .backend_numbers import NUMBER_PARAMS
from .documents import DocumentError, JsonSyntaxError, check_data, parse_json, parse_yaml
from .errors import BadRequest, TwilioError
from .params import Form
from .store import ACCOUNT, ADDRESS, API_KEY, FLOW, NUMBER, SERVICE

__all__ = ["apply_seed", "dump_state", "load_seed_file", "parse_seed_text"]

RESOURCE_LISTS = (
    "phone_numbers",
    "conversation_services",
    "studio_flows",
    "address_configurations",
)
_NUMBER_FIELDS = {field: name for name, (field, _) in NUMBER_PARAMS.items()}
_NUMBER_EXTRAS = {"capabilities", "beta", "origin", "status", "type", "address_requirements"}
_AUTO_CREATION_PARAMS = {
    "enabled": "AutoCreation.Enabled",
    "type": "AutoCreation.Type",
    "conversation_service_sid": "AutoCreation.ConversationServiceSid",
    "webhook_url": "AutoCreation.WebhookUrl",
    "webhook_method": "AutoCreation.WebhookMethod",
    "webhook_filters": "AutoCreation.WebhookFilters",
    "studio_flow_sid": "AutoCreation.StudioFlowSid",
    "studio_retry_count": "AutoCreation.StudioRetryCount",
}


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


def _wire(value: Any) -> str | list[str]:
    """A seed value as the string(s) a form would carry."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return [str(_wire(v)) for v in value]
    return str(value)


def _entry(value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        raise BadRequest(f"seed {where}: expected a mapping")
    unknown = set(value) - allowed
    if unknown:
        raise BadRequest(f"seed {where}: unknown field(s) {', '.join(sorted(unknown))}")
    return dict(value)


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
    top = _entry(document or {}, "document", {"settings", "accounts", *RESOURCE_LISTS})
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
            backend._configure(tx, dict(top["settings"]))
        for index, account in enumerate(accounts):
            summary.append(_seed_account(backend, tx, account, f"accounts[{index}]"))
    return {"accounts": summary}


def _seed_account(backend: Backend, tx: Any, value: Any, where: str) -> dict[str, Any]:
    entry = _entry(
        value, where, {"sid", "auth_token", "friendly_name", "api_keys", *RESOURCE_LISTS}
    )
    sid = p.sid(str(entry.get("sid") or new_sid("AC")), f"{where}.sid", "AC")
    existing = tx.get(ACCOUNT, sid)
    token = entry.get("auth_token")
    if existing is None and not token:
        raise BadRequest(f"seed {where}.auth_token: required for a new account")
    if (
        existing is not None
        and token
        and not hmac.compare_digest(str(token).encode(), str(existing["auth_token"]).encode())
    ):
        # Whoever can seed must not be able to take an account over (or lock its
        # owner out); reset, or start the emulator with --auth-token, instead.
        raise BadRequest(
            f"seed {where}.auth_token: account {sid} exists with another auth token; "
            "a seed does not replace credentials (reset first, or leave auth_token out)"
        )
    record = dict(existing or {"sid": sid})
    if token:
        record["auth_token"] = str(token)
    if entry.get("friendly_name") is not None:
        record["friendly_name"] = str(entry["friendly_name"])
    if existing is None:
        tx.insert(ACCOUNT, sid, sid, record, key=None)
    else:
        tx.update(ACCOUNT, sid, record, key=None)
    out: dict[str, Any] = {"sid": sid}

    keys = []
    for i, key in enumerate(_list(entry.get("api_keys"), f"{where}.api_keys")):
        here = f"{where}.api_keys[{i}]"
        key = _entry(key, here, {"sid", "secret"})
        key_sid = p.sid(str(key.get("sid") or new_sid("SK")), f"{here}.sid", "SK")
        if not key.get("secret"):
            raise BadRequest(f"seed {here}.secret: required")
        if tx.get(API_KEY, key_sid) is not None:
            raise BadRequest(f"seed {here}: API key {key_sid} already exists")
        tx.insert(
            API_KEY,
            key_sid,
            sid,
            {"sid": key_sid, "account_sid": sid, "secret": str(key["secret"])},
            key=None,
        )
        keys.append({"sid": key_sid})
    out["api_keys"] = keys

    def each(name: str, allowed: set[str], create: Any) -> list[dict[str, Any]]:
        created = []
        for i, item in enumerate(_list(entry.get(name), f"{where}.{name}")):
            here = f"{where}.{name}[{i}]"
            item = _entry(item, here, allowed)
            try:
                created.append(create(item))
            except TwilioError as exc:
                raise BadRequest(f"seed {here}: {exc.message}") from None
        return created

    out["phone_numbers"] = [
        {"sid": r["sid"], "phone_number": r["phone_number"]}
        for r in each(
            "phone_numbers",
            {"sid", "phone_number", *_NUMBER_FIELDS, *_NUMBER_EXTRAS},
            lambda item: backend.create_phone_number(
                sid,
                Form.of(
                    PhoneNumber=_wire(item.get("phone_number")),
                    **{_NUMBER_FIELDS[k]: _wire(v) for k, v in item.items() if k in _NUMBER_FIELDS},
                ),
                sid=_seed_sid(tx, NUMBER, item, "PN"),
                extra={k: v for k, v in item.items() if k in _NUMBER_EXTRAS},
            ),
        )
    ]
    out["conversation_services"] = [
        {"sid": r["sid"], "friendly_name": r["friendly_name"]}
        for r in each(
            "conversation_services",
            {"sid", "friendly_name"},
            lambda item: backend.create_service(
                sid,
                Form.of(FriendlyName=_wire(item.get("friendly_name") or "Conversations Service")),
                sid=_seed_sid(tx, SERVICE, item, "IS"),
            ),
        )
    ]
    out["studio_flows"] = [
        {"sid": r["sid"], "friendly_name": r["friendly_name"]}
        for r in each(
            "studio_flows",
            {"sid", "friendly_name", "status", "definition", "commit_message"},
            lambda item: backend.create_flow(
                sid,
                Form.of(
                    FriendlyName=_wire(item.get("friendly_name") or "Studio Flow"),
                    Status=_wire(item.get("status") or "published"),
                    Definition=json.dumps(
                        item.get("definition") or {"initial_state": "Trigger"}, allow_nan=False
                    ),
                    **(
                        {"CommitMessage": _wire(item["commit_message"])}
                        if item.get("commit_message") is not None
                        else {}
                    ),
                ),
                sid=_seed_sid(tx, FLOW, item, "FW"),
            ),
        )
    ]
    out["address_configurations"] = [
        {"sid": r["sid"], "address": r["address"]}
        for r in each(
            "address_configurations",
            {"sid", "address", "type", "friendly_name", "address_country", "auto_creation"},
            lambda item: backend.create_address_configuration(
                sid, _address_form(item), sid=_seed_sid(tx, ADDRESS, item, "IG")
            ),
        )
    ]
    return out


def _seed_sid(tx: Any, kind: str, item: dict[str, Any], prefix: str) -> str | None:
    if item.get("sid") is None:
        return None
    sid = p.sid(str(item["sid"]), "sid", prefix)
    if tx.get(kind, sid) is not None:
        raise BadRequest(f"{sid} already exists")
    return sid


def _address_form(item: dict[str, Any]) -> Form:
    values: dict[str, Any] = {
        "Type": _wire(item.get("type") or "sms"),
        "Address": _wire(item.get("address")),
    }
    for field, name in (("friendly_name", "FriendlyName"), ("address_country", "AddressCountry")):
        if item.get(field) is not None:
            values[name] = _wire(item[field])
    auto = item.get("auto_creation") or {}
    if not isinstance(auto, Mapping):
        raise BadRequest("auto_creation: expected a mapping")
    unknown = set(auto) - set(_AUTO_CREATION_PARAMS)
    if unknown:
        raise BadRequest(f"auto_creation: unknown field(s) {', '.join(sorted(unknown))}")
    for field, value in auto.items():
        values[_AUTO_CREATION_PARAMS[field]] = _wire(value)
    return Form({k: v if isinstance(v, list) else [v] for k, v in values.items()})


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
            for name, kind in zip(RESOURCE_LISTS, (NUMBER, SERVICE, FLOW, ADDRESS), strict=True):
                entry[name] = [
                    {
                        k: (_iso(v) if k.startswith("date_") else v)
                        for k, v in row.items()
                        if k != "account_sid"
                    }
                    for row in tx.list(kind, sid)
                ]
            accounts.append(entry)
        return {"settings": tx.get_meta("settings") or {}, "accounts": accounts}
