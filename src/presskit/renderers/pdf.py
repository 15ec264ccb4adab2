"""The print-ready, tagged PDF of a release (WeasyPrint), fetching nothing outside the project."""

from __future__ import annotations

import logging
import mimetypes
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from presskit import language, photos, templates
from presskit.renderers import RenderContext, RenderError
from presskit.view import ReleaseView

MAX_RESOURCE_BYTES = 25 * 1024 * 1024


class ConfinedFetcher(URLFetcher):
    """Serves data: URLs and regular files under the allowed folders; refuses everything else, loudly."""

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True)
        self.roots = [Path(os.path.realpath(r)) for r in roots]

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise FatalURLFetchingError(f"refused to fetch {url!r}: only files inside the project are used")
        path = Path(os.path.realpath(unquote(urlsplit(url).path)))
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FatalURLFetchingError(f"refused to read {path}: it is outside the project")
        try:
            info = os.stat(path)
        except OSError as exc:
            raise FatalURLFetchingError(f"cannot read {path}: {exc.strerror}") from None
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RESOURCE_BYTES:
            raise FatalURLFetchingError(f"refused to read {path}: not a regular file of reasonable size")
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), path.read_bytes(), {"Content-Type": media_type})


LOGO_HEIGHT_MM = 16


@dataclass(frozen=True)
class Logo:
    """The letterhead logo: its address and its width at the letterhead's height."""

    url: str
    width_mm: float


def _logo(config) -> Logo | None:
    if config.logo is None:
        return None
    info = photos.inspect(config.logo, config.logo.name)  # checked when the configuration was read
    return Logo(config.logo.as_uri(), round(LOGO_HEIGHT_MM * info.width / info.height, 2))


class _Collect(logging.Handler):
    """Keeps WeasyPrint's warnings and errors: each one fails the release's PDF."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PdfRenderer:
    """Renders `<slug>/<slug>.pdf`: A4, tagged (PDF/UA-1, or PDF/A-3 by configuration), fonts embedded, reproducible."""

    format = "pdf"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        config = context.config
        photos = {p.filename: p.source for p in view.release.photos}
        css = templates.theme_file(config, "pdf.css").read_text(encoding="utf-8")
        html = context.env.get_template("release.pdf.html.j2").render(
            v=view,
            site=context.site,
            lang=view.release.lang,
            locale=language.get(view.release.lang),
            asset=lambda name: photos[name].as_uri(),
            logo=_logo(config),
        )
        roots = [config.root, templates.THEME]
        fetcher = ConfinedFetcher(roots)
        target = folder / view.pdf_name
        collector = _Collect()
        logger = logging.getLogger("weasyprint")
        logger.addHandler(collector)
        try:
            document = weasyprint.HTML(string=html, base_url=config.root.as_uri() + "/", url_fetcher=fetcher)
            stylesheet = weasyprint.CSS(string=css, base_url=templates.THEME.as_uri() + "/", url_fetcher=fetcher)
            # Tags are asked for explicitly so that the PDF/A-3 variants stay accessible too.
            document.write_pdf(target, stylesheets=[stylesheet], pdf_variant=config.pdf_variant, pdf_tags=True)
        except FatalURLFetchingError as exc:
            raise RenderError(f"PDF: {exc}") from None
        finally:
            logger.removeHandler(collector)
        if collector.messages:
            target.unlink(missing_ok=True)
            raise RenderError("PDF: " + "; ".join(dict.fromkeys(collector.messages)))
        return target
