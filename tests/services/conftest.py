"""A real SMTP server (aiosmtpd, on a free local port) that records what it is sent.

Its handler counts SMTP sessions (one EHLO/HELO per connection a client
actually talks SMTP on; the controller's own start-up probe says nothing)
and can be told to misbehave: refuse some recipients, answer a command with
a temporary failure, or hang up after a number of messages.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from tests._verify_support import make_credential, ours  # noqa: F401 - fixtures


@dataclass
class Received:
    session: object  # aiosmtpd's Session: one per connection
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def to(self) -> str:
        return self.message["To"]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def body(self) -> str:
        text = self.message.get_body(preferencelist=("plain",)).get_content()
        return text.replace("\r\n", "\n")  # as sent, not as on the wire


class SmtpRecorder:
    """aiosmtpd handler; its hooks run on the controller's thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sessions: list[object] = []  # kept, so identities stay unique
        self.received: list[Received] = []
        self.quits = 0
        # Misbehaviour, set by a test:
        self.rcpt_replies: dict[str, str] = {}  # address -> reply to its RCPT
        self.data_replies: dict[str, str] = {}  # address -> reply to the DATA of its message
        self.fail_after: int | None = None  # accept this many messages in total, then...
        self.fail_at = "DATA"  # ...fail at this command ("MAIL", "RCPT" or "DATA")...
        self.fail_how = "421 4.3.2 Service shutting down"  # ...with this reply, or "hangup"
        self.quit_reply: str | None = None

    # ----------------------------------------------------------------- helpers
    @property
    def session_count(self) -> int:
        return len(self.sessions)

    def to(self) -> list[str]:
        return [r.to for r in self.received]

    def _failing(self, command: str) -> bool:
        return (self.fail_after is not None and command == self.fail_at
                and len(self.received) >= self.fail_after)

    def _fail(self, server) -> str:
        if self.fail_how == "hangup":
            server.transport.abort()  # no reply at all: the connection just drops
            return "250 never seen"
        return self.fail_how

    # ------------------------------------------------------------------- hooks
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        with self.lock:
            self.sessions.append(session)
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        with self.lock:
            self.sessions.append(session)
        return f"250 {server.hostname}"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self._failing("MAIL"):
            return self._fail(server)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self._failing("RCPT"):
            return self._fail(server)
        reply = self.rcpt_replies.get(address)
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self._failing("DATA"):
            return self._fail(server)
        for address in envelope.rcpt_tos:
            if address in self.data_replies:
                return self.data_replies[address]
        message = message_from_bytes(envelope.original_content or envelope.content,
                                     policy=policy.default)
        with self.lock:
            self.received.append(Received(session, envelope.mail_from,
                                          list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    async def handle_QUIT(self, server, session, envelope):
        self.quits += 1
        return self.quit_reply or "221 Bye"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[SmtpRecorder, int]]:
    """``(recorder, port)`` of a real SMTP server on 127.0.0.1, stopped afterwards."""
    recorder = SmtpRecorder()
    for attempt in range(5):  # the free port may be taken between probe and bind
        port = _free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        try:
            controller.start()
            break
        except Exception:
            if attempt == 4:
                raise
    try:
        yield recorder, port
    finally:
        controller.stop()
