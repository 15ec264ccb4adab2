"""The press kit of a release: one reproducible zip of its documents, text, photos, logo, contacts and credits.

It is made from the files the other renderers have just written into the release's folder (registered
after them), never by rendering again: the PDF and the DOCX, the agency files when present, and the photos
as published (with the metadata written into them); the text comes from the writer the e-mail uses.
"""

from __future__ import annotations

from pathlib import Path

import vobject

from presskit.model import Contact
from presskit.renderers import RenderContext, RenderError
from presskit.renderers.archive import reproducible_zip
from presskit.site import plaintext
from presskit.site.view import ReleaseView

CONTACTS_NAME = "contacts.vcf"
CREDITS_NAME = "CREDITS.txt"
# Compressed already: stored as they are (deflating them again costs time and saves little: 7 % of a PDF).
STORED_SUFFIXES = (".jpg", ".jpeg", ".png", ".gif", ".webp", ".docx", ".pdf")


class PressKitRenderer:
    """Renders `<slug>/<slug>-press-kit.zip` from the release's folder."""

    format = "press-kit"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        slug = view.slug
        members: list[tuple[str, bytes]] = [(f"{slug}.txt", text(view).encode("utf-8"))]
        names = [view.pdf_name, view.docx_name]
        # The agency files, made by the renderers registered before this one (included when they are there).
        names += [name for name in (view.ninjs_name, view.newsml_name) if (folder / name).is_file()]
        names += [photo.filename for photo in view.release.photos]
        for name in names:
            try:
                members.append((name, (folder / name).read_bytes()))
            except FileNotFoundError:
                raise RenderError(f"press kit: {name} was not made, so the press kit cannot hold it") from None
        if view.release.photos:
            members.append((CREDITS_NAME, credits(view).encode("utf-8")))
        if view.release.contacts:
            members.append((CONTACTS_NAME, vcards(view.release.contacts, context.site.organization).encode("utf-8")))
        if context.config.logo is not None:
            members.append((context.site.logo_name, context.config.logo.read_bytes()))
        stored = frozenset(name for name, _ in members if name.lower().endswith(STORED_SUFFIXES))
        target = folder / view.press_kit_name
        target.write_bytes(reproducible_zip(members, view.last_change, stored))
        return target


def text(view: ReleaseView) -> str:
    """`<slug>.txt`: the notices (embargo, draft) first, then the release as the page shows it, at 72 columns."""
    width = plaintext.EDITORIAL_WIDTH
    notices = [line for notice in view.notices for line in plaintext.wrap(notice, width)]
    top = "\n".join(notices) + "\n\n" if notices else ""
    return top + plaintext.release_text(view, width, page=True)


def credits(view: ReleaseView) -> str:
    """`CREDITS.txt`: each photo by its file name in the kit, with its caption (or its description) and credit."""
    width = plaintext.EDITORIAL_WIDTH
    release = view.release
    lines = plaintext.wrap(f"{view.colon(view.label('photo_credits'))} {release.title}", width)
    for photo in release.photos:
        lines += ["", photo.filename]
        lines += plaintext.wrap(photo.caption or photo.alt, width, "  ", "  ")
        credit = release.credit_of(photo)
        if credit:
            lines += plaintext.wrap(f"{view.colon(view.label('photo_credit'))} {credit}", width, "  ", "  ")
    return "\n".join(lines) + "\n"


def vcards(contacts: tuple[Contact, ...], organization: str) -> str:
    """`contacts.vcf`: one vCard 4.0 (RFC 6350) per contact, numbers as `tel:` URIs in E.164 when valid."""
    return "".join(_vcard(contact, organization).serialize() for contact in contacts)


def _vcard(contact: Contact, organization: str):
    card = vobject.vCard()
    card.add("version").value = "4.0"
    card.add("fn").value = contact.name
    if contact.role:
        card.add("title").value = contact.role
    if organization:
        card.add("org").value = [organization]
    if contact.email:
        card.add("email").value = contact.email
    for number, link, kind in (
        (contact.phone, contact.phone_tel, "voice"),
        (contact.mobile, contact.mobile_tel, "cell"),
    ):
        if number:
            tel = card.add("tel")
            tel.value = link or number  # a number presskit could not read is given as written (a text value)
            tel.params["TYPE"] = ["work", kind]
            if link:
                tel.params["VALUE"] = ["uri"]
                tel.encoded = True  # a URI is written as it is (`;ext=` unescaped): only text values are escaped
    if contact.social is not None and contact.social.url:
        url = card.add("url")
        # Unescaped, as RFC 6350 writes URIs; "," and ";" (which vobject would read as separators) percent-encoded.
        url.value = contact.social.url.replace(",", "%2C").replace(";", "%3B")
        url.encoded = True  # checked by text/urls.py: no space or control character
    return card
