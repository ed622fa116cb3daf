"""Waitress over keep-alive connections, with a raw WSGI callable (no Flask, no pocket-op);
run on demand, never a pass/fail gate.

Each server variant runs in a child process on 127.0.0.1:0 and answers every request with
the same 13 cached bytes; ``wrk`` (Debian's, installed with apt-get when missing) loads it
for ``--seconds`` at 1, 2 and 8 keep-alive connections and at 8 connections that close
after each request (``Connection: close``). It prints req/s and wrk's p50/p99 per run.

Variants (``--variants``, comma separated):

- ``waitress``: ``create_server(app, host=..., port=0)``, Waitress binding its own socket;
- ``pocket-op``: as ``app/server.py`` serves: its ``bind_socket`` socket passed with
  ``sockets=`` and its channel class (``Server.channel_class``);
- ``stock-channel``: the pre-bound socket with Waitress' own ``HTTPChannel`` (what
  ``app/server.py`` served before the keep-alive fix).

    python benchmarks/keepalive.py [--seconds 3] [--threads 8] [--variants waitress,pocket-op]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY = b"Hello, world!"
RUNS = (("keep-alive", 1), ("keep-alive", 2), ("keep-alive", 8), ("close", 8))


def hello(environ, start_response):
    """The raw callable: fixed bytes, nothing computed per request."""
    start_response("200 OK", [("Content-Type", "text/plain"),
                              ("Content-Length", str(len(BODY)))])
    return [BODY]


def build_server(variant: str, threads: int):
    from waitress.channel import HTTPChannel
    from waitress.server import create_server

    from app.server import Server, bind_socket

    if variant == "waitress":
        return create_server(hello, host="127.0.0.1", port=0, threads=threads)
    server = create_server(hello, sockets=[bind_socket("127.0.0.1", 0)], threads=threads)
    server.channel_class = Server.channel_class if variant == "pocket-op" else HTTPChannel
    return server


def serve(variant: str, threads: int) -> None:
    """The child: print the port, serve until SIGTERM."""
    server = build_server(variant, threads)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(server.effective_port, flush=True)
    server.run()


def wrk(port: int, mode: str, connections: int, seconds: float) -> dict:
    """One wrk run: req/s, p50 and p99 in ms, and wrk's error line if any."""
    cmd = ["wrk", "-t", str(min(connections, 2)), "-c", str(connections),
           "-d", f"{max(1, round(seconds))}s", "--latency", f"http://127.0.0.1:{port}/"]
    if mode == "close":
        cmd[1:1] = ["-H", "Connection: close"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 30).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Socket errors:.*|Non-2xx.*", out)
    return {"rps": float(rate.group(1)) if rate else 0.0,
            "p50": latency(out, "50%"), "p99": latency(out, "99%"),
            "errors": errors.group(0) if errors else ""}


def latency(out: str, label: str) -> float:
    """wrk's latency at a percentile, in ms."""
    found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\b", out, re.M)
    if not found:
        return float("nan")
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def measure(variant: str, threads: int, seconds: float) -> list[dict]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    child = subprocess.Popen([sys.executable, __file__, "--serve", variant,
                              "--threads", str(threads)], stdout=subprocess.PIPE, env=env,
                             text=True)
    try:
        port = int(child.stdout.readline())
        wrk(port, "keep-alive", 2, 1)  # warm-up
        return [dict(wrk(port, mode, n, seconds), mode=mode, connections=n)
                for mode, n in RUNS]
    finally:
        child.send_signal(signal.SIGTERM)
        try:
            child.wait(10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def ensure_wrk() -> None:
    if not shutil.which("wrk"):
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True,
                       stdout=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--variants", default="waitress,pocket-op")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve, args.threads)
    ensure_wrk()
    from importlib.metadata import version

    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}, waitress "
          f"{version('waitress')}, {args.threads} threads, {args.seconds:g} s per run, "
          f"load {os.getloadavg()[0]:.2f}")
    print(f"{'variant':<14} {'connections':<16} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for variant in args.variants.split(","):
        for run in measure(variant, args.threads, args.seconds):
            label = f"{run['connections']} {run['mode']}"
            print(f"{variant:<14} {label:<16} {run['rps']:>9.0f} {run['p50']:>8.2f} "
                  f"{run['p99']:>8.2f} {run['errors']}", flush=True)
        time.sleep(0.5)


if __name__ == "__main__":
    main()
