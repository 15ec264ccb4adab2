"""The render workers' fork server, started first thing for a build that will render every release."""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
from pathlib import Path

# What the fork server imports before it forks any worker: the renderers (see renderers.REGISTRY) and
# what a worker unpickles. Kept here, without importing them, so that it starts within 50 ms.
PRELOAD = [
    "presskit.cli",
    "presskit.build.workers",
    "presskit.renderers.pdf",
    "presskit.renderers.docx",
    "presskit.renderers.ninjs",
    "presskit.renderers.newsml",
    "presskit.renderers.html",
    "presskit.build.serverexit",
    "pyexiv2",  # photocredits: writes the credits into every published photo
]
_started = False


def started() -> bool:
    """Whether this process has started the fork server."""
    return _started


def start() -> None:
    """Start the fork server in the background: a fresh process that imports WeasyPrint and python-docx
    (about 0.6 s) on another core while this one reads the releases; this process never imports them."""
    global _started
    multiprocessing.set_forkserver_preload(PRELOAD)
    multiprocessing.forkserver.ensure_running()
    _started = True


def default_jobs() -> int:
    """The number of cores this process may use: the render pool's default size."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def for_first_build(out: Path, jobs: int | None) -> None:
    """Start it when nothing is published yet at `out` (so every release will be rendered) and there
    is more than one process to render with."""
    if (jobs or default_jobs()) > 1 and not _started and not (out.is_symlink() or out.exists()):
        start()
