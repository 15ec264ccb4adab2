"""The build pipeline, top to bottom: configure, load, stop on errors, render, index, feed, publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import jinja2

from presskit import config as project_config
from presskit import feed, newsroom, releases, renderers, templates
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


@dataclass
class BuildResult:
    """What happened: diagnostics, and the releases that were published or held back."""

    reporter: Reporter
    published: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

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

    try:
        staging = Staging(options.out or root / "out", root)
    except StagingError as exc:
        reporter.error(options.out or root / "out", 1, 1, str(exc), "output")
        return result
    try:
        context = renderers.RenderContext(config, templates.environment(config), SiteView(config))
        views = [ReleaseView(release, config) for release in public]
        formats = [renderers.get(fmt) for fmt in renderers.REGISTRY] if views else []
        for view in views:
            progress(view.slug)
            if render_release(view, staging, context, formats, reporter):
                result.published.append(view.slug)
        if not reporter.errors:
            newsroom.write(views, staging, context)
            feed.write(views, staging, context)
    except (OSError, StagingError) as exc:
        reporter.error(staging.out, 1, 1, f"cannot write the output: {_os_message(exc, staging)}", "output")
    if reporter.errors:
        staging.discard()
        return result
    try:
        staging.publish()
    except (OSError, StagingError) as exc:
        staging.discard()
        reporter.error(staging.out, 1, 1, f"cannot publish the output: {_os_message(exc, staging)}", "output")
    return result


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
