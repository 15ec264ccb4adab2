"""Each release's labels and dates follow its language; a language without a data file gets CLDR dates and
English labels."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from support.project import GOOD_RELEASE, make_project, run_presskit


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
