"""Scopes, their kind, and the claims an OpenID scope releases."""

from __future__ import annotations

import pytest

from app.store import AlreadyExists, NotFound
from app.store.records import ScopeRecord


def claim_rows(store) -> dict[str, str]:
    return {row.name: row.description for row in store.m.Claim.select()}


def test_create_scope_returns_the_record_with_its_claims_sorted(store):
    record = store.create_scope("email", "openid", "Email address",
                                ["email_verified", "email"], builtin=True)
    assert record == ScopeRecord(name="email", kind="openid", description="Email address",
                                 claims=["email", "email_verified"], builtin=True)


def test_create_scope_defaults_to_no_description_no_claims_not_builtin(store):
    assert store.create_scope("api.read", "oauth") == ScopeRecord(
        name="api.read", kind="oauth", description="", claims=[], builtin=False)


@pytest.mark.parametrize("kind", ["oauth", "openid", "spontaneous", "uma"])
def test_create_scope_accepts_each_known_kind(store, kind):
    assert store.create_scope("s", kind).kind == kind


@pytest.mark.parametrize("kind", ["OpenID", "dynamic", ""], ids=["other-case", "unknown", "empty"])
def test_create_scope_of_an_unknown_kind_raises_value_error_and_creates_nothing(store, kind):
    with pytest.raises(ValueError):
        store.create_scope("s", kind, claims=["email"])
    assert store.find_scopes() == []
    assert claim_rows(store) == {}


def test_create_scope_with_a_taken_name_raises_already_exists(store):
    store.create_scope("email", "openid", claims=["email"])
    with pytest.raises(AlreadyExists):
        store.create_scope("email", "oauth", claims=["phone_number"])


def test_create_scope_with_a_taken_name_leaves_the_first_scope_unchanged(store):
    first = store.create_scope("email", "openid", "Email", ["email"])
    with pytest.raises(AlreadyExists):
        store.create_scope("email", "oauth", claims=["phone_number"])
    assert store.get_scope("email") == first


def test_create_scope_registers_its_claims(store):
    store.create_scope("email", "openid", claims=["email", "email_verified"])
    assert claim_rows(store) == {"email": "", "email_verified": ""}


def test_two_scopes_can_release_the_same_claim(store):
    store.create_scope("email", "openid", claims=["email"])
    store.create_scope("contact", "openid", claims=["email", "phone_number"])
    assert store.get_scope("email").claims == ["email"]
    assert store.get_scope("contact").claims == ["email", "phone_number"]


def test_save_claim_upserts_the_description(store):
    store.save_claim("email", "first")
    store.save_claim("email", "Email address")
    assert claim_rows(store) == {"email": "Email address"}


def test_get_scope_returns_what_create_scope_returned(store):
    created = store.create_scope("profile", "openid", "Profile", ["name", "nickname"])
    assert store.get_scope("profile") == created


def test_get_scope_of_an_unknown_name_raises_not_found(store):
    with pytest.raises(NotFound):
        store.get_scope("nothing")


def test_find_scopes_lists_every_scope_ordered_by_name(store):
    for name in ("profile", "api.read", "openid"):
        store.create_scope(name, "openid")
    assert [s.name for s in store.find_scopes()] == ["api.read", "openid", "profile"]


def test_delete_scope_removes_it(store):
    store.create_scope("email", "openid", claims=["email"])
    store.delete_scope("email")
    with pytest.raises(NotFound):
        store.get_scope("email")


def test_delete_scope_removes_its_claim_links(store):
    store.create_scope("email", "openid", claims=["email"])
    store.delete_scope("email")
    assert store.create_scope("email", "openid").claims == []


def test_delete_scope_of_an_unknown_name_raises_not_found(store):
    with pytest.raises(NotFound):
        store.delete_scope("nothing")


def test_update_scope_changes_the_description_and_keeps_the_claims(store):
    store.create_scope("email", "openid", "Email", ["email"], builtin=True)
    assert store.update_scope("email", description="Your email") == ScopeRecord(
        name="email", kind="openid", description="Your email", claims=["email"], builtin=True)


def test_update_scope_replaces_the_claims_and_registers_new_ones(store):
    store.create_scope("email", "openid", "Email", ["email", "email_verified"])
    record = store.update_scope("email", claims=["email", "contact_email"])
    assert (record.description, record.claims) == ("Email", ["contact_email", "email"])
    assert "contact_email" in claim_rows(store)


def test_update_scope_with_empty_claims_releases_none(store):
    store.create_scope("email", "openid", claims=["email"])
    assert store.update_scope("email", claims=[]).claims == []


def test_update_scope_of_an_unknown_name_raises_not_found(store):
    with pytest.raises(NotFound):
        store.update_scope("nothing", description="x")
