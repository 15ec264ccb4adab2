"""Values are read as written, dates strictly, and file names become slugs only when they are safe."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import html

from support.hostile import build_refused, write
from support.project import GOOD_RELEASE, run_presskit
from support.readers import docx_text, read_feed

P = "releases/2024-02-01-bad.yaml"
REST = "body: Text.\ncontacts:\n  - name: A\n"

DATES = {
    "february-30": (
        "title: T\ndate: 2023-02-30\n",
        "2:7: error: date: '2023-02-30' is not a date that exists (day is out of range for month) [release.date]",
    ),
    "embargo-without-offset": (
        "title: T\ndate: 2024-02-01\nembargo: 2024-02-01T09:00:00\n",
        "3:10: error: embargo: '2024-02-01T09:00:00' has no UTC offset; write it as 2024-02-01T09:00:00+02:00 (or Z for UTC) [release.embargo]",
    ),
    "embargo-as-a-bare-date": (
        "title: T\ndate: 2024-02-01\nembargo: 2024-02-01\n",
        "3:10: error: embargo: '2024-02-01' needs a time and a UTC offset, for example 2024-02-01T09:00:00+02:00 [release.embargo]",
    ),
    "offset-that-does-not-exist": (
        "title: T\ndate: 2024-02-01T10:00:00+25:00\n",
        "2:7: error: date: '2024-02-01T10:00:00+25:00' has a UTC offset that does not exist; offsets run from -23:59 to +23:59 [release.date]",
    ),
    "year-1": (
        "title: T\ndate: 0001-01-01\n",
        "2:7: error: date: '0001-01-01' is outside the years presskit publishes (1900 to 2099) [release.date]",
    ),
    "year-9999": (
        "title: T\ndate: 9999-12-31T23:59:59-23:59\n",
        "2:7: error: date: '9999-12-31T23:59:59-23:59' is outside the years presskit publishes (1900 to 2099) [release.date]",
    ),
    "embargo-in-year-1": (
        "title: T\ndate: 2024-02-01\nembargo: 0001-01-01T00:00:00+01:00\n",
        "3:10: error: embargo: '0001-01-01T00:00:00+01:00' is outside the years presskit publishes (1900 to 2099) [release.embargo]",
    ),
    "date-as-a-number": (
        "title: T\ndate: 20240201\n",
        "2:7: error: date: '20240201' is not an ISO date (2023-09-29) or datetime (2023-09-29T09:00:00+02:00) [release.date]",
    ),
}


@pytest.mark.parametrize("case", sorted(DATES))
def test_dates_are_parsed_strictly(project_copy: Path, case: str):
    head, expected = DATES[case]
    write(project_copy, head + REST)
    assert build_refused(project_copy, f"{P}:{expected}") == [f"{P}:{expected}"]


def test_yaml_1_1_look_alikes_stay_text_in_every_output(project_copy: Path):
    config = project_copy / "pyproject.toml"
    config.write_text(config.read_text() + 'region = "FR"\n')  # 0467228646 is a French number
    write(
        project_copy,
        "title: NO\ndate: 2024-02-01\nlang: NO\nlocation: 12:30\nsection: 0777\ndraft: NO\nbody: 'yes'\n"
        "tags: [NO, off, 012, 1.10, 12:30, 1e3, ~x]\ncontacts:\n  - name: Off\n    phone: 0467228646\n",
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    folder = project_copy / "out" / "2024-02-01-bad"
    page = html.parse(str(folder / "index.html"))
    assert page.xpath("//html/@lang") == ["NO"]
    assert page.xpath("//h1")[0].text_content() == "NO"
    assert [(a.get("href"), a.text) for a in page.xpath("//a[starts-with(@href, 'tel:')]")] == [
        ("tel:+33467228646", "0467228646")
    ]
    entry = read_feed(project_copy / "out" / "feed.xml").entries[0]
    assert [t.term for t in entry.tags] == ["NO", "off", "012", "1.10", "12:30", "1e3", "~x"]
    text = docx_text(folder / "2024-02-01-bad.docx")
    for literal in ("NO", "12:30", "0777", "yes", "Off", "0467228646"):
        assert literal in text, literal


SLUG_HINT = (
    "is not a valid slug: use lower-case letters, digits and hyphens (e.g. 2023-09-29-my-release.yaml) [release.slug]"
)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Upper-Case.yaml", "Upper-Case.yaml"),
        ("a..b.yaml", "a..b.yaml"),
        ("with space.yaml", "with space.yaml"),
        ("new\nline.yaml", "new\\nline.yaml"),
        ("ends-with-newline\n.yaml", "ends-with-newline\\n.yaml"),
        ("-leading-hyphen.yaml", "-leading-hyphen.yaml"),
        ("caf\u00e9.yaml", "caf\u00e9.yaml"),
        ("\u0430pple.yaml", "\u0430pple.yaml"),  # a Cyrillic a
    ],
)
def test_unsafe_file_names_are_not_slugs(project_copy: Path, name: str, shown: str):
    write(project_copy, GOOD_RELEASE, f"releases/{name}")
    expected = f"releases/{shown}:1:1: error: file name '{shown}' {SLUG_HINT}"
    assert build_refused(project_copy, expected) == [expected]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        (
            "2024-01-15-good.yaml",
            "2024-01-15-good.yml",
            "releases/2024-01-15-good.yml:1:1: error: duplicate slug '2024-01-15-good': releases/2024-01-15-good.yaml has the same name [release.duplicate-slug]",
        ),
        (
            "2024-01-15-good.yaml",
            "2024-01-15-good.YAML",
            "releases/2024-01-15-good.yaml:1:1: error: duplicate slug '2024-01-15-good': releases/2024-01-15-good.YAML has the same name [release.duplicate-slug]",
        ),
        (
            "2024-01-15-good.yaml",
            "2024-01-15-GOOD.yaml",
            "releases/2024-01-15-good.yaml:1:1: error: duplicate slug '2024-01-15-good': releases/2024-01-15-GOOD.yaml has the same name once upper and lower case are not told apart [release.duplicate-slug]",
        ),
    ],
)
def test_slugs_that_collide_after_normalization(project_copy: Path, first: str, second: str, expected: str):
    """Normalization = extension dropped (.yaml/.yml, any case) and case folded, as Windows and macOS see names."""
    write(project_copy, GOOD_RELEASE, f"releases/{first}")
    write(project_copy, GOOD_RELEASE, f"releases/{second}")
    assert expected in build_refused(project_copy, expected)


def test_an_upper_case_extension_is_read_not_skipped(project_copy: Path):
    (project_copy / "releases" / "2024-01-15-good.yaml").rename(project_copy / "releases" / "2024-01-15-good.YML")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert (project_copy / "out" / "2024-01-15-good" / "2024-01-15-good.pdf").is_file()


def test_extreme_but_valid_content_builds_in_every_format(project_copy: Path):
    """A 400-character title, 300 tags and lists nested six deep: valid, so every format must carry them."""
    title = ("A very long headline " * 20).strip()
    tags = ", ".join(f"tag{i}" for i in range(300))
    nested = "".join("  " * level + "- level " + str(level) + "\n" for level in range(6))
    numbered = "".join("   " * level + "1. step " + str(level) + "\n" for level in range(6))
    body = "Intro.\n\n" + nested + "\n" + numbered
    indented = "".join("  " + line + "\n" for line in body.splitlines())
    write(
        project_copy,
        f"title: {title}\ndate: 2024-02-01\nsection: {title}\ntags: [{tags}]\nbody: |\n{indented}contacts:\n  - name: A\n",
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(project_copy / "out" / "2024-02-01-bad" / "2024-02-01-bad.docx"))
    assert document.core_properties.title == title[:254] + "…"
    assert len(document.core_properties.keywords) == 255
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text.startswith(("level", "step"))]
    assert styles == [
        ("List Bullet", "level 0"),
        ("List Bullet 2", "level 1"),
        ("List Bullet 3", "level 2"),
        ("List Bullet 3", "level 3"),
        ("List Bullet 3", "level 4"),
        ("List Bullet 3", "level 5"),
        ("List Number", "step 0"),
        ("List Number 2", "step 1"),
        ("List Number 3", "step 2"),
        ("List Number 3", "step 3"),
        ("List Number 3", "step 4"),
        ("List Number 3", "step 5"),
    ]
    page = html.parse(str(project_copy / "out" / "2024-02-01-bad" / "index.html"))
    assert page.xpath("//h1")[0].text_content() == title
    assert len(read_feed(project_copy / "out" / "feed.xml").entries[0].tags) == 300
