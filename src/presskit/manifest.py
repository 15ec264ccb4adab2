"""The manifest kept beside each build: the fingerprint and files of every release it rendered.

It lives in `.out.builds/manifest-<build folder>.json`, never inside the published folder, and is
written before the atomic swap: the next build reuses a release's files (hard links, or copies across
file systems) when its fingerprint is unchanged, and renders it again otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from presskit import __version__
from presskit.staging import Staging

PREFIX = "manifest-"


def _path(store: Path, folder: Path) -> Path:
    return store / f"{PREFIX}{folder.name}.json"


def read(staging: Staging) -> tuple[Path | None, dict[str, dict]]:
    """The published build folder and its releases {slug: {"fingerprint", "files"}} (empty if unknown)."""
    previous = staging.previous
    if previous is None or previous.parent != staging.store:
        return None, {}
    try:
        data = json.loads(_path(staging.store, previous).read_bytes())
        if data.get("presskit") != __version__:
            return None, {}
        return previous, dict(data["releases"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, {}


def write(staging: Staging, entries: dict[str, dict]) -> None:
    """Record what the new build folder holds (before it is published)."""
    data = {"presskit": __version__, "releases": dict(sorted(entries.items()))}
    _path(staging.store, staging.folder).write_text(json.dumps(data, indent=0), encoding="utf-8")


def files_of(folder: Path) -> list[str]:
    """Every file a release's folder holds, relative to it."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def reuse(previous: Path, slug: str, files: list[str], staging: Staging) -> bool:
    """Bring a release's files from the previous build into the new one; False if any is missing."""
    source = previous / slug
    target = staging.folder / slug  # slug: a validated file name
    try:
        os.mkdir(target)
        for name in files:
            if name in ("", ".", "..") or name.startswith("/") or ".." in name.split("/"):
                raise OSError(f"unexpected file name in the manifest: {name!r}")
            if "/" in name:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / name, target / name)
            except OSError:
                shutil.copy2(source / name, target / name)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        return False
    return True


def discard(staging: Staging) -> None:
    """Forget the manifest of a build that is not published."""
    _path(staging.store, staging.folder).unlink(missing_ok=True)


def clean(staging: Staging) -> None:
    """Remove the manifests of builds that are gone (after a publish)."""
    keep = _path(staging.store, staging.folder).name
    for entry in staging.store.glob(PREFIX + "*.json"):
        if entry.name != keep:
            entry.unlink(missing_ok=True)
