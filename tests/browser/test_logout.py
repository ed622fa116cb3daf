"""Logout and session management in Chromium: RP-initiated logout returning to the
registered post_logout_redirect_uri with state (an unregistered one stops at the error page),
the confirmation page, the front-channel iframes loading with iss and sid, a back-channel
logout_token reaching the RP, and the check_session_iframe's postMessage answers.

The RP is the loopback ``catcher``, which also serves the RP's page that embeds the
check_session_iframe (a page fulfilled by a playwright route may not frame loopback URLs:
Chromium's local network access checks)."""

from __future__ import annotations

import hashlib
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from playwright.sync_api import expect

from tests.flows import basic
from tests.sessions import wait_for_events
from tests.tokens import verify_jwt

RP_ID = "browser-rp"
RP_SECRET = "browser-rp-secret"


class RP:
    """A trusted confidential client whose every URI is on the catcher."""

    def __init__(self, server, catcher, **metadata):
        self.server, self.catcher = server, catcher
        self.redirect_uri = catcher.url + "/callback"
        self.logged_out_uri = catcher.url + "/logged-out"
        server.store.create_client(RP_ID, {
            "client_name": "Browser RP", "redirect_uris": [self.redirect_uri],
            "post_logout_redirect_uris": [self.logged_out_uri],
            "grant_types": ["authorization_code"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic", "scope": "openid profile",
            **metadata}, secret=RP_SECRET, trusted=True)

    def sign_in(self, page) -> tuple[dict[str, str], dict]:
        """Sign alice in to the RP in ``page``; the authorization response and tokens."""
        page.goto(f"{self.server.url}/authorize?" + urlencode({
            "client_id": RP_ID, "response_type": "code", "scope": "openid profile",
            "redirect_uri": self.redirect_uri, "state": "in", "nonce": "n"}))
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", "alice")
        page.click("form:has(input[name=password]) button[type=submit]")
        page.wait_for_url(lambda url: url.startswith(self.redirect_uri))
        back = {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}
        tokens = requests.post(self.server.url + "/token", headers=basic(RP_ID, RP_SECRET),
                               data={"grant_type": "authorization_code", "code": back["code"],
                                     "redirect_uri": self.redirect_uri}, timeout=10).json()
        return back, tokens

    def end_session(self, page, **params) -> None:
        page.goto(f"{self.server.url}/end_session?{urlencode(params)}")


@pytest.fixture
def rp(fresh_server, catcher) -> RP:
    return RP(fresh_server(), catcher)


def test_rp_initiated_logout_lands_on_the_registered_uri_with_state(page, rp):
    _, tokens = rp.sign_in(page)
    rp.end_session(page, id_token_hint=tokens["id_token"],
                   post_logout_redirect_uri=rp.logged_out_uri, state="bye-browser")
    page.wait_for_url(rp.logged_out_uri + "?state=bye-browser")


def test_an_unregistered_post_logout_redirect_uri_stops_at_the_error_page(page, rp):
    _, tokens = rp.sign_in(page)
    rp.end_session(page, id_token_hint=tokens["id_token"],
                   post_logout_redirect_uri=rp.catcher.url + "/elsewhere", state="no")
    expect(page.locator("h1")).to_have_text("The application's sign-out request cannot be served")
    expect(page.locator("[role=alert]")).to_have_text(
        "invalid_request: Invalid 'post_logout_redirect_uri' in request.")
    assert page.url.startswith(rp.server.url + "/end_session")
    assert not any(path.startswith("/elsewhere") for path in rp.catcher.requested)


def test_the_confirmation_page_signs_out_when_the_user_says_yes(page, rp):
    rp.sign_in(page)
    rp.end_session(page, client_id=RP_ID, post_logout_redirect_uri=rp.logged_out_uri,
                   state="confirmed")
    page.click("button[name=logout][value=yes]")
    page.wait_for_url(rp.logged_out_uri + "?state=confirmed")


def test_frontchannel_iframes_load_with_iss_and_sid_before_the_redirect(
        page, fresh_server, catcher):
    rp = RP(fresh_server(), catcher, frontchannel_logout_uri=catcher.url + "/frontchannel",
            frontchannel_logout_session_required=True)
    _, tokens = rp.sign_in(page)
    sid = verify_jwt(rp.server, tokens["id_token"])["sid"]
    rp.end_session(page, id_token_hint=tokens["id_token"],
                   post_logout_redirect_uri=rp.logged_out_uri, state="after")
    page.wait_for_url(rp.logged_out_uri + "?state=after")
    frontchannel = f"/frontchannel?{urlencode({'iss': rp.server.issuer, 'sid': sid})}"
    assert frontchannel in catcher.requested
    assert catcher.requested.index(frontchannel) < catcher.requested.index(
        "/logged-out?state=after")


def test_a_back_channel_logout_token_reaches_the_rp(page, fresh_server, catcher):
    rp = RP(fresh_server(), catcher, backchannel_logout_uri=catcher.url + "/backchannel",
            backchannel_logout_session_required=True)
    _, tokens = rp.sign_in(page)
    rp.end_session(page, id_token_hint=tokens["id_token"],
                   post_logout_redirect_uri=rp.logged_out_uri)
    page.wait_for_url(rp.logged_out_uri)
    [outcome] = wait_for_events(rp.server, "logout.backchannel")
    assert outcome["outcome"] == "delivered"
    [body] = catcher.posted
    claims = verify_jwt(rp.server, parse_qs(body)["logout_token"][0])
    assert claims["sid"] == verify_jwt(rp.server, tokens["id_token"])["sid"]


# -- the check_session_iframe ----------------------------------------------------------------

RP_PAGE = """<!doctype html><html><body>
<iframe id="op" src="{check_session}"></iframe>
<iframe id="other" src="{other}"></iframe>
<script>
  var op = document.getElementById("op");
  var opLoaded = new Promise(function (resolve) {{ op.addEventListener("load", resolve); }});
  window.ask = function (message) {{
    return opLoaded.then(function () {{
      return new Promise(function (resolve) {{
        function answer(event) {{
          if (event.source === op.contentWindow) {{
            window.removeEventListener("message", answer);
            resolve(event.data);
          }}
        }}
        window.addEventListener("message", answer);
        setTimeout(function () {{ resolve("(no answer)"); }}, 5000);
        op.contentWindow.postMessage(message, {op_origin});
      }});
    }});
  }};
</script></body></html>"""

OTHER_PAGE = """<!doctype html><html><body><script>
  window.askFromHere = function (message, opOrigin) {
    return new Promise(function (resolve) {
      window.addEventListener("message", function (event) { resolve(event.data); });
      setTimeout(function () { resolve("(no answer)"); }, 5000);
      window.parent.frames[0].postMessage(message, opOrigin);
    });
  };
</script></body></html>"""


def open_rp_page(page, rp):
    """The RP's page on the catcher origin, embedding our check_session_iframe and a frame of
    another origin (localhost instead of 127.0.0.1)."""
    other = rp.catcher.url.replace("127.0.0.1", "localhost") + "/other"
    html = RP_PAGE.format(check_session=rp.server.url + "/check_session", other=other,
                          op_origin=f'"{rp.server.url}"')
    rp.catcher.pages.update({"/rp": html, "/other": OTHER_PAGE})
    page.goto(rp.catcher.url + "/rp")  # returns once the page and its frames have loaded


def ask(page, message: str) -> str:
    return page.evaluate("message => window.ask(message)", message)


def test_check_session_iframe_answers_unchanged_while_the_session_lasts(page, rp):
    back, _ = rp.sign_in(page)
    open_rp_page(page, rp)
    assert ask(page, f"{RP_ID} {back['session_state']}") == "unchanged"


def test_check_session_iframe_answers_changed_after_logout(page, rp):
    back, tokens = rp.sign_in(page)
    rp.end_session(page, id_token_hint=tokens["id_token"],
                   post_logout_redirect_uri=rp.logged_out_uri)
    page.wait_for_url(rp.logged_out_uri)
    open_rp_page(page, rp)
    assert ask(page, f"{RP_ID} {back['session_state']}") == "changed"


def test_the_session_state_of_the_next_login_is_unchanged_again(page, rp):
    first, tokens = rp.sign_in(page)
    rp.end_session(page, id_token_hint=tokens["id_token"])
    second, _ = rp.sign_in(page)
    assert second["session_state"] != first["session_state"]
    open_rp_page(page, rp)
    assert ask(page, f"{RP_ID} {second['session_state']}") == "unchanged"
    assert ask(page, f"{RP_ID} {first['session_state']}") == "changed"


def test_check_session_iframe_answers_changed_for_another_client_id(page, rp):
    back, _ = rp.sign_in(page)
    open_rp_page(page, rp)
    assert ask(page, f"demo-spa {back['session_state']}") == "changed"


@pytest.mark.parametrize("message", ["no-space", " leading.space", "client no-salt",
                                     "client too.many.dots"],
                         ids=["no-space", "no-client-id", "no-salt", "two-dots"])
def test_check_session_iframe_answers_error_to_a_malformed_message(page, rp, message):
    rp.sign_in(page)
    open_rp_page(page, rp)
    assert ask(page, message) == "error"


def test_check_session_iframe_answers_error_to_an_origin_other_than_its_parent(page, rp):
    back, _ = rp.sign_in(page)
    open_rp_page(page, rp)
    other = page.frame(url=lambda url: url.endswith("/other"))
    answer = other.evaluate("([m, origin]) => window.askFromHere(m, origin)",
                            [f"{RP_ID} {back['session_state']}", rp.server.url])
    assert answer == "error"


def test_check_session_iframe_hashes_utf8_as_the_server_does(page, rp):
    rp.sign_in(page)
    open_rp_page(page, rp)
    [cookie] = [c for c in page.context.cookies(rp.server.url)
                if c["name"] == "pocket_op_browser_state"]
    client_id, salt = "clïent-✓-" + "x" * 80, "s4lt"
    text = f"{client_id} {rp.catcher.url} {cookie['value']} {salt}"
    state = hashlib.sha256(text.encode()).hexdigest() + "." + salt
    assert ask(page, f"{client_id} {state}") == "unchanged"


def test_a_cross_site_post_logout_ends_the_session_through_one_get_round_trip(page, rp):
    """The RP's form on another site (localhost vs 127.0.0.1) POSTs to end_session: the
    SameSite=Lax cookie is missing from that POST, so the OP goes round through a GET (which
    carries it) and really signs the user out."""
    _, tokens = rp.sign_in(page)
    form = (f'<form method="post" action="{rp.server.url}/end_session">'
            f'<input name="id_token_hint" value="{tokens["id_token"]}">'
            f'<input name="post_logout_redirect_uri" value="{rp.logged_out_uri}">'
            '<input name="state" value="x-site"><button>out</button></form>')
    rp.catcher.pages["/logout-form"] = f"<!doctype html><html><body>{form}</body></html>"
    page.goto(rp.catcher.url.replace("127.0.0.1", "localhost") + "/logout-form")
    page.click("button")
    page.wait_for_url(rp.logged_out_uri + "?state=x-site")
    assert rp.server.store.find_sessions() == []
