"""RFC 7591 §2 / §3.2.2 and OpenID Connect Registration §2: each metadata field is checked,
and a bad value is a 400 whose error is ``invalid_redirect_uri`` or
``invalid_client_metadata`` and whose description names the field."""

import pytest
from joserfc.jwk import ECKey, RSAKey

#: A valid registration; each case below changes some of it.
BASE = {"redirect_uris": ["https://app.example/cb"], "client_name": "Web app"}
EC_PUBLIC = ECKey.generate_key("P-256").as_dict(private=False)
RSA_PRIVATE = RSAKey.generate_key(2048).as_dict(private=True)
ICM, IRU = "invalid_client_metadata", "invalid_redirect_uri"

#: (id, changes to BASE, error, field named in the description)
INVALID = [
    # redirect_uris
    ("redirect-uris-not-a-list", {"redirect_uris": "https://app.example/cb"}, ICM,
     "redirect_uris"),
    ("redirect-uris-not-strings", {"redirect_uris": [42]}, ICM, "redirect_uris"),
    ("redirect-uris-missing-for-code", {"redirect_uris": None}, IRU, "redirect_uris"),
    ("redirect-uris-empty-for-code", {"redirect_uris": []}, IRU, "redirect_uris"),
    ("redirect-uri-relative", {"redirect_uris": ["/callback"]}, IRU, "redirect_uris"),
    ("redirect-uri-fragment", {"redirect_uris": ["https://app.example/cb#x"]}, IRU,
     "redirect_uris"),
    ("redirect-uri-empty-fragment", {"redirect_uris": ["https://app.example/cb#"]}, IRU,
     "redirect_uris"),
    ("redirect-uri-http-off-loopback-web", {"redirect_uris": ["http://app.example/cb"]}, IRU,
     "redirect_uris"),
    ("redirect-uri-http-off-loopback-native", {"application_type": "native",
                                               "redirect_uris": ["http://app.example/cb"]},
     IRU, "redirect_uris"),
    ("redirect-uri-private-scheme-web", {"redirect_uris": ["com.example.app:/cb"]}, IRU,
     "redirect_uris"),
    ("redirect-uri-javascript-native", {"application_type": "native",
                                        "redirect_uris": ["javascript:alert(1)"]},
     IRU, "redirect_uris"),
    ("redirect-uri-bad-port", {"redirect_uris": ["https://app.example:99999/cb"]}, IRU,
     "redirect_uris"),
    ("redirect-uri-no-host", {"redirect_uris": ["https:///cb"]}, IRU, "redirect_uris"),
    ("redirect-uris-regex-not-compiling", {"redirect_uris_regex": "(unclosed"}, ICM,
     "redirect_uris_regex"),
    # grant_types and response_types (RFC 7591 §2.1)
    ("grant-types-not-a-list", {"grant_types": "authorization_code"}, ICM, "grant_types"),
    ("grant-type-unsupported", {"grant_types": ["urn:example:unsupported"]}, ICM,
     "grant_types"),
    ("response-types-not-a-list", {"response_types": "code"}, ICM, "response_types"),
    ("response-type-unsupported", {"response_types": ["code unknown"]}, ICM,
     "response_types"),
    ("response-type-without-its-grant", {"grant_types": ["client_credentials"],
                                         "response_types": ["code"]}, ICM, "response_types"),
    ("token-response-type-without-implicit", {"response_types": ["token"]}, ICM,
     "response_types"),
    # token endpoint authentication
    ("auth-method-not-a-string", {"token_endpoint_auth_method": ["none"]}, ICM,
     "token_endpoint_auth_method"),
    ("auth-method-unsupported", {"token_endpoint_auth_method": "made_up"}, ICM,
     "token_endpoint_auth_method"),
    ("client-credentials-public", {"grant_types": ["client_credentials"],
                                   "token_endpoint_auth_method": "none"}, ICM,
     "token_endpoint_auth_method"),
    ("private-key-jwt-without-keys", {"token_endpoint_auth_method": "private_key_jwt"}, ICM,
     "token_endpoint_auth_method"),
    ("private-key-jwt-empty-jwks", {"token_endpoint_auth_method": "private_key_jwt",
                                    "jwks": {"keys": []}}, ICM, "token_endpoint_auth_method"),
    ("auth-signing-alg-none", {"token_endpoint_auth_signing_alg": "none"}, ICM,
     "token_endpoint_auth_signing_alg"),
    ("auth-signing-alg-unknown", {"token_endpoint_auth_signing_alg": "XX999"}, ICM,
     "token_endpoint_auth_signing_alg"),
    # keys
    ("jwks-and-jwks-uri", {"jwks": {"keys": [EC_PUBLIC]},
                           "jwks_uri": "https://app.example/jwks"}, ICM, "jwks"),
    ("jwks-private-key", {"jwks": {"keys": [RSA_PRIVATE]}}, ICM, "jwks"),
    ("jwks-symmetric-key", {"jwks": {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}}, ICM, "jwks"),
    ("jwks-not-a-set", {"jwks": [EC_PUBLIC]}, ICM, "jwks"),
    ("jwks-keys-not-objects", {"jwks": {"keys": ["key"]}}, ICM, "jwks"),
    ("jwks-broken-key", {"jwks": {"keys": [{"kty": "EC", "crv": "P-256", "x": "!"}]}}, ICM,
     "jwks"),
    ("jwks-unknown-key-type", {"jwks": {"keys": [{"kty": "XYZ"}]}}, ICM, "jwks"),
    ("jwks-uri-http-off-loopback", {"jwks_uri": "http://app.example/jwks"}, ICM, "jwks_uri"),
    ("jwks-uri-not-a-url", {"jwks_uri": "jwks.json"}, ICM, "jwks_uri"),
    # OpenID Connect Registration §2
    ("application-type-unknown", {"application_type": "desktop"}, ICM, "application_type"),
    ("subject-type-unknown", {"subject_type": "secret"}, ICM, "subject_type"),
    ("sector-uri-http-off-loopback", {"sector_identifier_uri": "http://app.example/s.json"},
     ICM, "sector_identifier_uri"),
    ("sector-uri-host-not-allowed", {"sector_identifier_uri": "https://app.example/s.json"},
     ICM, "sector_identifier_uri"),
    ("pairwise-several-hosts-without-sector", {
        "subject_type": "pairwise",
        "redirect_uris": ["https://a.example/cb", "https://b.example/cb"]}, ICM,
     "sector_identifier_uri"),
    ("id-token-alg-none", {"id_token_signed_response_alg": "none"}, ICM,
     "id_token_signed_response_alg"),
    ("id-token-alg-hmac", {"id_token_signed_response_alg": "HS256"}, ICM,
     "id_token_signed_response_alg"),
    ("userinfo-alg-unknown", {"userinfo_signed_response_alg": "RS1"}, ICM,
     "userinfo_signed_response_alg"),
    ("request-object-alg-unknown", {"request_object_signing_alg": "RS1"}, ICM,
     "request_object_signing_alg"),
    ("authorization-alg-unknown", {"authorization_signed_response_alg": 256}, ICM,
     "authorization_signed_response_alg"),
    ("id-token-enc-alg-unsupported", {"id_token_encrypted_response_alg": "RSA1_5",
                                      "jwks": {"keys": [EC_PUBLIC]}}, ICM,
     "id_token_encrypted_response_alg"),
    ("id-token-enc-without-alg", {"id_token_encrypted_response_enc": "A128GCM"}, ICM,
     "id_token_encrypted_response_enc"),
    ("id-token-enc-unsupported", {"id_token_encrypted_response_alg": "ECDH-ES",
                                  "id_token_encrypted_response_enc": "A999GCM",
                                  "jwks": {"keys": [EC_PUBLIC]}}, ICM,
     "id_token_encrypted_response_enc"),
    ("id-token-encryption-without-keys", {"id_token_encrypted_response_alg": "RSA-OAEP"}, ICM,
     "id_token_encrypted_response_alg"),
    ("id-token-encryption-key-of-wrong-type", {"id_token_encrypted_response_alg": "RSA-OAEP",
                                               "jwks": {"keys": [EC_PUBLIC]}}, ICM,
     "id_token_encrypted_response_alg"),
    ("userinfo-enc-without-alg", {"userinfo_encrypted_response_enc": "A256GCM"}, ICM,
     "userinfo_encrypted_response_enc"),
    ("request-object-enc-without-alg", {"request_object_encryption_enc": "A128GCM"}, ICM,
     "request_object_encryption_enc"),
    ("default-max-age-negative", {"default_max_age": -1}, ICM, "default_max_age"),
    ("default-max-age-string", {"default_max_age": "60"}, ICM, "default_max_age"),
    ("default-max-age-boolean", {"default_max_age": True}, ICM, "default_max_age"),
    ("default-max-age-float", {"default_max_age": 1.5}, ICM, "default_max_age"),
    ("require-auth-time-string", {"require_auth_time": "true"}, ICM, "require_auth_time"),
    ("default-acr-values-string", {"default_acr_values": "1"}, ICM, "default_acr_values"),
    ("initiate-login-uri-http", {"initiate_login_uri": "http://app.example/login"}, ICM,
     "initiate_login_uri"),
    ("request-uris-string", {"request_uris": "https://app.example/r"}, ICM, "request_uris"),
    ("request-uris-not-urls", {"request_uris": ["not a url"]}, ICM, "request_uris"),
    # human-readable fields and the rest of RFC 7591 §2
    ("client-name-number", {"client_name": 5}, ICM, "client_name"),
    ("client-name-tagged-number", {"client_name#fr": 5}, ICM, "client_name#fr"),
    ("client-uri-not-a-url", {"client_uri": "app.example"}, ICM, "client_uri"),
    ("logo-uri-not-a-url", {"logo_uri": "ftp://app.example/logo.png"}, ICM, "logo_uri"),
    ("policy-uri-not-a-url", {"policy_uri": ""}, ICM, "policy_uri"),
    ("tos-uri-not-a-url", {"tos_uri": ["https://app.example/tos"]}, ICM, "tos_uri"),
    ("contacts-string", {"contacts": "dev@app.example"}, ICM, "contacts"),
    ("software-id-number", {"software_id": 1}, ICM, "software_id"),
    ("software-version-number", {"software_version": 1.0}, ICM, "software_version"),
    ("software-statement-object", {"software_statement": {}}, ICM, "software_statement"),
    ("scope-list", {"scope": ["openid"]}, ICM, "scope"),
    ("scope-unknown", {"scope": "openid nonexistent"}, ICM, "scope"),
    # logout
    ("post-logout-uris-string", {"post_logout_redirect_uris": "https://app.example/"}, ICM,
     "post_logout_redirect_uris"),
    ("post-logout-uri-http-off-loopback", {"post_logout_redirect_uris": [
        "http://app.example/"]}, ICM, "post_logout_redirect_uris"),
    ("frontchannel-uri-not-a-url", {"frontchannel_logout_uri": "logout"}, ICM,
     "frontchannel_logout_uri"),
    ("frontchannel-session-required-string", {"frontchannel_logout_session_required": "yes"},
     ICM, "frontchannel_logout_session_required"),
    ("backchannel-uri-not-a-url", {"backchannel_logout_uri": 1}, ICM, "backchannel_logout_uri"),
    ("backchannel-session-required-number", {"backchannel_logout_session_required": 1}, ICM,
     "backchannel_logout_session_required"),
    # RFC 9126 and the Janssen extensions (CONTRACT.md)
    ("require-par-standard-string", {"require_pushed_authorization_requests": "true"}, ICM,
     "require_pushed_authorization_requests"),
    ("access-token-as-jwt-string", {"access_token_as_jwt": "true"}, ICM,
     "access_token_as_jwt"),
    ("access-token-signing-alg-unknown", {"access_token_signing_alg": "HS256"}, ICM,
     "access_token_signing_alg"),
    ("access-token-lifetime-zero", {"access_token_lifetime": 0}, ICM, "access_token_lifetime"),
    ("access-token-lifetime-string", {"access_token_lifetime": "3600"}, ICM,
     "access_token_lifetime"),
    ("authorized-origins-string", {"authorized_origins": "https://app.example"}, ICM,
     "authorized_origins"),
    ("authorized-origin-with-path", {"authorized_origins": ["https://app.example/app"]}, ICM,
     "authorized_origins"),
    ("allow-spontaneous-scopes-number", {"allow_spontaneous_scopes": 1}, ICM,
     "allow_spontaneous_scopes"),
    ("spontaneous-scopes-not-compiling", {"spontaneous_scopes": ["user:["]}, ICM,
     "spontaneous_scopes"),
    ("default-prompt-login-string", {"default_prompt_login": "no"}, ICM,
     "default_prompt_login"),
    ("authorized-acr-values-string", {"authorized_acr_values": "1"}, ICM,
     "authorized_acr_values"),
    ("par-lifetime-negative", {"par_lifetime": -5}, ICM, "par_lifetime"),
    ("require-par-string", {"require_par": "true"}, ICM, "require_par"),
    ("require-pkce-string", {"require_pkce": "yes"}, ICM, "require_pkce"),
]


def with_changes(changes: dict) -> dict:
    """BASE with ``changes`` applied; a change to None removes the field."""
    metadata = {**BASE, **changes}
    return {key: value for key, value in metadata.items()
            if not (value is None and changes.get(key, 0) is None)}


@pytest.mark.parametrize("changes, error, field", [case[1:] for case in INVALID],
                         ids=[case[0] for case in INVALID])
def test_invalid_metadata_is_refused_with_the_field_named(live_server, changes, error, field):
    response = live_server.post("/register", json=with_changes(changes))
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error"] == error
    assert f"'{field}'" in body["error_description"]


#: (id, changes to BASE): values the same checks accept.
VALID = [
    ("localized-fields", {"client_name#ja-Jpan-JP": "アプリ", "logo_uri#fr":
                          "https://app.example/logo-fr.png"}),
    ("public-jwks", {"jwks": {"keys": [EC_PUBLIC]}, "token_endpoint_auth_method":
                     "private_key_jwt"}),
    ("loopback-jwks-uri", {"jwks_uri": "http://127.0.0.1:9999/jwks",
                           "id_token_encrypted_response_alg": "RSA-OAEP-256",
                           "id_token_encrypted_response_enc": "A256GCM"}),
    ("ecdh-es-to-an-ec-key", {"jwks": {"keys": [EC_PUBLIC]},
                              "userinfo_encrypted_response_alg": "ECDH-ES"}),
    ("every-signing-alg", {"id_token_signed_response_alg": "ES256",
                           "userinfo_signed_response_alg": "PS256",
                           "request_object_signing_alg": "EdDSA",
                           "access_token_signing_alg": "Ed25519"}),
    ("oidc-fields", {"default_max_age": 0, "require_auth_time": True,
                     "default_acr_values": ["1"], "initiate_login_uri":
                     "https://app.example/login", "request_uris": ["https://app.example/r#h"],
                     "contacts": ["dev@app.example"], "software_id": "app",
                     "software_version": "1.0"}),
    ("logout-fields", {"post_logout_redirect_uris": ["http://localhost:3000/"],
                       "frontchannel_logout_uri": "https://app.example/fc",
                       "frontchannel_logout_session_required": True,
                       "backchannel_logout_uri": "https://app.example/bc",
                       "backchannel_logout_session_required": False}),
    ("janssen-fields", {"access_token_as_jwt": True, "access_token_lifetime": 60,
                        "redirect_uris_regex": r"https://app\.example/.*",
                        "default_prompt_login": False,
                        "authorized_acr_values": ["1", "urn:pocket-op:mfa"],
                        "par_lifetime": 60, "require_par": False,
                        "require_pushed_authorization_requests": False, "require_pkce": True}),
    ("pairwise-one-host", {"subject_type": "pairwise", "redirect_uris": [
        "https://app.example/a", "https://app.example/b"]}),
]


@pytest.mark.parametrize("changes", [case[1] for case in VALID], ids=[case[0] for case in VALID])
def test_valid_metadata_is_registered_as_sent(fresh_server, changes):
    response = fresh_server().post("/register", json=with_changes(changes))
    assert response.status_code == 201, response.text
    body = response.json()
    assert {key: body[key] for key in changes} == changes
