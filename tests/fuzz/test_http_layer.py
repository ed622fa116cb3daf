"""Garbage at the HTTP layer of every endpoint: invalid bytes, NUL and control characters
in the request target, percent-encoding garbage, odd methods, hostile headers, a lying Host.
Whether Waitress or the app refuses it, the answer is never a 5xx or a leak; the documents
(discovery, JWKS, health) still answer."""

from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.strategies import bearer_header, fuzz, headers, value
from tests.fuzz.wire import by_waitress, check_json_endpoint, check_page, escape_separators

PATHS = ["/authorize", "/token", "/userinfo", "/introspect", "/revoke", "/register",
         "/register/@reg_client", "/interaction/x/login", "/interaction/x/consent", "/jwks",
         "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server",
         "/.well-known/oauth-authorization-server/x", "/healthz", "/", "/admin", "/static/x",
         "/favicon.ico"]
METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "CONNECT",
           "get", "G\xc3T", "FOO"]
SUFFIXES = st.one_of(
    st.sampled_from([b"", b"/", b"//", b"/..", b"/../token", b";x", b"%00", b"%", b"%zz",
                     b"\x00", b"\xff\xfe", b"\x7f", b"\x01\x02", b"?", b"??", b"?&&&=&=",
                     b"?a=%ff%fe", b"?a=\x00", b"?" + b"a=b&" * 4000, b"/" + b"a" * 8000,
                     b"#frag", b"?%C0%AF=%ED%A0%80", b"\t"]),
    value().map(lambda raw: b"?q=" + escape_separators(raw)),
    value().map(lambda raw: escape_separators(raw)),
)
HOSTS = st.one_of(st.none(), st.sampled_from([b"", b"evil.example", b"127.0.0.1:1", b"[::1",
                                              b"\xff", b"a" * 5000, b"localhost:0"]))


def check_for(path: str):
    return check_page if path.startswith(("/authorize", "/interaction")) else check_json_endpoint


@fuzz
@given(method=st.sampled_from(METHODS), path=st.sampled_from(PATHS), suffix=SUFFIXES,
       host=HOSTS, extra=headers(bearer_header()))
def test_garbage_request_line_and_headers_never_get_a_5xx_or_a_leak(
        target, method, path, suffix, host, extra):
    path = path.replace("@reg_client", target.registered["client_id"])
    target_bytes = path.encode() + suffix.replace(b" ", b"%20").replace(b"\r", b"").replace(
        b"\n", b"")
    reply = target.wire.send(method, target_bytes, extra, host=host)
    check_for(path)(reply)


@fuzz
@given(path=st.sampled_from(["/jwks", "/.well-known/openid-configuration",
                             "/.well-known/oauth-authorization-server", "/healthz"]),
       query=value(), extra=headers(bearer_header()))
def test_documents_answer_whatever_the_query_and_headers(target, path, query, extra):
    reply = target.wire.send("GET", path.encode() + b"?" + escape_separators(query), extra)
    check_json_endpoint(reply)
    if by_waitress(reply):
        return
    # A first extra header starting with a blank continues the Host line (RFC 9112 §5.2
    # obs-fold): the Host value is then invalid, a 400 (§3.2).
    folded = bool(extra) and extra[0][0][:1] in (b" ", b"\t")
    assert reply.status == (400 if folded else 200), reply.describe()
