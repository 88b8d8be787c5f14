"""The routing model's input, read from the emulator's state inside the caller's transaction.

:func:`read_snapshot` answers the part of an account that an inbound SMS from
``sender`` to ``to`` can meet (what :class:`~pulumi_flex_sms.routing.AccountSnapshot`
asks for): the ``to`` number and its TwiML app, its address configuration, the
account's Messaging Services with their numbers and their seed-declared
Console mode, its Flex Flows, Conversations defaults, Flex configuration,
Conversations services and Studio flows, and the conversation that binds the
(``sender``, ``to``) pair, with its participants and scoped webhooks. Records
go in as the API shows them (the rows hold Twilio's snake_case fields), so the
emulator builds its snapshot exactly as an audit of a real account would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...routing import AccountSnapshot, ServiceMode
from ..store import (
    ADDRESS,
    APPLICATION,
    FLEX_FLOW,
    FLOW,
    MESSAGING_NUMBER,
    MESSAGING_SERVICE,
    NUMBER,
    SERVICE,
    Transaction,
)

if TYPE_CHECKING:
    from ..backend import Backend

__all__ = ["read_snapshot"]


def read_snapshot(
    backend: Backend, tx: Transaction, account: str, sender: str, to: str
) -> AccountSnapshot:
    """The account as far as a message from ``sender`` to ``to`` can see it.

    ``tx`` is the caller's transaction: the backends' reads join it, so the
    snapshot and what the simulation then writes are one consistent step.
    """
    number = tx.find(NUMBER, account, to)
    numbers: list[Mapping[str, Any]] = []
    applications: list[Mapping[str, Any]] = []
    services: list[tuple[Mapping[str, Any], list[Mapping[str, Any]]]] = []
    modes: dict[str, ServiceMode] = {}
    if number is not None:
        numbers.append(number)
        app_sid = number.get("sms_application_sid")
        app = tx.get(APPLICATION, app_sid) if app_sid else None
        if app is not None and app["account_sid"] == account:
            applications.append(app)
        member = tx.get(MESSAGING_NUMBER, number["sid"])
        service = tx.get(MESSAGING_SERVICE, member["service_sid"]) if member else None
        if member is not None and service is not None and service["account_sid"] == account:
            services.append((service, [member]))
            if service.get("incoming_mode"):
                modes[service["sid"]] = service["incoming_mode"]
    address = tx.find(ADDRESS, account, to)
    conversations = backend.conversations
    bound = conversations.find_bound_conversation(account, sender, to)
    bound_records = []
    if bound is not None:
        sid = bound.conversation["sid"]
        bound_records.append(
            (
                bound.conversation,
                conversations.participants_of(account, sid),
                conversations.conversation_webhooks(account, sid),
            )
        )
    return AccountSnapshot.from_twilio(
        account_sid=account,
        numbers=numbers,
        applications=applications,
        addresses=[_address_record(address)] if address is not None else [],
        messaging_services=services,
        messaging_service_modes=modes,
        flex_flows=[f for f in tx.list(FLEX_FLOW, account) if f.get("contact_identity") == to],
        conversations_configuration=conversations.fetch_configuration(account),
        flex_configuration=backend.flex.fetch_configuration(account),
        conversation_services=tx.list(SERVICE, account),
        studio_flows=tx.list(FLOW, account),
        conversations=bound_records,
    )


def _address_record(row: Mapping[str, Any]) -> Mapping[str, Any]:
    """The address configuration, with empty webhook filters read as "not given".

    The address backend stores ``[]`` both when ``AutoCreation.WebhookFilters``
    is left out and when it is sent blank; the routing model's default for
    filters not given is ``onMessageAdded`` (the notes' §5 Q19), so an empty
    list here is taken as not given.
    """
    auto = row.get("auto_creation")
    if not isinstance(auto, Mapping) or auto.get("webhook_filters") != []:
        return row
    return {**row, "auto_creation": {k: v for k, v in auto.items() if k != "webhook_filters"}}
