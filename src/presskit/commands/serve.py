"""Live preview: build, serve out/ on 127.0.0.1, rebuild what changed when a source changes, reload the page.

The releases stay in memory between builds (sources/archive.py): a rebuild reads again only the files the
watcher saw change, and everything when the configuration, templates or logo changed. A build with errors leaves the last good build in out/ and served, and its errors are shown in the
terminal and over the page (preview_http.py serves the pages, with the reload script and the errors).
"""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from presskit.build import progress as build_progress
from presskit.build.pipeline import BuildOptions, build
from presskit.commands.preview_http import Preview, listen
from presskit.config import CONFIG_FILE
from presskit.config import load as load_config
from presskit.diagnostics import Reporter
from presskit.sources.archive import Archive


class ServeError(Exception):
    """The preview cannot start (the port is taken, say)."""


class _Stop:
    """Stops a watch when either the whole preview stops or the watched folders must be re-read."""

    def __init__(self, *events: threading.Event):
        self.events = events

    def is_set(self) -> bool:
        return any(event.is_set() for event in self.events)


def _stop_on_signals() -> None:
    """Ctrl+C (SIGINT) and SIGTERM stop the server cleanly, even when it was started from a script or a
    service manager that ignores SIGINT (a shell does so for the jobs it puts in the background)."""
    if threading.current_thread() is not threading.main_thread():
        return  # only the main thread may set handlers; serve() called from a thread stops some other way

    def stop(_signum, _frame):
        raise KeyboardInterrupt

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)


def _watched(root: Path, photos: set[Path]) -> tuple[set[Path], set[str], set[str]]:
    """The folders watched deeply (releases, templates, the folders of photos and logo kept elsewhere), the
    names watched in the project folder itself (pyproject.toml, those folders, a logo or photo there), and
    those of them whose change may change what is watched."""
    config = load_config(root, Reporter(root))
    folders = {root / config.releases_dir, root / config.templates_dir}
    top = {CONFIG_FILE, config.releases_dir, config.templates_dir}
    for asset in ([config.logo] if config.logo is not None else []) + sorted(photos):
        if asset.parent == root:
            top.add(asset.name)  # the project folder itself is not watched deeply (.venv, out ...)
        elif not any(asset.is_relative_to(folder) for folder in folders):
            folders.add(asset.parent)
    return folders, top, {CONFIG_FILE, config.releases_dir, config.templates_dir}


def _watch(
    root: Path,
    photos: Callable[[], set[Path]],
    changes: queue.Queue,
    stop: threading.Event,
    restart: threading.Event,
    ready: threading.Event,
) -> None:
    """Put a batch of changed paths on the queue whenever sources, templates, assets or configuration change.

    Watched: the releases folder (release files and photos kept there), templates/, pyproject.toml, the
    logo and the folders of photos kept elsewhere in the project. `restart` re-reads that list. `ready` is
    set once the files are watched; after a restart, None is put on the queue once they are watched again:
    a change made while nothing watched was not seen, so everything must be read again.
    """
    import watchfiles  # imported when the preview starts watching: only `presskit serve` needs it

    restarted = False
    while not stop.is_set():
        restart.clear()
        folders, top, names = _watched(root, photos())
        watched = [str(f) for f in folders if f.is_dir()]
        deep_ready = threading.Event()

        def deep(watched: list[str] = watched, deep_ready: threading.Event = deep_ready) -> None:
            try:
                if not watched:
                    return
                # yield_on_timeout: an empty batch comes once the folders are watched, and then every 0.1 s
                for batch in watchfiles.watch(
                    *watched, stop_event=_Stop(stop, restart), rust_timeout=100, yield_on_timeout=True
                ):
                    deep_ready.set()
                    if batch:
                        changes.put(batch)
            finally:
                deep_ready.set()  # also when watching failed: nothing to wait for

        thread = threading.Thread(target=deep, daemon=True)
        thread.start()
        shallow = watchfiles.watch(
            str(root),
            recursive=False,
            stop_event=_Stop(stop, restart),
            rust_timeout=100,
            yield_on_timeout=True,
            watch_filter=lambda change, path, top=top: Path(path).name in top,
        )
        announced = False
        for batch in shallow:
            if not announced:  # the project folder is watched; the deep folders too, unless that failed
                deep_ready.wait(timeout=10)
                announced = True
                if restarted:
                    changes.put(None)  # a change made while nothing watched was missed: read everything
                ready.set()
            if not batch:
                continue
            changes.put(batch)
            if {Path(p).name for _, p in batch} & names:
                restart.set()  # the folders to watch may have changed
                break
        restarted = True
        thread.join()


def run(options: BuildOptions, port: int, *, quiet: bool, verbose: bool, echo: Callable[..., None]) -> None:
    """Build once, serve, and rebuild on every change until interrupted (Ctrl+C)."""
    root = options.root.resolve()
    options = BuildOptions(
        root=root, out=options.out, drafts=options.drafts, now=options.now, base_url=options.base_url, jobs=options.jobs
    )
    preview = Preview(Path(os.path.abspath(options.out or root / "out")))

    published: list[str] = []
    photos: set[Path] = set()
    restart = threading.Event()
    ready = threading.Event()
    archive = Archive()  # the releases, kept between builds: a rebuild reads only the files that changed

    def waiting(pid: int | None) -> None:  # builds of one project take turns (outputs.BuildLock)
        echo(f"presskit: waiting for another build of this project{f' (pid {pid})' if pid else ''}...", err=True)

    def rebuild(first: bool) -> None:
        nonlocal published, photos
        started = time.monotonic()
        result = build(options, build_progress.for_terminal(quiet, verbose), waiting=waiting, archive=archive)
        if result.refused:  # the output folder is not presskit's: nothing was written, nothing to serve
            raise ServeError(result.refused)
        if result.photos - photos:
            before, photos = photos, photos | result.photos
            if _watched(root, before)[:2] != _watched(root, photos)[:2]:
                restart.set()  # watch the folders of new photos too
        for diagnostic in result.reporter.sorted():
            if not (quiet and diagnostic.severity == "warning"):
                echo(str(diagnostic), err=True)
        errors = [str(d) for d in result.reporter.sorted() if d.severity == "error"]
        if errors:
            echo(
                f"presskit: {len(errors)} error{'s' if len(errors) != 1 else ''}; still serving the last good build.",
                err=True,
            )
        elif not quiet:
            echo(
                f"presskit: {'built' if first else 'rebuilt'} in {time.monotonic() - started:.1f} s "
                f"({len(result.rendered)} rendered, {len(result.reused)} unchanged)."
            )
        changed = not errors and (bool(result.rendered) or result.published != published)
        if not errors:
            published = result.published
        preview.update(errors, changed=changed)

    try:  # before building: a port in use is reported at once
        server = listen(port, preview)
    except OSError as exc:
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    stop = threading.Event()
    changes: queue.Queue = queue.Queue()
    serving = False
    _stop_on_signals()  # before the address is printed: whoever reads it may stop the server at once
    try:
        # Watching starts before the first build reads anything: a change made after that read is seen.
        def watch() -> None:
            try:
                _watch(root, lambda: photos, changes, stop, restart, ready)
            finally:
                ready.set()  # watching failed: serve without it rather than wait

        threading.Thread(target=watch, daemon=True).start()
        ready.wait(timeout=30)
        rebuild(first=True)  # requests wait in the socket's queue until the first build is there
        threading.Thread(target=server.serve_forever, daemon=True).start()
        serving = True
        echo(f"presskit: serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")
        while True:
            try:
                batches = [changes.get(timeout=0.5)]
            except queue.Empty:
                continue
            while not changes.empty():  # one rebuild for a burst of changes
                batches.append(changes.get_nowait())
            if any(batch is None for batch in batches):
                archive.changed(None)
            else:
                archive.changed(path for batch in batches for _change, path in batch)
            rebuild(first=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if serving:  # shutdown() waits for serve_forever(): only once it runs
            server.shutdown()
        server.server_close()
