"""Schema 4: the clients that received tokens in each SSO session, so that ending a session
can log each of them out (OpenID Connect Front-Channel Logout 1.0 §4: "OPs supporting
HTTP-based logout need to keep track of the set of logged in RPs"), and an index to find
the tokens bound to a session (Back-Channel Logout 1.0 §2.7, refresh token revocation)."""

VERSION = 4

STATEMENTS = [
    """CREATE TABLE sso_session_clients (
        sid TEXT NOT NULL REFERENCES sso_sessions (sid) ON DELETE CASCADE,
        client_id TEXT NOT NULL REFERENCES clients (client_id) ON DELETE CASCADE,
        created_at REAL NOT NULL,
        last_used_at REAL NOT NULL,
        PRIMARY KEY (sid, client_id)
    )""",
    "CREATE INDEX tokens_sid ON tokens (sid)",
]
