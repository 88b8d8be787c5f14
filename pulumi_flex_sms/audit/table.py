"""The report as people read it: a table, each finding in full, the totals. Pure.

One row per number (number, address, handlers, verdict, problems), then each
number's findings and the account's, as the routing model words them, wrapped
to ``width``. ``colour`` adds ANSI colours to verdicts and severities; the
command turns it on only for a terminal without ``NO_COLOR``. Every URL shown is
masked where it carries credentials (the model's messages already are).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from ..routing import AddressConfiguration, Handler, Problem
from ..urls import mask_credentials
from .report import NumberReport, Report

__all__ = ["HEADERS", "render_table", "short_sid"]

HEADERS = ("NUMBER", "ADDRESS", "HANDLERS", "VERDICT", "PROBLEMS")
#: A cell longer than this is cut (the findings below say everything in full).
_CELL = 40
_COLOURS = {"ok": "32", "warning": "33", "error": "31"}
_SID_LENGTH = 34


def short_sid(sid: str) -> str:
    """``FW0123456789abcdef0123456789abcdef`` -> ``FW0123..cdef``: enough to tell SIDs apart."""
    return f"{sid[:6]}..{sid[-4:]}" if len(sid) == _SID_LENGTH else sid


def _paint(text: str, level: str, colour: bool) -> str:
    return f"\x1b[{_COLOURS[level]}m{text}\x1b[0m" if colour and level in _COLOURS else text


def _cut(text: str) -> str:
    return text if len(text) <= _CELL else text[: _CELL - 2] + ".."


def _address_cell(address: AddressConfiguration | None) -> str:
    if address is None:
        return "-"
    auto = address.auto_creation
    if auto is None:
        return "no autocreation data"
    if not auto.enabled:
        return f"disabled ({auto.type or 'no type'})"
    if auto.type == "studio":
        return f"studio {short_sid(auto.studio_flow_sid) if auto.studio_flow_sid else '(no flow)'}"
    if auto.type == "webhook":
        return f"webhook {mask_credentials(auto.webhook_url) if auto.webhook_url else '(no URL)'}"
    return auto.type or "(no type)"


def _handler_label(handler: Handler) -> str:
    if handler.kind == "number-sms-url":
        return f"sms_url {mask_credentials(handler.url)}"
    if handler.kind == "twiml-app":
        return f"app {short_sid(handler.sid or '?')}"
    if handler.kind == "messaging-service-webhook":
        return f"service webhook {mask_credentials(handler.url)}"
    return f"legacy {short_sid(handler.sid or '?')}"


def _handlers_cell(number: NumberReport) -> str:
    handlers = number.trace.handlers
    labels = [_handler_label(handler) for handler in handlers]
    service = number.trace.messaging_service
    if service is not None and not any(h.kind == "messaging-service-webhook" for h in handlers):
        # The service decides even when nothing fires (drop, defer to a blank number).
        mode = service.mode + ("" if service.mode_declared else "?")
        labels.insert(0, f"service {short_sid(service.sid)} ({mode})")
    return ", ".join(labels) or "-"


def _row(number: NumberReport) -> tuple[str, ...]:
    codes = list(dict.fromkeys(problem.code for problem in number.findings))
    return (
        number.phone_number,
        _address_cell(number.address),
        _handlers_cell(number),
        f"{number.verdict}: {number.reach}",
        ", ".join(codes) or "-",
    )


def _table(rows: Sequence[tuple[str, ...]], verdicts: Sequence[str], colour: bool) -> list[str]:
    # The last column is not padded, so it is never cut.
    cells = [HEADERS, *[(*(_cut(cell) for cell in row[:-1]), row[-1]) for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADERS))]
    lines = []
    for index, row in enumerate(cells):
        padded = [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        if index:
            padded[3] = _paint(padded[3], verdicts[index - 1], colour)
        lines.append("  ".join(padded).rstrip())
    return lines


def _finding(problem: Problem, width: int, colour: bool) -> list[str]:
    """``  error   [code] message``, wrapped under the message; the tag painted."""
    tag = f"{problem.severity:<7}"
    lead, hang = f"  {tag} [{problem.code}] ", " " * 12
    lines = []
    for index, paragraph in enumerate(problem.message.split("\n")):
        lines += textwrap.wrap(
            paragraph,
            width=max(width, 60),
            initial_indent=lead if index == 0 else hang,
            subsequent_indent=hang,
            break_long_words=False,
            break_on_hyphens=False,
        )
    lines[0] = lines[0].replace(tag, _paint(tag, problem.severity, colour), 1)
    return lines


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _totals(report: Report) -> str:
    totals = report.totals()
    verdicts, findings = totals["verdicts"], totals["findings"]
    return (
        f"{_plural(totals['numbers'], 'number')}: {verdicts['ok']} ok, "
        f"{verdicts['warning']} warning, {verdicts['error']} error; "
        f"{_plural(findings['error'], 'error')} and {_plural(findings['warning'], 'warning')} "
        "found."
    )


def render_table(report: Report, *, colour: bool = False, width: int = 100) -> str:
    """The table, then each number's findings, the account's, and the totals."""
    account = report.account_sid or "(unknown account)"
    lines = [f"Inbound SMS to Flex, account {account}", ""]
    if report.numbers:
        verdicts = [number.verdict for number in report.numbers]
        lines += _table([_row(number) for number in report.numbers], verdicts, colour)
    else:
        lines.append("The account has no phone numbers.")
    for number in report.numbers:
        if number.findings:
            lines += ["", f"{number.phone_number}  {number.verdict}: {number.reach}"]
            for problem in number.findings:
                lines += _finding(problem, width, colour)
    if report.account_findings:
        lines += ["", "The account"]
        for problem in report.account_findings:
            lines += _finding(problem, width, colour)
    lines += ["", _totals(report)]
    return "\n".join(lines) + "\n"
