"""Labels of each language (filled in and typeset) and its writing direction, from the data files and CLDR.

Adding a language is adding a TOML file in text/locales/; unknown languages fall back to English labels,
while dates still come from CLDR for the language itself.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from presskit.text import locales, typography


@dataclass(frozen=True)
class Locale:
    """Labels and typography for one language."""

    lang: str
    labels: dict[str, str]
    typography: dict

    @property
    def direction(self) -> str:
        return direction(self.lang)

    def label(self, key: str, **values: str) -> str:
        """A label in this language, filled in and typeset ('Contact presse', 'Tél.\u00a0:')."""
        return _label(self.lang, self.labels[key], tuple(sorted(values.items())))


@functools.lru_cache(maxsize=4096)
def _label(lang: str, text: str, values: tuple[tuple[str, str], ...]) -> str:
    return typography.typeset(text.format(**dict(values)) if values else text, lang)


@functools.cache
def direction(lang: str) -> str:
    """The writing direction of a language, 'rtl' (Arabic, Hebrew, Persian, Urdu ...) or 'ltr', from CLDR:
    the `dir` of every page, listing entry, feed item and PDF in that language (no data file needed)."""
    return "rtl" if locales.cldr_locale(lang).text_direction == "rtl" else "ltr"


@functools.cache
def get(lang: str) -> Locale:
    """The locale for a BCP 47 tag: the exact file, else its base language, else English."""
    labels, rules = locales.data(lang)
    return Locale(lang, labels, rules)
