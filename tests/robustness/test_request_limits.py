"""Request size limits: Flask's ``MAX_CONTENT_LENGTH`` (1 MB) answers a body over it; Waitress
refuses a body over ``MAX_REQUEST_BODY`` or a request line plus headers over
``MAX_REQUEST_HEADERS`` before reading it all. Every refusal is the JSON error shape the
client can read, never a 5xx, a reset or a hang."""

import pytest

from app.server import MAX_REQUEST_BODY, MAX_REQUEST_HEADERS
from tests.robustness.wire import connect, exchange, json_body, parse, read_all

FLASK_LIMIT = 1_000_000


def post_head(path: str, length: int | None = None, chunked: bool = False) -> bytes:
    framing = "Transfer-Encoding: chunked" if chunked else f"Content-Length: {length}"
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\n{framing}\r\n\r\n").encode()


@pytest.mark.parametrize("path", ["/token", "/introspect", "/revoke", "/authorize", "/par"])
def test_a_form_body_over_one_megabyte_gets_413_request_too_large(live_server, path):
    response = live_server.post(path, data={"a": "x" * FLASK_LIMIT})
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"


def test_a_json_body_over_one_megabyte_gets_413_request_too_large(live_server):
    response = live_server.post("/register", json={"client_name": "x" * FLASK_LIMIT})
    assert response.status_code == 413
    assert response.json()["error"] == "request_too_large"


def test_a_declared_length_over_the_server_limit_is_refused_before_the_body(live_server):
    status, headers, body = exchange(live_server, post_head("/token", MAX_REQUEST_BODY + 1))
    assert status == 413
    assert headers["content-type"] == "application/json"
    assert json_body(body) == {"error": "request_too_large",
                               "error_description": "The request body is too large."}


def test_a_body_over_the_server_limit_sent_in_full_still_gets_its_413(live_server):
    size = 4 * MAX_REQUEST_BODY
    status, _, body = exchange(live_server, post_head("/token", size) + b"a=" + b"x" * (size - 2))
    assert status == 413
    assert json_body(body)["error"] == "request_too_large"


def test_a_chunked_body_over_the_server_limit_gets_413(live_server):
    chunk = b"%x\r\n" % 65536 + b"x" * 65536 + b"\r\n"
    count = MAX_REQUEST_BODY // 65536 + 2
    status, _, body = exchange(live_server, post_head("/token", chunked=True) + chunk * count
                               + b"0\r\n\r\n")
    assert status == 413
    assert json_body(body)["error"] == "request_too_large"


def test_headers_over_the_limit_get_431(live_server):
    raw = (b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
           + b"y" * MAX_REQUEST_HEADERS + b"\r\n\r\n")
    status, headers, body = exchange(live_server, raw)
    assert status == 431
    assert headers["content-type"] == "application/json"
    assert json_body(body) == {"error": "invalid_request", "error_description":
                               "The request line and headers are too large."}


def test_a_query_string_over_the_header_limit_gets_431(live_server):
    query = b"&".join(b"p%d=v" % n for n in range(MAX_REQUEST_HEADERS // 6))
    raw = b"GET /authorize?" + query + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    status, _, body = exchange(live_server, raw)
    assert status == 431
    assert json_body(body)["error"] == "invalid_request"


def test_headers_under_the_limit_are_served(live_server):
    response = live_server.get("/healthz", headers={"X-Padding": "y" * (MAX_REQUEST_HEADERS // 2)})
    assert response.status_code == 200


def test_a_malformed_request_line_gets_400_in_the_json_shape(live_server):
    with connect(live_server) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header\r\n\r\n")
        status, _, body = parse(read_all(sock))
    assert status == 400
    assert json_body(body) == {"error": "invalid_request",
                               "error_description": "The request is malformed."}
