"""Text that broke or bent the documents: emoji, characters no font has, 5,000-character words, right-to-left
languages and unbalanced bidirectional controls. Each is built by the real command and read back from
the PDF (pypdf, poppler), the Word file (python-docx), the pages (an HTML parser, Chromium) and the feeds
(feedparser)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pypdf
import pytest
from lxml import html

from support.project import make_project, run_presskit, tree_digest
from support.readers import REPO, read_feed, sitemap_text

NOW = "2026-01-01T00:00:00+00:00"
CONTACT = "contacts:\n  - name: Ann Example\n    email: ann@example.org\n"

EMOJI = "2024-03-01-emoji"
TOTO = "2024-03-02-toto"
LONG = "2024-03-03-long"
ARABIC = "2024-03-04-ar"
HEBREW = "2024-03-05-he"
BIDI = "2024-03-06-bidi"

LONG_WORD = "Supercalifragilistic" * 250  # 5,000 characters, no break opportunity
LONG_TITLE = ("Headline " * 334)[:3000]
BALANCED = "\u2067שלום\u2069"  # a right-to-left isolate, closed: kept
RLO, LRI = "\u202e", "\u2066"
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")

SOURCES = {
    EMOJI: 'title: "We are live 🎉 today"\ndate: 2024-03-01\nlocation: Paris\nlead: "Our post: 🚀🔥"\n'
    'body: |\n  She wrote "Best day ever 👩🏽‍💻" on social media.\ntags:\n  - "launch 🔥"\n' + CONTACT,
    TOTO: 'title: "The Toto letter 𞊐 in print"\ndate: 2024-03-02\nlocation: Paris\nlead: A lead.\n'
    "body: |\n  Text.\n" + CONTACT,
    LONG: f'title: "{LONG_TITLE}"\ndate: 2024-03-03\nlocation: Paris\nlead: A lead.\n'
    f"body: |\n  The word {LONG_WORD} and https://example.org/{'a' * 600} end here.\n" + CONTACT,
    ARABIC: "title: إطلاق منتج جديد\ndate: 2024-03-04\nlang: ar\nlocation: دبي\nlead: ملخص قصير.\n"
    "body: |\n  هذا نص البيان.\ncontacts:\n  - name: أحمد\n    email: ahmad@example.org\n",
    HEBREW: "title: השקת מוצר חדש\ndate: 2024-03-05\nlang: he\nlocation: תל אביב\nlead: תקציר קצר.\n"
    "body: |\n  זהו גוף ההודעה.\ncontacts:\n  - name: דנה\n    email: dana@example.org\n",
    BIDI: f'title: "Quarterly {RLO}results"\ndate: 2024-03-06\nlocation: Paris\nlead: A lead.\n'
    f'body: |\n  The word {BALANCED} stays isolated.\ntags:\n  - "{RLO}finance"\n'
    f'contacts:\n  - name: "Ann {LRI}Example"\n    email: ann@example.org\n',
}


def _at(slug: str, needle: str) -> str:
    """'line:column' of the first `needle` in a release's source (1-based)."""
    for number, line in enumerate(SOURCES[slug].splitlines(), 1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, str]:
    """One project holding every hostile text, built once: its folder and the build's diagnostics."""
    project = make_project(tmp_path_factory.mktemp("text"), {f"{slug}.yaml": text for slug, text in SOURCES.items()})
    result = run_presskit("build", "--now", NOW, cwd=project)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 0, result.stderr
    return project, result.stderr


def _words(pdf: Path, pages: str = "", with_top: bool = False) -> list[tuple]:
    """Every word poppler finds in a PDF's text area (page margins, with their running header and footer,
    left out), with its left and right edges in points (and its top, if asked)."""
    args = ["pdftotext", "-bbox", *(["-f", pages, "-l", pages] if pages else []), str(pdf), "-"]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    height = float(pypdf.PdfReader(pdf).pages[0].mediabox.height)
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', out)
    return [
        (float(a), float(c), html.fromstring(f"<w>{w}</w>").text_content(), *([round(float(y))] if with_top else []))
        for a, y, c, w in found
        if 48 < float(y) < height - 50
    ]


def _pdf(project: Path, slug: str) -> Path:
    return project / "out" / slug / f"{slug}.pdf"


# -- emoji ------------------------------------------------------------------------------------------
def test_emoji_are_drawn_with_the_emoji_font_and_pass_through_every_output(built):
    project, stderr = built
    out = project / "out"
    setup = (REPO / "scripts" / "install-system-deps").read_text(encoding="utf-8")
    assert "fonts-noto-color-emoji" in re.search(r"want=\((.*)\)", setup).group(1)  # installed by the build set
    assert f"{EMOJI}.yaml" not in "".join(line for line in stderr.splitlines() if ": error: " in line)
    fonts = subprocess.run(["pdffonts", str(_pdf(project, EMOJI))], capture_output=True, text=True, check=True).stdout
    emoji_fonts = [line.split() for line in fonts.splitlines() if "Noto-Color-Emoji" in line]
    assert emoji_fonts and all(row[-5] == "yes" for row in emoji_fonts), fonts  # embedded
    text = "".join(page.extract_text() for page in pypdf.PdfReader(_pdf(project, EMOJI)).pages)
    assert "We are live 🎉 today" in text and "🚀🔥" in text
    assert pypdf.PdfReader(_pdf(project, EMOJI)).metadata.title == "We are live 🎉 today"
    paragraphs = [p.text for p in docx.Document(str(out / EMOJI / f"{EMOJI}.docx")).paragraphs]
    assert "We are live 🎉 today" in paragraphs and "Our post: 🚀🔥" in paragraphs
    page = html.parse(str(out / EMOJI / "index.html"))
    assert page.xpath("string(//h1)") == "We are live 🎉 today"
    assert "She wrote “Best day ever 👩🏽\u200d💻” on social media." in page.xpath("string(//div[@class='body'])")
    for name in ("feed.xml", "atom.xml"):
        (entry,) = [e for e in read_feed(out / name).entries if e.link.endswith(f"/{EMOJI}/")]
        assert entry.title == "We are live 🎉 today", name
        assert [t.term for t in entry.tags] == ["launch 🔥"], name


def test_emoji_documents_are_byte_reproducible(built, tmp_path):
    project, _ = built
    other = make_project(tmp_path / "elsewhere", {f"{EMOJI}.yaml": SOURCES[EMOJI]})
    assert run_presskit("build", "--now", NOW, cwd=other).returncode == 0
    documents = (f"{EMOJI}.pdf", f"{EMOJI}.docx")  # the page lists the project's languages, which differ
    again = {name: digest for name, digest in tree_digest(other / "out" / EMOJI).items() if name in documents}
    assert again == {name: digest for name, digest in tree_digest(project / "out" / EMOJI).items() if name in documents}
    assert sorted(again) == sorted(documents)


# -- a character no installed font has ------------------------------------------------------------
def test_a_character_no_font_has_is_a_warning_naming_it_and_its_field(built):
    project, stderr = built
    assert subprocess.run(["fc-list", ":charset=1e290"], capture_output=True, text=True).stdout == "", (
        "a font has U+1E290 here"
    )
    line = (
        f"releases/{TOTO}.yaml:{_at(TOTO, '𞊐')}: warning: title: no installed font has U+1E290 TOTO LETTER PA: "
        "the PDF shows an empty box in its place [check.missing-glyph]"
    )
    assert line in stderr.splitlines()
    assert _pdf(project, TOTO).is_file()
    assert "The Toto letter 𞊐 in print" in html.parse(str(project / "out" / TOTO / "index.html")).xpath("string(//h1)")
    checked = run_presskit("check", "--now", NOW, cwd=project)
    assert checked.returncode == 0, checked.stderr
    assert line in checked.stderr.splitlines()
    assert sum("check.missing-glyph" in x for x in checked.stderr.splitlines()) == 1  # emoji, Arabic, Hebrew: all drawn


# -- long words and headlines -----------------------------------------------------------------------
def test_a_3000_character_headline_and_a_5000_character_word_wrap_inside_the_pdf_page(built):
    project, _ = built
    pdf = _pdf(project, LONG)
    width = float(pypdf.PdfReader(pdf).pages[0].mediabox.width)
    words = _words(pdf)
    assert max(right for _left, right, _w in words) <= width - 56  # the 20 mm right margin
    assert min(left for left, _right, _w in words) >= 0
    joined = "".join(w for _l, _r, w in words)
    assert joined.count("Headline") == LONG_TITLE.count("Headline")  # nothing of the headline cut
    assert LONG_WORD in re.sub("\u2010", "", joined)  # the word whole, over many lines


def test_long_headline_and_word_do_not_scroll_sideways_at_390_pixels(built):
    project, _ = built
    node = shutil.which("node")
    assert node and (REPO / "node_modules" / "playwright-core").is_dir(), "run make test (npm ci)"
    pages = [
        project / "out" / LONG / "index.html",
        project / "out" / "index.html",
        project / "out" / ARABIC / "index.html",
    ]
    result = subprocess.run(
        [node, str(REPO / "tests" / "web" / "layout-check.mjs"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {page: found["phone"]["scrollWidth"] for page, found in report.items()} == {str(p): 390 for p in pages}


# -- right-to-left languages --------------------------------------------------------------------------
@pytest.mark.parametrize("slug, lang", [(ARABIC, "ar"), (HEBREW, "he")])
def test_right_to_left_releases_carry_dir_rtl_everywhere(built, slug, lang):
    project, _ = built
    out = project / "out"
    page = html.parse(str(out / slug / "index.html"))
    assert page.xpath("/html/@lang") == [lang] and page.xpath("/html/@dir") == ["rtl"]
    listing = html.parse(str(out / "index.html"))
    assert listing.xpath("/html/@dir") == ["ltr"]
    entries = {
        li.xpath("string(.//h2)").strip(): (li.get("lang"), li.get("dir"))
        for li in listing.xpath("//ol[@class='release-list']/li")
    }
    assert entries[page.xpath("string(//h1)")] == (lang, "rtl")
    assert entries["We are live 🎉 today"] == ("en", "ltr")
    assert html.parse(str(out / lang / "index.html")).xpath("/html/@dir") == ["rtl"]
    (entry,) = [e for e in read_feed(out / "feed.xml").entries if e.link.endswith(f"/{slug}/")]
    assert (
        html.fromstring(entry.content[0].value).xpath("/*/@dir") in (["rtl"], [])
        and 'dir="rtl"' in entry.content[0].value
    )


@pytest.mark.parametrize("slug", [ARABIC, HEBREW])
def test_right_to_left_pdf_sets_the_headline_at_the_right(built, slug):
    project, _ = built
    pdf = _pdf(project, slug)
    width = float(pypdf.PdfReader(pdf).pages[0].mediabox.width)
    title = SOURCES[slug].splitlines()[0].removeprefix("title: ").split()
    # poppler gives right-to-left words in the order their glyphs are drawn
    title = {unicodedata.normalize("NFKC", w) for w in title}
    words = _words(pdf, "1", with_top=True)
    (line,) = {
        top
        for _l, _r, w, top in words
        if {unicodedata.normalize("NFKC", w), unicodedata.normalize("NFKC", w[::-1])} & title
    }
    headline = [(left, right) for left, right, _w, top in words if top == line]
    assert len(headline) == len(title)
    assert (
        abs(max(right for _l, right in headline) - (width - 20 / 25.4 * 72)) < 8
    )  # at the right margin (WeasyPrint leaves 6 pt)
    assert min(left for left, _r in headline) > width / 2  # a short headline: its start is on the right


# -- bidirectional controls ----------------------------------------------------------------------------
def test_unbalanced_bidi_controls_are_removed_with_a_warning_at_their_place(built):
    _project, stderr = built
    lines = stderr.splitlines()
    message = "unbalanced bidirectional control {} removed: left open, it would reorder the text around the field [check.bidi-control]"
    path = f"releases/{BIDI}.yaml"
    expected = [
        f"{path}:{_at(BIDI, RLO)}: warning: title: {message.format('U+202E RIGHT-TO-LEFT OVERRIDE')}",
        f"{path}:{_at(BIDI, RLO + 'finance')}: warning: tags: {message.format('U+202E RIGHT-TO-LEFT OVERRIDE')}",
        f"{path}:{_at(BIDI, LRI)}: warning: contacts.name: {message.format('U+2066 LEFT-TO-RIGHT ISOLATE')}",
    ]
    assert [line for line in lines if "check.bidi-control" in line] == expected


def test_no_bidi_control_leaks_into_any_output_and_a_balanced_one_stays(built):
    project, _ = built
    out = project / "out"
    texts = {
        "page": (out / BIDI / "index.html").read_text(encoding="utf-8"),
        "listing": (out / "index.html").read_text(encoding="utf-8"),
        "language listing": (out / "en" / "index.html").read_text(encoding="utf-8"),
        "tag page": (out / "tags" / "finance" / "index.html").read_text(encoding="utf-8"),
        "rss": (out / "feed.xml").read_text(encoding="utf-8"),
        "atom": (out / "atom.xml").read_text(encoding="utf-8"),
        "sitemap": sitemap_text(out),
    }
    reader = pypdf.PdfReader(_pdf(project, BIDI))
    texts["pdf metadata"] = repr(dict(reader.metadata))
    texts["pdf text"] = "".join(page.extract_text() for page in reader.pages)
    document = docx.Document(str(out / BIDI / f"{BIDI}.docx"))
    texts["docx properties"] = f"{document.core_properties.title}|{document.core_properties.keywords}"
    texts["docx text"] = "\n".join(p.text for p in document.paragraphs)
    leaks = {name: CONTROLS.findall(text.replace(BALANCED, "")) for name, text in texts.items()}
    assert leaks == {name: [] for name in texts}
    page = html.parse(str(out / BIDI / "index.html"))
    assert page.xpath("string(//title)") == "Quarterly results · Test Office"
    assert page.xpath("string(//h1)") == "Quarterly results"
    assert "The word " + BALANCED + " stays isolated." in page.xpath("string(//div[@class='body'])")
    assert reader.metadata.title == "Quarterly results"
    assert page.xpath("//p[@class='tags']/a/text()") == ["finance"]
    assert page.xpath("string(//address//strong[@class='name'])") == "Ann Example"
    (entry,) = [e for e in read_feed(out / "feed.xml").entries if e.link.endswith(f"/{BIDI}/")]
    assert entry.title == "Quarterly results" and [t.term for t in entry.tags] == ["finance"]
