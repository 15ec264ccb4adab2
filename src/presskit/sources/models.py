"""A validated release as JSON-ready data, exactly reversible: how the state store keeps each release's model."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from presskit.model import Contact, Link, Photo, Release


def _when(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _parse_when(text: str | None) -> dt.date | dt.datetime | None:
    if text is None:
        return None
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _link(link: Link | None) -> list | None:
    return None if link is None else [link.label, link.url]


def encode_release(release: Release) -> dict:
    """A Release as JSON-ready data (exactly reversible by decode_release)."""
    return {
        "slug": release.slug,
        "source": str(release.source),
        "title": release.title,
        "date": _when(release.date),
        "lang": release.lang,
        "label": release.label,
        "body": release.body,
        "contacts": [
            [c.name, c.role, c.email, c.phone, c.mobile, _link(c.social), c.phone_tel, c.mobile_tel]
            for c in release.contacts
        ],
        "subtitle": release.subtitle,
        "location": release.location,
        "section": release.section,
        "lead": release.lead,
        "links": [_link(link) for link in release.links],
        "photos": [
            [str(p.source), p.filename, p.alt, p.caption, p.credit, p.width, p.height, p.media_type, p.convert]
            + [p.creator, p.copyright, p.orientation]
            for p in release.photos
        ],
        "photos_note": release.photos_note,
        "photo_credits": release.photo_credits,
        "tags": list(release.tags),
        "about": release.about,
        "embargo": _when(release.embargo),
        "draft": release.draft,
        "updated": _when(release.updated),
        "correction": release.correction,
        "translation_of": release.translation_of,
    }


def decode_release(data: dict) -> Release:
    """The Release that encode_release wrote."""
    return Release(
        slug=data["slug"],
        source=Path(data["source"]),
        title=data["title"],
        date=_parse_when(data["date"]),
        lang=data["lang"],
        label=data["label"],
        body=data["body"],
        contacts=tuple(
            Contact(n, r, e, p, m, Link(*s) if s else None, pt, mt) for n, r, e, p, m, s, pt, mt in data["contacts"]
        ),
        subtitle=data["subtitle"],
        location=data["location"],
        section=data["section"],
        lead=data["lead"],
        links=tuple(Link(*link) for link in data["links"]),
        photos=tuple(Photo(Path(s), *rest) for s, *rest in data["photos"]),
        photos_note=data["photos_note"],
        photo_credits=data["photo_credits"],
        tags=tuple(data["tags"]),
        about=data["about"],
        embargo=_parse_when(data["embargo"]),
        draft=data["draft"],
        updated=_parse_when(data["updated"]),
        correction=data["correction"],
        translation_of=data["translation_of"],
    )
