"""The release as an IPTC NewsML-G2 2.35 newsItem (`<slug>.newsml.xml`, power conformance), for agency systems."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from presskit.renderers import agency
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView

NAR = "http://iptc.org/std/nar/2006-10-01/"
STANDARD_VERSION = "2.35"
# IPTC's catalog of NewsCodes schemes: what the QCodes (ninat:, stat:, irel:, drol:, rnd:) mean.
CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_33.xml"


class NewsmlRenderer:
    """Renders `<slug>/<slug>.newsml.xml`, the same news item as the ninjs file (same guid and version)."""

    format = "newsml"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        target = folder / view.newsml_name
        data = etree.tostring(
            news_item(view, folder, context), xml_declaration=True, encoding="UTF-8", pretty_print=True
        )
        target.write_bytes(data)
        return target


def _add(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, f"{{{NAR}}}{name}")
    for key, value in attributes.items():
        element.set(agency.XML_LANG if key == "xml_lang" else key, value)
    if text is not None:
        element.text = text
    return element


def news_item(view: ReleaseView, folder: Path, context: RenderContext) -> etree._Element:
    """The newsItem: rights, item metadata (with links to the photos and translations), content metadata, content."""
    release = view.release
    organization = context.site.organization
    root = etree.Element(f"{{{NAR}}}newsItem", nsmap={None: NAR})
    root.set("guid", agency.guid(release, view.config))
    root.set("version", str(agency.version(release)))
    root.set("standard", "NewsML-G2")
    root.set("standardversion", STANDARD_VERSION)
    root.set("conformance", "power")
    root.set(agency.XML_LANG, release.lang)
    _add(root, "catalogRef", href=CATALOG)
    rights = _add(root, "rightsInfo")
    _add(_add(rights, "copyrightHolder"), "name", organization)

    meta = _add(root, "itemMeta")
    _add(meta, "itemClass", qcode="ninat:text")
    _add(_add(meta, "provider", uri=agency.site_uri(view.config)), "name", organization)
    _add(meta, "versionCreated", agency.timestamp(view.last_change))
    _add(meta, "firstCreated", agency.timestamp(view.published))
    if view.embargo_copy and release.embargo is not None:
        _add(meta, "embargoed", agency.timestamp(release.embargo))
    _add(meta, "pubStatus", qcode=f"stat:{agency.pubstatus(view)}")
    _add(meta, "title", release.title)
    if release.correction:
        _add(meta, "edNote", view.correction_line)
    for number, photo in enumerate(release.photos, 1):
        _photo_link(meta, view, photo, folder, number)
    for translation in agency.translations(view):
        other = translation.release
        _add(
            meta,
            "link",
            rel="irel:seeAlso",
            href=translation.newsml,
            residref=translation.guid,
            version=str(translation.version),
            contenttype=agency.NEWSML_TYPE,
            title=other.title,
            xml_lang=other.lang,
        )

    content = _add(root, "contentMeta")
    _add(content, "contentCreated", agency.timestamp(view.published))
    if release.updated is not None:
        _add(content, "contentModified", agency.timestamp(release.updated))
    if release.location:
        _add(_add(content, "located"), "name", release.location)
    _add(_add(content, "infoSource", uri=agency.site_uri(view.config)), "name", organization)
    _add(content, "language", tag=release.lang)
    for tag in release.tags:
        _add(_add(content, "subject", uri=agency.tag_uri(view, tag)), "name", tag)
    _add(content, "slugline", release.slug)
    _add(content, "headline", release.title)
    if release.subtitle:
        _add(content, "headline", release.subtitle, role="hdltype:subheadline")
    _add(content, "dateline", view.dateline)
    _add(content, "by", organization)
    if release.photo_credits:
        _add(content, "creditline", release.photo_credits)
    if view.lead_text:
        _add(content, "description", view.lead_text, role="drol:summary")

    contents = _add(root, "contentSet")
    inline = _add(contents, "inlineXML", contenttype=agency.XHTML_TYPE)
    inline.append(agency.body_xhtml(view, context))
    for rendition in agency.renditions(view, folder):
        remote = _add(contents, "remoteContent", href=rendition.href, contenttype=rendition.contenttype)
        if rendition.size is not None:  # not for the page: it is written after this file
            remote.set("size", str(rendition.size))
    return root


def _photo_link(meta: etree._Element, view: ReleaseView, photo, folder: Path, number: int) -> None:
    """A photo as a link from the item: the file, its size and dimensions, caption, alt text and credit."""
    rendition = agency.photo_rendition(view, photo, folder)
    link = _add(
        meta,
        "link",
        rel="irel:seeAlso",
        href=rendition.href,
        contenttype=rendition.contenttype,
        size=str(rendition.size),
        title=photo.filename,
    )
    if photo.caption:
        _add(link, "description", photo.caption, role="drol:caption")
    _add(link, "description", photo.alt, role="drol:alternativeText")
    credit = view.release.credit_of(photo)
    if credit:
        _add(link, "creditline", credit)
