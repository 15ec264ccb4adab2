"""Shared fixtures: the sample newsroom built once, and throw-away projects for error cases."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from readers import REPO

MINIMAL_CONFIG = """\
[tool.presskit]
organization = "Test Office"
base_url = "https://news.example.org/"
lang = "en"
"""

GOOD_RELEASE = """\
title: A good release
date: 2024-01-15
location: Paris
body: |
  First paragraph of the body.
contacts:
  - name: Ann Example
    email: ann@example.org
"""


def run_presskit(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the real command line in a separate process, as a press officer would."""
    return subprocess.run(
        [sys.executable, "-m", "presskit", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def error_lines(stderr: str) -> list[str]:
    """What a failed run says, without the warnings and progress lines that come with it."""
    return [
        line
        for line in stderr.splitlines()
        if ": error: " in line or (line.startswith("presskit: ") and " error" in line)
    ]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under a folder (links followed) with its SHA-256: to prove a tree did not change."""
    digest = {}
    if not folder.exists():
        return digest
    for root, _dirs, files in os.walk(folder, followlinks=True):
        for name in files:
            path = Path(root) / name
            digest[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest


def copy_sample_project(project: Path) -> Path:
    """The repository's sample project (configuration, releases, templates, assets) copied into a folder."""
    project.mkdir(parents=True, exist_ok=True)
    for name in ("pyproject.toml", "releases", "templates", "assets"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        elif source.exists():
            shutil.copy(source, project / name)
    return project


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> Path:
    """The repository's sample newsroom, built once into a temporary out/ through the CLI."""
    project = copy_sample_project(tmp_path_factory.mktemp("samples"))
    result = run_presskit("build", "--now", "2026-01-01T00:00:00+00:00", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


def make_project(folder: Path, releases: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """A project folder with a config and the given release files (name -> YAML text)."""
    (folder / "releases").mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    for name, text in releases.items():
        (folder / "releases" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def built_project(tmp_path_factory) -> Path:
    """A small good project, already built once (so it has an out/ to protect)."""
    folder = make_project(tmp_path_factory.mktemp("good"), {"2024-01-15-good.yaml": GOOD_RELEASE})
    result = run_presskit("build", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def project_copy(built_project, tmp_path) -> Path:
    """A private copy of the built good project, out/ included, to break in a test."""
    target = tmp_path / "project"
    shutil.copytree(built_project, target, symlinks=True)
    return target
