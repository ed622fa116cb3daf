"""What benchmarks/peer.py needs besides wrk: installing its tools, the code-flow driver (the
same Python code for both servers), the process tree's VmRSS and the signature floor."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import time
from html import unescape
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import requests

REDIRECT = "http://127.0.0.1:8765/callback"
TIMEOUT = 10.0
FORM = re.compile(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.S | re.I)
INPUT = re.compile(r"<input\b([^>]*)>", re.I)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
#: What the sign-in and consent forms of either server get: pocket-op's login form
#: (username, password) and consent button (decision=allow); devInteractions' login (login,
#: password) and consent (its hidden prompt=consent).
ANSWERS = {"username": "alice", "login": "alice", "password": "alice", "decision": "allow"}


# Tools.

def ensure_tools(peer_dir: Path) -> None:
    """wrk from Debian's archive (apt-get, as root or through sudo) and the peer's npm
    packages (npm ci from the lock file) when they are missing."""
    if shutil.which("wrk") is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        print("installing wrk with apt-get", flush=True)
        subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True)
        subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
                        "wrk"], check=True, env={**os.environ,
                                                 "DEBIAN_FRONTEND": "noninteractive"})
    lock = json.loads((peer_dir / "package-lock.json").read_text())
    wanted = lock["packages"]["node_modules/oidc-provider"]["version"]
    installed = peer_dir / "node_modules" / "oidc-provider" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != wanted:
        print(f"installing oidc-provider {wanted} with npm ci", flush=True)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                       cwd=peer_dir, check=True)


def node_version() -> str:
    return subprocess.run(["node", "--version"], capture_output=True, text=True,
                          check=True).stdout.strip()


# Memory.

def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def rss_kb(pid: int) -> int:
    """VmRSS of the process and its descendants, in KiB."""
    total = 0
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            total += int(line.split()[1])
    return total + sum(rss_kb(child) for child in children(pid))


# The signature floor.

def print_floor(seconds: float = 0.5) -> dict[str, float]:
    """Seconds per signature of a JWT-sized message with ``cryptography``, one core."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    signers = {
        "RS256": lambda m: rsa_key.sign(m, padding.PKCS1v15(), hashes.SHA256()),
        "PS256": lambda m: rsa_key.sign(m, pss, hashes.SHA256()),
        "ES256": lambda m: ec_key.sign(m, ec.ECDSA(hashes.SHA256())),
        "EdDSA": ed_key.sign,
    }
    message = secrets.token_bytes(400)
    costs = {}
    for alg, sign in signers.items():
        count, began = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - began) < seconds:
            sign(message)
            count += 1
        costs[alg] = elapsed / count
    print("floor, one signature with cryptography on one core: "
          + ", ".join(f"{alg} {1e3 * cost:.3f} ms" for alg, cost in costs.items()))
    return costs


# The code flow.

def percentile(values: list[float], p: int) -> float:
    """Nearest-rank percentile of seconds, in milliseconds (NaN when there are none)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return 1000 * ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class CodeFlowDriver:
    """authorize -> token -> userinfo for a public client with PKCE, following the server's
    own redirects (none on pocket-op, the peer's resume hops) until the client's redirect."""

    def __init__(self, metadata: dict, client_id: str):
        self.metadata, self.client_id = metadata, client_id
        self.browser, self.client = requests.Session(), requests.Session()
        self.hops = 0

    def follow(self, response: requests.Response, fill_forms: bool) -> dict:
        """Redirects and (when signing in) forms until the redirect to the client; returns its
        query parameters."""
        for _ in range(12):
            if response.is_redirect:
                location = urljoin(response.url, response.headers["Location"])
                if location.startswith(REDIRECT):
                    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
                self.hops += 1
                response = self.browser.get(location, allow_redirects=False, timeout=TIMEOUT)
            elif fill_forms and response.status_code == 200 and FORM.search(response.text):
                response = self.submit(response)
            else:
                raise RuntimeError(f"authorize ended at {response.status_code}")
        raise RuntimeError("authorize: too many steps")

    def submit(self, page: requests.Response) -> requests.Response:
        for action, body in FORM.findall(page.text):
            if 'name="password"' in body or 'name="decision"' in body or "consent" in body:
                data = {}
                for attributes in INPUT.findall(body):
                    fields = dict(ATTRIBUTE.findall(attributes))
                    if "name" in fields:
                        data[fields["name"]] = unescape(fields.get("value", ""))
                data.update({k: v for k, v in ANSWERS.items()
                             if k in data or f'name="{k}"' in body})
                return self.browser.post(urljoin(page.url, unescape(action)), data=data,
                                         allow_redirects=False, timeout=TIMEOUT)
        raise RuntimeError("a page with no sign-in or consent form")

    def flow(self, fill_forms: bool = False) -> None:
        verifier, challenge = pkce_pair()
        state = secrets.token_urlsafe(8)
        response = self.browser.get(self.metadata["authorization_endpoint"], params={
            "client_id": self.client_id, "response_type": "code", "scope": "openid profile",
            "redirect_uri": REDIRECT, "state": state, "nonce": secrets.token_urlsafe(8),
            "code_challenge": challenge, "code_challenge_method": "S256"},
            allow_redirects=False, timeout=TIMEOUT)
        params = self.follow(response, fill_forms)
        if params.get("state") != state or "code" not in params:
            raise RuntimeError(f"authorize: {params.get('error', 'no code')}")
        token = self.client.post(self.metadata["token_endpoint"], timeout=TIMEOUT, data={
            "grant_type": "authorization_code", "code": params["code"],
            "redirect_uri": REDIRECT, "client_id": self.client_id, "code_verifier": verifier})
        if token.status_code != 200:
            raise RuntimeError(f"token: HTTP {token.status_code}")
        userinfo = self.client.get(self.metadata["userinfo_endpoint"], timeout=TIMEOUT,
                                   headers={"Authorization":
                                            f"Bearer {token.json()['access_token']}"})
        if userinfo.status_code != 200 or "name" not in userinfo.json():
            raise RuntimeError(f"userinfo: HTTP {userinfo.status_code}")

    def run(self, count: int) -> dict:
        """Sign alice in and consent once, then ``count`` timed flows riding the session."""
        self.flow(fill_forms=True)
        self.hops, latencies, errors = 0, [], {}
        for _ in range(count):
            began = time.perf_counter()
            try:
                self.flow()
            except (RuntimeError, requests.RequestException, ValueError) as exc:
                kind = str(exc) if isinstance(exc, RuntimeError) else type(exc).__name__
                errors[kind] = errors.get(kind, 0) + 1
                continue
            latencies.append(time.perf_counter() - began)
        self.browser.close()
        self.client.close()
        return {"p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
                "errors": errors, "hops": self.hops / max(1, count)}
