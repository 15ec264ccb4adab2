"""What every renderer shows of a release: typeset HTML fragments, the dateline, labels and addresses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from presskit.config import timezone
from presskit.model import Config, Release
from presskit.sources import contacts, photos
from presskit.text import dateline, language, locales, markup, typography, urls


@dataclass(frozen=True)
class ReleaseView:
    """A release prepared for display: computed once, shared by the page, the PDF, the DOCX and the feed."""

    release: Release
    config: Config
    translations: tuple[Release, ...] = ()  # the other published languages of the same release
    original: str = ""  # slug of the group's original (hreflang x-default); empty without translations
    embargo_copy: bool = False  # a private copy made before the embargo lifts

    @property
    def slug(self) -> str:
        return self.release.slug

    @cached_property
    def locale(self) -> language.Locale:
        return language.get(self.release.lang)

    def label(self, key: str, **values: str) -> str:
        return self.locale.label(key, **values)

    @cached_property
    def dateline(self) -> str:
        return dateline.dateline(self.release.location, self.release.date, self.release.lang)

    @property
    def date_iso(self) -> str:
        return dateline.iso(self.release.date)

    @cached_property
    def published(self) -> dt.datetime:
        """The publication moment as an aware datetime (bare dates are midnight in the project's zone)."""
        return dateline.as_datetime(self.release.date, timezone(self.config))

    @cached_property
    def long_date(self) -> str:
        return dateline.long_date(self.release.date, self.release.lang)

    @cached_property
    def embargo_text(self) -> str:
        if self.release.embargo is None:
            return ""
        return dateline.long_datetime(self.release.embargo, self.release.lang)

    @cached_property
    def notices(self) -> tuple[str, ...]:
        """Warnings printed prominently on every format: embargo (private copies) and draft."""
        found = []
        if self.embargo_copy and self.release.embargo is not None:
            found.append(self.label("embargo_notice", datetime=self.embargo_text))
        if self.release.draft:
            found.append(self.label("draft_notice"))
        return tuple(found)

    @cached_property
    def updated_text(self) -> str:
        if self.release.updated is None:
            return ""
        return dateline.long_datetime(self.release.updated, self.release.lang)

    @cached_property
    def correction_line(self) -> str:
        """'Correction (mise à jour le …) : note', empty when the release has no correction."""
        if not self.release.correction:
            return ""
        heading = self.colon(self.label("correction", datetime=self.updated_text))
        return f"{heading} {self.release.correction}"

    @property
    def last_change(self) -> dt.datetime:
        """The newest of publication and correction: what feeds and sitemaps call 'updated'."""
        return max(self.published, self.release.updated) if self.release.updated else self.published

    @property
    def thumbnail(self):
        return self.release.photos[0] if self.release.photos else None

    @cached_property
    def language_name(self) -> str:
        return language_name(self.release.lang)

    @property
    def title_in_lists(self) -> str:
        """The headline as listed in indexes and feeds: drafts say so."""
        if self.release.draft:
            return f"{self.colon(self.label('draft'))} {self.release.title}"
        return self.release.title

    @cached_property
    def body_tokens(self):
        return markup.parse(self.release.body, self.release.lang)

    @cached_property
    def lead_tokens(self):
        return markup.parse_inline(self.release.lead, self.release.lang)

    @cached_property
    def body_html(self) -> Markup:
        return Markup(markup.to_html(self.body_tokens))

    @cached_property
    def lead_html(self) -> Markup:
        return Markup(markup.to_html(self.lead_tokens)) if self.release.lead else Markup("")

    @cached_property
    def lead_text(self) -> str:
        return markup.plain_text(self.lead_tokens) if self.release.lead else ""

    @cached_property
    def summary(self) -> str:
        """The lead, or the start of the body when there is no lead: for feeds and link previews."""
        if self.lead_text:
            return self.lead_text
        text = markup.plain_text(self.body_tokens)
        return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"

    @property
    def contacts_heading(self) -> str:
        return self.label("contacts_heading")

    # Paths inside the output folder, relative to its root.
    @property
    def page_path(self) -> str:
        return f"{self.slug}/"

    @property
    def pdf_name(self) -> str:
        return f"{self.slug}.pdf"

    @property
    def docx_name(self) -> str:
        return f"{self.slug}.docx"

    @property
    def ninjs_name(self) -> str:
        return ninjs_name(self.slug)

    @property
    def newsml_name(self) -> str:
        return newsml_name(self.slug)

    def absolute(self, path: str = "") -> str:
        """Absolute URL of a file in this release's folder (the page itself when path is empty)."""
        return urls.absolute(self.config.base_url, f"{self.slug}/{path}") if path else self.url

    @cached_property
    def url(self) -> str:
        """Absolute URL of the release's page (asked for by every listing, feed and sitemap entry)."""
        return urls.absolute(self.config.base_url, f"{self.slug}/")

    def colon(self, label: str) -> str:
        """'Tél.' -> 'Tél.\u00a0:' in French, 'Tel.:' in English, '電話：' in Japanese."""
        return typography.typeset(label + self.locale.typography.get("colon", ":"), self.release.lang)

    def absolute_for(self, slug: str, path: str = "") -> str:
        """Absolute URL of another release's page or file."""
        return urls.absolute(self.config.base_url, f"{slug}/{path}")

    def relative(self, slug: str, path: str = "") -> str:
        """From this release's page to a file of another release."""
        return f"../{slug}/{path}"

    def tel(self, number: str) -> str:
        """The tel: link (E.164) of a phone number, "" when it is not a valid number (for template overrides
        that still call it; the built-in templates use the contact's phone_tel and mobile_tel)."""
        return contacts.tel(number, contacts.region(self.config)) if number else ""


def ninjs_name(slug: str) -> str:
    """The file name of a release's IPTC ninjs item (renderers/ninjs.py)."""
    return f"{slug}.ninjs.json"


def newsml_name(slug: str) -> str:
    """The file name of a release's IPTC NewsML-G2 item (renderers/newsml.py)."""
    return f"{slug}.newsml.xml"


def language_name(lang: str) -> str:
    """The language's own name for itself, from CLDR: 'français', 'English', '日本語'."""
    locale = locales.cldr_locale(lang)
    name = locale.get_display_name(locale) or lang
    return name[:1].upper() + name[1:]


@dataclass(frozen=True)
class SiteView:
    """Newsroom-wide texts, typeset in the project's language."""

    config: Config

    @cached_property
    def organization(self) -> str:
        return typography.typeset(self.config.organization, self.config.lang)

    @cached_property
    def feed_title(self) -> str:
        return typography.typeset(self.config.feed_title or self.config.organization, self.config.lang)

    @cached_property
    def feed_description(self) -> str:
        text = (
            self.config.feed_description
            or f"{self.config.organization}: {language.get(self.config.lang).label('all_releases')}"
        )
        return typography.typeset(text, self.config.lang)

    @property
    def lang(self) -> str:
        return self.config.lang

    @property
    def logo_name(self) -> str:
        """The logo's file name at the newsroom's root, made by presskit ('logo.png'; '' without a logo)."""
        if self.config.logo is None:
            return ""
        return photos.logo_name(photos.inspect(self.config.logo, self.config.logo.name))  # remembered since the check

    @property
    def base_url(self) -> str:
        return self.config.base_url
