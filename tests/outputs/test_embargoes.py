"""Embargoes: a release under embargo leaves no trace in out/ before its lift and is complete after it; its
private copies carry a localized notice in every format; the private folder cannot be inside out/."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import html

from support.project import GOOD_RELEASE, make_project, run_presskit
from support.readers import everything_under, pdf_text, read_feed, sitemap_text

BASE = "https://presse.example.org/"
SECRET_TITLE = "Merger of the two regional airports"
SECRET_BODY = "The shareholders approved the zeppelin clause unanimously."
SECRET = (
    f"title: {SECRET_TITLE}\ndate: 2024-02-01\nlocation: Perpignan\nembargo: 2024-02-01T09:00:00+01:00\n"
    f"lead: Confidential until lifted.\nbody: |\n  {SECRET_BODY}\nphotos:\n  - file: secret-photo.png\n    alt: Airport\n"
    "tags: [airports]\ncontacts:\n  - name: Ann Example\n    email: ann@example.org\n"
)


@pytest.fixture
def embargo_project(tmp_path: Path) -> Path:
    from PIL import Image

    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE, "2024-02-01-airport-merger.yaml": SECRET})
    Image.new("RGB", (40, 30), (200, 10, 10)).save(project / "releases" / "secret-photo.png")
    return project


def test_embargoed_release_leaves_no_trace_before_lift_and_is_complete_after(embargo_project: Path):
    before = run_presskit("build", "--now", "2024-02-01T07:59:59Z", cwd=embargo_project)
    assert before.returncode == 0, before.stderr
    everything = everything_under(embargo_project / "out")
    for secret in (
        SECRET_TITLE,
        SECRET_BODY,
        "airport-merger",
        "Confidential until lifted",
        "secret-photo",
        "airports",
    ):
        assert secret not in everything, secret
    assert (embargo_project / "out" / "2024-01-15-good" / "2024-01-15-good.pdf").is_file()

    after = run_presskit("build", "--now", "2024-02-01T08:00:00Z", cwd=embargo_project)
    assert after.returncode == 0, after.stderr
    out = embargo_project / "out"
    folder = out / "2024-02-01-airport-merger"
    assert {p.name for p in folder.iterdir()} == {
        "index.html",
        "2024-02-01-airport-merger.pdf",
        "2024-02-01-airport-merger.docx",
        "2024-02-01-airport-merger.ninjs.json",
        "2024-02-01-airport-merger.newsml.xml",
        "2024-02-01-airport-merger-press-kit.zip",
        "secret-photo-1.png",
    }
    assert SECRET_BODY in pdf_text(folder / "2024-02-01-airport-merger.pdf")
    assert SECRET_TITLE in (out / "index.html").read_text()
    assert [e.title for e in read_feed(out / "feed.xml").entries] == [SECRET_TITLE, "A good release"]
    assert BASE.replace("presse", "news") + "2024-02-01-airport-merger/" in sitemap_text(out)
    assert (out / "tags" / "airports" / "index.html").is_file()


def test_embargoed_copies_carry_the_notice_in_every_format(embargo_project: Path, tmp_path: Path):
    private = tmp_path / "private"
    result = run_presskit("build", "--now", "2024-01-20T00:00:00Z", "--embargoed", str(private), cwd=embargo_project)
    assert result.returncode == 0, result.stderr
    assert "1 embargoed release written to" in result.stdout
    notice = "EMBARGO: not for publication before February 1, 2024, 9:00\u202fAM GMT+01:00"
    folder = private / "2024-02-01-airport-merger"
    page = html.parse(str(folder / "index.html"))
    assert page.xpath("//p[@class='notice']")[0].text_content() == notice
    assert notice in pdf_text(folder / "2024-02-01-airport-merger.pdf")
    document = docx.Document(str(folder / "2024-02-01-airport-merger.docx"))
    assert (document.paragraphs[0].style.name, document.paragraphs[0].text) == ("Notice", notice)
    assert notice in [p.text for p in document.sections[0].header.paragraphs]
    assert SECRET_TITLE not in everything_under(embargo_project / "out")
    assert not (private / "2024-01-15-good").exists()


def test_embargo_notice_is_localized(tmp_path: Path):
    release = "title: Budget\ndate: 2027-01-15\nlang: fr\nembargo: 2027-01-15T09:00:00+01:00\nbody: Texte.\ncontacts:\n  - name: A\n"
    project = make_project(tmp_path, {"2027-01-15-budget.yaml": release})
    result = run_presskit("build", "--now", "2027-01-01T00:00:00Z", "--embargoed", "private", cwd=project)
    assert result.returncode == 0, result.stderr
    pdf = pdf_text(project / "private" / "2027-01-15-budget" / "2027-01-15-budget.pdf")
    assert "EMBARGO\u00a0: ne pas publier avant le 15 janvier 2027, 09:00 UTC+01:00" in pdf


def test_embargoed_folder_inside_out_is_refused(embargo_project: Path):
    run_presskit("build", "--now", "2024-01-20T00:00:00Z", cwd=embargo_project)
    result = run_presskit("build", "--now", "2024-01-20T00:00:00Z", "--embargoed", "out/private", cwd=embargo_project)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == (
        "presskit: refusing to use out/private as the embargoed folder: it must be apart from out (the output folder), "
        "neither inside the other; nothing was written."
    )
    assert SECRET_TITLE not in everything_under(embargo_project / "out")
