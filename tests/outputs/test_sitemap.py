"""sitemap.xml (every page, as ASCII URLs, with hreflang alternates; no embargoed release) and robots.txt."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from lxml import etree

BASE = "https://presse.example.org/"


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
