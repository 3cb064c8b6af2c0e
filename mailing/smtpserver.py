"""A real SMTP server on loopback (aiosmtpd in a thread): the development sink, the test
server and the benchmark's receiver.

It can be told how to answer (``script``: replies for the next messages, e.g. ``["451 4.3.0
Try later"]``, or ``DROP`` to hang up instead of answering; ``refuse``: a permanent reply per
recipient address), counts connections, and keeps what it accepted in memory and, if given a
directory, in a maildir.
"""

from __future__ import annotations

import asyncio
import email
import email.policy
import logging
import mailbox
import socket
import threading
from collections import deque
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP

DROP = "DROP"
#: Prefix of a scripted reply that waits before answering 250 (a reply slower than the
#: client's timeout): ``delay(2.5)``.
DELAY = "DELAY "
#: Take the message but answer only once ``handler.release`` is set (a stuck server, or a
#: client that dies while waiting for the reply).
HOLD = "HOLD"


def delay(seconds: float) -> str:
    return f"{DELAY}{seconds}"


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


class Handler:
    def __init__(self, *, maildir: Path | None = None, keep: bool = True) -> None:
        self.lock = threading.Lock()
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.script: deque[str] = deque()
        self.refuse: dict[str, str] = {}
        # Refused once (e.g. greylisting "451"), accepted on the next try.
        self.refuse_once: dict[str, str] = {}
        self.keep = keep
        self.accepted = 0
        self.maildir = mailbox.Maildir(maildir, create=True) if maildir else None
        self.held = threading.Event()
        self.release = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        reply = self.refuse.get(address.lower())
        if reply:
            return reply
        with self.lock:
            reply = self.refuse_once.pop(address.lower(), None)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.script.popleft() if self.script else "250 2.0.0 Message accepted"
        if reply == HOLD:
            self.held.set()
            while not self.release.is_set():
                await asyncio.sleep(0.02)
            reply = "250 2.0.0 Accepted after a long wait"
        if reply.startswith(DELAY):
            await asyncio.sleep(float(reply[len(DELAY) :]))
            reply = "250 2.0.0 Accepted after a delay"
        if reply == DROP:
            server.transport.close()
            return "421 closing"  # never reaches the client: the connection is already gone
        if reply.startswith("250"):
            with self.lock:
                self.accepted += 1
                if self.keep:
                    self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
                    self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
                if self.maildir is not None:
                    self.maildir.add(envelope.content)
        return reply


class CountingSMTP(SMTP):
    def connection_made(self, transport):
        counter = getattr(self.event_handler, "connections", None)
        if counter is not None:
            with self.event_handler.lock:
                self.event_handler.connections += 1
        super().connection_made(transport)


class SMTPServer:
    """Start/stop a loopback SMTP server on a fixed port (so it can "come back" on the same one)."""

    def __init__(self, *, host: str = "127.0.0.1", port: int | None = None, **handler_options) -> None:
        self.host = host
        self.port = port or free_port(host)
        self.handler = Handler(**handler_options)
        self.handler.connections = 0
        self.controller: Controller | None = None

    def start(self) -> SMTPServer:
        # aiosmtpd logs every SMTP command at INFO: at thousands of messages that is most of
        # the work, and none of it is news.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        handler = self.handler

        class _Controller(Controller):
            def factory(self):
                return CountingSMTP(handler, **self.SMTP_kwargs)

        self.controller = _Controller(handler, hostname=self.host, port=self.port)
        self.controller.start()
        # Controller.start() connects once itself to check the server is up; don't count that.
        with handler.lock:
            handler.connections = 0
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    # Conveniences for tests.
    @property
    def messages(self):
        return self.handler.messages

    @property
    def connections(self) -> int:
        return self.handler.connections

    def wait_for(self, accepted: int, timeout: float = 30) -> bool:
        """Wait until the server has accepted ``accepted`` messages (a delayed reply lands late)."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.handler.lock:
                if self.handler.accepted >= accepted:
                    return True
            time.sleep(0.02)
        return False

    def recipients(self) -> list[str]:
        return [rcpt for _, rcpts in self.handler.envelopes for rcpt in rcpts]
