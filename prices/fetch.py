"""The only code in the prices app that touches the network.

One ``requests.Session`` per run, with (connect, read) timeouts on every request, urllib3
``Retry`` with exponential backoff for 429/5xx and connection errors (honouring
``Retry-After`` up to a limit), a real User-Agent, and a cap on the response size that is
enforced while reading, so a huge or endless answer cannot fill the memory.

The read timeout bounds the wait for *each* packet, not the whole answer: a server that drips
one byte a second never trips it. So every fetch also has a wall-clock deadline
(``PRICES_FETCH_DEADLINE``), kept by a ``threading.Timer`` that shuts the socket down when it
fires: the blocked read returns at once, whatever the transfer encoding (chunked,
Content-Length or connection-close), and the fetch fails saying so.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRY_STATUSES = (429, 500, 502, 503, 504)


class FetchError(Exception):
    """The page could not be fetched; the message says why, in a sentence."""


@dataclass(frozen=True)
class FetchConfig:
    connect_timeout: float
    read_timeout: float
    retries: int
    retry_after_max: float
    max_bytes: int
    user_agent: str
    #: Wall-clock limit for one fetch, connection to last byte, retries included.
    deadline: float = 65.0
    backoff_factor: float = 0.5

    @classmethod
    def from_settings(cls) -> FetchConfig:
        return cls(
            connect_timeout=settings.PRICES_CONNECT_TIMEOUT,
            read_timeout=settings.PRICES_READ_TIMEOUT,
            retries=settings.PRICES_RETRIES,
            retry_after_max=settings.PRICES_RETRY_AFTER_MAX,
            max_bytes=settings.PRICES_MAX_BYTES,
            user_agent=settings.PRICES_USER_AGENT,
            deadline=settings.PRICES_FETCH_DEADLINE,
        )


class _PoliteRetry(Retry):
    """Retry that honours Retry-After, but gives up when the server asks for a longer wait
    than we allow (a cron run every 5 minutes must not sleep for an hour)."""

    #: urllib3's own ``retry_after_max`` would silently shorten the wait the server asked
    #: for; we would rather give up and say so.
    give_up_after: float = 60

    def sleep_for_retry(self, response=None):
        retry_after = self.get_retry_after(response) if response is not None else None
        if retry_after is not None and retry_after > self.give_up_after:
            # Raising here ends the retries at once, and the message reaches the summary line.
            raise FetchError(
                f"the server asked to retry after {retry_after:.0f} s, more than the {self.give_up_after:.0f} s we wait"
            )
        return super().sleep_for_retry(response)

    def new(self, **kw):
        retry = super().new(**kw)
        retry.give_up_after = self.give_up_after
        return retry


def make_session(config: FetchConfig) -> requests.Session:
    retry = _PoliteRetry(
        total=config.retries,
        connect=config.retries,
        read=0,  # a server that hangs is not asked again: the timeout already cost us
        status=config.retries,
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=config.backoff_factor,
        backoff_max=10,
        respect_retry_after_header=True,
        retry_after_max=24 * 3600,  # see _PoliteRetry.give_up_after
        raise_on_status=False,
    )
    retry.give_up_after = config.retry_after_max
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": config.user_agent, "Accept-Language": "en-US,en;q=0.8"})
    return session


class _Deadline:
    """Shuts the response's socket down when the wall-clock limit passes.

    Closing from another thread is the only way to interrupt a read that is blocked in the
    kernel; a check between chunks would wait for the next chunk, which may take forever.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.fired = False
        self._response: requests.Response | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()

    def watch(self, response: requests.Response) -> None:
        with self._lock:
            self._response = response
            if self.fired:
                self._shut()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shut()

    def _shut(self) -> None:
        sock = _socket_of(self._response) if self._response is not None else None
        if sock is None:
            return
        try:
            # socket.socket's own shutdown, also for an SSLSocket: no TLS goodbye, just stop.
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass  # already closed: the read is over anyway


def _socket_of(response: requests.Response) -> socket.socket | None:
    raw = response.raw
    connection = getattr(raw, "_connection", None)
    sock = getattr(connection, "sock", None)
    if sock is None:
        fp = getattr(getattr(raw, "_fp", None), "fp", None)
        sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock


def fetch(session: requests.Session, url: str, config: FetchConfig, *, accept: str = "*/*") -> bytes:
    """GET ``url`` and return the body, or raise FetchError saying what went wrong."""
    with _Deadline(config.deadline) as deadline:
        try:
            return _get(session, url, config, accept=accept, deadline=deadline)
        except FetchError:
            # Whatever the shut socket looked like to requests, the reason is the deadline.
            if deadline.fired:
                raise _too_long(url, config) from None
            raise


def _too_long(url: str, config: FetchConfig) -> FetchError:
    return FetchError(f"{url} did not finish within the {config.deadline:g} s deadline (a slow body)")


def _get(session: requests.Session, url: str, config: FetchConfig, *, accept: str, deadline: _Deadline) -> bytes:
    try:
        with session.get(
            url,
            timeout=(config.connect_timeout, config.read_timeout),
            headers={"Accept": accept},
            stream=True,
            allow_redirects=True,
        ) as response:
            deadline.watch(response)
            if response.status_code >= 400:
                retried = f" after {config.retries} retries" if response.status_code in RETRY_STATUSES else ""
                raise FetchError(f"HTTP {response.status_code} from {url}{retried}")
            declared = response.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > config.max_bytes:
                raise FetchError(f"the response is {int(declared):,} bytes, over the {config.max_bytes:,}-byte cap")
            body = bytearray()
            for chunk in response.iter_content(chunk_size=64 * 1024):
                body += chunk
                if len(body) > config.max_bytes:
                    raise FetchError(f"the response exceeds the {config.max_bytes:,}-byte cap")
            if deadline.fired:
                raise _too_long(url, config)
            return bytes(body)
    except requests.exceptions.ConnectTimeout:
        raise FetchError(f"could not connect to {url} within {config.connect_timeout} s") from None
    except (requests.exceptions.ReadTimeout, requests.exceptions.ConnectionError) as exc:
        if isinstance(exc, requests.exceptions.ReadTimeout) or "Read timed out" in str(exc):
            raise FetchError(f"{url} sent nothing for {config.read_timeout} s (read timeout)") from None
        raise FetchError(f"could not connect to {url}: {_reason(exc)}") from None
    except requests.exceptions.RetryError as exc:
        raise FetchError(f"{url} kept failing after {config.retries} retries: {_reason(exc)}") from None
    except requests.exceptions.RequestException as exc:
        raise FetchError(f"fetching {url} failed: {_reason(exc)}") from None


def _reason(exc: Exception) -> str:
    inner = exc.args[0] if exc.args else exc
    reason = getattr(inner, "reason", None)
    return str(reason or inner)
