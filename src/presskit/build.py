"""The build pipeline, top to bottom: configure, load, stop on errors, render what changed, index, feed, publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from presskit import archive, checks, feed, fragments, manifest, newsroom, renderers, templates
from presskit import config as project_config
from presskit.archive import Source
from presskit.diagnostics import Reporter
from presskit.model import Config, Release
from presskit.progress import Silent
from presskit.renderpool import RenderPool, default_jobs
from presskit.staging import Staging, StagingError
from presskit.view import ReleaseView, SiteView


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    root: Path
    out: Path | None = None
    drafts: bool = False
    now: dt.datetime | None = None
    base_url: str | None = None
    jobs: int | None = None  # worker processes; default: one per core


@dataclass
class BuildResult:
    """What happened: diagnostics, the releases published or held back, and which were rendered or reused."""

    reporter: Reporter
    published: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    checked: int = 0
    photos: set[Path] = field(default_factory=set)  # every photo file the releases use (serve watches them)

    @property
    def ok(self) -> bool:
        return not self.reporter.errors


def load_project(root: Path, reporter: Reporter, base_url: str | None = None, now: dt.datetime | None = None) -> tuple[Config, list[Source]]:
    """Read configuration and every release, with their warnings; all problems go to the reporter."""
    config = project_config.load(root, reporter)
    if base_url:
        config = dataclasses.replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    sources = archive.load(config, reporter)
    now = now or dt.datetime.now(dt.timezone.utc)
    for source in sources:
        checks.report(source.release, source.positions, config, now, reporter)
    return config, sources


def check(options: BuildOptions) -> BuildResult:
    """Load and validate every release, rendering nothing: errors and warnings only."""
    root = options.root.resolve()
    result = BuildResult(Reporter(root))
    _config, sources = load_project(root, result.reporter, options.base_url, options.now)
    result.checked = len(sources)
    return result


def is_public(release: Release, now: dt.datetime, drafts: bool) -> bool:
    """Published now: not under embargo at `now`, and not a draft unless drafts are asked for."""
    if release.draft and not drafts:
        return False
    return release.embargo is None or release.embargo <= now


def build(options: BuildOptions, progress: Silent | None = None) -> BuildResult:
    """Build the whole newsroom into a staging folder and publish it only if nothing failed.

    A release whose fingerprint matches the published build's manifest is not rendered again:
    its files are linked from that build. The index and the feed are always written afresh.
    """
    progress = progress or Silent()
    root = options.root.resolve()
    reporter = Reporter(root)
    result = BuildResult(reporter)
    now = options.now or dt.datetime.now(dt.timezone.utc)
    config, sources = load_project(root, reporter, options.base_url, now)
    result.checked = len(sources)
    result.photos = {photo.source for source in sources for photo in source.release.photos}
    if reporter.errors:
        return result

    public = [s for s in sources if is_public(s.release, now, options.drafts)]
    published = {s.release.slug for s in public}
    result.held = [s.release.slug for s in sources if s.release.slug not in published]

    try:
        staging = Staging(options.out or root / "out", root)
    except StagingError as exc:
        reporter.error(options.out or root / "out", 1, 1, str(exc), "output")
        return result
    try:
        previous, before = manifest.read(staging)
        site = _site_fingerprint(config)
        entries: dict[str, dict] = {}
        todo: list[tuple[Source, str]] = []
        for source in public:
            slug = source.release.slug
            fingerprint = archive.fingerprint(source, site)
            old = before.get(slug)
            if previous and old and old.get("fingerprint") == fingerprint and manifest.reuse(previous, slug, old["files"], staging):
                entries[slug] = old
                result.reused.append(slug)
                progress.reused(slug)
            else:
                todo.append((source, fingerprint))

        pool = RenderPool(config, options.jobs or default_jobs())
        try:
            outcomes = pool.render(
                [source.release for source, _ in todo],
                staging,
                started=lambda: progress.start(len(todo), len(result.reused)),
                done=lambda slug, rendered: progress.rendered(slug, rendered.ok),
            )
        finally:
            progress.finish()
        for source, fingerprint in todo:
            slug = source.release.slug
            outcome = outcomes[slug]
            reporter.extend(outcome.diagnostics)
            if outcome.ok:
                entries[slug] = {"fingerprint": fingerprint, "files": manifest.files_of(staging.folder / slug), "fragments": outcome.texts}
                result.rendered.append(slug)
        result.published = [s.release.slug for s in public if s.release.slug in entries]

        if not reporter.errors:
            context = renderers.RenderContext(config, templates.environment(config), SiteView(config))
            views = [ReleaseView(source.release, config) for source in public]
            for view in views:
                fragments.recall(view, entries[view.slug].get("fragments"))
            newsroom.write(views, staging, context)
            feed.write(views, staging, context)
            for view in views:
                entries[view.slug] = {**entries[view.slug], "fragments": fragments.remember(view)}
            manifest.write(staging, entries)
    except (OSError, StagingError) as exc:
        reporter.error(staging.folder, 1, 1, f"cannot write the output: {exc}", "output")
    if reporter.errors:
        manifest.discard(staging)
        staging.discard()
        return result
    try:
        staging.publish()
        manifest.clean(staging)
    except (OSError, StagingError) as exc:
        manifest.discard(staging)
        staging.discard()
        reporter.error(staging.out, 1, 1, f"cannot publish the output: {exc}", "output")
    return result


def _site_fingerprint(config: Config) -> str:
    """Everything every release's documents depend on: presskit, configuration, templates, base URL."""
    parts = (archive.project_fingerprint(config), archive.templates_fingerprint(config), config.base_url)
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()
