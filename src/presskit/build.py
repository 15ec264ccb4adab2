"""The build pipeline, top to bottom: configure, load, stop on errors, render, index, feed, publish."""

from __future__ import annotations

import dataclasses
import os
import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from presskit import config as project_config
from presskit import embargo, feed, newsroom, releases, renderers, sitemap, templates, translations
from presskit.diagnostics import Reporter
from presskit.model import Config, Release
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
    embargoed: Path | None = None  # where to write private, notice-bearing copies of embargoed releases


@dataclass
class BuildResult:
    """What happened: diagnostics, and the releases that were published or held back."""

    reporter: Reporter
    published: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)
    embargoed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.reporter.errors


def load_project(root: Path, reporter: Reporter, base_url: str | None = None) -> tuple[Config, list[Release]]:
    """Read configuration and every release; all problems go to the reporter."""
    config = project_config.load(root, reporter)
    if base_url:
        config = dataclasses.replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    return config, releases.load_all(config, reporter)


def is_public(release: Release, now: dt.datetime, drafts: bool) -> bool:
    """Published now: not under embargo at `now`, and not a draft unless drafts are asked for."""
    if release.draft and not drafts:
        return False
    return release.embargo is None or release.embargo <= now


def build(options: BuildOptions, progress: Callable[[str], None] = lambda message: None) -> BuildResult:
    """Build the whole newsroom into a staging folder and publish it only if nothing failed."""
    root = options.root.resolve()
    reporter = Reporter(root)
    result = BuildResult(reporter)
    config, loaded = load_project(root, reporter, options.base_url)
    if reporter.errors:
        return result

    now = options.now or dt.datetime.now(dt.timezone.utc)
    public = [r for r in loaded if is_public(r, now, options.drafts)]
    result.held = [r.slug for r in loaded if r not in public]
    context = renderers.RenderContext(
        config, templates.environment(config), SiteView(config), tuple(sorted({r.lang for r in public}))
    )
    views = release_views(public, config)

    def fill_newsroom(staging: Staging) -> None:
        formats = [renderers.get(fmt) for fmt in renderers.REGISTRY] if views else []
        for view in views:
            progress(view.slug)
            if render_release(view, staging, context, formats, reporter):
                result.published.append(view.slug)
        if not reporter.errors:
            listing_pages = newsroom.write(views, staging, context)
            feed.write(views, staging, context)
            sitemap.write(views, listing_pages, staging, context)

    out = options.out or root / "out"
    if not write_atomically(out, root, reporter, fill_newsroom):
        return result

    if options.embargoed is not None:
        embargoed = [r for r in loaded if r.embargo is not None and r.embargo > now and (options.drafts or not r.draft)]
        copies = [ReleaseView(r, config, embargo_copy=True) for r in embargoed]

        def fill_embargoed(staging: Staging) -> None:
            formats = [renderers.get(fmt) for fmt in renderers.REGISTRY] if copies else []
            for view in copies:
                progress(f"{view.slug} (embargoed copy)")
                render_release(view, staging, context, formats, reporter)
            embargo.write_index(copies, staging, context)

        if _overlaps(options.embargoed, out):
            reporter.error(options.embargoed, 1, 1, "the embargoed folder must not be inside the output folder, nor contain it", "output")
        elif write_atomically(options.embargoed, root, reporter, fill_embargoed):
            result.embargoed = [v.slug for v in copies]
    return result


def release_views(public: list[Release], config: Config) -> list[ReleaseView]:
    """A view per published release, linked to its published translations only."""
    groups = translations.groups(public)
    views = []
    for release in public:
        group = groups[release.slug]
        others = tuple(r for r in group if r.slug != release.slug)
        views.append(ReleaseView(release, config, translations=others, original=group[0].slug if others else ""))
    return views


def write_atomically(target: Path, root: Path, reporter: Reporter, fill: Callable[[Staging], None]) -> bool:
    """Fill a fresh staging folder and swap it in as `target`, or discard it and leave `target` as it was."""
    try:
        staging = Staging(target, root)
    except StagingError as exc:
        reporter.error(target, 1, 1, str(exc), "output")
        return False
    try:
        fill(staging)
    except (OSError, StagingError) as exc:
        reporter.error(target, 1, 1, f"cannot write the output: {_os_message(exc, staging)}", "output")
    if reporter.errors:
        staging.discard()
        return False
    try:
        staging.publish()
    except (OSError, StagingError) as exc:
        staging.discard()
        reporter.error(target, 1, 1, f"cannot publish the output: {_os_message(exc, staging)}", "output")
        return False
    return True


def _overlaps(a: Path, b: Path) -> bool:
    a, b = Path(os.path.abspath(a)), Path(os.path.abspath(b))
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _os_message(exc: Exception, staging: Staging) -> str:
    """'No space left on device (writing 2024-01-15-x/x.pdf)': the reason first, the file inside the build second."""
    if not isinstance(exc, OSError) or not exc.strerror:
        return str(exc)
    for name in (exc.filename2, exc.filename):  # shutil.copyfile names the source first, the target second
        if name is not None and Path(str(name)).is_relative_to(staging.folder):
            return f"{exc.strerror} (writing {Path(str(name)).relative_to(staging.folder).as_posix()})"
    return exc.strerror


def render_release(view: ReleaseView, staging: Staging, context, formats, reporter: Reporter) -> bool:
    """Copy a release's photos and render each format into its folder; report failures, never raise."""
    folder = staging.path(view.slug + "/")
    folder.mkdir(parents=True, exist_ok=True)
    for photo in view.release.photos:
        shutil.copyfile(photo.source, staging.path(f"{view.slug}/{photo.filename}"))
    for renderer in formats:
        try:
            renderer.render(view, folder, context)
        except renderers.RenderError as exc:
            reporter.error(view.release.source, 1, 1, str(exc), f"render.{renderer.format}")
            return False
        except jinja2.TemplateError as exc:  # a broken template override is a mistake to report, not a crash
            where = (exc.filename, exc.lineno, 1) if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename else (view.release.source, 1, 1)
            reporter.error(*where, f"{renderer.format.upper()}: template error: {exc.message}", "render.template")
            return False
        except OSError:
            raise  # the output cannot be written (a full disk): the whole build stops, reported once
        except Exception as exc:  # a bug met by this release: report it and go on with the others, no traceback
            message = f"{renderer.format.upper()}: internal error ({type(exc).__name__}: {exc}); please report it with this release"
            reporter.error(view.release.source, 1, 1, message, "render.internal")
            return False
    return True
