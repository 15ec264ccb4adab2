"""Half-written releases (issue 12, class 9): `presskit new` starts a draft, and a release that is not a draft
may not publish the placeholder text `new` wrote; `build` refuses it (out/ untouched), `check` reports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import html

from support.hostile import BAD, build_refused, write
from support.project import run_presskit, tree_digest

NEW = "releases/2024-05-02-harbour-news.yaml"
WHY = "the placeholder text 'Write the release here.' of 'presskit new' is still there; write the release, or keep 'draft: true' until it is ready [release.placeholder]"


def _new(project: Path) -> Path:
    result = run_presskit("new", "Harbour news", "--date", "2024-05-02", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / NEW


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line == text)


def test_a_new_release_is_a_draft_the_next_build_does_not_publish(project_copy: Path):
    path = _new(project_copy)
    assert "\ndraft: true\n" in path.read_text()
    before = tree_digest(project_copy / "out")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert (
        result.stdout.startswith("presskit: built 1 release (") and ", 1 held back (embargo or draft)," in result.stdout
    )
    assert tree_digest(project_copy / "out") == before
    drafts = run_presskit("build", "--drafts", "--out", "preview", cwd=project_copy)  # it builds as it is, as a draft
    assert drafts.returncode == 0, drafts.stderr
    page = html.parse(str(project_copy / "preview" / "2024-05-02-harbour-news" / "index.html"))
    assert page.xpath("//p[@class='notice']/text()") == ["DRAFT: working copy, not for distribution"]
    assert page.xpath("//div[@class='body']/p/text()") == ["Write the release here."]


def test_publishing_the_placeholder_is_refused_by_build_and_check(project_copy: Path):
    path = _new(project_copy)
    path.write_text(path.read_text().replace("\ndraft: true\n", "\ndraft: false\n"))
    line = _line_of(path, "  Write the release here.")
    expected = f"{NEW}:{line}:3: error: body: {WHY}"
    assert build_refused(project_copy, expected) == [expected]
    check = run_presskit("check", cwd=project_copy)
    assert check.returncode == 1
    assert [x for x in check.stderr.splitlines() if ": error: " in x] == [expected]
    assert check.stderr.splitlines()[-1] == "presskit: 1 valid release, 1 error, 1 warning."


def test_deleting_the_draft_line_publishes_nothing_either(project_copy: Path):
    path = _new(project_copy)
    path.write_text(path.read_text().replace("\ndraft: true\n", "\n"))
    line = _line_of(path, "  Write the release here.")
    expected = f"{NEW}:{line}:3: error: body: {WHY}"
    assert build_refused(project_copy, expected) == [expected]


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "title: T\ndate: 2024-02-01\nbody: |\n  Our news.\n\n  Write the release here.\ncontacts:\n  - name: A\n",
            f"6:3: error: body: {WHY}",
        ),
        (
            "title: T\ndate: 2024-02-01\nlead: Write the release here.\nbody: Text.\ncontacts:\n  - name: A\n",
            f"3:7: error: lead: {WHY}",
        ),
        (
            "title: T\ndate: 2024-02-01\nbody: >\n  Our   news.   Write the\n  release here.\ncontacts:\n  - name: A\n",
            f"3:7: error: body: {WHY}",
        ),
        (
            "title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n    role: Write the release here.\ndraft: no\n",
            f"6:11: error: contacts.role: {WHY}",
        ),
    ],
    ids=["body-among-text", "lead", "folded-over-two-lines", "any-field"],
)
def test_the_placeholder_anywhere_in_a_release_that_is_not_a_draft(project_copy: Path, source: str, expected: str):
    write(project_copy, source)
    assert build_refused(project_copy, f"{BAD}:{expected}") == [f"{BAD}:{expected}"]


def test_every_placeholder_new_writes_is_refused():
    """The list the validator refuses is the text `new` writes: one source of truth."""
    import datetime as dt

    from presskit.commands.new import text
    from presskit.model import Config
    from presskit.sources.releases import PLACEHOLDERS

    written = text(Config(root=Path(".")), "Headline", dt.date(2024, 5, 2), "en")
    assert PLACEHOLDERS and all(placeholder in written for placeholder in PLACEHOLDERS)
