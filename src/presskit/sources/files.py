"""Release files on disk, before any parsing: listed, their slugs claimed, their bytes read within limits."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.sources import yamlreader as yamlsource
from presskit.sources.yamlreader import Mark
from presskit.text import locales

MAX_FILE_BYTES = 1024 * 1024
RESERVED = {"tags", "page", "feed", "atom", "sitemap", "robots", "newsroom"}


def release_files(config: Config) -> list[Path]:
    """Every release source in the project, sorted by file name (cheap for 10,000 files)."""
    return [Path(entry.path) for entry in release_entries(config)]


def release_entries(config: Config) -> list[os.DirEntry]:
    """The folder entries of every release source, sorted by file name (their stat is one call away)."""
    folder = config.root / config.releases_dir
    try:
        # The extension in any case: a release saved as NEWS.YAML is reported, never silently skipped.
        with os.scandir(folder) as entries:
            found = [
                entry
                for entry in entries
                if entry.name.lower().endswith((".yaml", ".yml")) and not entry.name.startswith(".")
            ]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found, key=lambda entry: entry.name)


def stem(path: Path | str) -> str:
    """A file's name without its extension (Path.stem, for a path given as a string too)."""
    return os.path.splitext(os.path.basename(path))[0]


def claim_slug(path: Path | str, seen: dict[str, Path | str], reporter: Reporter) -> bool:
    """Record a release file's slug; False (with an error) when it is reserved or another file has it."""
    slug = stem(path)
    if slug in RESERVED or slug in locales.available():
        reporter.error(
            path, 1, 1, f"the slug '{slug}' is reserved for the newsroom's own pages; rename the file", "release.slug"
        )
        return False
    # Slugs are compared case-folded: on Windows and macOS, a.yaml and A.yaml are one file, out/a and out/A one folder.
    key = slug.casefold()
    if key in seen:
        other = reporter.display_path(seen[key])
        how = (
            "has the same name"
            if stem(seen[key]) == slug
            else "has the same name once upper and lower case are not told apart"
        )
        reporter.error(path, 1, 1, f"duplicate slug '{slug}': {other} {how}", "release.duplicate-slug")
        return False
    seen[key] = path
    return True


def read_source(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A release file's bytes: only a regular file, never more than `limit` bytes read (FIFOs, devices refused)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused as not a regular file.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise yamlsource.SourceError(
            "a release must be a regular file (not a folder, device or pipe)", Mark(1, 1), "release.not-a-file"
        )
    with os.fdopen(fd, "rb") as handle:
        # Read one byte more than allowed: a file that grew after fstat is still caught, and never read whole.
        data = handle.read(limit + 1) if info.st_size <= limit else b""
        if info.st_size > limit or len(data) > limit:
            size = f"{info.st_size // 1024} KB" if info.st_size > limit else f"over {limit // 1024} KB"
            raise yamlsource.SourceError(
                f"the file is {size}; a release file is limited to {limit // 1024} KB", Mark(1, 1), "release.too-large"
            )
        return data
