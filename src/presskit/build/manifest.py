"""The manifest kept beside each build: the fingerprint and files of every release it rendered.

It lives in `.out.builds/manifest-<build folder>.json`, never inside the published folder, and is
written before the atomic swap: the next build reuses a release's files (hard links, or copies across
file systems) when its fingerprint is unchanged, and renders it again otherwise.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from presskit import __version__
from presskit.build.staging import Staging

PREFIX = "manifest-"


def _path(store: Path, folder: Path) -> Path:
    return store / f"{PREFIX}{folder.name}.json"


@dataclass(frozen=True)
class Published:
    """What the published build holds, by its manifest: its folder, its releases and its newsroom files."""

    folder: Path | None = None
    releases: dict[str, dict] = field(default_factory=dict)  # slug: {"fingerprint", "files", ...}
    site: tuple[str, ...] = ()  # the newsroom-level files: listings, feeds, sitemap, stylesheet, logo


def read(staging: Staging) -> Published:
    """The published build, or an empty record when there is none presskit can build on."""
    previous = staging.previous
    if previous is None or previous.parent != staging.store:
        return Published()
    try:
        data = json.loads(_path(staging.store, previous).read_bytes())
        if data.get("presskit") != __version__:
            return Published()
        return Published(previous, dict(data["releases"]), tuple(data.get("site", ())))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Published()


def write(staging: Staging, entries: dict[str, dict]) -> None:
    """Record what the new build folder holds (before it is published)."""
    data = {"presskit": __version__, "releases": dict(sorted(entries.items())), "site": sorted(staging.site)}
    _path(staging.store, staging.folder).write_text(json.dumps(data, indent=0), encoding="utf-8")


def intact(published: Published, slugs: set[str]) -> bool:
    """The published build holds exactly these releases and exactly the files its manifest records, no
    more and no fewer: a build that renders nothing may then keep it instead of making a new one."""
    if published.folder is None or not published.site or slugs != published.releases.keys():
        return False
    try:
        expected = {f"{slug}/{name}" for slug in slugs for name in published.releases[slug]["files"]} | set(
            published.site
        )
    except (KeyError, TypeError):  # a manifest edited by hand
        return False
    found = set()
    for folder, _dirs, files in os.walk(published.folder):
        where = os.path.relpath(folder, published.folder)
        found.update(name if where == "." else f"{where}/{name}" for name in files)
    return found == expected


def same_newsroom(published: Published, files: dict[str, bytes]) -> bool:
    """The staged newsroom-level files are, byte for byte, the ones in the published folder."""
    if published.folder is None or files.keys() != set(published.site):
        return False
    try:
        return all((published.folder / name).read_bytes() == data for name, data in files.items())
    except OSError:
        return False


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
