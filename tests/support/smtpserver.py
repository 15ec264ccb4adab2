"""A real SMTP server on 127.0.0.1 for the send tests: aiosmtpd with STARTTLS (a self-signed certificate made
here), AUTH LOGIN/PLAIN, answers chosen per recipient, and every accepted message kept."""

from __future__ import annotations

import base64
import datetime as dt
import ipaddress
import socket
import ssl
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.policy import default
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

USER, PASSWORD = "press", "s3cret-Pa55-never-in-files"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """cert.pem and key.pem for 127.0.0.1; SSL_CERT_FILE=cert.pem makes the client trust it."""
    key = rsa_key()
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


def dkim_keys(folder: Path) -> tuple[Path, bytes]:
    """A DKIM private key file, and the DNS TXT record that publishes its public key."""
    key = rsa_key()
    path = folder / "dkim.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
        )
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return path, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


@dataclass
class Handler:
    """Keeps every message; `refuse` addresses get 550, `once` addresses 451 the first time."""

    refuse: set[str] = field(default_factory=set)
    once: set[str] = field(default_factory=set)
    received: list[tuple[str, bytes]] = field(default_factory=list)  # (recipient, raw message)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 user unknown"
        if address in self.once:
            self.once.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, envelope.content))
        return "250 OK"

    def messages(self):
        with self.lock:
            return [(rcpt, message_from_bytes(raw, policy=default), raw) for rcpt, raw in self.received]

    def count(self) -> int:
        with self.lock:
            return len(self.received)


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == USER.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok)


class Server:
    """The server, started in a thread on 127.0.0.1 and stopped at the end of the `with` block."""

    def __init__(self, folder: Path, handler: Handler | None = None):
        self.cert, key = self_signed(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.handler = handler or Handler()
        self.port = free_port()
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=_authenticate,
            auth_require_tls=True,
            ready_timeout=10,
        )

    def __enter__(self) -> Server:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    def env(self) -> dict[str, str]:
        return {"SSL_CERT_FILE": str(self.cert), "PRESS_PASSWORD": PASSWORD}

    def mail_table(self, **extra: str) -> str:
        lines = [
            "[tool.presskit.mail]",
            'from = "Service presse <presse@example.org>"',
            'host = "127.0.0.1"',
            f"port = {self.port}",
            f'username = "{USER}"',
            'password_env = "PRESS_PASSWORD"',
            "rate = 200",
            'unsubscribe = "https://news.example.org/unsubscribe"',
            *(f"{key} = {value}" for key, value in extra.items()),
        ]
        return "\n".join(lines) + "\n"
