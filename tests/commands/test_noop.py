"""The no-op known before any release is decoded (build/noop.py): taken only when nothing the newsroom is made of
changed, and it says exactly what a build that decodes everything says."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from PIL import Image

from presskit.build.pipeline import BuildOptions, build

from support.project import GOOD_RELEASE, make_project, run_presskit, tree_digest

NOW = "2024-01-25T00:00:00+00:00"  # the secret release is under embargo until 2024-02-01 08:00 UTC
LIFTED = "2024-02-01T08:00:00+00:00"  # the embargo's very moment: the release is public
WITH_PHOTO = GOOD_RELEASE + "photos:\n  - file: photo.png\n    alt: A square\n    credit: Test\n"
LONG = GOOD_RELEASE.replace("A good release", "A headline far too long " + "to read " * 15)  # a warning
SECRET = GOOD_RELEASE.replace("A good release", "Secret merger") + "embargo: 2024-02-01T09:00:00+01:00\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = make_project(
        tmp_path,
        {
            "2024-01-15-one.yaml": WITH_PHOTO,
            "2024-01-16-long.yaml": LONG,
            "2024-01-20-secret.yaml": SECRET,
        },
    )
    Image.new("RGB", (60, 60), "blue").save(folder / "releases" / "photo.png")
    result = run_presskit("build", "--now", NOW, cwd=folder)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout
    ) == "presskit: built 2 releases (2 rendered, 0 unchanged), 1 held back (embargo or draft), 4 warnings.\n"
    return folder


def in_process(project: Path, now: str = NOW, **options):
    return build(BuildOptions(project, now=dt.datetime.fromisoformat(now), **options))


def manifest_path(project: Path) -> Path:
    return project / ".out.builds" / f"manifest-{os.path.basename(os.path.realpath(project / 'out'))}.json"


def forget_key(project: Path) -> None:
    """The published build's manifest without the no-op key: the next build takes the long way."""
    path = manifest_path(project)
    data = json.loads(path.read_text(encoding="ascii"))
    del data["noop"]
    path.write_text(json.dumps(data), encoding="ascii")


def test_a_noop_prints_exactly_what_the_long_way_prints(project: Path):
    forget_key(project)
    slow = run_presskit("build", "--verbose", "--now", NOW, cwd=project)
    assert json.loads(manifest_path(project).read_text(encoding="ascii"))["noop"]["until"] is not None  # remembered
    before, link = tree_digest(project / "out"), os.readlink(project / "out")
    assert in_process(project).skipped is True
    fast = run_presskit("build", "--verbose", "--now", NOW, cwd=project)
    assert (fast.returncode, fast.stdout, fast.stderr) == (slow.returncode, slow.stdout, slow.stderr)
    assert fast.returncode == 0
    assert (
        fast.stdout
        == "presskit: built 2 releases (0 rendered, 2 unchanged), 1 held back (embargo or draft), 4 warnings.\n"
    )
    no_lead = "warning: no 'lead': journalists and feed readers see the lead first; add a one-paragraph summary"
    assert fast.stderr.splitlines() == [
        "unchanged 2024-01-15-one",
        "unchanged 2024-01-16-long",
        "presskit: rendering 0 releases (2 unchanged)",
        f"releases/2024-01-15-one.yaml:1:1: {no_lead} [check.no-lead]",
        f"releases/2024-01-16-long.yaml:1:1: {no_lead} [check.no-lead]",
        "releases/2024-01-16-long.yaml:1:8: warning: the headline is 143 characters long; keep it under 110 so it is "
        "not cut in inboxes and feeds [check.long-title]",
        f"releases/2024-01-20-secret.yaml:1:1: {no_lead} [check.no-lead]",
    ]
    assert (tree_digest(project / "out"), os.readlink(project / "out")) == (before, link)


def test_the_fast_result_is_the_long_ones(project: Path):
    forget_key(project)
    slow = in_process(project)
    fast = in_process(project)
    assert (slow.skipped, fast.skipped) == (False, True)
    fields = ("published", "held", "reused", "rendered", "checked", "photos", "newsroom_changed", "changed_feeds")
    assert {f: getattr(fast, f) for f in fields} == {f: getattr(slow, f) for f in fields}
    assert fast.photos == {project / "releases" / "photo.png"}
    assert [str(d) for d in fast.reporter.sorted()] == [str(d) for d in slow.reporter.sorted()]


def test_an_embargo_lifting_between_two_builds_is_published(project: Path):
    assert in_process(project).skipped is True
    lifted = in_process(project, LIFTED)
    assert (lifted.skipped, lifted.rendered, lifted.held) == (False, ["2024-01-20-secret"], [])
    assert (project / "out" / "2024-01-20-secret").is_dir()
    assert in_process(project, LIFTED).skipped is True
    # Back before the embargo: the release is held back again, not kept by the fast path.
    before = in_process(project, "2024-02-01T07:59:59.999999+00:00")
    assert (before.skipped, before.held, before.newsroom_changed) == (False, ["2024-01-20-secret"], True)
    assert not (project / "out" / "2024-01-20-secret").exists()


def test_a_moment_within_the_window_is_fast(project: Path):
    assert in_process(project, "2024-01-31T23:00:00+00:00").skipped is True
    assert in_process(project, "2020-01-01T00:00:00+00:00").skipped is True  # no embargo before: same releases


def _photo(project: Path) -> None:
    Image.new("RGB", (60, 60), "red").save(project / "releases" / "photo.png")


def _template(project: Path) -> None:
    (project / "templates").mkdir()
    (project / "templates" / "extra.css").write_text("body { color: black }\n", encoding="utf-8")


def _config(project: Path) -> None:
    path = project / "pyproject.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Test Office", "Another Office"), encoding="utf-8")


def _release(project: Path) -> None:
    path = project / "releases" / "2024-01-15-one.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("First paragraph", "The first paragraph"), "utf-8")


def _edited_page(project: Path) -> None:
    with open(project / "out" / "index.html", "a", encoding="utf-8") as page:
        page.write("<!-- edited -->")


def _removed_feed(project: Path) -> None:
    os.unlink(project / "out" / "feed.xml")


def _added_file(project: Path) -> None:
    (project / "out" / "stray.txt").write_text("stray\n", encoding="utf-8")


def _edited_release_folder(project: Path) -> None:
    (project / "out" / "2024-01-15-one" / "stray.txt").write_text("stray\n", encoding="utf-8")


@pytest.mark.parametrize(
    "change", [_photo, _template, _config, _release, _edited_page, _removed_feed, _added_file, _edited_release_folder]
)
def test_each_change_defeats_the_fast_path(project: Path, change):
    assert in_process(project).skipped is True
    change(project)
    result = in_process(project)
    assert (result.skipped, result.ok) == (False, True)
    assert in_process(project).skipped is True  # and the build after it knows the new key


def test_a_hand_edited_page_is_made_again(project: Path):
    _edited_page(project)
    result = in_process(project)
    assert (result.skipped, result.newsroom_changed) == (False, True)
    assert "<!-- edited -->" not in (project / "out" / "index.html").read_text(encoding="utf-8")


def test_force_drafts_and_embargoed_take_the_long_way(project: Path, tmp_path: Path):
    forced = in_process(project, force=True)
    assert (forced.skipped, sorted(forced.rendered)) == (False, ["2024-01-15-one", "2024-01-16-long"])
    copies = in_process(project, embargoed=tmp_path / "embargoed")
    assert (copies.skipped, copies.embargoed) == (False, ["2024-01-20-secret"])
    assert in_process(project, drafts=True).skipped is False  # another key: --drafts may publish other releases
    assert in_process(project).skipped is False
    assert in_process(project).skipped is True
