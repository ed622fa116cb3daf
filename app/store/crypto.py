"""Secrets at rest: a per-install key file (mode 0600) that encrypts client secrets and
private keys (Fernet: AES-128-CBC with HMAC-SHA256), scrypt for passwords, SHA-256 for
random bearer values (codes, tokens, session cookies) that are only ever compared."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from ..errors import StartupError

KEY_FILE = "secret.key"
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # about 16 MiB and a few tens of ms per hash


class SecretBox:
    """Encrypts and decrypts small secrets with the install key."""

    def __init__(self, key: bytes):
        self._fernet = Fernet(key)

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Raises StartupError when the key file is not the one that encrypted it."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken:
            raise StartupError(
                "a stored secret does not decrypt with the data dir's key file",
                f"restore the original {KEY_FILE}",
            ) from None


def load_key(data_dir: Path, create: bool) -> bytes:
    """Read the install key; create it (0600, atomically) only for a new database."""
    path = data_dir / KEY_FILE
    if path.exists():
        key = path.read_bytes().strip()
        try:
            Fernet(key)
        except ValueError:
            raise StartupError(f"key file {path} is damaged", "restore it from a backup") from None
        return key
    if not create:
        raise StartupError(
            f"key file {path} is missing, so stored secrets cannot be read",
            "restore it, or move the data dir away to start afresh",
        )
    key = Fernet.generate_key()
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(key)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return key


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    params = f"{SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}"
    return f"scrypt${params}${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        actual = hashlib.scrypt(
            password.encode(), salt=base64.b64decode(salt), dklen=32, n=int(n), r=int(r), p=int(p)
        )
    except ValueError:
        return False
    return hmac.compare_digest(actual, base64.b64decode(digest))


def hash_value(value: str) -> str:
    """Digest of a high-entropy bearer value (code, token, cookie): stored instead of it."""
    return hashlib.sha256(value.encode()).hexdigest()


def generate_secret(nbytes: int = 32) -> str:
    return secrets.token_urlsafe(nbytes)


#: Random bytes in a client secret: 512 bits, for the strongest advertised HMAC alg.
CLIENT_SECRET_BYTES = 64


def generate_client_secret() -> str:
    """A client secret (86 base64url characters). It is also the HMAC key of
    client_secret_jwt assertions and HS* request objects (OIDC Core §10.1: "the octets of
    the UTF-8 representation of the client_secret"), and RFC 7518 §3.2 says "A key of the
    same size as the hash output (for instance, 256 bits for "HS256") or larger MUST be
    used": HS512 needs 64 octets."""
    return secrets.token_urlsafe(CLIENT_SECRET_BYTES)
