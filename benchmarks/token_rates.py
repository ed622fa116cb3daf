"""Indicative throughput and latency of a live pocket-op (issue 3); run on demand, never a
pass/fail gate.

Starts ``python -m ui.main serve --headless --port 0`` on a fresh data dir, as a user would,
then measures over HTTP:

- client_credentials tokens/s (demo-machine, HTTP Basic) at concurrency 1, 8 and 32, each
  worker with its own keep-alive session, for ``--seconds`` each; once more with RFC 9068 JWT
  access tokens, for a client registered through ``/register`` with ``access_token_as_jwt``;
- the authorization code flow with an existing SSO session (alice logged in and consent
  remembered): authorize -> token -> userinfo, ``--flows`` times in a row.

    python benchmarks/token_rates.py [--seconds 5] [--flows 200]
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import platform
import secrets
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests
from crash_safety import ChildServer, form_action  # the sibling script's child process

SPA_REDIRECT = "http://127.0.0.1:8765/callback"
CONCURRENCY = (1, 8, 32)
JWT_CONCURRENCY = 8
TIMEOUT = 30.0


# Measurements.

@dataclass
class Run:
    """Latencies (seconds) of the successful requests of one run, and its failures."""

    elapsed: float = 0.0
    latencies: list[float] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)

    def add(self, other: Run) -> None:
        self.latencies += other.latencies
        self.errors += other.errors


def percentile(values: list[float], p: int) -> float:
    """Nearest-rank percentile, in milliseconds."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def describe(run: Run, unit: str) -> str:
    rate = len(run.latencies) / run.elapsed if run.elapsed else 0.0
    text = (f"{rate:8.1f} {unit}/s  p50 {percentile(run.latencies, 50):7.1f} ms  "
            f"p99 {percentile(run.latencies, 99):7.1f} ms  n={len(run.latencies)}  "
            f"errors={sum(run.errors.values())}")
    if run.errors:
        text += "  " + ", ".join(f"{kind} x{count}" for kind, count in run.errors.most_common())
    return text


def error_kind(response: requests.Response) -> str:
    try:
        return f"{response.status_code} {response.json().get('error')}"
    except ValueError:
        return f"{response.status_code}"


# client_credentials at a given concurrency.

def token_worker(url: str, auth: tuple[str, str], deadline: float, run: Run) -> None:
    data = {"grant_type": "client_credentials", "scope": "api.read"}
    with requests.Session() as http:
        while time.monotonic() < deadline:
            start = time.perf_counter()
            try:
                response = http.post(f"{url}/token", data=data, auth=auth, timeout=TIMEOUT)
            except requests.RequestException as exc:
                run.errors[type(exc).__name__] += 1
                continue
            if response.status_code == 200 and "access_token" in response.json():
                run.latencies.append(time.perf_counter() - start)
            else:
                run.errors[error_kind(response)] += 1


def client_credentials(url: str, auth: tuple[str, str], workers: int, seconds: float) -> Run:
    runs = [Run() for _ in range(workers)]
    deadline = time.monotonic() + seconds
    threads = [threading.Thread(target=token_worker, args=(url, auth, deadline, run))
               for run in runs]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Run(elapsed=time.perf_counter() - start)
    for run in runs:
        total.add(run)
    return total


def register_jwt_client(url: str) -> tuple[tuple[str, str] | None, str]:
    """A client_credentials client issuing RFC 9068 access tokens, or None and why not."""
    metadata = {"client_name": "benchmark (JWT access tokens)",
                "grant_types": ["client_credentials"], "scope": "api.read api.write",
                "token_endpoint_auth_method": "client_secret_basic",
                "access_token_as_jwt": True}
    response = requests.post(f"{url}/register", json=metadata, timeout=TIMEOUT)
    if response.status_code != 201:
        return None, f"/register answered {error_kind(response)}"
    body = response.json()
    auth = (body["client_id"], body["client_secret"])
    token = requests.post(f"{url}/token", data={"grant_type": "client_credentials"},
                          auth=auth, timeout=TIMEOUT).json().get("access_token", "")
    header = token.split(".")[0] if token.count(".") == 2 else ""
    typ = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)) or "{}")
    if not isinstance(typ, dict) or typ.get("typ") != "at+jwt":
        return None, "the registered client's access token is not an at+jwt JWT"
    return auth, "JWT (at+jwt)"


# The code flow with an existing SSO session.

def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def authorize(browser: requests.Session, url: str) -> tuple[requests.Response, str, str]:
    """GET /authorize for demo-spa; returns the response, the code_verifier and the state."""
    verifier, challenge = pkce_pair()
    state = secrets.token_urlsafe(8)
    params = {"client_id": "demo-spa", "response_type": "code", "scope": "openid profile",
              "redirect_uri": SPA_REDIRECT, "state": state, "nonce": secrets.token_urlsafe(8),
              "code_challenge": challenge, "code_challenge_method": "S256"}
    response = browser.get(f"{url}/authorize", params=params, allow_redirects=False,
                           timeout=TIMEOUT)
    return response, verifier, state


def code_from(response: requests.Response, state: str) -> str:
    if response.status_code != 302:
        raise RuntimeError(f"authorize {response.status_code}")
    params = parse_qs(urlsplit(response.headers["Location"]).query)
    if params.get("state") != [state] or "code" not in params:
        raise RuntimeError(f"authorize redirect {params.get('error', ['without code'])[0]}")
    return params["code"][0]


def sign_in(browser: requests.Session, url: str) -> None:
    """Log alice in and allow demo-spa once, so later flows ride on the session."""
    page, _, state = authorize(browser, url)
    action = form_action(page.text, 'name="password"')
    page = browser.post(url + action, data={"username": "alice", "password": "alice"},
                        allow_redirects=False, timeout=TIMEOUT)
    if 'name="decision"' in page.text:
        action = form_action(page.text, 'name="decision"')
        page = browser.post(url + action, data={"decision": "allow"}, allow_redirects=False,
                            timeout=TIMEOUT)
    code_from(page, state)


def code_flow(browser: requests.Session, client: requests.Session, url: str) -> None:
    """authorize (302 straight back) -> token -> userinfo; raises on any failure."""
    response, verifier, state = authorize(browser, url)
    code = code_from(response, state)
    token = client.post(f"{url}/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": SPA_REDIRECT,
        "client_id": "demo-spa", "code_verifier": verifier}, timeout=TIMEOUT)
    if token.status_code != 200:
        raise RuntimeError(f"token {error_kind(token)}")
    userinfo = client.get(f"{url}/userinfo", timeout=TIMEOUT, headers={
        "Authorization": f"Bearer {token.json()['access_token']}"})
    if userinfo.status_code != 200 or "sub" not in userinfo.json():
        raise RuntimeError(f"userinfo {error_kind(userinfo)}")


def code_flows(url: str, count: int) -> Run:
    run = Run()
    with requests.Session() as browser, requests.Session() as client:
        sign_in(browser, url)
        start = time.perf_counter()
        for _ in range(count):
            began = time.perf_counter()
            try:
                code_flow(browser, client, url)
            except (RuntimeError, requests.RequestException, ValueError) as exc:
                run.errors[str(exc) if isinstance(exc, RuntimeError) else
                           type(exc).__name__] += 1
                continue
            run.latencies.append(time.perf_counter() - began)
        run.elapsed = time.perf_counter() - start
    return run


# Report.

def print_machine() -> None:
    print(f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()} "
          f"({platform.python_implementation()}), {platform.platform()}")
    print("figures are indicative of this machine and run, not a pass/fail check; the server "
          "runs with default settings (8 worker threads) and logs every request")


def benchmark(url: str, machine_secret: str, seconds: float, flows: int) -> None:
    print(f"\nclient_credentials (demo-machine, opaque tokens), {seconds:g} s per run:")
    for workers in CONCURRENCY:
        run = client_credentials(url, ("demo-machine", machine_secret), workers, seconds)
        print(f"  concurrency {workers:2d}: {describe(run, 'tokens')}")
    auth, why = register_jwt_client(url)
    if auth is None:
        print(f"  JWT access tokens: skipped ({why})")
    else:
        run = client_credentials(url, auth, JWT_CONCURRENCY, seconds)
        print(f"  concurrency {JWT_CONCURRENCY:2d}, {why} via /register: "
              f"{describe(run, 'tokens')}")
    print(f"\ncode flow with an SSO session (demo-spa, alice), {flows} flows in a row:")
    print(f"  authorize -> token -> userinfo: {describe(code_flows(url, flows), 'flows')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5.0,
                        help="duration of each client_credentials run (default 5)")
    parser.add_argument("--flows", type=int, default=200,
                        help="code flows to time in a row (default 200)")
    args = parser.parse_args(argv)
    print_machine()
    with tempfile.TemporaryDirectory(prefix="pocket-op-bench-") as data_dir:
        server = ChildServer(Path(data_dir) / "data", first_start=True)
        print(f"server: {server.url} (pid {server.process.pid})")
        try:
            benchmark(server.url, server.machine_secret, args.seconds, args.flows)
        finally:
            code = server.stop()
        print(f"\nserver stopped with exit code {code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
