"""``flex-sms simulate-inbound``: send a simulated inbound SMS through an emulator, judge its route.

The emulator (``flex-sms emulator``, or the one a pipeline deployed its stack
to) runs Twilio's inbound routing on its state (the routing model, see
docs/routing.md), applies it (conversations, participants, messages, Studio
executions) and makes the webhook deliveries Twilio would make. This command
prints that trace and exits:

* ``0``: the message reaches Flex by exactly one path, nothing else handles
  it, and there is no problem;
* ``1``: any problem (each printed with its code and its fix);
* ``2``: bad usage, or the emulator cannot be reached or does not answer as one.

Standard library only (the emulator's stdlib control client): it never loads
the emulator's web stack, so it runs wherever the package is installed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import urllib.error
from collections.abc import Sequence
from typing import Any, NoReturn
from urllib.parse import urlsplit

from .emulator.control import EmulatorControl, EmulatorControlError
from .identifiers import is_e164, strip_phone_punctuation
from .urls import mask_credentials

__all__ = ["BASE_URL_VARIABLE", "TIMEOUT_SECONDS", "main", "render"]

#: Where the emulator is, unless ``--emulator`` says.
BASE_URL_VARIABLE = "FLEX_SMS_TWILIO_BASE_URL"
#: Long enough for Twilio's own timeouts: 15 s for the SMS webhook, 15 more for its fallback.
TIMEOUT_SECONDS = 120.0
_PROG = "flex-sms simulate-inbound"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=_PROG,
        description="Send a simulated inbound SMS through the Twilio emulator and print where "
        "it goes. Exit 0 when it reaches Flex by exactly one path and nothing else handles "
        "it; 1 on any problem; 2 on usage or connection errors.",
    )
    parser.add_argument("--to", required=True, metavar="E164", help="your Twilio number")
    parser.add_argument(
        "--from", dest="sender", required=True, metavar="E164", help="the customer's number"
    )
    parser.add_argument("--body", default="Hello from flex-sms simulate-inbound", metavar="TEXT")
    parser.add_argument(
        "--emulator",
        metavar="URL",
        help=f"the emulator's base URL (default: ${BASE_URL_VARIABLE})",
    )
    parser.add_argument(
        "--number-webhook-mode",
        choices=("parallel", "exclusive"),
        default="parallel",
        help="whether the number's own webhook still fires when a conversation takes the "
        "message (Twilio's documents disagree; default parallel)",
    )
    parser.add_argument("--json", action="store_true", help="print the trace as one JSON object")
    return parser


def _e164(value: str, flag: str) -> str:
    compact = strip_phone_punctuation(value)
    if not is_e164(compact):
        raise _UsageError(f"{flag}: {value!r} is not an E.164 phone number such as +13115552368")
    return compact


def _base_url(given: str | None) -> str:
    source = "--emulator" if given is not None else BASE_URL_VARIABLE
    url = given if given is not None else os.environ.get(BASE_URL_VARIABLE, "")
    if not url.strip():
        raise _UsageError(
            f"no emulator URL: pass --emulator URL or set {BASE_URL_VARIABLE} "
            "(flex-sms emulator prints it on its first line)"
        )
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 (raises ValueError for a bad port)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        shown = mask_credentials(url)
        raise _UsageError(
            f"{source}: {shown!r} is not an http(s) URL such as http://127.0.0.1:8717"
        )
    return url.strip().rstrip("/")


# -- the readable trace ------------------------------------------------------------


def _conversation(conversation: dict[str, Any]) -> str:
    outcome = conversation.get("outcome")
    if outcome == "none":
        return "none (no conversation takes the message)"
    where = conversation.get("conversation_service_sid") or "the default service"
    text = f"{outcome} {conversation.get('sid') or ''} in {where}".replace("  ", " ")
    if conversation.get("created_by"):
        by = conversation["created_by"].replace("-", " ")
        if conversation.get("address_configuration_sid"):
            by += f" {conversation['address_configuration_sid']}"
        text += f", by the {by}"
    if conversation.get("reactivated"):
        text += " (inactive: reactivated)"
    return text


def _integration(integration: dict[str, Any] | None) -> str:
    if not integration:
        return "none"
    if integration.get("kind") == "studio":
        text = f"Studio flow {integration.get('flow_sid')}"
    else:
        filters = ", ".join(integration.get("filters") or []) or "no events"
        text = f"webhook {integration.get('method')} {integration.get('url')} ({filters})"
    return text + (", reaches Flex" if integration.get("reaches_flex") else ", does not reach Flex")


def _delivery(delivery: dict[str, Any]) -> str:
    what = delivery.get("kind", "?")
    if delivery.get("event"):
        what += f" {delivery['event']}"
    if delivery.get("kind") == "studio-execution":
        if delivery.get("execution_sid"):
            return f"{what}: flow {delivery.get('flow_sid')} ran as {delivery['execution_sid']}"
        return f"{what}: flow {delivery.get('flow_sid')}: {delivery.get('detail') or 'no run'}"
    target = f"{delivery.get('method')} {delivery.get('url')}"
    if delivery.get("skipped"):
        return f"{what} {target}: not sent ({delivery['skipped']})"
    outcome = delivery.get("error") or f"HTTP {delivery.get('status_code')}"
    text = f"{what} {target}: {outcome} in {delivery.get('duration_ms')} ms"
    if delivery.get("fallback_used"):
        text += " (fallback URL)"
    for reply in delivery.get("replies") or []:
        text += (
            f"\n      reply {reply.get('sid') or ''} to {reply.get('to')}: {reply.get('body')!r}"
        )
    if delivery.get("detail"):
        text += f"\n      {delivery['detail']}"
    return text


def render(report: dict[str, Any]) -> str:
    """The trace as people read it (what ``--json`` prints as data)."""

    def row(label: str, text: str) -> str:
        return f"  {label + ':':<17}{text}".rstrip()

    number = report.get("phone_number_sid") or "not a number of any account"
    if report.get("account_sid"):
        number += f" (account {report['account_sid']})"
    lines = [
        f"{report.get('from')} -> {report.get('to')}: {report.get('body')!r}",
        row("number", number),
        row("webhook mode", str(report.get("number_webhook_mode"))),
    ]
    service = report.get("messaging_service")
    if service:
        declared = "" if service.get("mode_declared") else ", read from its API fields"
        lines.append(
            row("messaging service", f"{service.get('sid')} ({service.get('mode')}{declared})")
        )
    lines.append(row("conversation", _conversation(report.get("conversation") or {})))
    lines.append(row("integration", _integration(report.get("integration"))))
    handlers = report.get("handlers") or []
    lines.append(row("also handled by", "" if handlers else "nothing"))
    for handler in handlers:
        target = handler.get("url") or handler.get("sid")
        lines.append(f"    {handler.get('kind')} {handler.get('method') or ''} {target}".rstrip())
    deliveries = report.get("deliveries") or []
    lines.append(row("deliveries", "" if deliveries else "none"))
    lines += [f"    {_delivery(d)}" for d in deliveries]
    paths = report.get("flex_paths") or []
    lines.append(row("reaches Flex", " and ".join(paths) if paths else "no"))
    problems = report.get("problems") or []
    if problems:
        lines.append(f"{len(problems)} problem(s):")
        for problem in problems:
            message = str(problem.get("message", "")).replace("\n", "\n      ")
            lines.append(f"  [{problem.get('code')}] {problem.get('severity')}: {message}")
    verdict = "OK: reaches Flex by exactly one path" if report.get("ok") else "NOT OK"
    lines.append(verdict)
    return "\n".join(lines)


# -- the command ---------------------------------------------------------------------


def _fail(message: str) -> int:
    print(f"{_PROG}: {message}", file=sys.stderr)
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns its exit status (0 ok, 1 problems, 2 usage or connection)."""
    parser = _parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
        to, sender = _e164(args.to, "--to"), _e164(args.sender, "--from")
        base_url = _base_url(args.emulator)
    except _UsageError as exc:
        print(parser.format_usage().rstrip(), file=sys.stderr)
        return _fail(str(exc))
    control = EmulatorControl(base_url, timeout=TIMEOUT_SECONDS)
    shown = mask_credentials(base_url)  # errors never echo a password in the URL
    try:
        report = control.simulate_inbound_sms(
            sender, to, args.body, number_webhook_mode=args.number_webhook_mode
        )
    except EmulatorControlError as exc:
        body = exc.body
        detail = body.get("message") if isinstance(body, dict) else str(body)[:200]
        if exc.status == 404:
            detail = f"{detail} (is {shown} a flex-sms emulator?)"
        return _fail(f"the emulator at {shown} refused the message: HTTP {exc.status}: {detail}")
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return _fail(f"cannot reach the emulator at {shown}: {reason}")
    except http.client.HTTPException as exc:  # something answered, but not in HTTP
        return _fail(
            f"{shown} did not answer as an HTTP server ({type(exc).__name__}): "
            "is it a flex-sms emulator?"
        )
    except ValueError:
        return _fail(f"{shown} did not answer with JSON: is it a flex-sms emulator?")
    if not isinstance(report, dict) or "ok" not in report:
        return _fail(f"{shown} answered something that is not a trace: is it a flex-sms emulator?")
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(render(report))
    return 0 if report["ok"] is True else 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
