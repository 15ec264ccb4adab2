"""One release rendered on a cluster worker as a pure function: its content, photos and the site as bytes in, its files out.

The worker has no access to the project: a Site carries the configuration, the project's templates folder and
its logo as bytes; each task carries a release's view and its photos' bytes. The worker writes them into a
private copy of the project (at the same relative paths, so that every address inside the documents is the
same as on the build's machine), renders into a temporary folder and returns the files as bytes, with the
diagnostics and texts a local render gives. Running a task twice gives the same answer (a lost worker's
tasks are simply run again elsewhere).
"""

from __future__ import annotations

import atexit
import dataclasses
import gc
import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from presskit import __version__, renderers
from presskit.build import plan
from presskit.build.workers import Rendered, _Renderer, collect
from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.site import templates
from presskit.site.view import ReleaseView


@dataclass(frozen=True)
class Site:
    """What every release of a build shares, as bytes: configuration, templates folder, logo, and what made them."""

    config: Config
    languages: tuple[str, ...]
    files: dict[str, bytes]  # path relative to the project: the templates folder's files and the logo
    environment: dict[str, str]  # presskit, the rendering libraries and the fonts of the build's machine
    digest: str = ""

    @classmethod
    def of(cls, config: Config, languages: tuple[str, ...]) -> Site:
        """The site of a build, read from the project (only files the local build would read)."""
        files = {}
        folder = config.root / config.templates_dir
        for path in templates.scan(config)[0]:
            files[(Path(config.templates_dir) / path.relative_to(folder)).as_posix()] = path.read_bytes()
        if config.logo is not None:
            files[inside(config.logo, config.root)] = config.logo.read_bytes()
        digest = hashlib.sha256(repr((config, languages)).encode())
        for name in sorted(files):
            digest.update(b"\0" + name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
        return cls(config, languages, files, environment(), digest.hexdigest())


@dataclass
class Outcome:
    """A release rendered remotely: what a local render returns, and the files of its folder."""

    rendered: Rendered
    files: dict[str, bytes] = field(default_factory=dict)


def inside(path: Path, root: Path) -> str:
    """A project file's path relative to the project, links resolved as the PDF's addresses resolve them."""
    return Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix()


def render(site: Site, view: ReleaseView, photos: dict[str, bytes]) -> Outcome:
    """Render one release in this worker; problems come back as data, as from a local render."""
    differences = differing(site.environment, environment())
    if differences:
        reporter = Reporter(site.config.root)
        reporter.error(
            view.release.source,
            1,
            1,
            f"the cluster worker on {os.uname().nodename} cannot render it identically: {differences}",
            "render.cluster",
        )
        return Outcome(Rendered(reporter.items))
    copy = _copies.get(site)
    with copy.lock:  # one release at a time in a copy of the project (its photos are written there)
        written = []
        try:
            for relative, data in photos.items():
                target = copy.project / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
                written.append(target)
            local = _moved(view, site.config, copy)
            with tempfile.TemporaryDirectory(prefix="presskit-render-") as folder:
                rendered = copy.renderer.render(local, _Folder(Path(folder)))
                release_folder = Path(folder) / view.slug
                # Photos included: the worker wrote the credits into them (renderers/photocredits.py).
                files = {
                    p.relative_to(release_folder).as_posix(): p.read_bytes()
                    for p in sorted(release_folder.rglob("*"))
                    if p.is_file()
                }
        finally:
            for target in written:
                target.unlink(missing_ok=True)
            _collect()
    return Outcome(rendered, files if rendered.ok else {})


_rendered = 0
THAW_EVERY = 100  # releases


def _collect() -> None:
    """After a release, its document collected, and what survives frozen: the next collection walks only the
    next release's objects, not the 120,000 of Dask's state and the renderers (a quarter of a second). A Dask
    worker lives on: every THAW_EVERY releases everything is thawed first, so that what died frozen is freed."""
    global _rendered
    _rendered += 1
    if _rendered % THAW_EVERY == 0:
        gc.unfreeze()
    collect(freeze=True)


def _moved(view: ReleaseView, config: Config, copy: _Copy) -> ReleaseView:
    """The view with every project path moved into the worker's copy of the project."""
    root = config.root

    def move(path: Path) -> Path:
        try:
            return copy.project / inside(path, root)
        except ValueError:  # not a project file (a release's own file is only named in diagnostics)
            return path

    release = view.release
    source = copy.project / os.path.relpath(os.path.abspath(release.source), os.path.abspath(root))
    photos = tuple(dataclasses.replace(p, source=move(p.source)) for p in release.photos)
    release = dataclasses.replace(release, source=source, photos=photos)
    return ReleaseView(release, copy.config, view.translations, view.original, view.embargo_copy)


class _Folder:
    """Where the renderer writes a release's folder: a temporary folder of the worker (as a Staging would)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, relative: str) -> Path:
        target = self.folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        return target


@dataclass
class _Copy:
    """A worker's copy of one project: its templates and logo written out, the renderers made for it."""

    project: Path
    config: Config
    renderer: _Renderer
    lock: threading.Lock


class _Copies:
    """The copies of the projects this worker process renders for, made once each, removed at its exit."""

    def __init__(self):
        self._copies: dict[str, _Copy] = {}
        self._lock = threading.Lock()

    def get(self, site: Site) -> _Copy:
        with self._lock:
            if site.digest not in self._copies:
                while len(self._copies) >= KEPT_COPIES:  # the oldest project's copy goes (a worker lives on)
                    oldest = self._copies.pop(next(iter(self._copies)))
                    with oldest.lock:
                        shutil.rmtree(oldest.project, ignore_errors=True)
                project = Path(tempfile.mkdtemp(prefix="presskit-project-"))
                atexit.register(shutil.rmtree, project, ignore_errors=True)
                for relative, data in site.files.items():
                    target = project / relative
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                config = site.config
                logo = project / inside(config.logo, config.root) if config.logo is not None else None
                config = dataclasses.replace(config, root=project, logo=logo)
                self._copies[site.digest] = _Copy(project, config, _Renderer(config, site.languages), threading.Lock())
            return self._copies[site.digest]


KEPT_COPIES = 4
_copies = _Copies()


@cache
def environment() -> dict[str, str]:
    """What the documents' bytes depend on besides the sources: presskit (its version and files, the built-in
    theme included), the rendering libraries, Pango and the installed fonts."""
    package = Path(str(resources.files("presskit")))
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    found = {"presskit": f"{__version__} ({digest.hexdigest()[:12]})", **plan.rendering_libraries()}
    found["pango"] = renderers.get("pdf").engine()
    found["fonts"] = _fonts()
    return found


def _fonts() -> str:
    """A digest of the fonts fontconfig offers (files and versions): another font, another PDF."""
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{file}|%{fontversion}|%{style}\\n"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = sorted(set(listing.splitlines()))
    digest = hashlib.sha256(b"\n".join(lines)).hexdigest()
    return f"{len(lines)} faces ({digest[:12]})"


def differing(expected: dict[str, str], found: dict[str, str]) -> str:
    """What differs between the build's machine and a worker ('' when nothing does), as a short sentence."""
    names = sorted(set(expected) | set(found))
    return "; ".join(
        f"{name} {found.get(name, 'missing')} (the build's machine has {expected.get(name, 'none')})"
        for name in names
        if expected.get(name) != found.get(name)
    )
