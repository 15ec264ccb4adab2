"""The display texts of an unchanged release (body and lead HTML, summary, dateline), kept from its last build.

The newsroom index and the feed are written afresh at every build; for an unchanged release they reuse
these texts from the manifest instead of parsing and typesetting its Markdown again.
"""

from __future__ import annotations

from functools import cached_property

from markupsafe import Markup

from presskit.site.view import ReleaseView

# Computed properties of ReleaseView that are pure functions of the release (and of presskit itself).
NAMES = ("body_html", "lead_html", "lead_text", "summary", "dateline", "long_date")
_CACHED = tuple(name for name in NAMES if isinstance(ReleaseView.__dict__.get(name), cached_property))


def remember(view: ReleaseView) -> dict[str, str]:
    """The texts to keep for next time."""
    return {name: str(getattr(view, name)) for name in _CACHED}


def recall(view: ReleaseView, saved: dict) -> None:
    """Give a view the texts computed by an earlier build (a cached_property keeps what is in __dict__)."""
    if not isinstance(saved, dict) or not all(isinstance(saved.get(name), str) for name in _CACHED):
        return
    for name in _CACHED:
        vars(view)[name] = Markup(saved[name]) if name.endswith("_html") else saved[name]
