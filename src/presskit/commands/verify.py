"""`presskit build --verify`: rebuild into a temporary folder and name every file of out/ that differs."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import tempfile
from pathlib import Path

from presskit.build.pipeline import BuildOptions, BuildResult, build


def digest(folder: Path) -> dict[str, str]:
    """Every entry under a folder (the `out` link itself followed) with the SHA-256 of its content."""
    found: dict[str, str] = {}
    if not folder.is_dir():
        return found
    for parent, dirs, files in os.walk(folder):
        for name in files + [d for d in dirs if os.path.islink(os.path.join(parent, d))]:
            path = Path(parent) / name
            relative = path.relative_to(folder).as_posix()
            if path.is_symlink():  # a build never writes links inside out/: compare the target, never follow it
                found[relative] = "symlink:" + os.readlink(path)
            else:
                with open(path, "rb") as handle:
                    found[relative] = hashlib.file_digest(handle, "sha256").hexdigest()
    return found


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
