"""Soak (issue 7): pocket-op under a steady mixed load for a long time, to show zero errors
and a flat memory curve.

    python benchmarks/soak.py [--minutes 10] [--concurrency 32] [--interval 10]

Starts ``python -m ui.main serve --headless --port 0`` on a fresh data dir (default
settings), then ``--concurrency`` worker threads each repeat, in random order: a
client_credentials token (demo-machine), a code flow riding an existing SSO session (alice,
demo-spa with PKCE: authorize -> token -> userinfo), a refresh of that flow's refresh token,
and an introspection of demo-machine's latest client_credentials token. Every
``--interval`` seconds it prints the server's resident memory (VmRSS from
/proc/<pid>/status), operations and errors so far; at the end the RSS curve's first, lowest,
highest and last values and every error by kind. Exit code 1 if there was any error; the
server is stopped with SIGTERM either way.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from crash_safety import ChildServer, form_action  # the sibling script's child process
from token_rates import pkce_pair

SPA_REDIRECT = "http://127.0.0.1:8765/callback"
TIMEOUT = 30.0
MAX_OPERATIONS = 10_000_000  # per worker: the duration ends the loop long before
OPERATIONS = ("client_credentials", "code_flow", "refresh", "introspection")


class Soak:
    """Shared counters of the workers."""

    def __init__(self, url: str, machine_secret: str):
        self.url, self.machine = url, ("demo-machine", machine_secret)
        self.done: Counter = Counter()
        self.errors: Counter = Counter()
        self.lock = threading.Lock()

    def count(self, operation: str, error: str | None = None) -> None:
        with self.lock:
            if error:
                self.errors[f"{operation}: {error}"] += 1
            else:
                self.done[operation] += 1


class Worker:
    """One browser (alice's SSO session) and one client connection, repeating operations."""

    def __init__(self, soak: Soak, seed: int):
        self.soak, self.url, self.rng = soak, soak.url, random.Random(seed)
        self.browser, self.http = requests.Session(), requests.Session()
        self.tokens: dict | None = None
        self.machine_token: str | None = None

    def authorize(self) -> tuple[requests.Response, str]:
        verifier, challenge = pkce_pair()
        params = {"client_id": "demo-spa", "response_type": "code",
                  "scope": "openid profile offline_access", "redirect_uri": SPA_REDIRECT,
                  "state": "soak", "prompt": "consent" if self.tokens is None else "",
                  "code_challenge": challenge, "code_challenge_method": "S256"}
        params = {k: v for k, v in params.items() if v}
        return self.browser.get(f"{self.url}/authorize", params=params, allow_redirects=False,
                                timeout=TIMEOUT), verifier

    def sign_in(self) -> None:
        """Log alice in once; consent is asked (prompt=consent) and given."""
        page, verifier = self.authorize()
        for marker, data in (('name="password"', {"username": "alice", "password": "alice"}),
                             ('name="decision"', {"decision": "allow"})):
            if marker in page.text:
                page = self.browser.post(self.url + form_action(page.text, marker), data=data,
                                         allow_redirects=False, timeout=TIMEOUT)
        self.redeem(page, verifier)

    def redeem(self, response: requests.Response, verifier: str) -> None:
        query = parse_qs(urlsplit(response.headers.get("Location", "")).query)
        if response.status_code != 302 or "code" not in query:
            raise RuntimeError(f"authorize {response.status_code} {query.get('error')}")
        token = self.http.post(f"{self.url}/token", timeout=TIMEOUT, data={
            "grant_type": "authorization_code", "code": query["code"][0],
            "redirect_uri": SPA_REDIRECT, "client_id": "demo-spa", "code_verifier": verifier})
        self.tokens = self.checked(token, "token", "refresh_token")

    @staticmethod
    def checked(response: requests.Response, what: str, key: str) -> dict:
        try:
            body = response.json()
        except ValueError:
            body = {}
        if response.status_code != 200 or key not in body:
            raise RuntimeError(f"{what} {response.status_code} {body.get('error', '')}".strip())
        return body

    def client_credentials(self) -> None:
        response = self.http.post(f"{self.url}/token", auth=self.soak.machine, timeout=TIMEOUT,
                                  data={"grant_type": "client_credentials"})
        self.machine_token = self.checked(response, "token", "access_token")["access_token"]

    def code_flow(self) -> None:
        response, verifier = self.authorize()
        self.redeem(response, verifier)
        userinfo = self.http.get(f"{self.url}/userinfo", timeout=TIMEOUT, headers={
            "Authorization": f"Bearer {self.tokens['access_token']}"})
        self.checked(userinfo, "userinfo", "sub")

    def refresh(self) -> None:
        response = self.http.post(f"{self.url}/token", timeout=TIMEOUT, data={
            "grant_type": "refresh_token", "refresh_token": self.tokens["refresh_token"],
            "client_id": "demo-spa"})
        self.tokens = self.checked(response, "refresh", "refresh_token")

    def introspection(self) -> None:
        """demo-machine introspects its own latest token (RFC 7662 §4: a client learns
        about its own tokens only)."""
        if self.machine_token is None:
            self.client_credentials()
        response = self.http.post(f"{self.url}/introspect", auth=self.soak.machine,
                                  data={"token": self.machine_token}, timeout=TIMEOUT)
        if self.checked(response, "introspect", "active")["active"] is not True:
            raise RuntimeError("introspect inactive")

    def run(self, deadline: float) -> None:
        try:
            self.sign_in()
        except (RuntimeError, requests.RequestException, ValueError) as exc:
            self.soak.count("sign_in", str(exc) if isinstance(exc, RuntimeError)
                            else type(exc).__name__)
            return
        for _ in range(MAX_OPERATIONS):
            if time.monotonic() >= deadline:
                break
            operation = self.rng.choice(OPERATIONS)
            try:
                getattr(self, operation)()
            except RuntimeError as exc:
                self.soak.count(operation, str(exc))
            except requests.RequestException as exc:
                self.soak.count(operation, type(exc).__name__)
            else:
                self.soak.count(operation)
        self.browser.close()
        self.http.close()


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process is gone
        return float("nan")
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def soak(server: ChildServer, seconds: float, concurrency: int, interval: float) -> int:
    state = Soak(server.url, server.machine_secret)
    started = time.monotonic()
    deadline = started + seconds
    threads = [threading.Thread(target=Worker(state, n).run, args=(deadline,), daemon=True)
               for n in range(concurrency)]
    for thread in threads:
        thread.start()
    curve = [(0.0, rss_mb(server.pid))]
    print(f"{'t (s)':>6} {'RSS (MB)':>9} {'ops':>8} {'ops/s':>7} {'errors':>6}")
    print(f"{0:6.0f} {curve[0][1]:9.1f} {0:8d} {0:7.1f} {0:6d}")
    previous = 0
    while server.process.poll() is None:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            for thread in threads:  # the last operations end; then the last sample
                thread.join(TIMEOUT + 5)
        else:
            time.sleep(min(interval, remaining))
        elapsed = time.monotonic() - started
        with state.lock:
            ops, errors = sum(state.done.values()), sum(state.errors.values())
        curve.append((elapsed, rss_mb(server.pid)))
        step = elapsed - curve[-2][0]
        print(f"{elapsed:6.0f} {curve[-1][1]:9.1f} {ops:8d} {(ops - previous) / step:7.1f} "
              f"{errors:6d}", flush=True)
        previous = ops
        if remaining <= 0:
            break
    else:
        print("the server exited during the soak")
    report(state, curve, time.monotonic() - started)
    return 1 if state.errors or server.process.poll() is not None else 0


def report(state: Soak, curve: list[tuple[float, float]], elapsed: float) -> None:
    values = [rss for _, rss in curve]
    print(f"\n{sum(state.done.values())} operations in {elapsed:.0f} s: "
          + ", ".join(f"{op} {state.done[op]}" for op in OPERATIONS))
    print(f"RSS (MB): first {values[0]:.1f}, lowest {min(values):.1f}, highest "
          f"{max(values):.1f}, last {values[-1]:.1f}; after the first minute: "
          + (f"{curve_after(curve, 60):+.1f} MB" if curve[-1][0] > 60 else "n/a (run shorter)"))
    print(f"errors: {sum(state.errors.values())}")
    for kind, count in state.errors.most_common():
        print(f"  {kind} x{count}")


def curve_after(curve: list[tuple[float, float]], warm_up: float) -> float:
    """RSS growth from the first sample after ``warm_up`` seconds to the last one."""
    first = next(rss for t, rss in curve if t >= warm_up)
    return curve[-1][1] - first


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="duration (10)")
    parser.add_argument("--concurrency", type=int, default=32, help="worker threads (32)")
    parser.add_argument("--interval", type=float, default=10.0,
                        help="seconds between two RSS samples (10)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pocket-op-soak-") as base:
        server = ChildServer(Path(base) / "data", first_start=True)
        print(f"soak: {args.minutes:g} min at concurrency {args.concurrency}, server "
              f"{server.url} (pid {server.pid})")
        try:
            code = soak(server, args.minutes * 60, args.concurrency, args.interval)
        finally:
            exit_code = server.stop()
        print(f"server stopped with exit code {exit_code}")
    return code or (1 if exit_code else 0)


if __name__ == "__main__":
    sys.exit(main())
