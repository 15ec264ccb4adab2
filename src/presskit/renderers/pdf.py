"""The print-ready, tagged PDF of a release (WeasyPrint), fetching nothing outside the project."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import weasyprint
from weasyprint.text.ffi import pango
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from presskit.renderers import RenderContext, RenderError
from presskit.site import templates
from presskit.site.view import ReleaseView
from presskit.sources import photos
from presskit.text import language, textcheck

MAX_RESOURCE_BYTES = 25 * 1024 * 1024


# What WeasyPrint sees of the project and the theme: fixed base URLs, mapped to the real folders by the
# fetcher. Nothing in the PDF (image names are hashes of their URLs) depends on where the project lives.
PROJECT_BASE = "file:///presskit/project/"
THEME_BASE = "file:///presskit/theme/"
# Images the PDF cannot take as they are (CMYK, 16-bit, turned by EXIF...) are given as sRGB 8-bit copies
# made in memory (photos.rendition), under this base and their published names.
CONVERTED_BASE = "file:///presskit/converted/"


class ConfinedFetcher(URLFetcher):
    """Serves data: URLs and regular files under the mounted folders; refuses everything else, loudly."""

    def __init__(self, mounts: dict[str, Path], converted: dict[str, tuple[bytes, str]] | None = None):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True)
        self.mounts = {urlsplit(base).path: Path(os.path.realpath(folder)) for base, folder in mounts.items()}
        self.converted = converted or {}  # URL -> (bytes, media type) of the images converted for the PDF
        # WeasyPrint swallows some fetch errors (fonts); every refusal is kept here and fails the render anyway.
        self.refusals: list[str] = []

    def refuse(self, message: str) -> FatalURLFetchingError:
        """Record a refusal and return the exception that stops the render."""
        self.refusals.append(message)
        return FatalURLFetchingError(message)

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise self.refuse(f"refused to fetch {url!r}: only files inside the project are used")
        if url in self.converted:
            data, media_type = self.converted[url]
            return URLFetcherResponse(url, data, {"Content-Type": media_type})
        path, shown = self.locate(unquote(urlsplit(url).path))
        try:
            info = os.stat(path)
        except OSError as exc:
            raise self.refuse(f"cannot read {shown}: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RESOURCE_BYTES:
            raise self.refuse(f"refused to read {shown}: not a regular file of reasonable size")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": media_type})

    def locate(self, path: str) -> tuple[Path, str]:
        """The real file behind a mounted path, and the name to show; refuses anything outside the mounts."""
        for prefix, folder in self.mounts.items():
            if path.startswith(prefix):
                relative = path[len(prefix) :]
                real = Path(os.path.realpath(folder / relative))
                if real.is_relative_to(folder):
                    return real, relative
                raise self.refuse(f"refused to read {path}: it is outside the project")
        # A plain file URL is served too when it leads inside a mounted folder (it only costs reproducibility
        # across checkouts, since the URL then holds the project's path).
        real = Path(os.path.realpath(path))
        for folder in self.mounts.values():
            if real.is_relative_to(folder):
                return real, real.relative_to(folder).as_posix()
        raise self.refuse(f"refused to read {path}: it is outside the project")


LOGO_HEIGHT_MM = 16


@dataclass(frozen=True)
class Logo:
    """The letterhead logo: its address and its width at the letterhead's height."""

    url: str
    width_mm: float


def _logo(config, converted: dict[str, tuple[bytes, str]]) -> Logo | None:
    if config.logo is None:
        return None
    info = photos.inspect(config.logo, config.logo.name)  # checked when the configuration was read
    url = _image_url(config.logo, photos.logo_name(info), info.media_type, info.convert, config.root, converted)
    return Logo(url, round(LOGO_HEIGHT_MM * info.width / info.height, 2))


def _image_url(
    path: Path, name: str, media_type: str, convert: bool, root: Path, converted: dict[str, tuple[bytes, str]]
) -> str:
    """The address WeasyPrint fetches an image from: the project's file, or its converted copy (kept in `converted`)."""
    if not convert:
        return _project_url(path, root)
    url = CONVERTED_BASE + quote(name)
    converted[url] = photos.rendition(path, media_type, convert)
    return url


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings and errors: each one fails the release's PDF."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if _warned_missing_glyph(record):
            return
        self.messages.append(record.getMessage())


def _warned_missing_glyph(record: logging.LogRecord) -> bool:
    """A character that no installed font has: the release's warnings name it (checks.py); it is no failure.

    Any other missing glyph (a font in the stack that fontconfig does not fall back from) still fails the PDF.
    """
    args = record.args if isinstance(record.args, tuple) else ()
    return (
        record.msg.startswith(".notdef glyph")
        and len(args) == 2
        and isinstance(args[1], int)
        and textcheck.no_font_has(chr(args[1]))
    )


class PdfRenderer:
    """Renders `<slug>/<slug>.pdf`: A4, tagged (PDF/UA-1, or PDF/A-3 by configuration), fonts embedded, reproducible."""

    format = "pdf"

    def __init__(self):
        self._fonts: tuple[int, FontConfiguration] | None = None

    @staticmethod
    def engine() -> str:
        """The version of Pango, which lays the text out: the PDF's bytes depend on it besides WeasyPrint's."""
        number = pango.pango_version()  # 1.50.14 is 15014
        return f"{number // 10000}.{number // 100 % 100}.{number % 100}"

    def fonts(self) -> FontConfiguration:
        """The system's fonts, gathered once per process and shared by every document it renders.

        Left to itself, WeasyPrint loads fontconfig's whole configuration and font list again for each
        document, and Pango does part of that work on a second thread: a fifth of a core per process,
        which two workers on two cores then fight over. (@font-face rules stay ignored, as before:
        the stylesheet is not given this configuration.)
        """
        if self._fonts is None or self._fonts[0] != os.getpid():  # never reuse one made before a fork
            self._fonts = (os.getpid(), FontConfiguration())
        return self._fonts[1]

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        config = context.config
        converted: dict[str, tuple[bytes, str]] = {}
        images = {p.filename: p for p in view.release.photos}

        def asset(name: str) -> str:
            photo = images[name]
            return _image_url(photo.source, photo.filename, photo.media_type, photo.convert, config.root, converted)

        css_file = templates.theme_file(config, "pdf.css")
        html = context.env.get_template("release.pdf.html.j2").render(
            v=view,
            site=context.site,
            lang=view.release.lang,
            locale=language.get(view.release.lang),
            asset=asset,
            logo=_logo(config, converted),
        )
        css_base = (
            THEME_BASE
            if css_file.parent == templates.THEME
            else _project_url(css_file, config.root).rpartition("/")[0] + "/"
        )
        # A project's pdf.css can start from the built-in one with @import "presskit/pdf.css", as a template
        # extends "presskit/release.pdf.html.j2": that address, beside the project's file, is the theme's.
        extends = {css_base + "presskit/": templates.THEME} if css_base != THEME_BASE else {}
        fetcher = ConfinedFetcher({**extends, PROJECT_BASE: config.root, THEME_BASE: templates.THEME}, converted)
        target = folder / view.pdf_name
        collector = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        try:
            stylesheet = weasyprint.CSS(
                string=css_file.read_text(encoding="utf-8"), base_url=css_base, url_fetcher=fetcher
            )
            html_document = weasyprint.HTML(string=html, base_url=PROJECT_BASE, url_fetcher=fetcher)
            with _source_date(view.published):
                # Tags are asked for explicitly so that the PDF/A-3 variants stay accessible too.
                document = html_document.render(
                    stylesheets=[stylesheet], font_config=self.fonts(), pdf_variant=config.pdf_variant, pdf_tags=True
                )
                _drop_attachments(document)
                document.write_pdf(target, pdf_variant=config.pdf_variant, pdf_tags=True)
        except FatalURLFetchingError:
            pass  # recorded in fetcher.refusals
        finally:
            logger.removeHandler(collector)
        problems = fetcher.refusals + collector.messages
        if problems:
            target.unlink(missing_ok=True)
            shown = (m.replace(PROJECT_BASE, "").replace(THEME_BASE, "theme/") for m in problems)
            raise RenderError("PDF: " + "; ".join(dict.fromkeys(shown)))
        return target


def _project_url(path: Path, root: Path) -> str:
    """The fixed-base URL of a file inside the project."""
    return PROJECT_BASE + quote(Path(os.path.realpath(path)).relative_to(os.path.realpath(root)).as_posix())


@contextlib.contextmanager
def _source_date(when: dt.datetime):
    """SOURCE_DATE_EPOCH for the render, unless the caller set one: fontTools stamps fonts it rewrites with it."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(max(0, int(when.timestamp())))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


def _drop_attachments(document) -> None:
    """A published PDF embeds no file: <link rel=attachment> and <a rel=attachment> are ignored."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
