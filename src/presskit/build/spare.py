"""The spare build folder (the one published before the current one): what it holds, and its changes to a new build.

A build of the newsroom takes the spare instead of a fresh folder (build/staging.py) and changes only the
entries that differ from what it must hold. What the spare holds is read from it, entry by entry (a scandir
and a readlink per release: 50 ms for 10,000 releases), never taken from a record: a spare edited by hand is
seen as it is and its edits are undone. Its manifest is the mark of a whole spare: the first change removes
it, so a build killed while changing the spare leaves one that no build takes again.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

NEW = ".new-"  # a file or link being made in a spare, renamed over its entry when complete


class Spare:
    """A spare build folder: its release links (slug: target), newsroom files (relative: inode) and folders,
    kept up to date as a build changes it."""

    def __init__(self, folder: str, manifest: str):
        self.folder = folder
        self.manifest = manifest  # its manifest's path: removed before the first change
        self.links: dict[str, str] = {}
        self.files: dict[str, int] = {}
        self.dirs: set[str] = set()
        self.gone: set[str] = set()  # folders at the top removed for a link, with everything in them
        self.touched = False

    @classmethod
    def take(cls, store: str, published: int | None, manifest_of) -> Spare | None:
        """The spare of the store: a build folder other than the published one (inode `published`) whose
        manifest (path: manifest_of(name)) is there and which holds only what builds make; None if none."""
        with os.scandir(store) as entries:
            names = sorted(
                e.name
                for e in entries
                if e.name.startswith("build-") and e.is_dir(follow_symlinks=False) and e.inode() != published
            )
        for name in names:
            spare = cls(os.path.join(store, name), manifest_of(name))
            if os.path.exists(spare.manifest) and spare._read():
                return spare
        return None

    def _read(self) -> bool:
        """Record what the spare holds; False if it holds what no build makes (another kind of file, a link
        elsewhere than to a release folder of the store, a link below its top)."""
        pending = [""]
        while pending:
            where = pending.pop()
            with os.scandir(os.path.join(self.folder, where) if where else self.folder) as entries:
                for entry in entries:
                    relative = f"{where}/{entry.name}" if where else entry.name
                    if entry.is_symlink():
                        target = os.readlink(entry.path)
                        if where or not target.startswith("../release-") or "/" in target[3:]:
                            return False
                        self.links[relative] = target
                    elif entry.is_dir(follow_symlinks=False):
                        self.dirs.add(relative)
                        pending.append(relative)
                    elif entry.is_file(follow_symlinks=False):
                        self.files[relative] = entry.inode()
                    else:
                        return False
        return True

    def touch(self) -> None:
        """Before the first change: remove the manifest (made durable), the spare is no longer whole."""
        if self.touched:
            return
        self.touched = True
        os.unlink(self.manifest)
        fd = os.open(os.path.dirname(self.manifest), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def link(self, slug: str, target: str) -> None:
        """Make `slug` the link to `target` (`../release-*`), over whatever has that name."""
        if self.links.get(slug) == target:
            return
        self.touch()
        path = os.path.join(self.folder, slug)
        if slug in self.dirs and slug not in self.gone:
            self._remove_folder(slug)
            os.symlink(target, path)
        elif slug in self.links or slug in self.files:
            new = new_name(path)
            self.files.pop(os.path.basename(new), None)
            os.symlink(target, new)
            self.files.pop(slug, None)
            os.replace(new, path)
        else:
            os.symlink(target, path)
        self.links[slug] = target

    def unlink(self, slug: str) -> None:
        """Remove the link `slug`, if the spare has it."""
        if slug in self.links:
            self.touch()
            os.unlink(os.path.join(self.folder, slug))
            del self.links[slug]

    def flush(self, releases: dict[str, str], site: dict[str, bytes], kept: dict[str, Path], path) -> None:
        """Bring the spare to the new build: exactly the links of `releases` (made already) and the newsroom
        files of `site` (bytes) and `kept` (files of the published build), each changed only if it differs.
        `path(relative)` gives a file's path, its folder made."""
        for slug in [slug for slug in self.links if slug not in releases]:
            self.unlink(slug)
        if self.gone:
            self.dirs = {name for name in self.dirs if name.split("/", 1)[0] not in self.gone}
            self.files = {name: ino for name, ino in self.files.items() if name.split("/", 1)[0] not in self.gone}
            self.gone = set()
        wanted = site.keys() | kept.keys()
        for relative in [relative for relative in self.files if relative not in wanted]:
            self.touch()
            with contextlib.suppress(FileNotFoundError):  # a leftover `.new-` name, already replaced
                os.unlink(os.path.join(self.folder, relative))
            del self.files[relative]
        needed = {parent for relative in wanted for parent in _parents(relative)}
        for folder in sorted(self.dirs - needed, key=lambda name: -name.count("/")):  # the deepest first
            self.touch()
            os.rmdir(os.path.join(self.folder, folder))
            self.dirs.discard(folder)
        for relative, data in site.items():
            if relative in self.files and _holds(os.path.join(self.folder, relative), data):
                continue
            self.touch()
            new = new_name(path(relative))
            with open(new, "wb") as handle:
                handle.write(data)
            self._replace(new, relative)
        for relative, published in kept.items():
            if relative in self.files and _same(os.path.join(self.folder, relative), self.files[relative], published):
                continue  # the very file of the published build (a hard link), or the same bytes
            self.touch()
            new = new_name(path(relative))
            try:
                os.link(published, new)
            except OSError:
                shutil.copyfile(published, new)
            self._replace(new, relative)
        self.dirs |= needed

    def _replace(self, new: str, relative: str) -> None:
        target = os.path.join(self.folder, relative)
        os.replace(new, target)
        self.files[relative] = os.lstat(target).st_ino

    def _remove_folder(self, name: str) -> None:
        """Remove a folder at the top where a release is linked now (a spare of another layout); what it
        held is forgotten at flush(), in one pass."""
        shutil.rmtree(os.path.join(self.folder, name))
        self.gone.add(name)


def new_name(target: str | Path) -> str:
    """A free name beside `target` for its new version (a leftover of a hand edit is removed)."""
    new = os.path.join(os.path.dirname(target), NEW + os.path.basename(target))
    if os.path.lexists(new):
        os.unlink(new)
    return new


def _parents(relative: str) -> list[str]:
    """The folders a relative path lies in: 'a/b/c' -> ['a', 'a/b']."""
    parts = relative.split("/")[:-1]
    return ["/".join(parts[: i + 1]) for i in range(len(parts))]


def _same(path: str, inode: int, published: Path) -> bool:
    """The spare's file (of that inode) is the published one, or holds the same bytes."""
    status = os.stat(published)
    if status.st_ino == inode:
        return True
    if os.lstat(path).st_size != status.st_size:
        return False
    with open(published, "rb") as handle:
        return _holds(path, handle.read())


def _holds(path: str, data: bytes) -> bool:
    """The file at `path` holds exactly `data`."""
    try:
        if os.lstat(path).st_size != len(data):
            return False
        with open(path, "rb") as handle:
            return handle.read() == data
    except OSError:
        return False
