"""``pocket-op serve --headless``: the ready line, the port it names, and the issuer."""

from __future__ import annotations

import requests
from cli_helpers import READY, free_port


def test_the_first_stdout_line_is_the_ready_line_naming_the_loopback_port(cli, tmp_path):
    proc = cli.start("serve", "--headless", "--port", "0", "--data-dir", str(tmp_path / "d"))
    line = proc.stdout.readline()
    match = READY.fullmatch(line)
    assert match, line
    assert int(match.group(2)) > 0


def test_the_port_in_the_ready_line_answers_healthz(serve, tmp_path):
    server = serve(tmp_path / "d")
    response = server.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_the_default_issuer_is_localhost_with_the_bound_port(serve, tmp_path):
    server = serve(tmp_path / "d")
    document = server.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == f"http://localhost:{server.port}"


def test_the_issuer_flag_sets_the_issuer(serve, tmp_path):
    server = serve(tmp_path / "d", "--issuer", "http://op.example.test:8443")
    document = server.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://op.example.test:8443"


class TestIssuerWithAPath:
    """``--issuer http://127.0.0.1:PORT/x``: the OP lives below ``/x``."""

    def start(self, serve, tmp_path):
        port = free_port()
        issuer = f"http://127.0.0.1:{port}/x"
        return serve(tmp_path / "d", "--port", str(port), "--issuer", issuer), issuer

    def test_discovery_is_served_below_the_issuer_path(self, serve, tmp_path):
        server, issuer = self.start(serve, tmp_path)
        response = server.get("/x/.well-known/openid-configuration")
        assert response.status_code == 200
        assert response.json()["issuer"] == issuer

    def test_the_rfc8414_path_inserted_well_known_uri_answers(self, serve, tmp_path):
        server, issuer = self.start(serve, tmp_path)
        response = server.get("/.well-known/oauth-authorization-server/x")
        assert response.status_code == 200
        assert response.json()["issuer"] == issuer

    def test_the_jwks_uri_of_the_document_answers(self, serve, tmp_path):
        server, issuer = self.start(serve, tmp_path)
        document = server.get("/x/.well-known/openid-configuration").json()
        assert document["jwks_uri"] == f"{issuer}/jwks"
        response = requests.get(document["jwks_uri"], timeout=10)
        assert response.status_code == 200
        assert len(response.json()["keys"]) == 4

