"""The ``flex-sms`` command.

Each subcommand lives in the module that owns it and is imported only when it
runs, so ``flex-sms policy-pack`` never loads the emulator's web stack.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

__all__ = ["main"]

#: subcommand -> (module with a ``main(argv) -> int``, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "audit": (
        "pulumi_flex_sms.audit.cli",
        "find every way a live account's inbound SMS misses Flex; --emit-pulumi adopts it",
    ),
    "emulator": ("pulumi_flex_sms.emulator.__main__", "run the local Twilio emulator"),
    "policy-pack": ("pulumi_flex_sms.policies.cli", "print or write the ready policy pack"),
    "simulate-inbound": (
        "pulumi_flex_sms.simulate_cli",
        "send a simulated inbound SMS through an emulator; exit 0 if it reaches Flex once",
    ),
}


def _usage() -> str:
    lines = ["usage: flex-sms <command> [options]", "", "commands:"]
    width = max(map(len, SUBCOMMANDS))
    lines += [f"  {name:<{width}}  {help_}" for name, (_, help_) in SUBCOMMANDS.items()]
    lines += ["", "Run 'flex-sms <command> --help' for a command's options."]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Dispatch ``flex-sms <command> ...`` to the command's own ``main``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(_usage())
        return 0 if args else 2
    command, rest = args[0], args[1:]
    if command not in SUBCOMMANDS:
        print(f"flex-sms: unknown command {command!r}\n\n{_usage()}", file=sys.stderr)
        return 2
    module_name, _ = SUBCOMMANDS[command]
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if command == "emulator" and exc.name in ("starlette", "uvicorn", "yaml"):
            print(
                "flex-sms emulator needs the emulator extra: "
                "pip install 'pulumi-flex-sms[emulator]'",
                file=sys.stderr,
            )
            return 2
        raise
    return int(module.main(rest) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
