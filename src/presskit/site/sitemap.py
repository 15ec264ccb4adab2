"""sitemap.xml (with hreflang alternates for translated releases) and the robots.txt that points to it."""

from __future__ import annotations

from lxml import etree

from presskit.site.context import RenderContext, SiteFiles
from presskit.site.view import ReleaseView
from presskit.text import urls

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def write(views: list[ReleaseView], listing_pages: list[str], files: SiteFiles, context: RenderContext) -> None:
    """List every published release page and every listing page; translations carry their alternates."""
    base = context.config.base_url
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS, "xhtml": XHTML_NS})
    newest = max((v.last_change for v in views), default=None)
    for path in listing_pages:
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = urls.absolute(base, path.removesuffix("index.html"))
        if newest is not None:
            etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = newest.isoformat()
    for view in sorted(views, key=lambda v: v.slug):
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
    files.write("sitemap.xml", etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))
    files.write("robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {urls.absolute(base, 'sitemap.xml')}\n")
