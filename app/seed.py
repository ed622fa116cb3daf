"""What the first start of a new data dir creates: the standard OpenID scopes and claims,
the demo users ``alice`` and ``bob``, three demo clients and the admin account. Returns the
lines to print once (credentials are never shown again)."""

from __future__ import annotations

import os

from .events import emit
from .keys import ensure_keys
from .store import Store
from .store.crypto import generate_client_secret, generate_secret

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD_ENV = "POCKET_OP_ADMIN_PASSWORD"

#: OpenID Connect Core 1.0 §5.4: the claims each standard scope requests.
STANDARD_SCOPES = {
    "openid": ("OpenID Connect sign-in", ["sub"]),
    "profile": ("Default profile claims", [
        "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
        "profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale",
        "updated_at"]),
    "email": ("Email address", ["email", "email_verified"]),
    "address": ("Postal address", ["address"]),
    "phone": ("Phone number", ["phone_number", "phone_number_verified"]),
    "offline_access": ("Refresh tokens that outlive the session", []),
}
DEMO_API_SCOPES = {"api.read": "Read the demo API", "api.write": "Write to the demo API"}

DEMO_USERS = {
    "alice": {
        "name": "Alice Adams", "given_name": "Alice", "family_name": "Adams",
        "middle_name": "Ann", "nickname": "ali", "preferred_username": "alice",
        "profile": "http://localhost/alice", "picture": "http://localhost/alice.png",
        "website": "http://localhost/alice/blog", "gender": "female", "birthdate": "1990-04-01",
        "zoneinfo": "Europe/Paris", "locale": "en-US", "email": "alice@example.com",
        "email_verified": True, "phone_number": "+1 555 010 0001", "phone_number_verified": True,
        "address": {
            "formatted": "1 Main Street\nSpringfield, IL 62701\nUSA",
            "street_address": "1 Main Street", "locality": "Springfield", "region": "IL",
            "postal_code": "62701", "country": "USA",
        },
    },
    "bob": {
        "name": "Bob Brown", "given_name": "Bob", "family_name": "Brown",
        "preferred_username": "bob", "email": "bob@example.com", "email_verified": False,
        "locale": "en-GB",
    },
}

USER_SCOPE = "openid profile email address phone offline_access"
DEMO_CLIENTS = {
    "demo-web": ({
        "client_name": "Demo web app", "application_type": "web",
        "redirect_uris": ["http://localhost:3000/callback"],
        "post_logout_redirect_uris": ["http://localhost:3000/"],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "client_secret_basic", "scope": USER_SCOPE,
    }, True),
    "demo-spa": ({
        "client_name": "Demo SPA / native app", "application_type": "native",
        "redirect_uris": ["http://127.0.0.1/callback", "http://[::1]/callback"],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "none", "require_pkce": True, "scope": USER_SCOPE,
    }, False),
    "demo-machine": ({
        "client_name": "Demo machine client", "grant_types": ["client_credentials"],
        "response_types": [], "token_endpoint_auth_method": "client_secret_basic",
        "scope": "api.read api.write",
    }, True),
}


def seed_scopes(store: Store, demo: bool = True) -> None:
    for name, (description, claims) in STANDARD_SCOPES.items():
        store.create_scope(name, "openid", description, claims, builtin=True)
    for name, description in DEMO_API_SCOPES.items() if demo else ():
        store.create_scope(name, "oauth", description)


def seed_users(store: Store) -> list[str]:
    for username, claims in DEMO_USERS.items():
        user = store.create_user(username, username, claims)
        emit("user.created", sub=user.sub, username=username)
    return ["demo users: alice / alice (full standard claims), bob / bob"]


def seed_clients(store: Store) -> list[str]:
    lines = ["demo clients (secrets are shown only now):"]
    for client_id, (metadata, confidential) in DEMO_CLIENTS.items():
        secret = generate_client_secret() if confidential else None
        store.create_client(client_id, metadata, secret=secret)
        emit("client.created", client_id=client_id)
        how = (f"client_secret={secret}" if secret else "public client, PKCE required")
        where = " ".join(metadata["redirect_uris"]) if metadata.get("redirect_uris") else ""
        lines.append(f"  {client_id}  {how}  {where}".rstrip())
    return lines


def apply_admin_password(store: Store, first_start: bool) -> list[str]:
    """The admin password comes from POCKET_OP_ADMIN_PASSWORD (applied on every start), or
    is generated on the first start and printed once."""
    chosen = os.environ.get(ADMIN_PASSWORD_ENV)
    if chosen:
        store.save_admin_password(ADMIN_USERNAME, chosen)
        return [f"admin account: {ADMIN_USERNAME}, password from {ADMIN_PASSWORD_ENV}"]
    if not first_start:
        return []
    password = generate_secret(12)
    store.save_admin_password(ADMIN_USERNAME, password)
    emit("admin.created", username=ADMIN_USERNAME)
    return [f"admin account: {ADMIN_USERNAME} / {password} (shown only now; set "
            f"{ADMIN_PASSWORD_ENV} to choose it)"]


def first_start(store: Store, demo: bool = True) -> list[str]:
    """Seed a new data dir in one transaction; returns the lines to print once. Without
    ``demo`` (a data dir about to receive an import) only the standard scopes and the admin
    account: the keys come from the import, or from ``ensure_keys`` at the next start."""
    with store.atomic():
        seed_scopes(store, demo)
        lines = seed_users(store) + seed_clients(store) if demo else []
        lines += apply_admin_password(store, True)
        if demo:
            ensure_keys(store)
        store.save_install_record()
    return lines
