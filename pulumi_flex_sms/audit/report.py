"""The audit's findings from an account snapshot, and its ``--json`` object. Pure.

For each number, the routing model's route of a first message from a new
sender (:func:`pulumi_flex_sms.routing.route_every_number`): its problems, with
the model's codes and words, are the number's findings. Then the findings about
the account rather than one number: the model's
(:func:`pulumi_flex_sms.routing.account_problems`: an address configuration for
a number the account no longer has; a default Conversations service that is
not Flex's), and one per Messaging Service holding the account's numbers whose
Console "Incoming Messages" setting the API cannot show (the audit says
"confirm it in the Console" and does not guess).

``--number`` narrows the report to some numbers: they are routed (a number
the account lacks is ``not-delivered``), and of the account findings only
those that concern them stay, plus the default service, which concerns every
number. The JSON object's shape is documented in docs/audit.md and pinned by
``audit.schema.json`` next to this module.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from ..routing import (
    PROBLEM_CODES,
    AccountSnapshot,
    AddressConfiguration,
    Inbound,
    MessagingService,
    Problem,
    Trace,
    account_problems,
    normalize_address,
    route,
    route_every_number,
)
from ..routing import sources as src
from ..urls import mask_credentials

__all__ = [
    "FAIL_ON_LEVELS",
    "JSON_VERSION",
    "VERDICTS",
    "FailOn",
    "NumberReport",
    "Report",
    "Verdict",
    "audit",
    "json_schema",
    "service_setting_unknown",
    "worst",
]

Verdict = Literal["ok", "warning", "error"]
"""A number's verdict: the most severe of its findings, ``ok`` without any."""
VERDICTS: tuple[Verdict, ...] = get_args(Verdict)

FailOn = Literal["error", "warning", "never"]
"""``--fail-on``: the least severe finding that makes the command exit 1."""
FAIL_ON_LEVELS: tuple[FailOn, ...] = get_args(FailOn)

#: The ``version`` of the ``--json`` object; it grows only with changes a reader must know of.
JSON_VERSION = 1

#: How many of a Messaging Service's numbers its finding names before "and N more".
_NUMBERS_NAMED = 5

_API_SHOWS = {
    "defer": "defers to each number's own webhook (use_inbound_webhook_on_number is on)",
    "webhook": "sends their inbound messages to its own webhook",
    "drop": "drops their inbound messages (it has no inbound_request_url)",
    "autocreate": "autocreates a conversation",
}


def json_schema() -> dict[str, Any]:
    """The JSON Schema of the ``--json`` object (``audit.schema.json``, shipped beside this)."""
    from importlib.resources import files

    text = files(__package__).joinpath("audit.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def worst(problems: Iterable[Problem]) -> Verdict:
    """``error`` if any problem is an error, else ``warning`` if there is one, else ``ok``."""
    severities = {problem.severity for problem in problems}
    if "error" in severities:
        return "error"
    return "warning" if severities else "ok"


def service_setting_unknown(service: MessagingService, numbers: Sequence[str]) -> Problem:
    """Account-level: the service's Console "Incoming Messages" setting is not in the API.

    The numbers' own findings (``messaging-service-overrides``) read the mode
    from the API fields; this one asks for the Console to be checked once per
    service.
    """
    named = ", ".join(numbers[:_NUMBERS_NAMED])
    if len(numbers) > _NUMBERS_NAMED:
        named += f" and {len(numbers) - _NUMBERS_NAMED} more"
    label = f"Messaging Service {service.sid}"
    if service.friendly_name:
        label += f" ({service.friendly_name!r})"
    effect = _API_SHOWS[service.mode]
    if service.mode == "webhook":
        effect += f" ({mask_credentials(service.inbound_request_url)})"
    summary = (
        f"{label} holds {named}. Its Console 'Incoming Messages' setting decides where their "
        "inbound SMS go, and the API cannot show it (it may be 'Autocreate a Conversation'). "
        f"As far as the API shows, the service {effect}; the audit reads it so and does not "
        f"guess: confirm it in the Console (Messaging > Services > {service.sid} > Integration)."
    )
    fix = (
        "confirm the service's Incoming Messages setting in the Console; for Flex, remove the "
        "numbers from the service (Flex's set-up has no Messaging Service on the number), or "
        "set it to 'Autocreate a Conversation' with the Flex Conversations service as the "
        "account's default"
    )
    return Problem(
        "messaging-service-overrides",
        service.sid,
        summary,
        fix,
        (src.MSVC, src.FLEX_MS, src.SPEC_MSG),
    )


def _address_dict(address: AddressConfiguration) -> dict[str, Any]:
    auto = address.auto_creation
    return {
        "sid": address.sid,
        "friendly_name": address.friendly_name or None,
        "autocreates": address.autocreates,
        "auto_creation": None
        if auto is None
        else {
            "enabled": auto.enabled,
            "type": auto.type,
            "conversation_service_sid": auto.conversation_service_sid,
            "studio_flow_sid": auto.studio_flow_sid,
            "studio_retry_count": auto.studio_retry_count,
            "webhook_url": mask_credentials(auto.webhook_url) if auto.webhook_url else None,
            "webhook_method": auto.webhook_method,
            "webhook_filters": None if auto.webhook_filters is None else list(auto.webhook_filters),
        },
    }


@dataclass(frozen=True)
class NumberReport:
    """One number: its route for a first message from a new sender, and what is wrong."""

    phone_number: str
    trace: Trace
    address: AddressConfiguration | None
    """Its address configuration, if it has one."""

    @property
    def sid(self) -> str | None:
        """The number's PN SID; None for a ``--number`` the account does not have."""
        return self.trace.phone_number_sid

    @property
    def findings(self) -> tuple[Problem, ...]:
        return self.trace.problems

    @property
    def verdict(self) -> Verdict:
        return worst(self.findings)

    @property
    def reach(self) -> str:
        """Where a first message goes, in three words, for the table."""
        if self.sid is None:
            return "not in the account"
        if self.trace.reaches_flex_once:
            return "reaches Flex"
        return "reaches Flex, and more" if self.trace.reaches_flex else "misses Flex"

    def to_dict(self) -> dict[str, Any]:
        trace = self.trace
        return {
            "phone_number": self.phone_number,
            "sid": self.sid,
            "address_configuration": _address_dict(self.address) if self.address else None,
            **trace.route_to_dict(),
            "flex_paths": list(trace.flex_paths),
            "reaches_flex_once": trace.reaches_flex_once,
            "verdict": self.verdict,
            "findings": [problem.to_dict() for problem in self.findings],
        }


@dataclass(frozen=True)
class Report:
    """What the audit found: per number, and about the account."""

    account_sid: str | None
    numbers: tuple[NumberReport, ...]
    account_findings: tuple[Problem, ...]

    @property
    def findings(self) -> tuple[Problem, ...]:
        """Every finding: the numbers', then the account's."""
        return (*(p for number in self.numbers for p in number.findings), *self.account_findings)

    def fails(self, fail_on: FailOn) -> bool:
        """True when a finding at or above ``fail_on`` exists: the command then exits 1."""
        if fail_on == "never":
            return False
        wanted = ("error",) if fail_on == "error" else ("error", "warning")
        return any(problem.severity in wanted for problem in self.findings)

    def totals(self) -> dict[str, Any]:
        verdicts = Counter(number.verdict for number in self.numbers)
        severities = Counter(problem.severity for problem in self.findings)
        codes = Counter(problem.code for problem in self.findings)
        return {
            "numbers": len(self.numbers),
            "verdicts": {verdict: verdicts[verdict] for verdict in VERDICTS},
            "findings": {"error": severities["error"], "warning": severities["warning"]},
            "codes": {code: codes[code] for code in PROBLEM_CODES if codes[code]},
        }

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` object (docs/audit.md; ``audit.schema.json``)."""
        return {
            "version": JSON_VERSION,
            "account": {
                "sid": self.account_sid,
                "findings": [problem.to_dict() for problem in self.account_findings],
            },
            "numbers": [number.to_dict() for number in self.numbers],
            "totals": self.totals(),
        }


def _account_findings(snapshot: AccountSnapshot, only: set[str] | None) -> list[Problem]:
    addresses = {address.sid: address.address for address in snapshot.addresses}
    found = []
    for problem in account_problems(snapshot):
        orphan = problem.code == "not-delivered"
        if only is None or not orphan or addresses.get(problem.subject) in only:
            found.append(problem)
    owned = {number.phone_number for number in snapshot.numbers}
    for service in snapshot.messaging_services:
        members = sorted(
            {m.phone_number for m in service.phone_numbers if m.phone_number in owned}
            & (owned if only is None else only)
        )
        if members and not service.mode_declared:
            found.append(service_setting_unknown(service, members))
    return found


def audit(snapshot: AccountSnapshot, *, numbers: Sequence[str] | None = None) -> Report:
    """The report for every number of ``snapshot``, or for ``numbers`` (E.164, loosely written).

    Numbers come in E.164 order.
    """
    if numbers is None:
        traces = list(route_every_number(snapshot))
        only = None
    else:
        only = {normalize_address(number) for number in numbers}
        traces = [route(snapshot, Inbound(to=number)) for number in only]
    reports = [
        NumberReport(
            phone_number=normalize_address(trace.inbound.to),
            trace=trace,
            address=snapshot.address_for(trace.inbound.to),
        )
        for trace in traces
    ]
    return Report(
        account_sid=snapshot.account_sid,
        numbers=tuple(sorted(reports, key=lambda report: report.phone_number)),
        account_findings=tuple(_account_findings(snapshot, only)),
    )
