"""Every release of the project loaded, with its warnings, reading again only the files whose stat changed.

A file whose size, modification time, inode and change time are those the state store (sources/state.py)
recorded is not read: its validated model, digest and warnings come from the store. Otherwise it is read and
hashed, and parsed and validated only when its bytes or its photos changed. A file recorded within the clock
tick it changed in ("racy git") has its bytes compared. The store's key (`project_fingerprint`) is what every
release's model depends on besides its own file: the configuration and presskit itself. What the documents
depend on is build/plan.py's.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import threading
from pathlib import Path

from presskit import __version__
from presskit.config import CONFIG_FILE
from presskit.diagnostics import Diagnostic, Reporter
from presskit.model import Config, Release
from presskit.sources import checks, files, translations
from presskit.sources import yamlreader as yamlsource
from presskit.sources.models import decode_release, encode_release
from presskit.sources.state import ALL, CONTENT, NOTHING, Row, State
from presskit.text import textcheck

PACKAGE = Path(__file__).resolve().parent.parent  # the whole presskit package


class Source:
    """A valid release with where its fields are written and the digest of its own inputs; a release that
    comes from the state store is decoded when it is first asked for. What decides whether it is public
    (`embargo`, `draft`) and its photo files are known without decoding it."""

    __slots__ = (
        "digest", "slug", "lang", "translation_of", "path", "found", "embargo", "draft",
        "_release", "_positions", "_model",
    )  # fmt: skip

    def __init__(self, digest: str, path: str, slug: str, found: Row | dict, language: tuple[str, str], **model):
        self.digest = digest  # the YAML bytes and the photos (path, size, modification time)
        self.path = path  # the release file
        self.found = found  # its warnings: the state store's row, or checks.findings of a file validated now
        self.slug = slug
        self.lang, self.translation_of = language
        self.embargo, self.draft = model.get("public", (None, False))  # embargo: microseconds since 1970
        self._release, self._positions = model.get("release"), model.get("positions")
        self._model = model.get("model")  # the stored model's bytes, decoded when the release is asked for

    @property
    def release(self) -> Release:
        if self._release is None:
            self._decode()
        return self._release

    @property
    def positions(self) -> dict:
        if self._positions is None:
            self._decode()
        if isinstance(self._positions, str):  # kept as its JSON text until asked for (a build never does)
            self._positions = json.loads(self._positions)
        return self._positions

    @property
    def needs_model(self) -> bool:
        """Its release is neither decoded nor read from the store (load(..., models=False)): see load_models."""
        return self._release is None and self._model is None

    def photo_files(self) -> list[str]:
        """The paths of its photo files, as its release names them, without decoding it."""
        if self._release is not None:
            return [str(photo.source) for photo in self._release.photos]
        if isinstance(self.found, Row):
            return [photo[0] for photo in json.loads(self.found.photos)] if self.found.photos != "[]" else []
        raise RuntimeError(f"the photos of {self.path} were not kept (load(..., models=False))")

    def _decode(self) -> None:
        if self._model is None:
            raise RuntimeError(f"the model of {self.path} was not read (load(..., models=False))")
        text = self._model.decode()
        self._model = None
        if text.startswith(_POSITIONS):  # as _model_of writes it: the positions' text kept, not their objects
            end = _JSON.raw_decode(text, len(_POSITIONS))[1]
            if text.startswith(_RELEASE, end):
                self._positions = text[len(_POSITIONS) : end]
                self._release = decode_release(_JSON.raw_decode(text, end + len(_RELEASE))[0])
                return
        data = json.loads(text)
        self._release, self._positions = decode_release(data["release"]), data["positions"]


# A stored model: its positions first, then its release. Decoding a release keeps the positions' JSON text (0.6 kB)
# rather than their objects (3 kB; 29 MB at 10,000 releases, which no build reads).
_POSITIONS, _RELEASE = '{"positions": ', ', "release": '
_JSON = json.JSONDecoder()


def _model_of(release: Release, positions: dict) -> bytes:
    return json.dumps({"positions": positions, "release": encode_release(release)}).encode()


def load(
    config: Config,
    reporter: Reporter,
    now: dt.datetime | None = None,
    *,
    cache: bool = True,
    models: bool = True,
    keep: bool | None = None,
) -> list[Source]:
    """Every valid release of the project in file order, and every error and warning of the project.

    `cache=False` reads and validates every file (the state is then written afresh); `models=False` does not
    read the validated models of unchanged files (`check` needs only their warnings), nor keep those of the
    files validated now unless `keep` (a build, which may need them: load_models reads the others later)."""
    now = now or dt.datetime.now(dt.UTC)
    # The installed fonts' coverage (fontconfig, in another process: about 50 ms) is asked for while the
    # files are read: the warnings about characters no font has need it at the end.
    fonts = threading.Thread(target=textcheck.no_font_has, args=("\u00e9",), daemon=True)
    fonts.start()
    state = State.open(config.root, project_fingerprint(config))
    try:
        clock = state.clock() if state is not None else 0
        rows = state.rows(models) if state is not None and cache else {}
        reading = _Reading(config, reporter, state, clock, rows, models, keep)
        loaded = [source for source in map(reading.source, files.release_entries(config)) if source is not None]
        if state is not None:
            for name in rows.keys() - reading.names:
                state.forget(name)
            state.save()
    finally:
        if state is not None:
            state.close()
    translations.check(loaded, reporter)
    fonts.join()
    _report(loaded, now, reporter)
    return loaded


def load_models(config: Config, sources: list[Source]) -> bool:
    """Read from the state store the models that load(..., models=False) left out, each the one its row
    named then; False when one is not there any more (another run replaced it): load again."""
    wanted = {source.found.name: source for source in sources if source.needs_model}
    if not wanted:
        return True
    state = State.open(config.root, project_fingerprint(config))
    if state is None:
        return False
    try:
        for name, model in state.models(wanted):
            source = wanted[name]
            if state.model(source.found._replace(model=model)) is not None:
                source._model = model
                del wanted[name]
    finally:
        state.close()
    return not wanted


class _Reading:
    """One run's reading of the release files, against the state store's rows."""

    def __init__(
        self, config: Config, reporter: Reporter, state: State | None, clock: int, rows: dict, models: bool, keep=None
    ):
        self.config, self.reporter, self.state, self.clock, self.rows = config, reporter, state, clock, rows
        self.models, self.keep = models, models if keep is None else keep
        self.root = os.path.realpath(config.root) + os.sep
        folder = config.root / config.releases_dir
        self.folder_inside = (os.path.realpath(folder) + os.sep).startswith(self.root)
        self.prefix = os.path.join(os.path.relpath(folder, config.root), "")  # names relative to the project
        self.seen: dict[str, Path] = {}
        self.names: set[str] = set()
        self.photo_stats: dict[str, list] = {}

    def source(self, entry: os.DirEntry) -> Source | None:
        path = entry.path
        if (not self.folder_inside or entry.is_symlink()) and not os.path.realpath(path).startswith(self.root):
            self.reporter.error(
                path,
                1,
                1,
                "this release file is a link to a file outside the project; presskit reads only files inside it",
                "release.outside",
            )
            return None
        if not files.claim_slug(path, self.seen, self.reporter):
            return None
        name = self.prefix + entry.name
        self.names.add(name)
        try:
            info = entry.stat()  # before the bytes are read: a change while they are read shows next time
            stat = (info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
        except OSError:
            stat = None
        row = self.rows.get(name)
        if row is not None and row.trusted == ALL and row.stat == stat and self._photos_unchanged(row.photos):
            return self._reuse(row, path)
        try:
            data = files.read_source(path)
        except (OSError, yamlsource.SourceError):
            data = None  # load_source reads it again and reports why
        if data is None or stat is None:
            return self._validate(name, path, data, stat)
        digest = hashlib.sha256(data).hexdigest()
        if row is not None and row.trusted != NOTHING and row.digest == digest and self._photos_unchanged(row.photos):
            source = self._reuse(row, path)
            if source is not None and self.state is not None:  # the same bytes: the row gets the new stat
                photos = json.loads(row.photos)
                self.state.record(row._replace(stat=stat, trusted=self._trust(stat, photos)), None)
            return source
        return self._validate(name, path, data, stat)

    def _reuse(self, row: Row, path: str) -> Source | None:
        model = None
        if row.model is not None:
            model = self.state.model(row)
            if model is None:  # a model that is not the one its row signed: the file is validated again
                return self._validate(row.name, path, None, None)
        slug = os.path.splitext(os.path.basename(path))[0]
        public = (row.embargo, bool(row.draft))
        return Source(row.inputs, path, slug, row, (row.lang, row.translation_of), model=model, public=public)

    def _validate(self, name: str, path: str, data: bytes | None, stat) -> Source | None:
        # Parsing and validation (the field readers, Markdown): imported only when a file changed, which a
        # check of an unchanged archive never needs (about 60 ms of its start-up).
        from presskit.sources import releases

        errors = len(self.reporter.errors)
        release, root, text = releases.load_source(Path(path), self.config, self.reporter, data)
        if release is None or len(self.reporter.errors) != errors:
            if self.state is not None:
                self.state.forget(name)
            return None
        if data is None:
            data = files.read_source(path)
        digest = hashlib.sha256(data).hexdigest()
        photos = [self._photo_stat(str(photo.source)) for photo in release.photos]
        inputs = _digest(digest, photos)
        positions = checks.positions(root, text.splitlines())
        found = checks.findings(release, positions, self.config)
        public = (None if release.embargo is None else checks.microseconds(release.embargo), release.draft)
        if self.state is not None and stat is not None:
            model = _model_of(release, positions)
            row = Row(
                name,
                stat,
                self._trust(stat, photos),
                digest,
                json.dumps(photos),
                inputs,
                release.lang,
                release.translation_of,
                found["future"][0] if found["future"] is not None else None,
                _chars(found),
                len(found["before"]) + len(found["after"]),
                json.dumps(found),
                public[0],
                int(release.draft),
            )
            self.state.record(row, model)
        language = (release.lang, release.translation_of)
        if not self.keep:  # not kept: a check of 100,000 new files holds their warnings only
            return Source(inputs, path, release.slug, found, language, public=public)
        return Source(inputs, path, release.slug, found, language, release=release, positions=positions, public=public)

    def _trust(self, stat: tuple, photos: list) -> int:
        """What a later run may take on trust (see state.py): a file or photo whose times are not older than
        this run's start may change again within the same clock tick without its times changing."""
        if any(p[1] >= 0 and max(p[2], p[4]) >= self.clock for p in photos):
            return NOTHING
        return CONTENT if max(stat[1], stat[3]) >= self.clock else ALL

    def _photos_unchanged(self, recorded: str) -> bool:
        return recorded == "[]" or all(self._photo_stat(photo[0]) == photo for photo in json.loads(recorded))

    def _photo_stat(self, path: str) -> list:
        known = self.photo_stats.get(path)
        if known is None:
            known = self.photo_stats[path] = photo_stat(path)
        return known


def photo_stat(path: str) -> list:
    """[path, size, mtime_ns, inode, ctime_ns] of a photo file, or [path, -1, -1, -1, -1] when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return [path, -1, -1, -1, -1]
    return [path, info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns]


def _chars(found: dict) -> str:
    return "".join(sorted({c for item in found["glyphs"] for c in item[3]}))


def _digest(content: str, photos: list) -> str:
    """A release's own inputs: its bytes' SHA-256, and each photo's path, size and modification time."""
    return hashlib.sha256(json.dumps([content, [photo[:3] for photo in photos]]).encode()).hexdigest()


def _report(loaded: list[Source], now: dt.datetime, reporter: Reporter) -> None:
    """Every release's warnings, in file order. The findings of an unchanged file are parsed only when it
    has warnings at `now`: some whatever the date, a date now in the future, a character no font has."""
    chars: set[str] = set()
    for source in loaded:
        chars.update(source.found.chars if isinstance(source.found, Row) else _chars(source.found))
    missing = set(textcheck.missing_glyphs("".join(sorted(chars)))) if chars else set()
    moment = checks.microseconds(now)
    for source in loaded:
        found = source.found
        if isinstance(found, Row):
            row = found
            if not (
                row.warned
                or (row.published is not None and row.published > moment)
                or not missing.isdisjoint(row.chars)
            ):
                continue
            found = json.loads(row.findings)
        shown = reporter.display_path(source.path)
        for line, column, message, code in checks.warnings_of(found, source.path, now, missing):
            reporter.items.append(Diagnostic(shown, line, column, "warning", message, code))


@functools.cache
def code_fingerprint() -> str:
    """presskit's version and every file of the package (code, locales, built-in theme)."""
    digest = hashlib.sha256(__version__.encode())
    for folder, dirs, names in sorted(os.walk(PACKAGE)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if not name.endswith((".pyc", ".pyo")):
                path = Path(folder) / name
                digest.update(str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def project_fingerprint(config: Config) -> str:
    """What every release's model depends on besides its own file: the configuration and presskit."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(str(config.root).encode() + b"\0")
    try:
        digest.update((config.root / CONFIG_FILE).read_bytes())
    except OSError:
        pass
    return digest.hexdigest()
