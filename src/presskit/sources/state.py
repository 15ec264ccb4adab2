"""The reading state: each release file as last read (size, times, inode, digest, validated model), in SQLite.

`.presskit/state.sqlite` (standard library sqlite3, write-ahead log) holds one row per release file: its
size, modification time, inode and change time when it was read, the SHA-256 of its bytes, the same record
of each of its photos, and what validating it gave (the model, where its fields are written, its warnings).
A file whose record matches is neither read nor parsed again, as git's index does. A run reads the rows in
one query and writes what changed in one transaction at its end: a run killed at any moment leaves the
rows of the last complete run, so the worst a crash does is have files read again. Two processes may use
the store at once (`check` beside a `build`): SQLite serialises the writes, and each row is true on its own.

Every row is signed (HMAC-SHA256) with a key kept outside the project, in the user's cache folder, and with
the project's fingerprint (configuration, presskit): whoever can write into the project but not into that
folder cannot plant a "validated" release, and a row made under another configuration is not used. A row
whose signature does not match is ignored, and a damaged database is replaced: it is only ever a cache.
"""

from __future__ import annotations

import fcntl
import hmac
import json
import os
import secrets
import sqlite3
import stat
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

FOLDER = ".presskit"
STATE_FILE = Path(FOLDER) / "state.sqlite"
_LOCK = "state.lock"  # shared while a process uses the database, exclusive to replace a damaged one
_CLOCK = "state.clock"  # touched at the start of a run: the file system's own "now"
SCHEMA = 2  # 2: the embargo and draft columns
_BUSY_SECONDS = 5.0
COLUMNS = (
    "name, size, mtime_ns, ino, ctime_ns, trusted, digest, photos, inputs, lang, translation_of, "
    "published, chars, warned, findings, embargo, draft, model_signature"
)
# What a row's signature covers: every column but the model (which its own signature, a column, covers), as
# SQLite writes them in JSON: one unambiguous text, made in C when the rows are read.
MESSAGE = f"json_array({COLUMNS})"
# trusted: what a later run may take from the row without reading the file.
ALL = 2  # the stat of the file and of its photos: a match means unchanged
CONTENT = 1  # the file changed within the clock tick it was read in ("racy"): its bytes are compared
NOTHING = 0  # a photo changed within that tick: the file is read and validated again


def signing_key() -> bytes | None:
    """This user's key for signing the state ($XDG_CACHE_HOME/presskit/cache-key, mode 0600), made on first use;
    None when it cannot be read or made (then nothing is kept)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "presskit"
    path = folder / "cache-key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".cache-key-", dir=folder)
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(32) + "\n")
        os.replace(temporary, path)
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


class Row(NamedTuple):
    """One release file as last read; `model` is present only when the rows were read with their models."""

    name: str  # the file's path relative to the project
    stat: tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
    trusted: int  # ALL, CONTENT or NOTHING
    digest: str  # SHA-256 of the file's bytes
    photos: str  # JSON: [[path, size, mtime_ns, inode, ctime_ns], ...]
    inputs: str  # the digest of the release's own inputs (load.Source.digest)
    lang: str
    translation_of: str
    published: int | None  # the release's date in microseconds since 1970 when it has no embargo
    chars: str  # the characters of its texts that need a glyph
    warned: int  # how many warnings it has whatever the clock and the fonts
    findings: str  # JSON: checks.findings
    embargo: int | None  # the embargo in microseconds since 1970, None without one: what is public is known undecoded
    draft: int  # 1 for a draft
    model_signature: str = ""
    model: bytes | None = None


class State:
    """The open store of one project, for one run: rows read once, changes written once by `save`."""

    def __init__(self, folder: Path, fingerprint: str, secret: bytes, connection: sqlite3.Connection, lock: int):
        self.folder = folder
        self.fingerprint = fingerprint
        self.secret = secret
        # Every signature covers the schema and the project's fingerprint: a row of another configuration fails.
        self.row_key = hmac.digest(secret, f"{SCHEMA}\0{fingerprint}".encode(), "sha256")
        self.connection = connection
        self.lock = lock
        self.changes: dict[str, tuple | None] = {}  # name: the new row's values (with its model), or None
        self.stale = False  # rows of another fingerprint are in the table: cleared on save
        self.damaged = False  # reading the rows failed: the database is made anew on save

    @classmethod
    def open(cls, root: Path, fingerprint: str) -> State | None:
        """The project's store; None when none can be used safely (no key, a link where it should be, ...)."""
        secret = signing_key()
        folder = root / FOLDER
        if secret is None or not _own_folder(folder):
            return None
        try:
            lock = os.open(folder / _LOCK, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError:
            return None
        try:
            fcntl.flock(lock, fcntl.LOCK_SH)
            connection = _connect(folder)
            if connection is _DAMAGED:
                connection = _replace(folder, lock)
        except OSError:
            connection = None
        if not isinstance(connection, sqlite3.Connection):
            os.close(lock)
            return None
        state = cls(folder, fingerprint, secret, connection, lock)
        try:
            found = connection.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        except sqlite3.Error:
            found = None
        state.stale = found is None or found[0] != fingerprint
        return state

    def clock(self) -> int:
        """The file system's time now, in ns (a file touched now): a file modified at or after it may change
        again within the same tick without its times changing."""
        path = self.folder / _CLOCK
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            try:
                os.utime(fd)
                info = os.fstat(fd)
            finally:
                os.close(fd)
            return min(info.st_mtime_ns, time.time_ns())
        except OSError:
            return time.time_ns()

    def rows(self, models: bool, names: list[str] | None = None) -> dict[str, Row]:
        """Every row whose signature is right, by name (with the validated models when `models`); only those
        of `names` when given."""
        if self.stale:
            return {}
        query = f"SELECT {COLUMNS}, {MESSAGE}, signature{', model' if models else ''} FROM releases"
        if names is not None:
            query += " WHERE name IN (SELECT value FROM json_each(?))"
        found = {}
        key = self.row_key
        try:
            for values in self.connection.execute(query, () if names is None else (json.dumps(names),)):
                if hmac.compare_digest(values[19], hmac.digest(key, values[18].encode(), "sha256").hex()):
                    row = Row(values[0], values[1:5], *values[5:18], values[20] if models else None)
                    found[row.name] = row
        except sqlite3.Error as exc:
            self.damaged = not _busy(exc)  # busy beyond the timeout: this run reads every file
            return {}
        except (TypeError, ValueError, IndexError, AttributeError, UnicodeError):
            self.damaged = True
            return {}
        return found

    def models(self, names) -> list[tuple[str, bytes]]:
        """The stored models of these files, as (name, model), unchecked: `model` checks each against its row."""
        if self.stale:
            return []
        try:
            found = self.connection.execute("SELECT name, model FROM releases WHERE model IS NOT NULL").fetchall()
        except sqlite3.Error:
            return []
        return [(name, model) for name, model in found if name in names]

    def model(self, row: Row) -> bytes | None:
        """A row's model bytes, if they are the ones its signature names."""
        if row.model is None or not hmac.compare_digest(row.model_signature, self._sign_model(row.name, row.model)):
            return None
        return row.model

    def record(self, row: Row, model: bytes | None) -> None:
        """Keep a row (written by `save`); without `model`, the row keeps the model it has, if it is still the
        one `row.model_signature` names."""
        try:
            signature = self._sign_model(row.name, model) if model is not None else row.model_signature
            values = (row.name, *row.stat, row.trusted, row.digest, row.photos, row.inputs, row.lang)
            values += (row.translation_of, row.published, row.chars, row.warned, row.findings, row.embargo, row.draft)
            values += (signature,)
            for value in values:
                if isinstance(value, str):
                    value.encode("utf-8")  # a file name that is not UTF-8 is simply not recorded
        except UnicodeError:
            return
        self.changes[row.name] = (*values, model)

    def forget(self, name: str) -> None:
        self.changes[name] = None

    def save(self) -> None:
        """Write every change in one transaction; when the store is busy or damaged, they are simply not kept."""
        if not self.changes and not self.stale and not self.damaged:
            return
        if self.damaged:
            self.connection.close()
            connection = _replace(self.folder, self.lock, damaged=True)
            if not isinstance(connection, sqlite3.Connection):
                self.connection = sqlite3.connect(":memory:")  # closed by close(); nothing is kept
                return
            self.connection, self.damaged, self.stale = connection, False, True
        columns = COLUMNS.split(", ")
        try:
            with self.connection:
                self.connection.execute("BEGIN IMMEDIATE")
                if self.stale:
                    self.connection.execute("DELETE FROM releases")
                    self.connection.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('fingerprint', ?)", (self.fingerprint,)
                    )
                gone = [(name,) for name, values in self.changes.items() if values is None]
                self.connection.executemany("DELETE FROM releases WHERE name = ?", gone)
                kept = [values for values in self.changes.values() if values is not None and values[-1] is not None]
                self.connection.executemany(
                    f"INSERT OR REPLACE INTO releases ({COLUMNS}, signature, model) "
                    f"VALUES ({', '.join('?' * len(columns))}, '', ?)",
                    kept,
                )
                # A new stat for the same model: only where the row still has that model.
                updated = [
                    (*values[1:-1], values[0], values[-2])
                    for values in self.changes.values()
                    if values is not None and values[-1] is None
                ]
                assignments = ", ".join(f"{column} = ?" for column in columns[1:])
                self.connection.executemany(
                    f"UPDATE releases SET {assignments}, signature = '' WHERE name = ? AND model_signature = ?",
                    updated,
                )
                signatures = []
                for name, values in self.changes.items():
                    if values is not None:
                        found = self.connection.execute(f"SELECT {MESSAGE} FROM releases WHERE name = ?", (name,))
                        message = found.fetchone()
                        if message is not None:
                            signatures.append((self._sign(message[0]), name))
                self.connection.executemany("UPDATE releases SET signature = ? WHERE name = ?", signatures)
            self.changes.clear()
            self.stale = False
        except sqlite3.Error:
            pass

    def close(self) -> None:
        self.connection.close()
        os.close(self.lock)  # releases the shared lock

    def _sign(self, message: str) -> str:
        return hmac.digest(self.row_key, message.encode(), "sha256").hex()

    def _sign_model(self, name: str, model: bytes) -> str:
        message = f"model\0{name}\0".encode("utf-8", "surrogateescape") + model
        return hmac.digest(self.row_key, message, "sha256").hex()


def _own_folder(folder: Path) -> bool:
    """`.presskit` is a real folder (made if absent), and the database files in it, if any, regular files."""
    try:
        folder.mkdir(exist_ok=True)
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            return False
        for suffix in ("", "-wal", "-shm"):
            try:
                if not stat.S_ISREG(os.lstat(folder / f"{STATE_FILE.name}{suffix}").st_mode):
                    return False
            except FileNotFoundError:
                pass
    except OSError:
        return False
    return True


_DAMAGED = "damaged"


def _busy(error: sqlite3.Error) -> bool:
    """Another process holds the database (SQLITE_BUSY, SQLITE_LOCKED), as opposed to a damaged one."""
    return getattr(error, "sqlite_errorcode", None) in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _connect(folder: Path) -> sqlite3.Connection | str | None:
    """The database with its tables; _DAMAGED when it is not one presskit can use (not a database, another
    schema), None when it cannot be opened now (busy beyond the timeout, unreadable)."""
    try:
        connection = sqlite3.connect(folder / STATE_FILE.name, timeout=_BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version == 0:
            connection.execute("PRAGMA journal_mode=WAL")  # kept in the file: set once, when it is made
            with connection:
                connection.execute("BEGIN IMMEDIATE")
                connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS releases (name TEXT PRIMARY KEY, size INTEGER, mtime_ns INTEGER, "
                    "ino INTEGER, ctime_ns INTEGER, trusted INTEGER, digest TEXT, photos TEXT, inputs TEXT, lang TEXT, "
                    "translation_of TEXT, published INTEGER, chars TEXT, warned INTEGER, findings TEXT, embargo INTEGER, draft INTEGER, "
                    "model_signature TEXT, "
                    "signature TEXT, model BLOB)"
                )
                connection.execute(f"PRAGMA user_version = {SCHEMA}")
        elif version != SCHEMA:
            connection.close()
            return _DAMAGED
        connection.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: a kill loses nothing committed
        connection.execute("SELECT count(*) FROM meta").fetchone()
        return connection
    except sqlite3.Error as exc:
        connection.close()
        return None if _busy(exc) else _DAMAGED


def _replace(folder: Path, lock: int, damaged: bool = False) -> sqlite3.Connection | str | None:
    """A damaged database removed and made anew, once no other process uses it (None if one still does)."""
    deadline = time.monotonic() + _BUSY_SECONDS
    while True:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if time.monotonic() > deadline:
                fcntl.flock(lock, fcntl.LOCK_SH)
                return None
            time.sleep(0.05)
    try:
        # Another process may have replaced it while this one waited.
        connection = _DAMAGED if damaged else _connect(folder)
        if connection is _DAMAGED:
            for suffix in ("", "-wal", "-shm"):
                try:
                    os.unlink(folder / f"{STATE_FILE.name}{suffix}")
                except FileNotFoundError:
                    pass
            connection = _connect(folder)
    finally:
        fcntl.flock(lock, fcntl.LOCK_SH)
    return connection
