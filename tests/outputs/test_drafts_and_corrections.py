"""Drafts are marked in every output; a correction appears everywhere and keeps the release's guid and URL."""

from __future__ import annotations

from pathlib import Path

import docx
from lxml import html

from support.project import GOOD_RELEASE, make_project, run_presskit
from support.readers import docx_text, html_text, pdf_text, read_feed


def test_drafts_are_marked_in_every_output(tmp_path: Path):
    draft = GOOD_RELEASE.replace("A good release", "Work in progress") + "draft: true\n"
    project = make_project(tmp_path, {"2024-01-16-wip.yaml": draft})
    assert run_presskit("build", cwd=project).returncode == 0
    assert not (project / "out" / "2024-01-16-wip").exists()
    assert run_presskit("build", "--drafts", cwd=project).returncode == 0
    folder = project / "out" / "2024-01-16-wip"
    notice = "DRAFT: working copy, not for distribution"
    assert html.parse(str(folder / "index.html")).xpath("//p[@class='notice']/text()") == [notice]
    assert notice in pdf_text(folder / "2024-01-16-wip.pdf")
    assert docx.Document(str(folder / "2024-01-16-wip.docx")).paragraphs[0].text == notice
    assert html.parse(str(project / "out" / "index.html")).xpath("//strong[@class='draft-badge']/text()") == ["Draft"]
    assert read_feed(project / "out" / "feed.xml").entries[0].title == "Draft: Work in progress"


def test_correction_appears_everywhere_and_keeps_guid_and_url(tmp_path: Path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE})
    assert run_presskit("build", cwd=project).returncode == 0
    before = read_feed(project / "out" / "feed.xml").entries[0]
    (project / "releases" / "2024-01-15-good.yaml").write_text(
        GOOD_RELEASE + "updated: 2024-01-16T18:00:00+01:00\ncorrection: An earlier version gave the wrong location.\n"
    )
    assert run_presskit("build", cwd=project).returncode == 0
    out = project / "out"
    line = "Correction (updated January 16, 2024, 6:00\u202fPM GMT+01:00): An earlier version gave the wrong location."
    assert (
        html.parse(str(out / "2024-01-15-good" / "index.html")).xpath("//p[@class='correction']")[0].text_content()
        == line
    )
    assert line in " ".join(pdf_text(out / "2024-01-15-good" / "2024-01-15-good.pdf").split("\n"))
    assert line in docx_text(out / "2024-01-15-good" / "2024-01-15-good.docx")
    after = read_feed(out / "feed.xml").entries[0]
    assert line in html_text(after.content[0].value)
    assert (after.id, after.link) == (before.id, before.link)
    atom = read_feed(out / "atom.xml").entries[0]
    assert atom.updated == "2024-01-16T18:00:00+01:00" and atom.published == "2024-01-15T00:00:00+00:00"


def test_correction_without_updated_is_an_error(tmp_path: Path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE + "correction: Oops.\n"})
    result = run_presskit("build", cwd=project)
    assert result.returncode == 1
    assert (
        "releases/2024-01-15-good.yaml:9:13: error: a 'correction' needs an 'updated' datetime saying when it was made [release.correction]"
        in result.stderr
    )
