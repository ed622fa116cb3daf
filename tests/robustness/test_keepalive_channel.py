"""``app.channel.KeepAliveChannel`` over raw WSGI callables: a response still arrives whole
and in order whoever sends it (the task thread, or the main loop once the socket is full),
and the connection stays usable for the next request."""

import socket
import threading
import time

import pytest
from waitress import wasyncore
from waitress.server import create_server

from app.server import Server, bind_socket

BIG = bytes(range(256)) * 32_768  # 8 MiB: far over a loopback socket's send buffer


def small(environ, start_response):
    start_response("200 OK", [("Content-Length", "5")])
    return [b"hello"]


def big(environ, start_response):
    start_response("200 OK", [("Content-Length", str(len(BIG)))])
    return (BIG[i:i + 65_536] for i in range(0, len(BIG), 65_536))


def broken(environ, start_response):
    start_response("200 OK", [("Content-Length", "10")])
    yield b"part-"
    raise RuntimeError("the app fails half-way")


class Serving:
    """A Waitress server with pocket-op's channel class on a loop thread."""

    def __init__(self, app):
        # A low high-water mark, so the task thread of an 8 MiB answer waits for the main
        # loop to send; outbufs in memory only (no temporary file left at the end).
        self.server = create_server(app, sockets=[bind_socket("127.0.0.1", 0)], threads=4,
                                    outbuf_high_watermark=262_144,
                                    outbuf_overflow=64 * 1_048_576)
        self.server.channel_class = Server.channel_class
        self.sends = []
        channel_send = self.server.channel_class.send
        sends = self.sends

        def counting_send(channel, data, do_close=True):
            sends.append(len(data))
            return channel_send(channel, data, do_close)

        self.server.channel_class = type("Counting", (Server.channel_class,),
                                         {"send": counting_send})
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.loop, daemon=True)
        self.thread.start()

    def loop(self):
        while not self.stopping.is_set():
            wasyncore.loop(timeout=0.05, map=self.server._map, count=1)
        self.server.task_dispatcher.shutdown(timeout=5)
        wasyncore.close_all(self.server._map)

    def connect(self, rcvbuf=None) -> socket.socket:
        sock = socket.socket()
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        sock.settimeout(10)
        sock.connect(("127.0.0.1", int(self.server.effective_port)))
        return sock

    def stop(self):
        self.stopping.set()
        self.thread.join(10)


@pytest.fixture
def serving(request):
    serving = Serving(request.param)
    yield serving
    serving.stop()


def get(sock: socket.socket) -> None:
    sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """Head and body of one response framed by Content-Length."""
    data = b""
    while b"\r\n\r\n" not in data:
        data += recv(sock)
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length")))
    while len(body) < length:
        body += recv(sock)
    return head, body


def recv(sock: socket.socket) -> bytes:
    chunk = sock.recv(1_048_576)
    if not chunk:
        raise ConnectionError("closed")
    return chunk


@pytest.mark.parametrize("serving", [small], indirect=True)
def test_a_small_response_goes_out_in_one_send(serving):
    with serving.connect() as sock:
        for _ in range(3):
            get(sock)
            assert read_response(sock)[1] == b"hello"
    assert len(serving.sends) == 3  # Waitress alone: six (the head, then the body)


@pytest.mark.parametrize("serving", [big], indirect=True)
def test_a_response_larger_than_the_socket_buffer_reaches_a_slow_reader_whole(serving):
    with serving.connect() as sock:
        get(sock)
        time.sleep(0.5)  # the socket fills: the main loop takes over the sending
        assert read_response(sock)[1] == BIG
        get(sock)  # and the connection still serves the next request
        assert read_response(sock)[1] == BIG


@pytest.mark.parametrize("serving", [small], indirect=True)
def test_keep_alive_connections_in_parallel_all_get_their_answers(serving):
    def client(results):
        with serving.connect() as sock:
            for _ in range(200):
                get(sock)
                results.append(read_response(sock)[1])

    results = []
    threads = [threading.Thread(target=client, args=(results,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert results == [b"hello"] * 1600


@pytest.mark.parametrize("serving", [broken], indirect=True)
def test_an_app_failing_half_way_sends_what_it_wrote_then_closes(serving):
    with serving.connect() as sock:
        get(sock)
        data = b""
        while chunk := sock.recv(65_536):
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n")
    assert data.endswith(b"\r\n\r\npart-")
