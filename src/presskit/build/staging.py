"""Atomic publication of the output folder: build beside it, then swap it in with one rename.

`out` is a symbolic link to a complete build folder kept in `.out.builds/` next to it; a new build
is written to a fresh folder there and the link is replaced atomically (os.replace), so readers and
crashes only ever see the complete previous build or the complete new one.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import tempfile
from pathlib import Path


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
        self.site[relative] = data.encode("utf-8") if isinstance(data, str) else data

    def flush(self) -> None:
        """Write the staged newsroom-level files into the build folder."""
        for relative, data in self.site.items():
            self.path(relative).write_bytes(data)

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
        """Forget this build; `out` is untouched."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def _clean(self, keep: Path) -> None:
        """Remove build folders left by interrupted runs (never the published one)."""
        for entry in self.store.iterdir():
            if entry.name.startswith(".link-") and entry.is_symlink():  # a link made just before a crash
                entry.unlink(missing_ok=True)
            elif (
                entry != keep
                and entry.name.startswith(("build-", "previous-"))
                and entry.is_dir()
                and not entry.is_symlink()
            ):
                shutil.rmtree(entry, ignore_errors=True)


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
