"""Crash safety (issue 7): ``kill -9`` pocket-op in the middle of registration, token and
consent load, restart it on the same data dir, and check that every write it acknowledged
with a 2xx is still there; then stop it with SIGTERM and run ``PRAGMA integrity_check``.

    python benchmarks/crash_safety.py [--rounds 20] [--workers 12] [--seed N]

Each round: start ``python -m ui.main serve --headless --port 0`` on the data dir (the first
round creates it), run worker threads (dynamic registrations, client_credentials tokens for
demo-machine, consents of alice to freshly registered clients), ``kill -9`` the server at a
random moment, restart it and check each acknowledged write over HTTP (GET /register/<id>
with its registration access token, POST /introspect as demo-machine); stop it with SIGTERM,
check the database read-only (integrity_check) and the consents through the store API. Rounds
share the data dir, so the database lives through every crash. Exit code 1 if any check
fails. ``tests/robustness/test_crash_safety.py`` runs a few rounds in CI.
"""

from __future__ import annotations

import argparse
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"pocket-op listening on (http://\S+)")
MACHINE_SECRET = re.compile(r"^\s+demo-machine\s+client_secret=(\S+)")
START_TIMEOUT = 30.0  # seconds to wait for the ready line (the first start makes keys)
TIMEOUT = 10.0  # seconds per HTTP request
MAX_REQUESTS = 5_000  # per worker and round: the load stops at the kill anyway
REDIRECT = "http://127.0.0.1:8765/callback"
KINDS = ("register", "token", "consent")


class ChildServer:
    """``pocket-op serve --headless`` as a child process on ``data_dir``; a thread drains its
    stdout (a line per request) so the pipe never fills."""

    def __init__(self, data_dir: Path, first_start: bool = False):
        env = {**os.environ, "POCKET_OP_LOG_DIR": str(data_dir.parent / "logs"),
               "PYTHONUNBUFFERED": "1"}
        self.stderr_path = data_dir.parent / "stderr.txt"
        with self.stderr_path.open("a") as stderr:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ui.main", "serve", "--headless", "--port", "0",
                 "--data-dir", str(data_dir)],
                cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=stderr, text=True)
        self.pid = self.process.pid
        self.lines: queue.Queue[str | None] = queue.Queue()
        self._reading = threading.Event()
        self._reading.set()
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        try:
            self.url = self._wait_for(READY, "the ready line")
            self.machine_secret = (self._wait_for(MACHINE_SECRET, "demo-machine's secret")
                                   if first_start else None)
        finally:
            self._reading.clear()

    def _drain(self) -> None:
        for line in self.process.stdout:
            if self._reading.is_set():
                self.lines.put(line)
        self.process.stdout.close()
        self.lines.put(None)

    def _reap(self) -> int:
        code = self.process.wait(timeout=30)
        self._drainer.join(10)
        return code

    def _wait_for(self, pattern: re.Pattern, what: str) -> str:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.kill()
                raise RuntimeError(f"pocket-op did not print {what}; stderr:\n"
                                   f"{self.stderr_path.read_text()[-3000:]}")
            match = pattern.search(line)
            if match:
                return match.group(1)

    def kill(self) -> None:
        """kill -9, by PID."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
        self._reap()

    def stop(self) -> int:
        """SIGTERM, then the exit code."""
        if self.process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
        try:
            return self._reap()
        except subprocess.TimeoutExpired:
            self.kill()
            return -9


@dataclass
class Acknowledged:
    """Writes the server answered with a 2xx, and the load's failures."""

    clients: list[tuple[str, str]] = field(default_factory=list)  # (client_id, reg. token)
    tokens: list[str] = field(default_factory=list)
    consents: list[str] = field(default_factory=list)  # client_ids alice consented to
    refused: Counter = field(default_factory=Counter)  # answers other than the 2xx expected
    cut_off: int = 0  # requests that failed on the connection (the kill)
    lock: threading.Lock = field(default_factory=threading.Lock)


def register(http: requests.Session, url: str, ack: Acknowledged, **metadata) -> str:
    body = {"client_name": "crash safety", "redirect_uris": [REDIRECT], **metadata}
    response = http.post(f"{url}/register", json=body, timeout=TIMEOUT)
    if response.status_code != 201:
        raise RuntimeError(f"register {response.status_code}")
    info = response.json()
    ack.clients.append((info["client_id"], info["registration_access_token"]))
    return info["client_id"]


def get_token(http: requests.Session, url: str, ack: Acknowledged, secret: str) -> None:
    response = http.post(f"{url}/token", data={"grant_type": "client_credentials"},
                         auth=("demo-machine", secret), timeout=TIMEOUT)
    if response.status_code != 200:
        raise RuntimeError(f"token {response.status_code}")
    ack.tokens.append(response.json()["access_token"])


def form_action(html: str, marker: str) -> str:
    for match in re.finditer(r'<form[^>]*action="([^"]+)"[^>]*>(.*?)</form>', html, re.S):
        if marker in match.group(2):
            return unescape(match.group(1))
    raise RuntimeError(f"no form with {marker!r}")


def consent(http: requests.Session, url: str, ack: Acknowledged) -> None:
    """Register a client, then authorize as alice (logging in if needed) and allow it: a
    redirect carrying a code acknowledges the saved consent."""
    client_id = register(http, url, ack)
    params = {"client_id": client_id, "response_type": "code", "scope": "openid",
              "redirect_uri": REDIRECT, "state": "s"}
    response = http.get(f"{url}/authorize", params=params, allow_redirects=False,
                        timeout=TIMEOUT)
    for _ in range(2):
        if 'name="password"' in response.text:
            form = {"username": "alice", "password": "alice"}
            response = http.post(url + form_action(response.text, 'name="password"'),
                                 data=form, allow_redirects=False, timeout=TIMEOUT)
        elif 'name="decision"' in response.text:
            response = http.post(url + form_action(response.text, 'name="decision"'),
                                 data={"decision": "allow"}, allow_redirects=False,
                                 timeout=TIMEOUT)
    query = parse_qs(urlsplit(response.headers.get("Location", "")).query)
    if response.status_code != 302 or "code" not in query:
        raise RuntimeError(f"consent {response.status_code}")
    ack.consents.append(client_id)


def worker(kind: str, url: str, secret: str, stop: threading.Event, ack: Acknowledged) -> None:
    with requests.Session() as http:
        for _ in range(MAX_REQUESTS):
            if stop.is_set():
                return
            try:
                if kind == "register":
                    register(http, url, ack)
                elif kind == "token":
                    get_token(http, url, ack, secret)
                else:
                    consent(http, url, ack)
            except requests.RequestException:
                with ack.lock:
                    ack.cut_off += 1
            except (RuntimeError, ValueError, KeyError) as exc:
                with ack.lock:
                    ack.refused[str(exc)] += 1


def load_and_kill(server: ChildServer, secret: str, workers: int, kill_after: float
                  ) -> Acknowledged:
    """Run the load, kill -9 the server after ``kill_after`` seconds, wait for the workers."""
    ack, stop = Acknowledged(), threading.Event()
    threads = [threading.Thread(target=worker, daemon=True,
                                args=(KINDS[i % len(KINDS)], server.url, secret, stop, ack))
               for i in range(workers)]
    for thread in threads:
        thread.start()
    time.sleep(kill_after)
    os.kill(server.pid, signal.SIGKILL)
    stop.set()
    server.kill()
    for thread in threads:
        thread.join(TIMEOUT + 5)
    return ack


def check_client(url: str, client: tuple[str, str]) -> bool:
    client_id, token = client
    response = requests.get(f"{url}/register/{client_id}", timeout=TIMEOUT,
                            headers={"Authorization": f"Bearer {token}"})
    return response.status_code == 200 and response.json().get("client_id") == client_id


def check_token(url: str, secret: str, token: str) -> bool:
    response = requests.post(f"{url}/introspect", data={"token": token}, timeout=TIMEOUT,
                             auth=("demo-machine", secret))
    return response.status_code == 200 and response.json().get("active") is True


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{quote(str(db_path))}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def missing_consents(data_dir: Path, client_ids: list[str]) -> list[str]:
    """Client ids alice's consent is missing for, read through the store API."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from app.store import NotFound, Store

    store = Store.open(data_dir)
    try:
        sub = store.get_user("alice").sub
        missing = []
        for client_id in client_ids:
            try:
                store.get_consent(sub, client_id)
            except NotFound:
                missing.append(client_id)
        return missing
    finally:
        store.close()


@dataclass
class RoundResult:
    acknowledged: dict[str, int]
    missing: dict[str, int]
    refused: Counter
    cut_off: int
    exit_code: int
    integrity: str

    @property
    def ok(self) -> bool:
        return not any(self.missing.values()) and not self.refused \
            and self.integrity == "ok" and self.exit_code == 0


def run_round(data_dir: Path, secret: str, workers: int, kill_after: float) -> RoundResult:
    ack = load_and_kill(ChildServer(data_dir), secret, workers, kill_after)
    server = ChildServer(data_dir)
    try:
        with ThreadPoolExecutor(8) as pool:
            clients = list(pool.map(lambda c: check_client(server.url, c), ack.clients))
            tokens = list(pool.map(lambda t: check_token(server.url, secret, t), ack.tokens))
    finally:
        exit_code = server.stop()
    db_path = data_dir / "pocket-op.db"
    result = integrity(db_path)
    consents = missing_consents(data_dir, ack.consents)
    return RoundResult(
        acknowledged={"clients": len(ack.clients), "tokens": len(ack.tokens),
                      "consents": len(ack.consents)},
        missing={"clients": clients.count(False), "tokens": tokens.count(False),
                 "consents": len(consents)},
        refused=ack.refused, cut_off=ack.cut_off, exit_code=exit_code, integrity=result)


def first_start(data_dir: Path) -> str:
    """Create the data dir; returns demo-machine's secret (printed only at the first start)."""
    server = ChildServer(data_dir, first_start=True)
    server.stop()
    return server.machine_secret


def run(rounds: int, workers: int, seed: int, base: Path, report=print) -> list[RoundResult]:
    rng = random.Random(seed)
    data_dir = base / "data"
    secret = first_start(data_dir)
    results = []
    for number in range(1, rounds + 1):
        kill_after = rng.uniform(0.3, 1.5)
        result = run_round(data_dir, secret, workers, kill_after)
        results.append(result)
        acked = ", ".join(f"{v} {k}" for k, v in result.acknowledged.items())
        missing = ", ".join(f"{v} {k}" for k, v in result.missing.items())
        report(f"round {number:3d}: killed after {kill_after:.2f} s; acknowledged {acked}; "
               f"missing {missing}; cut off by the kill {result.cut_off}; "
               f"refused {dict(result.refused) or 0}; "
               f"SIGTERM exit {result.exit_code}; integrity_check {result.integrity}"
               + ("" if result.ok else "  <-- FAILED"))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=20, help="kill/restart rounds (20)")
    parser.add_argument("--workers", type=int, default=12, help="load threads (12)")
    parser.add_argument("--seed", type=int, default=None, help="seed of the kill times")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    print(f"crash safety: {args.rounds} rounds, {args.workers} workers, seed {seed}")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="pocket-op-crash-") as base:
        results = run(args.rounds, args.workers, seed, Path(base))
    total = {k: sum(r.acknowledged[k] for r in results) for k in results[0].acknowledged}
    lost = {k: sum(r.missing[k] for r in results) for k in results[0].missing}
    failed = sum(not r.ok for r in results)
    print(f"\n{len(results)} rounds in {time.monotonic() - started:.0f} s: acknowledged "
          + ", ".join(f"{v} {k}" for k, v in total.items()) + "; missing "
          + ", ".join(f"{v} {k}" for k, v in lost.items()) + f"; failed rounds {failed}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
