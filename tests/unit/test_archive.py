"""The releases kept in memory (sources/archive.py): after each change it is told of, the archive gives what a
full read of every file gives, having read again only the files that changed (and the store updated for them)."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from PIL import Image

from presskit import config as project_config
from presskit.diagnostics import Reporter
from presskit.sources import load as loader
from presskit.sources import state as state_store
from presskit.sources.archive import Archive

from support.project import GOOD_RELEASE, make_project

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
PHOTO = "photos:\n  - file: photos/harbour.png\n    alt: A harbour\n    credit: Us\n"


def release(title: str) -> str:
    return GOOD_RELEASE.replace("A good release", title)


def snapshot(sources: list[loader.Source], reporter: Reporter) -> tuple[list, list[str]]:
    return [(s.path, s.slug, s.digest, s.release.title) for s in sources], sorted(str(d) for d in reporter.items)


def full_read(project: Path) -> tuple[list, list[str]]:
    reporter = Reporter(project)
    config = project_config.load(project, reporter)
    return snapshot(loader.load(config, reporter, NOW, cache=False), reporter)


def archive_read(archive: Archive, project: Path, *changed: Path) -> tuple[list, list[str]]:
    archive.changed([str(path) for path in changed])
    reporter = Reporter(project)
    config = project_config.load(project, reporter)
    return snapshot(archive.load(config, reporter, NOW), reporter)


def stored(project: Path) -> dict[str, str]:
    connection = sqlite3.connect(project / state_store.STATE_FILE)
    try:
        return dict(connection.execute("SELECT name, digest FROM releases"))
    finally:
        connection.close()


def test_each_change_gives_what_a_full_read_gives(tmp_path: Path):
    project = make_project(tmp_path, {"alpha.yaml": release("Alpha"), "beta.yaml": release("Beta") + PHOTO})
    releases = project / "releases"
    (releases / "photos").mkdir()
    Image.new("RGB", (20, 20), "blue").save(releases / "photos" / "harbour.png")
    archive = Archive()
    assert archive_read(archive, project) == full_read(project)

    steps = [
        ("edit", lambda: (releases / "alpha.yaml").write_text(release("Alpha edited")), ["alpha.yaml"]),
        ("add", lambda: (releases / "gamma.yaml").write_text(release("Gamma")), ["gamma.yaml"]),
        ("break", lambda: (releases / "gamma.yaml").write_text("title: [unclosed\n"), ["gamma.yaml"]),
        ("fix", lambda: (releases / "gamma.yaml").write_text(release("Gamma fixed")), ["gamma.yaml"]),
        ("same slug", lambda: (releases / "Alpha.yaml").write_text(release("Other alpha")), ["Alpha.yaml"]),
        ("no longer", lambda: (releases / "Alpha.yaml").unlink(), ["Alpha.yaml"]),
        ("rename", lambda: (releases / "gamma.yaml").rename(releases / "delta.yaml"), ["gamma.yaml", "delta.yaml"]),
        (
            "photo",
            lambda: Image.new("RGB", (20, 20), "red").save(releases / "photos" / "harbour.png"),
            ["photos/harbour.png"],
        ),
        ("photo gone", lambda: (releases / "photos" / "harbour.png").unlink(), ["photos/harbour.png"]),
        (
            "photo back",
            lambda: Image.new("RGB", (20, 20), "green").save(releases / "photos" / "harbour.png"),
            ["photos/harbour.png"],
        ),
        ("delete", lambda: (releases / "alpha.yaml").unlink(), ["alpha.yaml"]),
    ]
    for what, change, paths in steps:
        change()
        expected = full_read(project)
        assert archive_read(archive, project, *(releases / p for p in paths)) == expected, what
    assert [entry[1] for entry in expected[0]] == ["beta", "delta"]
    assert sorted(stored(project)) == ["releases/beta.yaml", "releases/delta.yaml"]


def test_only_the_files_named_are_read_again_and_recorded(tmp_path: Path):
    project = make_project(tmp_path, {"alpha.yaml": release("Alpha"), "beta.yaml": release("Beta")})
    releases = project / "releases"
    archive = Archive()
    archive_read(archive, project)
    rows = stored(project)

    (releases / "beta.yaml").write_text(release("Beta changed unseen"))  # the archive is not told
    (releases / "alpha.yaml").write_text(release("Alpha edited"))
    titles = [entry[3] for entry in archive_read(archive, project, releases / "alpha.yaml")[0]]
    assert titles == ["Alpha edited", "Beta"]
    after = stored(project)
    assert after["releases/beta.yaml"] == rows["releases/beta.yaml"]  # not read: its row as it was
    assert after["releases/alpha.yaml"] != rows["releases/alpha.yaml"]

    # An editor's temporary file in the releases folder: nothing depends on it, nothing else is read.
    (releases / ".alpha.yaml.swp~").write_text("x")
    (releases / ".alpha.yaml.swp~").unlink()
    titles = [entry[3] for entry in archive_read(archive, project, releases / ".alpha.yaml.swp~")[0]]
    assert titles == ["Alpha edited", "Beta"]

    # The configuration, or a path the archive cannot place: every file is read again.
    for path in (project / "pyproject.toml", project / "elsewhere" / "notes.txt"):
        (releases / "beta.yaml").write_text(release(f"Beta seen after {path.name}"))
        os.utime(project / "pyproject.toml")
        titles = [entry[3] for entry in archive_read(archive, project, path)[0]]
        assert titles == ["Alpha edited", f"Beta seen after {path.name}"]
    assert archive_read(archive, project) == full_read(project)
