"""Reproducible builds: the same sources give the same bytes, and `build --verify` proves out/ came from them."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path

import pypdf
from lxml import etree

from support.project import copy_sample_project, run_presskit, tree_digest

NOW = "2026-01-01T00:00:00+00:00"  # the moment the session's `samples` build used


def test_two_clean_builds_in_different_folders_and_moments_are_byte_identical(samples: Path, tmp_path: Path):
    project = copy_sample_project(tmp_path / "elsewhere" / "checkout")
    result = run_presskit("build", "--now", NOW, cwd=project)
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(samples), tree_digest(project / "out")
    assert sorted(first) == sorted(second)
    assert {name for name in first if name.endswith((".pdf", ".docx"))} == {
        f"{slug}/{slug}.{ext}"
        for slug in (
            "2023-09-29-occitanie-japon",
            "2024-03-12-green-hydrogen-port",
            "2024-06-03-research-call",
            "2024-06-03-research-call-en",
            "2023-05-16-salon-alimentaire-tokyo-ja",
        )
        for ext in ("pdf", "docx")
    }
    assert first == second


def test_word_files_carry_the_release_date_not_the_clock(samples: Path):
    slug = "2024-03-12-green-hydrogen-port"
    with zipfile.ZipFile(samples / slug / f"{slug}.docx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 3, 12, 9, 0, 0)}
    core = etree.fromstring(zipfile.ZipFile(samples / slug / f"{slug}.docx").read("docProps/core.xml"))
    ns = {"dcterms": "http://purl.org/dc/terms/"}
    assert core.findtext("dcterms:created", namespaces=ns) == "2024-03-12T09:00:00Z"
    assert core.findtext("dcterms:modified", namespaces=ns) == "2024-03-12T09:00:00Z"


def test_pdf_dates_come_from_the_release(samples: Path):
    slug = "2024-03-12-green-hydrogen-port"
    metadata = pypdf.PdfReader(samples / slug / f"{slug}.pdf").metadata
    assert metadata.creation_date == dt.datetime(2024, 3, 12, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert "/ModDate" not in metadata or metadata.modification_date == metadata.creation_date


def test_an_empty_feed_takes_its_date_from_source_date_epoch_or_has_none(tmp_path: Path):
    (tmp_path / "releases").mkdir()
    assert run_presskit("build", cwd=tmp_path).returncode == 0
    channel = etree.parse(str(tmp_path / "out" / "feed.xml")).getroot().find("channel")
    assert channel.find("lastBuildDate") is None and channel.find("pubDate") is None
    first = tree_digest(tmp_path / "out")
    assert run_presskit("build", cwd=tmp_path).returncode == 0
    assert tree_digest(tmp_path / "out") == first
    assert run_presskit("build", cwd=tmp_path, env={"SOURCE_DATE_EPOCH": "1700000000"}).returncode == 0
    channel = etree.parse(str(tmp_path / "out" / "feed.xml")).getroot().find("channel")
    assert channel.findtext("lastBuildDate") == "Tue, 14 Nov 2023 22:13:20 +0000"


def test_verify_accepts_an_untouched_out(project_copy: Path):
    before = tree_digest(project_copy / "out")
    link = os.readlink(project_copy / "out")
    result = run_presskit("build", "--verify", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"presskit: out/ matches a fresh build of the sources ({len(before)} files)."]
    assert result.stderr == ""
    assert tree_digest(project_copy / "out") == before
    assert os.readlink(project_copy / "out") == link


def test_verify_reports_every_file_that_differs_and_changes_nothing(project_copy: Path):
    out = project_copy / "out"
    pdf = out / "2024-01-15-good" / "2024-01-15-good.pdf"
    data = bytearray(pdf.read_bytes())
    data[len(data) // 2] ^= 0x01
    pdf.write_bytes(bytes(data))
    (out / "newsroom.css").unlink()
    (out / "2024-01-15-good" / "notes.txt").write_text("added by hand\n")
    tampered = tree_digest(out)
    result = run_presskit("build", "--verify", cwd=project_copy)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "out/2024-01-15-good/2024-01-15-good.pdf:1:1: error: differs from a fresh build of the sources [verify.differs]",
        "out/2024-01-15-good/notes.txt:1:1: error: not written by a fresh build of the sources [verify.extra]",
        "out/newsroom.css:1:1: error: missing: a fresh build of the sources writes this file [verify.missing]",
        "presskit: 3 errors; out/ does not match the sources.",
    ]
    assert tree_digest(out) == tampered
    # The sources changed instead of out/: the same report names the stale files.
    shutil.rmtree(project_copy / "out", ignore_errors=True)
    (project_copy / "out").unlink(missing_ok=True)
    assert run_presskit("build", cwd=project_copy).returncode == 0
    release = project_copy / "releases" / "2024-01-15-good.yaml"
    release.write_text(release.read_text().replace("First paragraph", "Edited paragraph"))
    result = run_presskit("build", "--verify", cwd=project_copy)
    assert result.returncode == 1
    assert [line.split(": error: ")[0] for line in result.stderr.splitlines()[:-1]] == [
        "out/2024-01-15-good/2024-01-15-good.docx:1:1",
        "out/2024-01-15-good/2024-01-15-good.newsml.xml:1:1",
        "out/2024-01-15-good/2024-01-15-good.ninjs.json:1:1",
        "out/2024-01-15-good/2024-01-15-good.pdf:1:1",
        "out/2024-01-15-good/index.html:1:1",
        "out/atom.xml:1:1",
        "out/en/atom.xml:1:1",
        "out/en/feed.json:1:1",
        "out/en/feed.xml:1:1",
        "out/en/index.html:1:1",
        "out/feed.json:1:1",
        "out/feed.xml:1:1",
        "out/index.html:1:1",
    ]


def test_verify_of_sources_that_do_not_build_compares_nothing(project_copy: Path):
    before = tree_digest(project_copy / "out")
    (project_copy / "releases" / "2024-02-01-bad.yaml").write_text("title: [x]\n")
    result = run_presskit("build", "--verify", cwd=project_copy)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "releases/2024-02-01-bad.yaml:1:1: error: missing 'contacts': give at least one press contact (or default contacts in [tool.presskit]) [release.missing-field]",
        "releases/2024-02-01-bad.yaml:1:1: error: missing required field 'body' [release.missing-field]",
        "releases/2024-02-01-bad.yaml:1:1: error: missing required field 'date' [release.missing-field]",
        "releases/2024-02-01-bad.yaml:1:8: error: 'title' must be text, not a list [release.type]",
        "presskit: 4 errors; the sources do not build; nothing was compared.",
    ]
    assert tree_digest(project_copy / "out") == before
