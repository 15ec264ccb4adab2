"""The sitemap index, its sitemaps (the listing pages; the release pages, one per year) and robots.txt.

The index (sitemap.xml) is what robots.txt names; translated releases carry their hreflang alternates.
"""

from __future__ import annotations

from lxml import etree

from presskit.site.context import Carryover, RenderContext, SiteFiles
from presskit.site.view import ReleaseView
from presskit.text import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
INDEX = "sitemap.xml"  # the sitemap index, named in robots.txt
PAGES = "sitemap-pages.xml"  # the listing pages
LIMIT = 50_000  # URLs in one sitemap, by the protocol (sitemaps.org): a bigger year is split in parts


def write(
    views: list[ReleaseView],
    listing_pages: list[str],
    files: SiteFiles,
    context: RenderContext,
    carryover: Carryover | None = None,
) -> None:
    """List every published release page and every listing page; translations carry their alternates.

    A year's sitemap whose releases are those of the published build is carried over with a `carryover`.
    """
    base = context.config.base_url
    newest = max((v.last_change for v in views), default=None)
    sitemaps: list[tuple[str, object]] = []  # (file, its newest change)
    for number, start in enumerate(range(0, max(len(listing_pages), 1), LIMIT), 1):
        name = PAGES if number == 1 else f"sitemap-pages-{number}.xml"
        root = _urlset()
        for path in listing_pages[start : start + LIMIT]:
            url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
            etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(base, path.removesuffix("index.html"))
            if newest is not None:
                etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = newest.isoformat()
        files.write(name, _serialize(root))
        sitemaps.append((name, newest))
    years: dict[int, list[ReleaseView]] = {}
    for view in sorted(views, key=lambda v: v.slug):
        years.setdefault(view.published.year, []).append(view)
    for year, group in sorted(years.items()):
        for number, start in enumerate(range(0, len(group), LIMIT), 1):
            part = group[start : start + LIMIT]
            name = f"sitemap-{year}.xml" if number == 1 else f"sitemap-{year}-{number}.xml"
            sitemaps.append((name, max(v.last_change for v in part)))
            if carryover is None or not carryover.unchanged(name, carryover.key("sitemap", [name], part)):
                files.write(name, _releases(part))
    index = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap={None: SITEMAP_NS})
    for name, changed in sitemaps:
        sitemap = etree.SubElement(index, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(base, name)
        if changed is not None:
            etree.SubElement(sitemap, f"{{{SITEMAP_NS}}}lastmod").text = changed.isoformat()
    files.write(INDEX, _serialize(index))
    files.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base, INDEX)}\n")


def _urlset() -> etree._Element:
    return etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})


def _releases(views: list[ReleaseView]) -> bytes:
    """One sitemap of release pages, with the alternates of translated releases."""
    root = _urlset()
    for view in views:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = view.absolute()
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = view.last_change.isoformat()
        if view.translations:
            group = [(view.release.lang, view.absolute())] + [
                (t.lang, view.absolute_for(t.slug)) for t in view.translations
            ]
            group.append(("x-default", view.absolute_for(view.original)))
            for hreflang, href in sorted(group[:-1]) + group[-1:]:
                etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=hreflang, href=href)
    return _serialize(root)


def _serialize(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
