"""OpenID Connect Front-Channel Logout 1.0 over HTTP: the logged-out page renders one iframe
per client of the session that registered a frontchannel_logout_uri, with ``iss`` and ``sid``
when it registered frontchannel_logout_session_required, then moves on to the
post_logout_redirect_uri."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

from tests.flows import Browser
from tests.sessions import RP_LOGGED_OUT, end_session, register_rp, sign_in
from tests.tokens import verify_jwt

FRONTCHANNEL = "http://localhost:4000/frontchannel-logout"


def iframes(html: str) -> list[str]:
    return [unescape(src) for src in re.findall(r'<iframe[^>]*\ssrc="([^"]+)"', html)]


def signed_in(server, **metadata):
    register_rp(server, **metadata)
    browser = Browser(server)
    return browser, sign_in(server, browser)


def test_front_channel_logout_is_advertised_with_session_support(live_server):
    document = live_server.get("/.well-known/openid-configuration").json()
    assert document["frontchannel_logout_supported"] is True
    assert document["frontchannel_logout_session_supported"] is True


def test_the_logged_out_page_renders_the_iframe_with_iss_and_sid(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server, frontchannel_logout_uri=FRONTCHANNEL,
                                frontchannel_logout_session_required=True)
    page = end_session(browser, id_token_hint=tokens["id_token"])
    [src] = iframes(page.text)
    parts = urlsplit(src)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == FRONTCHANNEL
    sid = verify_jwt(server, tokens["id_token"])["sid"]
    assert parse_qs(parts.query) == {"iss": [server.issuer], "sid": [sid]}


def test_without_session_required_the_iframe_is_the_bare_uri(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server, frontchannel_logout_uri=FRONTCHANNEL)
    page = end_session(browser, id_token_hint=tokens["id_token"])
    assert iframes(page.text) == [FRONTCHANNEL]


def test_the_uri_s_own_query_is_kept(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server, frontchannel_logout_uri=FRONTCHANNEL + "?app=1",
                                frontchannel_logout_session_required=True)
    [src] = iframes(end_session(browser, id_token_hint=tokens["id_token"]).text)
    assert parse_qs(urlsplit(src).query)["app"] == ["1"]


def test_every_client_of_the_session_gets_its_iframe(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server, frontchannel_logout_uri=FRONTCHANNEL)
    register_rp(server, "second-rp", frontchannel_logout_uri="http://localhost:4000/fc-2")
    sign_in(server, browser, client_id="second-rp")
    page = end_session(browser, id_token_hint=tokens["id_token"])
    assert iframes(page.text) == [FRONTCHANNEL, "http://localhost:4000/fc-2"]


def test_a_client_that_did_not_sign_in_in_this_session_gets_no_iframe(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server)
    register_rp(server, "absent-rp", frontchannel_logout_uri=FRONTCHANNEL)
    page = end_session(browser, id_token_hint=tokens["id_token"])
    assert iframes(page.text) == []


def test_with_iframes_the_page_continues_to_the_post_logout_redirect_uri(fresh_server):
    server = fresh_server()
    browser, tokens = signed_in(server, frontchannel_logout_uri=FRONTCHANNEL)
    page = end_session(browser, id_token_hint=tokens["id_token"],
                       post_logout_redirect_uri=RP_LOGGED_OUT, state="after-iframes")
    assert page.status_code == 200
    assert iframes(page.text) == [FRONTCHANNEL]
    assert f'href="{RP_LOGGED_OUT}?state=after-iframes"' in page.text
    assert f'"{RP_LOGGED_OUT}?state=after-iframes"' in page.text  # the script's target


def test_registration_refuses_a_frontchannel_uri_on_another_origin(fresh_server):
    response = fresh_server().post("/register", json={
        "redirect_uris": ["https://app.example/cb"],
        "frontchannel_logout_uri": "https://other.example/fc"})
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_client_metadata",
        "error_description": "Invalid 'frontchannel_logout_uri': scheme, host and port must "
                             "be a redirect URI's."}


def test_registration_accepts_a_frontchannel_uri_on_a_loopback_redirect_hosts_any_port(
        fresh_server):
    response = fresh_server().post("/register", json={
        "redirect_uris": ["http://127.0.0.1/cb"],
        "frontchannel_logout_uri": "http://127.0.0.1:5173/fc"})
    assert response.status_code == 201, response.text
