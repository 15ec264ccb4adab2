"""The newsroom's listing pages (all releases, per language, per tag, paginated), its stylesheet and logo."""

from __future__ import annotations

from dataclasses import astuple, dataclass, field

from markupsafe import Markup

from presskit.site import linkpreview, sections, templates
from presskit.site.context import Carryover, RenderContext, SiteFiles
from presskit.site.sections import languages
from presskit.site.view import ReleaseView, language_name
from presskit.text import language, tags, urls

ROOT_MARK = "\ue000presskit-root\ue000/"  # a private-use character: never in typeset release text


@dataclass(frozen=True)
class Listing:
    """One listing (all, a language, a tag) before pagination: where it lives and what it shows."""

    path: str  # folder relative to the site root, "" or "en/" or "tags/energy/"
    title: str
    lang: str
    views: list[ReleaseView]
    alternates: tuple[tuple[str, str], ...] = ()  # (hreflang, absolute URL)
    feeds: tuple[tuple[str, str], ...] = field(default=())  # (title, folder of the section's feeds)


@dataclass(frozen=True)
class Page:
    """One page of a listing, with what the template needs for navigation."""

    title: str
    url: str
    page: int
    pages: int
    alternates: tuple[tuple[str, str], ...]
    previous_path: str = ""
    next_path: str = ""
    previous: str = ""
    next: str = ""


def listings(views: list[ReleaseView], context: RenderContext) -> list[Listing]:
    """Every listing of the newsroom: one per section (all releases, each language, each tag)."""
    config = context.config
    langs = languages(views)
    base = config.base_url
    lang_alternates = tuple((code, urls.absolute(base, f"{code}/")) for code in langs) + (
        ("x-default", urls.absolute(base, "")),
    )
    feed_title = context.site.feed_title
    found = []
    for section in sections.sections(views):
        if section.kind == "all":
            title, lang, alternates, feed = (
                language.get(config.lang).label("all_releases"),
                config.lang,
                True,
                feed_title,
            )
        elif section.kind == "language":
            code = section.name
            title = f"{language.get(code).label('all_releases')} ({language_name(code)})"
            lang, alternates, feed = code, True, f"{feed_title} ({language_name(code)})"
        else:
            title = language.get(config.lang).label("tag_page", tag=section.name)
            lang, alternates, feed = config.lang, False, f"{feed_title} ({section.name})"
        found.append(
            Listing(
                section.folder,
                title,
                lang,
                section.views,
                lang_alternates if alternates and len(langs) > 1 else (),
                ((feed, section.folder),),
            )
        )
    return found


def page_path(listing_path: str, number: int) -> str:
    """Where page `number` of a listing lives, relative to the site root."""
    return f"{listing_path}index.html" if number == 1 else f"{listing_path}page/{number}/index.html"


def write(
    views: list[ReleaseView], files: SiteFiles, context: RenderContext, carryover: Carryover | None = None
) -> list[str]:
    """Write every listing page and the stylesheet; return the listing pages' paths (for the sitemap).

    With a `carryover`, a page whose entries, neighbours and titles are those of the published build is not
    made again: the published one is carried over.
    """
    env = context.env
    template = env.get_template("index.html.j2")
    summary_template = env.get_template("release-summary.html.j2")
    # A release appears on several listing pages at several depths: its entry is rendered once, with a
    # placeholder where the path to the site root goes, and the placeholder is replaced on each page.
    rendered: dict[str, str] = {}

    def summary_at(root: str):
        def summary(view: ReleaseView) -> Markup:
            if view.slug not in rendered:
                rendered[view.slug] = summary_template.render(v=view, root=ROOT_MARK, tag_slug=tags.slug)
            return Markup(rendered[view.slug].replace(ROOT_MARK, root))

        return summary

    size = context.config.page_size
    langs = languages(views)
    written = []
    for listing in listings(views, context):
        chunks = [listing.views[i : i + size] for i in range(0, len(listing.views), size)] or [[]]
        for number, chunk in enumerate(chunks, 1):
            path = page_path(listing.path, number)
            depth = path.count("/")
            root = "../" * depth
            previous_path = page_path(listing.path, number - 1) if number > 1 else ""
            next_path = page_path(listing.path, number + 1) if number < len(chunks) else ""
            page = Page(
                title=listing.title,
                url=urls.absolute(context.config.base_url, path.removesuffix("index.html")),
                page=number,
                pages=len(chunks),
                alternates=listing.alternates if number == 1 else (),
                previous_path=previous_path,
                next_path=next_path,
                previous=urls.absolute(context.config.base_url, previous_path.removesuffix("index.html"))
                if previous_path
                else "",
                next=urls.absolute(context.config.base_url, next_path.removesuffix("index.html")) if next_path else "",
            )
            feeds = [
                {"title": title + sections.FEED_SUFFIXES[name], "href": root + folder + name, "type": media_type}
                for name, media_type in sections.FEED_TYPES.items()
                for title, folder in listing.feeds
            ]
            written.append(path)
            if carryover is not None:
                key = carryover.key("listing", [astuple(page), listing.lang, feeds, langs], chunk)
                if carryover.unchanged(path, key):
                    continue
            html = template.render(
                views=chunk,
                listing=page,
                site=context.site,
                lang=listing.lang,
                locale=language.get(listing.lang),
                root=root,
                feeds=feeds,
                site_languages=[(code, language_name(code)) for code in langs],
                tag_slug=tags.slug,
                summary=summary_at(root),
                social_tags=linkpreview.listing_tags(page.title, page.url, listing.lang, context.site),
                json_ld=linkpreview.listing_json_ld(page.title, page.url, listing.lang, chunk, context.site),
            )
            files.write(path, html)
    write_assets(files, context)
    return written


def write_assets(files: SiteFiles, context: RenderContext) -> None:
    """The pages' stylesheet and the organization's logo (shown in the masthead, named in link previews)."""
    files.write("newsroom.css", templates.theme_file(context.config, "newsroom.css").read_bytes())
    if context.config.logo is not None:
        files.write(context.site.logo_name, context.config.logo.read_bytes())
