"""The RSS 2.0 feed that news aggregators read (feedgen lives only in this module)."""

from __future__ import annotations

import datetime as dt
import html
import os

from feedgen.feed import FeedGenerator
from lxml import etree

from presskit import language, urls
from presskit.renderers import RenderContext
from presskit.staging import Staging
from presskit.view import ReleaseView

GENERATOR = "presskit"


def write(views: list[ReleaseView], staging: Staging, context: RenderContext) -> None:
    """Write out/feed.xml: one item per published release, newest first, dated from the content."""
    ordered = sorted(views, key=lambda v: v.release.sort_key, reverse=True)
    site = context.site
    config = context.config
    feed = FeedGenerator()
    feed.title(site.feed_title)
    feed.link(href=config.base_url, rel="alternate")
    feed.link(href=urls.absolute(config.base_url, "feed.xml"), rel="self")
    feed.description(site.feed_description)
    feed.language(config.lang)
    feed.generator(GENERATOR)
    # feedgen stamps lastBuildDate with the clock unless told otherwise: the date comes from the content,
    # or from SOURCE_DATE_EPOCH for an empty feed; with neither, the element is left out.
    stamp = max((v.published for v in ordered), default=None) or _source_date_epoch()
    if stamp is not None:
        feed.lastBuildDate(stamp)
        feed.pubDate(stamp)
    content_template = context.env.get_template("feed-item.html.j2")
    for view in ordered:
        release = view.release
        entry = feed.add_entry(order="append")
        entry.title(release.title)
        entry.link(href=view.absolute())
        entry.guid(view.absolute(), permalink=True)
        entry.pubDate(view.published)
        # Aggregators read <description> as HTML: escape the plain-text lead so it stays text.
        entry.description(html.escape(view.summary))
        photos = {p.filename: view.absolute(p.filename) for p in release.photos}
        entry.content(
            content_template.render(
                v=view,
                site=site,
                locale=language.get(release.lang),
                asset=photos.__getitem__,
                heading_level=2,
            ),
            type="html",
        )
        pdf = staging.path(f"{release.slug}/{view.pdf_name}")
        entry.enclosure(view.absolute(view.pdf_name), str(pdf.stat().st_size), "application/pdf")
        for tag in release.tags:
            entry.category(term=tag)
    data = feed.rss_str(pretty=True)
    if stamp is None:
        data = _without_last_build_date(data)
    staging.path("feed.xml").write_bytes(data)


def _source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as an aware datetime, when set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)


def _without_last_build_date(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for element in root.findall("channel/lastBuildDate"):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = element.tail
        element.getparent().remove(element)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
