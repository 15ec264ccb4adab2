"""Editorial warnings: what a valid release may still get wrong (no credit, no lead, an http:// link ...).

Warnings are computed from the validated release and a small index of where its fields are written
(`Positions`, plain JSON data, so that it can be cached with the release): the check that depends on
the clock (a date in the future) is made at every run, never cached.
"""

from __future__ import annotations

import datetime as dt
import re

from presskit.config import timezone
from presskit.diagnostics import Diagnostic, Reporter
from presskit.model import Config, Release
from presskit.sources import contacts, files
from presskit.sources import yamlreader as yamlsource
from presskit.sources.yamlreader import Mapping, Node, Scalar, Sequence
from presskit.text import dateline, textcheck

MAX_TITLE = 110
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_HTTP = re.compile(r"http://[^\s<>()\[\]\"'`]+", re.IGNORECASE)

Positions = dict  # {"root": [line, col], "title": ..., "date": ..., "embargo": ..., "photos": [...], "contacts": [...],
#                    "contact_fields": [{"phone": [line, col], ...}, ...], "http": [[line, col, url], ...],
#                    "bidi": [[line, col, field, char], ...],
#                    "text": [[line, col, field, distinct characters that need a glyph], ...]}
CONTACT_FIELDS = ("phone", "mobile", "social")


def positions(root: Node, lines: list[str]) -> Positions:
    """Where the fields the warnings point at are written, from a release's node tree."""
    found: Positions = {"root": _at(root), "photos": [], "contacts": [], "contact_fields": [], "http": []}
    if isinstance(root, Mapping):
        for name in ("title", "date", "embargo"):
            if name in root.by_key:
                found[name] = _at(root.by_key[name][1])
        for name in ("photos", "contacts"):
            node = root.by_key.get(name, (None, None))[1]
            if isinstance(node, Sequence):
                found[name] = [_at(item) for item in node.items if isinstance(item, Mapping)]
                if name == "contacts":
                    found["contact_fields"] = [
                        {key: _at(item.by_key[key][1]) for key in CONTACT_FIELDS if key in item.by_key}
                        for item in node.items
                        if isinstance(item, Mapping)
                    ]
    found["bidi"], found["text"] = [], []
    for name, scalar in yamlsource.text_values(root):
        value = scalar.value
        if not value:
            continue
        found["http"].extend(_http_links(scalar, lines))
        found["bidi"].extend([*at, name, char] for at, char in _bidi_controls(scalar, lines))
        glyphs = "".join(c for c in dict.fromkeys(value) if textcheck.needs_glyph(c))
        if glyphs:
            found["text"].append([*_at(scalar), name, glyphs])
    return found


def findings(release: Release, where: Positions, config: Config) -> dict:
    """A release's warnings as JSON data that the state store keeps with its model: the ones that depend on
    nothing but the release and the configuration, and what the others are made of at each run: the
    characters that need a glyph (fonts may be installed since) and the date (`now` moves)."""
    before: list[list] = []
    after: list[list] = []
    root = where["root"]

    def warn(at, message: str, code: str, into: list = before) -> None:
        into.append([at[0], at[1], message, f"check.{code}"])

    if len(release.title) > MAX_TITLE:
        warn(
            where.get("title", root),
            f"the headline is {len(release.title)} characters long; keep it under {MAX_TITLE} so it is not cut in inboxes and feeds",
            "long-title",
        )
    if not release.lead:
        warn(root, "no 'lead': journalists and feed readers see the lead first; add a one-paragraph summary", "no-lead")
    if not release.location:
        warn(root, "no 'location': the dateline will have no city", "no-location")
    if not release.photo_credits:
        for photo, at in zip(release.photos, where["photos"]):
            if not photo.credit:
                warn(
                    at,
                    f"photo '{photo.source.name}' has no credit; add 'credit' (or 'photo_credits' for the whole release)",
                    "photo-credit",
                )
    contact_fields = where.get("contact_fields") or [{} for _ in where["contacts"]]
    for contact, at, fields in zip(release.contacts, where["contacts"], contact_fields):
        if not (contact.email or contact.phone or contact.mobile):
            warn(
                at, f"contact '{contact.name}' has neither an e-mail address nor a phone number", "contact-unreachable"
            )
        for name, message, code in contacts.warnings(contact, lambda: contacts.region(config)):
            warn(fields.get(name, at), message, code)
    for line, column, url in where["http"]:
        warn((line, column), f"'{url}' is an unencrypted http:// link; use https:// if the site offers it", "http-link")
    for line, column, name, char in where.get("bidi", ()):
        warn(
            (line, column),
            f"{name}: unbalanced bidirectional control {textcheck.describe(char)} removed: left open, it would reorder the text around the field",
            "bidi-control",
        )
    published = dateline.as_datetime(release.date, timezone(config))
    future = None
    if release.embargo is None:
        at = where.get("date", root)
        message = f"the date {dateline.iso(release.date)} is in the future but there is no embargo: the release is published at once"
        future = [microseconds(published), at[0], at[1], message, "check.future-date"]
    if release.embargo is not None and release.embargo < published:
        warn(
            where.get("embargo", root),
            f"the embargo ({release.embargo.isoformat()}) is earlier than the release's date ({dateline.iso(release.date)})",
            "embargo-before-date",
            after,
        )
    return {"before": before, "glyphs": where.get("text", []), "future": future, "after": after}


def warnings_of(
    found: dict, source, now: dt.datetime, missing: set[str] | None = None
) -> list[tuple[int, int, str, str]]:
    """Every warning of a release, from its findings, at `now` and with the fonts installed now (`missing`:
    the characters no font has, when already known)."""
    result = [tuple(item) for item in found["before"]]
    for line, column, name, chars in found["glyphs"]:
        if missing is not None and missing.isdisjoint(chars):
            continue
        absent = textcheck.missing_glyphs(chars)
        if absent:
            places = _places(source, line, column, absent)
            for char in absent:
                at = places[char]
                result.append(
                    (
                        at[0],
                        at[1],
                        f"{name}: no installed font has {textcheck.describe(char)}: the PDF shows an empty box in its place",
                        "check.missing-glyph",
                    )
                )
    future = found["future"]
    if future is not None and future[0] > microseconds(now):
        result.append(tuple(future[1:]))
    return result + [tuple(item) for item in found["after"]]


def microseconds(moment: dt.datetime) -> int:
    """An aware moment as whole microseconds since 1970 (exact, unlike a float timestamp)."""
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def warnings(release: Release, where: Positions, config: Config, now: dt.datetime) -> list[tuple[int, int, str, str]]:
    """Every warning about one release as (line, column, message, code)."""
    return warnings_of(findings(release, where, config), release.source, now)


def report(release: Release, where: Positions, config: Config, now: dt.datetime, reporter: Reporter) -> None:
    """Add one release's warnings to a reporter."""
    for line, column, message, code in warnings(release, where, config, now):
        reporter.warning(release.source, line, column, message, code)


def as_errors(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """--strict: the same diagnostics, every warning turned into an error."""
    return [Diagnostic(d.path, d.line, d.column, "error", d.message, d.code) for d in diagnostics]


def _at(node: Node) -> list[int]:
    return [node.mark.line, node.mark.column]


def _http_links(scalar: Scalar, lines: list[str]):
    """Each http:// address in a value, with the line and column where it is written."""
    line, column = scalar.mark.line, scalar.mark.column
    for match in _HTTP.finditer(scalar.value or ""):
        url = match.group().rstrip(".,;:!?")
        for number in range(line, min(line + 200, len(lines) + 1)):
            start = column - 1 if number == line else 0
            index = lines[number - 1].find(url, start)
            if index >= 0:
                yield [number, index + 1, url]
                line, column = number, index + 1 + len(url)
                break


def _bidi_controls(scalar: Scalar, lines: list[str]):
    """Where each unbalanced bidirectional control of a value is written (the value's start when escaped)."""
    value = scalar.value or ""
    line, column = scalar.mark.line, scalar.mark.column
    for index in textcheck.unbalanced_bidi(value):
        char = value[index]
        at = _search(lines, char, line, column)
        if at is None:
            yield _at(scalar), char
        else:
            yield list(at), char
            line, column = at[0], at[1] + 1


def _search(lines: list[str], needle: str, line: int, column: int, reach: int = 2000) -> tuple[int, int] | None:
    """The first place `needle` is written at or after line:column (1-based), within `reach` lines."""
    for number in range(line, min(line + reach, len(lines) + 1)):
        start = column - 1 if number == line else 0
        index = lines[number - 1].find(needle, start)
        if index >= 0:
            return number, index + 1
    return None


def _places(source, line: int, column: int, chars: list[str]) -> dict[str, list[int]]:
    """Where each character is first written in a value starting at line:column (read again: it is rare)."""
    try:
        lines = yamlsource.decode(files.read_source(source)).splitlines()
    except (OSError, yamlsource.SourceError):
        lines = []
    found = {}
    for char in chars:
        at = _search(lines, char, line, column)
        found[char] = list(at) if at else [line, column]
    return found
