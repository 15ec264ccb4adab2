"""Projects for the tests: a minimal configuration and release, throw-away project folders, the sample
project copied, the real command line run in a separate process, and digests that prove a tree did not move."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from support.readers import REPO

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


def expected_store(out: Path) -> list[str]:
    """What the build store beside `out` holds after a build, nothing left over: its marker and lock file, the
    published build folder and its manifest, and the release folders that build links to (`<slug> -> ../release-*`);
    and the spare, when there is one: the one other build folder, with its manifest and the release folders it
    links to (a build folder without its manifest, or a second one, is a leftover)."""
    published = Path(os.path.realpath(out))
    store = published.parent
    folders = [published]
    others = sorted(entry.name for entry in os.scandir(store) if entry.name.startswith("build-"))
    others.remove(published.name)
    if len(others) == 1 and (store / f"manifest-{others[0]}.json").exists():
        folders.append(store / others[0])
    names = {".presskit-store", "lock", "tidy"}
    for folder in folders:
        names |= {folder.name, f"manifest-{folder.name}.json"}
        names |= {os.readlink(entry.path)[3:] for entry in os.scandir(folder) if entry.is_symlink()}
    return sorted(names)


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


def make_project(folder: Path, releases: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """A project folder with a config and the given release files (name -> YAML text)."""
    (folder / "releases").mkdir(parents=True, exist_ok=True)
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    for name, text in releases.items():
        (folder / "releases" / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return folder
