"""JSON Feed 1.1 (jsonfeed.org/version/1.1): each section's `feed.json`, with the same items as its RSS and Atom feeds.

site/feed.py computes each channel and item once and hands them here; nothing comes from the clock and the
keys keep a fixed order (compact JSON: `json` encodes it in C), so building twice gives byte-identical files.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from presskit.site import sections
from presskit.site.context import RenderContext, SiteFiles
from presskit.text import urls

VERSION = "https://jsonfeed.org/version/1.1"
PRESS_KIT_SUFFIX = "-press-kit.zip"  # out/<slug>/<slug>-press-kit.zip, when the build made one
PRESS_KIT_TYPE = "application/zip"


def write(
    channels: Iterable[Any],
    items: Mapping[str, Any],
    files: SiteFiles,
    context: RenderContext,
    locate: Callable[[str], Path],
) -> None:
    """Write the JSON Feed of each channel (a feed.Channel) with its items (feed.Item by slug), in its order.

    `locate` tells where a release's file of this build is: an attachment's size is its file's. A release
    in several feeds is encoded once.
    """
    encoded: dict[str, str] = {}
    for channel in channels:
        for view in channel.views:
            if view.slug not in encoded:
                encoded[view.slug] = _dumps(_item(items[view.slug], context.site.organization, locate))
        head = _dumps(_channel(channel, context))  # {"version":...,"language":...}: the items go last
        body = ",".join(encoded[view.slug] for view in channel.views)
        files.write(channel.folder + sections.JSON, f'{head[:-1]},"items":[{body}]}}\n')


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _channel(channel: Any, context: RenderContext) -> dict[str, Any]:
    config, site = context.config, context.site
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": channel.title,
        "home_page_url": urls.absolute(config.base_url, channel.folder),
        "feed_url": urls.absolute(config.base_url, channel.folder + sections.JSON),
        "description": channel.description,
    }
    if config.logo is not None:
        logo = urls.absolute(config.base_url, site.logo_name)
        feed["icon"] = logo
        feed["favicon"] = logo
    feed["authors"] = [{"name": site.organization, "url": urls.absolute(config.base_url, "")}]
    feed["language"] = channel.lang
    if config.websub_hub:
        feed["hubs"] = [{"type": "WebSub", "url": urls.uri(config.websub_hub)}]
    return feed


def _item(item: Any, organization: str, locate: Callable[[str], Path]) -> dict[str, Any]:
    view = item.view
    release = view.release
    entry: dict[str, Any] = {
        "id": item.url,
        "url": item.url,
        "title": view.title_in_lists,
        "content_html": item.full_text,
        "summary": view.summary,
    }
    if item.photos:
        entry["image"] = item.photos[0]["url"]
    entry["date_published"] = view.published.isoformat()
    entry["date_modified"] = view.last_change.isoformat()
    entry["authors"] = [{"name": organization}]
    if release.tags:
        entry["tags"] = list(release.tags)
    entry["language"] = release.lang
    entry["attachments"] = [
        {"url": item.pdf_url, "mime_type": "application/pdf", "title": view.pdf_name, "size_in_bytes": item.pdf_size}
    ]
    kit = press_kit_name(view.slug)
    kit_path = locate(f"{view.slug}/{kit}")
    if kit_path.is_file():
        entry["attachments"].append(
            {
                "url": view.absolute(kit),
                "mime_type": PRESS_KIT_TYPE,
                "title": kit,
                "size_in_bytes": kit_path.stat().st_size,
            }
        )
    return entry


def press_kit_name(slug: str) -> str:
    """The file name of a release's press kit, in its folder."""
    return slug + PRESS_KIT_SUFFIX
