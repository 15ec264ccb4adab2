"""JSON Feed 1.1 beside every RSS and Atom feed: the spec's fields exactly, the Atom feed's items in its order,
attachments with their files' sizes (the press kit when the release has one), announced by the pages."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import zipfile
from pathlib import Path
from urllib.parse import quote, unquote

from lxml import etree, html

from presskit.build import pipeline
from presskit.diagnostics import Reporter
from presskit.site import feed, sections
from presskit.site.context import RenderContext

from support.project import GOOD_RELEASE, make_project

BASE = "https://presse.example.org/"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
VERSION = "https://jsonfeed.org/version/1.1"
# Every field JSON Feed 1.1 defines (jsonfeed.org/version/1.1), and the ones it requires.
FEED_FIELDS = {
    "version",
    "title",
    "home_page_url",
    "feed_url",
    "description",
    "user_comment",
    "next_url",
    "icon",
    "favicon",
    "authors",
    "language",
    "expired",
    "hubs",
    "items",
}
ITEM_FIELDS = {
    "id",
    "url",
    "external_url",
    "title",
    "content_html",
    "content_text",
    "summary",
    "image",
    "banner_image",
    "date_published",
    "date_modified",
    "authors",
    "tags",
    "language",
    "attachments",
}
ATTACHMENT_FIELDS = {"url", "mime_type", "title", "size_in_bytes", "duration_in_seconds"}


def spec_problems(data: dict) -> list[str]:
    """What JSON Feed 1.1 requires and defines, checked field by field (no JSON Schema of it is published)."""
    problems = []
    if data.get("version") != VERSION:
        problems.append(f"version {data.get('version')!r}")
    if not isinstance(data.get("title"), str) or not isinstance(data.get("items"), list):
        problems.append("title and items are required")
    problems += [f"unknown feed field {k}" for k in data.keys() - FEED_FIELDS]
    for author in data.get("authors", []):
        if not isinstance(author.get("name"), str):
            problems.append(f"author without a name: {author}")
    for hub in data.get("hubs", []):
        if set(hub) != {"type", "url"}:
            problems.append(f"hub {hub}")
    for item in data.get("items", []):
        if not isinstance(item.get("id"), str) or not (
            isinstance(item.get("content_html"), str) or isinstance(item.get("content_text"), str)
        ):
            problems.append(f"item without id or content: {item.get('id')}")
        problems += [f"unknown item field {k}" for k in item.keys() - ITEM_FIELDS]
        for key in ("date_published", "date_modified"):  # RFC 3339: a date-time with its offset
            if dt.datetime.fromisoformat(item[key]).tzinfo is None:
                problems.append(f"{key} {item[key]} has no offset")
        if not all(isinstance(tag, str) for tag in item.get("tags", [])):
            problems.append(f"tags {item.get('tags')}")
        for attachment in item.get("attachments", []):
            problems += [f"unknown attachment field {k}" for k in attachment.keys() - ATTACHMENT_FIELDS]
            if not isinstance(attachment.get("url"), str) or not isinstance(attachment.get("mime_type"), str):
                problems.append(f"attachment without url or mime_type: {attachment}")
            if not isinstance(attachment.get("size_in_bytes", 0), int):
                problems.append(f"size_in_bytes {attachment['size_in_bytes']!r}")
    return problems


def folders_of(out: Path, name: str) -> list[str]:
    """The folders (relative to the site root: "", "fr/", "tags/energy/") that hold a file of this name."""
    return sorted(p.parent.relative_to(out).as_posix().removeprefix(".") + "/" for p in out.rglob(name))


def section_folders(out: Path) -> list[str]:
    return [folder.removeprefix("/") for folder in folders_of(out, sections.ATOM)]


def file_of(url: str, out: Path) -> Path:
    assert url.startswith(BASE), url
    return out / unquote(url.removeprefix(BASE))


def test_every_section_has_a_json_feed_beside_its_rss_and_atom(samples: Path):
    folders = section_folders(samples)
    assert len(folders) == 18 and folders[0] == "" and {"fr/", "tags/energy/", "tags/日本/"} <= set(folders)
    assert folders_of(samples, sections.JSON) == folders_of(samples, sections.RSS) == folders_of(samples, sections.ATOM)


def test_each_json_feed_follows_the_spec_and_carries_the_atom_feeds_items_in_order(samples: Path):
    for folder in section_folders(samples):
        data = json.loads((samples / folder / sections.JSON).read_bytes())
        assert spec_problems(data) == [], folder
        atom = etree.parse(str(samples / folder / sections.ATOM)).getroot()
        rss = etree.parse(str(samples / folder / sections.RSS)).getroot()
        assert data["feed_url"] == BASE + quote(folder) + "feed.json"
        assert [data["home_page_url"]] == atom.xpath("a:link[@rel='alternate']/@href", namespaces=ATOM)
        assert data["title"] == atom.findtext("a:title", namespaces=ATOM) == rss.findtext("channel/title")
        assert data["description"] == rss.findtext("channel/description")
        assert data["language"] == rss.findtext("channel/language")
        assert data["icon"] == data["favicon"] == BASE + "logo.png" and (samples / "logo.png").is_file()
        assert data["authors"] == [{"name": "Région Occitanie", "url": BASE}]
        assert "hubs" not in data  # the samples set no websub_hub
        entries = atom.xpath("a:entry", namespaces=ATOM)
        assert [i["id"] for i in data["items"]] == [e.findtext("a:id", namespaces=ATOM) for e in entries]
        assert len(data["items"]) == len(entries) >= 1
        items = rss.findall("channel/item")
        for item, entry, rss_item in zip(data["items"], entries, items, strict=True):
            assert item["url"] == item["id"] == rss_item.findtext("link")
            assert item["title"] == entry.findtext("a:title", namespaces=ATOM)
            assert item["summary"] == entry.findtext("a:summary", namespaces=ATOM)
            assert item["content_html"] == entry.findtext("a:content", namespaces=ATOM)
            assert item["date_published"] == entry.findtext("a:published", namespaces=ATOM)
            assert item["date_modified"] == entry.findtext("a:updated", namespaces=ATOM)
            assert item.get("tags", []) == entry.xpath("a:category/@term", namespaces=ATOM)
            assert item["language"] == rss_item.findtext("{http://purl.org/dc/elements/1.1/}language")
            assert item["authors"] == [{"name": "Région Occitanie"}]


def test_attachments_are_the_pdf_and_the_press_kit_with_their_exact_sizes(samples: Path):
    data = json.loads((samples / sections.JSON).read_bytes())
    assert len(data["items"]) == 5
    for item in data["items"]:
        slug = item["url"].removeprefix(BASE).strip("/")
        assert item["attachments"] == [
            {
                "url": f"{BASE}{slug}/{slug}.pdf",
                "mime_type": "application/pdf",
                "title": f"{slug}.pdf",
                "size_in_bytes": (samples / slug / f"{slug}.pdf").stat().st_size,
            },
            {
                "url": f"{BASE}{slug}/{slug}-press-kit.zip",
                "mime_type": "application/zip",
                "title": f"{slug}-press-kit.zip",
                "size_in_bytes": (samples / slug / f"{slug}-press-kit.zip").stat().st_size,
            },
        ]
    hydrogen = next(i for i in data["items"] if "green-hydrogen" in i["id"])
    assert hydrogen["image"] == BASE + "2024-03-12-green-hydrogen-port/port-vendres-harbour-1.jpg"
    assert file_of(hydrogen["image"], samples).is_file()
    assert hydrogen["language"] == "en" and hydrogen["tags"] == ["energy", "harbours", "hydrogen"]


def test_a_json_feed_for_a_language_carries_only_that_language(samples: Path):
    for lang in ("fr", "en", "ja"):
        data = json.loads((samples / lang / sections.JSON).read_bytes())
        assert data["language"] == lang
        assert {item["language"] for item in data["items"]} == {lang}


def test_the_press_kit_is_attached_when_the_release_folder_holds_one(tmp_path: Path):
    project = make_project(tmp_path / "project", {"2024-01-15-good.yaml": GOOD_RELEASE})
    reporter = Reporter(project)
    config, sources = pipeline.load_project(project, reporter)
    assert reporter.errors == []
    views = pipeline.release_views([s.release for s in sources], config)
    context = RenderContext.for_site(config, tuple(sections.languages(views)))
    slug = "2024-01-15-good"
    built = tmp_path / "built"
    (built / slug).mkdir(parents=True)
    (built / slug / f"{slug}.pdf").write_bytes(b"%PDF-1.7\n" + bytes(1000))
    written: dict[str, bytes] = {}

    class Files:
        def write(self, relative: str, data: bytes | str) -> None:
            written[relative] = data.encode() if isinstance(data, str) else data

    def attachments() -> list[dict]:
        written.clear()
        feed.write(views, Files(), context, {}, lambda relative: built / relative)
        (item,) = json.loads(written["feed.json"])["items"]
        return item["attachments"]

    pdf = {
        "url": f"https://news.example.org/{slug}/{slug}.pdf",
        "mime_type": "application/pdf",
        "title": f"{slug}.pdf",
        "size_in_bytes": 1009,
    }
    assert attachments() == [pdf]
    kit = io.BytesIO()
    with zipfile.ZipFile(kit, "w") as archive:
        archive.writestr(f"{slug}.pdf", b"%PDF-1.7\n")
    (built / slug / f"{slug}-press-kit.zip").write_bytes(kit.getvalue())
    assert attachments() == [
        pdf,
        {
            "url": f"https://news.example.org/{slug}/{slug}-press-kit.zip",
            "mime_type": "application/zip",
            "title": f"{slug}-press-kit.zip",
            "size_in_bytes": len(kit.getvalue()),
        },
    ]
    assert sorted(written) == sorted(f"{folder}{name}" for folder in ("", "en/") for name in sections.FEED_TYPES)


def test_pages_announce_the_json_feeds(samples: Path):
    for page in (samples / "index.html", samples / "fr" / "index.html", samples / "tags" / "energy" / "index.html"):
        links = html.parse(str(page)).xpath("//link[@rel='alternate'][@type='application/feed+json']")
        assert [link.get("href").rsplit("/", 1)[-1] for link in links] == ["feed.json"], page
        assert (page.parent / links[0].get("href")).resolve() == (page.parent / "feed.json").resolve()
        assert links[0].get("title").endswith(" (JSON Feed)")
    release = html.parse(str(samples / "2024-06-03-research-call" / "index.html"))
    assert release.xpath("//link[@type='application/feed+json']/@href") == ["../feed.json", "../fr/feed.json"]
    for href in release.xpath("//link[@type='application/feed+json']/@href"):
        assert Path(os.path.normpath(samples / "2024-06-03-research-call" / href)).is_file()  # as a browser resolves it


def test_the_spec_check_rejects_a_broken_feed(samples: Path):
    data = json.loads((samples / sections.JSON).read_bytes())
    item = {k: v for k, v in data["items"][0].items() if k != "id"} | {"guid": "x", "date_modified": "2024-01-01T10:00"}
    item["attachments"] = [{"url": "https://x.example/a.pdf", "size_in_bytes": "12"}]
    broken = data | {"version": "https://jsonfeed.org/version/1", "items": [item], "author": {"name": "x"}}
    assert sorted(spec_problems(broken)) == sorted(
        [
            "version 'https://jsonfeed.org/version/1'",
            "unknown feed field author",
            "item without id or content: None",
            "unknown item field guid",
            "date_modified 2024-01-01T10:00 has no offset",
            "attachment without url or mime_type: {'url': 'https://x.example/a.pdf', 'size_in_bytes': '12'}",
            "size_in_bytes '12'",
        ]
    )
