"""JSON and YAML documents from clients, read within the limits of :mod:`.limits`.

Every document the emulator accepts (a seed, a fault, a simulated SMS, a Studio
flow ``Definition``) is read here, so each of them is JSON data and nothing
else: objects with string keys, arrays, strings, booleans, null, integers within
RFC 8259's interoperable range and finite numbers. ``NaN``, ``Infinity``, YAML
timestamps, sets and binaries are refused, so nothing the emulator stores or
answers can carry them.

Depth is checked before parsing (JSON: by scanning brackets; YAML: while
composing), and YAML aliases and merge keys are counted as what they expand to
before anything is built from them: a "billion laughs" document costs a few
thousand steps to refuse.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

import yaml

from .limits import MAX_DOCUMENT_DEPTH, MAX_DOCUMENT_NODES, MAX_JSON_INTEGER

__all__ = ["DocumentError", "JsonSyntaxError", "check_data", "parse_json", "parse_yaml"]


class DocumentError(Exception):
    """A document is not JSON data within the limits; the message says why."""


class JsonSyntaxError(DocumentError):
    """The text is not JSON at all (it may still be YAML)."""


# -- JSON ---------------------------------------------------------------------------

_TOO_DEEP = f"nested deeper than {MAX_DOCUMENT_DEPTH} levels"
_JSON_SYNTAX = re.compile(r'["\\\[\]{}]')


def _check_json_depth(text: str) -> None:
    """Refuse nesting beyond the limit before the (recursive) parser sees it."""
    depth, in_string, skip = 0, False, -1
    for match in _JSON_SYNTAX.finditer(text):
        at, char = match.start(), match.group()
        if at == skip:  # the character after a backslash
            continue
        if in_string:
            if char == "\\":
                skip = at + 1
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DOCUMENT_DEPTH:
                raise DocumentError(_TOO_DEEP)
        elif char in "]}":
            depth -= 1


def _refuse_constant(name: str) -> Any:
    raise DocumentError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise DocumentError(f"{text[:40]} is out of range")
    return number


def _integer(text: str) -> int:
    # Counted on the text: int() of a huge literal is itself slow (and capped).
    if len(text.lstrip("-")) > len(str(MAX_JSON_INTEGER)) or abs(int(text)) > MAX_JSON_INTEGER:
        raise DocumentError(f"{text[:40]} is out of range (at most {MAX_JSON_INTEGER})")
    return int(text)


def parse_json(text: str) -> Any:
    """``text`` as JSON data, or :class:`DocumentError`."""
    _check_json_depth(text)
    try:
        value = json.loads(
            text, parse_constant=_refuse_constant, parse_float=_finite, parse_int=_integer
        )
    except ValueError as exc:
        raise JsonSyntaxError(f"not valid JSON: {exc}") from None
    check_data(value)
    return value


# -- YAML ---------------------------------------------------------------------------


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing deep nesting while it composes."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        opens = self.check_event(yaml.SequenceStartEvent, yaml.MappingStartEvent)
        self._depth += opens
        try:
            if self._depth > MAX_DOCUMENT_DEPTH:
                raise DocumentError(_TOO_DEEP)
            return super().compose_node(parent, index)
        finally:
            self._depth -= opens


def _expanded_size(node: yaml.Node, enclosing: int, sizes: dict[int, tuple[int, int]]) -> int:
    """Values under ``node`` with every alias expanded; refuses cycles, depth, size.

    ``enclosing`` counts the collections around ``node``. Memoised per node, so
    shared subtrees (aliases) are measured once: the cost is linear in the
    document's text, not in what it would expand to.
    """
    collection = isinstance(node, (yaml.SequenceNode, yaml.MappingNode))
    if collection and enclosing + 1 > MAX_DOCUMENT_DEPTH:
        raise DocumentError(_TOO_DEEP)
    known = sizes.get(id(node))
    if known is None:
        sizes[id(node)] = (-1, 0)  # in progress: meeting it again is a cycle
        size, height = 1, int(collection)
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        for child in children:
            size += _expanded_size(child, enclosing + 1, sizes)
            height = max(height, 1 + sizes[id(child)][1])
            if size > MAX_DOCUMENT_NODES:
                break
        sizes[id(node)] = (size, height)
    elif known[0] < 0:
        raise DocumentError("a YAML alias refers to a collection that contains it")
    else:
        size, height = known
    if enclosing + height > MAX_DOCUMENT_DEPTH:
        raise DocumentError(_TOO_DEEP + " (through aliases)")
    if size > MAX_DOCUMENT_NODES:
        raise DocumentError(
            f"expands to more than {MAX_DOCUMENT_NODES} values (YAML aliases count "
            "as what they expand to)"
        )
    return size


def parse_yaml(text: str) -> Any:
    """``text`` as YAML holding JSON data, or :class:`DocumentError`."""
    loader = _BoundedLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, 0, {})
        value = loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise DocumentError(f"not valid YAML: {exc}") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of 5,000 digits
        raise DocumentError(f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    check_data(value)
    return value


# -- the data itself ----------------------------------------------------------------


def check_data(value: Any) -> None:
    """Refuse anything but JSON data within the depth, size and number limits."""
    budget = [MAX_DOCUMENT_NODES]

    def visit(item: Any, where: str, enclosing: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise DocumentError(f"more than {MAX_DOCUMENT_NODES} values")
        if item is None or isinstance(item, (str, bool)):
            return
        if isinstance(item, int):
            if abs(item) > MAX_JSON_INTEGER:
                raise DocumentError(f"{where}: {item} is out of range")
        elif isinstance(item, float):
            if not math.isfinite(item):
                raise DocumentError(f"{where}: {item} is not a finite number")
        elif isinstance(item, (dict, list)):
            if enclosing + 1 > MAX_DOCUMENT_DEPTH:
                raise DocumentError(_TOO_DEEP)
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, child in pairs:
                if isinstance(item, dict) and not isinstance(key, str):
                    raise DocumentError(f"{where}: the key {key!r} is not a string")
                visit(
                    child,
                    f"{where}.{key}" if isinstance(item, dict) else f"{where}[{key}]",
                    enclosing + 1,
                )
        else:
            raise DocumentError(
                f"{where}: a {type(item).__name__} is not JSON data (quote it in YAML)"
            )

    visit(value, "document", 0)
