"""The sitemap index (sitemap.xml), its sitemaps (every page, as ASCII URLs, with hreflang alternates; no embargoed
release; one sitemap per year of releases) and robots.txt."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from support.readers import SITEMAP_NS, sitemap_text, sitemap_urls, sitemaps

BASE = "https://presse.example.org/"


def test_the_index_names_the_listing_pages_sitemap_and_one_sitemap_per_year(samples: Path):
    index = etree.parse(str(samples / "sitemap.xml")).getroot()
    assert [s.findtext("s:loc", namespaces=SITEMAP_NS) for s in index] == [
        BASE + "sitemap-pages.xml",
        BASE + "sitemap-2023.xml",
        BASE + "sitemap-2024.xml",
    ]
    for path in sitemaps(samples):
        root = etree.parse(str(path)).getroot()
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
        locs = root.xpath("s:url/s:loc/text()", namespaces=SITEMAP_NS)
        if path.name != "sitemap-pages.xml":
            year = path.stem.removeprefix("sitemap-")
            assert locs and all(url.removeprefix(BASE).startswith(year + "-") for url in locs), (path.name, locs)
        else:
            assert BASE in locs and not any(url.removeprefix(BASE)[:2] == "20" for url in locs)
    (newest,) = index.xpath("s:sitemap[s:loc='" + BASE + "sitemap-2023.xml']/s:lastmod/text()", namespaces=SITEMAP_NS)
    assert newest.startswith("2023-09-29")


def test_sitemap_and_robots(samples: Path):
    ns = SITEMAP_NS
    urls = sitemap_urls(samples)
    locs = [url.findtext("s:loc", namespaces=ns) for url in urls]
    assert len(locs) == len(set(locs))
    for slug in (
        "2023-09-29-occitanie-japon",
        "2024-03-12-green-hydrogen-port",
        "2024-06-03-research-call",
        "2024-06-03-research-call-en",
    ):
        assert BASE + slug + "/" in locs
    assert BASE in locs and BASE + "fr/" in locs and BASE + "tags/energy/" in locs
    assert BASE + "tags/%E6%97%A5%E6%9C%AC/" in locs and BASE + "tags/%E9%A3%9F%E5%93%81/" in locs  # 日本, 食品
    alternates = [href for element in urls for href in element.xpath("x:link/@href", namespaces=ns)]
    for url in locs + alternates:  # URLs, not IRIs; each names a page of out/
        assert url.isascii() and url.startswith(BASE), url
        assert (samples / unquote(url.removeprefix(BASE), errors="strict") / "index.html").is_file(), url
    assert {unquote(url) for url in locs} >= {BASE + "tags/日本/", BASE + "tags/食品/"}
    assert "2027-01-15-budget-2027" not in sitemap_text(samples)
    (url,) = [u for u in urls if u.findtext("s:loc", namespaces=ns) == BASE + "2024-06-03-research-call-en/"]
    alternates = {link.get("hreflang"): link.get("href") for link in url.xpath("x:link", namespaces=ns)}
    assert alternates == {
        "en": BASE + "2024-06-03-research-call-en/",
        "fr": BASE + "2024-06-03-research-call/",
        "x-default": BASE + "2024-06-03-research-call/",
    }
    assert (samples / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"
