"""How a build or a send shows its progress: a rich progress bar on a terminal, plain lines elsewhere, or nothing."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO


@dataclass(frozen=True)
class Words:
    """What the display calls the work, its items, an item done or failed, and the items there was no need to do."""

    title: str
    noun: str
    verb: str
    done: str
    failed: str
    reused: str


BUILD = Words("Rendering", "release", "rendering", "rendered", "failed", "unchanged")
SEND = Words("Sending", "message", "sending", "sent", "failed", "already sent")


class Silent:
    """--quiet, and builds run from code: shows nothing."""

    def start(self, total: int, reused: int) -> None:
        pass

    def reused(self, slug: str) -> None:
        pass

    def rendered(self, slug: str, ok: bool) -> None:
        pass

    def done(self, slug: str, outcome) -> None:
        """A release's render is over (a render pool's `done`, given its workers.Rendered)."""
        self.rendered(slug, outcome.ok)

    def finish(self) -> None:
        pass


class Lines(Silent):
    """One plain line per rendered release (logs, CI, pipes); --verbose adds the reused ones."""

    def __init__(self, stream: TextIO, verbose: bool = False, words: Words = BUILD):
        self.stream = stream
        self.verbose = verbose
        self.words = words
        self.total = 0
        self.count = 0

    def _line(self, text: str) -> None:
        self.stream.write(text + "\n")
        self.stream.flush()

    def start(self, total: int, reused: int) -> None:
        self.total = total
        if total or self.verbose:
            w = self.words
            self._line(f"presskit: {w.verb} {total} {w.noun}{'s' if total != 1 else ''} ({reused} {w.reused})")

    def reused(self, slug: str) -> None:
        if self.verbose:
            self._line(f"{self.words.reused} {slug}")

    def rendered(self, slug: str, ok: bool) -> None:
        self.count += 1
        self._line(f"[{self.count}/{self.total}] {self.words.done if ok else self.words.failed} {slug}")


class Bar(Silent):
    """A rich progress bar on a terminal; --verbose also prints each release above it."""

    def __init__(self, stream: TextIO, verbose: bool = False, words: Words = BUILD):
        from rich.console import Console

        self.console = Console(file=stream)
        self.verbose = verbose
        self.words = words
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
            TextColumn(self.words.title),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("({task.fields[reused]} " + self.words.reused + ")"),
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
            self.console.print(f"{self.words.reused} {slug}", highlight=False)

    def rendered(self, slug: str, ok: bool) -> None:
        if self.verbose or not ok:
            self.console.print(f"{self.words.done if ok else self.words.failed} {slug}", highlight=False)
        if self.bar is not None:
            self.bar.advance(self.task)
            self.bar.refresh()

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


def for_terminal(quiet: bool, verbose: bool, stream: TextIO | None = None, words: Words = BUILD) -> Silent:
    """The right display for where the output goes; `words` say what it shows the progress of."""
    stream = stream or sys.stderr
    if quiet:
        return Silent()
    if stream.isatty():
        return Bar(stream, verbose, words)
    return Lines(stream, verbose, words)
