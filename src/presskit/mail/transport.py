"""Sending over SMTP (smtplib): STARTTLS or TLS verified against the system trust store, AUTH, rate, retries."""

from __future__ import annotations

import smtplib
import ssl
import time
from dataclasses import dataclass

from presskit.mail.settings import MailSettings

TRIES = 3
BACKOFF = 0.5  # seconds before the second try; doubled before the third


class TransportError(Exception):
    """The server cannot be reached or refuses the login: nothing can be sent."""


@dataclass(frozen=True)
class Outcome:
    """What the server said about one message: accepted, or refused (for good, or after every try)."""

    accepted: bool
    reply: str


class Transport:
    """One SMTP connection, opened on first use and again after it is lost."""

    def __init__(self, settings: MailSettings, password: str):
        self.settings, self._password = settings, password
        self.smtp: smtplib.SMTP | None = None
        self._last = 0.0

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        context = ssl.create_default_context()
        try:
            if s.security == "tls":
                smtp = smtplib.SMTP_SSL(s.host, s.port, timeout=60, context=context)
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=60)
                if s.security == "starttls":
                    smtp.starttls(context=context)
            if s.username:
                smtp.login(s.username, self._password)
        except smtplib.SMTPAuthenticationError as exc:
            raise TransportError(f"the server refused the login: {exc.smtp_code} {_text(exc.smtp_error)}") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportError(f"cannot connect to {s.host}:{s.port}: {exc}") from None
        return smtp

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self.smtp = None

    def _wait_for_rate(self) -> None:
        gap = 1.0 / self.settings.rate - (time.monotonic() - self._last)
        if gap > 0:
            time.sleep(gap)
        self._last = time.monotonic()

    def send(self, sender: str, recipient: str, data: bytes) -> Outcome:
        """Send one message: 4xx and lost connections are tried again (3 tries, back-off), 5xx are final."""
        reply = ""
        for attempt in range(TRIES):
            if attempt:
                time.sleep(BACKOFF * 2 ** (attempt - 1))
            self._wait_for_rate()
            try:
                if self.smtp is None:
                    self.smtp = self._connect()
                self.smtp.sendmail(sender, [recipient], data)
                return Outcome(True, "250 accepted")
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = exc.recipients[recipient]
                reply = f"{code} {_text(text)}"
                if code >= 500:
                    return Outcome(False, reply)
            except smtplib.SMTPResponseException as exc:
                reply = f"{exc.smtp_code} {_text(exc.smtp_error)}"
                if exc.smtp_code >= 500:
                    self._reset()
                    return Outcome(False, reply)
                self._reset()
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                reply = f"connection lost: {exc}"
                self.smtp = None
        return Outcome(False, f"{reply} (after {TRIES} tries)")

    def _reset(self) -> None:
        try:
            if self.smtp is not None:
                self.smtp.rset()
        except (OSError, smtplib.SMTPException):
            self.smtp = None


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
