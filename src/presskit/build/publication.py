"""Publishing a build folder: written in a `with` block, swapped in as the output folder if all went well, else discarded."""

from __future__ import annotations

from pathlib import Path

from presskit.build import manifest
from presskit.build.staging import Staging, StagingError
from presskit.diagnostics import Reporter


class Publication:
    """A staging folder that becomes `target` when the `with` block ends without errors: with manifests,
    the spare build folder of the store brought up to date (build/staging.py), otherwise a fresh one.

    The block may call keep() when the published folder already is what it would make: the new folder is
    then discarded (a spare left unchanged stays the spare) and the published one stays, untouched. Any error reported meanwhile, and any OSError
    or StagingError raised in the block (a full disk), discards it too and leaves `target` as it was.
    """

    def __init__(self, target: Path, staging: Staging, reporter: Reporter, manifests: bool):
        self.target = target  # as the user gave it: the diagnostics name it so
        self.staging = staging
        self.reporter = reporter
        self.manifests = manifests  # the newsroom keeps a manifest beside each build; the embargoed copies do not
        self.kept = False
        self.published = False

    @classmethod
    def begin(cls, target: Path, root: Path, reporter: Reporter, manifests: bool = False) -> Publication | None:
        """A publication into `target`, or None (reported) when no build folder can be made beside it."""
        try:
            return cls(target, Staging(target, root, spare=manifests), reporter, manifests)
        except StagingError as exc:
            reporter.error(target, 1, 1, str(exc), "output")
            return None

    def keep(self) -> None:
        """Keep the published folder: it already is what this build would publish."""
        self.kept = True

    def __enter__(self) -> Staging:
        return self.staging

    def __exit__(self, kind, exc, _traceback) -> bool:
        staging = self.staging
        if exc is not None and not isinstance(exc, OSError | StagingError):
            self._discard()
            return False
        if exc is None and not self.kept and not self.reporter.errors:
            try:
                staging.flush()
            except (OSError, StagingError) as error:
                exc = error
        if exc is not None:
            self.reporter.error(self.target, 1, 1, f"cannot write the output: {_os_message(exc, staging)}", "output")
        if self.reporter.errors or self.kept:
            self._discard()
            if self.kept and not self.reporter.errors:
                try:
                    staging.tidy()
                except OSError:
                    pass  # left for the next build that publishes
            return True
        try:
            staging.publish()
        except (OSError, StagingError) as error:
            self._discard()
            self.reporter.error(
                self.target, 1, 1, f"cannot publish the output: {_os_message(error, staging)}", "output"
            )
            return True
        self.published = True
        return True

    def _discard(self) -> None:
        if self.manifests:
            manifest.discard(self.staging)
        self.staging.discard()


def _os_message(exc: Exception, staging: Staging) -> str:
    """'No space left on device (writing 2024-01-15-x/x.pdf)': the reason first, the file inside the build second."""
    if not isinstance(exc, OSError) or not exc.strerror:
        return str(exc)
    for name in (exc.filename2, exc.filename):  # shutil.copyfile names the source first, the target second
        if name is not None and Path(str(name)).is_relative_to(staging.folder):
            return f"{exc.strerror} (writing {Path(str(name)).relative_to(staging.folder).as_posix()})"
    return exc.strerror
