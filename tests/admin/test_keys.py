"""``/admin/api/keys``: list, generate for a kind, rotate (the new kid signs, the old one stays
published), retire (gone from the JWKS), and the public JWK Set."""

from __future__ import annotations

import pytest

from tests.tokens import header_of, verify_jwt

from .conftest import spa_tokens

KINDS = ["rsa-sig", "ec-sig", "okp-sig", "rsa-enc"]


def active_key(api, kind: str) -> dict:
    [key] = [k for k in api.get("/keys", params={"status": "active"}).json()["keys"]
             if k["kind"] == kind]
    return key


def published_kids(server) -> set[str]:
    return {key["kid"] for key in server.get("/jwks").json()["keys"]}


def test_list_has_one_active_key_per_kind_with_its_description(api):
    body = api.get("/keys").json()
    assert sorted(k["kind"] for k in body["keys"] if k["status"] == "active") == sorted(KINDS)
    assert [kind["name"] for kind in body["kinds"]] == KINDS
    rsa = active_key(api, "rsa-sig")
    assert (rsa["kty"], rsa["use"], rsa["algs"]) == ("RSA", "sig", ["RS256", "PS256"])
    assert active_key(api, "ec-sig")["alg"] == "ES256"
    assert rsa["created_at"] > 0 and rsa["retired_at"] is None


def test_list_shows_public_members_only(api):
    for key in api.get("/keys").json()["keys"]:
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key["public_jwk"])


def test_get_returns_one_key_and_404_for_an_unknown_kid(api):
    kid = active_key(api, "ec-sig")["kid"]
    assert api.get(f"/keys/{kid}").json()["kid"] == kid
    assert api.get("/keys/nope").status_code == 404


@pytest.mark.parametrize("kind", KINDS)
def test_generate_makes_a_new_active_key_and_keeps_the_old_one_published(api, server, kind):
    old = active_key(api, kind)
    response = api.post("/keys", json={"kind": kind})
    assert response.status_code == 201
    new = response.json()
    assert (new["kind"], new["status"]) == (kind, "active")
    assert api.get(f"/keys/{old['kid']}").json()["status"] == "published"
    assert {old["kid"], new["kid"]} <= published_kids(server)


@pytest.mark.parametrize("body", [{}, {"kind": "rsa-4096"}, {"kind": "rsa-sig", "size": 1}],
                         ids=["missing", "unknown", "extra-field"])
def test_generate_with_a_bad_body_names_the_field(api, body):
    response = api.post("/keys", json=body)
    assert response.status_code == 400
    assert set(response.json()["fields"]) & {"kind", "size"}


def test_a_key_rotated_through_the_api_signs_the_next_id_token_while_the_old_stays_published(
        api, server):
    old = active_key(api, "rsa-sig")
    response = api.post(f"/keys/{old['kid']}/rotate")
    assert response.status_code == 201
    new_kid = response.json()["kid"]
    assert new_kid != old["kid"]
    assert {old["kid"], new_kid} <= published_kids(server)
    id_token = spa_tokens(server)["id_token"]
    assert header_of(id_token)["kid"] == new_kid
    assert verify_jwt(server, id_token)["iss"] == server.issuer


def test_rotating_an_unknown_key_is_404(api):
    assert api.post("/keys/nope/rotate").status_code == 404


def test_retiring_a_replaced_key_takes_it_out_of_the_jwks(api, server):
    old = active_key(api, "ec-sig")
    api.post(f"/keys/{old['kid']}/rotate")
    response = api.post(f"/keys/{old['kid']}/retire")
    assert response.status_code == 200
    assert response.json()["status"] == "retired" and response.json()["retired_at"]
    assert old["kid"] not in published_kids(server)


def test_retiring_the_active_key_is_409_conflict(api):
    response = api.post(f"/keys/{active_key(api, 'rsa-sig')['kid']}/retire")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


def test_rotating_a_retired_key_is_409_conflict(api):
    old = active_key(api, "ec-sig")
    api.post(f"/keys/{old['kid']}/rotate")
    api.post(f"/keys/{old['kid']}/retire")
    assert api.post(f"/keys/{old['kid']}/rotate").status_code == 409


def test_the_public_jwks_is_the_one_jwks_uri_serves(api, server):
    response = api.get("/keys/jwks")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/jwk-set+json"
    assert response.json() == server.get("/jwks").json()
    assert "Content-Disposition" not in response.headers


def test_the_public_jwks_downloads_as_jwks_json(api):
    response = api.get("/keys/jwks", params={"download": "1"})
    assert response.headers["Content-Disposition"] == 'attachment; filename="jwks.json"'


def test_created_rotated_and_retired_emit_events_with_kids(api):
    old = active_key(api, "okp-sig")
    created = api.post("/keys", json={"kind": "okp-sig"}).json()
    rotated = api.post(f"/keys/{created['kid']}/rotate").json()
    api.post(f"/keys/{old['kid']}/retire")
    assert api.events("key.created")[0]["fields"] == {"kid": created["kid"], "kind": "okp-sig"}
    assert api.events("key.rotated")[0]["fields"] == {
        "kid": rotated["kid"], "previous_kid": created["kid"], "kind": "okp-sig"}
    assert api.events("key.retired")[0]["fields"] == {"kid": old["kid"]}
