"""Rendering releases on every core: a pool of worker processes, each importing WeasyPrint once.

Every result comes back as data (the release's diagnostics, and its typeset texts for the index and
the feed), in the order the releases were given, whatever order the workers finish in. One release, or `jobs=1`, is rendered in this process.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Callable

from presskit import fragments, renderers, templates
from presskit.diagnostics import Diagnostic, Reporter
from presskit.model import Config, Release
from presskit.staging import Staging
from presskit.view import ReleaseView, SiteView

@dataclass
class Rendered:
    """What rendering one release gives back: its problems, and its texts (see fragments) when it succeeded."""

    diagnostics: list[Diagnostic]
    texts: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)


_worker: "_Renderer | None" = None
RENDERS_PER_WORKER = 100


class _Renderer:
    """The renderers and templates of one process, made once and used for every release it renders."""

    def __init__(self, config: Config):
        self.config = config
        self.context = renderers.RenderContext(config, templates.environment(config), SiteView(config))
        self.formats = [renderers.get(fmt) for fmt in renderers.REGISTRY]

    def render(self, release: Release, staging: Staging) -> Rendered:
        """Copy a release's photos and write each format into its folder; problems come back as data."""
        reporter = Reporter(self.config.root)
        view = ReleaseView(release, self.config)
        folder = staging.path(view.slug + "/")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for photo in release.photos:
                shutil.copyfile(photo.source, staging.path(f"{view.slug}/{photo.filename}"))
            for renderer in self.formats:
                try:
                    renderer.render(view, folder, self.context)
                except renderers.RenderError as exc:
                    reporter.error(release.source, 1, 1, str(exc), f"render.{renderer.format}")
                    break
        except OSError as exc:
            reporter.error(release.source, 1, 1, f"cannot write the output: {exc}", "output")
        if reporter.errors:
            return Rendered(reporter.items)
        # Computed here, in parallel, rather than by the index and feed in the main process afterwards.
        return Rendered(reporter.items, fragments.remember(view))


def _import_renderers() -> None:
    for fmt in renderers.REGISTRY:
        renderers.get(fmt)


def _start(config: Config) -> None:
    global _worker
    _worker = _Renderer(config)


def _render(release: Release, staging: Staging) -> Rendered:
    assert _worker is not None
    return _worker.render(release, staging)


def default_jobs() -> int:
    """The number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


class RenderPool:
    """Renders releases into a staging folder, in worker processes when that pays."""

    def __init__(self, config: Config, jobs: int):
        self.config = config
        self.jobs = max(1, jobs)
        self._local: _Renderer | None = None

    def render(
        self,
        items: list[Release],
        staging: Staging,
        started: Callable[[], None] = lambda: None,
        done: Callable[[str, Rendered], None] = lambda slug, rendered: None,
    ) -> dict[str, Rendered]:
        """Render every release; `started` runs once work is under way, `done` after each release."""
        results: dict[str, Rendered] = {}
        workers = min(self.jobs, len(items))
        if workers <= 1:
            if items and self._local is None:
                self._local = _Renderer(self.config)
            started()
            for release in items:
                results[release.slug] = self._local.render(release, staging)
                done(release.slug, results[release.slug])
            return {r.slug: results[r.slug] for r in items}
        # Workers are replaced after RENDERS_PER_WORKER releases: WeasyPrint's memory grows by about
        # 0.3 MB per document and is not given back, which would put a 1,000-release build over 400 MB.
        # fork starts them warm from this process, which imports the renderers once, first; a process
        # that has threads (serve) starts them from a fork server that preloads the renderers instead.
        if threading.active_count() == 1:
            context = multiprocessing.get_context("fork")
            _import_renderers()
        else:
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload([module.partition(":")[0] for module in renderers.REGISTRY.values()])
        size = workers * RENDERS_PER_WORKER
        for first in range(0, len(items), size):
            batch = items[first : first + size]
            with ProcessPoolExecutor(min(workers, len(batch)), mp_context=context, initializer=_start, initargs=(self.config,)) as pool:
                futures = {pool.submit(_render, release, staging): release for release in batch}
                if first == 0:
                    started()
                for future in as_completed(futures):
                    release = futures[future]
                    try:
                        results[release.slug] = future.result()
                    except BrokenProcessPool:
                        results[release.slug] = self._crash(release, "a rendering process stopped unexpectedly (out of memory?)")
                    except Exception as exc:  # noqa: BLE001 - a bug in one release must not hide the others' results
                        results[release.slug] = self._crash(release, f"rendering failed: {type(exc).__name__}: {exc}")
                    done(release.slug, results[release.slug])
        return {r.slug: results[r.slug] for r in items}

    def _crash(self, release: Release, message: str) -> Rendered:
        reporter = Reporter(self.config.root)
        reporter.error(release.source, 1, 1, message, "render")
        return Rendered(reporter.items)
