"""`presskit new`: a complete, commented release file that builds as it is, and is never overwritten."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

from presskit.sources.releases import FIELDS

from support.project import MINIMAL_CONFIG, make_project, run_presskit
from support.readers import pdf_text

CONTACTS_CONFIG = (
    MINIMAL_CONFIG
    + """\
timezone = "Europe/Paris"

[[tool.presskit.contacts]]
name = "Service presse"
email = "presse@example.org"
social = { label = "@presse", url = "https://social.example.org/@presse" }
"""
)
NOW = "2024-06-01T00:00:00+00:00"


def test_new_release_has_every_field_and_builds_as_is_as_a_draft(tmp_path: Path):
    project = make_project(tmp_path, {}, CONTACTS_CONFIG)
    result = run_presskit(
        "new", "Appel à projets « Recherche et société » : 5 M€", "--lang", "fr", "--date", "2024-05-02", cwd=project
    )
    assert result.returncode == 0, result.stderr
    path = project / "releases" / "2024-05-02-appel-a-projets-recherche-et-societe-5-m.yaml"
    assert result.stdout.strip() == "releases/2024-05-02-appel-a-projets-recherche-et-societe-5-m.yaml"
    text = path.read_text(encoding="utf-8")
    keys = [line.split(":")[0] for line in text.splitlines() if line and line[0].isalpha()]
    assert keys == list(FIELDS)
    assert 'title: "Appel à projets « Recherche et société » : 5 M€"' in text
    assert "date: 2024-05-02\n" in text and "lang: fr\n" in text
    assert '  - name: "Service presse"\n' in text and '    email: "presse@example.org"\n' in text
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert len(comments) >= len(FIELDS)

    assert "draft: true\n" in text
    slug = path.stem
    build = run_presskit("build", "--now", NOW, cwd=project)
    assert build.returncode == 0, build.stderr
    assert not (project / "out" / slug).exists()  # a draft: the next build does not publish it
    build = run_presskit("build", "--drafts", "--now", NOW, cwd=project)
    assert build.returncode == 0, build.stderr
    pdf = pdf_text(project / "out" / slug / f"{slug}.pdf")
    assert "Appel à projets" in pdf and "Write the release here." in pdf and "presse@example.org" in pdf
    assert "Communiqué de presse".upper() in pdf.upper()


def test_new_uses_today_in_the_project_time_zone_and_the_project_language(tmp_path: Path):
    project = make_project(tmp_path, {}, CONTACTS_CONFIG)
    result = run_presskit("new", "Harbour news", cwd=project)
    assert result.returncode == 0, result.stderr
    today = dt.datetime.now(zoneinfo.ZoneInfo("Europe/Paris")).date().isoformat()
    path = project / "releases" / f"{today}-harbour-news.yaml"
    assert path.is_file(), result.stdout
    text = path.read_text()
    assert f"date: {today}\n" in text and "lang: en\n" in text
    check = run_presskit("check", cwd=project)
    assert check.returncode == 0, check.stderr
    assert (
        f"releases/{today}-harbour-news.yaml:5:1: warning: no 'location': the dateline will have no city [check.no-location]"
        in check.stderr
    )


def test_new_refuses_to_overwrite(tmp_path: Path):
    project = make_project(tmp_path, {}, CONTACTS_CONFIG)
    assert run_presskit("new", "Same headline", "--date", "2024-05-02", cwd=project).returncode == 0
    path = project / "releases" / "2024-05-02-same-headline.yaml"
    path.write_text(path.read_text().replace("Write the release here.", "My precious text."))
    again = run_presskit("new", "Same headline", "--date", "2024-05-02", cwd=project)
    assert again.returncode == 1
    assert (
        again.stderr.strip()
        == "presskit: releases/2024-05-02-same-headline.yaml already exists; it was not overwritten."
    )
    assert "My precious text." in path.read_text()


def test_new_without_default_contacts_still_builds(tmp_path: Path):
    project = make_project(tmp_path, {})
    result = run_presskit("new", 'Quotes "and" colons: fine', "--date", "2024-05-02", cwd=project)
    assert result.returncode == 0, result.stderr
    text = (project / "releases" / "2024-05-02-quotes-and-colons-fine.yaml").read_text()
    assert '  - name: "Test Office"\n' in text
    build = run_presskit("build", "--drafts", cwd=project)
    assert build.returncode == 0, build.stderr
    page = (project / "out" / "2024-05-02-quotes-and-colons-fine" / "index.html").read_text()
    assert "Quotes “and” colons: fine" in page


def test_new_usage_errors_exit_2(tmp_path: Path):
    project = make_project(tmp_path, {})
    assert run_presskit("new", "X", "--date", "2024-02-30", cwd=project).returncode == 2
    assert run_presskit("new", "X", "--lang", "not a language", cwd=project).returncode == 2
    assert run_presskit("new", "   ", cwd=project).returncode == 2
    assert list((project / "releases").iterdir()) == []
