"""Schema 3: the ``jti`` of every client assertion seen (RFC 7523 §3 item 7), kept until
the assertion expires, so a replayed assertion is refused."""

VERSION = 3

STATEMENTS = [
    """CREATE TABLE assertion_jtis (
        jti_hash TEXT PRIMARY KEY,
        client_id TEXT NOT NULL,
        expires_at REAL NOT NULL
    )""",
    "CREATE INDEX assertion_jtis_expires_at ON assertion_jtis (expires_at)",
]
