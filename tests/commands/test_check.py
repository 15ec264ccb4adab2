"""`presskit check`: every error and editorial warning as file:line:col, nothing rendered, --strict, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from support.project import GOOD_RELEASE, make_project, run_presskit

NOW = "2024-06-01T00:00:00+00:00"

WARNED = """\
title: A headline that goes on and on about the regional council's new plan for harbours, trains, schools and hospitals
date: 2099-01-01
body: |
  See [the site](http://www.example.org/page) for details.
photos:
  - file: photo.png
    alt: A red rectangle
contacts:
  - name: Nobody Reachable
    role: Spokesperson
links:
  - url: http://example.com/x
"""

EARLY_EMBARGO = """\
title: Early embargo
date: 2024-02-01
embargo: 2024-01-31T09:00:00+01:00
location: Paris
lead: A lead.
body: Text.
contacts:
  - name: Ann
    email: ann@example.org
"""

W = "releases/2099-01-01-warned.yaml"
E = "releases/2024-02-01-early.yaml"
EXPECTED = {
    "no-lead": f"{W}:1:1: warning: no 'lead': journalists and feed readers see the lead first; add a one-paragraph summary [check.no-lead]",
    "no-location": f"{W}:1:1: warning: no 'location': the dateline will have no city [check.no-location]",
    "long-title": f"{W}:1:8: warning: the headline is 112 characters long; keep it under 110 so it is not cut in inboxes and feeds [check.long-title]",
    "future-date": f"{W}:2:7: warning: the date 2099-01-01 is in the future but there is no embargo: the release is published at once [check.future-date]",
    "http-in-body": f"{W}:4:18: warning: 'http://www.example.org/page' is an unencrypted http:// link; use https:// if the site offers it [check.http-link]",
    "photo-credit": f"{W}:6:5: warning: photo 'photo.png' has no credit; add 'credit' (or 'photo_credits' for the whole release) [check.photo-credit]",
    "contact-unreachable": f"{W}:9:5: warning: contact 'Nobody Reachable' has neither an e-mail address nor a phone number [check.contact-unreachable]",
    "http-in-links": f"{W}:12:10: warning: 'http://example.com/x' is an unencrypted http:// link; use https:// if the site offers it [check.http-link]",
    "embargo-before-date": f"{E}:3:10: warning: the embargo (2024-01-31T09:00:00+01:00) is earlier than the release's date (2024-02-01) [check.embargo-before-date]",
}


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    project = make_project(tmp_path, {"2099-01-01-warned.yaml": WARNED, "2024-02-01-early.yaml": EARLY_EMBARGO})
    Image.new("RGB", (40, 30), "red").save(project / "releases" / "photo.png")
    return project


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    project = make_project(
        tmp_path_factory.mktemp("warned"), {"2099-01-01-warned.yaml": WARNED, "2024-02-01-early.yaml": EARLY_EMBARGO}
    )
    Image.new("RGB", (40, 30), "red").save(project / "releases" / "photo.png")
    return project, run_presskit("check", "--now", NOW, cwd=project)


@pytest.mark.parametrize("warning", sorted(EXPECTED))
def test_each_warning_is_reported_at_its_line(checked, warning: str):
    _project, result = checked
    assert EXPECTED[warning] in result.stderr.splitlines(), result.stderr


def test_warnings_alone_exit_0_and_nothing_is_rendered(checked):
    project, result = checked
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert sorted(line for line in lines if ": warning: " in line) == sorted(EXPECTED.values())
    assert lines[-1] == "presskit: 2 valid releases, 0 errors, 9 warnings."
    assert not (project / "out").exists()
    assert not (project / ".out.builds").exists()


def test_strict_turns_every_warning_into_an_error(warned: Path):
    result = run_presskit("check", "--strict", "--now", NOW, cwd=warned)
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert sorted(errors) == sorted(line.replace(": warning: ", ": error: ") for line in EXPECTED.values())
    assert result.stderr.splitlines()[-1] == "presskit: 2 valid releases, 9 errors, 0 warnings."


def test_a_clean_release_has_no_warning_even_when_strict(tmp_path: Path):
    clean = GOOD_RELEASE.replace("location: Paris\n", "location: Paris\nlead: What happened, in one line.\n")
    project = make_project(tmp_path, {"2024-01-15-good.yaml": clean})
    result = run_presskit("check", "--strict", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == ["presskit: 1 valid release, 0 errors, 0 warnings."]


def test_errors_and_warnings_together_exit_1(tmp_path: Path):
    project = make_project(
        tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE, "2024-02-01-bad.yaml": "title: T\ndate: 2024-02-30\nbody: B\n"}
    )
    result = run_presskit("check", cwd=project)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert (
        "releases/2024-02-01-bad.yaml:2:7: error: date: '2024-02-30' is not a date that exists (day is out of range for month) [release.date]"
        in lines
    )
    assert (
        "releases/2024-01-15-good.yaml:1:1: warning: no 'lead': journalists and feed readers see the lead first; add a one-paragraph summary [check.no-lead]"
        in lines
    )
    assert lines[-1] == "presskit: 1 valid release, 2 errors, 1 warning."


def test_build_prints_warnings_but_does_not_fail_on_them(warned: Path):
    result = run_presskit("build", "--now", NOW, cwd=warned)
    assert result.returncode == 0, result.stderr
    assert sorted(line for line in result.stderr.splitlines() if ": warning: " in line) == sorted(EXPECTED.values())
    assert "9 warnings" in result.stdout
    assert (warned / "out" / "2099-01-01-warned" / "2099-01-01-warned.pdf").is_file()
    quiet = run_presskit("build", "--quiet", "--now", NOW, cwd=warned)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""


def test_warnings_come_back_from_the_model_cache(warned: Path):
    """The second run reads the validated model from the cache: the same warnings, at the same lines."""
    first = run_presskit("check", "--now", NOW, cwd=warned)
    assert (warned / ".presskit" / "state.sqlite").is_file()
    second = run_presskit("check", "--now", NOW, cwd=warned)
    assert second.stderr == first.stderr
    later = run_presskit("check", "--now", "2099-06-01T00:00:00+00:00", cwd=warned)
    assert EXPECTED["future-date"] not in later.stderr.splitlines()
