"""The URL allow-list: only web, mail and phone addresses ever reach an output."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")
# An e-mail address (the one grammar of presskit: contact e-mails and mailto: links): a dot-atom local part
# (letters and digits of any script, and the few signs a mailto: link carries as they are) at a domain of
# two or more labels.
_ATOM = r"[\w!$'*+~-]+"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"
_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")


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
    if not scheme:
        raise UrlError(f"'{url}' is a relative address; links must be absolute, with http, https, mailto or tel")
    if scheme not in ALLOWED_SCHEMES:
        raise UrlError(f"'{scheme}:' links are not allowed ('{url}'); use http, https, mailto or tel")
    if scheme in ("http", "https") and not parts.netloc:
        raise UrlError(f"'{url}' has no host name")
    if scheme == "mailto" and not all(is_address(address) for address in unquote(parts.path).split(",")):
        raise UrlError(f"'{url}' is not a valid e-mail link")
    return stripped


def is_address(text: str) -> bool:
    """True for one e-mail address (local@domain.example), nothing around it."""
    local, _, domain = text.rpartition("@")
    return (
        bool(_ADDRESS.fullmatch(text))
        and len(local) <= 64
        and len(text) <= 254
        and not domain.rsplit(".", 1)[-1].isdigit()
    )


def is_allowed(url: str) -> bool:
    """True when check() would accept the URL."""
    try:
        check(url)
    except UrlError:
        return False
    return True


# RFC 3986's reserved and unreserved characters: an IRI becomes a URI by escaping everything else
# (non-ASCII letters as their UTF-8 bytes, RFC 3987 section 3.1); '%' keeps escapes already there.
_URI_SAFE = "!#$&'()*+,/:;=?@[]~-._%"
# A path presskit made (a slug, a tag slug, a file name) is text, never escapes: '%', '?' and '#' too are escaped.
_PATH_SAFE = "!$&'()*+,/;=@~-._"


def uri(url: str) -> str:
    """The URL (a URI, ASCII only) for an IRI: 'https://x.example/tags/食品/' -> 'https://x.example/tags/%E9%A3%9F%E5%93%81/'.

    A non-ASCII host name is written in IDNA ('xn--...'); ASCII URLs come back unchanged.
    """
    if url.isascii():
        return url
    parts = urlsplit(url)
    netloc = parts.netloc
    if not netloc.isascii():
        userinfo, at, hostport = netloc.rpartition("@")
        host, colon, port = hostport.rpartition(":") if hostport.rpartition(":")[2].isdigit() else (hostport, "", "")
        try:
            host = host.encode("idna").decode("ascii")
        except UnicodeError:
            host = quote(host, safe="")
        netloc = quote(userinfo, safe=_URI_SAFE) + at + host + colon + port
    return urlunsplit((parts.scheme, netloc, *(quote(part, safe=_URI_SAFE) for part in parts[2:])))


def absolute(base_url: str, path: str) -> str:
    """The absolute URL, escaped as URLs must be in feeds, sitemaps and link elements, of a path inside the site.

    `path` is as written in the output folder ('tags/食品/', 'slug/photo.jpg'); every absolute URL presskit
    writes is made here. Readers show the readable form with urllib.parse.unquote.
    """
    base = uri(base_url if base_url.endswith("/") else base_url + "/")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, parts.path + quote(path.lstrip("/"), safe=_PATH_SAFE), "", ""))
