"""WebSub: `websub_hub` names the hub in every feed (still valid for the W3C validator), and `build --ping` tells a
real hub on 127.0.0.1 exactly which feeds changed; a hub that fails is a warning, never a failed build."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote

import pytest
from lxml import etree

from presskit import config
from presskit.commands import websub
from presskit.diagnostics import Reporter
from presskit.site import sections

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit
from support.w3cfeed import validate

BASE = "https://news.example.org/"
ATOM = "http://www.w3.org/2005/Atom"


class Hub:
    """A WebSub hub on 127.0.0.1 that records every request and answers with `status` (and `location`)."""

    def __init__(self):
        self.requests: list[tuple[str, str, str, dict]] = []  # method, path, Content-Type, form fields
        self.status = 204
        self.location = ""
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("ascii")
                fields = parse_qs(body, keep_blank_values=True)
                hub.requests.append((self.command, self.path, self.headers.get("Content-Type"), fields))
                self.send_response(hub.status)
                if hub.location:
                    self.send_header("Location", hub.location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hub"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def pinged(self) -> list[str]:
        """The feed URLs notified since the last call, in order; every request must be a proper publish ping."""
        found = []
        for method, path, kind, fields in self.requests:
            assert (method, path, kind) == ("POST", "/hub", "application/x-www-form-urlencoded")
            assert fields.keys() == {"hub.mode", "hub.url"} and fields["hub.mode"] == ["publish"]
            (url,) = fields["hub.url"]
            found.append(url)
        self.requests.clear()
        return found

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def hub():
    running = Hub()
    yield running
    running.stop()


def release(day: int, lang: str, tags: str, body: str = "First paragraph of the body.") -> str:
    return (
        GOOD_RELEASE.replace("2024-01-15", f"2024-01-{day:02d}")
        .replace("A good release", f"Release {day}")
        .replace("First paragraph of the body.", body)
        + f"lang: {lang}\ntags: [{tags}]\n"
    )


def feeds_of(*folders: str) -> set[str]:
    return {BASE + quote(folder) + name for folder in folders for name in sections.FEED_TYPES}


def build(project: Path, *options: str):
    return run_presskit("build", "-q", *options, cwd=project)


def test_ping_names_exactly_the_feeds_that_changed(tmp_path: Path, hub: Hub):
    releases = {
        "2024-01-10-a.yaml": release(10, "en", "energy"),
        "2024-01-11-b.yaml": release(11, "fr", "culture"),
        "2024-01-12-c.yaml": release(12, "en", "culture"),
    }
    project = make_project(tmp_path, releases, MINIMAL_CONFIG + f'websub_hub = "{hub.url}"\n')
    out = project / "out"
    every = feeds_of("", "en/", "fr/", "tags/culture/", "tags/energy/")

    result = build(project, "--ping")  # the first build: every feed is new
    assert (result.returncode, result.stderr) == (0, "")
    pinged = hub.pinged()
    assert sorted(pinged) == sorted(every) and len(pinged) == 15
    assert {BASE + p.relative_to(out).as_posix() for p in out.rglob("*") if sections.is_feed(p.name)} == every

    result = build(project, "--ping")  # nothing changed: no ping
    assert (result.returncode, result.stderr, hub.pinged()) == (0, "", [])

    (project / "releases" / "2024-01-10-a.yaml").write_text(release(10, "en", "energy", "Edited body."))
    result = build(project, "--ping")  # one release edited: the feeds that carry it
    assert (result.returncode, result.stderr) == (0, "")
    assert sorted(hub.pinged()) == sorted(feeds_of("", "en/", "tags/energy/"))

    (project / "releases" / "2024-01-11-b.yaml").write_text(release(11, "fr", "culture", "Corps modifié."))
    assert build(project).returncode == 0  # without --ping: no ping
    assert hub.pinged() == []

    hub.status = 500  # a failing hub: a warning per feed, the build published all the same
    (project / "releases" / "2024-01-12-c.yaml").write_text(release(12, "en", "culture", "Third edit."))
    result = build(project, "--ping")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    changed = sorted(feeds_of("", "en/", "tags/culture/"))
    assert sorted(hub.pinged()) == changed
    assert sorted(result.stderr.splitlines()) == [
        f"presskit: warning: the hub {hub.url} answered 500 Internal Server Error for {url}." for url in changed
    ]
    assert "Third edit." in json.loads((out / "feed.json").read_bytes())["items"][0]["content_html"]

    hub.stop()  # nobody listens any more: one warning, no traceback, out/ published
    (project / "releases" / "2024-01-10-a.yaml").write_text(release(10, "en", "energy", "Fourth edit."))
    result = build(project, "--ping")
    assert result.returncode == 0
    assert result.stderr == (
        f"presskit: warning: cannot reach the hub {hub.url} (Connection refused); 9 feed(s) not notified.\n"
    )
    items = json.loads((out / "tags" / "energy" / "feed.json").read_bytes())["items"]
    assert "Fourth edit." in items[0]["content_html"]


def test_a_failed_build_pings_nothing_and_ping_without_a_hub_is_a_warning(tmp_path: Path, hub: Hub):
    broken = GOOD_RELEASE + "titel: typo\n"
    project = make_project(tmp_path, {"2024-01-15-bad.yaml": broken}, MINIMAL_CONFIG + f'websub_hub = "{hub.url}"\n')
    result = build(project, "--ping")
    assert result.returncode == 1 and "[release.unknown-field]" in result.stderr
    assert "warning" not in result.stderr and hub.pinged() == []
    assert not (project / "out").exists()
    (project / "pyproject.toml").write_text(MINIMAL_CONFIG)  # no hub, and the release fixed
    (project / "releases" / "2024-01-15-bad.yaml").write_text(GOOD_RELEASE)
    result = build(project, "--ping")
    assert result.returncode == 0 and (project / "out" / "feed.json").is_file()
    assert result.stderr == (
        "presskit: warning: --ping, but no websub_hub is set in [tool.presskit]; no hub was notified.\n"
    )
    assert hub.pinged() == []


def test_every_feed_names_the_hub_and_stays_valid(tmp_path: Path):
    hub = "https://hub.example.net/websub"
    releases = {"2024-01-10-a.yaml": release(10, "en", "energy"), "2024-01-11-b.yaml": release(11, "fr", "énergie")}
    project = make_project(tmp_path, releases, MINIMAL_CONFIG + f'websub_hub = "{hub}"\n')
    assert build(project).returncode == 0
    out = project / "out"
    feeds = sorted(p for p in out.rglob("*") if sections.is_feed(p.name))
    assert len(feeds) == 15
    for path in feeds:
        location = BASE + quote(path.relative_to(out).as_posix())
        if path.name == sections.JSON:
            data = json.loads(path.read_bytes())
            assert data["hubs"] == [{"type": "WebSub", "url": hub}] and data["feed_url"] == location
            continue
        root = etree.parse(str(path)).getroot()
        scope = root.find("channel") if root.tag == "rss" else root
        links = scope.findall(f"{{{ATOM}}}link")
        assert [(link.get("rel"), link.get("href")) for link in links][:2] == [("self", location), ("hub", hub)]
        assert [link.get("href") for link in links if link.get("rel") == "hub"] == [hub]
        report = validate(path.read_bytes(), location)
        assert (report.errors, report.warnings) == ([], []), path


@pytest.mark.parametrize(
    "value",
    [
        "file:///etc/passwd",
        "mailto:press@example.org",
        "ftp://hub.example.org/",
        "hub.example.org",
        "javascript:x",
        "https://user:secret@hub.example.org/",
    ],
)
def test_the_hub_must_be_an_http_address(tmp_path: Path, value: str):
    (tmp_path / "pyproject.toml").write_text(MINIMAL_CONFIG + f'websub_hub = "{value}"\n')
    reporter = Reporter(tmp_path)
    assert config.load(tmp_path, reporter).websub_hub == ""
    (error,) = [str(d).removeprefix(str(tmp_path) + "/") for d in reporter.errors]
    assert error.startswith("pyproject.toml:5:1: error: websub_hub: ") and error.endswith("[config.url]")
    assert reporter.warnings == []


def test_a_hub_address_is_kept_as_written(tmp_path: Path):
    (tmp_path / "pyproject.toml").write_text(MINIMAL_CONFIG + 'websub_hub = "https://hub.example.org/publish"\n')
    reporter = Reporter(tmp_path)
    assert config.load(tmp_path, reporter).websub_hub == "https://hub.example.org/publish"
    assert reporter.items == []


def test_a_redirect_is_not_followed(hub: Hub):
    hub.status, hub.location = 302, "file:///etc/passwd"
    feed = BASE + "feed.xml"
    assert websub.ping(hub.url, [feed]) == [f"the hub {hub.url} answered 302 Found for {feed}"]
    hub.status, hub.location = 307, hub.url.replace("/hub", "/elsewhere")
    assert websub.ping(hub.url, [feed]) == [f"the hub {hub.url} answered 307 Temporary Redirect for {feed}"]
    assert hub.pinged() == [feed, feed]  # one request each, none to the redirect's target


def test_a_hub_that_does_not_answer_is_given_up_after_the_timeout():
    with socket.socket() as silent:  # accepts connections (the kernel does) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/hub"
        warnings = websub.ping(url, [BASE + "feed.xml", BASE + "atom.xml"], timeout=0.5)
    assert warnings == [f"cannot reach the hub {url} (no answer within 0.5 s); 2 feed(s) not notified"]
