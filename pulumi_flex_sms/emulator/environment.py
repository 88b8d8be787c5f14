"""``flex-sms emulator env``: the environment that sends unmodified clients to a running emulator.

It asks the emulator (``GET /_emulator/proxy`` on its main port) where its proxy
listens and where its CA is, and prints the variables (see
:meth:`.proxy.ProxyEndpoint.environment`) in one of three formats::

    eval "$(flex-sms emulator env)"                 # shell: export lines
    flex-sms emulator env --format dotenv > .env    # NAME=value lines
    flex-sms emulator env --format json             # everything GET /_emulator/proxy says

Standard library only: it runs wherever the package is installed.
"""

from __future__ import annotations

import argparse
import json
import os
import shlex
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from typing import Any

from .control import opener_for

__all__ = ["DEFAULT_EMULATOR_URL", "format_environment", "main"]

DEFAULT_EMULATOR_URL = "http://127.0.0.1:8717"
#: The variable our providers read to find the emulator; the default when set.
BASE_URL_VARIABLE = "FLEX_SMS_TWILIO_BASE_URL"
FORMATS = ("shell", "dotenv", "json")


def format_environment(environment: Mapping[str, str], style: str) -> str:
    """``environment`` as ``export`` lines (``shell``) or ``NAME=value`` lines (``dotenv``)."""
    pairs = environment.items()
    if style == "shell":
        return "".join(f"export {name}={shlex.quote(value)}\n" for name, value in pairs)
    if style == "dotenv":
        return "".join(f"{name}={json.dumps(value)}\n" for name, value in pairs)
    raise ValueError(f"format: one of {', '.join(FORMATS)}, not {style!r}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flex-sms emulator env",
        description="Print the environment that sends unmodified Twilio clients (twilio-python, "
        "twilio-node, the twilio CLI) through a running emulator's proxy.",
    )
    parser.add_argument(
        "--emulator",
        metavar="URL",
        help=f"the emulator's base URL (default: ${BASE_URL_VARIABLE}, "
        f"else {DEFAULT_EMULATOR_URL})",
    )
    parser.add_argument("--format", choices=FORMATS, default="shell", help="default: shell")
    return parser


def _proxy_info(url: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{url.rstrip('/')}/_emulator/proxy")
    with opener_for(url).open(request, timeout=10) as response:
        info: dict[str, Any] = json.loads(response.read())
    return info


def main(argv: Sequence[str] | None = None) -> int:
    """Print the environment for the emulator at ``--emulator``; returns the exit status."""
    args = _parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    url = args.emulator or os.environ.get(BASE_URL_VARIABLE) or DEFAULT_EMULATOR_URL
    try:
        info = _proxy_info(url)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            message = (
                f"the emulator at {url} runs without its proxy: restart it with "
                "--proxy-port PORT (0: a free port)"
            )
        else:
            message = f"the emulator at {url} answered {exc.code}: {exc.read()[:200]!r}"
        print(f"flex-sms emulator env: {message}", file=sys.stderr)
        return 2
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        print(
            f"flex-sms emulator env: no emulator answers at {url} ({reason}): start one with "
            "`flex-sms emulator --proxy-port PORT`, or name it with --emulator URL",
            file=sys.stderr,
        )
        return 2
    if args.format == "json":
        print(json.dumps(info, indent=2))
    else:
        sys.stdout.write(format_environment(info["environment"], args.format))
    return 0
