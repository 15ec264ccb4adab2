"""Output folders: which ones presskit may replace, and the lock that lets one build at a time use them.

presskit deletes or replaces only what it created. An output folder (`out/`, `--out`, `--embargoed`) is
accepted when it does not exist, is an empty folder, or is a link into its own build store
(`.<name>.builds/build-*`, which presskit made); anything else, a folder of the user's files above all, is
refused before anything is written. The build store is presskit's alone: it carries a marker file, or holds
only names presskit gives its own files.
"""

from __future__ import annotations

import fcntl
import os
import re
from pathlib import Path

MARKER = ".presskit-store"  # in every build store: "presskit made this folder and may clean it"
LOCK = "lock"
# Everything presskit writes in a build store; a store holding anything else is not presskit's.
_STORE_NAMES = re.compile(
    r"^(build-[^/]+|release-[^/]+|previous-[^/]+|manifest-[^/]+\.json|\.link-[^/]+|lock|tidy|\.presskit-store)$"
)
_STORE_FOLDER = re.compile(r"^\..+\.builds$")


class OutputFolderError(Exception):
    """An output folder presskit must not use; the message names it and says why."""


class BusyError(Exception):
    """Another build of the project holds the lock (args: the other build's pid, or None)."""


def store_of(target: Path) -> Path:
    """The build store beside an output folder: `out` -> `.out.builds`."""
    return target.parent / f".{target.name}.builds"


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _overlap(a: Path, b: Path) -> bool:
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def _forms(path: Path) -> tuple[Path, Path]:
    """The folder as written (absolute) and with the links of its parents resolved: two names for one place.

    The folder itself is not resolved: an output folder is a link into its own build store, and a link to
    anything else is refused by _check_folder.
    """
    absolute = Path(os.path.abspath(path))
    return absolute, _real(absolute.parent) / absolute.name


def check(targets: dict[str, Path], root: Path, sources: dict[str, Path], shown: dict[str, str]) -> None:
    """Raise OutputFolderError unless every output folder in `targets` (option -> folder) may be written.

    `sources` names the project's folders no output may be inside (releases, templates, photos ...);
    `shown` gives each option the folder as the user wrote it, for the message.
    """
    options = list(targets)
    for i, first in enumerate(options):
        for second in options[i + 1 :]:
            if any(_overlap(a, b) for a in _forms(targets[first]) for b in _forms(targets[second])):
                raise OutputFolderError(
                    f"refusing to use {shown[second]} as {second}: it must be apart from {shown[first]} ({first}), neither inside the other"
                )
    real_root = _real(root)
    for option, target in targets.items():
        name = shown[option]
        absolute, real = _forms(target)
        if real_root.is_relative_to(real) or real_root.is_relative_to(absolute):
            raise OutputFolderError(f"refusing to use {name} as {option}: it contains the project")
        for what, folder in sources.items():
            folder_abs = Path(os.path.abspath(folder))
            if any(form.is_relative_to(f) for form in (absolute, real) for f in (folder_abs, _real(folder_abs))):
                raise OutputFolderError(
                    f"refusing to use {name} as {option}: it is inside the {what} ({_display(folder, root)})"
                )
        for parent in (absolute, *absolute.parents, real, *real.parents):
            if _STORE_FOLDER.match(parent.name):
                raise OutputFolderError(
                    f"refusing to use {name} as {option}: it is inside presskit's build store {parent.name}"
                )
        _check_folder(absolute, option, name)
        _check_store(absolute, option, name)


def _display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.abspath(path)).relative_to(Path(os.path.abspath(root))).as_posix() or "."
    except ValueError:
        return str(path)


def _check_folder(target: Path, option: str, name: str) -> None:
    """The folder itself: absent, empty, or presskit's link into its store."""
    if target.is_symlink():
        link = _real(target)
        store = _real(store_of(target))
        if link.parent == store and link.name.startswith("build-") and link.is_dir():
            return
        raise OutputFolderError(
            f"refusing to use {name} as {option}: it is a link to {os.readlink(target)}, not to a build presskit made"
        )
    if not target.exists():
        return
    if not target.is_dir():
        raise OutputFolderError(f"refusing to use {name} as {option}: it is not a folder")
    try:
        with os.scandir(target) as entries:
            empty = next(entries, None) is None
    except OSError as exc:
        raise OutputFolderError(f"refusing to use {name} as {option}: it cannot be read ({exc.strerror})") from None
    if not empty:
        raise OutputFolderError(
            f"refusing to use {name} as {option}: it is a folder presskit did not make and it is not empty "
            "(give a new or an empty folder)"
        )


def _check_store(target: Path, option: str, name: str) -> None:
    """The build store beside the folder: absent, empty, marked as presskit's, or holding only presskit's names."""
    store = store_of(target)
    if not os.path.lexists(store):
        return
    if store.is_symlink() or not store.is_dir():
        raise OutputFolderError(f"refusing to use {name} as {option}: {store} is not a folder presskit made")
    entries = {entry.name for entry in os.scandir(store)}
    if MARKER in entries or all(_STORE_NAMES.match(entry) for entry in entries):
        return
    raise OutputFolderError(
        f"refusing to use {name} as {option}: {store.name} beside it holds files presskit did not make"
    )


def prepare_store(target: Path) -> tuple[Path, bool]:
    """Create (or keep) the build store of an output folder, marked as presskit's; its path, and whether it is new."""
    store = store_of(Path(os.path.abspath(target)))
    created = not os.path.lexists(store)
    store.mkdir(parents=True, exist_ok=True)
    marker = store / MARKER
    if not marker.exists():
        marker.write_text("presskit's build store: presskit creates and removes the folders here.\n", encoding="utf-8")
    return store, created


def remove_new_store(store: Path) -> None:
    """Undo prepare_store for a store it created, when the build is refused: only its marker and lock, then
    the folder if that leaves it empty."""
    for name in (MARKER, LOCK):
        (store / name).unlink(missing_ok=True)
    try:
        store.rmdir()
    except OSError:
        pass


_HELD: set[int] = set()  # the descriptors of the build locks this process holds


def _close_locks_in_child() -> None:
    """In a forked child: the build's lock belongs to the build, not to a worker that may outlive it."""
    for fd in _HELD:
        try:
            os.close(fd)
        except OSError:
            pass
    _HELD.clear()


os.register_at_fork(after_in_child=_close_locks_in_child)


class BuildLock:
    """An exclusive flock on `<store>/lock` for each output store, held for a whole build.

    The kernel releases it when the process ends, however it ends (kill -9 included): never a stale lock.
    A forked render worker closes its copies at once (_HELD), so a worker orphaned by a killed build never
    holds the lock. The holder writes its pid in the file, so that a waiting build can say whom it waits for.
    """

    def __init__(self, stores: list[Path]):
        self.paths = sorted({Path(os.path.abspath(store)) / LOCK for store in stores})  # one order: no deadlock
        self.handles: list[int] = []

    def acquire(self, wait: bool, waiting=None) -> None:
        """Take every lock; when one is held elsewhere, call `waiting(pid)` once and block, or raise BusyError."""
        try:
            for path in self.paths:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
                self.handles.append(fd)
                _HELD.add(fd)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    pid = _holder(fd)
                    if not wait:
                        raise BusyError(pid) from None
                    if waiting is not None:
                        waiting(pid)
                    fcntl.flock(fd, fcntl.LOCK_EX)
                os.ftruncate(fd, 0)
                os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except BaseException:
            self.release()
            raise

    def release(self) -> None:
        for fd in reversed(self.handles):
            _HELD.discard(fd)
            os.close(fd)  # closing the last descriptor releases the flock
        self.handles = []

    def __enter__(self) -> BuildLock:
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii").strip()
        return int(text) if text.isdigit() else None
    except (OSError, UnicodeDecodeError):
        return None
