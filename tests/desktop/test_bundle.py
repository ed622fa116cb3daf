"""The one-dir bundle, built from this tree by ``bash build/bundle.sh onedir`` (as CI does) and
run as a user would: headless it answers discovery and a client_credentials token request and
exits 0 on SIGTERM; ``--probe`` passes under Xvfb; it runs from a read-only location. CI runs
as root, so that is covered too (QtWebEngine's sandbox flag is set by the app).

Bundles are built into a temporary directory (another run in the same tree cannot swap them
underneath). The one-file and slim binaries take minutes more to build: their tests run only
with ``POCKET_OP_TEST_ONEFILE=1`` / ``POCKET_OP_TEST_SLIM=1``. ``POCKET_OP_TEST_REUSE_BUNDLES=1``
uses what dist/ already holds instead of building."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT
from tests.desktop.conftest import Desktop, parse_probe, port_closed, read_ready_line
from ui.desktop import SLIM

BUILD_TIMEOUT = 900  # seconds; a one-dir build takes about 40 s, a one-file one minutes
#: Building is part of the first test that needs the bundle.
pytestmark = pytest.mark.timeout(BUILD_TIMEOUT + 120)
OUTPUTS = {"onedir": Path("pocket-op") / "pocket-op", "onefile": Path("pocket-op-onefile"),
           "slim": Path("pocket-op-slim")}  # under the dist dir
DEMO_MACHINE = re.compile(r"\s+demo-machine\s+client_secret=(\S+)\n")


def build(form: str, tmp: Path) -> Path:
    existing = ROOT / "dist" / OUTPUTS[form]
    if os.environ.get("POCKET_OP_TEST_REUSE_BUNDLES") == "1" and existing.exists():
        return existing
    output = tmp / "dist" / OUTPUTS[form]
    # The running interpreter's venv: build/bundle.sh installs PyInstaller into it if needed.
    env = {**os.environ, "VENV": sys.prefix, "DIST_DIR": str(tmp / "dist"),
           "WORK_DIR": str(tmp / "work")}
    done = subprocess.run(["bash", "build/bundle.sh", form], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=BUILD_TIMEOUT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert output.exists(), done.stdout
    return output


def built(form: str, tmp_path_factory):
    """The fixture body: build, yield the binary, then remove the build (hundreds of MiB)."""
    tmp = tmp_path_factory.mktemp(form)
    yield build(form, tmp)
    shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def onedir(tmp_path_factory):
    yield from built("onedir", tmp_path_factory)


@pytest.fixture(scope="session")
def onefile(tmp_path_factory):
    if os.environ.get("POCKET_OP_TEST_ONEFILE") != "1":
        pytest.skip("set POCKET_OP_TEST_ONEFILE=1 to build and test the one-file binary")
    yield from built("onefile", tmp_path_factory)


@pytest.fixture(scope="session")
def slim(tmp_path_factory):
    if os.environ.get("POCKET_OP_TEST_SLIM") != "1":
        pytest.skip("set POCKET_OP_TEST_SLIM=1 to build and test the slim binary")
    yield from built("slim", tmp_path_factory)


def serve_headless(binary: Path, tmp_path: Path) -> tuple[subprocess.Popen, str, str]:
    """The bundle serving headless on a new data dir: (process, URL, demo-machine's secret)."""
    helper = Desktop(tmp_path, None, command=[str(binary)])
    proc = helper.start("serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d"))
    url = read_ready_line(proc)
    lines = ""
    while not lines.endswith("\n") or "admin account:" not in lines:
        line = proc.stdout.readline()
        assert line, lines
        lines += line
    match = DEMO_MACHINE.search(lines)
    assert match, lines
    return proc, url, match.group(1)


def check_discovery_and_token(url: str, secret: str) -> None:
    discovery = requests.get(url + "/.well-known/openid-configuration", timeout=10)
    assert discovery.status_code == 200
    token = requests.post(discovery.json()["token_endpoint"], timeout=10,
                          data={"grant_type": "client_credentials", "scope": "api.read"},
                          auth=("demo-machine", secret))
    assert token.status_code == 200, token.text
    assert token.json()["token_type"].lower() == "bearer" and token.json()["access_token"]


def stop(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    code = proc.wait(30)
    proc.stdout.close()
    proc.stderr.close()
    return code


def test_the_headless_bundle_answers_discovery_and_a_client_credentials_request(onedir,
                                                                                 tmp_path):
    proc, url, secret = serve_headless(onedir, tmp_path)
    try:
        check_discovery_and_token(url, secret)
    finally:
        stop(proc)


def test_the_headless_bundle_exits_0_on_sigterm_and_closes_its_port(onedir, tmp_path):
    proc, url, _ = serve_headless(onedir, tmp_path)
    assert stop(proc) == 0
    assert port_closed(url)


def test_the_bundle_probe_shows_the_admin_screens_under_xvfb(onedir, xdisplay, tmp_path):
    code, _, probe, stderr = Desktop(tmp_path, xdisplay, command=[str(onedir)]).probe(
        tmp_path / "d")
    assert (code, probe["loaded"], probe.get("current")) == (0, True, "Clients"), (probe, stderr)


def can_mount_read_only() -> bool:
    if shutil.which("unshare") is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    return subprocess.run(["unshare", "-m", "true"], capture_output=True).returncode == 0


def test_the_bundle_runs_from_a_read_only_location(onedir, xdisplay, tmp_path):
    if not can_mount_read_only():
        pytest.skip("needs root and mount namespaces (unshare -m) for a read-only bind mount")
    read_only = tmp_path / "ro"
    read_only.mkdir()
    script = ('mount --bind -o ro "$1" "$2" && touch "$2/.w" 2>/dev/null && exit 9; '
              'shift 2; exec "$@"')
    # The mount lives in the child's own mount namespace: it is gone when the child ends.
    command = ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh",
               str(onedir.parent), str(read_only), str(read_only / onedir.name)]
    code, _, probe, stderr = Desktop(tmp_path, xdisplay, command=command).probe(tmp_path / "d")
    assert (code, probe["loaded"], probe.get("current")) == (0, True, "Clients"), (probe, stderr)


def test_the_one_file_binary_serves_headless_and_shows_the_window(onefile, xdisplay, tmp_path):
    proc, url, secret = serve_headless(onefile, tmp_path / "headless")
    try:
        check_discovery_and_token(url, secret)
    finally:
        assert stop(proc) == 0
    code, _, probe, stderr = Desktop(tmp_path, xdisplay, command=[str(onefile)]).probe(
        tmp_path / "d")
    assert (code, probe["loaded"], probe.get("current")) == (0, True, "Clients"), (probe, stderr)


def test_the_slim_binary_serves_headless(slim, tmp_path):
    proc, url, secret = serve_headless(slim, tmp_path)
    try:
        check_discovery_and_token(url, secret)
    finally:
        assert stop(proc) == 0


def test_the_slim_binary_asked_for_a_window_says_it_has_none_and_serves(slim, xdisplay,
                                                                         tmp_path):
    helper = Desktop(tmp_path, xdisplay, command=[str(slim)])
    proc = helper.start("--port", "0", "--data-dir", str(tmp_path / "d"))
    read_ready_line(proc)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert (proc.returncode, err) == (0, f"pocket-op: no window ({SLIM}); running headless\n")
    probe = helper.run("--probe", "--port", "0", "--data-dir", str(tmp_path / "p"))
    assert (probe.returncode, parse_probe(probe.stdout)) == (1, {"loaded": False,
                                                                 "error": SLIM})
