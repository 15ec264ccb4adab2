"""`presskit build --verify`: rebuild into a temporary folder and name every file of out/ that differs."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from pathlib import Path

from presskit.build.pipeline import BuildOptions, BuildResult, build
from presskit.build.staging import RELEASE_PREFIX


def digest(folder: Path) -> dict[str, str]:
    """Every entry under a folder (the `out` link itself followed) with the SHA-256 of its content.

    A release of the newsroom is a link from the build folder to its release folder in the store
    (`<slug> -> ../release-*`): its files are compared under `<slug>/`, wherever the folder is.
    """
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    for parent, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink() and parent == str(folder) and _release_link(os.readlink(path)):
                found.update(
                    (f"{relative}/{inner}", value) for inner, value in digest(Path(os.path.realpath(path))).items()
                )
            elif path.is_symlink():  # a build writes no other link inside out/: compare the target, never follow it
                found[relative] = "symlink:" + os.readlink(path)
            else:
                with open(path, "rb") as handle:
                    found[relative] = hashlib.file_digest(handle, "sha256").hexdigest()
    return found


def _release_link(target: str) -> bool:
    """A link presskit makes from a build folder to a release folder beside it in the store."""
    return target.startswith("../" + RELEASE_PREFIX) and target.count("/") == 1


def verify(options: BuildOptions) -> tuple[BuildResult, int]:
    """Build the sources afresh elsewhere and compare with out/, which is never changed; (result, files compared)."""
    root = options.root.resolve()
    out = Path(os.path.abspath(options.out or root / "out"))
    with tempfile.TemporaryDirectory(prefix="presskit-verify-") as scratch:
        fresh_out = Path(scratch) / "out"
        result = build(dataclasses.replace(options, out=fresh_out, force=True))  # every file read again
        if not result.ok or result.refused or result.busy:  # nothing built (an unreachable cluster): nothing compared
            return result, 0
        fresh, current = digest(fresh_out), digest(out)
    reporter = result.reporter
    for name in sorted(fresh.keys() | current.keys()):
        if name not in current:
            reporter.error(out / name, 1, 1, "missing: a fresh build of the sources writes this file", "verify.missing")
        elif name not in fresh:
            reporter.error(out / name, 1, 1, "not written by a fresh build of the sources", "verify.extra")
        elif fresh[name] != current[name]:
            reporter.error(out / name, 1, 1, "differs from a fresh build of the sources", "verify.differs")
    return result, len(fresh.keys() | current.keys())
