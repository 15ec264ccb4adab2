"""A new release to start from: every field present and commented, the date, the project's press contacts."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from presskit.model import Config, Contact
from presskit.sources.releases import BODY_PLACEHOLDER

MAX_SLUG_WORDS = 60  # characters of the headline kept in the file name


class ReleaseExists(Exception):
    """The file for this date and headline is already there; it is never overwritten."""


def slugify(headline: str) -> str:
    """'Appel à projets « Recherche » : 5 M€' -> 'appel-a-projets-recherche-5-m'."""
    ascii_text = unicodedata.normalize("NFKD", headline).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > MAX_SLUG_WORDS:
        slug = slug[:MAX_SLUG_WORDS].rsplit("-", 1)[0]
    return slug or "release"


def file_for(config: Config, headline: str, date: dt.date) -> Path:
    """releases/<date>-<slug>.yaml."""
    return config.root / config.releases_dir / f"{date.isoformat()}-{slugify(headline)}.yaml"


def create(config: Config, headline: str, date: dt.date, lang: str) -> Path:
    """Write the new release file; raise ReleaseExists rather than overwrite anything."""
    path = file_for(config, headline, date)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as stream:
            stream.write(text(config, headline, date, lang))
    except FileExistsError:
        raise ReleaseExists(path) from None
    return path


def _quote(value: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: any headline stays text, as written.
    return json.dumps(value, ensure_ascii=False)


def _contact(contact: Contact) -> str:
    lines = [f"  - name: {_quote(contact.name)}"]
    for name in ("role", "email", "phone", "mobile"):
        value = getattr(contact, name)
        lines.append(f"    {name}: {_quote(value)}" if value else f"    {name}:")
    if contact.social is not None and contact.social.url in (
        "",
        contact.social.label,
    ):  # a bare @handle, or a URL alone
        lines.append(f"    social: {_quote(contact.social.label)}")
    elif contact.social is not None:
        lines.append(f"    social: {{label: {_quote(contact.social.label)}, url: {_quote(contact.social.url)}}}")
    else:
        lines.append("    social:")
    return "\n".join(lines)


def text(config: Config, headline: str, date: dt.date, lang: str) -> str:
    """The YAML of a new release: a draft that builds as it is (with --drafts); `presskit check` says what is still missing."""
    if config.contacts:
        contacts = "\n".join(_contact(c) for c in config.contacts)
        contacts_note = "# Press contacts (from the project's configuration; edit them for this release)."
    else:
        contacts = _contact(Contact(name=config.organization))
        contacts_note = "# Press contacts (required): who journalists call. Give at least an e-mail or a phone."
    return f"""\
# Created by `presskit new` on {dt.date.today().isoformat()}. Empty fields are optional and can stay empty
# or be deleted; `presskit check` lists what is still missing. Field reference: presskit's README.

# The headline (required); under 110 characters reads best in inboxes and feeds.
title: {_quote(" ".join(headline.split()))}
# A deck under the headline (optional).
subtitle:
# Publication date (required): {date.isoformat()}, or with a time and UTC offset: {date.isoformat()}T10:00:00+01:00
date: {date.isoformat()}
# The city of the dateline (recommended), e.g. Toulouse.
location:
# Language of the release: fr, en, pt-BR ...
lang: {lang}
# Document label (optional); by default "Communiqué de presse" / "Press release" by language.
label:
# Rubric or kicker (optional), e.g. Energy transition.
section:
# Opening paragraph (recommended), in Markdown: **bold**, *italics*, [link](https://www.example.org/).
lead:
# The text (required), in Markdown: paragraphs, - lists, 1. numbered lists, ## sub-headings, > quotes.
body: |
  {BODY_PLACEHOLDER}
# Links shown after the text (optional), for example:
#  - label: More information
#    url: https://www.example.org/
links:
# Photos shipped with the release (optional); file is relative to this file, alt is required:
#  - file: photos/picture.jpg
#    alt: What the picture shows, for readers who cannot see it
#    caption: The caption under the picture
#    credit: Photographer / Agency
#    creator: Photographer (written into the published file, with the copyright notice)
#    copyright: © 2024 Agency
photos:
# A line about the attached visuals (optional), e.g. "Two photos are attached".
photos_note:
# A credits line for all the photos (optional).
photo_credits:
{contacts_note}
contacts:
{contacts}
# Feed categories (optional), e.g. [energy, harbours].
tags:
# Boilerplate "About ..." (optional); by default the project's `about` for the language.
about:
# Embargo (optional): not published before this moment, with its UTC offset: {date.isoformat()}T09:00:00+01:00
embargo:
# A draft stays out of the newsroom (built only with --drafts, marked as a draft). Set false when the
# release is ready: a release that still holds this file's placeholder text is refused.
draft: true
# A correction after publication (optional): when it was made, with its UTC offset, and the note shown
# at the top of every format. The address and the feed's guid stay the same.
updated:
correction:
# The slug (file name without .yaml) of the release this one translates (optional).
translation_of:
"""
