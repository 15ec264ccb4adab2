"""The release's web page in the newsroom (Jinja2)."""

from __future__ import annotations

from pathlib import Path

from presskit.site import linkpreview, sections
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView, language_name
from presskit.text import language, tags


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
            feeds=page_feeds(view, context),
            site_languages=[(code, language_name(code)) for code in context.languages],
            language_name=language_name,
            tag_slug=tags.slug,
            tag_links=not view.embargo_copy,
            json_ld=linkpreview.json_ld(view, context.site),
            social_tags=linkpreview.social_tags(view, context.site),
        )
        target = folder / "index.html"
        target.write_text(html, encoding="utf-8")
        return target


def page_feeds(view: ReleaseView, context: RenderContext) -> list[dict]:
    """The feeds a release page advertises: the newsroom's and its language's, RSS, Atom and JSON Feed."""
    if view.embargo_copy:
        return []
    title = context.site.feed_title
    lang = view.release.lang
    feeds = []
    for name, media_type in sections.FEED_TYPES.items():
        suffix = sections.FEED_SUFFIXES[name]
        feeds.append({"title": title + suffix, "href": f"../{name}", "type": media_type})
        feeds.append(
            {"title": f"{title} ({language_name(lang)}){suffix}", "href": f"../{lang}/{name}", "type": media_type}
        )
    return feeds
