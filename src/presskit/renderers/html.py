"""The release's web page in the newsroom (Jinja2)."""

from __future__ import annotations

from pathlib import Path

from presskit import language, linkpreview
from presskit.renderers import RenderContext
from presskit.view import ReleaseView


class HtmlRenderer:
    """Renders `<slug>/index.html`."""

    format = "html"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        sizes = {
            "pdf": (folder / view.pdf_name).stat().st_size,
            "docx": (folder / view.docx_name).stat().st_size,
        }
        html = context.env.get_template("release.html.j2").render(
            v=view,
            site=context.site,
            lang=view.release.lang,
            locale=language.get(view.release.lang),
            root="../",
            asset=lambda name: name,
            sizes=sizes,
            json_ld=linkpreview.json_ld(view, context.site),
            social_tags=linkpreview.social_tags(view, context.site),
        )
        target = folder / "index.html"
        target.write_text(html, encoding="utf-8")
        return target
