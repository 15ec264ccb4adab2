"""The releases kept in memory between builds (`serve`): a build re-reads only the files a watcher saw change.

`serve` tells the archive which paths changed (`changed`); the pipeline asks it for the releases with the
build lock held (`load`). A release file that changed (modified, added, deleted, renamed) is read again
through sources/load.py's reading against the state store, which stays the one record of what was read and
is updated for those files; so is every release that uses a changed photo, and every file that had errors
last time (they are never kept). The configuration, the templates, the logo, a path the archive cannot
place, a watcher that may have missed changes (`changed(None)`) or another presskit or configuration in the
store: everything is read again, as `build` does. Warnings are those of the whole archive at each build.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable

from presskit.config import CONFIG_FILE
from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.sources import files, load, translations
from presskit.sources.state import Row, State


class _Entry:
    """A release file named by the watcher, as sources/load.py's reading asks for a folder entry."""

    __slots__ = ("path", "name")

    def __init__(self, path: str):
        self.path, self.name = path, os.path.basename(path)

    def is_symlink(self) -> bool:
        return os.path.islink(self.path)

    def stat(self) -> os.stat_result:
        return os.stat(self.path)


class Archive:
    """Every release of one project as last read, by file name; what changed since, until the next load."""

    def __init__(self) -> None:
        self.sources: dict[str, load.Source | None] = {}  # file name: its release, None when it had errors
        self.fingerprint = ""  # load.project_fingerprint of the last load: "" before the first
        self.pending: set[str] = set()  # changed paths not read yet
        self.full = True  # the next load reads every file

    def changed(self, paths: Iterable[str | os.PathLike] | None) -> None:
        """Paths the watcher saw change; None: anything may have changed (everything is read again)."""
        if paths is None:
            self.full = True
        else:
            self.pending.update(os.fspath(path) for path in paths)

    def load(self, config: Config, reporter: Reporter, now: dt.datetime | None = None, *, force: bool = False):
        """Every valid release in file order with the archive's errors and warnings, as load.load gives them."""
        now = now or dt.datetime.now(dt.UTC)
        fingerprint = load.project_fingerprint(config)
        names = None if self.full or force or fingerprint != self.fingerprint else self._affected(config)
        if names is not None:
            loaded = self._refresh(config, reporter, fingerprint, names)
            if loaded is not None:
                self.pending.clear()
                return self._finish(loaded, reporter, now)
        self.full = True  # until a full load went through
        loaded = load.load(config, reporter, now, cache=not force)
        self._keep(config, loaded)
        self.fingerprint, self.full = fingerprint, False
        self.pending.clear()
        return loaded

    def _affected(self, config: Config) -> set[str] | None:
        """The names of the release files to read again, or None when everything must be."""
        root = os.path.realpath(config.root)
        releases = os.path.realpath(config.root / config.releases_dir)
        templates = os.path.realpath(config.root / config.templates_dir)
        whole = {os.path.join(root, CONFIG_FILE), releases, templates}
        if config.logo is not None:
            whole.add(os.path.realpath(config.logo))
        users: dict[str, set[str]] = {}  # a photo's real path: the names of the releases that use it
        for name, source in self.sources.items():
            for photo in source.release.photos if source is not None else ():
                users.setdefault(str(photo.source), set()).add(name)
        folders = {os.path.dirname(photo) for photo in users}
        names = {name for name, source in self.sources.items() if source is None}  # had errors: read again
        for changed in self.pending:
            path = os.path.join(os.path.realpath(os.path.dirname(changed)), os.path.basename(changed))
            if path in whole or path.startswith(templates + os.sep):
                return None
            name = os.path.basename(path)
            if os.path.dirname(path) == releases and _release_name(name):
                names.add(name)
                continue
            # A photo, or a folder holding photos (a folder renamed or removed is one event): their releases.
            inside = [photo for photo in users if photo == path or photo.startswith(path + os.sep)]
            for photo in inside:
                names.update(users[photo])
            if not inside and not (path.startswith(releases + os.sep) or os.path.dirname(path) in folders):
                return None  # not a file the archive knows what depends on
            # Otherwise a file no valid release uses (an editor's temporary file, a photo not listed yet): a
            # release that lists a missing photo had errors, and is read again anyway.
        return names

    def _refresh(self, config: Config, reporter: Reporter, fingerprint: str, names: set[str]):
        """The releases with `names` read again through the state store; None when a full load is needed."""
        folder = config.root / config.releases_dir
        present = sorted(n for n in names if os.path.lexists(folder / n))
        slugs = {files.stem(n).casefold() for n in present}
        if any(os.path.splitext(n)[0].casefold() in slugs for n, s in self.sources.items() if s and n not in names):
            return None  # two files with one slug: which one is reported depends on the order of all files
        state = State.open(config.root, fingerprint)
        read = {}
        try:
            if state is not None and state.stale:
                return None  # another presskit or configuration wrote the store: every row is stale
            prefix = os.path.join(os.path.relpath(folder, config.root), "")
            rows = state.rows(True, [prefix + n for n in names]) if state is not None else {}
            clock = state.clock() if state is not None else 0
            reading = load._Reading(config, reporter, state, clock, rows, True)
            for name in sorted(names):  # no other file has their slugs: they claim them among themselves
                if name in present:
                    read[name] = _light(reading.source(_Entry(str(folder / name))))
                elif state is not None:
                    state.forget(prefix + name)  # deleted, or renamed: the new name is among `names` too
            if state is not None:
                state.save()
        finally:
            if state is not None:
                state.close()
        for name in names - read.keys():
            self.sources.pop(name, None)
        added = not read.keys() <= self.sources.keys()
        self.sources.update(read)
        if added:
            self.sources = dict(sorted(self.sources.items()))
        return [source for source in self.sources.values() if source is not None]

    def _finish(self, loaded: list[load.Source], reporter: Reporter, now: dt.datetime) -> list[load.Source]:
        translations.check(loaded, reporter)
        load._report(loaded, now, reporter)
        return loaded

    def _keep(self, config: Config, loaded: list[load.Source]) -> None:
        """The releases of a full load, and the files it found with errors (listed after it: a file added
        meanwhile is read at the next load)."""
        kept = {os.path.basename(source.path): _light(source) for source in loaded}
        for entry in files.release_entries(config):
            kept.setdefault(entry.name, None)
        self.sources = dict(sorted(kept.items()))


def _release_name(name: str) -> bool:
    """A name sources/files.py lists as a release file."""
    return name.lower().endswith((".yaml", ".yml")) and not name.startswith(".")


def _light(source: load.Source | None) -> load.Source | None:
    """The source without the stored model's bytes its state row holds (the decoded release is kept)."""
    if source is not None and isinstance(source.found, Row) and source.found.model is not None:
        source.found = source.found._replace(model=None)
    return source
