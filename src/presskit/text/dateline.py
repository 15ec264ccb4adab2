"""Dates in releases: strict ISO parsing, and localized datelines and timestamps from CLDR (babel)."""

from __future__ import annotations

import datetime as dt
import re

from babel import dates as babel_dates

from presskit.text import language
from presskit.text.locales import cldr_locale

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?$")


FIRST_YEAR, LAST_YEAR = 1900, 2099


class DateError(ValueError):
    """A date that cannot be used, with a message for the press officer."""


def parse(text: str, *, require_offset: bool) -> dt.date | dt.datetime:
    """Parse `2023-09-29` or an ISO datetime; with require_offset, only an aware datetime is accepted."""
    text = text.strip()
    if _DATE.match(text):
        if require_offset:
            raise DateError(f"'{text}' needs a time and a UTC offset, for example {text}T09:00:00+02:00")
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise DateError(f"'{text}' is not a date that exists ({exc})") from None
        return _in_range(text, day)
    match = _DATETIME.match(text)
    if not match:
        raise DateError(f"'{text}' is not an ISO date (2023-09-29) or datetime (2023-09-29T09:00:00+02:00)")
    if not match.group("zone"):
        raise DateError(f"'{text}' has no UTC offset; write it as {text}+02:00 (or Z for UTC)")
    zone = match.group("zone").replace(":", "")
    if zone != "Z" and (int(zone[1:3]) > 23 or int(zone[3:5]) > 59):
        raise DateError(f"'{text}' has a UTC offset that does not exist; offsets run from -23:59 to +23:59")
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise DateError(f"'{text}' is not a date that exists ({exc})") from None
    return _in_range(text, moment)


def _in_range(text: str, value):
    """Years every output can carry (Word's zip entries stop at 2107, UTC conversion at years 1 and 9999)."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise DateError(f"'{text}' is outside the years presskit publishes ({FIRST_YEAR} to {LAST_YEAR})")
    return value


def long_date(value: dt.date | dt.datetime, lang: str) -> str:
    """'29 septembre 2023' / 'September 29, 2023'."""
    day = value.date() if isinstance(value, dt.datetime) else value
    return babel_dates.format_date(day, "long", locale=cldr_locale(lang))


def long_datetime(value: dt.datetime, lang: str) -> str:
    """Date, time and explicit UTC offset in the language's own order: '29 septembre 2023 à 09:00 UTC+02:00'."""
    locale = cldr_locale(lang)
    date_text = babel_dates.format_date(value.date(), "long", locale=locale)
    time_text = babel_dates.format_time(value, "short", tzinfo=value.tzinfo, locale=locale)
    zone = babel_dates.get_timezone_gmt(value, width="long", locale=locale)
    pattern = babel_dates.get_datetime_format("long", locale=locale)
    combined = str(pattern).replace("'", "").replace("{1}", date_text).replace("{0}", time_text)
    return f"{combined} {zone}"


def dateline(location: str, value: dt.date | dt.datetime, lang: str) -> str:
    """'Toulouse, le 29 septembre 2023' / 'London, September 29, 2023'."""
    locale = language.get(lang)
    date_text = long_date(value, lang)
    if location:
        return locale.label("dateline", location=location, date=date_text)
    return locale.label("dateline_no_location", date=date_text)


def iso(value: dt.date | dt.datetime) -> str:
    """Machine-readable form for <time datetime> and metadata."""
    return value.isoformat()


def as_datetime(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """An aware datetime: a bare date means midnight in the project's time zone."""
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(), tzinfo=tz)
