"""Shared fixtures: the sample newsroom built once, and throw-away projects for error cases.

The helpers they use (and that tests import) live in the `support` package: support/project.py.
Tests are in folders by layer: unit/ (in process), commands/ (the real CLI), outputs/ (read back with real
readers), adversarial/. The folders have no __init__.py, so pytest imports each test file by its base name:
a test file's name must be unique across tests/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.project import GOOD_RELEASE, copy_sample_project, make_project, run_presskit


@pytest.fixture(scope="session")
def samples(tmp_path_factory) -> Path:
    """The repository's sample newsroom, built once into a temporary out/ through the CLI."""
    project = copy_sample_project(tmp_path_factory.mktemp("samples"))
    result = run_presskit("build", "--now", "2026-01-01T00:00:00+00:00", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


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
