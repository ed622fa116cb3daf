"""Plain records the store API returns, so callers never hold ORM objects."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ClientRecord:
    client_id: str
    metadata: dict[str, Any]
    trusted: bool
    active: bool
    has_secret: bool
    created_at: float
    updated_at: float
    expires_at: float | None = None


@dataclass(frozen=True)
class UserRecord:
    sub: str
    username: str
    claims: dict[str, Any]
    active: bool
    created_at: float
    updated_at: float


@dataclass(frozen=True)
class KeyRecord:
    kid: str
    kty: str
    use: str
    algs: list[str]
    status: str
    public_jwk: dict[str, Any]
    created_at: float
    retired_at: float | None = None


@dataclass(frozen=True)
class ScopeRecord:
    name: str
    kind: str
    description: str
    claims: list[str]
    builtin: bool


@dataclass(frozen=True)
class CodeRecord:
    code_hash: str
    client_id: str
    sub: str
    redirect_uri: str
    scope: str
    expires_at: float
    sid: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TokenRecord:
    token_hash: str
    kind: str
    client_id: str
    sub: str | None
    scope: str
    family: str
    expires_at: float
    created_at: float
    revoked_at: float | None = None
    code_hash: str | None = None
    sid: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionRecord:
    sid: str
    sub: str
    auth_time: float
    acr: str | None
    amr: list[str]
    user_agent: str
    ip: str
    created_at: float
    last_used_at: float
    ended_at: float | None = None


@dataclass(frozen=True)
class EventRecord:
    id: int
    at: float
    event: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class LogEntry:
    """A row of the Logs screen: an audit event or a recorded HTTP request (``http.request``)
    with the columns it is filtered on."""

    id: int
    at: float
    event: str
    fields: dict[str, Any]
    level: str = "info"
    client_id: str | None = None
    sub: str | None = None
    endpoint: str | None = None
    request_id: str | None = None


@dataclass(frozen=True)
class AcrRecord:
    value: str
    level: int
    description: str
    enabled: bool
    default: bool
    created_at: float
    updated_at: float
