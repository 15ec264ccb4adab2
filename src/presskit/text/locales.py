"""The language data files (text/locales/<lang>.toml) and CLDR's locale for a language tag: what every text rule reads."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from babel import Locale, UnknownLocaleError

FALLBACK = "en"


def base_language(lang: str) -> str:
    """'fr-CA' -> 'fr'."""
    return lang.replace("_", "-").split("-")[0].lower()


@functools.cache
def available() -> tuple[str, ...]:
    """Languages that have a data file (asked once for each release file: read once)."""
    folder = resources.files("presskit.text").joinpath("locales")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml")))


@functools.cache
def _read(name: str) -> dict | None:
    path = resources.files("presskit.text").joinpath("locales", f"{name}.toml")
    if not path.is_file():
        return None
    return tomllib.loads(path.read_text(encoding="utf-8"))


@functools.cache
def data(lang: str) -> tuple[dict[str, str], dict]:
    """(labels, typographic rules) of a BCP 47 tag: the exact file, else its base language, else English,
    each completed by English."""
    fallback = _read(FALLBACK) or {}
    found = _read(lang.lower()) or _read(base_language(lang)) or fallback
    labels = {**fallback.get("labels", {}), **found.get("labels", {})}
    rules = {**fallback.get("typography", {}), **found.get("typography", {})}
    return labels, rules


@functools.cache
def cldr_locale(lang: str) -> Locale:
    """The CLDR locale for a BCP 47 tag, falling back to its base language, then English."""
    for candidate in (lang.replace("-", "_"), base_language(lang)):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse("en")
