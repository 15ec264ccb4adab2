"""Tags: the URL-safe slug of a tag, shared by tag pages, tag feeds and the links to them."""

from __future__ import annotations

import functools
import re
import unicodedata


@functools.cache  # an archive has few tags, each asked for once per release that carries it
def slug(tag: str) -> str:
    """'Appel à projets' -> 'appel-a-projets'; scripts without Latin letters keep their characters."""
    text = unicodedata.normalize("NFKD", tag.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[^\w]+", "-", text).strip("-_")
    return text or "tag"


def index(views) -> dict[str, tuple[str, list]]:
    """tag slug -> (the tag as first written, the views carrying it), in slug order."""
    found: dict[str, tuple[str, list]] = {}
    for view in views:
        for tag in view.release.tags:
            found.setdefault(slug(tag), (tag, []))[1].append(view)
    return dict(sorted(found.items()))
