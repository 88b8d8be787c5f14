"""Accounts for the audit's tests: one with every kind of finding, one with none.

Each account is an emulator seed (docs/emulator.md's format) plus what happens
to it afterwards (:class:`Afterwards`: a flow and a service deleted, a number
that leaves the account), so that the same account is served by the emulator
(:func:`emulated`) and, for fast unit tests, by :class:`SeededTwilioApi`,
a stand-in for :mod:`pulumi_flex_sms.twilio_api`'s reads built from the seed.

:data:`EXPECTED` says which problem codes the audit must find at each number
of the account with every finding, and :data:`EXPECTED_ACCOUNT` at the account:
every code the routing model can report from what Twilio's API shows.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from pulumi_flex_sms.routing import ProblemCode
from pulumi_flex_sms.twilio_api import Record

from .fake_twilio_api import FakeTwilioApi
from .routing_accounts import sid

__all__ = [
    "ACCOUNT_SID",
    "AUTH_TOKEN",
    "CLEAN",
    "EVERY_FINDING",
    "EXPECTED",
    "EXPECTED_ACCOUNT",
    "Account",
    "Afterwards",
    "Emulated",
    "SeededTwilioApi",
    "emulated",
    "flex_definition",
    "numbered_account",
    "sid",
]


ACCOUNT_SID = sid("AC", 0xA0D17)
AUTH_TOKEN = "audit-auth-token-" + "0" * 15

IS_FLEX, IS_OTHER, IS_GONE = sid("IS", 1), sid("IS", 2), sid("IS", 3)
FW_FLEX, FW_DRAFT, FW_SMS_TRIGGER, FW_GONE = (sid("FW", n) for n in range(1, 5))
MG_WEBHOOK = sid("MG", 1)
AP_REPLY = sid("AP", 1)
LEGACY_URL = "https://legacy.example.com/sms"


def flex_definition(event: str = "incomingConversationMessage") -> dict[str, Any]:
    """Flex's "Messaging Flow": the Trigger's ``event`` leads to Send to Flex."""
    return {
        "description": "Messaging Flow",
        "initial_state": "Trigger",
        "flags": {"allow_concurrent_calls": True},
        "states": [
            {
                "name": "Trigger",
                "type": "trigger",
                "transitions": [{"event": event, "next": "SendToAgent"}],
                "properties": {},
            },
            {
                "name": "SendToAgent",
                "type": "send-to-flex",
                "transitions": [],
                "properties": {},
            },
        ],
    }


def _studio(flow: str, service: str = IS_FLEX) -> dict[str, Any]:
    return {
        "enabled": True,
        "type": "studio",
        "conversation_service_sid": service,
        "studio_flow_sid": flow,
        "studio_retry_count": 3,
    }


@dataclass(frozen=True)
class Afterwards:
    """What changes after seeding: references left dangling, a number gone elsewhere."""

    deleted_flows: tuple[str, ...] = ()
    deleted_services: tuple[str, ...] = ()
    numbers_gone: tuple[str, ...] = ()
    """Numbers that left the account (ported out, moved to a subaccount) while their
    address configuration stayed: the emulator does not move numbers, so tests take
    them out of its store."""


@dataclass(frozen=True)
class Account:
    seed: dict[str, Any]
    afterwards: Afterwards = field(default_factory=Afterwards)

    @property
    def body(self) -> dict[str, Any]:
        """The one account of the seed."""
        [account] = self.seed["accounts"]
        return account  # type: ignore[no-any-return]


def _number(n: int, **fields: Any) -> dict[str, Any]:
    return {"sid": sid("PN", n), "phone_number": f"+1311555{n:04d}", **fields}


def _address(n: int, auto: Mapping[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "sid": sid("IG", n),
        "address": f"+1311555{n:04d}",
        "auto_creation": dict(auto),
        **fields,
    }


def _every_finding() -> Account:
    numbers = [
        _number(101, friendly_name="Flex support"),
        _number(102, sms_url=LEGACY_URL, sms_method="POST"),
        _number(103, sms_url=LEGACY_URL),
        _number(104),
        _number(105),
        _number(106),
        _number(107),
        _number(108),
        _number(109),
        _number(110),
        _number(111),
        _number(112),
        _number(113),
        _number(114, sms_application_sid=AP_REPLY),
        _number(199),
    ]
    addresses = [
        _address(101, _studio(FW_FLEX), friendly_name="Support line"),
        _address(102, _studio(FW_FLEX)),
        # 103: no address configuration
        _address(104, {**_studio(FW_FLEX), "enabled": False}),
        _address(105, {"enabled": True, "type": "default"}),
        _address(
            106,
            {
                "enabled": True,
                "type": "webhook",
                "conversation_service_sid": IS_FLEX,
                "webhook_url": "https://hooks.example.com/flex",
                "webhook_method": "POST",
                "webhook_filters": ["onParticipantAdded"],
            },
        ),
        _address(107, _studio(FW_FLEX, service=IS_OTHER)),
        _address(108, _studio(FW_FLEX, service=IS_GONE)),
        _address(109, _studio(FW_GONE)),
        _address(110, _studio(FW_DRAFT)),
        _address(111, _studio(FW_SMS_TRIGGER)),
        _address(112, _studio(FW_FLEX)),
        _address(113, _studio(FW_FLEX)),
        _address(114, _studio(FW_FLEX)),
        _address(199, _studio(FW_FLEX), friendly_name="Ported-out line"),
    ]
    body = {
        "sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "applications": [{"sid": AP_REPLY, "friendly_name": "Auto reply", "sms_url": LEGACY_URL}],
        "phone_numbers": numbers,
        "conversation_services": [
            {"sid": IS_FLEX, "friendly_name": "Flex Conversations Service"},
            {"sid": IS_OTHER, "friendly_name": "Default Conversations Service"},
            {"sid": IS_GONE, "friendly_name": "Deleted later"},
        ],
        "studio_flows": [
            {"sid": FW_FLEX, "friendly_name": "Messaging Flow", "definition": flex_definition()},
            {
                "sid": FW_DRAFT,
                "friendly_name": "Draft flow",
                "status": "draft",
                "definition": flex_definition(),
            },
            {
                "sid": FW_SMS_TRIGGER,
                "friendly_name": "SMS trigger flow",
                "definition": flex_definition("incomingMessage"),
            },
            {"sid": FW_GONE, "friendly_name": "Deleted later", "definition": flex_definition()},
        ],
        "address_configurations": addresses,
        "messaging_services": [
            {
                "sid": MG_WEBHOOK,
                "friendly_name": "Marketing",
                "inbound_request_url": "https://marketing.example.com/inbound",
            }
        ],
        "messaging_service_phone_numbers": [
            {"service_sid": MG_WEBHOOK, "sid": sid("PN", 113)},
        ],
        "flex_flows": [
            {
                "sid": sid("FO", 1),
                "friendly_name": "Legacy SMS",
                "chat_service_sid": IS_FLEX,
                "channel_type": "sms",
                "contact_identity": "+13115550112",
                "enabled": True,
                "integration_type": "studio",
                "integration": {"flow_sid": FW_FLEX},
            }
        ],
        "conversations_configuration": {"default_chat_service_sid": IS_OTHER},
        "flex_configuration": {"chat_service_instance_sid": IS_FLEX},
    }
    return Account(
        seed={"accounts": [body]},
        afterwards=Afterwards(
            deleted_flows=(FW_GONE,),
            deleted_services=(IS_GONE,),
            numbers_gone=(sid("PN", 199),),
        ),
    )


def _clean() -> Account:
    body = {
        "sid": ACCOUNT_SID,
        "auth_token": AUTH_TOKEN,
        "phone_numbers": [_number(201), _number(202, friendly_name="Sales")],
        "conversation_services": [{"sid": IS_FLEX, "friendly_name": "Flex Conversations"}],
        "studio_flows": [
            {"sid": FW_FLEX, "friendly_name": "Messaging Flow", "definition": flex_definition()}
        ],
        "address_configurations": [
            _address(201, _studio(FW_FLEX), friendly_name="Support line"),
            _address(202, {**_studio(FW_FLEX), "studio_retry_count": 1}),
        ],
        "conversations_configuration": {"default_chat_service_sid": IS_FLEX},
        "flex_configuration": {"chat_service_instance_sid": IS_FLEX},
    }
    return Account(seed={"accounts": [body]})


def numbered_account(count: int, *, start: int = 1000) -> Account:
    """``count`` numbers, each with a clean Flex address (for request counts and benchmarks)."""
    clean = copy.deepcopy(_clean().body)
    clean["phone_numbers"] = [_number(start + i) for i in range(count)]
    clean["address_configurations"] = [_address(start + i, _studio(FW_FLEX)) for i in range(count)]
    return Account(seed={"accounts": [clean]})


EVERY_FINDING = _every_finding()
CLEAN = _clean()

#: The codes the audit finds at each number of :data:`EVERY_FINDING`.
EXPECTED: dict[str, set[ProblemCode]] = {
    "+13115550101": set(),
    "+13115550102": {"handler-in-parallel"},
    "+13115550103": {"no-conversation"},
    "+13115550104": {"autocreation-disabled"},
    # Type default holds no service: the account's default, which is not Flex's.
    "+13115550105": {"no-integration", "not-flex-service"},
    "+13115550106": {"no-integration"},
    "+13115550107": {"not-flex-service"},
    "+13115550108": {"service-missing"},
    "+13115550109": {"flow-missing"},
    "+13115550110": {"flow-not-published"},
    "+13115550111": {"flow-without-send-to-flex"},
    "+13115550112": {"legacy-flex-flow"},
    "+13115550113": {"messaging-service-overrides", "handler-in-parallel"},
    "+13115550114": {"handler-in-parallel"},
}
#: The account's own findings: the default service, the orphan address, the service.
EXPECTED_ACCOUNT: list[ProblemCode] = [
    "not-flex-service",
    "not-delivered",
    "messaging-service-overrides",
]


# --- the same account, as twilio_api's reads ----------------------------------------------


class SeededTwilioApi(FakeTwilioApi):
    """twilio_api's reads of a seeded account (after :class:`Afterwards`), in Twilio's JSON."""

    def __init__(self, account: Account) -> None:
        super().__init__(ACCOUNT_SID)
        body = account.body
        after = account.afterwards
        for entry in body.get("phone_numbers", []):
            if entry["sid"] not in after.numbers_gone:
                fields = {k: v for k, v in entry.items() if k != "phone_number"}
                self.add_number(entry["phone_number"], **fields)
        for entry in body.get("address_configurations", []):
            record = {
                "type": "sms",
                "friendly_name": None,
                "address_country": None,
                "account_sid": ACCOUNT_SID,
                **copy.deepcopy(entry),
            }
            self.configurations[entry["sid"]] = record
        self.applications = [
            {"sms_method": "POST", "sms_fallback_url": "", "sms_fallback_method": "POST", **a}
            for a in body.get("applications", [])
        ]
        numbers_by_sid = {n["sid"]: n for n in body.get("phone_numbers", [])}
        members = body.get("messaging_service_phone_numbers", [])
        self.services = [
            (
                {"inbound_method": "POST", "use_inbound_webhook_on_number": False, **service},
                [
                    {"sid": m["sid"], "phone_number": numbers_by_sid[m["sid"]]["phone_number"]}
                    for m in members
                    if m["service_sid"] == service["sid"]
                ],
            )
            for service in body.get("messaging_services", [])
        ]
        self.flex_flows = copy.deepcopy(body.get("flex_flows", []))
        self.defaults = {"account_sid": ACCOUNT_SID, **body.get("conversations_configuration", {})}
        self.flex = body.get("flex_configuration")
        self.flows = {
            f["sid"]: {"status": "published", **f}
            for f in body.get("studio_flows", [])
            if f["sid"] not in after.deleted_flows
        }
        self.services_by_sid = {
            s["sid"]: s
            for s in body.get("conversation_services", [])
            if s["sid"] not in after.deleted_services
        }

    def list_applications(self) -> list[Record]:
        self._call("list_applications", None)
        return copy.deepcopy(self.applications)

    def fetch_application(self, sid: str) -> Record | None:
        self._call("fetch_application", sid)
        return next((dict(a) for a in self.applications if a["sid"] == sid), None)

    def list_messaging_services(self) -> list[tuple[Record, list[Record]]]:
        self._call("list_messaging_services", None)
        return copy.deepcopy(self.services)

    def list_flex_flows(self) -> list[Record]:
        self._call("list_flex_flows", None)
        return copy.deepcopy(self.flex_flows)

    def fetch_conversations_configuration(self) -> Record:
        self._call("fetch_conversations_configuration", None)
        return dict(self.defaults)

    def fetch_flex_configuration(self) -> Record | None:
        self._call("fetch_flex_configuration", None)
        return None if self.flex is None else dict(self.flex)

    def fetch_studio_flow(self, sid: str) -> Record | None:
        self._call("fetch_studio_flow", sid)
        return copy.deepcopy(self.flows.get(sid))

    def fetch_conversation_service(self, sid: str) -> Record | None:
        self._call("fetch_conversation_service", sid)
        found = self.services_by_sid.get(sid)
        return None if found is None else dict(found)

    def list_conversation_services(self) -> list[Record]:
        self._call("list_conversation_services", None)
        return [dict(s) for s in self.services_by_sid.values()]


# --- the same account, served by the emulator ------------------------------------------------


@dataclass(frozen=True)
class Emulated:
    """An emulator serving one of these accounts (its journal empty at the start)."""

    base_url: str
    control: Any
    """``EmulatorControl``: state, journal, seed."""

    def env(self, **extra: str) -> dict[str, str]:
        """The environment that points the gateway (and ``flex-sms audit``) at it."""
        return {
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "FLEX_SMS_TWILIO_BASE_URL": self.base_url,
            **extra,
        }

    def requests(self) -> list[dict[str, Any]]:
        return self.control.requests()  # type: ignore[no-any-return]


@contextmanager
def emulated(account: Account) -> Iterator[Emulated]:
    """An in-process emulator on a free port with ``account`` seeded, then :class:`Afterwards`.

    Flows and services are deleted through the API; a number that left the
    account is taken out of the emulator's store, as no API moves it.
    """
    from pulumi_flex_sms.emulator import EmulatorServer
    from pulumi_flex_sms.emulator.control import EmulatorControl
    from pulumi_flex_sms.emulator.store import NUMBER

    from .emulator import twilio_client

    server = EmulatorServer(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, seed=account.seed)
    server.start()
    try:
        client = twilio_client(server.base_url, ACCOUNT_SID, AUTH_TOKEN)
        after = account.afterwards
        for flow in after.deleted_flows:
            client.studio.v2.flows(flow).delete()
        for service in after.deleted_services:
            client.conversations.v1.services(service).delete()
        with server.store.transaction() as tx:
            for number in after.numbers_gone:
                assert tx.delete(NUMBER, number), number
        control = EmulatorControl(server.base_url)
        control.clear_requests()
        yield Emulated(server.base_url, control)
    finally:
        server.stop()
