"""How a build shows its progress: a rich progress bar on a terminal, plain lines elsewhere, or nothing."""

from __future__ import annotations

import sys
from typing import TextIO


class Silent:
    """--quiet, and builds run from code: shows nothing."""

    def start(self, total: int, reused: int) -> None:
        pass

    def reused(self, slug: str) -> None:
        pass

    def rendered(self, slug: str, ok: bool) -> None:
        pass

    def finish(self) -> None:
        pass


class Lines(Silent):
    """One plain line per rendered release (logs, CI, pipes); --verbose adds the reused ones."""

    def __init__(self, stream: TextIO, verbose: bool = False):
        self.stream = stream
        self.verbose = verbose
        self.total = 0
        self.count = 0

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, total: int, reused: int) -> None:
        self.total = total
        if total or self.verbose:
            self._line(f"presskit: rendering {total} release{'s' if total != 1 else ''} ({reused} unchanged)")

    def reused(self, slug: str) -> None:
        if self.verbose:
            self._line(f"unchanged {slug}")

    def rendered(self, slug: str, ok: bool) -> None:
        self.count += 1
        self._line(f"[{self.count}/{self.total}] {'rendered' if ok else 'failed'} {slug}")


class Bar(Silent):
    """A rich progress bar on a terminal; --verbose also prints each release above it."""

    def __init__(self, stream: TextIO, verbose: bool = False):
        from rich.console import Console

        self.console = Console(file=stream)
        self.verbose = verbose
        self.bar = None
        self.task = None

    def start(self, total: int, reused: int) -> None:
        if not total:
            return
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("Rendering"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("({task.fields[reused]} unchanged)"),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
            auto_refresh=False,  # no refresh thread: rendering processes are forked from this one
        )
        self.task = self.bar.add_task("render", total=total, reused=reused)
        self.bar.start()

    def reused(self, slug: str) -> None:
        if self.verbose:
            self.console.print(f"unchanged {slug}", highlight=False)

    def rendered(self, slug: str, ok: bool) -> None:
        if self.verbose or not ok:
            self.console.print(f"{'rendered' if ok else 'failed'} {slug}", highlight=False)
        if self.bar is not None:
            self.bar.advance(self.task)
            self.bar.refresh()

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def for_terminal(quiet: bool, verbose: bool, stream: TextIO | None = None) -> Silent:
    """The right display for where the output goes."""
    stream = stream or sys.stderr
    if quiet:
        return Silent()
    if stream.isatty():
        return Bar(stream, verbose)
    return Lines(stream, verbose)
