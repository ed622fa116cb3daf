"""Every pocket-op setting: one default and one line of description each, and their validation.

Precedence, lowest first: the defaults below < ``settings.json`` in the data dir < ``POCKET_OP_*``
environment variables < command-line flags. ``load`` reports every bad setting at once.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from .errors import StartupError

APP_NAME = "pocket-op"
SETTINGS_FILE = "settings.json"
ENV_PREFIX = "POCKET_OP_"


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    description: str
    parse: Callable[[Any], Any]  # returns the clean value or raises ValueError("what is accepted")


def integer(low: int, high: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value).strip()):
            raise ValueError(f"an integer from {low} to {high}")
        number = int(str(value).strip())
        if not low <= number <= high:
            raise ValueError(f"an integer from {low} to {high}")
        return number

    return parse


def choice(*options: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value).strip().lower()
        if text not in options:
            raise ValueError("one of " + ", ".join(options))
        return text

    return parse


def boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("true or false")


def host(value: Any) -> str:
    text = str(value).strip()
    try:
        ipaddress.ip_address(text)
        return text
    except ValueError:
        pass
    if text == "localhost" or re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?", text):
        return text
    raise ValueError("an IP address or a host name, e.g. 127.0.0.1")


def issuer_url(value: Any) -> str:
    """OIDC Discovery 1.0 §3: the issuer is a case-sensitive URL using the https scheme with
    scheme, host and optionally port and path components and no query or fragment components.
    Plain http is accepted because this is a loopback dev server."""
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("an http(s) URL such as http://localhost:9400")
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValueError("a URL without query or fragment")
    return text.rstrip("/")


def directory(value: Any) -> str:
    text = str(value).strip()
    if not text:
        raise ValueError("a directory path")
    return str(Path(text).expanduser().absolute())


def host_list(value: Any) -> str:
    """Comma-separated host names, each as ``host`` accepts it (blanks dropped)."""
    names = [item.strip() for item in str(value or "").split(",") if item.strip()]
    for name in names:
        host(name)
    return ",".join(name.lower() for name in names)


def secret_or_empty(value: Any) -> str:
    return "" if value is None else str(value)


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", "Address to listen on; loopback only unless you ask.", host),
    Setting("port", 9400, "TCP port to listen on; 0 picks a free port.", integer(0, 65535)),
    Setting("issuer", "", "Issuer URL; empty means http://localhost:PORT.", issuer_url),
    Setting("data_dir", platformdirs.user_data_dir(APP_NAME, appauthor=False),
            "Folder holding the database, the secret key file and settings.json.", directory),
    Setting("log_dir", platformdirs.user_log_dir(APP_NAME, appauthor=False),
            "Folder of the rotating request and event log file.", directory),
    Setting("log_level", "info", "Least severe level written to the log file (and stdout).",
            choice("debug", "info", "warning", "error")),
    Setting("http_logging", True,
            "Record each OP request and response (secrets redacted) for the Logs screen.",
            boolean),
    Setting("audit_logging", True, "Keep the audit events in the database for the Logs screen.",
            boolean),
    Setting("log_retention", 10000,
            "Rows the Logs screen keeps (events and requests together); older ones are deleted.",
            integer(100, 1_000_000)),
    Setting("threads", 8, "Worker threads serving requests.", integer(1, 64)),
    Setting("authorization_code_lifetime", 60, "Seconds an authorization code stays valid.",
            integer(5, 600)),
    Setting("access_token_lifetime", 3600, "Default seconds an access token stays valid.",
            integer(30, 86400 * 30)),
    Setting("id_token_lifetime", 3600, "Seconds an ID token stays valid.",
            integer(30, 86400 * 30)),
    Setting("refresh_token_lifetime", 86400 * 30, "Seconds a refresh token stays valid.",
            integer(60, 86400 * 365)),
    Setting("session_idle_lifetime", 86400, "Seconds an SSO session lasts without being used.",
            integer(60, 86400 * 365)),
    Setting("session_absolute_lifetime", 86400 * 30, "Seconds an SSO session lasts at most.",
            integer(60, 86400 * 365)),
    Setting("admin_session_idle_lifetime", 1800,
            "Seconds an admin sign-in lasts without a request (it lasts 12 hours at most).",
            integer(60, 43200)),
    Setting("admin_remote_access", False,
            "Let the admin API answer callers other than loopback (restart to apply).", boolean),
    Setting("require_pkce", False, "Require PKCE of every client, not only public ones.",
            boolean),
    Setting("require_par", False, "Accept authorization requests only through PAR (RFC 9126).",
            boolean),
    Setting("fetch_allowed_hosts", "",
            "Comma-separated hosts (beyond loopback) whose jwks_uri etc. may be fetched.",
            secret_or_empty),
    Setting("allowed_hosts", "",
            "Comma-separated host names (beyond loopback, IPs and the issuer's) the OP answers "
            "to; others get 421 (DNS rebinding).", host_list),
    Setting("registration_initial_access_token", "",
            "If set, dynamic registration requires this bearer token; empty keeps it open.",
            secret_or_empty),
    Setting("login_max_failures", 5,
            "Failed sign-ins for one username from one address before it must wait.",
            integer(1, 1000)),
    Setting("login_failure_window", 300,
            "Seconds the failed sign-ins are counted over (and the longest wait).",
            integer(1, 86400)),
    Setting("request_timeout", 60,
            "Seconds a connection may stay silent (e.g. half a request) before it is closed.",
            integer(1, 3600)),
)

BY_NAME = {setting.name: setting for setting in SETTINGS}
DEFAULTS = {setting.name: setting.default for setting in SETTINGS}


class Settings(Mapping[str, Any]):
    """Resolved settings: read-only, with attribute access and where each value came from."""

    def __init__(self, values: dict[str, Any], sources: dict[str, str]):
        self._values = dict(values)
        self.sources = dict(sources)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(name) from None

    def replace(self, **changes: Any) -> Settings:
        sources = {**self.sources, **{key: "runtime" for key in changes}}
        return Settings({**self._values, **changes}, sources)

    def with_port(self, port: int) -> Settings:
        """Settings once the socket is bound: the real port, and the default issuer from it."""
        issuer = self._values["issuer"] or f"http://localhost:{port}"
        return self.replace(port=port, issuer=issuer)


def read_settings_file(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StartupError(
            f"settings file {path} cannot be read ({exc})",
            "fix the JSON or move the file away to use the defaults",
        ) from None
    if not isinstance(data, dict):
        raise StartupError(
            f"settings file {path} must hold a JSON object", "fix it or move it away"
        )
    return data


def write_private_json(path: Path, data: Any) -> None:
    """Replace ``path`` atomically (a temporary file renamed over it) with ``data`` as JSON,
    mode 0600: settings.json may hold the registration token, an export holds secrets."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2, sort_keys=True)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def env_settings(environ: Mapping[str, str]) -> dict[str, str]:
    return {
        name: environ[ENV_PREFIX + name.upper()]
        for name in BY_NAME
        if ENV_PREFIX + name.upper() in environ
    }


def load(flags: Mapping[str, Any], environ: Mapping[str, str] | None = None) -> Settings:
    """Resolve every setting, or raise StartupError naming every bad one."""
    environ = os.environ if environ is None else environ
    env = env_settings(environ)
    flags = {k: v for k, v in flags.items() if v is not None}
    data_dir = flags.get("data_dir") or env.get("data_dir") or DEFAULTS["data_dir"]
    try:
        settings_path = Path(directory(data_dir)) / SETTINGS_FILE
    except ValueError:
        settings_path = None
    from_file = read_settings_file(settings_path) if settings_path else {}
    layers = (
        ("default", DEFAULTS),
        (f"settings file {settings_path}", from_file),
        ("environment", env),
        ("command line", flags),
    )
    return validate(layers)


def validate(layers: tuple[tuple[str, Mapping[str, Any]], ...]) -> Settings:
    """Parse every layer's values, so a bad value is reported even where a higher layer
    overrides it; the highest layer's value wins."""
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    problems = []
    for source, layer in layers:
        for key, value in layer.items():
            if key not in BY_NAME:
                problems.append(f"unknown setting {key!r} ({source})")
                continue
            if key == "data_dir" and source.startswith("settings file"):
                problems.append("data_dir cannot be set in the settings file (use --data-dir)")
                continue
            try:
                values[key], sources[key] = BY_NAME[key].parse(value), source
            except ValueError as exc:
                where = (f"environment {ENV_PREFIX}{key.upper()}" if source == "environment"
                         else source)
                problems.append(f"{key}={value!r} ({where}): expected {exc}")
    if problems:
        raise StartupError(
            "invalid settings: " + "; ".join(problems), "correct them and start again"
        )
    return Settings(values, sources)
