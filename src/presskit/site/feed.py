"""RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds for aggregators: the newsroom's, one per language, one per tag.

feedgen is used only here. Every date comes from the releases, never from the clock, so building
twice gives byte-identical feeds.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from presskit.site import jsonfeed, sections
from presskit.site.context import Carryover, RenderContext, SiteFiles
from presskit.site.view import ReleaseView, language_name
from presskit.text import language, urls

GENERATOR = "presskit"
MEDIA_NS = "http://search.yahoo.com/mrss/"
ATOM_NS = "http://www.w3.org/2005/Atom"
# The release's files for agency systems (renderers/ninjs.py, renderers/newsml.py), linked from every item.
AGENCY_TYPES = {"ninjs": "application/ninjs+json", "newsml": "application/vnd.iptc.g2.newsitem+xml"}
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Channel:
    """One feed: where it lives, what it is called, which releases it carries."""

    folder: str  # "" or "fr/" or "tags/energy/"
    title: str
    description: str
    lang: str
    views: list[ReleaseView]


class _MediaFeed(BaseExtension):
    """Declares the Media RSS namespace on the feed."""

    def extend_ns(self):
        return {"media": MEDIA_NS}


class _WebSubFeed(BaseExtension):
    """The WebSub hub as `<atom:link rel="hub">` beside the feed's self link, in RSS (through the Atom
    namespace) and in Atom (feedgen writes an RSS channel's atom:link only for rel=self)."""

    def __init__(self):
        self.hub = ""

    def extend_rss(self, feed):
        return self._add(feed.find("channel"), f"{{{ATOM_NS}}}link", feed)

    def extend_atom(self, feed):  # feedgen writes Atom's elements unqualified, under xmlns="...Atom"
        return self._add(feed, "link", feed)

    def _add(self, parent, tag: str, feed):
        hub = etree.SubElement(parent, tag, href=self.hub, rel="hub")
        own = parent.find(f"{tag}[@rel='self']")
        if own is not None:
            own.addnext(hub)
        return feed


class _MediaEntry(BaseEntryExtension):
    """Photos of an item as media:content with media:description and media:credit, and its agency files.

    It also restores the attributes of Atom entry links, which feedgen 1.0 drops (rel, type, length), and adds
    the item's ninjs and NewsML-G2 files as alternate links (atom:link in RSS, which RSS 2.0 allows as an
    extension: its own <link> holds one URL only).
    """

    def __init__(self):
        self.photos: list[dict] = []
        self.links: list[dict] = []
        self.alternates: list[dict] = []

    def extend_rss(self, item):
        for link in self.alternates:
            etree.SubElement(item, f"{{{ATOM_NS}}}link", link)
        return self._media(item)

    def extend_atom(self, entry):
        elements = [child for child in entry if isinstance(child.tag, str) and etree.QName(child).localname == "link"]
        for element, link in zip(elements, self.links, strict=True):
            for key, value in link.items():
                element.set(key, value)
        for link in self.alternates:
            etree.SubElement(entry, elements[0].tag, link)
        return self._media(entry)

    def _media(self, item):
        for photo in self.photos:
            content = etree.SubElement(item, f"{{{MEDIA_NS}}}content")
            for key in ("url", "type", "medium", "width", "height", "fileSize"):
                content.set(key, str(photo[key]))
            description = etree.SubElement(content, f"{{{MEDIA_NS}}}description", type="plain")
            description.text = photo["description"]
            if photo["credit"]:
                credit = etree.SubElement(content, f"{{{MEDIA_NS}}}credit")
                credit.text = photo["credit"]
        return item


def channels(views: list[ReleaseView], context: RenderContext) -> list[Channel]:
    """The newsroom's feeds, one per section (all, each language, each tag), each with its newest `feed_size` items."""
    site = context.site
    found = []
    for section in sections.sections(views):
        if section.kind == "all":
            title, lang = site.feed_title, context.config.lang
        elif section.kind == "language":
            title, lang = f"{site.feed_title} ({language_name(section.name)})", section.name
        else:
            title, lang = f"{site.feed_title} ({section.name})", context.config.lang
        found.append(
            Channel(section.folder, title, site.feed_description, lang, section.views[: context.config.feed_size])
        )
    return found


@dataclass(frozen=True)
class Item:
    """One release as every feed shows it: computed once per build, whatever the number of channels."""

    view: ReleaseView
    url: str
    full_text: str
    pdf_url: str
    pdf_size: int
    photos: tuple[dict, ...]
    press_kit: dict | None  # the Atom link to the press kit (href, rel, type, length), when the build made one


def write(
    views: list[ReleaseView],
    files: SiteFiles,
    context: RenderContext,
    known: dict[str, str],
    locate: Callable[[str], Path],
    carryover: Carryover | None = None,
) -> dict[str, str]:
    """Write the RSS, Atom and JSON feeds of every channel; return the full-text HTML of the releases they
    carry (those of carried-over channels from `known`, when it has them).

    `known` holds full texts of unchanged releases from the previous build, so they are not rendered again;
    `locate` tells where a release's file of this build is (the feed gives the PDF's and photos' sizes).
    With a `carryover`, a channel whose newest items are those of the published build is not made again.
    """
    feeds = channels(views, context)
    carried = {view.slug for channel in feeds for view in channel.views}  # the texts every feed carries now
    if carryover is not None:
        feeds = [channel for channel in feeds if not _carried(channel, carryover)]
    needed = {view.slug: view for channel in feeds for view in channel.views}
    items = _items(list(needed.values()), locate, context, known)
    for channel in feeds:
        generator = _generator(channel, items, context)
        for name, serialize in ((sections.RSS, generator.rss_str), (sections.ATOM, generator.atom_str)):
            generator.link(_links(context.config.base_url, channel.folder, name), replace=True)
            data = serialize(pretty=True)
            if name == sections.RSS and not channel.views and _source_date_epoch() is None:
                data = _without_last_build_date(data)
            files.write(channel.folder + name, data)
    jsonfeed.write(feeds, items, files, context, locate)
    kept = {slug: known[slug] for slug in carried - items.keys() if isinstance(known.get(slug), str)}
    return kept | {slug: item.full_text for slug, item in items.items()}


def _carried(channel: Channel, carryover: Carryover) -> bool:
    """Every feed of a channel (RSS, Atom, JSON) is carried over from the published build (items unchanged)."""
    epoch = None if channel.views else os.environ.get("SOURCE_DATE_EPOCH", "")
    parts = [channel.folder, channel.title, channel.description, channel.lang, epoch]
    key = carryover.key("feed", parts, channel.views)
    carried = [carryover.unchanged(channel.folder + name, key) for name in sections.FEED_TYPES]  # each of them
    return all(carried)


def _items(
    views: list[ReleaseView], locate: Callable[[str], Path], context: RenderContext, known: dict[str, str]
) -> dict[str, Item]:
    template = context.env.get_template("feed-item.html.j2")
    items = {}
    for view in views:
        release = view.release
        full_text = known.get(view.slug)
        if not isinstance(full_text, str):
            photos = {p.filename: view.absolute(p.filename) for p in release.photos}
            full_text = template.render(
                v=view, locale=language.get(release.lang), asset=photos.__getitem__, heading_level=2
            )
        photo_items = tuple(
            {
                "url": view.absolute(p.filename),
                "type": p.media_type,
                "medium": "image",
                "width": p.width,
                "height": p.height,
                "fileSize": locate(f"{release.slug}/{p.filename}").stat().st_size,
                "description": p.caption or p.alt,
                "credit": p.credit,
            }
            for p in release.photos
        )
        size = locate(f"{release.slug}/{view.pdf_name}").stat().st_size
        kit = locate(f"{release.slug}/{view.press_kit_name}")
        press_kit = None
        if kit.is_file():
            press_kit = {
                "href": view.absolute(view.press_kit_name),
                "rel": "related",  # not "enclosure": RSS keeps one enclosure, the PDF
                "type": "application/zip",
                "length": str(kit.stat().st_size),
            }
        items[view.slug] = Item(
            view, view.absolute(), full_text, view.absolute(view.pdf_name), size, photo_items, press_kit
        )
    return items


def _links(base: str, folder: str, name: str) -> list[dict]:
    """The feed's own address (atom:link rel=self must match where it is served) and the channel's web page.

    The web page comes last: feedgen takes the last link as the RSS channel's <link>.
    """
    return [
        {
            "href": urls.absolute(base, folder + name),
            "rel": "self",
            "type": sections.FEED_TYPES[name],
        },
        {"href": urls.absolute(base, folder), "rel": "alternate", "type": "text/html"},
    ]


def _generator(channel: Channel, items: dict[str, Item], context: RenderContext) -> FeedGenerator:
    config = context.config
    base = config.base_url
    feed = FeedGenerator()
    feed.register_extension("media", _MediaFeed, _MediaEntry)
    feed.load_extension("dc")
    feed.id(urls.absolute(base, channel.folder))
    feed.title(channel.title)
    feed.subtitle(channel.description)
    feed.author({"name": context.site.organization})
    feed.language(channel.lang)
    feed.generator(GENERATOR)
    if config.websub_hub:
        feed.register_extension("websub", _WebSubFeed)
        feed.websub.hub = urls.uri(config.websub_hub)
    if config.logo is not None:
        logo = urls.absolute(base, context.site.logo_name)
        feed.logo(logo)
        feed.image(url=logo, title=channel.title, link=urls.absolute(base, channel.folder))  # the channel's <link>
    # feedgen stamps lastBuildDate and updated with the clock unless told otherwise: the date comes from
    # the content, or from SOURCE_DATE_EPOCH for an empty feed; with neither, RSS leaves lastBuildDate out
    # and Atom (which requires one) says 1970-01-01.
    stamp = max((v.last_change for v in channel.views), default=None) or _source_date_epoch()
    feed.lastBuildDate(stamp or EPOCH)
    feed.updated(stamp or EPOCH)
    for view in channel.views:
        _entry(feed.add_entry(order="append"), items[view.slug])
    return feed


def _entry(entry, item: Item) -> None:
    view = item.view
    release = view.release
    entry.id(item.url)
    entry.guid(item.url, permalink=True)
    entry.title(view.title_in_lists)
    entry.link(href=item.url, rel="alternate")
    entry.published(view.published)
    entry.updated(view.last_change)
    entry.pubDate(view.published)
    # Aggregators read <description> as HTML: escape the plain-text lead so it stays text.
    entry.description(html.escape(view.summary))
    entry.content(item.full_text, type="html")
    entry.summary(view.summary, type="text")
    entry.enclosure(item.pdf_url, str(item.pdf_size), "application/pdf")
    entry.media.links = [
        {"href": item.url, "rel": "alternate", "type": "text/html"},
        {"href": item.pdf_url, "rel": "enclosure", "type": "application/pdf", "length": str(item.pdf_size)},
    ]
    if item.press_kit is not None:
        entry.link(item.press_kit)  # Atom only: feedgen's RSS shows alternate and enclosure links alone
        entry.media.links.append(item.press_kit)
    for tag in release.tags:
        entry.category(term=tag)
    entry.dc.dc_language(release.lang)
    entry.media.photos = list(item.photos)
    entry.media.alternates = [
        {"rel": "alternate", "type": AGENCY_TYPES["ninjs"], "href": view.absolute(view.ninjs_name)},
        {"rel": "alternate", "type": AGENCY_TYPES["newsml"], "href": view.absolute(view.newsml_name)},
    ]


def _source_date_epoch() -> dt.datetime | None:
    """SOURCE_DATE_EPOCH (reproducible-builds.org) as an aware datetime, when set to a number."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value.isdigit():
        return None
    return dt.datetime.fromtimestamp(int(value), dt.UTC)


def _without_last_build_date(data: bytes) -> bytes:
    root = etree.fromstring(data)
    for element in root.findall("channel/lastBuildDate"):
        previous = element.getprevious()
        if previous is not None:
            previous.tail = element.tail
        element.getparent().remove(element)
    return etree.tostring(root, pretty_print=True, xml_declaration=True, encoding="UTF-8")
