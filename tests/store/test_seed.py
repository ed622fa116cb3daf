"""The first start of a new data dir, end to end: what it seeds (scopes, demo users and
clients, the admin account, keys, the install record), what it reports once, that the seed
works over HTTP, and that a later start neither reseeds nor reports secrets."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
import requests

from app import config, create_app, seed
from app.store import Store
from tests.flows import Browser, redirect_params, spa_request

ALICE_CLAIMS = {
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
}
BOB_CLAIMS = {"name": "Bob Brown", "given_name": "Bob", "family_name": "Brown",
              "preferred_username": "bob", "email": "bob@example.com", "email_verified": False,
              "locale": "en-GB"}
USER_SCOPE = "openid profile email address phone offline_access"
DEMO_CLIENTS = ["demo-machine", "demo-spa", "demo-web"]
ADMIN_LINE = re.compile(r"admin account: admin / (\S+) \(shown only now; set "
                        r"POCKET_OP_ADMIN_PASSWORD to choose it\)")


def settings_for(data_dir: Path) -> config.Settings:
    environ = {"POCKET_OP_LOG_DIR": str(data_dir.parent / "logs")}
    return config.load({"data_dir": str(data_dir), "port": 0}, environ).with_port(9400)


@pytest.fixture(autouse=True)
def no_admin_password_in_the_environment(monkeypatch):
    monkeypatch.delenv(seed.ADMIN_PASSWORD_ENV, raising=False)


@pytest.fixture(scope="module")
def first(tmp_path_factory):
    """The app of one first start of a new data dir (read-only tests share it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(seed.ADMIN_PASSWORD_ENV, raising=False)
        app = create_app(settings_for(tmp_path_factory.mktemp("first") / "data"))
    yield app
    app.store.close()


@pytest.fixture
def apps():
    """Apps created in a test; their stores are closed at teardown."""
    created = []

    def start(data_dir: Path):
        app = create_app(settings_for(data_dir))
        created.append(app)
        return app

    yield start
    for app in created:
        app.store.close()


def report_of(app) -> str:
    return "\n".join(app.first_start_report)


def basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def snapshot(store: Store) -> tuple:
    """Everything a reseed would change."""
    return (store.find_users(), store.find_clients(), store.find_scopes(), store.find_keys(),
            [store.get_client_secret(c.client_id) for c in store.find_clients()],
            store.get_setting("install"), store.find_events(limit=1000))


# What the first start seeds


def test_the_first_start_saves_the_install_record(first):
    assert first.store.is_new is False
    assert sorted(first.store.get_setting("install")) == ["created_at", "id", "key_check"]


def test_the_first_start_creates_alice_with_the_full_standard_claims(first):
    assert first.store.get_user("alice").claims == ALICE_CLAIMS


def test_alice_has_every_claim_of_the_standard_scopes_but_updated_at(first):
    store = first.store
    wanted = {c for s in ("profile", "email", "address", "phone")
              for c in store.get_scope(s).claims} - {"updated_at"}
    assert wanted <= set(store.get_user("alice").claims)


def test_the_first_start_creates_bob(first):
    assert first.store.get_user("bob").claims == BOB_CLAIMS


def test_the_demo_users_are_the_only_users(first):
    assert [u.username for u in first.store.find_users()] == ["alice", "bob"]


@pytest.mark.parametrize("username", ["alice", "bob"])
def test_a_demo_user_signs_in_with_the_username_as_password(first, username):
    user = first.store.authenticate_user(username, username)
    assert (user.username, user.active) == (username, True)


def test_the_demo_clients_are_the_only_clients(first):
    assert [c.client_id for c in first.store.find_clients()] == DEMO_CLIENTS


def test_demo_web_is_a_confidential_client_with_basic_auth(first):
    client = first.store.get_client("demo-web")
    assert client.has_secret is True
    assert client.metadata["token_endpoint_auth_method"] == "client_secret_basic"
    assert client.metadata["redirect_uris"] == ["http://localhost:3000/callback"]
    assert client.metadata["grant_types"] == ["authorization_code", "refresh_token"]
    assert client.metadata["scope"] == USER_SCOPE


def test_demo_spa_is_a_public_client_requiring_pkce_on_loopback(first):
    client = first.store.get_client("demo-spa")
    assert client.has_secret is False
    assert client.metadata["token_endpoint_auth_method"] == "none"
    assert client.metadata["require_pkce"] is True
    assert client.metadata["redirect_uris"] == ["http://127.0.0.1/callback",
                                                "http://[::1]/callback"]


def test_demo_machine_is_a_client_credentials_client(first):
    client = first.store.get_client("demo-machine")
    assert client.has_secret is True
    assert client.metadata["grant_types"] == ["client_credentials"]
    assert client.metadata["response_types"] == []
    assert client.metadata["scope"] == "api.read api.write"


def test_the_demo_clients_get_distinct_secrets(first):
    secrets = [first.store.get_client_secret(c) for c in ("demo-web", "demo-machine")]
    assert len(set(secrets)) == 2
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{86}", s) for s in secrets)


def test_the_first_start_creates_the_standard_and_demo_scopes(first):
    scopes = {s.name: (s.kind, s.builtin) for s in first.store.find_scopes()}
    assert scopes == {
        "openid": ("openid", True), "profile": ("openid", True), "email": ("openid", True),
        "address": ("openid", True), "phone": ("openid", True),
        "offline_access": ("openid", True), "api.read": ("oauth", False),
        "api.write": ("oauth", False),
    }


@pytest.mark.parametrize(("scope", "claims"), [
    ("openid", ["sub"]),
    ("email", ["email", "email_verified"]),
    ("address", ["address"]),
    ("phone", ["phone_number", "phone_number_verified"]),
    ("offline_access", []),
], ids=["openid", "email", "address", "phone", "offline_access"])
def test_a_standard_scope_releases_the_claims_of_oidc_core_5_4(first, scope, claims):
    assert first.store.get_scope(scope).claims == claims


def test_the_first_start_creates_one_active_key_per_kind(first):
    active = [(k.use, k.algs) for k in first.store.find_keys("active")]
    assert sorted(active) == [("enc", ["RSA-OAEP"]), ("sig", ["ES256"]),
                              ("sig", ["Ed25519", "EdDSA"]), ("sig", ["RS256", "PS256"])]


def test_the_first_start_records_audit_events_without_secrets(first):
    events = first.store.find_events(limit=1000)
    assert sorted((e.event, e.fields.get("client_id") or e.fields.get("username"))
                  for e in events) == [
        ("admin.created", "admin"), ("client.created", "demo-machine"),
        ("client.created", "demo-spa"), ("client.created", "demo-web"),
        ("user.created", "alice"), ("user.created", "bob"),
    ]
    text = repr([e.fields for e in events])
    for client_id in ("demo-web", "demo-machine"):
        assert first.store.get_client_secret(client_id) not in text


# What the first start reports


def test_the_first_start_report_lists_the_demo_users(first):
    assert first.first_start_report[0] == ("demo users: alice / alice (full standard claims), "
                                           "bob / bob")


def test_the_first_start_report_lists_the_demo_clients_with_their_secrets(first):
    web = first.store.get_client_secret("demo-web")
    machine = first.store.get_client_secret("demo-machine")
    assert first.first_start_report[1:5] == [
        "demo clients (secrets are shown only now):",
        f"  demo-web  client_secret={web}  http://localhost:3000/callback",
        "  demo-spa  public client, PKCE required  http://127.0.0.1/callback "
        "http://[::1]/callback",
        f"  demo-machine  client_secret={machine}",
    ]


def test_the_first_start_report_gives_the_admin_password_that_works(first):
    [line] = first.first_start_report[5:]
    password = ADMIN_LINE.fullmatch(line).group(1)
    assert first.store.check_admin_password("admin", password) is True


# The seed over HTTP


def test_alice_signs_in_to_demo_spa_and_userinfo_returns_her_seeded_claims(fresh_server):
    server = fresh_server()
    params, verifier = spa_request(scope="openid profile email address phone")
    code = redirect_params(Browser(server).sign_in_and_allow("alice", **params))["code"]
    tokens = server.post("/token", data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": params["redirect_uri"],
        "client_id": "demo-spa", "code_verifier": verifier}).json()
    response = server.get("/userinfo",
                          headers={"Authorization": f"Bearer {tokens['access_token']}"})
    alice = server.store.get_user("alice")
    assert response.status_code == 200
    assert response.json() == {"sub": alice.sub, **ALICE_CLAIMS,
                               "updated_at": int(alice.updated_at)}


def test_demo_machine_gets_a_token_with_its_seeded_secret(fresh_server):
    server = fresh_server()
    secret = server.store.get_client_secret("demo-machine")
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("demo-machine", secret))
    assert response.status_code == 200
    assert response.json()["scope"] == "api.read api.write"


def test_demo_web_is_refused_with_a_wrong_secret(fresh_server):
    server = fresh_server()
    response = server.post("/token", data={"grant_type": "client_credentials"},
                           headers=basic("demo-web", "not-the-secret"))
    assert (response.status_code, response.json()["error"]) == (401, "invalid_client")


def test_the_jwks_publishes_the_seeded_active_keys(fresh_server):
    server = fresh_server()
    published = requests.get(server.url + "/jwks", timeout=10).json()["keys"]
    assert sorted(k["kid"] for k in published) == sorted(
        k.kid for k in server.store.find_keys("active"))


# Later starts


def test_a_started_again_data_dir_reports_nothing(fresh_server):
    assert fresh_server().app.first_start_report == []


def test_a_second_create_app_on_the_same_data_dir_does_not_reseed(tmp_path, apps):
    first_app = apps(tmp_path / "data")
    before = snapshot(first_app.store)
    second = apps(tmp_path / "data")
    assert second.store.is_new is False
    assert snapshot(second.store) == before


def test_a_second_create_app_reports_no_secret(tmp_path, apps):
    first_app = apps(tmp_path / "data")
    secrets = [first_app.store.get_client_secret(c) for c in ("demo-web", "demo-machine")]
    admin = ADMIN_LINE.fullmatch(first_app.first_start_report[-1]).group(1)
    second = apps(tmp_path / "data")
    assert second.first_start_report == []
    for secret in (*secrets, admin):
        assert secret in report_of(first_app)
        assert secret not in report_of(second)


def test_a_later_start_with_an_admin_password_in_the_environment_applies_it(fresh_server,
                                                                            monkeypatch, apps):
    server = fresh_server()
    monkeypatch.setenv(seed.ADMIN_PASSWORD_ENV, "Chosen-pa55word")
    again = apps(Path(server.settings.data_dir))
    assert again.first_start_report == [
        "admin account: admin, password from POCKET_OP_ADMIN_PASSWORD"]
    assert again.store.check_admin_password("admin", "Chosen-pa55word") is True


def test_a_first_start_that_fails_half_way_leaves_nothing_and_the_next_start_seeds(
        tmp_path, monkeypatch, apps, open_store):
    data_dir, failed = tmp_path / "data", []

    def broken(store):
        failed.append(store)
        raise RuntimeError("no keys today")

    monkeypatch.setattr(seed, "ensure_keys", broken)
    with pytest.raises(RuntimeError, match="no keys today"):
        apps(data_dir)
    failed[0].close()
    store = open_store(data_dir)
    assert (store.is_new, store.find_users(), store.find_clients(), store.find_scopes(),
            store.find_keys(), store.find_events()) == (True, [], [], [], [], [])
    store.close()
    monkeypatch.undo()
    monkeypatch.delenv(seed.ADMIN_PASSWORD_ENV, raising=False)
    assert [u.username for u in apps(data_dir).store.find_users()] == ["alice", "bob"]
