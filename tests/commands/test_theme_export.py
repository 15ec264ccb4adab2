"""`presskit theme export` and the sample project's templates/ folder: a faithful copy, never an overwrite."""

from __future__ import annotations

import shutil
from pathlib import Path

import pypdf
import pytest
from jinja2.sandbox import SandboxedEnvironment

from support.project import copy_sample_project, run_presskit, tree_digest
from support.readers import REPO

NOW = "2026-01-01T00:00:00+00:00"
THEME = REPO / "src" / "presskit" / "theme"
# Every file of the built-in theme and where the export puts it: templates/ holds them side by side.
THEME_FILES = {
    f"templates/{path.name}": path
    for path in sorted([*(THEME / "templates").iterdir(), *THEME.iterdir()])
    if path.is_file()
}
BURGUNDY, SUN, WHITE = (0.478431, 0.121569, 0.239216), (1.0, 0.839216, 0.470588), (1.0, 1.0, 1.0)
LETTERHEAD_PDF = "2024-03-12-green-hydrogen-port/2024-03-12-green-hydrogen-port.pdf"


def build(project: Path) -> str:
    """A build of every release, drafts and embargoed copies too, at a fixed moment; its summary line."""
    result = run_presskit("build", "--drafts", "--embargoed", "private", "--now", NOW, cwd=project)
    assert result.returncode == 0, result.stderr
    return result.stdout


def outputs(project: Path) -> dict[str, str]:
    return {**tree_digest(project / "out"), **{f"private/{k}": v for k, v in tree_digest(project / "private").items()}}


@pytest.fixture(scope="module")
def plain_sample(tmp_path_factory) -> Path:
    """The sample project without its templates/ folder (the built-in theme alone), built once."""
    project = copy_sample_project(tmp_path_factory.mktemp("plain"))
    shutil.rmtree(project / "templates", ignore_errors=True)
    build(project)
    return project


def test_export_writes_every_file_of_the_theme_and_lists_it(tmp_path: Path):
    project = copy_sample_project(tmp_path / "project")
    shutil.rmtree(project / "templates")
    result = run_presskit("theme", "export", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == sorted(THEME_FILES)
    assert result.stderr == ""
    for name, builtin in THEME_FILES.items():
        assert (project / name).read_bytes() == builtin.read_bytes(), name


def test_export_never_overwrites_a_file_already_there(tmp_path: Path):
    project = copy_sample_project(tmp_path / "project")
    shutil.rmtree(project / "templates")
    (project / "templates").mkdir()
    edited = {"templates/pdf.css": b"h1 { color: #123456; }\n", "templates/release.html.j2": b"{# mine #}\n"}
    for name, data in edited.items():
        (project / name).write_bytes(data)
    result = run_presskit("theme", "export", "--project", str(project), cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == sorted(set(THEME_FILES) - set(edited))
    for name, data in edited.items():
        assert (project / name).read_bytes() == data
        assert f"presskit: {name} already exists; it was not overwritten." in result.stderr
    # Run again: nothing left to write, everything reported, nothing changed.
    before = tree_digest(project / "templates")
    again = run_presskit("theme", "export", cwd=project)
    assert (again.returncode, again.stdout) == (1, "")
    assert f"0 files written, {len(THEME_FILES)} left as they were" in again.stderr
    assert tree_digest(project / "templates") == before


def test_export_refuses_a_templates_folder_leading_outside_the_project(tmp_path: Path):
    project = copy_sample_project(tmp_path / "project")
    shutil.rmtree(project / "templates")
    (tmp_path / "elsewhere").mkdir()
    (project / "templates").symlink_to(tmp_path / "elsewhere")
    result = run_presskit("theme", "export", cwd=project)
    assert result.returncode == 1
    assert "presskit: 'templates' points outside the project; nothing was written." in result.stderr
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_build_after_export_is_byte_identical_to_one_before(plain_sample: Path, tmp_path: Path):
    """The exported theme is a faithful starting copy: its templates now run sandboxed, its CSS and Word
    reference document are read from the project, and every output stays the same, byte for byte."""
    project = copy_sample_project(tmp_path / "project")
    shutil.rmtree(project / "templates")
    assert run_presskit("theme", "export", cwd=project).returncode == 0
    summary = build(project)
    assert "(5 rendered, 0 unchanged)" in summary  # rendered with the exported files, nothing reused
    assert outputs(project) == outputs(plain_sample)


def _letterhead(pdf: Path) -> tuple[dict[str, tuple], list[tuple[tuple, float]]]:
    """The first page's text, by the fill colour it is drawn in; and the rectangles filled, by colour and width
    as a fraction of the page."""
    page = pypdf.PdfReader(pdf).pages[0]
    state = {"colour": None, "rectangle": None}
    colours: dict[str, tuple] = {}
    fills: list[tuple[tuple, float]] = []

    def operator(op, args, cm, tm):
        if op == b"rg":
            state["colour"] = tuple(round(float(a), 6) for a in args)
        elif op == b"re":
            state["rectangle"] = float(args[2]) * cm[0] / float(page.mediabox.width)
        elif op == b"f" and state["rectangle"] is not None:
            fills.append((state["colour"], state["rectangle"]))
        if op != b"re":
            state["rectangle"] = None if op not in (b"W", b"n") else state["rectangle"]

    def text(chunk, cm, tm, font, size):
        if chunk.strip():
            colours.setdefault(chunk.strip(), state["colour"])

    page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return colours, fills


def test_the_sample_override_sets_the_letterhead_in_the_regions_colours(samples: Path, plain_sample: Path):
    colours, fills = _letterhead(samples / LETTERHEAD_PDF)
    assert colours["Région Occitanie"] == WHITE
    assert colours["PRESS RELEASE"] == SUN
    assert any(colour == BURGUNDY and width > 0.7 for colour, width in fills)  # the band across the page
    # The rest is presskit's pdf.css, which the override imports: the section's grey, the numbered footer.
    assert colours["Energy transition"] == (0.333333, 0.333333, 0.333333)
    text = pypdf.PdfReader(samples / LETTERHEAD_PDF).pages[0].extract_text()
    assert text.rstrip().endswith("Région Occitanie 1 / 2")
    # Without the override: the built-in letterhead, burgundy type on white.
    colours, fills = _letterhead(plain_sample / "out" / LETTERHEAD_PDF)
    assert colours["Région Occitanie"] == BURGUNDY
    assert colours["PRESS RELEASE"] == BURGUNDY
    assert not any(colour == BURGUNDY and width > 0.7 for colour, width in fills)


def test_the_sample_templates_folder_is_ready_and_its_readme_is_no_template():
    from presskit import config as project_config
    from presskit.diagnostics import Reporter
    from presskit.site import templates

    reporter = Reporter(REPO)
    config = project_config.load(REPO, reporter)
    assert not reporter.errors
    files, refused = templates.scan(config)
    assert {path.name for path in files} == {"README.md", "pdf.css"} and refused == []
    # No template is overridden: presskit's own templates run, unsandboxed (the README is no template).
    assert not isinstance(templates.environment(config), SandboxedEnvironment)
    readme = (REPO / "templates" / "README.md").read_text(encoding="utf-8")
    assert "presskit theme export" in readme and '@import "presskit/pdf.css";' in readme
