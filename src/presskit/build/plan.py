"""What a build renders, reuses and drops: the fingerprints of every release's documents, against the published build.

A release's PDF, DOCX and page are made from its file and photos, from what the whole site shares (presskit,
the configuration, the templates folder, the logo, the rendering libraries, the base URL, the languages
published) and from the translations its page links to. A release whose fingerprint is the one the published
build's manifest records is reused (its files linked); the others are rendered; releases the manifest has and
this build does not publish are dropped (simply not carried over).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from presskit.build import manifest
from presskit.build.staging import Staging
from presskit.model import Config
from presskit.site import templates
from presskit.site.view import ReleaseView
from presskit.sources.load import Source, project_fingerprint

RENDERING_LIBRARIES = (
    "weasyprint",
    "pydyf",
    "python-docx",
    "jinja2",
    "markdown-it-py",
    "babel",
    "pillow",
    "lxml",
    "pyexiv2",
)


@dataclass
class Plan:
    """The decision for one build: each release's fingerprint, what to render, what to reuse."""

    fingerprints: dict[str, str]
    site: str  # the site's fingerprint (every release's includes it)
    render: list[ReleaseView]
    reuse: dict[str, dict]  # slug: the published manifest entry, whose files are linked into the new build
    # Nothing to render and the published build intact: its files are linked only if the newsroom files turn
    # out to differ (else the published build stays as it is, untouched).
    unchanged: bool = False
    dropped: list[str] = field(default_factory=list)  # published before, not now (embargoed again, removed, draft)


def make(
    public: list[Source],
    views: list[ReleaseView],
    config: Config,
    languages: tuple[str, ...],
    published: manifest.Published,
) -> Plan:
    """Compare every published release's fingerprint with the published build's manifest."""
    site = site_fingerprint(config, languages)
    fingerprints = {view.slug: release_fingerprint(s, view, site) for s, view in zip(public, views, strict=True)}
    reuse = {}
    for view in views:
        old = published.releases.get(view.slug)
        if published.folder is not None and old and old.get("fingerprint") == fingerprints[view.slug]:
            reuse[view.slug] = old
    dropped = sorted(set(published.releases) - set(fingerprints))
    render = [view for view in views if view.slug not in reuse]
    unchanged = not render and manifest.intact(published, set(reuse))
    return Plan(fingerprints, site, render, reuse, unchanged, dropped)


def site_fingerprint(config: Config, languages: tuple[str, ...]) -> str:
    """Everything every release's documents depend on: presskit, configuration, templates, base URL, languages."""
    parts = (project_fingerprint(config), templates_fingerprint(config), config.base_url, ",".join(languages))
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def release_fingerprint(source: Source, view: ReleaseView, site: str) -> str:
    """One release's inputs: its file and photos, the site, and its translations (linked from the page, named
    with their headline, date and version in the agency files)."""
    links = [view.original] + [f"{t.slug}:{t.lang}" for t in view.translations]
    # The agency files (renderers/agency.py) also name each translation's headline, guid (from its date) and version.
    links += [f"{t.title}\0{t.date.isoformat()}\0{t.updated is not None}" for t in view.translations]
    own = hashlib.sha256(f"{site}\0{source.digest}".encode()).hexdigest()
    return hashlib.sha256(f"{own}\0{json.dumps(links)}".encode()).hexdigest()


def templates_fingerprint(config: Config) -> str:
    """The project's templates folder (templates, CSS, reference.docx), its logo and the rendering libraries."""
    digest = hashlib.sha256()
    folder = config.root / config.templates_dir
    for path in templates.scan(config)[0]:  # only files inside the project (what check() refuses is not read)
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    if config.logo is not None:
        digest.update(b"logo\0" + config.logo.read_bytes())
    for library, version in rendering_libraries().items():
        digest.update(f"{library}={version}".encode())
    return digest.hexdigest()


def rendering_libraries() -> dict[str, str]:
    """The installed version of every rendering library ("none" when missing): the documents' bytes depend on them."""
    from importlib import metadata  # 20 ms to import: only when the templates' fingerprint is needed

    found = {}
    for library in RENDERING_LIBRARIES:
        try:
            found[library] = metadata.version(library)
        except metadata.PackageNotFoundError:
            found[library] = "none"
    return found


class SiteReuse:
    """Which newsroom-level files (listing pages, feeds, sitemaps) a build carries over from the published one.

    Each file gets a key: the site's fingerprint, what the file says besides its releases (its place, page
    number, neighbours, titles), and the slugs and fingerprints of the releases it shows, in order. A file whose key is
    the one the published build's manifest records is linked from it instead of being made again.
    """

    def __init__(self, decision: Plan, published: manifest.Published, staging: Staging):
        self.fingerprints = decision.fingerprints
        self.site = decision.site
        self.published = published
        self.staging = staging
        self.keys: dict[str, str] = {}  # the new manifest's record of the newsroom files

    def key(self, kind: str, parts: object, views: Iterable[ReleaseView] = ()) -> str:
        """The key of one newsroom file: what kind, its own parts (JSON-able), and its releases."""
        releases = [(view.slug, self.fingerprints[view.slug]) for view in views]  # a renamed file keeps its digest
        text = json.dumps([kind, self.site, parts, releases], default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def unchanged(self, relative: str, key: str) -> bool:
        """True when the published build holds `relative` made from the same key: it is carried over (the
        writer skips it). False when the writer must make it."""
        self.keys[relative] = key
        published = manifest.carried(self.published, relative, key)
        if published is None:
            return False
        self.staging.keep_file(relative, published)
        return True
