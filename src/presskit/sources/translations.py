"""Translations: releases linked by `translation_of` form a group shown as one story in several languages."""

from __future__ import annotations

import re
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Release


def _field_position(path: Path | str, field: str) -> tuple[int, int]:
    """Line and column of a top-level field's value in the release file (for messages only)."""
    pattern = re.compile(rf"^{field}:\s*")
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return 1, 1
    for number, line in enumerate(lines, 1):
        match = pattern.match(line)
        if match:
            return number, match.end() + 1
    return 1, 1


def check(releases: list, reporter: Reporter) -> None:
    """Report translations of unknown releases and groups with two releases in one language.

    `releases`: what load.py read (sources/load.Source: slug, lang, translation_of and path of each, no model)."""
    by_slug = {r.slug: r for r in releases}
    for release in releases:
        if release.translation_of and release.translation_of not in by_slug:
            line, column = _field_position(release.path, "translation_of")
            reporter.error(
                release.path,
                line,
                column,
                f"translation_of: no release has the slug '{release.translation_of}'",
                "release.translation",
            )
    for group in groups(releases).values():
        seen: dict[str, Release] = {}
        for release in group:
            other = seen.get(release.lang.lower())
            if other is not None:
                line, column = _field_position(release.path, "translation_of")
                reporter.error(
                    release.path,
                    line,
                    column,
                    f"'{release.slug}' and '{other.slug}' are translations of each other but both are in '{release.lang}'",
                    "release.translation",
                )
            seen[release.lang.lower()] = release


def groups(releases: list[Release]) -> dict[str, list[Release]]:
    """slug -> every release of its translation group (itself included), the original first."""
    by_slug = {r.slug: r for r in releases}
    parent = {r.slug: r.slug for r in releases}

    def find(slug: str) -> str:
        while parent[slug] != slug:
            parent[slug] = parent[parent[slug]]
            slug = parent[slug]
        return slug

    for release in releases:
        if release.translation_of in by_slug:
            a, b = find(release.slug), find(release.translation_of)
            if a != b:
                parent[max(a, b)] = min(a, b)
    members: dict[str, list[Release]] = {}
    for release in releases:
        members.setdefault(find(release.slug), []).append(release)
    result = {}
    for group in members.values():
        group.sort(key=lambda r: (bool(r.translation_of), r.lang, r.slug))
        for release in group:
            result[release.slug] = group
    return result
