"""The Pulumi CLI for `make demo`: use the one that is there, or install one into the project.

    python examples/flex_sms/pulumi_cli.py --install-root .pulumi-cli

prints the path of the ``pulumi`` executable to use on stdout (progress goes to stderr)
and exits 0; when there is no usable CLI and none can be installed, it prints one
message saying why and how to install it by hand, and exits 1. In this order:

1. a ``pulumi`` on PATH at ``MINIMUM_VERSION`` or later;
2. the copy an earlier run installed under the install root (``<root>/bin/pulumi``);
3. a fresh install there by the Pulumi SDK's own installer,
   ``pulumi.automation.PulumiCommand.install(root=...)``, which downloads Pulumi's
   install script from get.pulumi.com and installs the CLI release matching the SDK in
   the virtualenv (so the CLI is never older than the SDK the providers run on).

The run.sh next to this file calls it before it starts anything, so a missing CLI
costs nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from semver import Version

__all__ = [
    "MANUAL_INSTALL",
    "MINIMUM_VERSION",
    "CliUnavailable",
    "PulumiCli",
    "cli_version",
    "find_or_install",
    "install_with_sdk",
    "main",
]

# The package needs the pulumi SDK >= 3.216 (ReadResult.inputs, so refresh reports
# drift). The CLI brings the engine, the Python language host and the shim that starts
# the dynamic provider; Pulumi releases CLI and SDK together, so the CLI gets the same
# floor rather than a guess at which older engine would do.
MINIMUM_VERSION = Version(3, 216, 0)

# The SDK's download (urllib) has no timeout of its own: a network that drops packets
# instead of refusing them would hang `make demo` for good.
DOWNLOAD_TIMEOUT_SECONDS = 60

# Pulumi's documented ways (https://www.pulumi.com/docs/iac/download-install/).
MANUAL_INSTALL = """\
Install the Pulumi CLI by hand, open a new shell (so it is on PATH), and run `make demo` again:
    curl -fsSL https://get.pulumi.com | sh          # Linux, macOS
    brew install pulumi/tap/pulumi                  # macOS with Homebrew
    choco install pulumi                            # Windows
    https://www.pulumi.com/docs/iac/download-install/
Everything else is set up already; `make test` does not need the CLI."""

Source = Literal["PATH", "project", "installed"]
Installer = Callable[[Path], object]


@dataclass(frozen=True)
class PulumiCli:
    """The CLI to run: where it is, its version, and how it was found."""

    command: Path
    version: Version
    source: Source


class CliUnavailable(Exception):
    """No usable CLI, and none could be installed; the message says why and what to do."""


def cli_version(command: str | os.PathLike[str]) -> Version | None:
    """What ``<command> version`` reports, or None when it does not run or says something else."""
    try:
        result = subprocess.run(
            [os.fspath(command), "version"],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
            env={**os.environ, "PULUMI_SKIP_UPDATE_CHECK": "true"},
        )
        return Version.parse(result.stdout.strip().removeprefix("v"))
    except (OSError, subprocess.SubprocessError, ValueError):
        return None


def install_with_sdk(root: Path) -> None:
    """Install the CLI release matching the installed pulumi SDK into ``root/bin``.

    Raises what the SDK raises: ``urllib.error.URLError`` (an ``OSError``) when
    get.pulumi.com cannot be reached, ``subprocess.CalledProcessError`` when Pulumi's
    install script fails (its output is on the error).
    """
    from pulumi.automation import PulumiCommand

    # The version is checked by find_or_install, with the demo's own minimum.
    PulumiCommand.install(root=str(root), skip_version_check=True)


def find_or_install(
    install_root: Path,
    *,
    search_path: str | None = None,
    install: Installer = install_with_sdk,
    say: Callable[[str], object] = lambda line: print(line, file=sys.stderr),
) -> PulumiCli:
    """The CLI to use (see the module docstring for the order); ``CliUnavailable`` if none.

    ``search_path`` is the PATH to look in (default: the environment's).
    """
    problem = "the Pulumi CLI is not installed"
    on_path = shutil.which("pulumi", path=search_path)
    if on_path:
        version = cli_version(on_path)
        if version is not None and version >= MINIMUM_VERSION:
            return PulumiCli(Path(on_path).absolute(), version, "PATH")
        problem = (
            f"the Pulumi CLI on PATH ({on_path}) is {version or 'of unknown version'}; "
            f"the demo needs {MINIMUM_VERSION} or later"
        )

    project_copy = install_root / "bin" / "pulumi"
    version = cli_version(project_copy)
    if version is not None and version >= MINIMUM_VERSION:
        return PulumiCli(project_copy.absolute(), version, "project")

    where = _shown(install_root)
    say(f"== {problem}; installing it into {where}/ (once; `make clean` removes it)")
    try:
        install(install_root)
    except OSError as error:  # urllib's URLError: no DNS, refused, proxy, timeout
        raise CliUnavailable(
            f"{problem}, and installing it into {where}/ failed: could not download it "
            f"from https://get.pulumi.com ({_reason(error)}).\n{MANUAL_INSTALL}"
        ) from error
    except subprocess.CalledProcessError as error:
        output = error.output.decode(errors="replace") if error.output else ""
        tail = "\n".join(output.strip().splitlines()[-5:])
        raise CliUnavailable(
            f"{problem}, and Pulumi's install script failed (exit {error.returncode}) "
            f"installing it into {where}/:\n{tail}\n{MANUAL_INSTALL}"
        ) from error

    version = cli_version(project_copy)
    if version is None or version < MINIMUM_VERSION:
        raise CliUnavailable(
            f"{problem}, and the install into {where}/ left no working pulumi "
            f"{MINIMUM_VERSION} or later at {project_copy} "
            f"(it reports {version or 'nothing'}).\n{MANUAL_INSTALL}"
        )
    return PulumiCli(project_copy.absolute(), version, "installed")


def _reason(error: OSError) -> str:
    # URLError keeps the socket error in .reason; its str() adds "<urlopen error ...>".
    reason = getattr(error, "reason", None)
    return str(reason if reason is not None else error) or type(error).__name__


def _shown(path: Path) -> str:
    try:
        return str(path.absolute().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--install-root",
        type=Path,
        required=True,
        help="where to install the CLI when there is none (the executable is <root>/bin/pulumi)",
    )
    args = parser.parse_args(argv)
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT_SECONDS)
    try:
        cli = find_or_install(args.install_root)
    except CliUnavailable as error:
        print(f"make demo: {error}", file=sys.stderr)
        return 1
    print(f"== Pulumi CLI {cli.version} ({cli.source}: {cli.command})", file=sys.stderr)
    print(cli.command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
