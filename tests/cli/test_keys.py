"""The keys a first start creates: published at ``/jwks`` without private members, and
kept across restarts on the same data dir."""

from __future__ import annotations

import pytest

PRIVATE_MEMBERS = {"d", "p", "q", "dp", "dq", "qi", "k", "oth"}


@pytest.fixture
def jwks(serve, tmp_path) -> list[dict]:
    server = serve(tmp_path / "d")
    response = server.get("/jwks")
    assert response.status_code == 200
    server.stop()
    return response.json()["keys"]


def test_a_restart_on_the_same_data_dir_serves_the_same_key_ids(serve, tmp_path, jwks):
    server = serve(tmp_path / "d")
    again = server.get("/jwks").json()["keys"]
    assert server.stop().returncode == 0
    assert [key["kid"] for key in again] == [key["kid"] for key in jwks]


def test_the_jwks_holds_rsa_ec_and_ed25519_signing_keys_and_an_rsa_encryption_key(jwks):
    kinds = sorted((key["kty"], key.get("crv", ""), key["use"]) for key in jwks)
    assert kinds == [("EC", "P-256", "sig"), ("OKP", "Ed25519", "sig"), ("RSA", "", "enc"),
                     ("RSA", "", "sig")]


def test_the_jwks_key_ids_are_unique(jwks):
    kids = [key["kid"] for key in jwks]
    assert all(kids) and len(set(kids)) == len(kids)


def test_the_jwks_holds_no_private_key_members(jwks):
    assert [sorted(PRIVATE_MEMBERS & key.keys()) for key in jwks] == [[], [], [], []]
