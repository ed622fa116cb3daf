"""``POST /admin/window/show`` on the real server checks the Host header as the admin API does
(``app.admin.guard.check_host``): a DNS-rebinding page that learnt the secret still cannot
raise the window through its own host name."""

from __future__ import annotations

import pytest

from ui.instance import SHOW_PATH, init_show_endpoint

SECRET = "the-show-secret"
BEARER = {"Authorization": f"Bearer {SECRET}"}


@pytest.fixture
def shown() -> list[bool]:
    return []


@pytest.fixture
def server(fresh_server, shown):
    return fresh_server(extend=lambda app: init_show_endpoint(app, SECRET,
                                                              lambda: shown.append(True)))


@pytest.mark.parametrize("host", ["evil.test", "evil.test:80", "localhost.evil.test"])
def test_a_foreign_host_name_gets_421_and_shows_nothing(server, shown, host):
    """The OP-wide check (``app.hosts``) answers first."""
    response = server.post(SHOW_PATH, headers={**BEARER, "Host": host})
    assert (response.status_code, shown) == (421, [])


@pytest.mark.parametrize("host", ["192.0.2.7", "192.0.2.7:9400", "[2001:db8::1]", "lan-host"])
def test_a_host_the_admin_api_refuses_gets_403_and_shows_nothing(fresh_server, shown, host):
    """What the OP answers but the admin API does not (another machine's address, an
    ``allowed_hosts`` name): the window answers like the admin API."""
    server = fresh_server(allowed_hosts="lan-host",
                          extend=lambda app: init_show_endpoint(app, SECRET,
                                                                lambda: shown.append(True)))
    admin = server.get("/admin/api/session", headers={"Host": host})
    response = server.post(SHOW_PATH, headers={**BEARER, "Host": host})
    assert admin.status_code == 403
    assert (response.status_code, response.json()["error"], shown) == (403, "forbidden", [])


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_host_header_with_the_secret_shows_the_window(server, shown, host):
    port = server.url.rsplit(":", 1)[1]
    response = server.post(SHOW_PATH, headers={**BEARER, "Host": f"{host}:{port}"})
    assert (response.status_code, shown) == (204, [True])
