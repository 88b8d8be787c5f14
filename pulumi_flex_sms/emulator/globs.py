"""Path globs (faults, the journal filter) matched in time linear in the path.

``*`` matches within one path segment, ``**`` across segments, ``?`` one
character other than ``/``; everything else is literal. A glob turned into a
Python regular expression (``[^/]*a[^/]*a...``) backtracks: a pattern with a
dozen stars against a long path takes longer than the age of the universe, and
it ran on the server's event loop. CPython's fnmatch avoids that with atomic
groups, which is only correct when every star matches anything; with two kinds
of star it is not.

So a glob is a small automaton run over the path once: its state is the set of
pattern positions reached so far (a bit set), and each character moves every
position at once. Moves are cached per (state, character class), so matching
costs a dictionary look-up per character once warm, and at worst a few
operations on a bit set as long as the pattern (<= :data:`~.limits.MAX_GLOB_CHARS`).
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["Glob", "glob", "path_matches"]

_PIECES = re.compile(r"(\*+|\?)")
_CACHE_LIMIT = 1024


class Glob:
    """One compiled glob; :meth:`matches` is thread-safe (the cache only grows)."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        literals: dict[str, int] = {}
        one = segment = anything = 0
        position = 0
        for piece in _PIECES.split(pattern):
            if not piece:
                continue
            if piece.startswith("*"):
                # A run of stars is one star; two or more cross segments.
                if piece == "*":
                    segment |= 1 << position
                else:
                    anything |= 1 << position
                position += 1
                continue
            for char in piece:  # "?" is its own piece; the rest are literals
                if char == "?":
                    one |= 1 << position
                else:
                    literals[char] = literals.get(char, 0) | 1 << position
                position += 1
        self._literals = literals
        self._one, self._segment, self._anything = one, segment, anything
        self._stars = segment | anything
        self._accept = 1 << position
        self._start = self._close(1)
        self._moves: dict[tuple[int, str | None], int] = {}

    def _close(self, state: int) -> int:
        # A star may match nothing: reaching it also reaches what follows it.
        # Stars never follow each other (runs are merged), so one step is enough.
        return state | ((state & self._stars) << 1)

    def _move(self, state: int, char: str | None) -> int:
        """Where ``state`` goes on ``char`` (None: a character the pattern does not name)."""
        advance = 0 if char is None else self._literals.get(char, 0)
        stay = self._anything
        if char != "/":
            advance |= self._one
            stay |= self._segment
        return self._close(((state & advance) << 1) | (state & stay))

    def matches(self, path: str) -> bool:
        state, moves, literals = self._start, self._moves, self._literals
        for char in path:
            key = (state, char if char in literals or char == "/" else None)
            following = moves.get(key)
            if following is None:
                following = self._move(state, key[1])
                if len(moves) < _CACHE_LIMIT:
                    moves[key] = following
            state = following
            if not state:
                return False
        return bool(state & self._accept)


@lru_cache(maxsize=64)
def glob(pattern: str) -> Glob:
    return Glob(pattern)


def path_matches(pattern: str, path: str) -> bool:
    """``path`` equals ``pattern``, or matches it as a segment-aware glob."""
    return pattern == path or glob(pattern).matches(path)
