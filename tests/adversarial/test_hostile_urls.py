"""Non-ASCII tags, photo and logo names and a non-ASCII base URL: every absolute URL presskit writes into
feeds, the sitemap, robots.txt and the pages' link elements, Open Graph tags and JSON-LD is a URL (RFC 3986,
ASCII, UTF-8 percent-encoded), never an IRI; the W3C feed validator reports no error; the visible text
keeps the readable form."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from lxml import etree, html
from PIL import Image

from support.project import make_project, run_presskit
from support.readers import SITEMAP_NS, sitemap_urls, sitemaps
from support.w3cfeed import validate

BASE = "https://presse.example.org/actualités/"
ENCODED_BASE = "https://presse.example.org/actualit%C3%A9s/"
CONFIG = '[tool.presskit]\norganization = "Test Office"\nbase_url = "https://news.example.org/"\nlang = "ja"\nlogo = "assets/ロゴ.png"\n'
RELEASE = """\
title: 東京の食品見本市
date: 2024-01-15
lang: ja
location: 東京
lead: 日本の食品をご紹介します。
tags: [日本, 食品, Économie, "spaces and 100% #tags?"]
body: |
  本文です。
photos:
  - file: 写真 一.png
    alt: 見本市の会場
    credit: 広報
contacts:
  - name: 山田
    email: yamada@example.org
"""
FEEDS = [
    "feed.xml",
    "atom.xml",
    "ja/feed.xml",
    "ja/atom.xml",
    "tags/日本/feed.xml",
    "tags/日本/atom.xml",
    "tags/食品/feed.xml",
    "tags/食品/atom.xml",
    "tags/economie/feed.xml",
    "tags/spaces-and-100-tags/atom.xml",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("iri"), {"2024-01-15-food-fair.yaml": RELEASE}, CONFIG)
    Image.new("RGB", (40, 30), "green").save(project / "releases" / "写真 一.png")
    (project / "assets").mkdir()
    Image.new("RGB", (20, 20), "red").save(project / "assets" / "ロゴ.png")
    result = run_presskit("build", "--base-url", BASE, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "out"


def located(url: str, out: Path) -> Path:
    """The file of out/ that an absolute URL of the newsroom names (a folder's URL names its index.html)."""
    assert url.isascii(), f"IRI, not a URL: {url}"
    assert url.startswith(ENCODED_BASE), url
    path = out / unquote(urlsplit(url).path.removeprefix(urlsplit(ENCODED_BASE).path), errors="strict")
    return path / "index.html" if url.endswith("/") else path


def xml_urls(path: Path) -> list[str]:
    """Every absolute http(s) URL in an XML file's element texts and attributes (escaped HTML content aside)."""
    root = etree.parse(str(path)).getroot()
    elements = [
        el for el in root.iter() if isinstance(el.tag, str) and el.tag != "docs"
    ]  # RSS <docs>: the specification's address
    found = [el.text.strip() for el in elements if (el.text or "").strip().startswith("http")]
    return found + [value for el in elements for value in el.attrib.values() if value.startswith("http")]


@pytest.mark.parametrize("name", FEEDS)
def test_feeds_have_urls_and_pass_the_w3c_feed_validator(out: Path, name: str):
    path = out / name
    report = validate(path.read_bytes(), ENCODED_BASE + quote(name))
    assert (report.errors, report.warnings) == ([], [])
    urls = xml_urls(path)
    assert urls
    for url in urls:
        assert located(url, out).is_file(), url
    rss = etree.parse(str(path)).getroot()
    if rss.tag == "rss":
        assert (
            rss.findtext("channel/image/link")
            == rss.findtext("channel/link")
            == ENCODED_BASE + quote(name.removesuffix("feed.xml"))
        )


@pytest.mark.parametrize("name", ["feed.json", "ja/feed.json", "tags/日本/feed.json", "tags/食品/feed.json"])
def test_json_feeds_have_urls_that_read_back_to_files(out: Path, name: str):
    data = json.loads((out / name).read_bytes())
    assert data["feed_url"] == ENCODED_BASE + quote(name)
    found = [data["home_page_url"], data["feed_url"], data["icon"], data["favicon"], data["authors"][0]["url"]]
    for item in data["items"]:
        found += [item["id"], item["url"], item["image"]] + [a["url"] for a in item["attachments"]]
        assert [a["mime_type"] for a in item["attachments"]] == ["application/pdf", "application/zip"]  # PDF, kit
    assert len(found) == 10
    for url in found:
        assert located(url, out).is_file(), url


def test_visible_text_stays_readable(out: Path):
    """The escaped form is for addresses only: titles, categories, tag names and links' text keep the letters."""
    rss = etree.parse(str(out / "tags" / "食品" / "feed.xml")).getroot()
    assert rss.findtext("channel/title") == "Test Office (食品)"
    assert [c.text for c in rss.iter("category")] == ["日本", "食品", "Économie", "spaces and 100% #tags?"]
    assert rss.findtext("channel/link") == ENCODED_BASE + "tags/%E9%A3%9F%E5%93%81/"
    assert unquote(rss.findtext("channel/link")) == BASE + "tags/食品/"
    page = html.parse(str(out / "2024-01-15-food-fair" / "index.html"))
    assert [a.text_content().strip() for a in page.xpath("//a[contains(@href, 'tags/')]")][:2] == ["日本", "食品"]
    assert "東京の食品見本市" in html.parse(str(out / "tags" / "食品" / "index.html")).xpath("string(//main)")


def test_sitemap_and_robots_have_urls_that_read_back_to_the_pages(out: Path):
    locs = [url.findtext("s:loc", namespaces=SITEMAP_NS) for url in sitemap_urls(out)]
    assert ENCODED_BASE + "tags/%E6%97%A5%E6%9C%AC/" in locs and ENCODED_BASE + "tags/%E9%A3%9F%E5%93%81/" in locs
    assert {BASE + "tags/日本/", BASE + "tags/食品/", BASE + "2024-01-15-food-fair/"} <= {unquote(url) for url in locs}
    for sitemap in [out / "sitemap.xml", *sitemaps(out)]:
        for url in xml_urls(sitemap):
            assert located(url, out).is_file(), url
    assert (out / "robots.txt").read_text().splitlines()[-1] == f"Sitemap: {ENCODED_BASE}sitemap.xml"


@pytest.mark.parametrize(
    "page",
    ["index.html", "tags/日本/index.html", "tags/食品/index.html", "ja/index.html", "2024-01-15-food-fair/index.html"],
)
def test_pages_link_elements_open_graph_and_json_ld_hold_urls(out: Path, page: str):
    tree = html.parse(str(out / page))
    urls = tree.xpath("//link[@rel='canonical' or @hreflang or @rel='prev' or @rel='next']/@href")
    urls += tree.xpath("//meta[@property='og:url' or @property='og:image' or @name='twitter:image']/@content")

    def walk(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key in ("url", "mainEntityOfPage") and isinstance(item, str):
                    urls.append(item)
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for script in tree.xpath("//script[@type='application/ld+json']/text()"):
        walk(json.loads(script))
    assert len(urls) >= 4
    for url in urls:
        assert located(url, out).is_file(), url
    (canonical,) = tree.xpath("//link[@rel='canonical']/@href")
    assert located(canonical, out) == out / page
