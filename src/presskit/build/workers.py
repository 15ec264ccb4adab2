"""Rendering releases on every core: a pool of worker processes, each importing WeasyPrint once.

Every result comes back as data (the release's diagnostics, and its typeset texts for the index and
the feed), in the order the releases were given, whatever order the workers finish in. With `jobs=1`, or
one release under serve, it is rendered in this process; one release in a `presskit build` is rendered by
one process in the background while the build goes on.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

import jinja2

from presskit import renderers
from presskit.build import fragments, warmstart
from presskit.build.staging import Staging
from presskit.diagnostics import Diagnostic, Reporter
from presskit.model import Config, Release
from presskit.renderers import photocredits
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView


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

    def __init__(self, config: Config, languages: tuple[str, ...]):
        self.config = config
        self.context = RenderContext.for_site(config, languages)
        self.formats = [renderers.get(fmt) for fmt in renderers.REGISTRY]

    def render(self, view: ReleaseView, staging: Staging) -> Rendered:
        """Copy a release's photos and write each format into its folder; problems come back as data."""
        reporter = Reporter(self.config.root)
        release = view.release
        folder = staging.path(view.slug + "/")
        # An OSError here (a full disk) is not this release's fault: it stops the build, reported once by it.
        folder.mkdir(parents=True, exist_ok=True)
        for photo in release.photos:
            credits = photocredits.Credits.of(photo, release, self.config.rights_url)
            try:
                photocredits.publish(photo, credits, staging.path(f"{view.slug}/{photo.filename}"))
            except photocredits.CreditsError as exc:
                reporter.error(release.source, 1, 1, str(exc), "render.photo")
        if reporter.errors:
            return Rendered(reporter.items)
        for renderer in self.formats:
            if not _render_one(renderer, view, folder, self.context, reporter):
                break
        if reporter.errors:
            return Rendered(reporter.items)
        # Computed here, in parallel, rather than by the index and feed in the main process afterwards.
        return Rendered(reporter.items, fragments.remember(view))


def _render_one(renderer, view: ReleaseView, folder, context, reporter: Reporter) -> bool:
    """One format of one release; a failure is reported for this release and never raised (disk errors aside)."""
    try:
        renderer.render(view, folder, context)
    except renderers.RenderError as exc:
        reporter.error(view.release.source, 1, 1, str(exc), f"render.{renderer.format}")
        return False
    except jinja2.TemplateError as exc:  # a broken template override is a mistake to report, not a crash
        where = (
            (exc.filename, exc.lineno, 1)
            if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename
            else (view.release.source, 1, 1)
        )
        reporter.error(*where, f"{renderer.format.upper()}: template error: {exc.message}", "render.template")
        return False
    except OSError:
        raise  # the output cannot be written (a full disk): the build stops and reports it once
    except Exception as exc:
        message = f"{renderer.format.upper()}: internal error ({type(exc).__name__}: {exc}); please report it with this release"
        reporter.error(view.release.source, 1, 1, message, "render.internal")
        return False
    return True


def _import_renderers() -> None:
    for fmt in renderers.REGISTRY:
        renderers.get(fmt)


_PARENT = [0]  # the pid of the process that forked this one, taken at the fork (see _die_with_parent)


def _remember_parent() -> None:
    _PARENT[0] = os.getppid()


os.register_at_fork(after_in_child=_remember_parent)


def _die_with_parent() -> None:
    """A worker is killed when the process that forked it ends (a build killed with kill -9, or the fork server
    leaving when its build is gone): an orphan would otherwise wait for work forever. Linux only."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return
    if _PARENT[0] and os.getppid() != _PARENT[0]:  # it ended before the request above was made
        os._exit(1)


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _start(config: Config, languages: tuple[str, ...]) -> None:
    global _worker
    _die_with_parent()
    _worker = _Renderer(config, languages)
    # What the worker inherited and set up is kept for its whole life: the collector no longer scans it
    # (and no longer writes to those pages, which stay shared with the parent).
    gc.freeze()


def _render(view: ReleaseView, staging: Staging) -> Rendered:
    assert _worker is not None
    try:
        return _worker.render(view, staging)
    finally:
        # A WeasyPrint document is a web of cycles that holds its fonts: a Japanese release's CJK faces
        # are 40 MB. Collected now, they do not add up with the next release's. What survives is frozen,
        # so that the next collection walks only the next release's objects (3 ms less a release); a
        # worker lives for RENDERS_PER_WORKER releases, which bounds what freezing could keep.
        collect(freeze=True)


def collect(freeze: bool) -> None:
    """After a release: its document collected, and (`freeze`) what survives frozen (see _render)."""
    gc.collect()
    if freeze:
        gc.freeze()
    # The freed heap goes back to the system only after a document that left the worker large (a
    # Japanese one): after every release, the next document's page faults cost 2 ms each time.
    if _resident_bytes() > TRIM_ABOVE:
        _malloc_trim()(0)


TRIM_ABOVE = 150 * 2**20  # a worker is 130 to 140 MB resident after a Latin-script release, 170 after a Japanese one


def _resident_bytes() -> int:
    """This process's resident memory (0 where /proc is missing)."""
    try:
        with open("/proc/self/statm", "rb") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0


@functools.cache
def _malloc_trim():
    """glibc's malloc_trim, or a no-op where the C library has none."""
    try:
        return ctypes.CDLL(None).malloc_trim
    except (AttributeError, OSError):  # pragma: no cover - not glibc
        return lambda pad: 0


class Pool:
    """Where releases are rendered (this machine's processes, or a cluster): `start` begins, `render` waits."""

    def render(
        self,
        items: list[ReleaseView],
        staging: Staging,
        started: Callable[[], None] = lambda: None,
        done: Callable[[str, Rendered], None] = lambda slug, rendered: None,
    ) -> dict[str, Rendered]:
        """Render every release; `started` runs once work is under way, `done` after each release."""
        with self.start(items, staging, started, done) as rendering:
            return rendering.results()

    def start(self, items, staging, started, done):  # -> a Rendering: a context with results()
        raise NotImplementedError


class RenderPool(Pool):
    """Renders releases into a staging folder, in worker processes when that pays."""

    def __init__(self, config: Config, jobs: int, languages: tuple[str, ...] = ()):
        self.config = config
        self.jobs = max(1, jobs)
        self.languages = languages
        self._local: _Renderer | None = None

    def start(
        self,
        items: list[ReleaseView],
        staging: Staging,
        started: Callable[[], None] = lambda: None,
        done: Callable[[str, Rendered], None] = lambda slug, rendered: None,
    ) -> "Rendering":
        """Start rendering; the Rendering's results() gives every release's outcome.

        A single release, when this process has not imported the renderers and will not live on (a
        `presskit build`: no threads) and there is a core to spare, is rendered by one process in the
        background (it imports WeasyPrint itself, about half a second): this process goes on with the
        listings meanwhile. `serve` (threads) renders it itself and so keeps the renderers warm for the
        next edit. Otherwise every release is rendered before start() returns.
        """
        workers = min(self.jobs, len(items))
        if len(items) == 1 and self.jobs > 1 and not _renderers_imported() and threading.active_count() == 1:
            executor = ProcessPoolExecutor(
                1, mp_context=self._context(warm=False), initializer=_start, initargs=(self.config, self.languages)
            )
            rendering = Rendering(self, done, executor, {executor.submit(_render, items[0], staging): items[0]})
            started()
            return rendering
        results: dict[str, Rendered] = {}
        if workers <= 1:
            if items and self._local is None:
                self._local = _Renderer(self.config, self.languages)
            started()
            for view in items:
                results[view.slug] = self._local.render(view, staging)
                done(view.slug, results[view.slug])
            return Rendering(self, done, finished={v.slug: results[v.slug] for v in items})
        # Workers are replaced after RENDERS_PER_WORKER releases: WeasyPrint's memory grows by about
        # 0.3 MB per document and is not given back, which would put a 1,000-release build over 400 MB.
        context = self._context(warm=True)
        size = workers * RENDERS_PER_WORKER
        for first in range(0, len(items), size):
            batch = items[first : first + size]
            executor = ProcessPoolExecutor(
                min(workers, len(batch)), mp_context=context, initializer=_start, initargs=(self.config, self.languages)
            )
            with Rendering(
                self, done, executor, {executor.submit(_render, view, staging): view for view in batch}
            ) as rendering:
                if first == 0:
                    started()
                results.update(rendering.results())
        return Rendering(self, done, finished={v.slug: results[v.slug] for v in items})

    def _context(self, warm: bool):
        """How workers start. From the fork server when one was started (warmstart) or when this process
        has threads (serve: forking a threaded process is unsafe), with the renderers imported; else forked
        from this process, which first imports the renderers once when `warm` (so that they are shared)."""
        if warmstart.started() or threading.active_count() > 1:
            if not warmstart.started():
                warmstart.start()
            return multiprocessing.get_context("forkserver")
        if warm:
            _import_renderers()
        return multiprocessing.get_context("fork")

    def _crash(self, release: Release, message: str) -> Rendered:
        reporter = Reporter(self.config.root)
        reporter.error(release.source, 1, 1, message, "render")
        return Rendered(reporter.items)


class Rendering:
    """Releases being rendered, or already rendered: results() waits for them, in the order given."""

    def __init__(
        self,
        pool: RenderPool,
        done: Callable[[str, Rendered], None],
        executor: ProcessPoolExecutor | None = None,
        futures: dict | None = None,
        finished: dict[str, Rendered] | None = None,
    ):
        self._pool = pool
        self._done = done
        self._executor = executor
        self._futures = futures or {}
        self._finished = finished

    @property
    def pending(self) -> bool:
        """Whether releases are still being rendered in the background."""
        return self._finished is None

    def results(self) -> dict[str, Rendered]:
        """Every release's outcome; a worker's crash or bug becomes that release's error, never an exception."""
        if self._finished is None:
            results: dict[str, Rendered] = {}
            for future in as_completed(self._futures):
                release = self._futures[future].release
                try:
                    results[release.slug] = future.result()
                except BrokenProcessPool:
                    results[release.slug] = self._pool._crash(
                        release, "a rendering process stopped unexpectedly (out of memory?)"
                    )
                except OSError:
                    raise  # the output cannot be written: the build stops and reports it once
                except Exception as exc:
                    results[release.slug] = self._pool._crash(release, f"rendering failed: {type(exc).__name__}: {exc}")
                self._done(release.slug, results[release.slug])
            self._finished = {view.slug: results[view.slug] for view in self._futures.values()}
        return self._finished

    def __enter__(self) -> "Rendering":
        return self

    def __exit__(self, *exc) -> None:
        """Stop the workers: at once after a failure, after the last release otherwise."""
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=exc[0] is not None)
            self._executor = None


def _renderers_imported() -> bool:
    """Whether this process has imported every renderer."""
    return all(module in sys.modules for module in renderers.modules())
