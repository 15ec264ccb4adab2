"""The build pipeline, top to bottom: configure, load, stop on errors, render what changed, list, feed, publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from presskit import config as project_config
from presskit import renderers
from presskit.build import fragments, manifest, outputs, warmstart
from presskit.build.progress import Silent
from presskit.build.staging import Staging, StagingError
from presskit.build.workers import RenderPool
from presskit.diagnostics import Reporter
from presskit.model import Config, Release
from presskit.site import embargo, feed, newsroom, sitemap, templates
from presskit.site.view import ReleaseView, SiteView
from presskit.sources import checks, translations
from presskit.sources import load as archive
from presskit.sources.load import Source


@dataclass(frozen=True)
class BuildOptions:
    """What the command line can change about a build."""

    root: Path
    out: Path | None = None
    drafts: bool = False
    now: dt.datetime | None = None
    base_url: str | None = None
    jobs: int | None = None  # worker processes; default: one per core
    embargoed: Path | None = None  # where to write private, notice-bearing copies of embargoed releases
    wait: bool = True  # wait for another build of the same output to finish (False: stop at once)


@dataclass
class BuildResult:
    """What happened: diagnostics, the releases published or held back, and which were rendered or reused."""

    reporter: Reporter
    published: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    embargoed: list[str] = field(default_factory=list)
    rendered: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    checked: int = 0
    photos: set[Path] = field(default_factory=set)  # every photo file the releases use (serve watches them)
    refused: str = ""  # why an output folder may not be used (nothing was written): a usage error
    busy: bool = False  # another build held the output folders and wait was False: nothing was done
    holder: int | None = None  # that build's pid, when known
    newsroom_changed: bool = False  # a new newsroom was published in the output folder

    @property
    def ok(self) -> bool:
        return not self.reporter.errors


def load_config(root: Path, reporter: Reporter, base_url: str | None = None) -> Config:
    """The project's configuration, with the command line's base URL; its problems go to the reporter."""
    config = project_config.load(root, reporter)
    if base_url:
        config = dataclasses.replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    templates.check(config, reporter)  # every file of templates/ inside the project, before any is read
    return config


def load_releases(config: Config, reporter: Reporter, now: dt.datetime | None = None) -> list[Source]:
    """Every release of the project, with its warnings; all problems go to the reporter."""
    sources = archive.load(config, reporter)
    now = now or dt.datetime.now(dt.UTC)
    for source in sources:
        checks.report(source.release, source.positions, config, now, reporter)
    return sources


def load_project(
    root: Path, reporter: Reporter, base_url: str | None = None, now: dt.datetime | None = None
) -> tuple[Config, list[Source]]:
    """Read configuration and every release, with their warnings; all problems go to the reporter."""
    config = load_config(root, reporter, base_url)
    return config, load_releases(config, reporter, now)


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


def build(
    options: BuildOptions, progress: Silent | None = None, waiting: Callable[[int | None], None] | None = None
) -> BuildResult:
    """Build the whole newsroom into a staging folder and publish it only if nothing failed.

    A release whose fingerprint matches the published build's manifest is not rendered again: its
    files are linked from that build. Listings, feeds and the sitemap are always written afresh.
    """
    progress = progress or Silent()
    root = options.root.resolve()
    reporter = Reporter(root)
    result = BuildResult(reporter)
    now = options.now or dt.datetime.now(dt.UTC)
    out = options.out or root / "out"
    jobs = options.jobs or warmstart.default_jobs()
    warmstart.for_first_build(out, jobs)  # the workers get ready while the releases are read
    config = load_config(root, reporter, options.base_url)
    # The output folders are checked before anything is written, and locked before the releases are read:
    # a build that waited for another then builds the sources as they are when it starts, never older ones.
    targets = {
        "the output folder": out,
        **({"the embargoed folder": options.embargoed} if options.embargoed is not None else {}),
    }
    shown = {"the output folder": str(options.out or "out"), "the embargoed folder": str(options.embargoed)}
    try:
        outputs.check(targets, root, _source_folders(config, set()), shown)
        stores = [outputs.prepare_store(target) for target in targets.values()]
        lock = outputs.BuildLock([store for store, _created in stores])
        lock.acquire(options.wait, waiting)
    except outputs.OutputFolderError as exc:
        result.refused = str(exc)
        return result
    except outputs.BusyError as exc:
        result.busy, result.holder = True, exc.args[0]
        return result
    except OSError as exc:
        reporter.error(
            out, 1, 1, f"cannot use the build store next to {os.path.abspath(out)}: {exc.strerror or exc}", "output"
        )
        return result
    with lock:
        sources = load_releases(config, reporter, now)
        result.checked = len(sources)
        result.photos = {photo.source for source in sources for photo in source.release.photos}
        if reporter.errors:
            return result
        try:  # again, now that the photos' folders are known
            outputs.check(targets, root, _source_folders(config, result.photos), shown)
        except outputs.OutputFolderError as exc:
            result.refused = str(exc)
            for store, created in stores:
                if created:
                    outputs.remove_new_store(store)
            return result
        _build_locked(options, config, sources, now, out, jobs, progress, result)
    return result


def _source_folders(config: Config, photos: set[Path]) -> dict[str, Path]:
    """The project's folders of sources, which no output folder may be inside."""
    root = config.root
    folders = {
        "releases folder": root / config.releases_dir,
        "templates folder": root / config.templates_dir,
        "cache folder": root / ".presskit",
    }
    if config.logo is not None:
        folders["logo's folder"] = config.logo.parent
    for photo in sorted(photos):
        folders.setdefault(f"folder of photo {photo.name}", photo.parent)
    real_root = Path(os.path.realpath(root))
    return {what: folder for what, folder in folders.items() if Path(os.path.realpath(folder)) != real_root}


def _build_locked(
    options: BuildOptions,
    config: Config,
    sources: list[Source],
    now: dt.datetime,
    out: Path,
    jobs: int,
    progress: Silent,
    result: BuildResult,
) -> None:
    """The build proper, with the output folders locked."""
    reporter = result.reporter
    public = [s for s in sources if is_public(s.release, now, options.drafts)]
    published = {s.release.slug for s in public}
    result.held = [s.release.slug for s in sources if s.release.slug not in published]
    languages = tuple(sorted({s.release.lang for s in public}))
    views = release_views([s.release for s in public], config)
    pool = RenderPool(config, jobs, languages)

    def fill_newsroom(staging: Staging) -> bool:
        published = manifest.read(staging)
        context = renderers.RenderContext(config, templates.environment(config), SiteView(config), languages)

        def listings(entries: dict[str, dict]) -> list:
            """The listing pages, with the kept texts of the releases in `entries`."""
            for view in views:
                if view.slug in entries:
                    fragments.recall(view, entries[view.slug].get("fragments"))
            return newsroom.write(views, staging, context)

        entries, listing_pages = render_changed(
            public, views, staging, published, pool, context, progress, result, meanwhile=listings
        )
        result.published = [view.slug for view in views if view.slug in entries]
        if reporter.errors:
            return False
        if listing_pages is None:
            listing_pages = listings(entries)
        full_texts = feed.write(
            views, staging, context, {slug: entry.get("full_text") for slug, entry in entries.items()}
        )
        sitemap.write(views, listing_pages, staging, context)
        if staging.linked_from is not None and manifest.same_newsroom(published, staging.site):
            return False  # nothing changed: the published build stays, untouched
        result.newsroom_changed = True
        link_unchanged(staging, entries)
        for view in views:
            entries[view.slug] = {
                **entries[view.slug],
                "fragments": fragments.remember(view),
                "full_text": full_texts.get(view.slug),
            }
        manifest.write(staging, entries)
        return True

    if not write_atomically(out, config.root, reporter, fill_newsroom, incremental=True):
        result.newsroom_changed = False
        return

    if options.embargoed is not None:
        held = [s.release for s in sources if s.release.embargo is not None and s.release.embargo > now]
        copies = [ReleaseView(r, config, embargo_copy=True) for r in held if options.drafts or not r.draft]

        def fill_embargoed(staging: Staging) -> bool:
            outcomes = pool.render(copies, staging)
            for view in copies:
                reporter.extend(outcomes[view.slug].diagnostics)
            context = renderers.RenderContext(config, templates.environment(config), SiteView(config), languages)
            embargo.write_index(copies, staging, context)
            return True

        if write_atomically(options.embargoed, config.root, reporter, fill_embargoed):
            result.embargoed = [v.slug for v in copies]


def release_views(public: list[Release], config: Config) -> list[ReleaseView]:
    """A view per published release, linked to its published translations only."""
    groups = translations.groups(public)
    views = []
    for release in public:
        group = groups[release.slug]
        others = tuple(r for r in group if r.slug != release.slug)
        views.append(ReleaseView(release, config, translations=others, original=group[0].slug if others else ""))
    return views


def render_changed(
    public: list[Source],
    views: list[ReleaseView],
    staging: Staging,
    published: manifest.Published,
    pool: RenderPool,
    context: renderers.RenderContext,
    progress,
    result: BuildResult,
    meanwhile: Callable[[dict[str, dict]], list],
) -> tuple[dict[str, dict], list | None]:
    """Render the releases that changed, reuse the others; the new manifest's entries, and what
    `meanwhile` returned if it could run (given the reused entries) while a release rendered on another
    core, else None.

    Unchanged releases are linked from the published build; when nothing changed at all, linking waits
    (staging.linked_from) until the newsroom files show whether there is anything new to publish.
    """
    site = _site_fingerprint(context.config, context.languages)
    fingerprints = {
        view.slug: _release_fingerprint(source, view, site) for source, view in zip(public, views, strict=True)
    }
    unchanged = {}
    for view in views:
        old = published.releases.get(view.slug)
        if published.folder is not None and old and old.get("fingerprint") == fingerprints[view.slug]:
            unchanged[view.slug] = old
    entries: dict[str, dict] = {}
    if len(unchanged) == len(views) and manifest.intact(published, set(unchanged)):
        staging.linked_from = published.folder
        entries.update(unchanged)
        unchanged = {}
    changed = [view for view in views if view.slug not in entries and view.slug not in unchanged]
    for slug in [*entries, *unchanged]:
        progress.reused(slug)
    listing_pages = None
    try:
        started = lambda: progress.start(len(changed), len(views) - len(changed))  # noqa: E731
        done = lambda slug, rendered: progress.rendered(slug, rendered.ok)  # noqa: E731
        with pool.start(changed, staging, started, done) as rendering:
            # The unchanged releases are linked, and `meanwhile` runs, while the release renders elsewhere.
            lost = []
            for view in views:
                if view.slug in unchanged:
                    if manifest.reuse(published.folder, view.slug, unchanged[view.slug]["files"], staging):
                        entries[view.slug] = unchanged[view.slug]
                    else:
                        lost.append(view)  # a file of the published build went missing: render it again
            if rendering.pending and not lost:
                listing_pages = meanwhile(entries)
            outcomes = rendering.results()
        outcomes.update(pool.render(lost, staging, done=done))
    finally:
        progress.finish()
    result.reused.extend(entries)
    for view in views:
        outcome = outcomes.get(view.slug)
        if outcome is None:
            continue
        result.reporter.extend(outcome.diagnostics)
        if outcome.ok:
            entries[view.slug] = {
                "fingerprint": fingerprints[view.slug],
                "files": manifest.files_of(staging.folder / view.slug),
                "fragments": outcome.texts,
            }
            result.rendered.append(view.slug)
    return entries, listing_pages


def link_unchanged(staging: Staging, entries: dict[str, dict]) -> None:
    """Link the releases whose linking waited (see render_changed) into the new build."""
    if staging.linked_from is None:
        return
    for slug, entry in entries.items():
        if not manifest.reuse(staging.linked_from, slug, entry["files"], staging):
            raise StagingError(f"the published build lost the files of {slug}; build again")
    staging.linked_from = None


def _site_fingerprint(config: Config, languages: tuple[str, ...]) -> str:
    """Everything every release's documents depend on: presskit, configuration, templates, base URL, languages."""
    parts = (
        archive.project_fingerprint(config),
        archive.templates_fingerprint(config),
        config.base_url,
        ",".join(languages),
    )
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _release_fingerprint(source: Source, view: ReleaseView, site: str) -> str:
    """One release's inputs, including which translations its page links to."""
    links = [view.original] + [f"{t.slug}:{t.lang}" for t in view.translations]
    return hashlib.sha256(f"{archive.fingerprint(source, site)}\0{json.dumps(links)}".encode()).hexdigest()


def write_atomically(
    target: Path, root: Path, reporter: Reporter, fill: Callable[[Staging], bool], incremental: bool = False
) -> bool:
    """Fill a fresh staging folder and swap it in as `target`, or discard it and leave `target` as it was.

    `fill` returns False when the published folder already is what it would make: it then stays.
    """
    try:
        staging = Staging(target, root)
    except StagingError as exc:
        reporter.error(target, 1, 1, str(exc), "output")
        return False
    publish = False
    try:
        publish = fill(staging)
        if publish and not reporter.errors:
            staging.flush()
    except (OSError, StagingError) as exc:
        reporter.error(target, 1, 1, f"cannot write the output: {_os_message(exc, staging)}", "output")
    if reporter.errors or not publish:
        if incremental:
            manifest.discard(staging)
        staging.discard()
        return not reporter.errors
    try:
        staging.publish()
        if incremental:
            manifest.clean(staging)
    except (OSError, StagingError) as exc:
        if incremental:
            manifest.discard(staging)
        staging.discard()
        reporter.error(target, 1, 1, f"cannot publish the output: {_os_message(exc, staging)}", "output")
        return False
    return True


def _os_message(exc: Exception, staging: Staging) -> str:
    """'No space left on device (writing 2024-01-15-x/x.pdf)': the reason first, the file inside the build second."""
    if not isinstance(exc, OSError) or not exc.strerror:
        return str(exc)
    for name in (exc.filename2, exc.filename):  # shutil.copyfile names the source first, the target second
        if name is not None and Path(str(name)).is_relative_to(staging.folder):
            return f"{exc.strerror} (writing {Path(str(name)).relative_to(staging.folder).as_posix()})"
    return exc.strerror
