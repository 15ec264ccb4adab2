"""One renderer per document format behind one small interface, and the registry that names them.

Renderers are imported only when something must be rendered, so that a build with nothing
to render never pays for importing WeasyPrint or python-docx.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol

from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView


class RenderError(Exception):
    """A release could not be rendered in one format; the message is for the press officer."""


class Renderer(Protocol):
    """Writes one format of one release into that release's output folder."""

    format: str

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path: ...


# Order matters: the agency files (ninjs, NewsML-G2) give the sizes of the PDF and DOCX, and the HTML page
# shows the sizes of the files before it, so it comes last (and the agency files cannot give the page's size).
REGISTRY = {
    "pdf": "presskit.renderers.pdf:PdfRenderer",
    "docx": "presskit.renderers.docx:DocxRenderer",
    "ninjs": "presskit.renderers.ninjs:NinjsRenderer",
    "newsml": "presskit.renderers.newsml:NewsmlRenderer",
    "html": "presskit.renderers.html:HtmlRenderer",
}


def get(fmt: str) -> Renderer:
    """An instance of the renderer registered for a format."""
    module, _, name = REGISTRY[fmt].partition(":")
    return getattr(importlib.import_module(module), name)()


def modules() -> list[str]:
    """The module of every registered renderer."""
    return [target.partition(":")[0] for target in REGISTRY.values()]
