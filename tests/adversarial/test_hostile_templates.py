"""Files of templates/ that lead outside the project (links) or are not regular files are refused, unread."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.hostile import build_refused
from support.project import run_presskit

SECRET = "outside-secret-4711"
RULE = "every file in 'templates/' must be a regular file inside the project"


def _outside(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "elsewhere" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)
    return path


def _refused(project: Path, name: str, reason: str, code: str) -> None:
    expected = f"templates/{name}:1:1: error: 'templates/{name}' {reason}: {RULE} [{code}]"
    assert build_refused(project, expected) == [expected]
    checked = run_presskit("check", cwd=project)
    assert checked.returncode == 1 and expected in checked.stderr.splitlines(), checked.stderr


def test_a_stylesheet_linked_to_a_file_outside_the_project_is_refused(project_copy: Path, tmp_path: Path):
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / "newsroom.css").symlink_to(_outside(tmp_path, "site.css", f"/* {SECRET} */\n"))
    _refused(project_copy, "newsroom.css", "points outside the project", "template.outside")
    # A link to a file inside the project is a file of the project: it is used.
    (project_copy / "templates" / "newsroom.css").unlink()
    (project_copy / "assets").mkdir()
    (project_copy / "assets" / "site.css").write_text("body { color: #123456 }\n")
    (project_copy / "templates" / "newsroom.css").symlink_to(Path("..") / "assets" / "site.css")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert (project_copy / "out" / "newsroom.css").read_text() == "body { color: #123456 }\n"


def test_an_included_template_linked_outside_the_project_is_refused(project_copy: Path, tmp_path: Path):
    templates = project_copy / "templates"
    templates.mkdir()
    (templates / "release.html.j2").write_text(
        '{% extends "presskit/release.html.j2" %}{% block head %}{% include "extra.html" %}{% endblock %}'
    )
    (templates / "extra.html").symlink_to(_outside(tmp_path, "extra.html", SECRET))
    _refused(project_copy, "extra.html", "points outside the project", "template.outside")


@pytest.mark.parametrize("name", ["pdf.css", "reference.docx", "release.pdf.html.j2"])
def test_theme_files_linked_outside_the_project_are_refused(project_copy: Path, tmp_path: Path, name: str):
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / name).symlink_to(_outside(tmp_path, name, SECRET))
    _refused(project_copy, name, "points outside the project", "template.outside")


def test_a_folder_of_templates_linked_outside_the_project_is_refused(project_copy: Path, tmp_path: Path):
    _outside(tmp_path, "release.html.j2", SECRET)
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / "partials").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    _refused(project_copy, "partials", "points outside the project", "template.outside")


def test_a_link_to_dev_zero_and_a_fifo_are_refused_without_being_read(project_copy: Path):
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / "newsroom.css").symlink_to("/dev/zero")
    os.mkfifo(project_copy / "templates" / "pdf.css")  # opening it would wait for a writer for ever
    first = (
        "templates/newsroom.css:1:1: error: 'templates/newsroom.css' points outside the project: "
        + RULE
        + " [template.outside]"
    )
    second = "templates/pdf.css:1:1: error: 'templates/pdf.css' is not a regular file: " + RULE + " [template.file]"
    assert build_refused(project_copy, first, second) == [first, second]


def test_a_template_linked_inside_the_project_through_a_folder_link_is_used(project_copy: Path):
    """Links are followed inside the project (a shared folder of partials), and what they lead to is checked too."""
    shared = project_copy / "shared"
    shared.mkdir()
    (shared / "extra.html").write_text('<meta name="from-shared" content="yes">')
    templates = project_copy / "templates"
    templates.mkdir()
    (templates / "partials").symlink_to(Path("..") / "shared", target_is_directory=True)
    (templates / "release.html.j2").write_text(
        '{% extends "presskit/release.html.j2" %}{% block head %}{% include "partials/extra.html" %}{% endblock %}'
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    assert (
        '<meta name="from-shared" content="yes">'
        in (project_copy / "out" / "2024-01-15-good" / "index.html").read_text()
    )
    # ... and a link inside that shared folder to a file outside the project is refused like any other.
    (shared / "extra.html").unlink()
    outside = project_copy.parent / "outside.html"
    outside.write_text(SECRET)
    (shared / "extra.html").symlink_to(outside)
    shutil.rmtree(project_copy / ".presskit", ignore_errors=True)
    _refused(project_copy, "partials/extra.html", "points outside the project", "template.outside")
