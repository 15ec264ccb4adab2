"""The build pipeline, top to bottom: configure, lock, load, stop on errors, decide what is public, plan, render and link, list, feed, publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from presskit.build import cluster, fragments, manifest, noop, outputs, plan, warmstart
from presskit.build.progress import Silent
from presskit.build.project import load_config
from presskit.build.publication import Publication
from presskit.build.staging import Staging, StagingError
from presskit.build.workers import Pool
from presskit.diagnostics import Reporter
from presskit.model import Config, Release
from presskit.site import embargo, feed, newsroom, sections, sitemap
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView
from presskit.sources import translations
from presskit.sources.archive import Archive
from presskit.sources.load import Source, load_models
from presskit.sources.load import load as load_sources
from presskit.text import urls


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
    force: bool = False  # read every release file again and render every release
    executor: str | None = None  # dask://HOST:PORT: render on that Dask cluster (default: this machine's processes)


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
    hub: str = ""  # the WebSub hub the feeds name (websub_hub), "" without one
    changed_feeds: list[str] = field(default_factory=list)  # with a hub: URLs of the feeds whose bytes changed
    skipped: bool = False  # known to change nothing before any release was decoded (build/noop.py)

    @property
    def ok(self) -> bool:
        return not self.reporter.errors


def load_releases(
    config: Config, reporter: Reporter, now: dt.datetime | None = None, *, force: bool = False, models: bool = True
) -> list[Source]:
    """Every release of the project, with its warnings; all problems go to the reporter (see sources/load.py)."""
    return load_sources(config, reporter, now, cache=not force, models=models, keep=True)


def load_project(
    root: Path, reporter: Reporter, base_url: str | None = None, now: dt.datetime | None = None
) -> tuple[Config, list[Source]]:
    """Read configuration and every release, with their warnings; all problems go to the reporter."""
    config = load_config(root, reporter, base_url)
    return config, load_releases(config, reporter, now)


def is_public(release: Release, now: dt.datetime, drafts: bool) -> bool:
    """Published now: not under embargo at `now`, and not a draft unless drafts are asked for."""
    if release.draft and not drafts:
        return False
    return release.embargo is None or release.embargo <= now


def build(
    options: BuildOptions,
    progress: Silent | None = None,
    waiting: Callable[[int | None], None] | None = None,
    archive: Archive | None = None,
) -> BuildResult:
    """Build the whole newsroom into a staging folder and publish it only if nothing failed.

    A release whose fingerprint matches the published build's manifest is not rendered again: its folder
    in the store is linked from the new build. Listing pages, feeds and sitemaps whose releases and
    neighbours are unchanged are carried over too; the others are written afresh.
    With `options.executor`, releases are rendered on that Dask cluster (build/cluster.py); one that
    cannot be reached or would not render the same bytes refuses the build before anything is written.
    With `archive` (serve), the releases kept from the last build are used, and the files that changed read.
    """
    try:
        executor = cluster.Executor.open(options.executor, options.jobs or warmstart.default_jobs())
    except cluster.ClusterError as exc:
        return BuildResult(Reporter(options.root.resolve()), refused=str(exc))
    with executor:
        return _build(options, executor, progress, waiting, archive)


def _build(
    options: BuildOptions,
    executor: cluster.Executor,
    progress: Silent | None = None,
    waiting: Callable[[int | None], None] | None = None,
    archive: Archive | None = None,
) -> BuildResult:
    progress = progress or Silent()
    root = options.root.resolve()
    reporter = Reporter(root)
    result = BuildResult(reporter)
    now = options.now or dt.datetime.now(dt.UTC)
    out = options.out or root / "out"
    jobs = executor.jobs
    if executor.local:
        warmstart.for_first_build(out, jobs)  # the workers get ready while the releases are read
    config = load_config(root, reporter, options.base_url)
    result.hub = config.websub_hub
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
        before = len(reporter.items)
        if archive is not None:
            sources = archive.load(config, reporter, now, force=options.force)
        else:
            sources = load_releases(config, reporter, now, force=options.force, models=False)  # no model read yet
        result.checked = len(sources)
        result.photos = {Path(photo) for photo in {photo for source in sources for photo in source.photo_files()}}
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
        key = noop.record(config, sources, options.drafts, now)
        public, published = noop.public(sources, now, options.drafts), manifest.published(out)  # read once
        if not (options.force or options.embargoed) and noop.unchanged(published, key, now, {s.slug for s in public}):
            noop.report(sources, public, progress, result)  # nothing to do: no release decoded
            return result
        if not load_models(config, sources):  # another run changed the store meanwhile: read it all again
            del reporter.items[before:]
            sources = load_releases(config, reporter, now, force=options.force)
        _build_locked(options, config, sources, now, out, executor, progress, result, key, published)
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


@dataclass
class NewsroomBuild:
    """The state of one newsroom build, owned by the pipeline from the plan to the manifest."""

    config: Config
    public: list[Source]  # the releases published now, with their sources
    views: list[ReleaseView]  # and their views, in the same order
    context: RenderContext
    pool: Pool  # this machine's processes (RenderPool) or a Dask cluster (ClusterPool)
    progress: Silent
    result: BuildResult
    staging: Staging | None = None
    entries: dict[str, dict] = field(default_factory=dict)  # the new manifest: what each release's files are
    deferred: Path | None = None  # the published build: nothing to render, its files linked only if needed
    force: bool = False  # render every release: nothing is reused from the published build
    reuse: plan.SiteReuse | None = None  # which listing pages, feeds and sitemaps are carried over
    key: dict | None = None  # the no-op key of this build (build/noop.py), recorded in its manifest
    previous: manifest.Published = field(default_factory=manifest.Published)  # the build `out` holds now

    def locate(self, relative: str) -> Path:
        """Where a release's file of this build can be read: the new folder, or the published build whose
        files are not linked yet."""
        if self.deferred is not None and relative.split("/", 1)[0] not in self.staging.releases:
            return self.deferred / relative  # (a spare may link an older version of it)
        return self.staging.folder / relative


def _build_locked(
    options: BuildOptions,
    config: Config,
    sources: list[Source],
    now: dt.datetime,
    out: Path,
    executor: cluster.Executor,
    progress: Silent,
    result: BuildResult,
    key: dict | None = None,
    previous: manifest.Published | None = None,
) -> None:
    """The build proper, with the output folders locked (`previous`: what `out` holds; `key`: build/noop.py's)."""
    reporter = result.reporter
    public = [s for s in sources if is_public(s.release, now, options.drafts)]
    published = {s.release.slug for s in public}
    result.held = [s.release.slug for s in sources if s.release.slug not in published]
    views = release_views([s.release for s in public], config)
    context = RenderContext.for_site(config, tuple(sections.languages(views)))
    pool = executor.pool(config, context.languages)
    run = NewsroomBuild(config, public, views, context, pool, progress, result, force=options.force, key=key)
    run.previous = previous if previous is not None else manifest.published(out)

    publication = Publication.begin(out, config.root, reporter, manifests=True)
    if publication is None:
        return
    with publication as staging:
        run.staging = staging
        _write_newsroom(run, publication)
    result.newsroom_changed = publication.published
    if reporter.errors or options.embargoed is None:
        return

    held = [s.release for s in sources if s.release.embargo is not None and s.release.embargo > now]
    copies = [ReleaseView(r, config, embargo_copy=True) for r in held if options.drafts or not r.draft]
    publication = Publication.begin(options.embargoed, config.root, reporter)
    if publication is None:
        return
    with publication as staging:
        outcomes = pool.render(copies, staging)
        for view in copies:
            reporter.extend(outcomes[view.slug].diagnostics)
        embargo.write_index(copies, staging, context)
    if publication.published:
        result.embargoed = [v.slug for v in copies]


def _write_newsroom(run: NewsroomBuild, publication: Publication) -> None:
    """Plan, render what changed and link the rest, write the listings, feeds and sitemap, and the manifest."""
    staging, result, progress = run.staging, run.result, run.progress
    published = run.previous
    if published.folder is not None:  # kept whole as the spare after the switch, with its release folders
        staging.retain(manifest.folders(published))
    if run.force:
        published = dataclasses.replace(published, releases={})
    decision = plan.make(run.public, run.views, run.config, run.context.languages, published)
    run.reuse = plan.SiteReuse(decision, manifest.Published() if run.force else published, staging)
    by_slug = {view.slug: view for view in run.views}
    for slug in decision.reuse:
        progress.reused(slug)
    listing_pages = None
    lost: list[ReleaseView] = []  # reused releases whose folders the store lost: rendered again
    for view in decision.render:  # each rendered release gets a new folder in the store, linked in the build
        staging.new_release(view.slug)
    try:
        started = partial(progress.start, len(decision.render), len(run.views) - len(decision.render))
        with run.pool.start(decision.render, staging, started, progress.done) as rendering:
            # While a lone edited release renders in another process, the others are linked and the
            # listings written. With nothing to render, linking waits: the build may change nothing.
            if decision.unchanged:
                run.deferred = published.folder
                run.entries.update(decision.reuse)
            else:
                for slug, entry in decision.reuse.items():
                    if manifest.reuse(published.folder, slug, entry, staging):
                        run.entries[slug] = entry
                    else:
                        lost.append(by_slug[slug])
            if rendering.pending and not lost:
                listing_pages = _listings(run)
            outcomes = rendering.results()
        for view in lost:
            staging.new_release(view.slug)
        outcomes.update(run.pool.render(lost, staging, done=progress.done))
    finally:
        progress.finish()
    result.reused.extend(run.entries)
    for view in run.views:
        outcome = outcomes.get(view.slug)
        if outcome is None:
            continue
        result.reporter.extend(outcome.diagnostics)
        if outcome.ok:
            run.entries[view.slug] = {
                "fingerprint": decision.fingerprints[view.slug],
                "files": manifest.files_of(staging.release_folder(view.slug)),
                "folder": staging.releases[view.slug],
                "stamp": manifest.stamp(staging.release_folder(view.slug)),
                "fragments": outcome.texts,
            }
            result.rendered.append(view.slug)
    result.published = [view.slug for view in run.views if view.slug in run.entries]
    if result.reporter.errors:
        return

    if listing_pages is None:
        listing_pages = _listings(run)
    known = {slug: entry.get("full_text") for slug, entry in run.entries.items()}
    full_texts = feed.write(run.views, staging, run.context, known, run.locate, run.reuse)
    sitemap.write(run.views, listing_pages, staging, run.context, run.reuse)
    if result.hub:  # compared only when there is a hub to tell (a carried-over feed is unchanged)
        result.changed_feeds = _changed_feeds(staging, run.config.base_url)
    if run.deferred is not None and manifest.same_newsroom(published, staging.site, staging.kept):
        publication.keep()  # nothing changed: the published build stays, untouched
        if run.key is not None:
            manifest.remember(published, run.key)  # beside it: the next build may know it at once
        return

    if run.deferred is not None:
        for slug, entry in run.entries.items():
            if not manifest.reuse(run.deferred, slug, entry, staging):
                raise StagingError(f"the published build lost the files of {slug}; build again")
        run.deferred = None
    for view in run.views:
        entry = run.entries[view.slug]
        run.entries[view.slug] = {
            **entry,
            "fragments": fragments.remember(view) if "body_html" in vars(view) else entry.get("fragments"),
            "full_text": full_texts.get(view.slug),  # kept for the releases the feeds carry now
        }
    keys = {relative: run.reuse.keys.get(relative, "") for relative in (*staging.site, *staging.kept)}
    staging.flush()
    manifest.write(staging, run.entries, keys, run.key)


def _changed_feeds(staging: Staging, base_url: str) -> list[str]:
    """The URLs of the staged feeds whose bytes differ from the published build's (every feed, on a first build)."""
    previous = staging.previous
    changed = []
    for relative, data in sorted(staging.site.items()):
        if not sections.is_feed(relative):
            continue
        try:
            same = previous is not None and (previous / relative).read_bytes() == data
        except OSError:
            same = False
        if not same:
            changed.append(urls.absolute(base_url, relative))
    return changed


def _listings(run: NewsroomBuild) -> list[str]:
    """The listing pages, with the kept texts of the releases already in the new manifest."""
    for view in run.views:
        if view.slug in run.entries:
            fragments.recall(view, run.entries[view.slug].get("fragments"))
    return newsroom.write(run.views, run.staging, run.context, run.reuse)


def release_views(public: list[Release], config: Config) -> list[ReleaseView]:
    """A view per published release, linked to its published translations only."""
    groups = translations.groups(public)
    views = []
    for release in public:
        group = groups[release.slug]
        others = tuple(r for r in group if r.slug != release.slug)
        views.append(ReleaseView(release, config, translations=others, original=group[0].slug if others else ""))
    return views
