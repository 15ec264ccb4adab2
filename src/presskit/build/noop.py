"""A build that would change nothing, known before any release is decoded: the key of all the newsroom is made from.

As make or git's index do, the published build's manifest records a key of everything its newsroom depends on:
the site (presskit, the configuration, the templates and logo, the rendering libraries, the base URL), every
release file's own inputs (its bytes and photos, as the state store gives them: no release is decoded), the
options that change the output (--drafts) and SOURCE_DATE_EPOCH; and the window of time in which the same
releases are public: [the latest embargo at or before the build's `now`, the earliest one after it). Nothing
else the newsroom holds depends on `now`. A later build with the same key, whose `now` is in the window and
whose published build is as its manifest records it, does nothing: the releases' warnings are those the load
reported, the same as a build that decodes everything and finds nothing to change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

from presskit.build import manifest, plan
from presskit.build.progress import Silent
from presskit.build.staging import TIDY
from presskit.model import Config
from presskit.sources.checks import microseconds
from presskit.sources.load import Source, project_fingerprint


def record(config: Config, sources: list[Source], drafts: bool, now: dt.datetime) -> dict:
    """The key of what the newsroom built now from these sources is made from, and the window it holds in."""
    parts = [
        project_fingerprint(config),
        plan.templates_fingerprint(config),
        config.base_url,
        drafts,
        os.environ.get("SOURCE_DATE_EPOCH", ""),  # the date of an empty feed
        [(source.path, source.digest) for source in sources],
    ]
    moment = microseconds(now)
    embargoes = [source.embargo for source in sources if source.embargo is not None]
    return {
        "key": hashlib.sha256(json.dumps(parts).encode()).hexdigest(),
        "since": max((e for e in embargoes if e <= moment), default=None),
        "until": min((e for e in embargoes if e > moment), default=None),
    }


def public(sources: list[Source], now: dt.datetime, drafts: bool) -> list[Source]:
    """The releases published at `now` (pipeline.is_public), without decoding them."""
    moment = microseconds(now)
    return [s for s in sources if (drafts or not s.draft) and (s.embargo is None or s.embargo <= moment)]


def unchanged(published: manifest.Published, current: dict, now: dt.datetime, slugs: set[str]) -> bool:
    """The published build was made from the same key, `now` is in its window, and it is intact: it links
    exactly these releases and holds the newsroom files its manifest records, each as its build wrote it."""
    recorded = published.noop
    if not recorded or recorded.get("key") != current["key"]:
        return False
    moment = microseconds(now)
    since, until = recorded.get("since"), recorded.get("until")
    if (since is not None and moment < since) or (until is not None and moment >= until):
        return False
    if not manifest.intact(published, slugs) or not _tidy(published.folder):
        return False
    return all(_stamp(published.folder / relative) == stamp[1:] for relative, stamp in published.site.items())


def _tidy(folder: Path) -> bool:
    """The store was cleaned after this build was published (staging.TIDY): nothing an interrupted build left."""
    try:
        return (folder.parent / TIDY).read_text(encoding="ascii") == folder.name + "\n"
    except (OSError, UnicodeDecodeError):
        return False


def _stamp(path: Path) -> list[int] | None:
    try:
        return manifest.file_stamp(path)
    except OSError:
        return None


def report(sources: list[Source], public_sources: list[Source], progress: Silent, result) -> None:
    """What a build that changes nothing reports: every public release unchanged, the others held back."""
    published = [source.slug for source in public_sources]
    for slug in published:
        progress.reused(slug)
    progress.start(0, len(published))
    progress.finish()
    shown = set(published)
    result.published, result.reused, result.skipped = published, list(published), True
    result.held = [source.slug for source in sources if source.slug not in shown]
