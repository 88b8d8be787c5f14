"""``python -m pulumi_flex_sms.emulator`` / ``flex-sms emulator``: run the emulator.

The first line on stdout is, exactly::

    Twilio emulator listening on http://HOST:PORT (account AC..., auth token ...)

so a script can take the first ``http://`` token of the first line as the base
URL. With ``--proxy-port``, the lines after it are the environment that sends
unmodified clients through the proxy (a ``#`` comment, then ``export`` lines,
as ``flex-sms emulator env`` prints them). Everything else goes to stderr.

``flex-sms emulator env`` prints that environment for an emulator that is
running (:mod:`.environment`). SIGINT and SIGTERM stop it cleanly (the
state file is closed consistently) with exit status 0.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from collections.abc import Sequence

# Imported up front (not in main) so that `flex-sms emulator` without the
# `emulator` extra fails on import, where the dispatcher explains what to install.
from . import environment
from .errors import ApiError
from .server import DEFAULT_ACCOUNT_SID, EmulatorServer, exposure_warning
from .webhooks import DELIVER_TO

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flex-sms emulator",
        description="Run the local Twilio emulator (Conversations address configurations, "
        "Services, Studio Flows, IncomingPhoneNumbers).",
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to listen on; any but loopback needs an explicit --auth-token",
    )
    parser.add_argument(
        "--port", type=int, default=8717, help="port to listen on; 0 picks a free port"
    )
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID, help="the default account")
    parser.add_argument("--auth-token", help="its auth token (default, on loopback only: 32 'e's)")
    parser.add_argument("--seed", metavar="FILE", help="seed file (JSON or YAML) for a new state")
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="SQLite file that keeps state across restarts (default: in memory)",
    )
    parser.add_argument(
        "--duplicate-address-status",
        type=int,
        metavar="STATUS",
        help="HTTP status for a second configuration on one address (default 400)",
    )
    parser.add_argument(
        "--duplicate-address-code",
        type=int,
        metavar="CODE",
        help="Twilio error code for it (default 20001)",
    )
    parser.add_argument(
        "--deliver-to",
        choices=DELIVER_TO,
        help="where a simulated inbound SMS's webhooks may go: loopback hosts only "
        "(the default; a test never reaches the internet), any host, or none",
    )
    parser.add_argument(
        "--journal-size", type=int, default=10_000, help="requests kept in the journal"
    )
    parser.add_argument(
        "--allow-remote-control",
        action="store_true",
        help="answer /_emulator/* from non-loopback clients too",
    )
    parser.add_argument(
        "--proxy-port",
        type=int,
        metavar="PORT",
        help="also listen on PORT (0: a free port), on --host, as an HTTPS proxy that serves "
        "*.twilio.com from the emulator and refuses everything else; off by default",
    )
    parser.add_argument(
        "--ca-dir",
        metavar="DIR",
        help="where the proxy's CA is kept (default: beside --state as STATE.ca, "
        "else a per-user cache directory)",
    )
    parser.add_argument("--log-level", default="warning", help="uvicorn log level (stderr)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the emulator in the foreground until SIGINT/SIGTERM; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["env"]:
        return environment.main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.ca_dir is not None and args.proxy_port is None:
        parser.error("--ca-dir is the proxy's CA: give --proxy-port PORT too")
    duplicate = {
        name: value
        for name, value in (
            ("status", args.duplicate_address_status),
            ("code", args.duplicate_address_code),
        )
        if value is not None
    }
    warning = exposure_warning(args.host, args.allow_remote_control)
    if warning is not None:
        print(f"flex-sms emulator: warning: {warning}", file=sys.stderr, flush=True)
    startup_errors: tuple[type[BaseException], ...] = (
        ApiError,
        OSError,
        RuntimeError,
        ValueError,
        sqlite3.Error,
    )
    if args.proxy_port is not None:
        # Only the proxy needs the CA, and with it cryptography (about 8 MiB).
        from .ca import CertificateAuthorityError

        startup_errors += (CertificateAuthorityError,)
    try:
        server = EmulatorServer(
            host=args.host,
            port=args.port,
            seed=args.seed,
            state_path=args.state,
            account_sid=args.account_sid,
            auth_token=args.auth_token,
            duplicate_address_error=duplicate or None,
            deliver_to=args.deliver_to,
            journal_size=args.journal_size,
            allow_remote_control=args.allow_remote_control,
            log_level=args.log_level,
            proxy_port=args.proxy_port,
            ca_dir=args.ca_dir,
        )
    except startup_errors as exc:
        message = exc.message if isinstance(exc, ApiError) else str(exc)
        if isinstance(exc, sqlite3.Error):
            message = f"state file {args.state}: {message}"
        print(f"flex-sms emulator: {message}", file=sys.stderr)
        return 2

    def announce(base_url: str) -> None:
        print(
            f"Twilio emulator listening on {base_url} "
            f"(account {server.account_sid}, auth token {server.auth_token})",
            flush=True,
        )
        if server.proxy is not None:
            ca = server.proxy.ca
            print(
                f"# Proxy for unmodified Twilio clients: {server.proxy.url} (CA {ca.cert_path}, "
                f"SHA-256 {ca.fingerprint}); in the shell that runs them:\n"
                + environment.format_environment(server.proxy.environment(), "shell"),
                end="",
                flush=True,
            )

    try:
        server.serve_forever(on_started=announce)
    except OSError as exc:
        print(f"flex-sms emulator: {exc}", file=sys.stderr)
        return 2
    print("Twilio emulator stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
