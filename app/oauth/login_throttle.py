"""Throttling of failed sign-ins, per username and client address: the login form (429 with
the page) and the password grant (``grants.password``: invalid_grant) share one counter.

RFC 6749 §10.10 (Credentials-Guessing Attacks), https://www.rfc-editor.org/rfc/rfc6749:
"The authorization server MUST prevent attackers from guessing [...] resource owner
passwords". Throttling per account and address, not locking the account, keeps one attacker
from locking its owner out.

After ``login_max_failures`` failed attempts for one username from one address within
``login_failure_window`` seconds, further attempts for that username from that address are
refused without checking the password until the oldest failure leaves the window. A
successful sign-in clears the count. In memory: a restart forgets it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque

from flask import Flask, current_app

FAILED_SIGN_INS = "pocket_op.failed_sign_ins"  # app.extensions key of the app's counter
MAX_KEYS = 10_000  # (username, address) pairs remembered; expired ones are dropped first
MAX_USERNAME = 100  # characters of the username that make the key


class FailedSignIns:
    """Recent failed sign-in times per (username, address); safe to share between threads."""

    def __init__(self, max_keys: int = MAX_KEYS):
        self.max_keys = max_keys
        self._failures: OrderedDict[tuple[str, str], deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(username: str, address: str) -> tuple[str, str]:
        return username[:MAX_USERNAME], address

    def retry_after(self, username: str, address: str, limit: int, window: float,
                    now: float | None = None) -> int | None:
        """Seconds until this username may be tried again from this address, or None."""
        now = time.time() if now is None else now
        with self._lock:
            failures = self._failures.get(self.key(username, address))
            if failures is None:
                return None
            while failures and failures[0] <= now - window:
                failures.popleft()
            if len(failures) < limit:
                return None
            return max(1, int(failures[-limit] + window - now + 0.999))

    def record(self, username: str, address: str, limit: int, window: float,
               now: float | None = None) -> None:
        now = time.time() if now is None else now
        key = self.key(username, address)
        with self._lock:
            failures = self._failures.pop(key, None) or deque()
            failures.append(now)
            while len(failures) > limit:  # only the last ``limit`` failures matter
                failures.popleft()
            self._failures[key] = failures  # most recently failed last
            if len(self._failures) > self.max_keys:
                self._forget_old(now - window)

    def clear(self, username: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self.key(username, address), None)

    def _forget_old(self, horizon: float) -> None:
        """Drop pairs whose last failure left the window, then the least recent ones."""
        for key in [k for k, v in self._failures.items() if not v or v[-1] <= horizon]:
            del self._failures[key]
        while len(self._failures) > self.max_keys:
            self._failures.popitem(last=False)


def init_app(app: Flask) -> None:
    app.extensions[FAILED_SIGN_INS] = FailedSignIns()


def failed_sign_ins() -> FailedSignIns:
    """The app's one counter, shared by the login form and the password grant."""
    return current_app.extensions[FAILED_SIGN_INS]


def wait_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed sign-ins for this user; try again in {minutes} {unit}."
