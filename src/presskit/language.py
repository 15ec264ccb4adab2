"""Per-language labels and typographic conventions, read from data files in presskit/locales/.

Adding a language is adding a TOML file; unknown languages fall back to English labels,
while dates still come from CLDR for the language itself.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

FALLBACK = "en"


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
    from presskit import typography  # typography reads this module's data

    return typography.typeset(text.format(**dict(values)) if values else text, lang)


@functools.cache
def direction(lang: str) -> str:
    """The writing direction of a language, 'rtl' (Arabic, Hebrew, Persian, Urdu ...) or 'ltr', from CLDR:
    the `dir` of every page, listing entry, feed item and PDF in that language (no data file needed)."""
    from presskit import dateline  # dateline reads this module's data

    return "rtl" if dateline.cldr_locale(lang).text_direction == "rtl" else "ltr"


@functools.cache
def available() -> tuple[str, ...]:
    """Languages that have a data file (asked once for each release file: read once)."""
    return tuple(sorted(p.name[:-5] for p in resources.files("presskit").joinpath("locales").iterdir() if p.name.endswith(".toml")))


def base_language(lang: str) -> str:
    """'fr-CA' -> 'fr'."""
    return lang.replace("_", "-").split("-")[0].lower()


@functools.cache
def _read(name: str) -> dict | None:
    path = resources.files("presskit").joinpath("locales", f"{name}.toml")
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def get(lang: str) -> Locale:
    """The locale for a BCP 47 tag: the exact file, else its base language, else English."""
    fallback = _read(FALLBACK) or {}
    data = _read(lang.lower()) or _read(base_language(lang)) or fallback
    labels = {**fallback.get("labels", {}), **data.get("labels", {})}
    typography = {**fallback.get("typography", {}), **data.get("typography", {})}
    return Locale(lang, labels, typography)
