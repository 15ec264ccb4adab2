"""Atomic publication of the output folder: build beside it, then swap it in with one rename.

`out` is a symbolic link to a complete build folder kept in `.out.builds/` next to it; a new build
is written to a fresh folder there and the link is replaced atomically (os.replace), so readers and
crashes only ever see the complete previous build or the complete new one.

The newsroom's releases live in release folders of the store (`.out.builds/release-*`), written once and
never changed: a build folder holds one relative link per release (`<slug> -> ../release-*`) and its own
listings, feeds and sitemap, so a build writes only the releases that changed plus one link per release.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path

RELEASE_PREFIX = "release-"  # the store's release folders: `.out.builds/release-*`


class StagingError(Exception):
    """The output folder cannot be used safely."""


class Staging:
    """A fresh build folder that becomes `out` on publish() and vanishes on discard()."""

    def __init__(self, out: Path, sources: Path):
        self.out = Path(os.path.abspath(out))
        sources = Path(os.path.realpath(sources))
        real_out = Path(os.path.realpath(self.out))
        if sources == real_out or sources.is_relative_to(real_out):
            raise StagingError(f"refusing to use {out} as the output folder: it contains the project's sources")
        self.store = self.out.parent / f".{self.out.name}.builds"
        try:
            self.store.mkdir(parents=True, exist_ok=True)
            self.folder = Path(tempfile.mkdtemp(prefix="build-", dir=self.store))
            os.chmod(self.folder, 0o755)
        except OSError as exc:
            raise StagingError(f"cannot create a build folder next to {out}: {exc.strerror}") from None
        self.site: dict[str, bytes] = {}  # newsroom-level files (listings, feeds, sitemap), kept until flush()
        self.kept: dict[str, Path] = {}  # newsroom-level files unchanged since the published build: linked at flush()
        self.releases: dict[str, str] = {}  # slug: the release folder of the store this build links to
        self.created: set[str] = set()  # release folders this build made (removed if it is not published)

    def __getstate__(self):  # what a render worker receives: where to write, not the staged newsroom files
        return {**self.__dict__, "site": {}}

    @property
    def previous(self) -> Path | None:
        """The folder of the build currently published, if any."""
        if self.out.is_symlink() or self.out.is_dir():
            return Path(os.path.realpath(self.out))
        return None

    def path(self, relative: str) -> Path:
        """A path inside the build folder; refuses anything that would land outside it."""
        target = self._inside(relative)
        if not target.parent.is_dir():  # a stat is much cheaper than a mkdir that fails (the feed asks 10,000 times)
            target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def write(self, relative: str, data: bytes | str) -> None:
        """Stage a newsroom-level file in memory: flush() writes them all, and a build that changes
        nothing compares them with the published ones instead of writing them."""
        self._inside(relative)
        self.kept.pop(relative, None)
        self.site[relative] = data.encode("utf-8") if isinstance(data, str) else data

    def keep_file(self, relative: str, published: Path) -> None:
        """Carry a newsroom-level file of the published build into this one, unchanged (linked at flush())."""
        self._inside(relative)
        self.kept[relative] = published

    def flush(self) -> None:
        """Write the staged newsroom-level files into the build folder and link the kept ones."""
        while self.site:  # emptied as it goes: a second flush() writes nothing again
            relative, data = self.site.popitem()
            self.path(relative).write_bytes(data)
        while self.kept:
            relative, published = self.kept.popitem()
            target = self.path(relative)
            try:
                os.link(published, target)
            except OSError:
                shutil.copyfile(published, target)

    def new_release(self, slug: str) -> Path:
        """A new, empty release folder in the store, linked as `slug` in this build: its files go there."""
        folder = Path(tempfile.mkdtemp(prefix=RELEASE_PREFIX, dir=self.store))
        os.chmod(folder, 0o755)
        self.created.add(folder.name)
        self.link_release(slug, folder.name)
        return folder

    def link_release(self, slug: str, folder: str) -> None:
        """Link a release folder of the store (written by this or an earlier build) as `slug` in this build."""
        if not folder.startswith(RELEASE_PREFIX) or "/" in folder or folder in (".", ".."):
            raise StagingError(f"unexpected release folder in the manifest: {folder!r}")
        link = self._inside(slug)
        if link.parent != self.folder:
            raise StagingError(f"refusing to link a release outside the build folder: {slug}")
        os.symlink(f"../{folder}", link)
        self.releases[slug] = folder

    def drop_release(self, slug: str) -> None:
        """Undo new_release or link_release for a release this build cannot carry."""
        folder = self.releases.pop(slug, None)
        if os.path.lexists(self.folder / slug):
            os.unlink(self.folder / slug)
        if folder in self.created:
            self.created.discard(folder)
            shutil.rmtree(self.store / folder, ignore_errors=True)

    def release_folder(self, slug: str) -> Path:
        """The store folder that holds a release linked in this build."""
        return self.store / self.releases[slug]

    def _inside(self, relative: str) -> Path:
        target = Path(os.path.normpath(self.folder / relative))
        if not target.is_relative_to(self.folder):
            raise StagingError(f"refusing to write outside the build folder: {relative}")
        return target

    def publish(self) -> None:
        """Make the build folder the new `out` in one atomic step, then remove older builds."""
        _fsync_tree(self.folder)
        old = self.previous
        if self.out.exists() and not self.out.is_symlink():
            # An empty folder the user made for the output (outputs.check refused any other): removed, then
            # replaced by the link. rmdir fails if files appeared in it meanwhile: nothing is ever deleted.
            try:
                os.rmdir(self.out)
            except OSError as exc:
                raise StagingError(
                    f"{self.out} is no longer an empty folder ({exc.strerror}); it was left as it is"
                ) from None
            old = None
        link = self.store / f".link-{self.folder.name}"
        if link.is_symlink() or link.exists():
            link.unlink()
        os.symlink(os.path.relpath(self.folder, self.out.parent), link)
        os.replace(link, self.out)
        _fsync_dir(self.out.parent)
        self._clean(keep=self.folder)
        if old is not None and old != self.folder and old.is_relative_to(self.store):
            shutil.rmtree(old, ignore_errors=True)

    def discard(self) -> None:
        """Forget this build, and the release folders it made; `out` is untouched."""
        shutil.rmtree(self.folder, ignore_errors=True)
        for name in self.created:
            shutil.rmtree(self.store / name, ignore_errors=True)

    def _clean(self, keep: Path) -> None:
        """Remove build folders left by interrupted runs (never the published one), and the release folders the
        published build does not link to (replaced, dropped, or left by an interrupted run)."""
        linked = set(self.releases.values())
        for entry in os.scandir(self.store):
            name = entry.name
            if name.startswith(".link-") and entry.is_symlink():  # a link made just before a crash
                os.unlink(entry.path)
            elif entry.is_symlink() or not entry.is_dir():
                continue
            elif (name.startswith(RELEASE_PREFIX) and name not in linked) or (
                entry.path != str(keep) and name.startswith(("build-", "previous-"))
            ):
                shutil.rmtree(entry.path, ignore_errors=True)


def _fsync_tree(folder: Path) -> None:
    """Make every file of the build durable before it is published: with one syncfs(2) of its file
    system where Linux has it (25 ms for a build of 200 releases, against 160 ms file by file)."""
    if _syncfs(folder):
        return
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if os.lstat(path).st_nlink > 1:
                continue  # linked from the previous build, which was made durable when it was published
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _syncfs(folder: Path) -> bool:
    """syncfs(2) on the file system holding `folder`; False where the C library lacks it or it fails."""
    try:
        call = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return call(fd) == 0
    finally:
        os.close(fd)
