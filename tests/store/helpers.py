"""Values shared by the store tests."""

from __future__ import annotations

import hashlib
import time

CLIENT_ID = "web"
CLIENT_SECRET = "web-secret-Zq8v2Xr4TnW6"
USERNAME = "alice"
PASSWORD = "alice-password-Kd3m"
REDIRECT_URI = "http://localhost:3000/callback"


def in_an_hour() -> float:
    return time.time() + 3600


def sha256(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
