"""The preview's web server: the current build over HTTP, each page with the reload script and the last errors.

The reload script (it polls a status address) and the error overlay are added to HTML responses as
they are served; the files in out/ never contain them.

Only requests addressed to the loopback by name are answered (DNS rebinding), only GET and HEAD, and only
regular files inside the current build, each with the Content-Type of what presskit writes there.
"""

from __future__ import annotations

import html
import json
import os
import stat
import sys
import threading
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote, unquote

from presskit.build.staging import RELEASE_PREFIX
from presskit.site import sections

STATUS_PATH = "/__presskit__/status"
RELOAD_SCRIPT = """<script data-presskit-reload>
(function () {
  var version = %d;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== version) { location.reload(); } else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
</script>
"""
OVERLAY = (
    '<div id="presskit-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
    "margin:0;padding:1em 1.5em;background:#fff4f4;color:#700;border-top:4px solid #b00020;font:14px/1.5 monospace;"
    'z-index:2147483647;white-space:pre-wrap"><strong>presskit: the last build failed; this is the last good build.</strong>\n{}</div>\n'
)
EMPTY_PAGE = '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>presskit</title></head><body></body></html>\n'


class Preview:
    """What the server shows: the output folder, the build version the pages know, and the last errors."""

    def __init__(self, out: Path):
        self.out = out
        self.version = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def update(self, errors: list[str], changed: bool) -> None:
        with self.lock:
            if changed or errors != self.errors:
                self.version += 1
            self.errors = errors

    def status(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.version, list(self.errors)

    def decorate(self, page: bytes) -> bytes:
        """A served HTML page: the reload script, and the errors over the page when the last build failed."""
        version, errors = self.status()
        extra = RELOAD_SCRIPT % (version, STATUS_PATH)
        if errors:
            extra = OVERLAY.format(html.escape("\n".join(errors))) + extra
        text = page.decode("utf-8", errors="replace")
        at = text.lower().rfind("</body>")
        text = text + extra if at < 0 else text[:at] + extra + text[at:]
        return text.encode("utf-8")


# What the preview serves each file presskit writes as; anything else is served as bytes. Only pages
# (index.html) are HTML: a file that merely ends in .html is never given a type a browser would run.
CONTENT_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".zip": "application/zip",  # the press kits
}
HTML_TYPE = "text/html; charset=utf-8"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")
MAX_TARGET = 4096  # characters of a request's path: longer is 414 (the longest path presskit writes is far shorter)


def content_type(name: str) -> str:
    """The Content-Type of a file of the build, from its name."""
    if name == "index.html":
        return HTML_TYPE
    if name in sections.FEED_TYPES:
        return sections.FEED_TYPES[name] + "; charset=utf-8"
    return CONTENT_TYPES.get(os.path.splitext(name)[1].lower(), "application/octet-stream")


def host_allowed(values: list[str], port: int) -> bool:
    """True for exactly one Host header naming this machine's loopback (and, when it has one, this port).

    Any other name is refused: a web page that rebinds its own name to 127.0.0.1 sends that name.
    """
    if len(values) != 1:
        return False
    value = values[0].strip().lower()
    return any(value in (host, f"{host}:{port}") for host in LOCAL_HOSTS)


class _Refused(Exception):
    """A request answered with an error status (and a one-line plain-text body)."""

    def __init__(self, status: HTTPStatus, headers: tuple[tuple[str, str], ...] = ()):
        super().__init__(status)
        self.status = status
        self.headers = headers


class _Handler(BaseHTTPRequestHandler):
    """Serves the current build folder (followed through the out link at each request): GET and HEAD of its
    regular files only, to requests addressed to the loopback by name."""

    preview: Preview
    timeout = 60  # seconds a client may take to send its request
    error_content_type = "text/plain; charset=utf-8"
    error_message_format = "%(code)d %(message)s\n"

    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        super().__init__(*args, **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        super().end_headers()

    def version_string(self) -> str:
        return "presskit"

    def log_message(self, format, *args) -> None:
        pass

    def parse_request(self) -> bool:
        """The request line and headers, then the Host check and the method, before any path is looked at."""
        if not super().parse_request():
            return False
        try:
            if not host_allowed(self.headers.get_all("Host") or [], self.server.server_address[1]):
                raise _Refused(HTTPStatus.MISDIRECTED_REQUEST)
            if self.command not in ("GET", "HEAD"):
                raise _Refused(HTTPStatus.METHOD_NOT_ALLOWED, (("Allow", "GET, HEAD"),))
        except _Refused as refused:
            self._refuse(refused)
            return False
        return True

    def do_GET(self) -> None:
        try:
            status, body, kind, headers = self._answer()
        except _Refused as refused:
            return self._refuse(refused)
        except OSError:  # the file went away between the look and the read (a rebuild), or cannot be read
            return self._refuse(_Refused(HTTPStatus.NOT_FOUND))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET

    def _answer(self) -> tuple[HTTPStatus, bytes, str, tuple[tuple[str, str], ...]]:
        target = self.path
        if len(target) > MAX_TARGET:
            raise _Refused(HTTPStatus.REQUEST_URI_TOO_LONG)
        if not target.startswith("/"):
            raise _Refused(HTTPStatus.BAD_REQUEST)
        path = target.split("?", 1)[0].split("#", 1)[0]
        if path == STATUS_PATH:
            version, errors = self.preview.status()
            return HTTPStatus.OK, json.dumps({"version": version, "errors": errors}).encode(), "application/json", ()
        try:
            decoded = unquote(path, errors="strict")
        except UnicodeDecodeError:
            raise _Refused(HTTPStatus.BAD_REQUEST) from None
        if any(ord(c) < 32 or c == "\x7f" for c in decoded):
            raise _Refused(HTTPStatus.BAD_REQUEST)
        parts = decoded[1:].split("/")
        folder_asked = parts[-1] == ""
        if folder_asked:
            parts = parts[:-1]
        if any(part == "" or part.startswith(".") or len(part.encode()) > 255 for part in parts):
            raise _Refused(HTTPStatus.NOT_FOUND)  # '..', hidden files, '//'
        root = os.path.realpath(self.preview.out)
        if not os.path.isdir(root):  # no good build yet: show the errors on an empty page
            if folder_asked or parts[-1:] == ["index.html"]:
                return HTTPStatus.OK, self.preview.decorate(EMPTY_PAGE.encode()), HTML_TYPE, ()
            raise _Refused(HTTPStatus.NOT_FOUND)
        local = _inside(root, os.path.join(root, *parts))
        if os.path.isdir(local) and not folder_asked:
            location = "/" + "/".join(quote(part) for part in parts) + "/"
            return HTTPStatus.MOVED_PERMANENTLY, b"", "text/plain; charset=utf-8", (("Location", location),)
        if folder_asked:
            local = _inside(root, os.path.join(local, "index.html"))
        body = _read_regular_file(local)
        kind = content_type(os.path.basename(local))
        if kind == HTML_TYPE:
            body = self.preview.decorate(body)
        return HTTPStatus.OK, body, kind, ()

    def _refuse(self, refused: _Refused) -> None:
        self.close_connection = True
        body = f"{refused.status.value} {refused.status.phrase}\n".encode()
        self.send_response(refused.status)
        for name, value in refused.headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def _inside(root: str, path: str) -> str:
    """The path with every link resolved, when it stays inside the build or in one of the store's release
    folders the build links to (`<slug> -> ../release-*`); 404 when a link leads anywhere else."""
    resolved = os.path.realpath(path)
    if resolved == root or resolved.startswith(root + os.sep):
        return resolved
    store = os.path.dirname(root)
    if resolved.startswith(store + os.sep):
        release = resolved[len(store) + 1 :].split(os.sep, 1)[0]
        if release.startswith(RELEASE_PREFIX):
            return resolved
    raise _Refused(HTTPStatus.NOT_FOUND)


def _read_regular_file(path: str) -> bytes:
    """A regular file's bytes; a FIFO, a device, a folder or a link is 404 (never waited on: O_NONBLOCK)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        raise _Refused(HTTPStatus.NOT_FOUND) from None
    with os.fdopen(fd, "rb") as file:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Refused(HTTPStatus.NOT_FOUND)
        return file.read()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A request that failed in an unforeseen way: one line, never a traceback (a closed connection: nothing)."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return
        print(f"presskit: serve: could not answer a request ({type(exc).__name__}: {exc})", file=sys.stderr)


def listen(port: int, preview: Preview) -> ThreadingHTTPServer:
    """A server bound to 127.0.0.1:port (0: any free port) that answers with the preview; OSError when it cannot."""
    return _Server(("127.0.0.1", port), partial(_Handler, preview=preview))
