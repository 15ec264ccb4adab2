"""`presskit build --ping`: tell the WebSub hub which feeds a build changed, once the newsroom is published.

One POST per feed (`hub.mode=publish`, `hub.url=<feed URL>`), form-encoded. A hub that fails is worth a
warning, never a failed build: the newsroom is already published. Only http and https are spoken and no
redirect is followed (urllib would turn the POST into a GET, or follow it to another scheme), so a hub can
only ever be the address the configuration names.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from urllib.parse import urlencode, urlsplit

from presskit.build.pipeline import BuildResult
from presskit.text import urls

TIMEOUT = 5.0  # seconds to connect and for each answer: a hub that does not answer is given up quickly


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse every redirect: the 3xx comes back as an HTTPError, reported like any other answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def after_build(result: BuildResult) -> list[str]:
    """Notify the hub of the feeds a build changed, if it published a newsroom; return the warnings."""
    if not result.hub:
        return ["--ping, but no websub_hub is set in [tool.presskit]; no hub was notified"] if result.ok else []
    if not result.newsroom_changed or not result.changed_feeds:
        return []
    return ping(result.hub, result.changed_feeds)


def ping(hub: str, feeds: list[str], timeout: float = TIMEOUT) -> list[str]:
    """Notify `hub` of each feed URL; return the warnings (empty when the hub accepted every notification).

    A hub that cannot be reached is not tried again for the other feeds of the build.
    """
    name = _shown(hub)
    if urlsplit(hub).scheme.lower() not in ("http", "https") or not urls.is_allowed(hub):
        return [f"websub_hub {name} is not an http or https address; no hub was notified"]
    warnings = []
    for index, feed in enumerate(feeds):
        body = urlencode({"hub.mode": "publish", "hub.url": feed}).encode("ascii")
        request = urllib.request.Request(
            urls.uri(hub),
            data=body,
            method="POST",
            headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": "presskit"},
        )
        try:
            with _OPENER.open(request, timeout=timeout) as answer:
                answer.read(65536)
        except urllib.error.HTTPError as exc:
            warnings.append(f"the hub {name} answered {exc.code} {_phrase(exc.code)} for {feed}")
            exc.close()
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
            left = len(feeds) - index
            warnings.append(f"cannot reach the hub {name} ({_reason(exc, timeout)}); {left} feed(s) not notified")
            break
    return warnings


def _shown(hub: str) -> str:
    """The hub as a warning names it: scheme, host and path, never a user name or password in the URL."""
    try:
        parts = urlsplit(hub)
        host = parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(invalid address)"
    return _printable(f"{parts.scheme}://{host}{port}{parts.path}")


def _phrase(code: int) -> str:
    """The standard phrase of a status (never the server's own text, which could hold anything)."""
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


def _reason(exc: Exception, timeout: float) -> str:
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.timeout | TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, OSError) and reason.strerror:
        return _printable(reason.strerror)
    return _printable(str(reason) or type(reason).__name__)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in text)[:200]
