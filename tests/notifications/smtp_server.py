"""A real SMTP server on loopback (aiosmtpd) for tests: start, stop and restart it on the same port."""
import socket

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Inbox:
    """The aiosmtpd handler: keeps every envelope that arrives; refuses the addresses in `refused`."""

    def __init__(self):
        self.envelopes = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Credentials:
    """An aiosmtpd authenticator accepting one user name and password."""

    def __init__(self, username: str, password: str):
        self.expected = (username.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == self.expected
        return AuthResult(success=ok)


class LoopbackSMTP:
    def __init__(self, credentials: tuple[str, str] | None = None):
        self.port = free_port()
        self.inbox = Inbox()
        self.credentials = credentials
        self._controller = None

    def start(self):
        auth = {"authenticator": Credentials(*self.credentials), "auth_required": True,
                "auth_require_tls": False} if self.credentials else {}  # loopback only: no TLS in tests
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **auth)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def configure(self, app) -> None:
        app.config.update(MAIL_BACKEND="smtp", SMTP_HOST="127.0.0.1", SMTP_PORT=self.port, SMTP_TIMEOUT=3,
                          SMTP_STARTTLS=False, SMTP_SSL=False, SMTP_USERNAME=None)
