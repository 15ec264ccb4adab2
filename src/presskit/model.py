"""The typed, frozen content model: what a release is, independent of any file format."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
    creator: str = ""  # who made the photo (IPTC Creator), when the release names them
    copyright: str = ""  # the copyright notice written into the published file ("© 2024 Jean Dupont")
    orientation: int = 1  # the source's EXIF orientation (1 = upright), kept in the published copy


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

    def credit_of(self, photo: Photo) -> str:
        """A photo's credit: its own, else the release's photo credits line (one rule for every output)."""
        return photo.credit or self.photo_credits


# PDF flavours WeasyPrint writes that presskit supports: tagged PDF/UA-1 (default), or archival PDF/A-3
# (still tagged), for offices that must file their communiqués in an archive.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u", "pdf/a-3a")


def setting(kind: str, default: Any, doc: str, shown: str = "", **options: Any) -> Any:
    """Declare a [tool.presskit] setting as a Config field: its default, how presskit.config reads it (`kind`,
    with `options` such as `choices`), its documentation line, and its default as the docs show it (`shown`)."""
    metadata = {"kind": kind, "doc": doc, "shown": shown, **options}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Config:
    """Project configuration from [tool.presskit] in pyproject.toml; every field has a default.

    Each setting is declared here once; presskit.config reads, checks and documents them from these fields,
    in this order.
    """

    root: Path
    organization: str = setting("text", "Press office", "shown in the letterhead, page footers, feed and metadata")
    base_url: str = setting("url", "http://localhost:8000/", "where the newsroom is published; feed links are absolute")
    lang: str = setting("text", "en", "default language of releases and of the newsroom pages")
    region: str = setting(  # "" = the territory of `lang` (contacts.region)
        "region",
        "",
        'two-letter country code in which contacts\' national phone numbers are read (`region = "FR"`); numbers'
        " written with `+` work in any region",
        shown="the territory of `lang` (`fr` gives FR, `en` US, `ja` JP, `pt-BR` BR)",
    )
    timezone: str = setting(
        "timezone", "UTC", "IANA zone; a release dated without a time is published at midnight there"
    )
    logo: Path | None = setting(
        "logo",
        None,
        "path of a logo image inside the project (JPEG, PNG, GIF or WebP): PDF letterhead, DOCX header, web"
        " masthead, JSON-LD publisher",
    )
    pdf_variant: str = setting(
        "choice",
        "pdf/ua-1",
        'the PDF flavour: `"pdf/ua-1"` (tagged, accessible), or `"pdf/a-3b"`, `"pdf/a-3u"`, `"pdf/a-3a"`'
        " (archival PDF/A-3, still tagged). WeasyPrint writes them; it does not certify them, so check files with"
        " a validator such as veraPDF if an archive requires it",
        choices=PDF_VARIANTS,
    )
    about: dict[str, str] = setting(
        "about", {}, 'boilerplate: a string, or a table `{fr = "...", en = "..."}` by language'
    )
    contacts: tuple[Contact, ...] = setting(
        "contacts",
        (),
        "default press contacts (`[[tool.presskit.contacts]]` tables with the release contact fields)",
    )
    feed_title: str = setting("text", "", "the RSS channel's title", shown="from `organization`")
    feed_description: str = setting("text", "", "the RSS channel's description", shown="from `organization`")
    page_size: int = setting("count", 20, "releases per listing page", minimum=1, maximum=1000)
    feed_size: int = setting(
        "count",
        50,
        "items in each feed: the newest releases (the listings and the sitemap keep the whole archive)",
        minimum=1,
        maximum=1000,
    )
    websub_hub: str = setting(
        "hub",
        "",
        "the http(s) address of a WebSub hub: every feed names it as its hub, and `presskit build --ping`"
        " notifies it of the feeds a build changed (see [outputs](outputs.md#websub))",
        shown="none",
    )
    releases_dir: str = setting("folder", "releases", "folder of the release files, inside the project")
    templates_dir: str = setting(
        "folder", "templates", "folder of the theme overrides (templates, CSS, `reference.docx`), inside the project"
    )
    lists_dir: str = setting(
        "folder", "lists", "folder of the press lists (`<name>.csv`) that `presskit send` reads, inside the project"
    )
    rights_url: str = setting(
        "url",
        "",
        "the web page that says how the newsroom's photos may be used: written into every published photo (XMP"
        " Web Statement of Rights)",
        shown="none",
        page=True,
    )
    mail: dict[str, Any] = setting(
        "table", {}, "the `[tool.presskit.mail]` table: how `presskit send` sends (see [sending](sending.md))"
    )

    def about_for(self, lang: str) -> str:
        """The boilerplate in a language, falling back to the default language, then to any."""
        return self.about.get(lang) or self.about.get(self.lang) or next(iter(self.about.values()), "")
