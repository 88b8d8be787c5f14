"""The seed's ``conversation_services``, ``address_configurations``,
``conversations_configuration`` (one mapping per account) and ``conversations``
(with their ``participants``, ``messages`` and ``webhooks``).

Conversations are restored as declared: in their state, with their dates and
indices; a message does not reactivate them and a closed one holds participants
without binding their pairs. The state dump shows them in the same shape, so a
dump seeds the same conversations back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .. import params as p
from ..domain import SeedList
from ..errors import ApiError, BadRequest
from ..params import Form
from ..seed_values import dump_date, mapping, seed_date
from ..store import (
    ADDRESS,
    CONVERSATION_MESSAGE,
    CONVERSATION_PARTICIPANT,
    CONVERSATION_V1,
    CONVERSATION_WEBHOOK,
    SERVICE,
    Transaction,
)
from ..store import CONVERSATIONS_CONFIGURATION as CONVERSATIONS_CONFIGURATION_KIND

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["ADDRESS_CONFIGURATIONS", "CONVERSATIONS", "CONVERSATIONS_CONFIGURATION", "SERVICES"]

#: ``auto_creation`` field -> Twilio parameter.
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


def _create_service(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    name = entry.get("friendly_name") or "Conversations Service"
    form = Form.from_values({"FriendlyName": name})
    return backend.conversations.create_service(account, form, sid=sid)


def _address_form(entry: dict[str, Any]) -> Form:
    values: dict[str, Any] = {"Type": entry.get("type") or "sms", "Address": entry.get("address")}
    for field, name in (("friendly_name", "FriendlyName"), ("address_country", "AddressCountry")):
        if entry.get(field) is not None:
            values[name] = entry[field]
    auto = mapping(entry.get("auto_creation") or {}, "auto_creation", set(_AUTO_CREATION_PARAMS))
    for field, value in auto.items():
        values[_AUTO_CREATION_PARAMS[field]] = value
    return Form.from_values(values)


def _create_address(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    form = _address_form(entry)
    return backend.conversations.create_address_configuration(account, form, sid=sid)


SERVICES = SeedList(
    name="conversation_services",
    kind=SERVICE,
    sid_prefix="IS",
    fields=frozenset({"friendly_name"}),
    create=_create_service,
    summary=("friendly_name",),
)

ADDRESS_CONFIGURATIONS = SeedList(
    name="address_configurations",
    kind=ADDRESS,
    sid_prefix="IG",
    fields=frozenset({"address", "type", "friendly_name", "address_country", "auto_creation"}),
    create=_create_address,
    summary=("address",),
)


# -- the account's Configuration, and conversations with what they hold --------------

_CONFIGURATION_PARAMS = {
    "default_chat_service_sid": "DefaultChatServiceSid",
    "default_messaging_service_sid": "DefaultMessagingServiceSid",
    "default_inactive_timer": "DefaultInactiveTimer",
    "default_closed_timer": "DefaultClosedTimer",
}
_CONVERSATION_FIELDS = (
    "chat_service_sid",
    "messaging_service_sid",
    "friendly_name",
    "unique_name",
    "attributes",
    "state",
    "timers",
    "timers_started",
    "date_created",
    "date_updated",
)
_PARTICIPANT_FIELDS = ("sid", "identity", "address", "proxy_address", "attributes", "date_created")
_MESSAGE_FIELDS = (
    "sid",
    "index",
    "author",
    "body",
    "participant_sid",
    "attributes",
    "source",
    "date_created",
)
_WEBHOOK_FIELDS = ("sid", "target", "configuration", "date_created")
_WEBHOOK_CONFIGURATION = ("url", "method", "filters", "triggers", "flow_sid")


def _create_configuration(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    form = Form.from_values({_CONFIGURATION_PARAMS[k]: v for k, v in entry.items()})
    return backend.conversations.update_configuration(account, form)


def _dump_configuration(tx: Transaction, account: str) -> dict[str, Any]:
    row: dict[str, Any] = tx.get(CONVERSATIONS_CONFIGURATION_KIND, account) or {}
    return {name: row.get(name) for name in _CONFIGURATION_PARAMS}


def _text(value: Any, where: str) -> str | None:
    if value is None or isinstance(value, str):
        return value
    raise BadRequest(f"{where}: expected a string")


def _items(entry: dict[str, Any], name: str) -> list[Any]:
    value = entry.get(name) or []
    if not isinstance(value, list):
        raise BadRequest(f"{name}: expected a list")
    return value


def _create_conversation(
    backend: Backend, account: str, entry: dict[str, Any], sid: str | None
) -> dict[str, Any]:
    conversations = backend.conversations
    service = entry.get("chat_service_sid")
    if service is None:
        service = conversations.fetch_configuration(account)["default_chat_service_sid"]
        if service is None:
            raise BadRequest(
                "chat_service_sid: required, as the account has no default_chat_service_sid "
                "(declare conversations_configuration, or give the service)"
            )
    timers = entry.get("timers")
    if timers is not None:
        timers = mapping(timers, "timers", ("inactive", "closed"))
    record = conversations.create_conversation(
        account,
        str(service),
        messaging_service_sid=_text(entry.get("messaging_service_sid"), "messaging_service_sid"),
        friendly_name=_text(entry.get("friendly_name"), "friendly_name"),
        unique_name=_text(entry.get("unique_name"), "unique_name"),
        attributes=_text(entry.get("attributes"), "attributes") or "{}",
        state=str(entry.get("state") or "active"),
        timers=timers,
        sid=sid,
        date_created=seed_date(entry.get("date_created"), "date_created"),
        date_updated=seed_date(entry.get("date_updated"), "date_updated"),
        timers_started=seed_date(entry.get("timers_started"), "timers_started"),
    )
    for i, item in enumerate(_items(entry, "participants")):
        with _within(f"participants[{i}]") as where:
            _restore_participant(backend, record, mapping(item, where, _PARTICIPANT_FIELDS), where)
    for i, item in enumerate(_items(entry, "messages")):
        with _within(f"messages[{i}]") as where:
            _restore_message(backend, record, mapping(item, where, _MESSAGE_FIELDS), where)
    for i, item in enumerate(_items(entry, "webhooks")):
        with _within(f"webhooks[{i}]") as where:
            _restore_webhook(backend, record, mapping(item, where, _WEBHOOK_FIELDS), where)
    return record


def _restore_participant(
    backend: Backend, conversation: dict[str, Any], item: dict[str, Any], where: str
) -> None:
    backend.conversations.add_participant(
        conversation["account_sid"],
        conversation["sid"],
        identity=_text(item.get("identity"), f"{where}.identity"),
        address=_text(item.get("address"), f"{where}.address"),
        proxy_address=_text(item.get("proxy_address"), f"{where}.proxy_address"),
        attributes=_text(item.get("attributes"), f"{where}.attributes") or "{}",
        sid=_sid(item.get("sid"), f"{where}.sid", "MB"),
        date_created=seed_date(item.get("date_created"), f"{where}.date_created"),
        restore=True,
    )


def _restore_message(
    backend: Backend, conversation: dict[str, Any], item: dict[str, Any], where: str
) -> None:
    index = item.get("index")
    if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
        raise BadRequest(f"{where}.index: expected an integer")
    backend.conversations.add_message(
        conversation["account_sid"],
        conversation["sid"],
        body=_text(item.get("body"), f"{where}.body"),
        author=_text(item.get("author"), f"{where}.author") or "system",
        participant_sid=_sid(item.get("participant_sid"), f"{where}.participant_sid", "MB"),
        attributes=_text(item.get("attributes"), f"{where}.attributes") or "{}",
        source=str(item.get("source") or "API"),
        sid=_sid(item.get("sid"), f"{where}.sid", "IM"),
        index=index,
        date_created=seed_date(item.get("date_created"), f"{where}.date_created"),
        restore=True,
    )


def _restore_webhook(
    backend: Backend, conversation: dict[str, Any], item: dict[str, Any], where: str
) -> None:
    config = mapping(
        item.get("configuration") or {}, f"{where}.configuration", _WEBHOOK_CONFIGURATION
    )
    backend.conversations.attach_conversation_webhook(
        conversation["account_sid"],
        conversation["sid"],
        target=str(item.get("target") or ""),
        url=_text(config.get("url"), f"{where}.configuration.url"),
        method=str(config.get("method") or "POST"),
        filters=[str(f) for f in config.get("filters") or []],
        triggers=[str(t) for t in config.get("triggers") or []],
        flow_sid=_text(config.get("flow_sid"), f"{where}.configuration.flow_sid"),
        sid=_sid(item.get("sid"), f"{where}.sid", "WH"),
        date_created=seed_date(item.get("date_created"), f"{where}.date_created"),
        restore=True,
    )


def _sid(value: Any, where: str, prefix: str) -> str | None:
    return None if value is None else p.sid(str(value), where, prefix)


@contextmanager
def _within(where: str) -> Iterator[str]:
    """Errors of what the block restores, prefixed with ``where`` (``messages[2]``)."""
    try:
        yield where
    except ApiError as exc:
        if exc.message.startswith(where):
            raise
        raise BadRequest(f"{where}: {exc.message}") from None


def _dump_conversations(tx: Transaction, account: str) -> list[dict[str, Any]]:
    dumped = []
    for row in tx.list(CONVERSATION_V1, account):
        children = {
            kind: tx.list_by_key_prefix(kind, account, f"{row['sid']}/")
            for kind in (CONVERSATION_PARTICIPANT, CONVERSATION_MESSAGE, CONVERSATION_WEBHOOK)
        }
        entry: dict[str, Any] = {"sid": row["sid"]}
        for name in _CONVERSATION_FIELDS:
            value = row[name]
            entry[name] = dump_date(value) if name.startswith(("date_", "timers_")) else value
        entry["participants"] = [
            {
                "sid": r["sid"],
                "identity": r["identity"],
                "address": (r["messaging_binding"] or {}).get("address"),
                "proxy_address": (r["messaging_binding"] or {}).get("proxy_address"),
                "attributes": r["attributes"],
                "date_created": dump_date(r["date_created"]),
            }
            for r in children[CONVERSATION_PARTICIPANT]
        ]
        entry["messages"] = [
            {
                **{name: r[name] for name in _MESSAGE_FIELDS if name != "date_created"},
                "date_created": dump_date(r["date_created"]),
            }
            for r in children[CONVERSATION_MESSAGE]
        ]
        entry["webhooks"] = [
            {
                "sid": r["sid"],
                "target": r["target"],
                "configuration": r["configuration"],
                "date_created": dump_date(r["date_created"]),
            }
            for r in children[CONVERSATION_WEBHOOK]
        ]
        dumped.append(entry)
    return dumped


CONVERSATIONS_CONFIGURATION = SeedList(
    name="conversations_configuration",
    kind=CONVERSATIONS_CONFIGURATION_KIND,
    sid_prefix="AC",
    fields=frozenset(_CONFIGURATION_PARAMS),
    create=_create_configuration,
    summary=("default_chat_service_sid",),
    dump=_dump_configuration,
    singleton=True,
)

CONVERSATIONS = SeedList(
    name="conversations",
    kind=CONVERSATION_V1,
    sid_prefix="CH",
    fields=frozenset({*_CONVERSATION_FIELDS, "participants", "messages", "webhooks"}),
    create=_create_conversation,
    summary=("chat_service_sid", "state"),
    dump=_dump_conversations,
)
