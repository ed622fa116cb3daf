"""Schema 5: the Logs screen and the Enabled ACRs screen.

``audit_events`` gains the columns the Logs screen filters on (level, client_id, sub, the
endpoint a row came from and the id of the HTTP request it belongs to); recorded HTTP
requests are rows of it too (event ``http.request``), so one id orders and pages both. Old
rows get their client_id, sub and level from their fields.

``acrs`` lists the Authentication Context Class References the login page can satisfy
(OpenID Connect Core §2 ``acr``), with a level to compare them and exactly one default. The
seeds exist in every database, new or upgraded: ``0`` (an SSO session reused; Core §2: "level
0"), ``1`` (a password sign-in) and ``urn:pocket-op:mfa`` (a simulated second factor, for
testing step-up)."""

VERSION = 5

#: Event names (the verb after the last dot) that app.events rates "warning"; "*.error" is
#: "error". Kept in step with app.events.level_of.
_WARNING = " OR ".join(f"event LIKE '%{word}'" for word in (
    "failed", "refused", "reused", "denied", "throttled", "declined"))

STATEMENTS = [
    "ALTER TABLE audit_events ADD COLUMN level TEXT NOT NULL DEFAULT 'info'",
    "ALTER TABLE audit_events ADD COLUMN client_id TEXT",
    "ALTER TABLE audit_events ADD COLUMN sub TEXT",
    "ALTER TABLE audit_events ADD COLUMN endpoint TEXT",
    "ALTER TABLE audit_events ADD COLUMN request_id TEXT",
    """UPDATE audit_events SET
        client_id = CASE WHEN json_type(fields, '$.client_id') = 'text'
                         THEN json_extract(fields, '$.client_id') END,
        sub = CASE WHEN json_type(fields, '$.sub') = 'text'
                   THEN json_extract(fields, '$.sub') END
       WHERE json_valid(fields)""",
    f"""UPDATE audit_events SET level = CASE
        WHEN event LIKE '%.error' THEN 'error' WHEN {_WARNING} THEN 'warning' ELSE 'info' END""",
    "CREATE INDEX audit_events_request_id ON audit_events (request_id)",
    """CREATE TABLE acrs (
        value TEXT PRIMARY KEY,
        level INTEGER NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        enabled INTEGER NOT NULL DEFAULT 1,
        is_default INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        CHECK (is_default = 0 OR enabled = 1)
    )""",
    "CREATE UNIQUE INDEX acrs_one_default ON acrs (is_default) WHERE is_default = 1",
    """INSERT INTO acrs (value, level, description, enabled, is_default, created_at, updated_at)
       VALUES
       ('0', 0, 'SSO session reused: nobody authenticated in this request', 1, 0,
        strftime('%s', 'now'), strftime('%s', 'now')),
       ('1', 1, 'Username and password', 1, 1, strftime('%s', 'now'), strftime('%s', 'now')),
       ('urn:pocket-op:mfa', 2, 'Password and a simulated second factor (to test step-up)',
        1, 0, strftime('%s', 'now'), strftime('%s', 'now'))""",
]
