"""The manifest kept beside each build: the fingerprint, files and release folder of every release it links.

It lives in `.out.builds/manifest-<build folder>.json`, never inside the published folder, and is
written before the atomic swap: the next build links a release's folder of the store again when its
fingerprint is unchanged, and renders it into a new folder otherwise. It also records, for each newsroom
file (listing page, feed, sitemap), the key of what it was made from: an unchanged one is carried over;
and the key of everything the whole newsroom was made from (build/noop.py): a build with the same key changes
nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path

from presskit import __version__
from presskit.build.staging import RELEASE_PREFIX, Staging, manifest_name


def _path(store: Path, folder: Path) -> Path:
    return store / manifest_name(folder.name)


@dataclass(frozen=True)
class Published:
    """What the published build holds, by its manifest: its folder, its releases and its newsroom files."""

    folder: Path | None = None
    releases: dict[str, dict] = field(default_factory=dict)  # slug: {"fingerprint", "files", "folder", ...}
    # newsroom-level file: [the key of what it was made from, its inode, size and modification time (ns)]
    site: dict[str, list] = field(default_factory=dict)
    noop: dict = field(default_factory=dict)  # build/noop.py's record of what the whole newsroom was made from


def published(out: Path) -> Published:
    """The build published in `out`, read without making a build folder."""
    out = Path(os.path.abspath(out))
    previous = Path(os.path.realpath(out)) if out.is_symlink() or out.is_dir() else None
    return _read(out.parent / f".{out.name}.builds", previous)


def _read(store: Path, previous: Path | None) -> Published:
    if previous is None or previous.parent != store:
        return Published()
    try:
        data = json.loads(_path(store, previous).read_bytes())
        if data.get("presskit") != __version__:
            return Published()
        site = data.get("site", {})
        if not isinstance(site, dict):  # a manifest of the earlier layout: the newsroom files are made again
            site = {}
        site = {str(k): v for k, v in site.items() if isinstance(v, list)}
        noop = data.get("noop")
        return Published(previous, dict(data["releases"]), site, noop if isinstance(noop, dict) else {})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Published()


def folders(published: Published) -> set[str]:
    """The release folders of the store a build links, by its manifest."""
    entries = published.releases.values()
    return {e["folder"] for e in entries if isinstance(e, dict) and isinstance(e.get("folder"), str)}


def write(staging: Staging, entries: dict[str, dict], keys: dict[str, str], noop: dict | None = None) -> None:
    """Record what the new build folder holds, once its files are written (before it is published)."""
    site = {relative: [key, *file_stamp(staging.folder / relative)] for relative, key in sorted(keys.items())}
    data = {"presskit": __version__, "releases": dict(sorted(entries.items())), "site": site}
    if noop:
        data["noop"] = noop
    _path(staging.store, staging.folder).write_text(json.dumps(data, separators=(",", ":")), encoding="ascii")


def remember(published: Published, noop: dict) -> None:
    """Record a new no-op key in the manifest of the published build, which a build kept as it was: replaced
    in one rename (the manifest is beside the build, never inside what readers of the output see)."""
    if published.folder is None or published.noop == noop:
        return
    path = _path(published.folder.parent, published.folder)
    try:
        data = json.loads(path.read_bytes())
        data["noop"] = noop
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="ascii")
        os.replace(temporary, path)
    except (OSError, ValueError):
        pass  # the next build simply takes the longer way


def intact(published: Published, slugs: set[str]) -> bool:
    """The published build holds exactly these releases, each the link to its release folder, and exactly the
    newsroom files its manifest records, no more and no fewer: a build that renders nothing and makes the same
    newsroom files may then keep it instead of making a new one. The release folders are not read: they are
    written once and never changed (`build --verify` compares every byte)."""
    if published.folder is None or not published.site or slugs != published.releases.keys():
        return False
    try:
        links = {slug: "../" + published.releases[slug]["folder"] for slug in slugs}
    except (KeyError, TypeError):  # a manifest of the earlier layout, or edited by hand
        return False
    found = set()
    try:
        with os.scandir(published.folder) as entries:
            for entry in entries:
                if entry.name in links:
                    if not entry.is_symlink() or os.readlink(entry.path) != links[entry.name]:
                        return False
                elif entry.is_dir(follow_symlinks=False):
                    for folder, _dirs, files in os.walk(entry.path):
                        where = os.path.relpath(folder, published.folder)
                        found.update(f"{where}/{name}" for name in files)
                else:
                    found.add(entry.name)
    except OSError:
        return False
    if found != published.site.keys():
        return False
    store = published.folder.parent
    return all(untouched(store, entry) for entry in published.releases.values())


def file_stamp(path: Path) -> list[int]:
    """A newsroom file's inode, size and modification time (ns): an edit by hand changes them."""
    status = os.lstat(path)
    return [status.st_ino, status.st_size, status.st_mtime_ns]


def carried(published: Published, relative: str, key: str) -> Path | None:
    """The published newsroom file made from `key`, as its build wrote it; None if there is none."""
    recorded = published.site.get(relative)
    if published.folder is None or not recorded or recorded[0] != key:
        return None
    path = published.folder / relative
    try:
        return path if file_stamp(path) == recorded[1:] else None
    except OSError:
        return None


def stamp(folder: Path) -> int:
    """A release folder's change time (ns): adding, removing or renaming a file in it changes it."""
    return os.lstat(folder).st_ctime_ns


def untouched(store: Path, entry: dict) -> bool:
    """The release folder of a manifest entry is there, as it was when its build recorded it (no file added
    or removed since: its change time is the one recorded). One lstat, whatever the number of its files."""
    folder = entry.get("folder")
    if not isinstance(folder, str) or not folder.startswith(RELEASE_PREFIX) or "/" in folder:
        return False
    try:
        status = os.lstat(os.path.join(store, folder))  # not pathlib: once per release of a no-op build
    except OSError:
        return False
    return stat.S_ISDIR(status.st_mode) and status.st_ctime_ns == entry.get("stamp")


def same_newsroom(published: Published, files: dict[str, bytes], kept: dict[str, Path]) -> bool:
    """The newsroom-level files of the new build are the published ones: those carried over, and those made
    again (the stylesheet, robots.txt, the sitemap index ...) byte for byte the same."""
    if published.folder is None or files.keys() | kept.keys() != published.site.keys():
        return False
    try:
        return all((published.folder / name).read_bytes() == data for name, data in files.items())
    except OSError:
        return False


def files_of(folder: Path) -> list[str]:
    """Every file a release's folder holds, relative to it."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def reuse(previous: Path, slug: str, entry: dict, staging: Staging) -> bool:
    """Link a release's folder of the store into the new build; False if it or one of its files is missing.

    A release folder changed since it was recorded (a file added or removed by hand), and a release of a build
    made before release folders existed (its files in the build folder itself), have the files the manifest
    names hard-linked (copied across file systems) into a new release folder.
    """
    folder = entry.get("folder")
    if folder is not None and untouched(staging.store, entry):
        staging.link_release(slug, folder)
        return True
    if folder is None:
        source = previous / slug
    elif isinstance(folder, str) and folder.startswith(RELEASE_PREFIX) and "/" not in folder:
        source = staging.store / folder  # changed by hand (a file added or removed): its files, in a new folder
    else:
        return False
    try:
        target = staging.new_release(slug)
        for name in entry["files"]:
            if name in ("", ".", "..") or name.startswith("/") or ".." in name.split("/"):
                raise OSError(f"unexpected file name in the manifest: {name!r}")
            if "/" in name:
                (target / name).parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source / name, target / name)
            except OSError:
                shutil.copy2(source / name, target / name)
    except (OSError, KeyError, TypeError):
        staging.drop_release(slug)
        return False
    entry["folder"] = staging.releases[slug]
    entry["stamp"] = stamp(target)
    return True


def discard(staging: Staging) -> None:
    """Forget the manifest of a build that is not published (a spare the build did not change keeps its own)."""
    if staging.touched:
        _path(staging.store, staging.folder).unlink(missing_ok=True)
