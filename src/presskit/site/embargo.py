"""Private copies of embargoed releases: the index of the folder the press office sends from."""

from __future__ import annotations

from presskit.site import newsroom
from presskit.site.context import RenderContext, SiteFiles
from presskit.site.view import ReleaseView
from presskit.text import language


def write_index(copies: list[ReleaseView], files: SiteFiles, context: RenderContext) -> None:
    """A plain list of the embargoed releases with their notices; never published."""
    lang = context.config.lang
    html = context.env.get_template("embargoed.html.j2").render(
        views=sorted(copies, key=lambda v: v.release.embargo),
        site=context.site,
        lang=lang,
        locale=language.get(lang),
        root="",
        feeds=[],
        site_languages=[],
    )
    files.write("index.html", html)
    newsroom.write_assets(files, context)  # the index's masthead shows the logo, as the newsroom's does
