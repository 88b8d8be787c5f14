"""Python source as ``ruff format`` writes it, for the emitted program. Pure.

Only what the program needs: string, number, boolean and list literals,
calls with keyword arguments, assignments and wrapped comments. Calls and
lists are always written one item per line with a trailing comma, the layout
``ruff format`` keeps as it is (its "magic trailing comma"); a string too long
for its line is split into adjacent literals in parentheses, which Python
joins back. So every line fits :data:`LINE_LENGTH` (ruff's default) and the
program is clean under ruff's defaults and the usual stricter settings alike.
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
#: Words longer than this in a comment are cut, unless they are URLs (ruff allows those).
_LONGEST_WORD = 60


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


def _pieces(text: str, width: int) -> list[str]:
    """``text`` cut into pieces whose literals are at most ``width`` long (never mid-escape)."""
    pieces, current = [], ""
    for char in text:
        if current and len(literal(current + char)) > width:
            pieces.append(current)
            current = ""
        current += char
    return [*pieces, current]


def _lines(value: Any, depth: int, lead: str, tail: int, width: int) -> list[str]:
    """``value`` at ``depth`` indents, its first line after ``lead``, in ``width``;
    ``tail`` characters (a comma) still to come after its last line."""
    pad = _INDENT * depth
    if isinstance(value, _Call):
        inner = [
            line
            for key, argument in value.arguments
            for line in _item(argument, depth + 1, f"{key}=" if key else "", width)
        ]
        return [f"{pad}{lead}{value.function}(", *inner, f"{pad})"]
    if isinstance(value, (list, tuple)):
        inner = [line for element in value for line in _item(element, depth + 1, "", width)]
        return [f"{pad}{lead}[", *inner, f"{pad}]"]
    line = f"{pad}{lead}{literal(value)}"
    if not isinstance(value, str) or len(line) + tail <= width:
        return [line]
    inner_pad = pad + _INDENT
    pieces = _pieces(value, width - len(inner_pad))
    return [f"{pad}{lead}(", *(f"{inner_pad}{literal(p)}" for p in pieces), f"{pad})"]


def _item(value: Any, depth: int, lead: str, width: int) -> list[str]:
    """An argument or list element: its lines, the last with a trailing comma."""
    lines = _lines(value, depth, lead, 1, width)
    lines[-1] += ","
    return lines


def assignment(target: str, value: Any, *, width: int = LINE_LENGTH) -> list[str]:
    """``target = value``, over as many lines as it takes, each at most ``width`` long."""
    return _lines(value, 0, f"{target} = ", 0, width)


def _short_words(paragraph: str) -> str:
    """Long words (not URLs) cut, so that every comment line fits."""
    words = []
    for word in paragraph.split(" "):
        while len(word) > _LONGEST_WORD and "://" not in word:
            words.append(word[:_LONGEST_WORD])
            word = word[_LONGEST_WORD:]
        words.append(word)
    return " ".join(words)


def comment(text: str, *, indent: str = "", hang: str = "  ") -> list[str]:
    """``text`` as ``#`` lines within :data:`LINE_LENGTH`; its later paragraphs hang by ``hang``.

    A URL is never broken: a long one gets a line of its own, which ruff's E501
    allows (a line that ends in a URL).
    """
    lines: list[str] = []
    for index, paragraph in enumerate(text.split("\n")):
        first = f"{indent}# " + ("" if index == 0 else hang)
        wrapped = textwrap.wrap(
            _short_words(paragraph),
            width=LINE_LENGTH,
            initial_indent=first,
            subsequent_indent=f"{indent}# {hang}",
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines += wrapped or [first.rstrip()]
    return lines


def block(lines: Sequence[str]) -> str:
    """Lines joined, with the newline at the end that a file needs."""
    return "\n".join(lines) + "\n"
