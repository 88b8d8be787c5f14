"""Python source as ``ruff format`` writes it, for the emitted program. Pure.

Only what the program needs: string, number, boolean and list literals,
calls with keyword arguments, assignments and wrapped comments. Calls and
lists are always written one item per line with a trailing comma, the layout
``ruff format`` keeps as it is (its "magic trailing comma"), so the output
needs no width decisions; a line that stays too long because a string cannot
be split gets ``# noqa: E501``. Lines are kept to :data:`LINE_LENGTH` (ruff's
default), so the program is clean under ruff's defaults and the usual
stricter settings alike.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["LINE_LENGTH", "Code", "assignment", "block", "call", "comment", "literal"]

LINE_LENGTH = 88
_INDENT = "    "
_NOQA = "  # noqa: E501"


@dataclass(frozen=True)
class Code:
    """An expression written as it is (a variable, ``config.require_secret(...)``)."""

    text: str


def literal(value: Any) -> str:
    """A one-line literal: strings double-quoted (ruff's style), JSON escapes are Python's too."""
    if isinstance(value, Code):
        return value.text
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"no literal for {type(value).__name__}")


@dataclass(frozen=True)
class _Call:
    function: str
    arguments: tuple[tuple[str | None, Any], ...]


def call(function: str, *positional: Any, **keywords: Any) -> _Call:
    """``function(positional..., key=value...)``; values may be calls, lists or literals."""
    arguments: list[tuple[str | None, Any]] = [(None, value) for value in positional]
    arguments += [(key, value) for key, value in keywords.items() if value is not None]
    return _Call(function, tuple(arguments))


def _lines(value: Any, depth: int, lead: str) -> list[str]:
    """``value`` at ``depth`` indents, its first line starting with ``lead``; no end comma."""
    pad = _INDENT * depth
    if isinstance(value, _Call):
        inner = [
            line
            for key, argument in value.arguments
            for line in _item(argument, depth + 1, f"{key}=" if key else "")
        ]
        return [f"{pad}{lead}{value.function}(", *inner, f"{pad})"]
    if isinstance(value, (list, tuple)):
        inner = [line for element in value for line in _item(element, depth + 1, "")]
        return [f"{pad}{lead}[", *inner, f"{pad}]"]
    return [f"{pad}{lead}{literal(value)}"]


def _item(value: Any, depth: int, lead: str) -> list[str]:
    """An argument or list element: its lines, the last with a trailing comma."""
    lines = _lines(value, depth, lead)
    lines[-1] += ","
    return [_fit(line) for line in lines]


def _fit(line: str) -> str:
    return line + _NOQA if len(line) > LINE_LENGTH else line


def assignment(target: str, value: Any) -> list[str]:
    """``target = value``, over as many lines as it takes."""
    return [_fit(line) for line in _lines(value, 0, f"{target} = ")]


def comment(text: str, *, indent: str = "", hang: str = "  ") -> list[str]:
    """``text`` as ``#`` lines within :data:`LINE_LENGTH`; its paragraphs hang by ``hang``.

    Words are never broken, so a long URL gets a line of its own (which ruff's
    E501 allows: a line that ends in a URL).
    """
    lines: list[str] = []
    for index, paragraph in enumerate(text.split("\n")):
        first = f"{indent}# " + ("" if index == 0 else hang)
        rest = f"{indent}# {hang}"
        wrapped = textwrap.wrap(
            paragraph,
            width=LINE_LENGTH,
            initial_indent=first,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += wrapped or [first.rstrip()]
    return lines


def block(lines: Sequence[str]) -> str:
    """Lines joined, with the newline at the end that a file needs."""
    return "\n".join(lines) + "\n"
