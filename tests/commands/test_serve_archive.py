"""`presskit serve` keeps the releases in memory: each change (edit, addition, deletion, rename, photo,
template) is served, and a rebuild reads again only the files the watcher saw change."""

from __future__ import annotations

import io
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from support import serving
from support.project import GOOD_RELEASE, make_project
from support.serving import fetch, wait_for

PHOTO = "photos:\n  - file: photos/harbour.png\n    alt: A harbour\n    credit: Us\n"


def release(title: str) -> str:
    return GOOD_RELEASE.replace("A good release", title)


@pytest.fixture
def serve():
    """Start `presskit serve` in a project; yields a function that starts it and returns the port."""
    processes = []

    def start(project: Path) -> int:
        process, port, _errors = serving.start(project)
        processes.append(process)
        return port

    yield start
    for process in processes:
        serving.stop(process)


def test_edits_additions_deletions_and_renames_are_served(tmp_path: Path, serve):
    project = make_project(tmp_path, {"alpha.yaml": release("Alpha"), "beta.yaml": release("Beta")})
    releases = project / "releases"
    port = serve(project)
    assert "<h1>Alpha</h1>" in fetch(port, "/alpha/") and "<h1>Beta</h1>" in fetch(port, "/beta/")

    (releases / "alpha.yaml").write_text(release("Alpha edited"))
    wait_for(lambda: "<h1>Alpha edited</h1>" in fetch(port, "/alpha/"), "the edited release")

    (releases / "gamma.yaml").write_text(release("Gamma"))
    wait_for(lambda: "<h1>Gamma</h1>" in (fetch(port, "/gamma/") or ""), "the added release")
    assert "gamma/" in fetch(port, "/")

    (releases / "beta.yaml").unlink()
    wait_for(lambda: fetch(port, "/beta/") is None, "the deleted release gone")
    assert "beta/" not in fetch(port, "/") and "<h1>Gamma</h1>" in fetch(port, "/gamma/")

    (releases / "gamma.yaml").rename(releases / "delta.yaml")  # mv gamma.yaml delta.yaml
    wait_for(lambda: fetch(port, "/gamma/") is None and fetch(port, "/delta/") is not None, "the renamed release")
    assert "<h1>Gamma</h1>" in fetch(port, "/delta/")

    # An editor's save: a temporary file written, then renamed over the release.
    (releases / ".alpha.yaml.swap").write_text(release("Alpha saved by rename"))
    os.replace(releases / ".alpha.yaml.swap", releases / "alpha.yaml")
    wait_for(lambda: "<h1>Alpha saved by rename</h1>" in fetch(port, "/alpha/"), "the release saved by rename")
    index = fetch(port, "/")
    assert [name for name in ("alpha/", "beta/", "gamma/", "delta/") if name in index] == ["alpha/", "delta/"]


def test_a_replaced_photo_and_a_template_change_are_served(tmp_path: Path, serve):
    from PIL import Image

    project = make_project(tmp_path, {"alpha.yaml": release("Alpha") + PHOTO, "beta.yaml": release("Beta")})
    (project / "releases" / "photos").mkdir()
    Image.new("RGB", (30, 30), "blue").save(project / "releases" / "photos" / "harbour.png")
    (project / "templates").mkdir()
    port = serve(project)
    photo = f"http://127.0.0.1:{port}/alpha/harbour-1.png"
    first = urllib.request.urlopen(photo, timeout=10).read()

    Image.new("RGB", (30, 30), "red").save(project / "releases" / "photos" / ".harbour.png.new", format="PNG")
    os.replace(project / "releases" / "photos" / ".harbour.png.new", project / "releases" / "photos" / "harbour.png")
    wait_for(lambda: urllib.request.urlopen(photo, timeout=10).read() != first, "the replaced photo")
    with Image.open(io.BytesIO(urllib.request.urlopen(photo, timeout=10).read())) as served:
        assert served.convert("RGB").getpixel((0, 0)) == (255, 0, 0)

    theme = Path(__file__).resolve().parents[2] / "src" / "presskit" / "theme" / "templates" / "release.html.j2"
    template = theme.read_text(encoding="utf-8")
    assert template.count('<article class="release">') == 1
    (project / "templates" / "release.html.j2").write_text(
        template.replace('<article class="release">', '<article class="release" data-test="overridden">')
    )
    wait_for(lambda: 'data-test="overridden"' in fetch(port, "/beta/"), "the changed template")
    assert 'data-test="overridden"' in fetch(port, "/alpha/")


def test_a_rebuild_reads_only_the_files_that_changed(tmp_path: Path, serve):
    """A release file that is a link to a file the watcher does not watch: its change is not seen (an edit of
    another release does not read it again) until a template change makes serve read everything."""
    project = make_project(tmp_path, {"alpha.yaml": release("Alpha")})
    (project / "drafts").mkdir()
    (project / "drafts" / "linked.yaml").write_text(release("Linked first"))
    (project / "releases" / "linked.yaml").symlink_to("../drafts/linked.yaml")
    (project / "templates").mkdir()
    port = serve(project)
    assert "<h1>Linked first</h1>" in fetch(port, "/linked/")

    (project / "drafts" / "linked.yaml").write_text(release("Linked second"))  # not watched: not seen
    (project / "releases" / "alpha.yaml").write_text(release("Alpha edited"))
    wait_for(lambda: "<h1>Alpha edited</h1>" in fetch(port, "/alpha/"), "the edited release")
    assert "<h1>Linked first</h1>" in fetch(port, "/linked/")  # not read again: a full read would have

    (project / "templates" / "base.html.j2").write_text(
        (Path(__file__).resolve().parents[2] / "src" / "presskit" / "theme" / "templates" / "base.html.j2").read_text()
    )
    wait_for(lambda: "<h1>Linked second</h1>" in fetch(port, "/linked/"), "everything read again")
    assert "<h1>Alpha edited</h1>" in fetch(port, "/alpha/")
