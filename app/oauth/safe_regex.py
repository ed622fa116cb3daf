"""Client-supplied regular expressions (``redirect_uris_regex``, ``spontaneous_scopes``)
that cannot backtrack catastrophically.

Python's ``re`` has no time limit, so a pattern like ``(a+)+`` from open registration could
hold a worker thread for minutes on a crafted redirect_uri. We refuse the shapes that cause
exponential backtracking: a repetition nested inside another repetition, or alternatives
inside a repetition (star height above one, the rule of safe-regex checkers).
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants
    import sre_parse

REPEATS = {sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT,
           getattr(sre_constants, "POSSESSIVE_REPEAT", sre_constants.MAX_REPEAT)}
#: Longest input matched against a client regex.
MAX_INPUT = 2048


def _nests(items, in_repeat: bool) -> bool:
    for op, arg in items:
        if op in REPEATS:
            low, high, sub = arg
            repeats = high is sre_constants.MAXREPEAT or high > 1
            if in_repeat and repeats:
                return True
            if _nests(sub, in_repeat or repeats):
                return True
        elif op is sre_constants.SUBPATTERN:
            if _nests(arg[-1], in_repeat):
                return True
        elif op is sre_constants.BRANCH:
            if in_repeat or any(_nests(branch, in_repeat) for branch in arg[1]):
                return True
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            if _nests(arg[1], in_repeat):
                return True
    return False


def check_safe_regex(pattern: str) -> str | None:
    """Why ``pattern`` is refused, or None if it compiles and cannot backtrack badly."""
    try:
        re.compile(pattern)
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return "not a valid regular expression"
    if _nests(parsed, False):
        return "a repetition inside a repetition (or alternatives inside one) is refused"
    return None


def safe_fullmatch(pattern: str, value: str) -> bool:
    if len(value) > MAX_INPUT or check_safe_regex(pattern):
        return False
    return re.fullmatch(pattern, value) is not None
