"""What the agency formats (ninjs, NewsML-G2) share: the item's identifier and version, its XHTML body, its files.

An agency system identifies a news item by its guid and replaces an older version by a newer one: the guid is
made from the newsroom's host, the release's date and its slug (never from the clock), so it stays the same
across corrections; the version is 1 as first published and 2 once a correction (`updated`) is set.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree
from lxml import html as lxml_html

from presskit.model import Config, Photo, Release
from presskit.site.context import RenderContext
from presskit.site.view import ReleaseView, newsml_name, ninjs_name
from presskit.text import language, tags, urls

XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NINJS_TYPE = "application/ninjs+json"
NEWSML_TYPE = "application/vnd.iptc.g2.newsitem+xml"
XHTML_TYPE = "application/xhtml+xml"
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML_TYPE = "text/html"


@dataclass(frozen=True)
class Rendition:
    """One file of the release that an agency may fetch: the PDF, the DOCX, the page or a photo."""

    name: str
    href: str
    contenttype: str
    title: str
    size: int | None = None  # None for the page: it is rendered after the agency files (it shows their sizes)
    width: int = 0
    height: int = 0


def guid(release: Release, config: Config) -> str:
    """`urn:newsml:<host>:<yyyymmdd>:<slug>`: the same for every version of the release (RFC 3085's form)."""
    host = urlsplit(site_uri(config)).hostname or "localhost"
    return f"urn:newsml:{host}:{release.date.strftime('%Y%m%d')}:{release.slug}"


def site_uri(config: Config) -> str:
    """The newsroom's address, as a URI (an internationalized host in IDNA): the provider's identifier."""
    return urls.absolute(config.base_url, "")


def version(release: Release) -> int:
    """1 as first published, 2 once corrected: presskit keeps one `updated`, the newest correction."""
    return 2 if release.updated is not None else 1


def timestamp(moment: dt.datetime) -> str:
    """An RFC 3339 date-time with its offset, to the second."""
    return moment.isoformat(timespec="seconds")


def pubstatus(view: ReleaseView) -> str:
    """`withheld` for a draft built with --drafts (a preview, not for use), else `usable`."""
    return "withheld" if view.release.draft else "usable"


def tag_uri(view: ReleaseView, tag: str) -> str:
    """The tag's page in the newsroom: the identifier of the subject."""
    return urls.absolute(view.config.base_url, f"tags/{tags.slug(tag)}/")


def renditions(view: ReleaseView, folder: Path) -> list[Rendition]:
    """The release's documents: the PDF and DOCX with their sizes, and the page (whose size is not known yet)."""
    return [
        Rendition("pdf", view.absolute(view.pdf_name), PDF_TYPE, "PDF", (folder / view.pdf_name).stat().st_size),
        Rendition("docx", view.absolute(view.docx_name), DOCX_TYPE, "DOCX", (folder / view.docx_name).stat().st_size),
        # The page is written last (it shows the other files' sizes), so its own size cannot be given here.
        Rendition("page", view.url, HTML_TYPE, view.release.title),
    ]


def photo_rendition(view: ReleaseView, photo: Photo, folder: Path) -> Rendition:
    """A photo as published in the release's folder, full resolution."""
    size = (folder / photo.filename).stat().st_size
    href = view.absolute(photo.filename)
    return Rendition("original", href, photo.media_type, photo.filename, size, photo.width, photo.height)


@dataclass(frozen=True)
class Translation:
    """Another published language of the release, as the agency files link to it."""

    release: Release
    guid: str
    version: int
    ninjs: str
    newsml: str
    page: str


def translations(view: ReleaseView) -> list[Translation]:
    """The release's other published languages (none in a private embargoed copy)."""
    return [
        Translation(
            other,
            guid(other, view.config),
            version(other),
            view.absolute_for(other.slug, ninjs_name(other.slug)),
            view.absolute_for(other.slug, newsml_name(other.slug)),
            view.absolute_for(other.slug),
        )
        for other in view.translations
    ]


def body_xhtml(view: ReleaseView, context: RenderContext) -> etree._Element:
    """The release as the page shows it (lead, photos, body, links, contacts, boilerplate), as an XHTML document.

    It is the theme's release-content template (so overrides apply), with absolute URLs, parsed and written
    again in the XHTML namespace: well-formed XML for NewsML-G2's inlineXML and ninjs's body.
    """
    release = view.release
    photos = {p.filename: view.absolute(p.filename) for p in release.photos}
    fragment = context.env.get_template("release-content.html.j2").render(
        v=view, locale=language.get(release.lang), asset=photos.__getitem__, heading_level=2
    )
    parsed = lxml_html.fragment_fromstring(fragment, create_parent="div")
    root = etree.Element(f"{{{XHTML_NS}}}html", nsmap={None: XHTML_NS})
    root.set("lang", release.lang)
    root.set(XML_LANG, release.lang)
    root.set("dir", language.direction(release.lang))
    head = etree.SubElement(root, f"{{{XHTML_NS}}}head")
    etree.SubElement(head, f"{{{XHTML_NS}}}title").text = release.title
    body = etree.SubElement(root, f"{{{XHTML_NS}}}body")
    body.text = parsed.text
    for child in list(parsed):
        body.append(_in_xhtml(child))
    return root


# XHTML 1.0 Strict is what agency systems (and validators of the inline XHTML) know: the HTML5 sectioning
# elements of the theme become <div class="...">, a figure's caption a <p>, and only attributes XHTML 1.0
# has are kept (aria-* and the like are for the page's screen readers).
XHTML1_BLOCKS = {"section", "article", "aside", "header", "footer", "nav", "main", "figure", "figcaption"}
XHTML1_ATTRIBUTES = {"id", "class", "title", "lang", "dir", "href", "hreflang", "rel", "type", "src", "alt"}
XHTML1_ATTRIBUTES |= {"width", "height", "abbr", "colspan", "rowspan", "cite", "datetime"}


def _in_xhtml(element: etree._Element) -> etree._Element:
    """A copy of a parsed HTML element and its descendants as XHTML 1.0 Strict (comments dropped)."""
    if not isinstance(element.tag, str):  # a comment: nothing but the text after it
        placeholder = etree.Element(f"{{{XHTML_NS}}}span")
        placeholder.tail = element.tail
        return placeholder
    tag = element.tag
    classes = element.get("class", "")
    if tag in XHTML1_BLOCKS:
        classes = classes or tag
        tag = "p" if tag == "figcaption" else "div"
    copy = etree.Element(f"{{{XHTML_NS}}}{tag}", nsmap={None: XHTML_NS})
    for name, value in element.attrib.items():
        if name in XHTML1_ATTRIBUTES:
            copy.set(name, value)
    if classes:
        copy.set("class", classes)
    copy.text = element.text
    copy.tail = element.tail
    for child in element:
        if isinstance(child.tag, str):
            copy.append(_in_xhtml(child))
        elif child.tail:  # a comment: keep the text after it
            if len(copy):
                copy[-1].tail = (copy[-1].tail or "") + child.tail
            else:
                copy.text = (copy.text or "") + child.tail
    return copy


def xhtml_string(root: etree._Element) -> str:
    return etree.tostring(root, encoding="unicode")


def text_of(root: etree._Element) -> str:
    """The body's words, for counts: every text node, spaces collapsed."""
    return " ".join("".join(root.find(f"{{{XHTML_NS}}}body").itertext()).split())
