"""Distribution: feeds that validate, embargoes that cannot leak, drafts, corrections, translations, the newsroom."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

import docx
import pytest
from lxml import etree, html

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit, tree_digest
from support.readers import docx_text, html_text, pdf_text, read_feed
from support.w3cfeed import validate

BASE = "https://presse.example.org/"
NOW = "2026-01-01T00:00:00+00:00"
ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"


def feed_files(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("*.xml") if p.name in ("feed.xml", "atom.xml"))


def sizes_of(out: Path, base: str) -> dict[str, int]:
    return {base + quote(str(p.relative_to(out))): p.stat().st_size for p in out.rglob("*") if p.is_file()}


def location_of(path: Path, out: Path) -> str:
    """The address a feed is served at (its folder names percent-encoded, as every URL in a feed)."""
    return BASE + quote(str(path.relative_to(out)))


def beyond_the_validator(data: bytes, location: str, sizes: dict[str, int]) -> list[str]:
    """What the W3C validator cannot know: the self link is exactly where the feed is served, each enclosure's
    length is its file's size, and no two items share an id."""
    problems = []
    root = etree.fromstring(data)
    rss = root.tag == "rss"
    scope = root.find("channel") if rss else root
    selfs = scope.xpath("a:link[@rel='self']/@href", namespaces={"a": ATOM})
    if selfs != [location]:
        problems.append(f"self link {selfs} is not {location!r}")
    if rss:
        ids = [item.findtext("guid") for item in scope.iter("item")]
        for enclosure in scope.iter("enclosure"):
            if sizes.get(enclosure.get("url")) != int(enclosure.get("length")):
                problems.append(f"enclosure length {enclosure.get('length')} is not the size of {enclosure.get('url')}")
    else:
        ids = root.xpath("a:entry/a:id/text()", namespaces={"a": ATOM})
        for link in root.xpath("a:entry/a:link[@rel='enclosure']", namespaces={"a": ATOM}):
            if sizes.get(link.get("href")) != int(link.get("length")):
                problems.append(f"enclosure length {link.get('length')} is not the size of {link.get('href')}")
    if len(ids) != len(set(ids)):
        problems.append(f"duplicate ids in {ids}")
    return problems


# -- feeds --------------------------------------------------------------------------------------


def test_feeds_exist_for_the_newsroom_each_language_and_each_tag(samples: Path):
    names = {str(p.relative_to(samples)) for p in feed_files(samples)}
    for folder in (
        "",
        "fr/",
        "en/",
        "ja/",
        "tags/energy/",
        "tags/japon/",
        "tags/appel-a-projets/",
        "tags/research/",
        "tags/日本/",
        "tags/食品/",
    ):
        assert f"{folder}feed.xml" in names and f"{folder}atom.xml" in names, folder


def test_every_feed_parses_without_bozo_and_passes_the_w3c_feed_validator(samples: Path):
    sizes = sizes_of(samples, BASE)
    files = feed_files(samples)
    assert len(files) >= 30
    for path in files:
        parsed = read_feed(path)
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        location = location_of(path, samples)
        data = path.read_bytes()
        report = validate(data, location)
        assert (report.errors, report.warnings) == ([], []), path
        assert beyond_the_validator(data, location, sizes) == [], path


def test_the_validator_rejects_a_broken_feed(samples: Path):
    data = (samples / "feed.xml").read_bytes()
    broken = data.replace(b"<description>", b"<summary>", 1).replace(b"</description>", b"</summary>", 1)
    broken = broken.replace(b"+0200</pubDate>", b"CEST</pubDate>", 1).replace(b"+0100</pubDate>", b"CEST</pubDate>", 1)
    errors = [e.split(": ", 1)[1] for e in validate(broken, BASE + "feed.xml").errors]
    assert "Undefined channel element: summary" in errors
    assert "Missing channel element: description" in errors
    assert any(e.startswith("pubDate must be an RFC-822 date-time") for e in errors)
    tagged = samples / "tags" / "日本" / "feed.xml"
    iri = tagged.read_bytes().replace(quote("日本").encode(), "日本".encode())  # the feed as presskit wrote it before
    assert "IRI found where URL expected" in [
        e.split(": ", 1)[1] for e in validate(iri, location_of(tagged, samples)).errors
    ]
    assert [w.split(": ", 1)[1] for w in validate(data, BASE + "elsewhere.xml").warnings] == [
        "Self reference doesn't match document location"
    ]
    assert beyond_the_validator(data, BASE + "elsewhere.xml", sizes_of(samples, BASE))[0].startswith("self link")
    assert (
        "is not the size of"
        in beyond_the_validator(data.replace(b'length="', b'length="1', 1), BASE + "feed.xml", sizes_of(samples, BASE))[
            0
        ]
    )


def test_channel_links_to_its_newsroom_page(samples: Path):
    for folder in ("", "fr/", "tags/energy/", "tags/食品/"):
        rss = etree.parse(str(samples / folder / "feed.xml")).getroot()
        assert rss.findtext("channel/link") == BASE + quote(folder)
        assert rss.findtext("channel/image/link") == rss.findtext("channel/link")
        atom = etree.parse(str(samples / folder / "atom.xml")).getroot()
        assert atom.xpath("a:link[@rel='alternate']/@href", namespaces={"a": ATOM}) == [BASE + quote(folder)]


def test_item_carries_photos_categories_language_and_absolute_full_text(samples: Path):
    root = etree.parse(str(samples / "en" / "feed.xml")).getroot()
    (item,) = [i for i in root.iter("item") if i.findtext("link") == BASE + "2024-03-12-green-hydrogen-port/"]
    media = item.find(f"{{{MEDIA}}}content")
    assert media.get("url") == BASE + "2024-03-12-green-hydrogen-port/port-vendres-harbour-1.jpg"
    assert (media.get("type"), media.get("medium"), media.get("width"), media.get("height")) == (
        "image/jpeg",
        "image",
        "1600",
        "1000",
    )
    assert media.findtext(f"{{{MEDIA}}}credit") == "presskit sample image"
    assert (
        media.findtext(f"{{{MEDIA}}}description")
        == "The cargo quay at Port-Vendres, where the electric cranes will be installed."
    )
    assert [c.text for c in item.findall("category")] == ["energy", "harbours", "hydrogen"]
    assert item.findtext("{http://purl.org/dc/elements/1.1/}language") == "en"
    assert item.findtext("description").startswith("The Occitanie Region will invest €42 million")
    content = html.fromstring(item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded"))
    for url in content.xpath("//@href | //@src"):
        assert url.startswith(("https://", "mailto:", "tel:")), url


def test_builds_give_byte_identical_feeds_sitemap_and_pages(tmp_path: Path, samples: Path):
    project = samples.parent
    again = run_presskit("build", "--now", NOW, "--out", str(tmp_path / "again"), cwd=project)
    assert again.returncode == 0, again.stderr
    first, second = tree_digest(samples), tree_digest(tmp_path / "again")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []


def test_last_build_date_is_the_newest_publication_or_correction(tmp_path: Path):
    corrected = GOOD_RELEASE + "updated: 2024-03-01T12:00:00+01:00\ncorrection: The date was wrong.\n"
    project = make_project(tmp_path, {"2024-01-15-good.yaml": corrected})
    assert run_presskit("build", cwd=project).returncode == 0
    root = etree.parse(str(project / "out" / "feed.xml")).getroot()
    assert root.findtext("channel/lastBuildDate") == "Fri, 01 Mar 2024 12:00:00 +0100"
    atom = etree.parse(str(project / "out" / "atom.xml")).getroot()
    assert atom.findtext(f"{{{ATOM}}}updated") == "2024-03-01T12:00:00+01:00"
    entry = atom.find(f"{{{ATOM}}}entry")
    assert entry.findtext(f"{{{ATOM}}}updated") == "2024-03-01T12:00:00+01:00"
    assert entry.findtext(f"{{{ATOM}}}published") == "2024-01-15T00:00:00+00:00"


def test_index_and_release_pages_advertise_their_feeds(samples: Path):
    for page in (
        samples / "index.html",
        samples / "fr" / "index.html",
        samples / "2024-06-03-research-call" / "index.html",
    ):
        tree = html.parse(str(page))
        feeds = tree.xpath(
            "//link[@rel='alternate'][@type='application/rss+xml' or @type='application/atom+xml']/@href"
        )
        assert len(feeds) >= 2, page
        for href in feeds:
            assert (page.parent / href).resolve().is_file(), (page, href)
    release = html.parse(str(samples / "2024-06-03-research-call" / "index.html"))
    assert release.xpath("//link[@type='application/rss+xml']/@href") == ["../feed.xml", "../fr/feed.xml"]


# -- embargo ------------------------------------------------------------------------------------

SECRET_TITLE = "Merger of the two regional airports"
SECRET_BODY = "The shareholders approved the zeppelin clause unanimously."
SECRET = (
    f"title: {SECRET_TITLE}\ndate: 2024-02-01\nlocation: Perpignan\nembargo: 2024-02-01T09:00:00+01:00\n"
    f"lead: Confidential until lifted.\nbody: |\n  {SECRET_BODY}\nphotos:\n  - file: secret-photo.png\n    alt: Airport\n"
    "tags: [airports]\ncontacts:\n  - name: Ann Example\n    email: ann@example.org\n"
)


def _everything_under(out: Path) -> str:
    """Every byte under out/, decoded, plus the text a reader extracts from each PDF and DOCX."""
    parts = []
    for path in sorted(out.rglob("*")):
        if not path.is_file():
            continue
        parts.append(str(path.relative_to(out)))
        data = path.read_bytes()
        parts.append(data.decode("utf-8", errors="replace"))
        parts.append(data.decode("utf-16-be", errors="replace"))
        if path.suffix == ".pdf":
            parts.append(pdf_text(path))
        elif path.suffix == ".docx":
            parts.append(docx_text(path))
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts += [archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist()]
    return "\n".join(parts)


@pytest.fixture
def embargo_project(tmp_path: Path) -> Path:
    from PIL import Image

    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE, "2024-02-01-airport-merger.yaml": SECRET})
    Image.new("RGB", (40, 30), (200, 10, 10)).save(project / "releases" / "secret-photo.png")
    return project


def test_embargoed_release_leaves_no_trace_before_lift_and_is_complete_after(embargo_project: Path):
    before = run_presskit("build", "--now", "2024-02-01T07:59:59Z", cwd=embargo_project)
    assert before.returncode == 0, before.stderr
    everything = _everything_under(embargo_project / "out")
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
        "secret-photo-1.png",
    }
    assert SECRET_BODY in pdf_text(folder / "2024-02-01-airport-merger.pdf")
    assert SECRET_TITLE in (out / "index.html").read_text()
    assert [e.title for e in read_feed(out / "feed.xml").entries] == [SECRET_TITLE, "A good release"]
    assert BASE.replace("presse", "news") + "2024-02-01-airport-merger/" in (out / "sitemap.xml").read_text()
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
    assert SECRET_TITLE not in _everything_under(embargo_project / "out")
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
    assert SECRET_TITLE not in _everything_under(embargo_project / "out")


# -- drafts and corrections --------------------------------------------------------------------


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


# -- translations -------------------------------------------------------------------------------


def test_translation_pair_is_linked_both_ways_with_hreflang(samples: Path):
    fr = html.parse(str(samples / "2024-06-03-research-call" / "index.html"))
    en = html.parse(str(samples / "2024-06-03-research-call-en" / "index.html"))
    expected = {
        "fr": BASE + "2024-06-03-research-call/",
        "en": BASE + "2024-06-03-research-call-en/",
        "x-default": BASE + "2024-06-03-research-call/",
    }
    for tree in (fr, en):
        links = {link.get("hreflang"): link.get("href") for link in tree.xpath("//link[@rel='alternate'][@hreflang]")}
        assert links == expected
    assert fr.xpath("//nav[@class='translations']//a/@href") == ["../2024-06-03-research-call-en/index.html"]
    assert fr.xpath("//nav[@class='translations']//a/text()") == ["English"]
    assert en.xpath("//nav[@class='translations']//a/text()") == ["Français"]


def test_each_language_has_its_own_index_and_feeds(samples: Path):
    fr = html.parse(str(samples / "fr" / "index.html"))
    en = html.parse(str(samples / "en" / "index.html"))
    assert fr.xpath("//html/@lang") == ["fr"] and en.xpath("//html/@lang") == ["en"]
    fr_links = fr.xpath("//ol[@class='release-list']//h2/a/@href")
    en_links = en.xpath("//ol[@class='release-list']//h2/a/@href")
    assert fr_links == ["../2024-06-03-research-call/index.html", "../2023-09-29-occitanie-japon/index.html"]
    assert en_links == ["../2024-06-03-research-call-en/index.html", "../2024-03-12-green-hydrogen-port/index.html"]
    assert [e.link for e in read_feed(samples / "fr" / "feed.xml").entries] == [
        BASE + "2024-06-03-research-call/",
        BASE + "2023-09-29-occitanie-japon/",
    ]
    assert read_feed(samples / "en" / "feed.xml").feed.language == "en"


def test_release_without_translation_has_no_switcher(samples: Path):
    page = html.parse(str(samples / "2023-09-29-occitanie-japon" / "index.html"))
    assert page.xpath("//nav[@class='translations']") == []
    assert page.xpath("//link[@hreflang]") == []


def test_embargoed_translation_is_not_linked_before_lift(tmp_path: Path):
    fr = GOOD_RELEASE.replace("A good release", "Un bon communiqué") + "lang: fr\n"
    en = GOOD_RELEASE + "translation_of: 2024-01-15-bon\nembargo: 2024-03-01T00:00:00Z\n"
    project = make_project(tmp_path, {"2024-01-15-bon.yaml": fr, "2024-01-15-good.yaml": en})
    assert run_presskit("build", "--now", "2024-02-01T00:00:00Z", cwd=project).returncode == 0
    assert "2024-01-15-good" not in _everything_under(project / "out")
    assert run_presskit("build", "--now", "2024-03-02T00:00:00Z", cwd=project).returncode == 0
    page = html.parse(str(project / "out" / "2024-01-15-bon" / "index.html"))
    assert page.xpath("//link[@hreflang='en']/@href") == ["https://news.example.org/2024-01-15-good/"]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            {"2024-01-15-good.yaml": GOOD_RELEASE + "translation_of: 2024-01-01-missing\n"},
            "releases/2024-01-15-good.yaml:9:17: error: translation_of: no release has the slug '2024-01-01-missing' [release.translation]",
        ),
        (
            {
                "2024-01-15-good.yaml": GOOD_RELEASE,
                "2024-01-15-again.yaml": GOOD_RELEASE + "translation_of: 2024-01-15-good\n",
            },
            "releases/2024-01-15-again.yaml:9:17: error: '2024-01-15-again' and '2024-01-15-good' are translations of each other but both are in 'en' [release.translation]",
        ),
        (
            {"2024-01-15-good.yaml": GOOD_RELEASE + "translation_of: 2024-01-15-good\n"},
            "releases/2024-01-15-good.yaml:9:17: error: a release cannot be a translation of itself [release.translation]",
        ),
    ],
)
def test_translation_errors(tmp_path: Path, files, expected):
    project = make_project(tmp_path, files)
    result = run_presskit("build", cwd=project)
    assert result.returncode == 1
    assert expected in result.stderr.splitlines(), result.stderr


# -- the newsroom -------------------------------------------------------------------------------


def test_index_pages_are_paginated_and_list_every_release_once(tmp_path: Path):
    releases = {
        f"2024-01-{day:02d}-r{day}.yaml": GOOD_RELEASE.replace("2024-01-15", f"2024-01-{day:02d}").replace(
            "A good release", f"Release {day}"
        )
        + "tags: [weekly]\n"
        for day in range(1, 6)
    }
    project = make_project(tmp_path, releases, MINIMAL_CONFIG + "page_size = 2\n")
    assert run_presskit("build", cwd=project).returncode == 0
    out = project / "out"
    pages = [out / "index.html", out / "page" / "2" / "index.html", out / "page" / "3" / "index.html"]
    titles = [[a.text for a in html.parse(str(p)).xpath("//ol//h2/a")] for p in pages]
    assert titles == [["Release 5", "Release 4"], ["Release 3", "Release 2"], ["Release 1"]]
    assert not (out / "page" / "4").exists()
    second = html.parse(str(pages[1]))
    assert second.xpath("//nav[@class='pagination']/a/@href") == ["../../index.html", "../../page/3/index.html"]
    assert second.xpath("//link[@rel='prev']/@href") == ["https://news.example.org/"]
    for href in second.xpath("//ol//a/@href"):
        assert (pages[1].parent / href).resolve().exists(), href
    assert (out / "tags" / "weekly" / "page" / "3" / "index.html").is_file()
    assert (out / "en" / "page" / "2" / "index.html").is_file()


def test_index_shows_thumbnails_dates_sections_tags_and_downloads(samples: Path):
    tree = html.parse(str(samples / "index.html"))
    (entry,) = [a for a in tree.xpath("//article[@class='release-summary']") if "Port-Vendres" in a.text_content()]
    assert entry.xpath(".//img[@class='thumbnail']/@src") == [
        "2024-03-12-green-hydrogen-port/port-vendres-harbour-1.jpg"
    ]
    assert entry.xpath(".//time/text()") == ["March 12, 2024"]
    assert entry.xpath(".//span[@class='section']/text()") == ["Energy transition"]
    assert entry.xpath(".//p[@class='tags']/a/@href") == [
        "tags/energy/index.html",
        "tags/harbours/index.html",
        "tags/hydrogen/index.html",
    ]
    assert entry.xpath(".//p[@class='downloads']/a/text()") == ["PDF", "DOCX"]


def test_tag_page_lists_the_tagged_releases(samples: Path):
    tree = html.parse(str(samples / "tags" / "appel-a-projets" / "index.html"))
    assert tree.xpath("//h1/text()") == ["Mot-clé\u00a0: appel à projets"]
    assert tree.xpath("//ol//h2/a/@href") == ["../../2024-06-03-research-call/index.html"]


def test_sitemap_and_robots(samples: Path):
    root = etree.parse(str(samples / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    locs = root.xpath("//s:loc/text()", namespaces=ns)
    for slug in (
        "2023-09-29-occitanie-japon",
        "2024-03-12-green-hydrogen-port",
        "2024-06-03-research-call",
        "2024-06-03-research-call-en",
    ):
        assert BASE + slug + "/" in locs
    assert BASE in locs and BASE + "fr/" in locs and BASE + "tags/energy/" in locs
    assert BASE + "tags/%E6%97%A5%E6%9C%AC/" in locs and BASE + "tags/%E9%A3%9F%E5%93%81/" in locs  # 日本, 食品
    for url in locs + root.xpath("//x:link/@href", namespaces=ns):  # URLs, not IRIs; each names a page of out/
        assert url.isascii() and url.startswith(BASE), url
        assert (samples / unquote(url.removeprefix(BASE), errors="strict") / "index.html").is_file(), url
    assert {unquote(url) for url in locs} >= {BASE + "tags/日本/", BASE + "tags/食品/"}
    assert "2027-01-15-budget-2027" not in (samples / "sitemap.xml").read_text()
    (url,) = [
        u
        for u in root.xpath("//s:url", namespaces=ns)
        if u.findtext("s:loc", namespaces=ns) == BASE + "2024-06-03-research-call-en/"
    ]
    alternates = {link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=ns)}
    assert alternates == {
        "en": BASE + "2024-06-03-research-call-en/",
        "fr": BASE + "2024-06-03-research-call/",
        "x-default": BASE + "2024-06-03-research-call/",
    }
    assert (samples / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_labels_and_dates_follow_each_release_language(samples: Path):
    fr = html.parse(str(samples / "2024-06-03-research-call" / "index.html"))
    en = html.parse(str(samples / "2024-06-03-research-call-en" / "index.html"))
    assert fr.xpath("//p[@class='label']/text()") == ["Communiqué de presse"]
    assert en.xpath("//p[@class='label']/text()") == ["Press release"]
    assert fr.xpath("//p[@class='dateline']/time/text()") == ["Montpellier, le 3 juin 2024"]
    assert en.xpath("//p[@class='dateline']/time/text()") == ["Montpellier, June 3, 2024"]
    assert fr.xpath("//section[@class='contacts']/h2/text()") == ["Contact presse"]
    assert en.xpath("//section[@class='contacts']/h2/text()") == ["Press contacts"]


def test_a_language_without_a_data_file_gets_cldr_dates_and_english_labels(tmp_path: Path):
    release = GOOD_RELEASE + "lang: de\n"
    project = make_project(tmp_path, {"2024-01-15-good.yaml": release})
    assert run_presskit("build", cwd=project).returncode == 0
    page = html.parse(str(project / "out" / "2024-01-15-good" / "index.html"))
    assert page.xpath("//p[@class='dateline']/time/text()") == ["Paris, 15. Januar 2024"]
    assert page.xpath("//p[@class='label']/text()") == ["Press release"]


def test_feeds_carry_the_newest_feed_size_items_and_the_listings_everything(tmp_path: Path):
    releases = {
        f"2024-01-{day:02d}-r{day}.yaml": GOOD_RELEASE.replace("2024-01-15", f"2024-01-{day:02d}").replace(
            "A good release", f"Release {day}"
        )
        for day in range(1, 4)
    }
    project = make_project(tmp_path, releases, MINIMAL_CONFIG + "feed_size = 2\n")
    assert run_presskit("build", cwd=project).returncode == 0
    out = project / "out"
    for name in ("feed.xml", "atom.xml", "en/feed.xml", "en/atom.xml"):
        assert [e.title for e in read_feed(out / name).entries] == ["Release 3", "Release 2"], name
    assert [a.text for a in html.parse(str(out / "index.html")).xpath("//ol//h2/a")] == [
        "Release 3",
        "Release 2",
        "Release 1",
    ]
    assert "2024-01-01-r1" in (out / "sitemap.xml").read_text()
