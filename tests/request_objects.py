"""Client-side JOSE for the request object, PAR and JARM tests, with jwcrypto (not joserfc,
which the server uses): the client's keys, signed and encrypted request objects, and a
loopback host serving request_uri documents."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from jwcrypto import jwe, jwk, jws

#: A key per signature alg a client may use (RFC 7518 §3, RFC 8037, RFC 9864).
RSA_KEY = jwk.JWK.generate(kty="RSA", size=2048, kid="client-rsa", use="sig")
SIGNING_KEYS = {
    "RS256": RSA_KEY, "RS384": RSA_KEY, "RS512": RSA_KEY,
    "PS256": RSA_KEY, "PS384": RSA_KEY, "PS512": RSA_KEY,
    "ES256": jwk.JWK.generate(kty="EC", crv="P-256", kid="client-p256", use="sig"),
    "ES384": jwk.JWK.generate(kty="EC", crv="P-384", kid="client-p384", use="sig"),
    "ES512": jwk.JWK.generate(kty="EC", crv="P-521", kid="client-p521", use="sig"),
}
SIGNING_KEYS["EdDSA"] = SIGNING_KEYS["Ed25519"] = jwk.JWK.generate(
    kty="OKP", crv="Ed25519", kid="client-ed25519", use="sig")
#: The client's encryption keys (JARM responses encrypted to the client). The signing keys
#: say use=sig: the server may encrypt to any RSA or EC key that does not.
ENC_KEYS = {"RSA": jwk.JWK.generate(kty="RSA", size=2048, kid="client-rsa-enc", use="enc"),
            "EC": jwk.JWK.generate(kty="EC", crv="P-256", kid="client-ec-enc", use="enc")}
#: A key the client never registered.
STRANGER_KEY = jwk.JWK.generate(kty="RSA", size=2048, kid="client-rsa")


def public_jwks() -> dict:
    keys = {key.thumbprint(): key for key in [*SIGNING_KEYS.values(), *ENC_KEYS.values()]}
    return {"keys": [json.loads(key.export_public()) for key in keys.values()]}


def hmac_key(secret: str) -> jwk.JWK:
    return jwk.JWK(kty="oct", k=jwk.base64url_encode(secret.encode()))


def sign(claims: dict, alg: str, key: jwk.JWK | None = None, **header) -> str:
    """A request object signed with ``alg`` (the client's key for it unless ``key``)."""
    key = key if key is not None else SIGNING_KEYS[alg]
    protected = {"alg": alg, "typ": "oauth-authz-req+jwt", **header}
    if key.get("kid"):
        protected.setdefault("kid", key.get("kid"))
    token = jws.JWS(json.dumps(claims).encode())
    token.add_signature(key, alg=alg, protected=json.dumps(protected))
    return token.serialize(compact=True)


def unsigned(claims: dict) -> str:
    """An unsecured JWT (RFC 7519 §6): alg none, empty signature."""
    def part(data: dict) -> str:
        return jwk.base64url_encode(json.dumps(data).encode())

    return f"{part({'alg': 'none'})}.{part(claims)}."


def encrypt_to_op(server, token: str, alg: str = "RSA-OAEP", enc: str = "A128CBC-HS256",
                  key: jwk.JWK | None = None) -> str:
    """Nest ``token`` in a JWE for the OP's encryption key from its /jwks."""
    if key is None:
        published = server.get("/jwks").json()["keys"]
        key = jwk.JWK(**next(k for k in published if k.get("use") == "enc"))
    protected = {"alg": alg, "enc": enc, "cty": "JWT", "kid": key.get("kid")}
    message = jwe.JWE(token.encode(), protected=json.dumps(protected))
    message.add_recipient(key)
    return message.serialize(compact=True)


def request_claims(server, client_id: str, redirect_uri: str, **params) -> dict:
    """The claims of a request object for ``client_id`` addressed to ``server``."""
    now = int(time.time())
    return {"iss": client_id, "aud": server.issuer, "iat": now, "nbf": now, "exp": now + 300,
            "client_id": client_id, "response_type": "code", "redirect_uri": redirect_uri,
            "scope": "openid", "state": "inner-state", "nonce": "inner-nonce", **params}


class DocumentHost:
    """A loopback HTTP server answering GET /<name> with the document saved under name."""

    def __init__(self):
        self.documents: dict[str, tuple[int, str, str]] = {}
        self.requests: list[str] = []
        host = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server naming
                host.requests.append(self.path)
                status, body, content_type = host.documents.get(
                    self.path, (404, "not found", "text/plain"))
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.end_headers()
                self.wfile.write(body.encode())

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def put(self, path: str, body: str, status: int = 200,
            content_type: str = "application/oauth-authz-req+jwt") -> str:
        self.documents[path] = (status, body, content_type)
        return self.url + path

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
