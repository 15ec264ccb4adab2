"""Change detection by metadata: a release file edited behind presskit's back (its size and modification time put
back as they were) is still read again, because its change time or inode differs; a file only touched is not."""

from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

import pytest

from presskit.sources import state as state_store

from support.project import GOOD_RELEASE, make_project, run_presskit

NOW = "2026-01-01T00:00:00+00:00"
SLUG = "2024-01-15-one"
NAME = f"releases/{SLUG}.yaml"
SAME_SIZE = GOOD_RELEASE.replace("A good release", "A fine release")  # as long as the first title


def rows(project: Path) -> dict[str, tuple]:
    """name: (trusted, size, mtime_ns, inode, ctime_ns) of every row of the state."""
    connection = sqlite3.connect(project / state_store.STATE_FILE)
    try:
        found = connection.execute("SELECT name, trusted, size, mtime_ns, ino, ctime_ns FROM releases").fetchall()
    finally:
        connection.close()
    return {name: tuple(values) for name, *values in found}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project whose release is recorded in the state as fully trusted (not changed within the clock tick)."""
    assert len(SAME_SIZE) == len(GOOD_RELEASE)
    folder = make_project(tmp_path / "project", {f"{SLUG}.yaml": GOOD_RELEASE})
    for _attempt in range(20):
        time.sleep(0.05)  # older than the run's clock: its row is trusted as it is
        result = run_presskit("build", "--now", NOW, cwd=folder)
        assert result.returncode == 0, result.stderr
        if rows(folder)[NAME][0] == state_store.ALL:
            return folder
    raise AssertionError("the release's row never became trusted")


def built(result) -> list[str]:
    """The releases a verbose build says it rendered (plain lines: the output is not a terminal)."""
    return sorted(re.findall(r"^\[\d+/\d+\] rendered (\S+)$", result.stderr, re.MULTILINE))


def rendered(project: Path) -> tuple[list[str], str]:
    result = run_presskit("build", "--verbose", "--now", NOW, cwd=project)
    assert result.returncode == 0, result.stderr
    return built(result), (project / "out" / SLUG / "index.html").read_text(encoding="utf-8")


def edit_behind_the_back(path: Path, text: str, *, new_inode: bool) -> None:
    """Write `text` (the same size), then put the old modification and access times back, as `touch -d` would."""
    before = path.stat()
    if new_inode:  # as editors save: a new file renamed over the old one
        temporary = path.with_name(".new")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)
    else:
        path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert (after.st_ino != before.st_ino) == new_inode


@pytest.mark.parametrize("new_inode", [False, True], ids=["same-inode-new-ctime", "new-inode"])
def test_an_edit_with_the_old_size_and_mtime_is_detected(project: Path, new_inode: bool):
    edit_behind_the_back(project / "releases" / f"{SLUG}.yaml", SAME_SIZE, new_inode=new_inode)
    slugs, page = rendered(project)
    assert slugs == [SLUG]
    assert "A fine release" in page and "A good release" not in page
    check = run_presskit("check", "--now", NOW, cwd=project)
    assert check.returncode == 0, check.stderr
    verify = run_presskit("build", "--verify", "--now", NOW, cwd=project)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_a_file_only_touched_is_hashed_not_rendered_and_its_new_stat_recorded(project: Path):
    path = project / "releases" / f"{SLUG}.yaml"
    before = rows(project)[NAME]
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns - 10**9))
    slugs, page = rendered(project)
    assert slugs == [] and "A good release" in page
    after = rows(project)[NAME]
    assert after[2] == path.stat().st_mtime_ns != before[2]


def test_force_reads_and_renders_everything(project: Path):
    """--force is the remedy for a change that no stat shows: every file is read and every release rendered."""
    result = run_presskit("build", "--force", "--verbose", "--now", NOW, cwd=project)
    assert result.returncode == 0, result.stderr
    assert built(result) == [SLUG]
