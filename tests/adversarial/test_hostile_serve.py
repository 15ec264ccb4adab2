"""`presskit serve` against a hostile browser page and hostile requests: DNS rebinding (any Host header),
malformed and huge paths, links and special files placed in the served folder, other methods.

Every request is raw HTTP over a socket, so the test controls the Host header and the path's bytes.
The server listens on 127.0.0.1 only, is stopped by its PID (SIGTERM, then SIGKILL), and must never
print a traceback.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from http import HTTPStatus
from pathlib import Path

import pytest
from PIL import Image

from support.project import GOOD_RELEASE, make_project

SLUG = "2024-01-15-good"
RELEASE = GOOD_RELEASE + "photos:\n  - file: harbour.png\n    alt: A harbour\n    credit: Us\n"
PATHS = ("/", "/__presskit__/status", "/feed.xml", f"/{SLUG}/", "/no-such-file")


def request(
    port: int, target: bytes, *, method: bytes = b"GET", hosts: tuple[bytes, ...] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One raw HTTP/1.1 request; `hosts` are the Host header lines sent (default: the server's own address)."""
    if hosts is None:
        hosts = (f"127.0.0.1:{port}".encode(),)
    head = (
        method
        + b" "
        + target
        + b" HTTP/1.1\r\n"
        + b"".join(b"Host: " + h + b"\r\n" for h in hosts)
        + b"Connection: close\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(head)
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    header, _, body = data.partition(b"\r\n\r\n")
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A preview of a one-release project (with a photo): (project, port, the server's stderr file)."""
    folder = tmp_path_factory.mktemp("served")
    project = make_project(folder / "project", {f"{SLUG}.yaml": RELEASE})
    Image.new("RGB", (40, 30), "blue").save(project / "releases" / "harbour.png")
    (folder / "outside").mkdir()
    (folder / "outside" / "secret.txt").write_text("outside the newsroom")
    stderr = folder / "stderr.txt"
    with open(stderr, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "presskit", "serve", "--port", "0", "--jobs", "1", "--quiet"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        line = process.stdout.readline()
        match = re.fullmatch(r"presskit: serving http://127\.0\.0\.1:(\d+)/ \(Ctrl\+C to stop\)\n", line)
        assert match, (line, stderr.read_text())
        yield project, int(match.group(1)), stderr
    finally:
        os.kill(process.pid, signal.SIGTERM)
        try:
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()
        assert stderr.read_text() == ""  # never a traceback, nothing at all under --quiet


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.0.0.1:{port}", "localhost", "localhost:{port}", "LOCALHOST:{port}", "[::1]", "[::1]:{port}"],
)
def test_the_loopback_by_name_is_served(served, host):
    _project, port, _stderr = served
    for path in PATHS[:4]:
        status, headers, body = request(port, path.encode(), hosts=(host.format(port=port).encode(),))
        assert status == 200, path
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "hosts",
    [
        ("evil.example",),
        ("evil.example:{port}",),
        ("127.0.0.1.nip.io:{port}",),
        ("localhost.evil.example:{port}",),
        ("127.0.0.1:{other}",),
        ("localhost:{other}",),
        ("[::1]:{other}",),
        ("127.0.0.1:{port}@evil.example",),
        ("127.0.0.2:{port}",),
        ("",),
        (),
        ("127.0.0.1:{port}", "evil.example"),
    ],
    ids=lambda hosts: "+".join(h or "empty" for h in hosts) or "no-host",
)
def test_any_other_host_is_refused_for_every_path_and_method(served, hosts):
    """DNS rebinding: a page at evil.example whose name now points to 127.0.0.1 sends Host: evil.example."""
    _project, port, _stderr = served
    sent = tuple(h.format(port=port, other=port + 1 if port < 65535 else port - 1).encode() for h in hosts)
    for method in (b"GET", b"HEAD", b"POST", b"OPTIONS"):
        for path in PATHS:
            status, headers, body = request(port, path.encode(), method=method, hosts=sent)
            assert status == 421, (method, path)
            assert body == (b"" if method == b"HEAD" else b"421 Misdirected Request\n")
            assert headers["content-type"] == "text/plain; charset=utf-8"
            assert headers["x-content-type-options"] == "nosniff"


def test_malformed_and_huge_paths_are_answered_cleanly(served):
    _project, port, stderr = served
    cases = [
        (b"/%00", 400),
        (b"/a%00b/index.html", 400),
        (f"/{SLUG}/%00".encode(), 400),
        (b"/%0a", 400),
        (b"/%ff", 400),
        (b"/" + b"a" * 8000, 414),
        (b"/" + b"%E6%97%A5" * 1000, 414),
        (b"/" + b"a" * 300, 404),
        (b"*", 400),
        (b"http://evil.example/", 400),
    ]
    for target, expected in cases:
        status, headers, body = request(port, target)
        assert (status, body) == (expected, f"{expected} {HTTPStatus(expected).phrase}\n".encode()), target[:40]
        assert headers["x-content-type-options"] == "nosniff"
    assert request(port, b"/")[0] == 200  # still serving
    assert stderr.read_text() == ""


def test_only_regular_files_inside_the_build_are_served(served, tmp_path):
    project, port, stderr = served
    build = Path(os.path.realpath(project / "out"))
    outside = project.parent / "outside" / "secret.txt"
    (build / "rootdir").symlink_to("/")
    (build / "leak.txt").symlink_to(outside)
    (build / "leak-dir").symlink_to(outside.parent)
    (build / "relative-leak.txt").symlink_to(os.path.relpath(outside, build))
    (build / "null.txt").symlink_to("/dev/null")
    (build / "random.png").symlink_to("/dev/urandom")
    os.mkfifo(build / "pipe.txt")
    (build / "empty").mkdir()
    try:
        for path in (
            "/rootdir/etc/hostname",
            "/rootdir/etc/",
            "/leak.txt",
            "/leak-dir/secret.txt",
            "/relative-leak.txt",
            "/null.txt",
            "/random.png",
            "/pipe.txt",
            "/empty/",
            "/empty/index.html",
            "/.out.builds/",
            "/../outside/secret.txt",
            "/%2e%2e/outside/secret.txt",
            "/.%2e/outside/secret.txt",
            f"/{SLUG}/../../outside/secret.txt",
        ):
            started = time.monotonic()
            status, headers, body = request(port, path.encode())
            assert (status, body) == (404, b"404 Not Found\n"), path
            assert time.monotonic() - started < 10, path  # a FIFO is never waited on
        status, headers, body = request(port, f"/{SLUG}".encode())  # a folder without its slash: redirected, not listed
        assert (status, headers["location"]) == (301, f"/{SLUG}/")
        status, headers, _ = request(port, f"//evil.example/{SLUG}".encode())  # never an open redirect
        assert status == 404 and "location" not in headers
        assert request(port, b"/rootdir/etc/hostname", hosts=(b"localhost",))[0] == 404
    finally:
        for name in ("rootdir", "leak.txt", "leak-dir", "relative-leak.txt", "null.txt", "random.png", "pipe.txt"):
            (build / name).unlink()
        (build / "empty").rmdir()
    assert stderr.read_text() == ""


def test_only_get_and_head_with_the_right_content_types(served):
    project, port, stderr = served
    build = Path(os.path.realpath(project / "out"))
    (photo,) = [p.name for p in (build / SLUG).iterdir() if p.suffix == ".png"]
    (build / "stored.html").write_text("<script>alert(1)</script>")  # an .html file that is not a page
    (build / "stored.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    try:
        expected = {
            "/": "text/html; charset=utf-8",
            f"/{SLUG}/": "text/html; charset=utf-8",
            f"/{SLUG}/index.html": "text/html; charset=utf-8",
            "/newsroom.css": "text/css; charset=utf-8",
            "/feed.xml": "application/rss+xml; charset=utf-8",
            "/atom.xml": "application/atom+xml; charset=utf-8",
            "/en/feed.xml": "application/rss+xml; charset=utf-8",
            "/feed.json": "application/feed+json; charset=utf-8",
            "/sitemap.xml": "application/xml; charset=utf-8",
            "/robots.txt": "text/plain; charset=utf-8",
            f"/{SLUG}/{SLUG}.pdf": "application/pdf",
            f"/{SLUG}/{photo}": "image/png",
            f"/{SLUG}/{SLUG}.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "/__presskit__/status": "application/json",
            "/stored.html": "application/octet-stream",
            "/stored.svg": "application/octet-stream",
        }
        for path, kind in expected.items():
            status, headers, body = request(port, path.encode())
            assert (status, headers["content-type"], headers["x-content-type-options"]) == (200, kind, "nosniff"), path
            assert int(headers["content-length"]) == len(body)
            head_status, head_headers, head_body = request(port, path.encode(), method=b"HEAD")
            assert (head_status, head_body, head_headers["content-type"]) == (200, b"", kind), path
            if not kind.startswith("text/html"):  # pages carry the reload script, with the build's version
                assert head_headers["content-length"] == headers["content-length"]
        assert b"data-presskit-reload" not in request(port, b"/stored.html")[2]
        for method in (b"POST", b"PUT", b"DELETE", b"PATCH", b"OPTIONS", b"TRACE", b"CONNECT", b"PROPFIND"):
            status, headers, body = request(port, b"/", method=method)
            assert (status, headers["allow"], body) == (405, "GET, HEAD", b"405 Method Not Allowed\n"), method
            assert headers["x-content-type-options"] == "nosniff"
    finally:
        (build / "stored.html").unlink()
        (build / "stored.svg").unlink()
    assert stderr.read_text() == ""
