"""Waitress' HTTP channel, without its main-loop spin while a task thread answers.

Since Waitress 2.1 (Pylons/waitress#364) the task thread sends what the app writes itself,
on each ``write_soon``: the status line and headers in one send(), the body in another. Yet
while that task runs, the channel tells the main loop it is writable whenever the outbuf is
not empty, i.e. between the task's append and its send. select() then returns at once,
``handle_write`` finds the outbuf locked by the task and does nothing, and the loop goes
round again, holding the GIL the task threads need to finish. With two or more keep-alive
connections every response races that loop: counted on a raw callable, about 14 select()
calls and 16 idle ``handle_write`` per request at two connections, two select() calls at one
(``benchmarks/keepalive.py`` has the throughput and latency figures).

Here the loop leaves the socket to the task thread until the socket refuses part of what
the task wrote; then, as in Waitress, the loop sends the rest when the socket drains. And
the task hands Waitress one buffer (headers and body) per response up to
``COALESCE_BYTES``, one send() instead of two."""

from __future__ import annotations

from waitress.channel import ClientDisconnected, HTTPChannel
from waitress.task import ErrorTask, WSGITask

COALESCE_BYTES = 65_536  # bytes of a response kept by the task thread, then sent at once


class OneSendTask:
    """Task mixin: what the task wrote and the channel held goes out when the task ends,
    however it ends (a failing app's partial response still reaches the client)."""

    def service(self):
        try:
            super().service()
        finally:
            self.channel.send_held()


class OneSendWSGITask(OneSendTask, WSGITask):
    pass


class OneSendErrorTask(OneSendTask, ErrorTask):
    pass


class KeepAliveChannel(HTTPChannel):
    task_class = OneSendWSGITask
    error_task_class = OneSendErrorTask
    held = b""  # bytes the running task wrote, not yet given to Waitress (task thread only)
    loop_sends = True  # the main loop sends pending output (False while a task sends its own)

    def service(self):
        # A previous response the socket has not taken yet stays the main loop's to send.
        self.loop_sends = bool(self.total_outbufs_len)
        super().service()

    def writable(self):
        if self.requests and not (self.loop_sends or self.will_close
                                  or self.close_when_flushed):
            return False  # the task thread sends; it pulls the trigger if it cannot
        return super().writable()

    def write_soon(self, data):
        """Task thread: hold small writes; give Waitress the held bytes at once."""
        if isinstance(data, bytes) and len(self.held) + len(data) <= COALESCE_BYTES:
            if not self.connected:
                raise ClientDisconnected
            self.held += data
            return len(data)
        self.send_held()
        return self._write_now(data)

    def send_held(self):
        held, self.held = self.held, b""
        if held:
            self._write_now(held)

    def _write_now(self, data):
        written = super().write_soon(data)
        if self.total_outbufs_len and not self.loop_sends:
            # The socket took only part: from now on the loop sends (as in Waitress), and
            # its trigger is pulled after the flag is set, so it sees the channel writable.
            self.loop_sends = True
            self.server.pull_trigger()
        return written
