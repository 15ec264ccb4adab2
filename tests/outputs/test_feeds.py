"""The RSS and Atom feeds: one for the newsroom, each language and each tag; each passes the W3C feed validator;
what aggregators need; linked from the pages that they follow."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from lxml import etree, html

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit
from support.readers import files_under, read_feed, sitemap_text
from support.w3cfeed import validate

BASE = "https://presse.example.org/"
ATOM = "http://www.w3.org/2005/Atom"
MEDIA = "http://search.yahoo.com/mrss/"


def feed_files(out: Path) -> list[Path]:
    return [p for p in files_under(out) if p.name in ("feed.xml", "atom.xml")]


def sizes_of(out: Path, base: str) -> dict[str, int]:
    return {base + quote(str(p.relative_to(out))): p.stat().st_size for p in files_under(out)}


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
            assert Path(os.path.normpath(page.parent / href)).is_file(), (page, href)  # as a browser resolves it
    release = html.parse(str(samples / "2024-06-03-research-call" / "index.html"))
    assert release.xpath("//link[@type='application/rss+xml']/@href") == ["../feed.xml", "../fr/feed.xml"]


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
    assert "2024-01-01-r1" in sitemap_text(out)
