"""The release as an IPTC ninjs 2.2 news item (`<slug>.ninjs.json`), for agency systems that ingest JSON."""

from __future__ import annotations

import json
from pathlib import Path

from presskit.model import Contact
from presskit.renderers import agency
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView

SCHEMA = "https://www.iptc.org/std/ninjs/ninjs-schema_2.2.json"


class NinjsRenderer:
    """Renders `<slug>/<slug>.ninjs.json`: every fact presskit knows of the release, by ninjs 2.2's names."""

    format = "ninjs"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        target = folder / view.ninjs_name
        text = json.dumps(item(view, folder, context), ensure_ascii=False, indent=2) + "\n"
        target.write_text(text, encoding="utf-8")
        return target


def item(view: ReleaseView, folder: Path, context: RenderContext) -> dict:
    """The ninjs object, its keys in a fixed order (the file's bytes depend only on the release)."""
    release = view.release
    organization = context.site.organization
    body = agency.body_xhtml(view, context)
    words = agency.text_of(body)
    found: dict = {
        "uri": agency.guid(release, view.config),
        "standard": {"name": "ninjs", "version": "2.2", "schema": SCHEMA},
        "type": "text",
        "representationtype": "full",
        "version": str(agency.version(release)),
        "firstcreated": agency.timestamp(view.published),
        "versioncreated": agency.timestamp(view.last_change),
        "contentcreated": agency.timestamp(view.published),
    }
    if view.embargo_copy and release.embargo is not None:
        found["embargoed"] = agency.timestamp(release.embargo)
    found["pubstatus"] = agency.pubstatus(view)
    found["copyrightholder"] = organization
    if release.correction:
        found["ednote"] = view.correction_line
    found["language"] = release.lang
    found["title"] = release.title
    found["slugline"] = release.slug
    found["by"] = organization
    if release.location:
        found["located"] = release.location
    found["headlines"] = [{"role": "main", "value": release.title}]
    if release.subtitle:
        found["headlines"].append({"role": "subheadline", "value": release.subtitle})
    if view.lead_text:
        found["descriptions"] = [{"role": "lead", "contenttype": "text/plain", "value": view.lead_text}]
    found["bodies"] = [
        {
            "role": "main",
            "contenttype": agency.XHTML_TYPE,
            "charcount": len(words),
            "wordcount": len(words.split()),
            "value": agency.xhtml_string(body),
        }
    ]
    found["infosources"] = [
        {
            "name": organization,
            "role": "originator",
            "uri": agency.site_uri(view.config),
            **({"contactinfo": contacts} if (contacts := _contact_info(release.contacts)) else {}),
        }
    ]
    if release.tags:
        found["subjects"] = [
            {"name": tag, "literal": tag, "uri": agency.tag_uri(view, tag), "rel": "about"} for tag in release.tags
        ]
    found["renditions"] = [_rendition(r) for r in agency.renditions(view, folder)]
    associations = [_photo(view, photo, folder, n) for n, photo in enumerate(release.photos, 1)]
    associations += [_translation(t) for t in agency.translations(view)]
    if associations:
        found["associations"] = associations
    return found


def _rendition(rendition: agency.Rendition) -> dict:
    found = {
        "name": rendition.name,
        "href": rendition.href,
        "contenttype": rendition.contenttype,
        "title": rendition.title,
    }
    if rendition.width and rendition.height:
        found["width"], found["height"] = rendition.width, rendition.height
    if rendition.size is not None:
        found["sizeinbytes"] = rendition.size
    return found


def _photo(view: ReleaseView, photo, folder: Path, number: int) -> dict:
    """A photo as a `picture` association: its caption, alt text, credit and the file itself."""
    rendition = agency.photo_rendition(view, photo, folder)
    found: dict = {"name": f"photo-{number}", "uri": rendition.href, "type": "picture", "language": view.release.lang}
    credit = view.release.credit_of(photo)
    if credit:
        found["by"] = credit
    found["altids"] = [{"role": "filename", "value": photo.filename}]
    descriptions = []
    if photo.caption:
        descriptions.append({"role": "caption", "contenttype": "text/plain", "value": photo.caption})
    descriptions.append({"role": "alternative-text", "contenttype": "text/plain", "value": photo.alt})
    if credit:
        descriptions.append({"role": "creditline", "contenttype": "text/plain", "value": credit})
    found["descriptions"] = descriptions
    if photo.copyright:
        found["copyrightnotice"] = photo.copyright
    found["renditions"] = [_rendition(rendition)]
    return found


def _translation(translation: agency.Translation) -> dict:
    """Another language of the release: its own ninjs item, NewsML-G2 item and page."""
    other = translation.release
    return {
        "name": f"translation-{other.lang}",
        "uri": translation.guid,
        "type": "text",
        "version": str(translation.version),
        "language": other.lang,
        "headlines": [{"role": "main", "value": other.title}],
        "renditions": [
            {"name": "ninjs", "href": translation.ninjs, "contenttype": agency.NINJS_TYPE},
            {"name": "newsml", "href": translation.newsml, "contenttype": agency.NEWSML_TYPE},
            {"name": "page", "href": translation.page, "contenttype": agency.HTML_TYPE},
        ],
    }


def _contact_info(contacts: tuple[Contact, ...]) -> list[dict]:
    """The press contacts: e-mail, phone and mobile (E.164 when readable), social link."""
    found = []
    for contact in contacts:
        name = f"{contact.name}, {contact.role}" if contact.role else contact.name
        if contact.email:
            found.append({"type": "email", "role": "work", "name": name, "value": contact.email})
        if contact.phone:
            value = contact.phone_tel.removeprefix("tel:") or contact.phone
            found.append({"type": "phone", "role": "work", "name": name, "value": value})
        if contact.mobile:
            value = contact.mobile_tel.removeprefix("tel:") or contact.mobile
            found.append({"type": "mobile", "role": "work", "name": name, "value": value})
        if contact.social is not None and contact.social.url:
            found.append({"type": "web", "role": "work", "name": contact.social.label, "value": contact.social.url})
    return found
