"""The newsroom front page (out/index.html), its stylesheet and the organization's logo."""

from __future__ import annotations

import shutil

from presskit import language, templates
from presskit.renderers import RenderContext
from presskit.staging import Staging
from presskit.view import ReleaseView


def write(views: list[ReleaseView], staging: Staging, context: RenderContext) -> None:
    """Write the index of published releases, newest first, and the shared stylesheet."""
    ordered = sorted(views, key=lambda v: v.release.sort_key, reverse=True)
    html = context.env.get_template("index.html.j2").render(
        views=ordered,
        site=context.site,
        lang=context.config.lang,
        locale=language.get(context.config.lang),
        root="",
    )
    staging.path("index.html").write_text(html, encoding="utf-8")
    shutil.copyfile(templates.theme_file(context.config, "newsroom.css"), staging.path("newsroom.css"))
    if context.config.logo is not None:  # shown in the masthead and named in link previews
        shutil.copyfile(context.config.logo, staging.path(context.config.logo.name))
