"""A real SMTP server in the test process (aiosmtpd), plain or with STARTTLS (a throwaway CA
from trustme), that records what it receives and can refuse or drop the connection."""

from __future__ import annotations

import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import trustme
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Recorder:
    """The handler: keeps every message; ``refuse`` answers RCPT with that reply; ``drop``
    closes the connection when the message's data has arrived, before answering."""

    received: list[EmailMessage] = field(default_factory=list)
    recipients: list[list[str]] = field(default_factory=list)  # each message's RCPT TO
    refuse: str | None = None
    drop: bool = False

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.drop:
            server.transport.close()
            return "421 gone"
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.recipients.append(list(envelope.rcpt_tos))
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 Message accepted for delivery"


@dataclass
class SmtpServer:
    recorder: Recorder
    port: int
    controller: Controller | None = None

    @property
    def received(self) -> list[EmailMessage]:
        return self.recorder.received

    def config(self) -> dict:
        return {"MAIL_SERVER": "127.0.0.1", "MAIL_PORT": self.port, "MAIL_TIMEOUT": 5}

    def start(self, **kwargs) -> None:
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp() -> SmtpServer:
    """A plain SMTP server on a free port (started)."""
    server = SmtpServer(Recorder(), free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_down() -> SmtpServer:
    """A port where nothing listens yet; ``start()`` brings the server up."""
    server = SmtpServer(Recorder(), free_port())
    yield server
    server.stop()


@pytest.fixture
def tls_smtp(tmp_path) -> SmtpServer:
    """An SMTP server that requires STARTTLS with a certificate from a throwaway CA; its
    config names the CA file, as a municipality with its own CA would."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = SmtpServer(Recorder(), free_port())
    server.start(tls_context=context, require_starttls=True)
    server.ca_file = str(ca_file)  # type: ignore[attr-defined]
    yield server
    server.stop()
