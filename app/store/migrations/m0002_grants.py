"""Schema 2: what the protocol writes while it runs: SSO sessions, consents, authorization
codes and tokens (access and refresh), plus an index for reading the audit log by time."""

VERSION = 2

STATEMENTS = [
    """CREATE TABLE sso_sessions (
        sid TEXT PRIMARY KEY,
        cookie_hash TEXT NOT NULL UNIQUE,
        sub TEXT NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
        auth_time REAL NOT NULL,
        acr TEXT,
        amr TEXT NOT NULL DEFAULT '[]',
        user_agent TEXT NOT NULL DEFAULT '',
        ip TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        last_used_at REAL NOT NULL,
        ended_at REAL
    )""",
    """CREATE TABLE consents (
        sub TEXT NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
        client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
        scopes TEXT NOT NULL DEFAULT '[]',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (sub, client_id)
    )""",
    """CREATE TABLE authorization_codes (
        code_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
        sub TEXT NOT NULL REFERENCES users (sub) ON DELETE CASCADE,
        sid TEXT,
        redirect_uri TEXT NOT NULL,
        scope TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}',
        expires_at REAL NOT NULL,
        consumed_at REAL,
        created_at REAL NOT NULL
    )""",
    """CREATE TABLE tokens (
        token_hash TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
        client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
        sub TEXT REFERENCES users (sub) ON DELETE CASCADE,
        scope TEXT NOT NULL DEFAULT '',
        family TEXT NOT NULL,
        code_hash TEXT,
        sid TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        expires_at REAL NOT NULL,
        revoked_at REAL,
        created_at REAL NOT NULL
    )""",
    "CREATE INDEX tokens_family ON tokens (family)",
    "CREATE INDEX tokens_code_hash ON tokens (code_hash)",
    "CREATE INDEX sso_sessions_sub ON sso_sessions (sub)",
    "CREATE INDEX audit_events_at ON audit_events (at)",
]
