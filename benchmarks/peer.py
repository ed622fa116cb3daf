"""pocket-op side by side with panva's oidc-provider (a certified Node OP), in one run (issue 7).

    python benchmarks/peer.py [--seconds 5] [--rounds 2] [--flows 100] [--concurrency 1,8,32]

Installs what it needs when missing (wrk from Debian's archive, oidc-provider from npm into
benchmarks/peer/node_modules, pinned by its lock file), then runs rounds that alternate the
two servers (pocket-op, peer, pocket-op, peer...). Each round starts the server anew on
127.0.0.1 (pocket-op on a fresh data dir, with default settings), times start -> first
discovery 200, measures it and stops it by PID. Measures, for each server:

- client_credentials tokens/s, p50 and p99 (RS256 JWT access tokens, HTTP Basic) at each
  concurrency, with wrk and benchmarks/peer/request.lua; every non-2xx answer is an error;
- discovery and JWKS requests/s, introspection requests/s (an opaque token: the peer does not
  introspect JWTs) at the highest concurrency but one, with wrk;
- the code flow riding an SSO session (authorize -> token -> userinfo, PKCE), ``--flows``
  in a row, p50 and p99 of the whole flow: a Python driver (requests), the same for both;
- VmRSS after the load (the process tree), and for pocket-op the restart on its data dir.

Prints each figure (median of the rounds) for both servers and the ratio ours/peer, and the
floor: one RS256, PS256, ES256 and EdDSA signature with ``cryptography`` on this machine.
Figures, never pass/fail: wrk and both servers share the machine's cores.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from peer_support import CodeFlowDriver, ensure_tools, node_version, print_floor, rss_kb

ROOT = Path(__file__).resolve().parent.parent
PEER_DIR = Path(__file__).resolve().parent / "peer"
LUA = PEER_DIR / "request.lua"
START_TIMEOUT = 60.0
TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A server process on a port of ours; stdout and stderr go to files (pocket-op logs a line
    per request). ``started`` is the seconds from spawn to the first discovery 200."""

    def __init__(self, name: str, command: list[str], port: int, cwd: Path, env: dict,
                 logs: Path):
        self.name, self.port = name, port
        self.url = f"http://127.0.0.1:{port}"
        self.out = (logs / f"{name}-{port}.out").open("w")
        began = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env},
                                        stdout=self.out, stderr=subprocess.STDOUT)
        self.pid = self.process.pid
        self.started = self._wait_for_discovery(began)
        self.metadata = requests.get(self.discovery_url, timeout=TIMEOUT).json()

    @property
    def discovery_url(self) -> str:
        return f"{self.url}/.well-known/openid-configuration"

    def _wait_for_discovery(self, began: float) -> float:
        with requests.Session() as http:
            while time.perf_counter() - began < START_TIMEOUT:
                if self.process.poll() is not None:
                    break
                try:
                    if http.get(self.discovery_url, timeout=1).status_code == 200:
                        return time.perf_counter() - began
                except requests.RequestException:
                    pass
                time.sleep(0.005)
        self.stop()
        raise RuntimeError(f"{self.name} did not serve discovery; its output:\n"
                           + Path(self.out.name).read_text()[-3000:])

    def stop(self) -> int | None:
        """SIGTERM by PID, then SIGKILL if it lingers."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.out.close()
        return self.process.returncode


# The two servers and their clients.

def start_ours(base: Path, data_dir: Path) -> Server:
    env = {"POCKET_OP_LOG_DIR": str(base / "logs"), "PYTHONUNBUFFERED": "1"}
    port = free_port()
    return Server("pocket-op", [sys.executable, "-m", "ui.main", "serve", "--headless",
                                "--port", str(port), "--data-dir", str(data_dir)],
                  port, ROOT, env, base)


def register(server: Server, **metadata) -> tuple[str, str]:
    body = {"client_name": "peer benchmark", "grant_types": ["client_credentials"],
            "response_types": [], "scope": "api.read api.write",
            "token_endpoint_auth_method": "client_secret_basic", **metadata}
    response = requests.post(server.metadata["registration_endpoint"], json=body,
                             timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()["client_id"], response.json()["client_secret"]


def ours_clients(server: Server) -> dict:
    return {"jwt": register(server, access_token_as_jwt=True, access_token_signing_alg="RS256"),
            "opaque": register(server, access_token_as_jwt=False),
            "spa": "demo-spa"}


PEER_SECRETS = {"jwt": secrets.token_urlsafe(24), "opaque": secrets.token_urlsafe(24)}


def start_peer(base: Path) -> Server:
    env = {"PEER_CC_SECRET": PEER_SECRETS["jwt"], "PEER_OPAQUE_SECRET": PEER_SECRETS["opaque"],
           "NODE_ENV": "production"}
    port = free_port()
    return Server("peer", ["node", "server.mjs", str(port)], port, PEER_DIR, env, base)


def peer_clients(_server: Server) -> dict:
    return {"jwt": ("bench-cc", PEER_SECRETS["jwt"]),
            "opaque": ("bench-opaque", PEER_SECRETS["opaque"]), "spa": "bench-spa"}


# wrk.

def basic(client: tuple[str, str]) -> str:
    return "Basic " + base64.b64encode(f"{client[0]}:{client[1]}".encode()).decode()


def wrk(url: str, connections: int, seconds: float, method: str = "GET", body: str = "",
        auth: str = "") -> dict:
    """One wrk run; returns rate (2xx/s), p50/p99 (ms) and errors by kind."""
    env = {**os.environ, "WRK_METHOD": method, "WRK_BODY": body, "WRK_AUTH": auth}
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
               "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA), url]
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=seconds + 60)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        raise RuntimeError(f"wrk failed on {url}:\n{done.stdout}{done.stderr}")
    result = json.loads(lines[0][len("RESULT "):])
    errors = {f"HTTP {status}": count for status, count in result["statuses"].items()}
    errors.update({kind: result[kind] for kind in ("connect", "read", "write", "timeout")
                   if result[kind]})
    ok = result["requests"] - result["non2xx"]
    return {"rate": ok / (result["duration_us"] / 1e6), "p50": result["p50_us"] / 1000,
            "p99": result["p99_us"] / 1000, "errors": errors}


def get_token(server: Server, client: tuple[str, str]) -> str:
    response = requests.post(server.metadata["token_endpoint"], auth=client, timeout=TIMEOUT,
                             data={"grant_type": "client_credentials", "scope": "api.read"})
    response.raise_for_status()
    return response.json()["access_token"]


def measure(server: Server, clients: dict, args) -> dict:
    """Every figure of one server in one round, as {name: value} (errors under 'errors')."""
    figures, errors = {}, {}
    token_body = "grant_type=client_credentials&scope=api.read"
    for connections in args.concurrency:
        run = wrk(server.metadata["token_endpoint"], connections, args.seconds, "POST",
                  token_body, basic(clients["jwt"]))
        figures[f"cc c={connections} tokens/s"] = run["rate"]
        figures[f"cc c={connections} p50 ms"] = run["p50"]
        figures[f"cc c={connections} p99 ms"] = run["p99"]
        errors[f"cc c={connections}"] = run["errors"]
    wide = args.concurrency[-2] if len(args.concurrency) > 1 else args.concurrency[0]
    for name, url in (("discovery", server.discovery_url),
                      ("JWKS", server.metadata["jwks_uri"])):
        run = wrk(url, wide, args.seconds)
        figures[f"{name} c={wide} req/s"] = run["rate"]
        errors[name] = run["errors"]
    token = get_token(server, clients["opaque"])
    run = wrk(server.metadata["introspection_endpoint"], wide, args.seconds, "POST",
              f"token={token}", basic(clients["opaque"]))
    figures[f"introspection c={wide} req/s"] = run["rate"]
    errors["introspection"] = run["errors"]
    flows = CodeFlowDriver(server.metadata, clients["spa"]).run(args.flows)
    figures["code flow p50 ms"], figures["code flow p99 ms"] = flows["p50"], flows["p99"]
    errors["code flow"] = flows["errors"]
    figures["RSS after load MiB"] = rss_kb(server.pid) / 1024
    figures["start to discovery 200 s"] = server.started
    return {"figures": figures, "errors": {k: v for k, v in errors.items() if v}}


# Rounds and the report.

def one_round(number: int, base: Path, args) -> dict[str, dict]:
    results = {}
    data_dir = base / f"data-{number}"
    server = start_ours(base, data_dir)
    try:
        results["ours"] = measure(server, ours_clients(server), args)
    finally:
        server.stop()
    restarted = start_ours(base, data_dir)
    restarted.stop()
    results["ours"]["figures"]["restart to discovery 200 s"] = restarted.started
    server = start_peer(base)
    try:
        results["peer"] = measure(server, peer_clients(server), args)
    finally:
        server.stop()
    results["peer"]["figures"]["restart to discovery 200 s"] = \
        results["peer"]["figures"]["start to discovery 200 s"]
    return results


LOWER_IS_BETTER = ("ms", "MiB", " s")


def report(rounds: list[dict[str, dict]]) -> dict[str, tuple[float, float]]:
    names = list(rounds[0]["ours"]["figures"])
    print(f"\n{'figure (median of ' + str(len(rounds)) + ' rounds)':<34}{'pocket-op':>12}"
          f"{'peer':>12}{'ours/peer':>11}")
    medians = {}
    for name in names:
        ours = statistics.median(r["ours"]["figures"][name] for r in rounds)
        peer = statistics.median(r["peer"]["figures"][name] for r in rounds)
        medians[name] = (ours, peer)
        better = "lower is better" if name.endswith(LOWER_IS_BETTER) else ""
        ratio = f"{ours / peer:.2f}" if peer else "n/a"
        print(f"{name:<34}{ours:12.2f}{peer:12.2f}{ratio:>11}  {better}")
    print("  (the peer keeps no state across starts: its restart is its start)")
    for side in ("ours", "peer"):
        for number, result in enumerate(rounds, 1):
            for what, kinds in result[side]["errors"].items():
                print(f"  errors, {side}, round {number}, {what}: {kinds}")
    return medians


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Needs node and npm (Node 20 or newer); installs wrk with apt-get if missing.")
    parser.add_argument("--seconds", type=float, default=5.0,
                        help="duration of each wrk measurement, whole seconds (default 5)")
    parser.add_argument("--rounds", type=int, default=2,
                        help="rounds per server, alternating A B A B (default 2)")
    parser.add_argument("--flows", type=int, default=100,
                        help="code flows timed in a row per round (default 100)")
    parser.add_argument("--concurrency", default="1,8,32",
                        help="client_credentials connections, comma-separated; discovery, "
                             "JWKS and introspection use the last but one (default 1,8,32)")
    parser.add_argument("--skip-install", action="store_true",
                        help="do not run apt-get or npm ci (wrk and node_modules are there)")
    args = parser.parse_args(argv)
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    if not args.skip_install:
        ensure_tools(PEER_DIR)
    if shutil.which("wrk") is None:
        print("wrk is missing (apt-get install wrk)", file=sys.stderr)
        return 2
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}, "
          f"Python {sys.version.split()[0]}, Node {node_version()}, {sys.platform}")
    floor = print_floor()
    rounds = []
    with tempfile.TemporaryDirectory(prefix="pocket-op-peer-") as base:
        for number in range(1, args.rounds + 1):
            print(f"round {number}/{args.rounds} (load average {os.getloadavg()[0]:.2f})",
                  flush=True)
            rounds.append(one_round(number, Path(base), args))
    medians = report(rounds)
    key = "cc c=8 tokens/s"
    if key in medians:
        ceiling = (os.cpu_count() or 1) / floor["RS256"]
        ours, peer = medians[key]
        print(f"\nRS256 ceiling: {ceiling:.0f} signatures/s on {os.cpu_count()} cores; "
              f"client_credentials at c=8 is {100 * ours / ceiling:.0f}% of it for pocket-op, "
              f"{100 * peer / ceiling:.0f}% for the peer")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
