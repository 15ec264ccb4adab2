"""The newsroom's listing pages (all releases, per language, per tag, paginated), its stylesheet and logo."""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

from presskit.build.staging import Staging
from presskit.renderers import RenderContext
from presskit.site import linkpreview, templates
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
    feeds: tuple[tuple[str, str], ...] = field(default=())  # (title, path of the RSS feed)


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


def newest_first(views: list[ReleaseView]) -> list[ReleaseView]:
    return sorted(views, key=lambda v: v.release.sort_key, reverse=True)


def languages(views: list[ReleaseView]) -> list[str]:
    """Languages with at least one published release, in a stable order."""
    return sorted({v.release.lang for v in views})


def listings(views: list[ReleaseView], context: RenderContext) -> list[Listing]:
    """Every listing of the newsroom: all releases, each language, each tag."""
    config = context.config
    ordered = newest_first(views)
    langs = languages(views)
    base = config.base_url
    lang_alternates = tuple((code, urls.absolute(base, f"{code}/")) for code in langs) + (
        ("x-default", urls.absolute(base, "")),
    )
    found = [
        Listing(
            "",
            language.get(config.lang).label("all_releases"),
            config.lang,
            ordered,
            lang_alternates if len(langs) > 1 else (),
            ((context.site.feed_title, "feed.xml"),),
        ),
    ]
    for code in langs:
        found.append(
            Listing(
                f"{code}/",
                f"{language.get(code).label('all_releases')} ({language_name(code)})",
                code,
                [v for v in ordered if v.release.lang == code],
                lang_alternates if len(langs) > 1 else (),
                ((f"{context.site.feed_title} ({language_name(code)})", f"{code}/feed.xml"),),
            )
        )
    for tag_slug, (tag, tagged) in tags.index(ordered).items():
        found.append(
            Listing(
                f"tags/{tag_slug}/",
                language.get(config.lang).label("tag_page", tag=tag),
                config.lang,
                tagged,
                (),
                ((f"{context.site.feed_title} ({tag})", f"tags/{tag_slug}/feed.xml"),),
            )
        )
    return found


def page_path(listing_path: str, number: int) -> str:
    """Where page `number` of a listing lives, relative to the site root."""
    return f"{listing_path}index.html" if number == 1 else f"{listing_path}page/{number}/index.html"


def write(views: list[ReleaseView], staging: Staging, context: RenderContext) -> list[str]:
    """Write every listing page and the stylesheet; return the listing pages' paths (for the sitemap)."""
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
                {"title": title, "href": root + href, "type": "application/rss+xml"} for title, href in listing.feeds
            ]
            feeds += [
                {
                    "title": f"{title} (Atom)",
                    "href": root + href.replace("feed.xml", "atom.xml"),
                    "type": "application/atom+xml",
                }
                for title, href in listing.feeds
            ]
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
            staging.write(path, html)
            written.append(path)
    write_assets(staging, context)
    return written


def write_assets(staging: Staging, context: RenderContext) -> None:
    """The pages' stylesheet and the organization's logo (shown in the masthead, named in link previews)."""
    staging.write("newsroom.css", templates.theme_file(context.config, "newsroom.css").read_bytes())
    if context.config.logo is not None:
        staging.write(context.site.logo_name, context.config.logo.read_bytes())
