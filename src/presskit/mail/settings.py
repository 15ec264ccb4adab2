"""The [tool.presskit.mail] table read into MailSettings; the password only ever comes from the environment."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import getaddresses
from pathlib import Path
from typing import Any

from presskit.config import CONFIG_FILE
from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.text import urls

SECURITY = ("starttls", "tls", "none")
KEYS = (
    "from",
    "reply_to",
    "host",
    "port",
    "security",
    "username",
    "password_env",
    "rate",
    "attach_pdf",
    "dkim_selector",
    "dkim_key",
    "unsubscribe",
)


@dataclass(frozen=True)
class MailSettings:
    """How messages are addressed, signed and sent."""

    sender: Address | None = None
    reply_to: str = ""
    host: str = "localhost"
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = ""
    rate: float = 5.0
    attach_pdf: bool = True
    dkim_selector: str = ""
    dkim_key: Path | None = None
    unsubscribe: str = ""

    @property
    def domain(self) -> str:
        return self.sender.domain if self.sender else "localhost"

    def password(self, environ: dict[str, str]) -> str:
        """The password, from the environment variable named by password_env ("" without one)."""
        return environ.get(self.password_env, "") if self.password_env else ""


class _Reading:
    def __init__(self, config: Config, reporter: Reporter):
        self.path = config.root / CONFIG_FILE
        try:
            self.text = self.path.read_text(encoding="utf-8")
        except OSError:
            self.text = ""
        self.reporter = reporter

    def error(self, key: str, message: str) -> None:
        """At the key's line inside [tool.presskit.mail] (tomllib keeps no positions)."""
        lines = self.text.splitlines()
        start = next((n for n, line in enumerate(lines) if re.match(r"\s*\[tool\.presskit\.mail\]", line)), 0)
        line = next(
            (n + 1 for n in range(start, len(lines)) if re.match(rf"\s*{re.escape(key)}\s*=", lines[n])), start + 1
        )
        self.reporter.error(self.path, line, 1, f"[tool.presskit.mail] {key}: {message}", "mail.config")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read(config: Config, reporter: Reporter) -> MailSettings:
    """The mail settings; each problem is an error at its key, and the default stands in."""
    table: dict[str, Any] = config.mail
    reading = _Reading(config, reporter)
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key == "password":
            reading.error(key, "passwords never live in files: name an environment variable with password_env")
            continue
        if key not in KEYS:
            reading.error(key, f"unknown mail setting '{key}'")
            continue
        try:
            values[key] = _value(key, value, config)
        except ValueError as exc:
            reading.error(key, str(exc))
    if values.get("security") == "none" and not _is_loopback(values.get("host", "localhost")):
        reading.error("security", "'none' (no encryption) is allowed only for localhost or a loopback address")
        values.pop("security")
    if "from" in values:
        values["sender"] = values.pop("from")
    return MailSettings(**values)


def _value(key: str, value: Any, config: Config) -> Any:
    if key in ("port",):
        if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
            return value
        raise ValueError("must be a port number from 1 to 65535")
    if key == "rate":
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
            return float(value)
        raise ValueError("must be a number of messages per second above 0")
    if key == "attach_pdf":
        if isinstance(value, bool):
            return value
        raise ValueError("must be true or false")
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    value = value.strip()
    if key == "from":
        return _address(value)
    if key == "reply_to":
        _address(value)
        return value
    if key == "security":
        if value.lower() not in SECURITY:
            raise ValueError(f"unknown security '{value}'; use one of 'starttls', 'tls', 'none'")
        return value.lower()
    if key == "dkim_key":
        path = (config.root / value).resolve()
        if not path.is_file():
            raise ValueError(f"'{value}' is not a file")
        return path
    if key == "unsubscribe":
        if value.startswith("mailto:"):
            _address(value.removeprefix("mailto:").split("?", 1)[0])
        elif value.startswith("https://"):
            urls.check(value)
        else:
            raise ValueError("must be a mailto: address or an https:// URL")
        return value
    return value


def _address(value: str) -> Address:
    parsed = getaddresses([value])
    if len(parsed) != 1 or "@" not in parsed[0][1] or any(c in value for c in "\r\n"):
        raise ValueError(f"'{value}' is not one e-mail address such as \"Press office <press@example.org>\"")
    name, address = parsed[0]
    local, _, domain = address.rpartition("@")
    if not local or "." not in domain:
        raise ValueError(f"'{value}' is not one e-mail address such as \"Press office <press@example.org>\"")
    return Address(display_name=name, username=local, domain=domain)
