"""Peewee models mapping the tables the migrations create. The schema itself (constraints,
foreign keys, indexes) belongs to ``migrations``; models only map columns.

``bind_models(db)`` returns copies bound to one database, so several stores (tests, a
migration check) can live in one process without sharing a global handle.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

from peewee import BooleanField, FloatField, IntegerField, Model, TextField


class JSONText(TextField):
    def db_value(self, value):
        return None if value is None else json.dumps(value, separators=(",", ":"), sort_keys=True)

    def python_value(self, value):
        return None if value is None else json.loads(value)


class Setting(Model):
    key = TextField(primary_key=True)
    value = JSONText()
    updated_at = FloatField()

    class Meta:
        table_name = "settings"


class Client(Model):
    client_id = TextField(primary_key=True)
    secret_enc = TextField(null=True)
    metadata = JSONText()
    trusted = BooleanField(default=False)
    active = BooleanField(default=True)
    registration_token_hash = TextField(null=True)
    expires_at = FloatField(null=True)
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "clients"


class User(Model):
    sub = TextField(primary_key=True)
    username = TextField(unique=True)
    password_hash = TextField()
    claims = JSONText()
    active = BooleanField(default=True)
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "users"


class Admin(Model):
    username = TextField(primary_key=True)
    password_hash = TextField()
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "admins"


class Claim(Model):
    name = TextField(primary_key=True)
    description = TextField(default="")

    class Meta:
        table_name = "claims"


class Scope(Model):
    name = TextField(primary_key=True)
    kind = TextField()
    description = TextField(default="")
    builtin = BooleanField(default=False)
    created_at = FloatField()

    class Meta:
        table_name = "scopes"


class ScopeClaim(Model):
    scope = TextField()
    claim = TextField()

    class Meta:
        table_name = "scope_claims"
        primary_key = False


class SigningKey(Model):
    kid = TextField(primary_key=True)
    kty = TextField()
    use = TextField()
    algs = JSONText()
    status = TextField()
    public_jwk = JSONText()
    private_jwk_enc = TextField()
    created_at = FloatField()
    retired_at = FloatField(null=True)

    class Meta:
        table_name = "signing_keys"


class AuditEvent(Model):
    id = IntegerField(primary_key=True)
    at = FloatField()
    event = TextField()
    fields = JSONText()
    level = TextField(default="info")
    client_id = TextField(null=True)
    sub = TextField(null=True)
    endpoint = TextField(null=True)
    request_id = TextField(null=True)

    class Meta:
        table_name = "audit_events"


class Acr(Model):
    value = TextField(primary_key=True)
    level = IntegerField()
    description = TextField(default="")
    enabled = BooleanField(default=True)
    is_default = BooleanField(default=False)
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "acrs"


class SsoSession(Model):
    sid = TextField(primary_key=True)
    cookie_hash = TextField(unique=True)
    sub = TextField()
    auth_time = FloatField()
    acr = TextField(null=True)
    amr = JSONText()
    user_agent = TextField(default="")
    ip = TextField(default="")
    created_at = FloatField()
    last_used_at = FloatField()
    ended_at = FloatField(null=True)

    class Meta:
        table_name = "sso_sessions"


class Consent(Model):
    sub = TextField()
    client_id = TextField()
    scopes = JSONText()
    created_at = FloatField()
    updated_at = FloatField()

    class Meta:
        table_name = "consents"
        primary_key = False


class SessionClient(Model):
    sid = TextField()
    client_id = TextField()
    created_at = FloatField()
    last_used_at = FloatField()

    class Meta:
        table_name = "sso_session_clients"
        primary_key = False


class AuthorizationCode(Model):
    code_hash = TextField(primary_key=True)
    client_id = TextField()
    sub = TextField()
    sid = TextField(null=True)
    redirect_uri = TextField()
    scope = TextField(default="")
    data = JSONText()
    expires_at = FloatField()
    consumed_at = FloatField(null=True)
    created_at = FloatField()

    class Meta:
        table_name = "authorization_codes"


class Token(Model):
    token_hash = TextField(primary_key=True)
    kind = TextField()
    client_id = TextField()
    sub = TextField(null=True)
    scope = TextField(default="")
    family = TextField()
    code_hash = TextField(null=True)
    sid = TextField(null=True)
    data = JSONText()
    expires_at = FloatField()
    revoked_at = FloatField(null=True)
    created_at = FloatField()

    class Meta:
        table_name = "tokens"


class AssertionJti(Model):
    jti_hash = TextField(primary_key=True)
    client_id = TextField()
    expires_at = FloatField()

    class Meta:
        table_name = "assertion_jtis"


ALL = (Setting, Client, User, Admin, Claim, Scope, ScopeClaim, SigningKey, AuditEvent, Acr,
       SsoSession, SessionClient, Consent, AuthorizationCode, Token, AssertionJti)


def bind_models(db) -> SimpleNamespace:
    bound = {}
    for model in ALL:
        meta = type("Meta", (), {"database": db, "table_name": model._meta.table_name})
        bound[model.__name__] = type(model.__name__, (model,), {"Meta": meta})
    return SimpleNamespace(**bound)
