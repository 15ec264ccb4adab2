"""Helpers for the adversarial suite (tests/adversarial/): run a build that must fail, and prove out/ did not move."""

from __future__ import annotations

import os
import resource
import subprocess
from pathlib import Path

from support.project import run_presskit, tree_digest

BAD = "releases/2024-02-01-bad.yaml"
HEAD = "title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n"


def snapshot(project: Path) -> tuple[dict[str, str], str, list[str]]:
    """What a failed build must leave exactly as it was: out/'s files, its link, the build folders."""
    store = project / ".out.builds"
    return tree_digest(project / "out"), os.readlink(project / "out"), sorted(p.name for p in store.iterdir())


def build_refused(project: Path, *expected: str, env: dict | None = None) -> list[str]:
    """Run `presskit build`; it must exit 1, print each expected line, no traceback, and leave out/ as it was."""
    before = snapshot(project)
    result = run_presskit("build", cwd=project, env=env)
    lines = result.stderr.splitlines()
    assert result.returncode == 1, result.stderr
    for line in expected:
        assert line in lines, f"{line!r} not in\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    assert snapshot(project) == before
    return [line for line in lines if ": error: " in line]


def write(project: Path, data: bytes | str, name: str = BAD) -> Path:
    path = project / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a small tmpfs on `folder` (as root, where allowed): a disk that fills up; False where it cannot."""
    if os.geteuid() != 0 or os.environ.get("PRESSKIT_TEST_NO_MOUNT"):
        return False
    command = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    return subprocess.run(command, capture_output=True).returncode == 0


def file_size_limit() -> None:
    """The fallback where mounting is not allowed: no file may grow past 300 KB (writes fail with EFBIG)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (300 * 1024, 300 * 1024))
