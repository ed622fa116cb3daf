"""Schema 1, the first release: settings, clients, users, the admin account, scopes and
claims, signing keys and the audit log."""

VERSION = 1

STATEMENTS = [
    """CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE clients (
        client_id TEXT PRIMARY KEY,
        secret_enc TEXT,
        metadata TEXT NOT NULL DEFAULT '{}',
        trusted INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        registration_token_hash TEXT,
        expires_at REAL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE users (
        sub TEXT PRIMARY KEY,
        username TEXT NOT NULL UNIQUE,
        password_hash TEXT NOT NULL,
        claims TEXT NOT NULL DEFAULT '{}',
        active INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE admins (
        username TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    )""",
    """CREATE TABLE claims (
        name TEXT PRIMARY KEY,
        description TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE scopes (
        name TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('oauth', 'openid', 'spontaneous', 'uma')),
        description TEXT NOT NULL DEFAULT '',
        builtin INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    )""",
    """CREATE TABLE scope_claims (
        scope TEXT NOT NULL REFERENCES scopes (name) ON DELETE CASCADE ON UPDATE CASCADE,
        claim TEXT NOT NULL REFERENCES claims (name) ON DELETE CASCADE ON UPDATE CASCADE,
        PRIMARY KEY (scope, claim)
    )""",
    """CREATE TABLE signing_keys (
        kid TEXT PRIMARY KEY,
        kty TEXT NOT NULL,
        use TEXT NOT NULL CHECK (use IN ('sig', 'enc')),
        algs TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('active', 'published', 'retired')),
        public_jwk TEXT NOT NULL,
        private_jwk_enc TEXT NOT NULL,
        created_at REAL NOT NULL,
        retired_at REAL
    )""",
    """CREATE TABLE audit_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        event TEXT NOT NULL,
        fields TEXT NOT NULL DEFAULT '{}'
    )""",
]
