"""The typed, frozen content model: what a release is, independent of any file format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Link:
    """A labelled web address ("+ d'infos")."""

    label: str
    url: str


@dataclass(frozen=True)
class Contact:
    """A press contact; only the name is required.

    `phone` and `mobile` are shown as written; `phone_tel` and `mobile_tel` are their `tel:` links in E.164
    (`tel:+33467228646`), "" when the number could not be read (then it is shown without a link). A social
    link whose `url` is "" is a bare handle (`@presse`), shown as text.
    """

    name: str
    role: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    social: Link | None = None
    phone_tel: str = ""
    mobile_tel: str = ""


@dataclass(frozen=True)
class Photo:
    """A photo shipped with a release: its source file, the name it is published under, and its texts."""

    source: Path
    filename: str
    alt: str
    caption: str = ""
    credit: str = ""
    width: int = 0
    height: int = 0
    media_type: str = "image/jpeg"
    convert: bool = False  # the PDF and the DOCX embed an sRGB 8-bit copy (photos.rendition), not the file


@dataclass(frozen=True)
class Release:
    """One press release, validated and typeset; Markdown fields are kept as source text."""

    slug: str
    source: Path
    title: str
    date: dt.date | dt.datetime
    lang: str
    label: str
    body: str
    contacts: tuple[Contact, ...]
    subtitle: str = ""
    location: str = ""
    section: str = ""
    lead: str = ""
    links: tuple[Link, ...] = ()
    photos: tuple[Photo, ...] = ()
    photos_note: str = ""
    photo_credits: str = ""
    tags: tuple[str, ...] = ()
    about: str = ""
    embargo: dt.datetime | None = None
    draft: bool = False
    updated: dt.datetime | None = None
    correction: str = ""
    translation_of: str = ""

    @property
    def sort_key(self) -> tuple:
        """Newest first when sorted in reverse; the slug breaks ties deterministically."""
        when = self.date if isinstance(self.date, dt.datetime) else dt.datetime.combine(self.date, dt.time())
        return (when.replace(tzinfo=None), self.slug)


@dataclass(frozen=True)
class Config:
    """Project configuration from [tool.presskit] in pyproject.toml; every field has a default."""

    root: Path
    organization: str = "Press office"
    base_url: str = "http://localhost:8000/"
    lang: str = "en"
    region: str = ""  # the region national phone numbers are read in; "" = the territory of `lang` (contacts.region)
    timezone: str = "UTC"
    logo: Path | None = None
    about: dict[str, str] = field(default_factory=dict)
    contacts: tuple[Contact, ...] = ()
    feed_title: str = ""
    feed_description: str = ""
    page_size: int = 20
    feed_size: int = 50
    releases_dir: str = "releases"
    templates_dir: str = "templates"
    pdf_variant: str = "pdf/ua-1"

    def about_for(self, lang: str) -> str:
        """The boilerplate in a language, falling back to the default language, then to any."""
        return self.about.get(lang) or self.about.get(self.lang) or next(iter(self.about.values()), "")
