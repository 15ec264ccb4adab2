"""The URL allow-list: only web, mail and phone addresses ever reach an output."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
_EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


class UrlError(ValueError):
    """A URL presskit refuses to publish."""


def check(url: str) -> str:
    """Return the URL if its scheme is allowed and it is well formed; raise UrlError otherwise."""
    stripped = url.strip()
    if any(c.isspace() or ord(c) < 32 for c in stripped):
        raise UrlError(f"'{url}' contains spaces or control characters")
    try:
        parts = urlsplit(stripped)
    except ValueError as exc:
        raise UrlError(f"'{url}' is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"'{scheme}:'" if scheme else "a relative address"
        raise UrlError(f"{shown} links are not allowed ('{url}'); use http, https, mailto or tel")
    if scheme in ("http", "https") and not parts.netloc:
        raise UrlError(f"'{url}' has no host name")
    if scheme == "mailto" and not _EMAIL.match(parts.path):
        raise UrlError(f"'{url}' is not a valid e-mail link")
    return stripped


def is_allowed(url: str) -> bool:
    """True when check() would accept the URL."""
    try:
        check(url)
    except UrlError:
        return False
    return True


def check_email(address: str) -> str:
    """Return an e-mail address if it looks like one; raise UrlError otherwise."""
    if not _EMAIL.match(address.strip()):
        raise UrlError(f"'{address}' is not an e-mail address")
    return address.strip()


def tel(number: str) -> str:
    """A tel: URL from a phone number as written ('04 67 22 86 46' -> 'tel:0467228646')."""
    return "tel:" + re.sub(r"[^\d+]", "", number)


def absolute(base_url: str, path: str) -> str:
    """An absolute URL for a path inside the site."""
    return urljoin(base_url if base_url.endswith("/") else base_url + "/", path.lstrip("/"))
