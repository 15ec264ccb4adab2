"""Incremental and parallel builds: exactly what changed is rendered again, the rest is reused, output is the same."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit, tree_digest

SLUGS = ["2024-01-15-one", "2024-01-16-two", "2024-01-17-three"]
WITH_PHOTO = GOOD_RELEASE + "photos:\n  - file: photo.png\n    alt: A square\n    credit: Test\n"


def releases() -> dict[str, str]:
    texts = {
        f"{SLUGS[0]}.yaml": GOOD_RELEASE.replace("A good release", "Release one"),
        f"{SLUGS[1]}.yaml": GOOD_RELEASE.replace("A good release", "Release two"),
        f"{SLUGS[2]}.yaml": WITH_PHOTO.replace("A good release", "Release three"),
    }
    return texts


def rendered(result: subprocess.CompletedProcess) -> list[str]:
    """The releases a verbose build says it rendered (plain lines: the output is not a terminal)."""
    return sorted(re.findall(r"^\[\d+/\d+\] rendered (\S+)$", result.stderr, re.MULTILINE))


def build(project: Path, *args: str) -> subprocess.CompletedProcess:
    result = run_presskit("build", "--verbose", *args, cwd=project)
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = make_project(tmp_path, releases())
    Image.new("RGB", (60, 60), "blue").save(folder / "releases" / "photo.png")
    assert rendered(build(folder)) == sorted(SLUGS)
    return folder


def inode(project: Path, slug: str) -> int:
    return os.stat(project / "out" / slug / f"{slug}.pdf").st_ino


def test_nothing_changed_renders_nothing(project: Path):
    before = tree_digest(project / "out")
    inodes = [inode(project, s) for s in SLUGS]
    result = build(project)
    assert rendered(result) == []
    assert sorted(re.findall(r"^unchanged (\S+)$", result.stderr, re.MULTILINE)) == sorted(SLUGS)
    assert "presskit: built 3 releases (0 rendered, 3 unchanged)" in result.stdout
    assert tree_digest(project / "out") == before
    assert [inode(project, s) for s in SLUGS] == inodes  # hard links to the same files


def test_a_build_that_changes_nothing_keeps_the_published_folder_itself(project: Path):
    link = os.readlink(project / "out")
    store = sorted(p.name for p in (project / ".out.builds").iterdir())
    index = os.stat(project / "out" / "index.html")
    result = build(project)
    assert "presskit: built 3 releases (0 rendered, 3 unchanged)" in result.stdout
    assert os.readlink(project / "out") == link  # no new build folder was swapped in
    assert sorted(p.name for p in (project / ".out.builds").iterdir()) == store  # nor left behind
    after = os.stat(project / "out" / "index.html")
    assert (after.st_ino, after.st_mtime_ns) == (index.st_ino, index.st_mtime_ns)  # not even rewritten


def test_a_file_missing_from_the_published_folder_is_made_again(project: Path):
    link = os.readlink(project / "out")
    (project / "out" / SLUGS[0] / f"{SLUGS[0]}.pdf").unlink()
    (project / "out" / "feed.xml").unlink()
    result = build(project)
    assert rendered(result) == [SLUGS[0]]
    assert os.readlink(project / "out") != link
    assert (project / "out" / SLUGS[0] / f"{SLUGS[0]}.pdf").read_bytes().startswith(b"%PDF-")
    assert (project / "out" / "feed.xml").is_file()
    assert run_presskit("build", "--verify", cwd=project).returncode == 0


@pytest.mark.parametrize("damage", ["edited-index", "stray-file", "stray-file-in-a-release"])
def test_a_published_folder_changed_by_hand_is_replaced_even_when_nothing_changed(project: Path, damage: str):
    fresh = tree_digest(project / "out")
    link = os.readlink(project / "out")
    if damage == "edited-index":
        (project / "out" / "index.html").write_text("TAMPERED")
    elif damage == "stray-file":
        (project / "out" / "notes.txt").write_text("left here by hand")
    else:
        (project / "out" / SLUGS[0] / "draft.pdf").write_bytes(b"%PDF-stray")
    result = build(project)
    assert rendered(result) == []
    assert os.readlink(project / "out") != link
    assert tree_digest(project / "out") == fresh


def test_a_newsroom_file_that_changes_alone_is_published(project: Path):
    """Nothing to render, but the feed's date comes from SOURCE_DATE_EPOCH: a new build is published."""
    empty = make_project(project.parent / "empty", {})
    assert run_presskit("build", cwd=empty).returncode == 0
    link = os.readlink(empty / "out")
    assert run_presskit("build", cwd=empty, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    assert os.readlink(empty / "out") != link
    assert "<lastBuildDate>Tue, 14 Nov 2023 22:13:20 +0000</lastBuildDate>" in (empty / "out" / "feed.xml").read_text()


def test_editing_one_release_renders_exactly_that_one(project: Path):
    source = project / "releases" / f"{SLUGS[1]}.yaml"
    source.write_text(source.read_text().replace("First paragraph", "An edited paragraph"))
    kept = inode(project, SLUGS[0])
    result = build(project)
    assert rendered(result) == [SLUGS[1]]
    assert "An edited paragraph" in (project / "out" / SLUGS[1] / "index.html").read_text()
    assert "An edited paragraph" in (project / "out" / "feed.xml").read_text()
    assert inode(project, SLUGS[0]) == kept
    assert rendered(build(project)) == []


BACKGROUND = """
import sys
from presskit.cli import main
try:
    main(["build", "--jobs", "2", "--verbose"])
except SystemExit as exc:
    print("exit", exc.code, "weasyprint-here", "weasyprint" in sys.modules)
"""


def test_one_edited_release_is_rendered_by_another_process_while_the_listings_are_made(project: Path):
    """With cores to spare, the one release to render is rendered by a separate process (which imports
    WeasyPrint itself) while this one links the others and writes the listings: the result is the same
    as a fresh build's, and this process never imports WeasyPrint."""
    source = project / "releases" / f"{SLUGS[1]}.yaml"
    source.write_text(source.read_text().replace("Release two", "Release two, retitled"))
    result = subprocess.run(
        [sys.executable, "-c", BACKGROUND], cwd=project, capture_output=True, text=True, timeout=300
    )
    assert result.stdout.split()[-4:] == ["exit", "0", "weasyprint-here", "False"], result.stdout + result.stderr
    assert "presskit: built 3 releases (1 rendered, 2 unchanged)" in result.stdout
    assert rendered(result) == [SLUGS[1]]
    assert "Release two, retitled" in (project / "out" / "index.html").read_text()
    assert "Release two, retitled" in (project / "out" / SLUGS[1] / "index.html").read_text()
    verify = run_presskit("build", "--verify", cwd=project)
    assert verify.returncode == 0, verify.stdout + verify.stderr


def test_editing_a_template_renders_every_release(project: Path):
    (project / "templates").mkdir()
    (project / "templates" / "pdf.css").write_text("h1 { color: #123456; }\n")
    assert rendered(build(project)) == sorted(SLUGS)
    (project / "templates" / "release.html.j2").write_text(
        '{% extends "presskit/release.html.j2" %}{% block head %}<meta name="edited" content="yes">{% endblock %}'
    )
    assert rendered(build(project)) == sorted(SLUGS)
    assert '<meta name="edited" content="yes">' in (project / "out" / SLUGS[0] / "index.html").read_text()
    assert rendered(build(project)) == []


def test_editing_the_configuration_renders_every_release(project: Path):
    (project / "pyproject.toml").write_text(MINIMAL_CONFIG.replace("Test Office", "Renamed Office"))
    assert rendered(build(project)) == sorted(SLUGS)
    assert "Renamed Office" in (project / "out" / SLUGS[0] / "index.html").read_text()


def test_replacing_a_photo_renders_the_release_that_uses_it(project: Path):
    Image.new("RGB", (60, 60), "green").save(project / "releases" / "photo.png")
    assert rendered(build(project)) == [SLUGS[2]]
    published = project / "out" / SLUGS[2] / "photo-1.png"
    assert Image.open(published).getpixel((1, 1)) == (0, 128, 0)


def test_a_base_url_change_renders_every_release(project: Path):
    assert rendered(build(project, "--base-url", "https://other.example.org/")) == sorted(SLUGS)


def test_removed_and_embargoed_releases_leave_the_newsroom(project: Path):
    (project / "releases" / f"{SLUGS[0]}.yaml").unlink()
    assert rendered(build(project)) == []
    assert not (project / "out" / SLUGS[0]).exists()
    assert "Release one" not in (project / "out" / "index.html").read_text()


def test_a_failed_build_keeps_out_and_the_next_build_stays_incremental(project: Path):
    before = tree_digest(project / "out")
    source = project / "releases" / f"{SLUGS[0]}.yaml"
    good = source.read_text()
    source.write_text(good.replace("date: 2024-01-15", "date: 2024-01-32"))
    failed = run_presskit("build", "--verbose", cwd=project)
    assert failed.returncode == 1
    assert tree_digest(project / "out") == before
    source.write_text(good)
    assert rendered(build(project)) == []
    assert tree_digest(project / "out") == before


def test_parallel_and_serial_builds_write_identical_files(tmp_path: Path):
    project = make_project(tmp_path, releases())
    Image.new("RGB", (60, 60), "blue").save(project / "releases" / "photo.png")
    result = run_presskit("build", "--jobs", "1", cwd=project)
    assert result.returncode == 0, result.stderr
    serial = tree_digest(project / "out")
    for name in ("out", ".out.builds", ".presskit"):
        (project / name).unlink() if (project / name).is_symlink() else shutil.rmtree(project / name)
    result = run_presskit("build", "--jobs", "3", "--verbose", cwd=project)
    assert result.returncode == 0, result.stderr
    assert rendered(result) == sorted(SLUGS)
    assert tree_digest(project / "out") == serial


def test_a_build_with_nothing_to_render_imports_neither_weasyprint_nor_docx(project: Path):
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "presskit", "build"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    imported = {
        line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    assert "presskit.build.pipeline" in imported
    assert not {name for name in imported if name.split(".")[0] in ("weasyprint", "docx")}


SPY = """
import sys
from presskit.sources import yamlreader as yamlsource
calls = []
original = yamlsource.parse
yamlsource.parse = lambda text: calls.append(1) or original(text)
from presskit.cli import main
try:
    main(["build", "--quiet"])
except SystemExit as exc:
    print("exit", exc.code, "parsed", len(calls))
"""


def test_unchanged_files_are_not_parsed_again(project: Path):
    result = subprocess.run([sys.executable, "-c", SPY], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["exit", "0", "parsed", "0"], result.stderr
    source = project / "releases" / f"{SLUGS[2]}.yaml"
    source.write_text(source.read_text() + "tags: [new]\n")
    result = subprocess.run([sys.executable, "-c", SPY], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["exit", "0", "parsed", "1"], result.stderr


RECYCLING = """
from presskit.build import workers as renderpool
renderpool.RENDERS_PER_WORKER = 1
from presskit.cli import main
main(["build", "--jobs", "2", "--verbose"])
"""


def test_workers_replaced_between_batches_render_every_release_once(tmp_path: Path):
    project = make_project(tmp_path, releases())
    Image.new("RGB", (60, 60), "blue").save(project / "releases" / "photo.png")
    result = subprocess.run([sys.executable, "-c", RECYCLING], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert rendered(result) == sorted(SLUGS)  # two batches of two workers, one release each, then one
    serial = run_presskit("build", "--jobs", "1", "--out", "serial", cwd=project)
    assert serial.returncode == 0, serial.stderr
    assert tree_digest(project / "out") == tree_digest(project / "serial")


def test_a_tampered_model_cache_is_not_trusted(project: Path):
    """The cache lives in the project folder: a cached release whose photo points outside it is validated again."""
    cache = project / ".presskit" / "cache" / "releases.json"
    signature, _newline, body = cache.read_text().partition("\n")
    data = json.loads(body)
    entry = data["entries"][f"releases/{SLUGS[2]}.yaml"]
    outside = project.parent / "outside.png"
    Image.new("RGB", (60, 60), "red").save(outside)
    entry["release"]["photos"][0][0] = str(outside)
    entry["photos"][0] = [str(outside), outside.stat().st_size, outside.stat().st_mtime_ns]
    cache.write_text(signature + "\n" + json.dumps(data))
    assert rendered(build(project)) == []
    assert Image.open(project / "out" / SLUGS[2] / "photo-1.png").getpixel((1, 1)) == (0, 0, 255)
    assert str(outside) not in cache.read_text()


def test_a_model_cache_not_signed_with_the_users_key_is_ignored(project: Path):
    """Whoever can write the project but not the user's cache folder cannot plant a 'validated' release."""
    cache = project / ".presskit" / "cache" / "releases.json"
    _signature, _newline, body = cache.read_text().partition("\n")
    data = json.loads(body)
    release = data["entries"][f"releases/{SLUGS[0]}.yaml"]["release"]
    planted = json.dumps(data).replace(json.dumps(release["title"]), json.dumps("Planted title"))
    assert planted != json.dumps(data)
    forged = hmac.new(b"a guessed key", planted.encode(), hashlib.sha256).hexdigest()
    cache.write_text(forged + "\n" + planted)
    assert rendered(build(project)) == []
    assert "Planted title" not in (project / "out" / "index.html").read_text()
    assert "Planted title" not in cache.read_text()


def test_a_new_translation_re_renders_the_page_it_links_to_and_matches_a_fresh_build(project: Path):
    translation = (
        GOOD_RELEASE.replace("A good release", "Un bon communiqué") + f"lang: fr\ntranslation_of: {SLUGS[0]}\n"
    )
    (project / "releases" / "2024-01-15-un.yaml").write_text(translation)
    result = build(project)
    # The new release, and the one it translates (its page gains hreflang links); a new language also
    # changes every page's language menu, so the others are rendered again too.
    assert rendered(result) == sorted([*SLUGS, "2024-01-15-un"])
    page = (project / "out" / SLUGS[0] / "index.html").read_text()
    assert 'hreflang="fr" href="https://news.example.org/2024-01-15-un/"' in page
    # A second translation-only edit: only the translation and its original change (the original's agency
    # files name the translation's headline).
    (project / "releases" / "2024-01-15-un.yaml").write_text(translation.replace("Un bon", "Un très bon"))
    assert rendered(build(project)) == sorted([SLUGS[0], "2024-01-15-un"])
    verify = run_presskit("build", "--verify", cwd=project)
    assert verify.returncode == 0, verify.stderr


def test_incremental_builds_always_equal_a_fresh_build(project: Path):
    (project / "releases" / f"{SLUGS[1]}.yaml").write_text(
        GOOD_RELEASE.replace("A good release", "Release two, edited")
    )
    (project / "releases" / f"{SLUGS[2]}.yaml").unlink()
    build(project)
    verify = run_presskit("build", "--verify", cwd=project)
    assert verify.returncode == 0, verify.stderr
    assert "presskit: out/ matches a fresh build of the sources" in verify.stdout
