"""What every renderer shows of a release: typeset HTML fragments, the dateline, labels and addresses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from markupsafe import Markup

from presskit import dateline, language, markup, typography, urls
from presskit.model import Config, Release


@dataclass(frozen=True)
class ReleaseView:
    """A release prepared for display: computed once, shared by the page, the PDF, the DOCX and the feed."""

    release: Release
    config: Config

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
        from presskit.config import timezone

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
    def body_tokens(self):
        return markup.parse(self.release.body, self.release.lang)

    @cached_property
    def lead_tokens(self):
        return markup.parse_inline(self.release.lead, self.release.lang)

    @cached_property
    def body_html(self) -> Markup:
        return Markup(markup.to_html(self.body_tokens))  # noqa: S704 - markdown-it escapes text, html=False

    @cached_property
    def lead_html(self) -> Markup:
        return Markup(markup.to_html(self.lead_tokens)) if self.release.lead else Markup("")  # noqa: S704

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

    def absolute(self, path: str = "") -> str:
        """Absolute URL of a file in this release's folder (the page itself when path is empty)."""
        return urls.absolute(self.config.base_url, f"{self.slug}/{path}")

    def colon(self, label: str) -> str:
        """'Tél.' -> 'Tél.\u00a0:' in French, 'Tel.:' in English, '電話：' in Japanese."""
        return typography.typeset(label + self.locale.typography.get("colon", ":"), self.release.lang)

    @staticmethod
    def tel(number: str) -> str:
        return urls.tel(number)


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
        text = self.config.feed_description or f"{self.config.organization}: {language.get(self.config.lang).label('all_releases')}"
        return typography.typeset(text, self.config.lang)

    @property
    def lang(self) -> str:
        return self.config.lang

    @property
    def logo_name(self) -> str:
        """The logo's file name at the newsroom's root ('' without a logo)."""
        return self.config.logo.name if self.config.logo is not None else ""

    @property
    def base_url(self) -> str:
        return self.config.base_url
