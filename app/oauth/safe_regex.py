"""Client-supplied regular expressions (``redirect_uris_regex``, ``spontaneous_scopes``),
matched in time linear in the input, whatever the pattern.

Python's ``re`` backtracks while holding the GIL: ``.*.*.*.*.*.*.*.*!`` against a
1,900-character redirect_uri, or ``(a+)+!`` against a shorter one, stalls every thread of
the server (health check included) for hours, and no filter of pattern shapes catches every
polynomial case. RE2 (google-re2) matches with automata instead, in time linear in the
input, so client patterns are compiled and matched with RE2 only. RE2 has no backreferences
or lookarounds: a pattern using them is refused at registration.

RE2 syntax: https://github.com/google/re2/wiki/Syntax
"""

from __future__ import annotations

import re2

#: Longest input matched against a client regex.
MAX_INPUT = 2048
#: Longest RE2 error reason told to the client.
MAX_DETAIL = 120


def quiet_options() -> re2.Options:
    """RE2's defaults (8 MiB per compiled pattern bounds compile time and memory), without
    its error log on stderr: a refused pattern is the client's problem, told in the
    response."""
    value = re2.Options()
    value.log_errors = False
    return value


OPTIONS = quiet_options()


def compile_client_regex(pattern: str):
    """The RE2 program of ``pattern``; raises ``re2.error`` or ``UnicodeError``."""
    return re2.compile(pattern, OPTIONS)


def check_safe_regex(pattern: str) -> str | None:
    """Why ``pattern`` is refused (RE2 cannot compile it), or None."""
    try:
        compile_client_regex(pattern)
    except re2.error as exc:
        return (f"not a regular expression RE2 accepts ({error_kind(exc)}); "
                "backreferences and lookarounds are not supported")
    except (UnicodeError, TypeError, ValueError):
        return "not a regular expression RE2 accepts (not UTF-8 text)"
    return None


def error_kind(exc: Exception) -> str:
    """RE2's reason without the pattern fragment it quotes (e.g. "invalid escape sequence"):
    RFC 6749 §5.2 error_description excludes the quote and backslash a fragment may hold."""
    detail = exc.args[0] if exc.args else b""
    if isinstance(detail, bytes):
        detail = detail.decode("ascii", "replace")
    kind = str(detail).split(": ", 1)[0][:MAX_DETAIL]
    return "".join(c for c in kind if " " <= c <= "~" and c not in '"\\') or "syntax error"


def safe_fullmatch(pattern: str, value: str) -> bool:
    """Whether the whole of ``value`` (at most MAX_INPUT characters) matches ``pattern``,
    in time linear in ``value``. A pattern RE2 refuses (stored before this check existed)
    matches nothing."""
    if len(value) > MAX_INPUT:
        return False
    try:
        return compile_client_regex(pattern).fullmatch(value) is not None
    except (re2.error, UnicodeError, TypeError, ValueError):
        return False
