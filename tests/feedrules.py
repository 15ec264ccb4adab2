"""The W3C Feed Validation Service's rules for RSS 2.0 and Atom 1.0, as checks on a parsed feed.

The W3C validator (feedvalidator.org) is Python 2 and online-only; these are its checks that apply to
what presskit writes: required elements, RFC 822 / RFC 3339 dates, absolute URLs, enclosure
attributes, unique ids, a self link that matches the feed's address, known elements only.
Each function returns a list of problems (empty when the feed is valid).
"""

from __future__ import annotations

import re
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"
MEDIA = "http://search.yahoo.com/mrss/"
RFC822 = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}$")
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
MIME = re.compile(r"^[a-z]+/[a-z0-9.+-]+$")
CHANNEL_CHILDREN = {"title", "link", "description", "language", "copyright", "managingEditor", "webMaster", "pubDate",
                    "lastBuildDate", "category", "generator", "docs", "cloud", "ttl", "image", "rating", "textInput",
                    "skipHours", "skipDays", "item"}  # fmt: skip
ITEM_CHILDREN = {"title", "link", "description", "author", "category", "comments", "enclosure", "guid", "pubDate", "source"}
KNOWN_NAMESPACES = {ATOM, CONTENT, DC, MEDIA}


def _absolute(url: str | None) -> bool:
    parts = urlsplit(url or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def check_rss(data: bytes, location: str, sizes: dict[str, int] | None = None) -> list[str]:
    """Problems in an RSS 2.0 document served at `location`; `sizes` maps enclosure URLs to byte sizes."""
    problems: list[str] = []
    root = etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["root element must be <rss version=\"2.0\">"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return ["exactly one <channel> is required"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel: missing or empty <{name}>")
    if not _absolute(channel.findtext("link")):
        problems.append("channel: <link> must be an absolute URL")
    language = channel.findtext("language")
    if language is not None and not LANGUAGE.match(language):
        problems.append(f"channel: invalid language {language!r}")
    for child in channel:
        problems += _check_element(child, CHANNEL_CHILDREN, "channel")
    for name in ("pubDate", "lastBuildDate"):
        problems += _check_rfc822(channel.findtext(name), f"channel <{name}>")
    selfs = [link for link in channel.findall(f"{{{ATOM}}}link") if link.get("rel") == "self"]
    if len(selfs) != 1:
        problems.append("channel: exactly one atom:link rel=\"self\" is required")
    elif selfs[0].get("href") != location or selfs[0].get("type") != "application/rss+xml":
        problems.append(f"channel: self link {selfs[0].get('href')!r} does not match the feed's location {location!r}")
    guids = set()
    for number, item in enumerate(channel.findall("item"), 1):
        where = f"item {number}"
        if not (item.findtext("title") or item.findtext("description")):
            problems.append(f"{where}: needs a title or a description")
        for child in item:
            problems += _check_element(child, ITEM_CHILDREN, where)
        if not _absolute(item.findtext("link")):
            problems.append(f"{where}: <link> must be an absolute URL")
        guid = item.find("guid")
        if guid is None or not (guid.text or "").strip():
            problems.append(f"{where}: missing <guid>")
        else:
            if guid.get("isPermaLink", "true") == "true" and not _absolute(guid.text):
                problems.append(f"{where}: a permalink guid must be an absolute URL")
            if guid.text in guids:
                problems.append(f"{where}: duplicate guid {guid.text!r}")
            guids.add(guid.text)
        problems += _check_rfc822(item.findtext("pubDate"), f"{where} <pubDate>")
        for enclosure in item.findall("enclosure"):
            url, length, kind = enclosure.get("url"), enclosure.get("length"), enclosure.get("type")
            if not _absolute(url):
                problems.append(f"{where}: enclosure url must be an absolute URL")
            if not (length or "").isdigit() or int(length) <= 0:
                problems.append(f"{where}: enclosure length must be a positive number of bytes")
            elif sizes is not None and sizes.get(url) != int(length):
                problems.append(f"{where}: enclosure length {length} is not the size of {url} ({sizes.get(url)})")
            if not MIME.match(kind or ""):
                problems.append(f"{where}: enclosure type must be a MIME type")
        for category in item.findall("category"):
            if not (category.text or "").strip():
                problems.append(f"{where}: empty <category>")
        for media in item.iter(f"{{{MEDIA}}}content"):
            if not _absolute(media.get("url")) or media.get("medium") not in ("image", "audio", "video", "document", "executable"):
                problems.append(f"{where}: media:content needs an absolute url and a known medium")
            for attribute in ("width", "height", "fileSize"):
                if media.get(attribute) is not None and not media.get(attribute).isdigit():
                    problems.append(f"{where}: media:content {attribute} must be a whole number")
        lang = item.findtext(f"{{{DC}}}language")
        if lang is not None and not LANGUAGE.match(lang):
            problems.append(f"{where}: invalid dc:language {lang!r}")
    return problems


def _check_element(element, allowed: set[str], where: str) -> list[str]:
    if not isinstance(element.tag, str):
        return []
    namespace = etree.QName(element).namespace
    if namespace is None:
        return [] if element.tag in allowed else [f"{where}: undefined element <{element.tag}>"]
    return [] if namespace in KNOWN_NAMESPACES else [f"{where}: element in unknown namespace {namespace}"]


def _check_rfc822(value: str | None, where: str) -> list[str]:
    if value is None:
        return []
    if not RFC822.match(value):
        return [f"{where}: {value!r} is not an RFC 822 date with a four-digit year"]
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return [f"{where}: {value!r} is not a real date"]
    return []


def check_atom(data: bytes, location: str) -> list[str]:
    """Problems in an Atom 1.0 document served at `location` (RFC 4287)."""
    problems: list[str] = []
    root = etree.fromstring(data)
    if root.tag != f"{{{ATOM}}}feed":
        return ["root element must be atom:feed"]
    a = lambda name: f"{{{ATOM}}}{name}"  # noqa: E731
    for name in ("id", "title", "updated"):
        if len(root.findall(a(name))) != 1:
            problems.append(f"feed: exactly one atom:{name} is required")
    if not _absolute(root.findtext(a("id"))):
        problems.append("feed: atom:id must be an absolute IRI")
    if not RFC3339.match(root.findtext(a("updated")) or ""):
        problems.append("feed: atom:updated must be an RFC 3339 date-time")
    feed_author = root.find(a("author"))
    if feed_author is not None and not (feed_author.findtext(a("name")) or "").strip():
        problems.append("feed: atom:author needs a name")
    links = root.findall(a("link"))
    selfs = [link for link in links if link.get("rel") == "self"]
    if len(selfs) != 1 or selfs[0].get("href") != location:
        problems.append(f"feed: one rel=\"self\" link to {location!r} is required")
    problems += _duplicate_alternates(links, "feed")
    ids = set()
    for number, entry in enumerate(root.findall(a("entry")), 1):
        where = f"entry {number}"
        for name in ("id", "title", "updated"):
            if len(entry.findall(a(name))) != 1:
                problems.append(f"{where}: exactly one atom:{name} is required")
        entry_id = entry.findtext(a("id"))
        if not _absolute(entry_id):
            problems.append(f"{where}: atom:id must be an absolute IRI")
        if entry_id in ids:
            problems.append(f"{where}: duplicate atom:id {entry_id!r}")
        ids.add(entry_id)
        for name in ("updated", "published"):
            value = entry.findtext(a(name))
            if value is not None and not RFC3339.match(value):
                problems.append(f"{where}: atom:{name} {value!r} is not an RFC 3339 date-time")
        if feed_author is None and entry.find(a("author")) is None:
            problems.append(f"{where}: an author is required (on the entry or the feed)")
        content = entry.find(a("content"))
        entry_links = entry.findall(a("link"))
        if content is None and not any(link.get("rel", "alternate") == "alternate" for link in entry_links):
            problems.append(f"{where}: needs atom:content or an alternate link")
        if content is not None and content.get("type") not in ("text", "html", "xhtml"):
            problems.append(f"{where}: atom:content type must be text, html or xhtml")
        for link in entry_links:
            if not _absolute(link.get("href")):
                problems.append(f"{where}: link href must be an absolute URL")
            if link.get("length") is not None and not link.get("length").isdigit():
                problems.append(f"{where}: link length must be a number of bytes")
        problems += _duplicate_alternates(entry_links, where)
    return problems


def _duplicate_alternates(links, where: str) -> list[str]:
    seen = set()
    problems = []
    for link in links:
        if link.get("rel", "alternate") != "alternate":
            continue
        key = (link.get("type"), link.get("hreflang"))
        if key in seen:
            problems.append(f"{where}: two alternate links with the same type and hreflang")
        seen.add(key)
    return problems
