"""Hostile posts to the login and consent forms: a real pending interaction (opened by an
authorization request just before) or a garbage id, the right cookie or none or another,
wrong fields, types and encodings. The answer is an HTML page or a redirect to the registered
redirect URI, never a 5xx or a leak."""

import re
from urllib.parse import quote, urlencode

from hypothesis import given
from hypothesis import strategies as st

from tests.flows import spa_request
from tests.fuzz.strategies import CONTENT_TYPES, fuzz, headers, known, params, value
from tests.fuzz.wire import check_page, encode_pairs

LOGIN_FIELDS = {"username": known("alice", "bob", "admin", "alice ", "ALICE"),
                "password": known("alice", "bob", "wrong"),
                "persona": known("alice", "bob", "admin", "carol")}
CONSENT_FIELDS = {"decision": known("allow", "deny", "ALLOW", "allow ")}
IDS = st.one_of(st.just("@real"), st.just("@real@real"),
                st.sampled_from(["x", "..", "%2e%2e", "%00", "%ff", "a" * 3000, "@real%00"]),
                value().map(lambda raw: quote(raw[:200], safe="")))
COOKIES = st.sampled_from(["real", "real", "none", "garbage", "twice", "other-path"])


def open_interaction(target, signed_in: bool) -> tuple[str, str]:
    """(interaction id, cookie value) of a fresh login page, or of a consent page when
    signed in (prompt=consent forces it)."""
    params, _ = spa_request(**({"prompt": "consent"} if signed_in else {}))
    cookie = [(b"Cookie", b"pocket_op_session=" + target.session_cookie.encode())] \
        if signed_in else []
    page = target.wire.send("GET", "/authorize?" + urlencode(params), cookie)
    assert page.status == 200, page.describe()
    step = "consent" if signed_in else "login"
    match = re.search(rf'action="/interaction/([^/"]+)/{step}"'.encode(), page.body)
    assert match, page.describe()
    return match.group(1).decode(), match.group(1).decode()


def cookie_header(kind: str, interaction: str, session: str | None) -> list[tuple[bytes, bytes]]:
    jar = {"real": f"pocket_op_interaction={interaction}", "none": "",
           "garbage": "pocket_op_interaction=\x01\xff; ;;=", "other-path": "interaction=x",
           "twice": f"pocket_op_interaction=x; pocket_op_interaction={interaction}"}[kind]
    if session:
        jar = "; ".join(filter(None, [jar, f"pocket_op_session={session}"]))
    return [(b"Cookie", jar.encode("latin-1"))] if jar else []


def post_form(target, step, signed_in, interaction_id, cookie, pairs, content_type, extra):
    real, cookie_value = open_interaction(target, signed_in)
    path_id = interaction_id.replace("@real", real)
    session = target.session_cookie if signed_in else None
    return target.wire.send(
        "POST", f"/interaction/{path_id}/{step}",
        [(b"Content-Type", content_type), *cookie_header(cookie, cookie_value, session), *extra],
        encode_pairs(pairs))


@fuzz
@given(interaction_id=IDS, cookie=COOKIES, pairs=params(LOGIN_FIELDS),
       content_type=st.sampled_from(CONTENT_TYPES[:1] * 6 + CONTENT_TYPES),
       extra=headers(content_type=False))
def test_hostile_login_post_gets_a_page_or_a_registered_redirect(
        target, interaction_id, cookie, pairs, content_type, extra):
    check_page(post_form(target, "login", False, interaction_id, cookie, pairs, content_type,
                         extra))


@fuzz
@given(interaction_id=IDS, cookie=COOKIES, pairs=params(CONSENT_FIELDS),
       content_type=st.sampled_from(CONTENT_TYPES[:1] * 6 + CONTENT_TYPES),
       extra=headers(content_type=False))
def test_hostile_consent_post_gets_a_page_or_a_registered_redirect(
        target, interaction_id, cookie, pairs, content_type, extra):
    check_page(post_form(target, "consent", True, interaction_id, cookie, pairs, content_type,
                         extra))


@fuzz
@given(method=st.sampled_from(["GET", "PUT", "DELETE", "HEAD", "OPTIONS"]),
       step=st.sampled_from(["login", "consent", "", "x"]), interaction_id=IDS)
def test_interaction_paths_with_another_method_get_an_error(target, method, step,
                                                            interaction_id):
    real, cookie_value = open_interaction(target, False)
    reply = target.wire.send(method, f"/interaction/{interaction_id.replace('@real', real)}/{step}",
                             cookie_header("real", cookie_value, None))
    check_page(reply)
