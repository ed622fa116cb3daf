"""Start times and sizes of the PyInstaller bundles (issue 6); run on demand, never a
pass/fail gate.

Builds the forms dist/ lacks with ``build/bundle.sh`` (``--rebuild``: all of them again), then,
for each, the median of ``--runs`` starts on a data dir that has had its first start:

- headless (one-dir, one-file, slim): exec -> first HTTP 200 on the discovery document;
- window (one-dir, one-file): exec -> ``--probe`` printed its PROBE line, i.e. the window
  showed the admin screens, was closed and the server stopped (under Xvfb: ``$DISPLAY`` or
  an Xvfb of its own, started and stopped by PID);

and the size of every artefact. Targets (issue 6): one-dir headless < 1.0 s; one-file
headless < 2.5 s, window < 3.5 s; slim < 60 MiB, start < 1.5 s.

    python benchmarks/bundle.py [--runs 5] [--rebuild] [--forms onedir,onefile,slim]
"""

from __future__ import annotations

import argparse
import os
import platform
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OUTPUTS = {"onedir": ROOT / "dist" / "pocket-op" / "pocket-op",
           "onefile": ROOT / "dist" / "pocket-op-onefile",
           "slim": ROOT / "dist" / "pocket-op-slim"}
WINDOW_FORMS = ("onedir", "onefile")
TIMEOUT = 120.0  # seconds a start may take before it counts as failed
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def build(form: str, rebuild: bool) -> float | None:
    """Seconds the build took, or None when dist/ already had it."""
    if OUTPUTS[form].exists() and not rebuild:
        return None
    started = time.monotonic()
    env = {**os.environ, "VENV": os.environ.get("VENV", sys.prefix)}
    subprocess.run(["bash", "build/bundle.sh", form], cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def child_env(data_root: Path, display: str | None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("POCKET_OP_", "QT_")) and k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["POCKET_OP_LOG_DIR"] = str(data_root / "logs")
    if display:
        env["DISPLAY"] = display
    return env


def headless_start(binary: Path, data_dir: Path, env: dict) -> float:
    """Exec -> first 200 on the discovery document, then SIGTERM."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/.well-known/openid-configuration"
    started = time.monotonic()
    proc = subprocess.Popen([str(binary), "serve", "--headless", "--port", str(port),
                             "--data-dir", str(data_dir)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.monotonic() - started < TIMEOUT:
            try:
                if requests.get(url, timeout=2).status_code == 200:
                    return time.monotonic() - started
            except requests.ConnectionError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{binary} exited with {proc.returncode}")
            time.sleep(0.005)
        raise RuntimeError(f"{binary} did not answer within {TIMEOUT} s")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def window_start(binary: Path, data_dir: Path, env: dict) -> float:
    """Exec -> the PROBE line of ``--probe`` (admin screens shown, window closed)."""
    started = time.monotonic()
    done = subprocess.run([str(binary), "--probe", "--port", "0", "--data-dir", str(data_dir)],
                          env=env, capture_output=True, text=True, timeout=TIMEOUT)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"--probe failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    return seconds


def median_of(measure, runs: int) -> str:
    times = [measure() for _ in range(runs)]
    return (f"median {statistics.median(times):.2f} s "
            f"(min {min(times):.2f}, max {max(times):.2f}, n={runs})")


def start_xvfb() -> tuple[subprocess.Popen | None, str]:
    """$DISPLAY, or an Xvfb of our own on a free display number away from :0 and :99. The
    pipe it reports its number on stays open while it runs (it ends if it cannot write)."""
    if os.environ.get("DISPLAY"):
        return None, os.environ["DISPLAY"]
    if shutil.which("Xvfb") is None:
        raise SystemExit("no $DISPLAY and no Xvfb (apt-get install xvfb xauth)")
    first = 200 + os.getpid() % 500
    for number in range(first, first + 50):
        if os.path.exists(f"/tmp/.X{number}-lock"):
            continue
        read_end, write_end = os.pipe()
        proc = subprocess.Popen(["Xvfb", f":{number}", "-displayfd", str(write_end), "-screen",
                                 "0", "1280x800x24", "-nolisten", "tcp"],
                                pass_fds=(write_end,), stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        os.close(write_end)
        reported = b""
        while not reported.endswith(b"\n"):
            ready, _, _ = select.select([read_end], [], [], 30)
            chunk = os.read(read_end, 32) if ready else b""
            if not chunk:
                break
            reported += chunk
        if reported.strip() == str(number).encode():
            proc.report_pipe = read_end  # closed by the caller after Xvfb ends
            return proc, f":{number}"
        proc.kill()
        proc.wait(10)
        os.close(read_end)
    raise SystemExit(f"Xvfb did not start on any display from :{first}")


def load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build every form again")
    parser.add_argument("--forms", default="onedir,onefile,slim")
    args = parser.parse_args()
    forms = [form for form in args.forms.split(",") if form]
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}, Python "
          f"{platform.python_version()}, {platform.platform()}")
    print("load average before: " + load())
    for form in forms:
        seconds = build(form, args.rebuild)
        if seconds is not None:
            print(f"built {form} in {seconds:.0f} s")
    xvfb, display = start_xvfb() if any(f in WINDOW_FORMS for f in forms) else (None, None)
    try:
        with tempfile.TemporaryDirectory(prefix="pocket-op-bench-") as tmp:
            root = Path(tmp)
            for form in forms:
                binary = OUTPUTS[form]
                data_dir = root / form
                env = child_env(root, display)
                headless_start(binary, data_dir, env)  # the first start: keys, demo data
                print(f"{form} headless: exec -> discovery 200: "
                      + median_of(lambda b=binary, d=data_dir, e=env: headless_start(b, d, e),
                                  args.runs))
                if form in WINDOW_FORMS:
                    print(f"{form} window: exec -> admin screens shown (--probe): "
                          + median_of(lambda b=binary, d=data_dir, e=env: window_start(b, d, e),
                                      args.runs))
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(10)
            os.close(xvfb.report_pipe)
    print("sizes:")
    for form, binary in OUTPUTS.items():
        artefact = binary.parent if form == "onedir" else binary
        if artefact.exists():
            print(f"  {form:8} {size_of(artefact) / MIB:7.1f} MiB  {artefact.relative_to(ROOT)}")
    print("load average after: " + load())
    return 0


if __name__ == "__main__":
    sys.exit(main())
