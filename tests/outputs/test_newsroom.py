"""The newsroom's listing pages: paginated, every release once, thumbnails, dates, sections, tags and
downloads; tag pages."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit


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
