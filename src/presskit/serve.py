"""Live preview: build, serve out/ on 127.0.0.1, rebuild what changed when a source changes, reload the page.

The reload script (it polls a status address) and the error overlay are added to HTML responses as
they are served; the files in out/ never contain them. A build with errors leaves the last good build
in out/ and served, and its errors are shown in the terminal and over the page.
"""

from __future__ import annotations

import html
import json
import os
import queue
import signal
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

from presskit import progress as build_progress
from presskit.build import BuildOptions, build
from presskit.config import CONFIG_FILE
from presskit.config import load as load_config
from presskit.diagnostics import Reporter

STATUS_PATH = "/__presskit__/status"
RELOAD_SCRIPT = """<script data-presskit-reload>
(function () {
  var version = %d;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== version) { location.reload(); } else { setTimeout(poll, 500); }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  setTimeout(poll, 500);
})();
</script>
"""
OVERLAY = (
    '<div id="presskit-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;'
    "margin:0;padding:1em 1.5em;background:#fff4f4;color:#700;border-top:4px solid #b00020;font:14px/1.5 monospace;"
    'z-index:2147483647;white-space:pre-wrap"><strong>presskit: the last build failed; this is the last good build.</strong>\n{}</div>\n'
)
EMPTY_PAGE = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>presskit</title></head><body></body></html>\n"


class ServeError(Exception):
    """The preview cannot start (the port is taken, say)."""


class Preview:
    """What the server shows: the output folder, the build version the pages know, and the last errors."""

    def __init__(self, out: Path):
        self.out = out
        self.version = 0
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def update(self, errors: list[str], changed: bool) -> None:
        with self.lock:
            if changed or errors != self.errors:
                self.version += 1
            self.errors = errors

    def status(self) -> tuple[int, list[str]]:
        with self.lock:
            return self.version, list(self.errors)

    def decorate(self, page: bytes) -> bytes:
        """A served HTML page: the reload script, and the errors over the page when the last build failed."""
        version, errors = self.status()
        extra = RELOAD_SCRIPT % (version, STATUS_PATH)
        if errors:
            extra = OVERLAY.format(html.escape("\n".join(errors))) + extra
        text = page.decode("utf-8", errors="replace")
        at = text.lower().rfind("</body>")
        text = text + extra if at < 0 else text[:at] + extra + text[at:]
        return text.encode("utf-8")


class _Handler(SimpleHTTPRequestHandler):
    """Serves the current build folder (followed through the out link at each request)."""

    preview: Preview

    def __init__(self, *args, preview: Preview, **kwargs):
        self.preview = preview
        super().__init__(*args, directory=os.path.realpath(preview.out), **kwargs)

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        pass

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == STATUS_PATH:
            version, errors = self.preview.status()
            return self._send(json.dumps({"version": version, "errors": errors}).encode(), "application/json")
        local = Path(self.translate_path(self.path))
        if local.is_dir() and path.endswith("/"):
            local = local / "index.html"
        if local.suffix == ".html":
            if local.is_file():
                return self._send(self.preview.decorate(local.read_bytes()), "text/html; charset=utf-8")
            if not Path(self.directory).is_dir():  # no good build yet: show the errors on an empty page
                return self._send(self.preview.decorate(EMPTY_PAGE.encode()), "text/html; charset=utf-8")
        return super().do_GET()

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND, "File not found")
        return None

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


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


def _watch(root: Path, photos: Callable[[], set[Path]], changes: queue.Queue, stop: threading.Event, restart: threading.Event) -> None:
    """Put a batch of changed paths on the queue whenever sources, templates, assets or configuration change.

    Watched: the releases folder (release files and photos kept there), templates/, pyproject.toml, the
    logo and the folders of photos kept elsewhere in the project. `restart` re-reads that list.
    """
    import watchfiles

    while not stop.is_set():
        restart.clear()
        reporter = Reporter(root)
        config = load_config(root, reporter)
        folders = {root / config.releases_dir, root / config.templates_dir}
        top = {CONFIG_FILE, config.releases_dir, config.templates_dir}
        for asset in ([config.logo] if config.logo is not None else []) + sorted(photos()):
            if asset.parent == root:
                top.add(asset.name)  # the project folder itself is not watched deeply (.venv, out ...)
            elif not any(asset.is_relative_to(folder) for folder in folders):
                folders.add(asset.parent)
        watched = [str(f) for f in folders if f.is_dir()]

        def deep() -> None:
            if watched:
                for batch in watchfiles.watch(*watched, stop_event=_Stop(stop, restart), rust_timeout=500, yield_on_timeout=False):
                    changes.put(batch)

        thread = threading.Thread(target=deep, daemon=True)
        thread.start()
        shallow = watchfiles.watch(
            str(root), recursive=False, stop_event=_Stop(stop, restart), rust_timeout=500,
            watch_filter=lambda change, path: Path(path).name in top,
        )  # fmt: skip
        for batch in shallow:
            changes.put(batch)
            names = {Path(p).name for _, p in batch}
            if names & {CONFIG_FILE, config.releases_dir, config.templates_dir}:
                restart.set()  # the folders to watch may have changed
                break
        thread.join()


def run(options: BuildOptions, port: int, *, quiet: bool, verbose: bool, echo: Callable[..., None]) -> None:
    """Build once, serve, and rebuild on every change until interrupted (Ctrl+C)."""
    root = options.root.resolve()
    options = BuildOptions(root=root, out=options.out, drafts=options.drafts, now=options.now, base_url=options.base_url, jobs=options.jobs)
    preview = Preview(Path(os.path.abspath(options.out or root / "out")))

    published: list[str] = []
    photos: set[Path] = set()
    restart = threading.Event()

    def waiting(pid: int | None) -> None:  # builds of one project take turns (outputs.BuildLock)
        echo(f"presskit: waiting for another build of this project{f' (pid {pid})' if pid else ''}...", err=True)

    def rebuild(first: bool) -> None:
        nonlocal published, photos
        started = time.monotonic()
        result = build(options, build_progress.for_terminal(quiet, verbose), waiting=waiting)
        if result.refused:  # the output folder is not presskit's: nothing was written, nothing to serve
            raise ServeError(result.refused)
        if result.photos - photos:
            photos = photos | result.photos
            restart.set()  # watch the folders of new photos too
        for diagnostic in result.reporter.sorted():
            if not (quiet and diagnostic.severity == "warning"):
                echo(str(diagnostic), err=True)
        errors = [str(d) for d in result.reporter.sorted() if d.severity == "error"]
        if errors:
            echo(f"presskit: {len(errors)} error{'s' if len(errors) != 1 else ''}; still serving the last good build.", err=True)
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
        server = ThreadingHTTPServer(("127.0.0.1", port), partial(_Handler, preview=preview))
    except OSError as exc:
        raise ServeError(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}") from None
    server.daemon_threads = True
    rebuild(first=True)  # requests wait in the socket's queue until the first build is there
    threading.Thread(target=server.serve_forever, daemon=True).start()
    echo(f"presskit: serving http://127.0.0.1:{server.server_address[1]}/ (Ctrl+C to stop)")

    stop = threading.Event()
    changes: queue.Queue = queue.Queue()
    watcher = threading.Thread(target=_watch, args=(root, lambda: photos, changes, stop, restart), daemon=True)
    watcher.start()
    _stop_on_signals()
    try:
        while True:
            try:
                changes.get(timeout=0.5)
            except queue.Empty:
                continue
            while not changes.empty():  # one rebuild for a burst of changes
                changes.get_nowait()
            rebuild(first=False)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
