"""The release archive: every release file read and hashed; unchanged ones come from the model cache.

Also what a release's outputs are made from (`fingerprint`): its source bytes and photos, the project's
configuration and templates, and presskit itself, so that a build re-renders only what changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from presskit import __version__
from presskit.config import CONFIG_FILE
from presskit.diagnostics import Reporter
from presskit.model import Config, Release
from presskit.site import templates
from presskit.sources import checks, releases, translations
from presskit.sources import yamlreader as yamlsource
from presskit.sources.modelcache import Entry, ModelCache, photo_stat

PACKAGE = Path(__file__).resolve().parent.parent  # the whole presskit package
# The libraries whose versions change what the documents look like.
RENDERING_LIBRARIES = ("weasyprint", "pydyf", "python-docx", "jinja2", "markdown-it-py", "babel", "pillow")


@dataclass(frozen=True)
class Source:
    """A valid release with where its fields are written and the digest of its own inputs."""

    release: Release
    positions: dict
    digest: str  # the YAML bytes and the photos (path, size, modification time)


def load(config: Config, reporter: Reporter, *, cache: bool = True) -> list[Source]:
    """Every valid release of the project in file order; every problem goes to the reporter."""
    store = ModelCache.open(config.root, project_fingerprint(config)) if cache else None
    loaded: list[Source] = []
    seen: dict[str, Path] = {}
    names: set[str] = set()
    inside = os.path.realpath(config.root) + os.sep
    for path in releases.release_files(config):
        if not os.path.realpath(path).startswith(inside):
            reporter.error(
                path,
                1,
                1,
                "this release file is a link to a file outside the project; presskit reads only files inside it",
                "release.outside",
            )
            continue
        if not releases.claim_slug(path, seen, reporter):
            continue
        name = os.path.relpath(path, config.root)
        names.add(name)
        try:
            data = releases.read_source(path)
        except (OSError, yamlsource.SourceError):
            data = None  # load_source reads it again and reports why
        digest = hashlib.sha256(data).hexdigest() if data is not None else ""
        entry = store.get(name, digest) if store is not None and data is not None else None
        if entry is not None and not _belongs(entry, path, config.root):
            entry = None
        if entry is None:
            errors = len(reporter.errors)
            release, root, text = releases.load_source(path, config, reporter, data)
            if release is None or len(reporter.errors) != errors:
                continue
            entry = Entry(
                digest,
                [photo_stat(str(p.source)) for p in release.photos],
                release,
                checks.positions(root, text.splitlines()),
            )
            if store is not None:
                store.put(name, entry)
        loaded.append(Source(entry.release, entry.positions, _digest(entry)))
    if store is not None:
        store.keep_only(names)
        store.save()
    translations.check([source.release for source in loaded], reporter)
    return loaded


def _belongs(entry: Entry, path: Path, root: Path) -> bool:
    """A cached release is this file's, and its photos are inside the project (the cache is not trusted further)."""
    inside = os.path.realpath(root) + os.sep
    return entry.release.source == path and all(
        os.path.realpath(p.source).startswith(inside) for p in entry.release.photos
    )


def _digest(entry: Entry) -> str:
    return hashlib.sha256(json.dumps([entry.digest, entry.photos]).encode()).hexdigest()


@functools.cache
def code_fingerprint() -> str:
    """presskit's version and every file of the package (code, locales, built-in theme)."""
    digest = hashlib.sha256(__version__.encode())
    for folder, dirs, files in sorted(os.walk(PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                path = Path(folder) / name
                digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def project_fingerprint(config: Config) -> str:
    """What every release's model depends on besides its own file: the configuration and presskit."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(str(config.root).encode() + b"\0")
    try:
        digest.update((config.root / CONFIG_FILE).read_bytes())
    except OSError:
        pass
    return digest.hexdigest()


def templates_fingerprint(config: Config) -> str:
    """The project's templates folder (templates, CSS, reference.docx), its logo and the rendering libraries."""
    from importlib import metadata  # 20 ms to import: only when the templates' fingerprint is needed

    digest = hashlib.sha256()
    folder = config.root / config.templates_dir
    for path in templates.scan(config)[0]:  # only files inside the project (what check() refuses is not read)
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    if config.logo is not None:
        digest.update(b"logo\0" + config.logo.read_bytes())
    for library in RENDERING_LIBRARIES:
        try:
            digest.update(f"{library}={metadata.version(library)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{library}=none".encode())
    return digest.hexdigest()


def fingerprint(source: Source, site: str) -> str:
    """What one release's PDF, DOCX and page are made from; `site` is everything shared (see build)."""
    return hashlib.sha256(f"{site}\0{source.digest}".encode()).hexdigest()
