"""`presskit serve`: a live preview on a loopback port that rebuilds, reloads and shows errors over the last good build."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import serving
from support.project import GOOD_RELEASE, make_project, tree_digest
from support.serving import fetch, wait_for

SLUG = "2024-01-15-good"


@pytest.fixture
def server(tmp_path: Path):
    project = make_project(tmp_path, {f"{SLUG}.yaml": GOOD_RELEASE})
    process, port, errors = serving.start(project)
    try:
        yield project, port, errors
    finally:
        serving.stop(process)


def test_serve_rebuilds_and_serves_the_changed_page(server):
    project, port, _errors = server
    page = fetch(port, f"/{SLUG}/")
    assert "<h1>A good release</h1>" in page
    assert "data-presskit-reload" in page  # the reload script is in the served page ...
    version = json.loads(fetch(port, "/__presskit__/status"))["version"]

    source = project / "releases" / f"{SLUG}.yaml"
    source.write_text(GOOD_RELEASE.replace("A good release", "An edited release"))
    wait_for(lambda: "<h1>An edited release</h1>" in fetch(port, f"/{SLUG}/"), "the edited page")
    assert json.loads(fetch(port, "/__presskit__/status"))["version"] > version
    assert "An edited release" in fetch(port, "/")

    out = tree_digest(project / "out")  # ... and never in the files
    assert out and not [name for name in out if b"presskit-reload" in (project / "out" / name).read_bytes()]
    assert not [name for name in out if b"__presskit__" in (project / "out" / name).read_bytes()]


def test_serve_shows_errors_and_keeps_the_last_good_build(server):
    project, port, errors = server
    before = tree_digest(project / "out")
    (project / "releases" / f"{SLUG}.yaml").write_text(GOOD_RELEASE.replace("date: 2024-01-15", "date: 2024-01-32"))
    expected = "releases/2024-01-15-good.yaml:2:7: error: date: '2024-01-32' is not a date that exists (day is out of range for month) [release.date]"
    status = wait_for(lambda: json.loads(fetch(port, "/__presskit__/status"))["errors"], "the error")
    assert status == [expected]
    page = fetch(port, f"/{SLUG}/")
    assert "<h1>A good release</h1>" in page  # the last good build ...
    assert 'id="presskit-errors"' in page and expected.replace("'", "&#x27;") in page  # ... with the error over it
    assert tree_digest(project / "out") == before
    wait_for(lambda: any(expected in line for line in errors), "the error in the terminal")

    (project / "releases" / f"{SLUG}.yaml").write_text(GOOD_RELEASE)
    wait_for(lambda: not json.loads(fetch(port, "/__presskit__/status"))["errors"], "the fix")
    assert 'id="presskit-errors"' not in fetch(port, f"/{SLUG}/")


def test_serve_answers_only_inside_the_newsroom(server):
    project, port, _errors = server
    (project / "secret.txt").write_text("not for the web")
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/../pyproject.toml", "/.out.builds/"):
        body = fetch(port, path)  # None: 404 (any other error status is raised)
        assert body is None or ("not for the web" not in body and "tool.presskit" not in body)
    css = fetch(port, "/newsroom.css")
    assert "presskit-reload" not in css


def test_a_port_in_use_is_an_error(tmp_path: Path):
    import socket

    project = make_project(tmp_path, {f"{SLUG}.yaml": GOOD_RELEASE})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "presskit", "serve", "--port", str(port)],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip() == f"presskit: cannot listen on 127.0.0.1:{port}: Address already in use"
    assert not (project / "out").exists()


def test_serve_watches_photos_kept_outside_the_releases_folder(tmp_path: Path):
    from PIL import Image

    project = make_project(
        tmp_path,
        {
            f"{SLUG}.yaml": GOOD_RELEASE
            + "photos:\n  - file: ../media/harbour.png\n    alt: A harbour\n    credit: Us\n"
        },
    )
    (project / "media").mkdir()
    Image.new("RGB", (30, 30), "blue").save(project / "media" / "harbour.png")
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "serve", "--port", "0", "--jobs", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", process.stdout.readline() + process.stdout.readline()).group(1))
        first = urllib.request.urlopen(f"http://127.0.0.1:{port}/{SLUG}/harbour-1.png", timeout=10).read()
        polls = iter(range(10**6))

        def changed() -> bool:
            if next(polls) % 15 == 0:  # (again every few seconds, in case the watcher was still starting)
                Image.new("RGB", (30, 30), "red").save(project / "media" / "harbour.png")
            return urllib.request.urlopen(f"http://127.0.0.1:{port}/{SLUG}/harbour-1.png", timeout=10).read() != first

        wait_for(changed, "the new photo")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_serve_stops_cleanly_on_a_signal_even_when_started_with_sigint_ignored(tmp_path: Path, stop):
    """A shell's background jobs, and some service managers, start programs with SIGINT ignored."""
    project = make_project(tmp_path, {f"{SLUG}.yaml": GOOD_RELEASE})
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", "serve", "--port", "0", "--jobs", "1"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        port = int(re.search(r"127\.0\.0\.1:(\d+)/", process.stdout.readline() + process.stdout.readline()).group(1))
        assert f"{SLUG}/" in fetch(port, "/")
    finally:
        process.send_signal(stop)
        try:
            assert process.wait(timeout=30) == 0
        finally:
            process.kill()
