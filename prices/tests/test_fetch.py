"""fetch.py against a real HTTP server on loopback: timeouts, retries, Retry-After, size cap."""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.wrappers import Response

from prices.fetch import FetchConfig, FetchError, fetch, make_session


def hits(httpserver, path: str) -> int:
    """Requests the server answered for ``path`` (a late answer from an earlier test doesn't count)."""
    return sum(1 for request, _ in httpserver.log if request.path == path)


@pytest.fixture
def config():
    return FetchConfig.from_settings()


@pytest.fixture
def session(config):
    with make_session(config) as session:
        yield session


def test_it_returns_the_body_and_sends_a_real_user_agent(httpserver, session, config, settings):
    httpserver.expect_request("/page", headers={"User-Agent": settings.PRICES_USER_AGENT}).respond_with_data("hello")
    assert fetch(session, httpserver.url_for("/page"), config) == b"hello"


def test_a_server_that_hangs_times_out_with_a_clear_error(httpserver, session, config):
    released = threading.Event()

    def hang(request):
        released.wait(timeout=10)
        return Response("too late")

    httpserver.expect_request("/slow").respond_with_handler(hang)
    try:
        with pytest.raises(FetchError, match="read timeout"):
            fetch(session, httpserver.url_for("/slow"), config)
    finally:
        released.set()  # let the server's thread go, so the next test finds it free
    deadline = time.monotonic() + 10
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.01)  # wait for the late answer, so it lands in this test's log
    assert hits(httpserver, "/slow") == 1  # a read timeout is not retried: it already cost us


def test_a_500_is_retried_until_the_server_answers(httpserver, session, config):
    httpserver.expect_ordered_request("/flaky").respond_with_data("oops", status=500)
    httpserver.expect_ordered_request("/flaky").respond_with_data("fine")
    assert fetch(session, httpserver.url_for("/flaky"), config) == b"fine"
    assert hits(httpserver, "/flaky") == 2


def test_a_429_with_retry_after_is_waited_for_and_retried(httpserver, session, config):
    httpserver.expect_ordered_request("/limited").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/limited").respond_with_data("fine")
    assert fetch(session, httpserver.url_for("/limited"), config) == b"fine"
    assert hits(httpserver, "/limited") == 2


def test_a_retry_after_longer_than_we_wait_fails_at_once(httpserver, session, config):
    httpserver.expect_request("/limited").respond_with_data(
        "come back later", status=429, headers={"Retry-After": "3600"}
    )
    with pytest.raises(FetchError, match="retry after 3600 s"):
        fetch(session, httpserver.url_for("/limited"), config)
    assert hits(httpserver, "/limited") == 1


def test_a_server_that_keeps_failing_is_reported_after_the_retries(httpserver, session, config):
    httpserver.expect_request("/down").respond_with_data("down", status=503)
    with pytest.raises(FetchError, match=f"HTTP 503 .* after {config.retries} retries"):
        fetch(session, httpserver.url_for("/down"), config)
    assert hits(httpserver, "/down") == config.retries + 1


def test_a_404_is_not_retried(httpserver, session, config):
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch(session, httpserver.url_for("/gone"), config)
    assert hits(httpserver, "/gone") == 1


def test_a_response_over_the_size_cap_is_refused(httpserver, session, config):
    from dataclasses import replace

    small = replace(config, max_bytes=1024)
    httpserver.expect_request("/big").respond_with_data(b"x" * 5000)
    with pytest.raises(FetchError, match="1,024-byte cap"):
        fetch(session, httpserver.url_for("/big"), small)


def test_a_streamed_response_over_the_size_cap_is_cut_off(httpserver, session, config):
    from dataclasses import replace

    small = replace(config, max_bytes=1024)

    def endless(request):
        return Response((b"x" * 512 for _ in range(100)), direct_passthrough=True)

    httpserver.expect_request("/stream").respond_with_handler(endless)
    with pytest.raises(FetchError, match="exceeds the 1,024-byte cap"):
        fetch(session, httpserver.url_for("/stream"), small)


def test_a_refused_connection_is_reported(session, config):
    with pytest.raises(FetchError, match="could not connect"):
        fetch(session, "http://127.0.0.1:9/", config)


class DripServer:
    """A real HTTP server on loopback that sends its headers at once, then the body one byte a
    second: chunked, with a Content-Length, or until it closes the connection. It records whether
    the client hung up before the whole body was sent."""

    def __init__(self, framing: str, size: int = 60) -> None:
        import socket

        self.framing, self.size = framing, size
        self.hung_up = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}/drip"
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.listener.accept()
        with conn:
            conn.recv(65536)
            head = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
            if self.framing == "chunked":
                head += "Transfer-Encoding: chunked\r\n"
            elif self.framing == "length":
                head += f"Content-Length: {self.size}\r\n"
            else:
                head += "Connection: close\r\n"
            try:
                conn.sendall((head + "\r\n").encode())
                for _ in range(self.size):
                    time.sleep(1)
                    conn.sendall(b"1\r\nx\r\n" if self.framing == "chunked" else b"x")
            except OSError:
                self.hung_up.set()  # the client closed its end: the deadline worked
                return

    def close(self) -> None:
        self.listener.close()


@pytest.mark.parametrize("framing", ["chunked", "length", "close"])
def test_a_body_dripping_one_byte_a_second_is_cut_off_at_the_deadline(framing, config):
    """The read timeout (here 5 s) never fires: a byte arrives every second. The deadline does."""
    from dataclasses import replace

    patient = replace(config, read_timeout=5, deadline=2.5)
    server = DripServer(framing)
    try:
        with make_session(patient) as session, pytest.raises(FetchError, match="2.5 s deadline"):
            fetch(session, server.url, patient)
        # The server notices the hang-up on its next byte, long before its 60 bytes are sent.
        assert server.hung_up.wait(timeout=10)
    finally:
        server.close()


def test_a_fast_answer_is_not_touched_by_the_deadline(httpserver, config):
    from dataclasses import replace

    quick = replace(config, deadline=30)
    httpserver.expect_request("/quick").respond_with_data("fine")
    with make_session(quick) as session:
        assert fetch(session, httpserver.url_for("/quick"), quick) == b"fine"
