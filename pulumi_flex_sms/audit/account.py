"""Read a live account once, through :mod:`pulumi_flex_sms.twilio_api`: the audit's one shell.

Only reads (GET requests), and a number of them that grows with pages and
referenced objects, never with numbers: every incoming number, address
configuration, Messaging Service with its numbers and Flex Flow, a page at a
time; the Conversations and Flex configurations; the TwiML applications when a
number names one; then each Studio flow (with its definition) and each
Conversations service that an address configuration or the account's defaults
refer to, once each.

Credentials and the base URL resolve as the providers resolve them (the
gateway's settings: environment variables here), and the errors are theirs
(:mod:`pulumi_flex_sms.errors`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .. import twilio_api
from ..errors import NotFoundError
from ..routing import AccountSnapshot
from ..twilio_api import Record

__all__ = ["AccountRecords", "Progress", "read_account"]

Progress = Callable[[str, int, int], None]
"""Told ``(what is being read, steps done, steps known so far)`` before each read."""

#: The reads every audit makes, before the referenced flows and services are known.
_FIXED_READS = 7


@dataclass(frozen=True)
class AccountRecords:
    """The account as Twilio's JSON records (what the emitted program needs as they are)."""

    account_sid: str
    numbers: list[Record]
    addresses: list[Record]
    applications: list[Record]
    messaging_services: list[tuple[Record, list[Record]]]
    flex_flows: list[Record]
    conversations_configuration: Record
    flex_configuration: Record | None
    studio_flows: list[Record]
    conversation_services: list[Record]
    """The referenced services that exist (the model checks only references)."""

    def snapshot(self) -> AccountSnapshot:
        return AccountSnapshot.from_twilio(
            account_sid=self.account_sid,
            numbers=self.numbers,
            applications=self.applications,
            addresses=self.addresses,
            messaging_services=self.messaging_services,
            flex_flows=self.flex_flows,
            conversations_configuration=self.conversations_configuration,
            flex_configuration=self.flex_configuration,
            conversation_services=self.conversation_services,
            studio_flows=self.studio_flows,
        )


def _sids(values: Iterable[Any], prefix: str) -> list[str]:
    """The distinct SIDs with ``prefix`` among ``values``, in first-seen order."""
    return list(dict.fromkeys(v for v in values if isinstance(v, str) and v.startswith(prefix)))


def _auto(address: Record, key: str) -> Any:
    return (address.get("auto_creation") or {}).get(key)


def _flex_flows() -> list[Record]:
    try:
        return twilio_api.list_flex_flows()
    except NotFoundError:
        return []  # an account without Flex has no Flex Flows to list


def read_account(progress: Progress | None = None) -> AccountRecords:
    """Everything the routing model needs about the account, in as few GETs as paging allows."""
    done, known = 0, _FIXED_READS

    def reading(what: str) -> None:
        nonlocal done
        if progress is not None:
            progress(what, done, known)
        done += 1

    reading("phone numbers")
    numbers = twilio_api.list_numbers()
    reading("address configurations")
    addresses = twilio_api.list_address_configurations()
    reading("TwiML applications")
    named_apps = _sids((n.get("sms_application_sid") for n in numbers), "AP")
    applications = twilio_api.list_applications() if named_apps else []
    reading("Messaging Services")
    services = twilio_api.list_messaging_services()
    reading("Flex Flows")
    flex_flows = _flex_flows()
    reading("the Conversations configuration")
    defaults = twilio_api.fetch_conversations_configuration()
    reading("the Flex configuration")
    flex = twilio_api.fetch_flex_configuration()

    flow_sids = _sids((_auto(a, "studio_flow_sid") for a in addresses), "FW")
    service_sids = _sids(
        (
            *(_auto(a, "conversation_service_sid") for a in addresses),
            defaults.get("default_chat_service_sid"),
            (flex or {}).get("chat_service_instance_sid"),
        ),
        "IS",
    )
    known += len(flow_sids) + len(service_sids)

    def existing(what: str, sids: list[str], fetch: Callable[[str], Record | None]) -> list[Record]:
        """Each of ``sids`` that exists (a reference may name a deleted one), read in turn."""
        found = []
        for sid in sids:
            reading(f"{what} {sid}")
            record = fetch(sid)
            if record is not None:
                found.append(record)
        return found

    flows = existing("Studio flow", flow_sids, twilio_api.fetch_studio_flow)
    conversation_services = existing(
        "Conversations service", service_sids, twilio_api.fetch_conversation_service
    )
    if progress is not None:
        progress("done", done, known)
    return AccountRecords(
        account_sid=twilio_api.account_sid(),
        numbers=numbers,
        addresses=addresses,
        applications=applications,
        messaging_services=services,
        flex_flows=flex_flows,
        conversations_configuration=defaults,
        flex_configuration=flex,
        studio_flows=flows,
        conversation_services=conversation_services,
    )
