"""``flex-sms policy-pack``: where the ready policy pack is, or a copy of it.

A pack inside site-packages works (``pulumi preview --policy-pack "$(flex-sms
policy-pack)"``) but is awkward to look at, pin or commit; ``--write DIR`` puts
a copy next to the project instead. The copy only holds the entry point: the
policies themselves still come from the installed package.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from . import pack_dir

__all__ = ["PACK_FILES", "main", "write_pack"]

#: The files that make up the pack, copied by ``--write``.
PACK_FILES: tuple[str, ...] = ("PulumiPolicy.yaml", "__main__.py", "policy-config.example.json")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="flex-sms policy-pack",
        description=(
            "Print the directory of the ready flex-sms policy pack, or write a copy of it. "
            'Use it as: pulumi preview --policy-pack "$(flex-sms policy-pack)"'
        ),
    )
    parser.add_argument(
        "--write",
        metavar="DIR",
        type=Path,
        help="copy the pack into DIR (created if missing) and print DIR",
    )
    parser.add_argument(
        "--force", action="store_true", help="with --write: overwrite the pack's files in DIR"
    )
    parser.add_argument(
        "--virtualenv",
        metavar="PATH",
        help=(
            "with --write: make the copy run in this virtualenv (one with pulumi-flex-sms "
            "installed) via runtime.options.virtualenv in PulumiPolicy.yaml"
        ),
    )
    return parser


def _policy_yaml(shipped: str, *, version: str, virtualenv: str | None) -> str:
    """The shipped ``PulumiPolicy.yaml`` with ``version`` and the runtime wanted.

    The engine names the pack ``flex-sms@v<version>`` in its diagnostics and
    ``pulumi policy publish`` publishes that version.
    """
    lines = []
    for line in shipped.splitlines():
        if line.startswith("version:"):
            line = f"version: {version}"
        elif virtualenv and line.strip() == "runtime: python":
            # JSON strings are valid YAML double-quoted scalars: no YAML library needed.
            line = f"runtime:\n  name: python\n  options:\n    virtualenv: {json.dumps(virtualenv)}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_pack(target: Path, *, force: bool = False, virtualenv: str | None = None) -> Path:
    """Copy the ready pack into ``target``; return its absolute path.

    The copy's ``PulumiPolicy.yaml`` states the version of the package that
    wrote it (``pulumi_flex_sms.__version__``). Raises ``FileExistsError``
    naming the files that exist, unless ``force``.
    """
    # Imported here: reading the version loads importlib.metadata, which only --write needs.
    from .. import __version__

    source = pack_dir()
    target = target.expanduser().resolve()
    existing = [name for name in PACK_FILES if (target / name).exists()]
    if existing and not force:
        raise FileExistsError(
            f"{target} already has {', '.join(existing)}; pass --force to overwrite"
        )
    target.mkdir(parents=True, exist_ok=True)
    for name in PACK_FILES:
        text = (source / name).read_text(encoding="utf-8")
        if name == "PulumiPolicy.yaml":
            text = _policy_yaml(text, version=__version__, virtualenv=virtualenv)
        (target / name).write_text(text, encoding="utf-8")
    return target


def main(argv: Sequence[str]) -> int:
    """Run ``flex-sms policy-pack``; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(list(argv))
    if args.write is None:
        if args.force or args.virtualenv:
            parser.error("--force and --virtualenv only apply with --write DIR")
        print(pack_dir())
        return 0
    try:
        written = write_pack(args.write, force=args.force, virtualenv=args.virtualenv)
    except FileExistsError as exc:
        print(f"flex-sms policy-pack: {exc}", file=sys.stderr)
        return 1
    print(written)
    return 0
