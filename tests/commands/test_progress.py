"""Progress: a rich progress bar on a terminal, plain lines in logs, nothing with --quiet."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from support.project import GOOD_RELEASE, make_project, run_presskit

RELEASES = {
    "2024-01-15-one.yaml": GOOD_RELEASE.replace("A good release", "Release one"),
    "2024-01-16-two.yaml": GOOD_RELEASE.replace("A good release", "Release two"),
}


def run_in_terminal(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the command with a pseudo-terminal as its output, as in a press officer's terminal window."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "presskit", *args],
        cwd=cwd,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed when the process ends
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    return process.wait(timeout=300), output.decode("utf-8", "replace")


def test_a_terminal_gets_a_progress_bar(tmp_path: Path):
    project = make_project(tmp_path, RELEASES)
    code, output = run_in_terminal(["build", "--jobs", "1"], project)
    assert code == 0, output
    assert "Rendering" in output and "2/2" in output and "━" in output
    assert "rendered 2024" not in output  # no plain lines on a terminal ...
    assert "presskit: built 2 releases (2 rendered, 0 unchanged), 2 warnings." in output


def test_verbose_on_a_terminal_names_each_release(tmp_path: Path):
    project = make_project(tmp_path, RELEASES)
    code, output = run_in_terminal(["build", "--jobs", "1", "--verbose"], project)
    assert code == 0, output
    assert "rendered 2024-01-15-one" in output and "rendered 2024-01-16-two" in output
    code, output = run_in_terminal(["build", "--verbose"], project)
    assert "unchanged 2024-01-15-one" in output and "Rendering" not in output


def test_logs_get_plain_lines_and_quiet_gets_nothing(tmp_path: Path):
    project = make_project(tmp_path, RELEASES)
    result = run_presskit("build", "--jobs", "1", cwd=project)
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stderr.splitlines() if "warning" not in line]
    assert lines == [
        "presskit: rendering 2 releases (0 unchanged)",
        "[1/2] rendered 2024-01-15-one",
        "[2/2] rendered 2024-01-16-two",
    ]
    assert "\x1b[" not in result.stderr + result.stdout
    (project / "releases" / "2024-01-15-one.yaml").write_text(RELEASES["2024-01-15-one.yaml"] + "tags: [x]\n")
    quiet = run_presskit("build", "--quiet", cwd=project)
    assert quiet.returncode == 0 and quiet.stdout == "" and quiet.stderr == ""
