"""The newsroom's sections (all releases, each language, each tag): their folders and feed files, for listings, feeds and the sitemap."""

from __future__ import annotations

from dataclasses import dataclass

from presskit.site.view import ReleaseView
from presskit.text import tags

RSS = "feed.xml"  # every section's RSS 2.0 feed, in its folder
ATOM = "atom.xml"  # and its Atom 1.0 feed
JSON = "feed.json"  # and its JSON Feed 1.1
FEED_TYPES = {RSS: "application/rss+xml", ATOM: "application/atom+xml", JSON: "application/feed+json"}
FEED_SUFFIXES = {RSS: "", ATOM: " (Atom)", JSON: " (JSON Feed)"}  # after the feed's title in the pages' links


@dataclass(frozen=True)
class Section:
    """One part of the newsroom with its own listing pages and feeds."""

    kind: str  # "all", "language" or "tag"
    folder: str  # relative to the site root: "", "fr/" or "tags/energy/"
    name: str  # "" for all, the language code, or the tag as first written
    views: list[ReleaseView]  # newest first

    def feed(self, name: str = RSS) -> str:
        """The path of one of the section's feeds, relative to the site root."""
        return self.folder + name


def is_feed(relative: str) -> bool:
    """True for the path of a section's feed (`tags/energy/atom.xml`), relative to the site root."""
    return relative.rpartition("/")[2] in FEED_TYPES


def newest_first(views: list[ReleaseView]) -> list[ReleaseView]:
    return sorted(views, key=lambda v: v.release.sort_key, reverse=True)


def languages(views: list[ReleaseView]) -> list[str]:
    """Languages with at least one published release, in a stable order."""
    return sorted({v.release.lang for v in views})


def sections(views: list[ReleaseView]) -> list[Section]:
    """Every section of the newsroom, in a stable order: all releases, each language, each tag (by slug)."""
    ordered = newest_first(views)
    found = [Section("all", "", "", ordered)]
    for code in languages(views):
        found.append(Section("language", f"{code}/", code, [v for v in ordered if v.release.lang == code]))
    for tag_slug, (tag, tagged) in tags.index(ordered).items():
        found.append(Section("tag", f"tags/{tag_slug}/", tag, tagged))
    return found
