"""Double buffering: a build brings the spare build folder (the one published before) up to date, changing only
the entries that differ, and a spare killed half-way or edited by hand never makes `out/` differ from a fresh build."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from support.project import GOOD_RELEASE, expected_store, make_project, run_presskit, tree_digest

N = 50


def _release(day: int, text: str = "First paragraph of the body.") -> str:
    return GOOD_RELEASE.replace("A good release", f"Release {day}").replace("First paragraph of the body.", text)


def _name(number: int) -> str:
    return f"2024-{1 + number // 28:02d}-{1 + number % 28:02d}-r{number}"


def _project(folder: Path, count: int) -> Path:
    return make_project(folder, {f"{_name(n)}.yaml": _release(n) for n in range(count)})


def _edit(project: Path, number: int, text: str) -> None:
    (project / "releases" / f"{_name(number)}.yaml").write_text(_release(number, text))


def _build(project: Path, *args: str) -> None:
    result = run_presskit("build", "-j", "1", *args, cwd=project)
    assert result.returncode == 0, result.stderr


def _entries(folder: Path) -> dict[str, tuple]:
    """Every entry of a build folder: a release link with its target, a newsroom file with its inode and digest,
    a folder."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = os.path.join(root, name)
            relative = os.path.relpath(path, folder)
            if os.path.islink(path):
                found[relative] = ("link", os.readlink(path))
            elif os.path.isdir(path):
                found[relative] = ("folder", os.lstat(path).st_ino)
            else:
                data = Path(path).read_bytes()
                found[relative] = ("file", os.lstat(path).st_ino, hashlib.sha256(data).hexdigest())
    return found


def _verify(project: Path) -> None:
    result = run_presskit("build", "--verify", cwd=project)
    assert result.returncode == 0, result.stderr
    assert sorted(os.listdir(project / ".out.builds")) == expected_store(project / "out")


def test_an_edit_changes_only_the_entries_that_differ_in_the_spare(tmp_path: Path):
    project = _project(tmp_path / "project", N)
    store = project / ".out.builds"
    _build(project)
    first = Path(os.path.realpath(project / "out"))
    first_inode = os.stat(first).st_ino
    before = _entries(first)
    assert sum(kind == "link" for kind, *_ in before.values()) == N

    _edit(project, 10, "An edit of release ten.")
    _build(project)  # no spare yet: a fresh folder, and the first one stays whole as the spare
    second = Path(os.path.realpath(project / "out"))
    assert second != first
    assert _entries(first) == before
    assert (store / f"manifest-{first.name}.json").exists()
    _verify(project)

    _build(project)  # nothing changed: the spare is not touched either
    assert Path(os.path.realpath(project / "out")) == second
    assert _entries(first) == before
    assert (store / f"manifest-{first.name}.json").exists()

    _edit(project, 30, "An edit of release thirty.")
    _build(project)
    assert Path(os.path.realpath(project / "out")) == first  # the spare, brought up to date
    assert os.stat(first).st_ino == first_inode
    after = _entries(first)
    assert after.keys() == before.keys()
    changed = sorted(name for name in after if after[name] != before[name])
    links = [name for name in changed if before[name][0] == "link"]
    # The two releases edited since the spare was published link their new folders, nothing else does.
    assert links == [_name(10), _name(30)]
    # A newsroom file got a new inode exactly when its bytes differ; every other entry kept its inode.
    files = [name for name in changed if before[name][0] == "file"]
    assert files == sorted(name for name in after if after[name][0] == "file" and after[name][2] != before[name][2])
    assert changed == sorted(links + files)
    # The listing pages and feeds that show release ten or thirty: 10 of the folder's 74 entries, with 2 links.
    pages = ["index.html", "page/2/index.html", "atom.xml", "feed.json", "feed.xml"]
    assert files == sorted(pages + [f"en/{page}" for page in pages])
    assert len(before) == 74
    assert not [name for name in os.listdir(first) if name.startswith(".new-")]
    _verify(project)
    assert Path(os.path.realpath(project / "out")) == first  # verify builds elsewhere: out/ is untouched


KILLER = """
import os, runpy, signal, sys
limit, calls = int(sys.argv[1]), [0]
def counting(real):
    def call(*args, **kwargs):
        if any(".out.builds" in str(arg) or str(arg).endswith("/out") for arg in args):
            calls[0] += 1
            if calls[0] == limit:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return call
for name in ("symlink", "replace", "unlink", "rmdir", "link", "rename"):
    setattr(os, name, counting(getattr(os, name)))
sys.argv = ["presskit", "build", "-j", "1", "-q"]
runpy.run_module("presskit", run_name="__main__")
"""


def test_a_build_killed_while_changing_the_spare_is_repaired_by_the_next(tmp_path: Path):
    """SIGKILL at the k-th change in the build store (the spare's manifest removed, a link or newsroom file
    replaced, the switch, the cleaning), k = 1, 2, ...: out/ stays the old or the new build, and the next build
    publishes what a fresh build would, with nothing left over."""
    project = _project(tmp_path / "project", 6)
    texts = ["First version of release one.", "Second version of release one."]
    digests = []
    for text in texts * 2:  # the second round makes the first build folder the spare
        _edit(project, 1, text)
        _build(project)
        digests.append(tree_digest(project / "out"))
    assert digests[0] == digests[2] != digests[1] == digests[3]
    outcomes = []
    for limit in range(1, 40):
        old = tree_digest(project / "out")
        new = digests[1 - digests.index(old)]
        _edit(project, 1, texts[digests.index(new)])
        command = [sys.executable, "-c", KILLER, str(limit)]
        killed = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
        assert killed.returncode in (0, -9), killed.stderr
        after_kill = tree_digest(project / "out")
        assert after_kill in (old, new), f"a mix after a kill at change {limit}"
        outcomes.append("old" if after_kill == old else "new")
        _build(project)
        assert tree_digest(project / "out") == new, f"not repaired after a kill at change {limit}"
        assert sorted(os.listdir(project / ".out.builds")) == expected_store(project / "out"), limit
        if killed.returncode == 0:
            break
    assert "old" in outcomes and "new" in outcomes and limit > 12, outcomes  # kills all along the build
    _verify(project)


def test_a_spare_edited_by_hand_is_read_not_trusted(tmp_path: Path):
    project = _project(tmp_path / "project", 8)
    _build(project)
    spare = Path(os.path.realpath(project / "out"))
    _edit(project, 1, "Edited once.")
    _build(project)
    # By hand, in the spare: a file added, a release linked to another release's folder, a newsroom file
    # replaced, another removed, a folder added.
    (spare / "extra.html").write_text("not presskit's")
    three = os.readlink(spare / _name(3))
    os.unlink(spare / _name(3))
    os.symlink(os.readlink(spare / _name(4)), spare / _name(3))
    os.unlink(spare / "index.html")
    (spare / "index.html").write_text("replaced by hand")
    os.unlink(spare / "robots.txt")
    (spare / "stray" / "deeper").mkdir(parents=True)
    _edit(project, 2, "Edited twice.")
    _build(project)
    assert Path(os.path.realpath(project / "out")) == spare
    assert os.readlink(spare / _name(3)) == three
    assert not (spare / "extra.html").exists() and not (spare / "stray").exists()
    assert "replaced by hand" not in (spare / "index.html").read_text()
    assert (spare / "robots.txt").exists()
    _verify(project)


def test_a_spare_without_its_manifest_is_not_taken_and_is_removed(tmp_path: Path):
    project = _project(tmp_path / "project", 4)
    store = project / ".out.builds"
    _build(project)
    spare = Path(os.path.realpath(project / "out"))
    _edit(project, 1, "Edited once.")
    _build(project)
    (store / f"manifest-{spare.name}.json").unlink()  # as a build killed while changing it leaves it
    os.unlink(spare / _name(2))
    _edit(project, 2, "Edited twice.")
    _build(project)
    published = Path(os.path.realpath(project / "out"))
    assert published != spare and not spare.exists()
    _verify(project)


def test_a_failed_build_leaves_out_and_a_usable_store(tmp_path: Path):
    project = _project(tmp_path / "project", 4)
    _build(project)
    _edit(project, 1, "Edited once.")
    _build(project)
    published = tree_digest(project / "out")
    link = os.readlink(project / "out")
    (project / "releases" / f"{_name(2)}.yaml").write_text(_release(2) + "photos:\n  - file: missing.png\n")
    assert run_presskit("build", cwd=project).returncode == 1
    assert os.readlink(project / "out") == link and tree_digest(project / "out") == published
    assert sorted(os.listdir(project / ".out.builds")) == expected_store(project / "out")
    _edit(project, 2, "Edited twice.")
    _build(project)
    _verify(project)
