"""The validated-model cache: releases whose source is unchanged are not parsed or validated again.

Stored as JSON (never pickle: the cache sits in the project folder) in `.presskit/cache/releases.json`,
one entry per release file, keyed by the SHA-256 of the file's bytes and the size and modification
time of its photos; the whole cache is dropped when the configuration or presskit itself changes.
Only files without errors are cached: a file with errors is read again and reports them again.

The cache is signed (HMAC-SHA256) with a key kept outside the project, in the user's cache folder: whoever
can write into the project but not into that folder cannot plant a "validated" release (a photo path
outside the project, a link no validator would pass). A cache whose signature does not match is ignored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from presskit.model import Contact, Link, Photo, Release

CACHE_FILE = Path(".presskit") / "cache" / "releases.json"
FORMAT = 2


def _signing_key() -> bytes | None:
    """This user's key for signing caches, made on first use ($XDG_CACHE_HOME/presskit/cache-key, mode 0600);
    None when it cannot be read or made (then nothing is cached)."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "presskit"
    path = folder / "cache-key"
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(prefix=".cache-key-", dir=folder)
        with os.fdopen(handle, "w", encoding="ascii") as stream:
            stream.write(secrets.token_hex(32) + "\n")
        os.replace(temporary, path)
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _signature(key: bytes, body: bytes) -> bytes:
    return hmac.new(key, body, hashlib.sha256).hexdigest().encode("ascii")


@dataclass
class Entry:
    """One release file as last validated: its digest, its release, where its fields are written."""

    digest: str
    photos: list[list]  # [path, size, mtime_ns] of each photo: a replaced photo invalidates the entry
    release: Release
    positions: dict


@dataclass
class ModelCache:
    """Entries by file path relative to the project; `changed` tells whether it must be saved."""

    path: Path
    key: str
    entries: dict[str, Entry] = field(default_factory=dict)
    changed: bool = False

    @classmethod
    def open(cls, root: Path, key: str) -> "ModelCache":
        """The project's cache for this configuration and presskit version (empty when stale or unreadable)."""
        cache = cls(root / CACHE_FILE, key)
        try:
            signed = cache.path.read_bytes()
            signature, _newline, body = signed.partition(b"\n")
            secret = _signing_key()
            if secret is None or not hmac.compare_digest(signature, _signature(secret, body)):
                raise ValueError("not signed by this user")
            data = json.loads(body)
            if data.get("format") != FORMAT or data.get("key") != key:
                cache.changed = True
                return cache
            cache.entries = {name: _entry(item) for name, item in data["entries"].items()}
        except (OSError, ValueError, KeyError, TypeError):
            cache.entries = {}
            cache.changed = cache.path.exists()
        return cache

    def get(self, name: str, digest: str) -> Entry | None:
        """The entry for a file whose bytes and photos are unchanged, else None."""
        entry = self.entries.get(name)
        if entry is None or entry.digest != digest or not all(photo_stat(p[0]) == p for p in entry.photos):
            return None
        return entry

    def put(self, name: str, entry: Entry) -> None:
        self.entries[name] = entry
        self.changed = True

    def keep_only(self, names: set[str]) -> None:
        """Forget files that no longer exist."""
        for name in set(self.entries) - names:
            del self.entries[name]
            self.changed = True

    def save(self) -> None:
        """Write the cache atomically; a cache that cannot be written is simply not kept."""
        if not self.changed:
            return
        data = {
            "format": FORMAT,
            "key": self.key,
            "entries": {name: _entry_data(entry) for name, entry in sorted(self.entries.items())},
        }
        secret = _signing_key()
        if secret is None:
            return
        body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".releases-", dir=self.path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(_signature(secret, body) + b"\n" + body)
            os.replace(temporary, self.path)
            self.changed = False
        except OSError:
            pass


def photo_stat(path: str) -> list:
    """[path, size, mtime_ns] of a photo file, or [path, -1, -1] when it cannot be read."""
    try:
        info = os.stat(path)
    except OSError:
        return [path, -1, -1]
    return [path, info.st_size, info.st_mtime_ns]


def _entry(item: dict) -> Entry:
    return Entry(item["digest"], item["photos"], decode_release(item["release"]), item["positions"])


def _entry_data(entry: Entry) -> dict:
    return {
        "digest": entry.digest,
        "photos": entry.photos,
        "release": encode_release(entry.release),
        "positions": entry.positions,
    }


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
