"""``flex-sms audit``: the command around the audit's core.

Exit status: 0 when no finding is at or above ``--fail-on`` (default
``error``), 1 when one is, 2 when the audit cannot run (bad usage, missing or
rejected credentials, Twilio out of reach, a DIR that is not empty), with the
message the providers give and no traceback.

The table goes to stdout, in colour on a terminal unless ``NO_COLOR`` is set;
``--json`` prints one JSON object instead (docs/audit.md). A progress bar goes
to stderr while the account is read, only on a terminal and never with
``--json``. Twilio (through the gateway) and Pulumi's SDK (for
``--emit-pulumi``) are imported only once the arguments are accepted.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from ..errors import FlexSmsError
from ..identifiers import is_e164, strip_phone_punctuation
from ..routing import SnapshotError, normalize_address
from .report import FAIL_ON_LEVELS, Report, audit

if TYPE_CHECKING:
    from .account import AccountRecords

__all__ = ["PROGRAM_FILES", "main"]

#: What ``--emit-pulumi DIR`` writes.
PROGRAM_FILES = ("Pulumi.yaml", "__main__.py", "requirements.txt")

_PROG = "flex-sms audit"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROG,
        description=(
            "Read a Twilio account (GET requests only) and report every way an inbound SMS "
            "misses Flex: per number, the route of a first message from a new sender, and "
            "the account's own findings. Credentials and base URL come from the environment "
            "as for the providers: TWILIO_ACCOUNT_SID with TWILIO_AUTH_TOKEN (or "
            "TWILIO_API_KEY and TWILIO_API_SECRET), FLEX_SMS_TWILIO_BASE_URL for the "
            "emulator."
        ),
        epilog="Exit status: 0 no finding at or above --fail-on, 1 there is one, 2 cannot audit.",
    )
    parser.add_argument(
        "--number",
        metavar="E164",
        dest="numbers",
        action="extend",
        nargs="+",
        help="audit only these numbers (repeat the option or list several)",
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON object instead of the table"
    )
    parser.add_argument(
        "--fail-on",
        choices=FAIL_ON_LEVELS,
        default="error",
        help="exit 1 when a finding is at least this severe (default: error)",
    )
    parser.add_argument(
        "--emit-pulumi",
        metavar="DIR",
        type=Path,
        help="write a Pulumi program that adopts the account as it is, findings as comments",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="with --emit-pulumi: write into DIR even if it is not empty",
    )
    return parser


def _numbers(parser: argparse.ArgumentParser, given: Sequence[str] | None) -> list[str] | None:
    if not given:
        return None
    numbers = []
    for value in given:
        number = strip_phone_punctuation(value)
        if not is_e164(number):
            parser.error(f"--number {value!r} is not an E.164 number such as +13115552368")
        numbers.append(number)
    return numbers


def _target(parser: argparse.ArgumentParser, target: Path | None, force: bool) -> Path | None:
    if target is None:
        if force:
            parser.error("--force only applies with --emit-pulumi DIR")
        return None
    if target.exists() and not target.is_dir():
        parser.error(f"--emit-pulumi {target}: not a directory")
    if target.is_dir() and any(target.iterdir()) and not force:
        parser.error(
            f"--emit-pulumi {target}: the directory is not empty; choose an empty one, or "
            f"pass --force to write {', '.join(PROGRAM_FILES)} into it"
        )
    return target


class _ProgressBar:
    """``[#####.....] 3/9 reading Messaging Services`` on one line of a terminal."""

    _WIDTH = 24

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream
        self.columns = shutil.get_terminal_size((80, 24)).columns

    def __call__(self, what: str, done: int, known: int) -> None:
        filled = self._WIDTH * done // max(known, 1)
        bar = "#" * filled + "." * (self._WIDTH - filled)
        line = f"[{bar}] {done}/{known} reading {what}"[: self.columns - 1]
        self.stream.write(f"\r{line}\x1b[K")
        self.stream.flush()

    def clear(self) -> None:
        self.stream.write("\r\x1b[K")
        self.stream.flush()


def _colour() -> bool:
    return (
        sys.stdout.isatty()
        and not os.environ.get("NO_COLOR")
        and os.environ.get("TERM", "") != "dumb"
    )


def _emit(target: Path, report: Report, records: AccountRecords, numbers: list[str] | None) -> None:
    from .. import __version__
    from .program import program_files

    wanted = None if numbers is None else set(numbers)
    addresses = [
        a
        for a in records.addresses
        if wanted is None or normalize_address(str(a.get("address"))) in wanted
    ]
    files = program_files(report, addresses=addresses, numbers=records.numbers, version=__version__)
    target.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (target / name).write_text(text, encoding="utf-8")
    print(
        f"{_PROG}: wrote a Pulumi program adopting the account to {target} "
        f"({', '.join(files)}); `pulumi up` there changes nothing on Twilio",
        file=sys.stderr,
    )


def main(argv: Sequence[str]) -> int:
    """Run ``flex-sms audit``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(list(argv))
    numbers = _numbers(parser, args.numbers)
    target = _target(parser, args.emit_pulumi, args.force)
    bar = _ProgressBar(sys.stderr) if not args.json and sys.stderr.isatty() else None
    try:
        from .account import read_account

        try:
            records = read_account(bar)
            report = audit(records.snapshot(), numbers=numbers)
        finally:
            if bar is not None:
                bar.clear()
        if args.json:
            print(json.dumps(report.to_dict(), indent=2))
        else:
            from .table import render_table

            width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
            print(render_table(report, colour=_colour(), width=width), end="")
        if target is not None:
            _emit(target, report, records, numbers)
    except (FlexSmsError, SnapshotError, OSError) as exc:
        print(f"{_PROG}: {exc}", file=sys.stderr)
        return 2
    except Exception:
        print(f"{_PROG}: unexpected error (please report it):", file=sys.stderr)
        traceback.print_exc()
        return 2
    return 1 if report.fails(args.fail_on) else 0
