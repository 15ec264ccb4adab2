"""Private copies of embargoed releases: the index of the folder the press office sends from."""

from __future__ import annotations


from presskit import language, newsroom
from presskit.renderers import RenderContext
from presskit.staging import Staging
from presskit.view import ReleaseView


def write_index(copies: list[ReleaseView], staging: Staging, context: RenderContext) -> None:
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
    staging.write("index.html", html)
    newsroom.write_assets(staging, context)  # the index's masthead shows the logo, as the newsroom's does
