"""Content errors: each reported as file:line:col, all in one run, exit 1, out/ left exactly as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.project import GOOD_RELEASE, run_presskit, tree_digest

BAD = "releases/2024-02-01-bad.yaml"

CASES = {
    "yaml-syntax": (
        "title: Broken\ndate: 2024-02-01\nbody: [unclosed\ncontacts: []\n",
        "releases/2024-02-01-bad.yaml:4:9: error: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence) [yaml.syntax]",
    ),
    "missing-field": (
        "date: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:1:1: error: missing required field 'title' [release.missing-field]",
    ),
    "wrong-type": (
        "title: [a, b]\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:1:8: error: 'title' must be text, not a list [release.type]",
    ),
    "unknown-field": (
        "titel: Typo\ntitle: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:1:1: error: unknown field 'titel'; did you mean 'title'? [release.unknown-field]",
    ),
    "invalid-date": (
        "title: T\ndate: 2023-02-30\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:2:7: error: date: '2023-02-30' is not a date that exists (day is out of range for month) [release.date]",
    ),
    "embargo-without-offset": (
        "title: T\ndate: 2024-02-01\nembargo: 2024-02-01T09:00:00\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:3:10: error: embargo: '2024-02-01T09:00:00' has no UTC offset; write it as 2024-02-01T09:00:00+02:00 (or Z for UTC) [release.embargo]",
    ),
    "duplicate-key": (
        "title: T\ndate: 2024-02-01\ntitle: Again\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:3:1: error: duplicate key 'title' (first defined at line 1) [yaml.duplicate-key]",
    ),
    "photo-missing": (
        "title: T\ndate: 2024-02-01\nbody: Text.\nphotos:\n  - file: photos/nope.jpg\n    alt: x\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:5:11: error: photo file 'photos/nope.jpg' does not exist [release.photo]",
    ),
    "photo-outside": (
        "title: T\ndate: 2024-02-01\nbody: Text.\nphotos:\n  - file: ../../../../../../etc/passwd\n    alt: x\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:5:11: error: photo '../../../../../../etc/passwd' points outside the project [release.photo]",
    ),
    "photo-without-alt": (
        "title: T\ndate: 2024-02-01\nbody: Text.\nphotos:\n  - file: photo.png\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:5:5: error: missing required field 'alt' in a photo [release.missing-field]",
    ),
    "javascript-link": (
        "title: T\ndate: 2024-02-01\nbody: Text.\nlinks:\n  - label: Click\n    url: javascript:alert(1)\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:6:10: error: links.url: 'javascript:' links are not allowed ('javascript:alert(1)'); use http, https, mailto or tel [release.url]",
    ),
    "file-link-in-body": (
        "title: T\ndate: 2024-02-01\nbody: |\n  Intro.\n\n  See [this](file:///etc/passwd).\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:6:14: error: body: 'file:' links are not allowed ('file:///etc/passwd'); use http, https, mailto or tel [release.url]",
    ),
    "no-contacts": (
        "title: T\ndate: 2024-02-01\nbody: Text.\n",
        "releases/2024-02-01-bad.yaml:1:1: error: missing 'contacts': give at least one press contact (or default contacts in [tool.presskit]) [release.missing-field]",
    ),
    "alias": (
        "title: &t T\ndate: 2024-02-01\nbody: *t\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:1:8: error: YAML anchors (&name) are not allowed [yaml.anchor]",
    ),
    "python-tag": (
        "title: !!python/object/apply:os.system [echo hacked]\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n",
        "releases/2024-02-01-bad.yaml:1:8: error: YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed [yaml.tag]",
    ),
    "not-a-mapping": (
        "- title: T\n",
        "releases/2024-02-01-bad.yaml:1:1: error: a release must be a mapping of fields (title: ..., date: ...), not a list [release.type]",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_release_is_reported_and_out_is_untouched(project_copy: Path, case: str):
    text, expected = CASES[case]
    (project_copy / "releases" / "photo.png").write_bytes(b"")  # referenced by the alt case only
    (project_copy / BAD).write_text(text, encoding="utf-8")
    before = tree_digest(project_copy / "out")
    link_before = os.readlink(project_copy / "out")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    assert expected in result.stderr.splitlines(), result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project_copy / "out") == before
    assert os.readlink(project_copy / "out") == link_before
    assert [p.name for p in (project_copy / ".out.builds").iterdir() if p.name.startswith("build-")] == [
        link_before.split("/")[-1]
    ]


def test_every_problem_in_every_file_is_reported_in_one_run(project_copy: Path):
    (project_copy / "releases" / "2024-02-01-one.yaml").write_text(
        "title: [x]\ndate: 2024-13-01\nbody: B\ncolour: red\ncontacts:\n  - name: A\n"
    )
    (project_copy / "releases" / "2024-02-02-two.yaml").write_text(
        "title: T\ndate: 2024-02-02\nbody: B\nlinks:\n  - url: vbscript:x\n"
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert [line.split(": error: ")[0] for line in lines] == [
        "releases/2024-02-01-one.yaml:1:8",
        "releases/2024-02-01-one.yaml:2:7",
        "releases/2024-02-01-one.yaml:4:1",
        "releases/2024-02-02-two.yaml:1:1",
        "releases/2024-02-02-two.yaml:5:10",
    ]
    assert "presskit: 5 errors; the output folder was left as it was." in result.stderr


def test_duplicate_slug(project_copy: Path):
    (project_copy / "releases" / "2024-01-15-good.yml").write_text(GOOD_RELEASE)
    before = tree_digest(project_copy / "out")
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    assert (
        "releases/2024-01-15-good.yml:1:1: error: duplicate slug '2024-01-15-good': "
        "releases/2024-01-15-good.yaml has the same name [release.duplicate-slug]"
    ) in result.stderr.splitlines()
    assert tree_digest(project_copy / "out") == before


def test_invalid_slug(project_copy: Path):
    (project_copy / "releases" / "My Release.yaml").write_text(GOOD_RELEASE)
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    assert "releases/My Release.yaml:1:1: error: file name 'My Release.yaml' is not a valid slug" in result.stderr


def test_photo_symlink_pointing_outside_is_refused(project_copy: Path, tmp_path: Path):
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG")
    (project_copy / "releases" / "innocent.png").symlink_to(outside)
    (project_copy / BAD).write_text(
        "title: T\ndate: 2024-02-01\nbody: B\nphotos:\n  - file: innocent.png\n    alt: x\ncontacts:\n  - name: A\n"
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    assert (
        "releases/2024-02-01-bad.yaml:5:11: error: photo 'innocent.png' points outside the project [release.photo]"
        in result.stderr
    )


def test_a_release_file_linked_from_outside_the_project_is_not_read(project_copy: Path, tmp_path: Path):
    before = tree_digest(project_copy / "out")
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(GOOD_RELEASE.replace("A good release", "Secret text from outside"))
    (project_copy / BAD).symlink_to(outside)
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 1
    assert (
        f"{BAD}:1:1: error: this release file is a link to a file outside the project; presskit reads only files inside it "
        "[release.outside]"
    ) in result.stderr.splitlines()
    assert "Secret" not in result.stderr + result.stdout
    assert tree_digest(project_copy / "out") == before


@pytest.mark.parametrize("key, value", [("releases_dir", "../elsewhere"), ("templates_dir", "/etc")])
def test_project_folders_outside_the_project_are_refused(project_copy: Path, key: str, value: str):
    config = project_copy / "pyproject.toml"
    text = config.read_text()
    config.write_text(text.replace("[tool.presskit]\n", f'[tool.presskit]\n{key} = "{value}"\n', 1))
    line = config.read_text().splitlines().index(f'{key} = "{value}"') + 1
    result = run_presskit("check", cwd=project_copy)
    assert result.returncode == 1
    assert (
        f"pyproject.toml:{line}:1: error: '{key}' must be a folder inside the project, not '{value}' [config.folder]"
        in result.stderr.splitlines()
    )


def test_yaml_1_1_surprises_stay_strings(project_copy: Path):
    config = project_copy / "pyproject.toml"
    config.write_text(config.read_text() + 'region = "FR"\n')  # 0467228646 is a French number
    (project_copy / BAD).write_text(
        "title: NO\ndate: 2024-02-01\nlocation: 12:30\nbody: 'yes'\ncontacts:\n  - name: Off\n    phone: 0467228646\n"
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    page = (project_copy / "out" / "2024-02-01-bad" / "index.html").read_text()
    assert "<h1>NO</h1>" in page
    assert "12:30, February 1, 2024" in page
    assert 'href="tel:+33467228646">0467228646</a>' in page
    assert '<strong class="name">Off</strong>' in page
