"""Hypothesis strategies for hostile input: parameters (malformed, oversized but bounded,
duplicated, wrongly encoded, wrongly typed), headers (Authorization, Content-Type, DPoP,
Cookie...), JSON bodies and JWTs; and ``fuzz``, the settings every fuzz test runs under.

Short mode (CI) by default: ``POCKET_OP_FUZZ_EXAMPLES`` examples per test (default 80),
a fixed seed per test (``derandomize``) and no example database, so runs are reproducible and
write nothing into the repo. ``POCKET_OP_FUZZ_RANDOM=1`` (the long mode) draws fresh examples.
"""

from __future__ import annotations

import base64
import json
import os

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from jwcrypto import jwk as jc_jwk

from tests.flows import TEST_SECRET

EXAMPLES = int(os.environ.get("POCKET_OP_FUZZ_EXAMPLES", "80"))
#: ``POCKET_OP_FUZZ_SHRINK=0`` reports the first failing example as found (faster).
PHASES = [p for p in Phase if p != Phase.shrink or os.environ.get("POCKET_OP_FUZZ_SHRINK") != "0"]
fuzz = settings(max_examples=EXAMPLES, deadline=None, database=None, print_blob=True,
                derandomize=os.environ.get("POCKET_OP_FUZZ_RANDOM") != "1", phases=PHASES,
                suppress_health_check=list(HealthCheck))

#: No single request carries more than this much fuzz (parameters, headers or body).
LIMIT = 64 * 1024
#: The keys of the fuzzed client_secret_jwt and private_key_jwt clients (see conftest).
HMAC_SECRET = "fuzz-hmac-secret-long-enough-for-hs512-0123456789abcdefghijklmnop"
RSA_KEY = jc_jwk.JWK.generate(kty="RSA", size=2048, kid="fuzz-rsa")


def b64(data: bytes) -> bytes:
    return base64.b64encode(data)


def b64url(data: bytes) -> bytes:
    return base64.urlsafe_b64encode(data).rstrip(b"=")


# Values.

NASTY = [
    b"", b" ", b"\x00", b"%00", b"%", b"%%", b"%zz", b"%f", b"%ff%fe", b"%ED%A0%80", b"%C0%AF",
    b"\xff\xfe", b"\xc3\x28", b"\xed\xa0\x80", b"\x7f", b"\x1b[31m", b"\x08\x0b\x0c", b"\t",
    b"null", b"true", b"[]", b"{}", b'{"a":', b'{"userinfo":[]}', b'{"id_token":{"x":1}}',
    b"-1", b"0", b"01", b"1e309", b"NaN", b"-0", b"99999999999999999999999999999999999999",
    b"\xef\xbb\xbf", b"<script>alert(1)</script>", b"' OR 1=1 --", b"../../etc/passwd",
    b"http://evil.example/", b"javascript:alert(1)", b"\xe2\x80\xae", b"\xf0\x9f\x94\x91",
    b"openid openid openid", b"openid\x00profile", b"a b  c", b"+", b"\\", b'"', b"'",
    b"code id_token token none", b"S256", b"plain", b"none", b"login consent none",
    b"{{7*7}}", b"${jndi:ldap://x}", b"%uD800", b"\\ud800",
]


def long_value() -> st.SearchStrategy[bytes]:
    units = st.sampled_from([b"a", b"%", b"\xff", b"%ff", b"\x00", b"\xe2\x80\xae", b"A=", b"."])
    return st.builds(lambda unit, n: (unit * n)[:16384], units, st.integers(256, 16384))


def value() -> st.SearchStrategy[bytes]:
    """One hostile parameter value, as bytes."""
    return st.one_of(
        st.sampled_from(NASTY),
        st.binary(max_size=80),
        st.text(max_size=40).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.integers().map(lambda n: str(n).encode()),
        long_value(),
    )


def known(*choices: str | bytes) -> st.SearchStrategy[bytes]:
    """A plausible value (to get past the first checks) or a hostile one."""
    encoded = [c.encode() if isinstance(c, str) else c for c in choices]
    return st.one_of(st.sampled_from(encoded), value())


MODES = st.sampled_from(["quote", "quote", "raw", "bare"])
NAME = st.one_of(st.sampled_from([b"", b"%", b"a[]", b"a[b]", b"\x00", b"\xff", b"x" * 300]),
                 st.binary(min_size=1, max_size=20))


@st.composite
def params(draw, fields: dict[str, st.SearchStrategy[bytes]],
           base: dict[str, str] | None = None) -> list[tuple[bytes, bytes, str]]:
    """A parameter list: each known field kept (from ``base``), fuzzed, duplicated or
    dropped; plus a few unknown names. Items are (name, value, encoding mode)."""
    base = base or {}
    pairs: list[tuple[bytes, bytes, str]] = []
    for name in sorted(set(fields) | set(base)):
        actions = ["keep", "keep", "fuzz", "drop", "twice"] if name in base else \
            ["fuzz", "drop", "drop", "twice"]
        action = draw(st.sampled_from(actions))
        strategy = fields.get(name, value())
        if action == "drop":
            continue
        first = base[name].encode() if action == "keep" else draw(strategy)
        pairs.append((name.encode(), first, draw(MODES)))
        if action == "twice":
            pairs.append((name.encode(), draw(strategy), draw(MODES)))
    for _ in range(draw(st.integers(0, 2))):
        pairs.append((draw(NAME), draw(value()), draw(MODES)))
    return draw(st.permutations(pairs)) if draw(st.booleans()) else pairs


# Headers.

def header_value(data: bytes) -> bytes:
    """Any bytes, minus those that would end the header line."""
    return data.replace(b"\r", b"").replace(b"\n", b"")[:LIMIT // 2]


CONTROLS = bytes(range(0x20)).replace(b"\t", b"") + b"\x7f"


def clean_value(data: bytes) -> bytes:
    """Bytes Waitress lets through to the app (no control characters), so the app is what
    the fuzz reaches."""
    return header_value(data).translate(None, CONTROLS)


def basic_header(client_id: str = "demo-web", secret: str = TEST_SECRET) -> st.SearchStrategy:
    good = f"{client_id}:{secret}".encode()
    return st.one_of(
        st.sampled_from([
            b"Basic", b"Basic ", b"Basic !!!", b"Basic ====", b"Basic " + b64(good),
            b"basic " + b64(good), b"BASIC  " + b64(good), b"Basic " + b64(good) + b" extra",
            b"Basic " + b64(b"no-colon"), b"Basic " + b64(b"\xff\xfe:\x00\x01"),
            b"Basic " + b64(b":"), b"Basic " + b64(client_id.encode() + b":"),
            b"Basic " + b64(b"%zz:%ff"), b"Basic " + b64(b"demo%2Dweb:" + secret.encode()),
            b"Basic " + b64(b"a" * 20000 + b":" + b"b" * 20000), b"Basic " + good,
            b"Basic " + b64(good)[:-2], b"Basic " + b64url(b"\xfb\xff:\xfe"),
        ]),
        st.binary(max_size=60).map(lambda raw: b"Basic " + b64(raw)),
        st.binary(max_size=60).map(lambda raw: b"Basic " + raw),
        st.tuples(value(), value()).map(
            lambda pair: b"Basic " + b64(pair[0][:200] + b":" + pair[1][:200])),
    ).map(header_value)


def bearer_header(tokens: list[str] = ()) -> st.SearchStrategy[bytes]:
    real = [t.encode() for t in tokens]
    return st.one_of(
        st.sampled_from([b"Bearer", b"Bearer ", b"bearer  x", b"Bearer a b", b"Bearer\tx",
                         b"Bearer " + b"x" * 30000, b"BEARER %00", b"Bearer \xff\xfe",
                         *(b"Bearer " + t for t in real), *(b"bearer " + t + b"x" for t in real),
                         *(b"DPoP " + t for t in real)]),
        jwt().map(lambda token: b"Bearer " + token),
        value().map(lambda raw: b"Bearer " + raw),
        value().map(lambda raw: b"DPoP " + raw),
        value(),
    ).map(header_value)


CONTENT_TYPES = [
    b"application/x-www-form-urlencoded", b"application/x-www-form-urlencoded; charset=utf-16",
    b"application/x-www-form-urlencoded; charset=nonsense", b"application/json",
    b"application/json; charset=latin-1", b"text/plain", b"multipart/form-data",
    b"multipart/form-data; boundary=", b"multipart/form-data; boundary=x", b"application/jwt",
    b"application/xml", b"*/*", b"", b";;;", b"\xff\xfe", b"application/x-www-form-urlencoded\x00",
]
ACCEPTS = [b"application/token-introspection+jwt", b"application/jwt", b"*/*;q=abc", b"\xff",
           b"application/json;q=0, application/token-introspection+jwt;q=1", b"text/html"]
FORBIDDEN_NAMES = {b"content-length", b"transfer-encoding", b"connection", b"host", b"expect",
                   b"te", b"trailer", b"upgrade"}


def headers(authorization: st.SearchStrategy[bytes] | None = None,
            content_type: bool = True) -> st.SearchStrategy[list[tuple[bytes, bytes]]]:
    """A few hostile headers (duplicates possible); never ones that change HTTP framing.
    Mostly values the app gets to see; sometimes control bytes Waitress refuses itself."""
    return st.tuples(header_list(authorization, content_type), st.integers(0, 4)).map(
        lambda drawn: drawn[0] if drawn[1] == 0 else
        [(name, clean_value(value)) for name, value in drawn[0]])


def header_list(authorization, content_type):
    choices = [
        st.tuples(st.just(b"DPoP"), jwt().map(header_value)),
        st.tuples(st.just(b"Cookie"), value().map(header_value)),
        st.tuples(st.just(b"Accept"),
                  st.one_of(st.sampled_from(ACCEPTS), value().map(header_value))),
        st.tuples(st.just(b"Origin"), known("http://localhost:5173", "null").map(header_value)),
        st.tuples(st.binary(min_size=1, max_size=20).filter(
            lambda name: name.lower().strip() not in FORBIDDEN_NAMES and b":" not in name
            and b"\r" not in name and b"\n" not in name), value().map(header_value)),
    ]
    if authorization is not None:
        choices += [st.tuples(st.just(b"Authorization"), authorization)] * 3
    if content_type:
        choices.append(st.tuples(st.just(b"Content-Type"), st.sampled_from(CONTENT_TYPES)))
    return st.lists(st.one_of(*choices), max_size=4)


# JSON.

HUGE_NUMBERS = [10**400, -(10**400), 2**63, 2**64, -(2**63) - 1, 1e308, -1e308, 5e-324, 0, -0.0]


def json_value() -> st.SearchStrategy:
    leaves = st.one_of(
        st.none(), st.booleans(), st.integers(), st.sampled_from(HUGE_NUMBERS),
        st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
        st.sampled_from(["\ud800", "a\udfffb", "\x00", "http://127.0.0.1/cb", "https://x.example",
                         "none", "RS256", "HS256", "native", "web", "openid", "a" * 5000]),
    )
    return st.recursive(leaves, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
        max_leaves=12)


def dumps(data) -> bytes:
    """JSON text as Python writes it; lone surrogates become ``\\udxxx`` escapes."""
    return json.dumps(data).encode()


# JWTs.

HEADERS = [
    {"alg": "none"}, {"alg": "None"}, {"alg": "HS256"}, {"alg": "RS256", "kid": "x"},
    {"alg": "RS256", "kid": 5}, {"alg": 5}, {"alg": None}, {"alg": ["RS256"]}, {},
    {"alg": "RS256", "crit": ["exp"]}, {"alg": "RS256", "b64": False, "crit": ["b64"]},
    {"alg": "HS256", "jku": "http://127.0.0.1:9/jwks"}, {"alg": "RS256", "x5u": "http://x/"},
    {"alg": "RS256", "jwk": {"kty": "oct", "k": "AAAA"}}, {"alg": "RS256", "zip": "DEF"},
    {"alg": "RS256", "x": "a" * 30000}, {"alg": "RSA-OAEP", "enc": "A128GCM"},
    {"alg": "ES256", "typ": "at+jwt"}, {"alg": "EdDSA", "kid": None},
]


def claims() -> st.SearchStrategy:
    fields = {name: json_value() for name in ("iss", "sub", "aud", "exp", "iat", "nbf", "jti",
                                              "azp", "client_id", "scope")}
    return st.one_of(st.fixed_dictionaries({}, optional=fields), json_value())


@st.composite
def jwt_parts(draw) -> tuple[bytes, bytes]:
    """(header segment, payload segment) of a JWT-looking string."""
    header = draw(st.one_of(st.sampled_from(HEADERS), json_value()))
    header_seg = draw(st.one_of(st.just(b64url(dumps(header))), st.binary(max_size=40).map(b64url),
                                st.sampled_from([b"", b"!!", b"e30", b"eyJ", b"=" * 8])))
    payload = draw(claims())
    payload_seg = draw(st.one_of(st.just(b64url(dumps(payload))),
                                 st.binary(max_size=60).map(b64url),
                                 st.sampled_from([b"", b"%%", b"e30", b"bnVsbA", b"W10"])))
    return header_seg, payload_seg


def jwt() -> st.SearchStrategy[bytes]:
    """Something shaped like a JWS or JWE: random segments, ``alg: none``, huge or non-object
    headers, claims of the wrong types, 1 to 6 segments."""
    signature = st.one_of(st.just(b""), st.binary(max_size=64).map(b64url), value())
    return st.one_of(
        st.builds(lambda parts, sig: parts[0] + b"." + parts[1] + b"." + sig, jwt_parts(),
                  signature),
        st.builds(lambda parts, extra: b".".join([parts[0], parts[1], *extra]), jwt_parts(),
                  st.lists(st.binary(max_size=20).map(b64url), max_size=4)),
        st.lists(st.binary(max_size=30).map(b64url), min_size=1, max_size=6).map(b".".join),
        value(),
    )


def jwt_text() -> st.SearchStrategy[str]:
    return jwt().map(lambda token: token.decode("latin-1"))


# Placeholders: strategies cannot see fixtures, so they draw ``@access`` and the like, and
# the test swaps in the live server's real values before sending.

def fill(pairs: list[tuple[bytes, bytes, str]], values: dict[bytes, bytes]):
    filled = []
    for name, raw, mode in pairs:
        for placeholder, real in values.items():
            raw = raw.replace(placeholder, real)
        filled.append((name, raw, mode))
    return filled
