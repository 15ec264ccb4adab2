"""Translations: pairs linked both ways with hreflang, an index and feeds per language, no link to an
embargoed translation, and the errors of translation_of."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from support.project import GOOD_RELEASE, make_project, run_presskit
from support.readers import everything_under, read_feed

BASE = "https://presse.example.org/"


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
    assert "2024-01-15-good" not in everything_under(project / "out")
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
