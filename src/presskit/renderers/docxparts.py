"""The Word parts of a release document: styles, header and footer, properties, runs and the package's files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from presskit.renderers import RenderError
from presskit.site import templates
from presskit.site.view import ReleaseView
from presskit.sources import photos

try:  # python-docx's own writer of [Content_Types].xml, which members() uses
    from docx.opc.packuri import CONTENT_TYPES_URI, PACKAGE_URI
    from docx.opc.pkgwriter import _ContentTypesItem
except ImportError:  # pragma: no cover - a future python-docx without it: members() saves and unzips
    _ContentTypesItem = None

# Paragraph styles presskit adds when a project's reference document does not define them
# (the built-in one, made by scripts/make_reference_docx.py, defines them all).
CUSTOM_STYLES = {
    "Release Label": {"bold": True, "size": 10, "color": RGBColor(0x7A, 0x1F, 0x3D), "caps": True},
    "Dateline": {"size": 10},
    "Release Section": {"italic": True, "size": 9.5, "color": RGBColor(0x44, 0x44, 0x44)},
    "Lead": {"bold": True},
    "Photo": {"keep_with_next": True},
    "Contacts Heading": {"bold": True, "size": 11, "keep_with_next": True},
    "Contact": {"size": 10},
    "About Heading": {"bold": True, "size": 9.5, "keep_with_next": True},
    "About": {"size": 9},
    "Notice": {"bold": True, "size": 11, "color": RGBColor(0xB0, 0x00, 0x20)},
}
# Word's built-in styles presskit uses: a document saved by Word may define only those it used.
BUILTIN_STYLES = (
    "Title",
    "Subtitle",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "List Bullet",
    "List Bullet 2",
    "List Bullet 3",
    "List Number",
    "List Number 2",
    "List Number 3",
    "Quote",
    "Caption",
    "Header",
    "Footer",
)
LINK_COLOR = RGBColor(0x0B, 0x4F, 0x8A)
EAST_ASIAN = ("ja", "zh", "ko")  # languages Word files under w:eastAsia rather than w:val


def _ensure_styles(document) -> None:
    styles = document.styles
    names = {s.name for s in styles}
    if "Hyperlink" not in names:
        link = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
        link.font.color.rgb = LINK_COLOR
        link.font.underline = True
    for name in BUILTIN_STYLES:
        if name not in names:
            styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles["Normal"]
    for name, spec in CUSTOM_STYLES.items():
        if name in names:
            continue
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.paragraph_format.keep_with_next = spec.get("keep_with_next")
        font = style.font
        font.bold = spec.get("bold")
        font.italic = spec.get("italic")
        font.all_caps = spec.get("caps")
        if "size" in spec:
            font.size = Pt(spec["size"])
        if "color" in spec:
            font.color.rgb = spec["color"]


# The reference document with presskit's styles added and the page's header and footer made, saved once
# per process for each header (organization, label, logo, notices), and the id of each style name in it:
# python-docx scans every style (hundreds) to add a style or to style a paragraph, which made the Word
# file cost a third of the PDF. The result is the same as making them for each release.
_PREPARED: dict[tuple, tuple[bytes, dict]] = {}
PREPARED_LIMIT = 16  # headers kept: a label per language, and embargoed copies' notices


def _stamp(path: Path | None) -> tuple:
    if path is None:
        return ()
    info = path.stat()
    return (str(path), info.st_mtime_ns, info.st_size)


def reference_document(config, organization: str, label: str, notices: tuple[str, ...]):
    """A fresh document made from the (prepared) reference document, its header and footer made."""
    path = templates.theme_file(config, "reference.docx")
    key = (_stamp(path), organization, label, _stamp(config.logo), notices)
    if key not in _PREPARED:
        try:
            document = docx.Document(str(path))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile, PackageNotFoundError) as exc:
            raise RenderError(f"DOCX: {path} is not a Word document presskit can build on ({exc})") from None
        _ensure_styles(document)
        _header_footer(document, organization, label, config.logo, notices)
        buffer = io.BytesIO()
        document.save(buffer)
        if len(_PREPARED) >= PREPARED_LIMIT:
            _PREPARED.pop(next(iter(_PREPARED)))
        _PREPARED[key] = (buffer.getvalue(), {})
    blob, style_ids = _PREPARED[key]
    document = docx.Document(io.BytesIO(blob))
    part = document.part
    lookup = part.get_style_id

    def get_style_id(style_or_name, style_type):
        if not isinstance(style_or_name, str):
            return lookup(style_or_name, style_type)
        if (style_or_name, style_type) not in style_ids:
            style_ids[style_or_name, style_type] = lookup(style_or_name, style_type)
        return style_ids[style_or_name, style_type]

    part.get_style_id = get_style_id
    return document


def picture(path: Path, media_type: str, convert: bool):
    """What python-docx embeds: the file's name, or the sRGB 8-bit copy Word can show (CMYK, WebP, ...)."""
    if not convert:
        return str(path)
    return io.BytesIO(photos.rendition(path, media_type, convert)[0])


def run_element(text: str, *, bold: bool = False, italic: bool = False, link: bool = False):
    run = OxmlElement("w:r")
    props = OxmlElement("w:rPr")
    if link:  # the reference document's Hyperlink character style: restylable in Word
        style = OxmlElement("w:rStyle")
        style.set(qn("w:val"), "Hyperlink")
        props.append(style)
    if bold:
        props.append(OxmlElement("w:b"))
    if italic:
        props.append(OxmlElement("w:i"))
    run.append(props)
    text_element = OxmlElement("w:t")
    text_element.set(qn("xml:space"), "preserve")
    text_element.text = text
    run.append(text_element)
    return run


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    run = paragraph.add_run()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    placeholder = OxmlElement("w:t")
    placeholder.text = "1"
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, instr, separate, placeholder, end):
        run._r.append(element)


def _header_footer(document, organization: str, label: str, logo: Path | None, notices: tuple[str, ...] = ()) -> None:
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    header = section.header.paragraphs[0]
    header.style = "Header"
    header.text = ""
    if logo is not None:
        info = photos.inspect(logo, logo.name)  # checked when the configuration was read
        header.add_run().add_picture(picture(logo, info.media_type, info.convert), height=Cm(1.1))
        header.add_run("  ")
        for doc_pr in header._p.xpath(".//wp:docPr"):
            doc_pr.set("descr", organization)
    header.add_run(f"{organization} · {label}")
    for notice in notices:  # repeated on every page, like the PDF's running head
        run = section.header.add_paragraph().add_run(notice)
        run.bold = True
        run.font.color.rgb = RGBColor(0xB0, 0x00, 0x20)
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{organization} · ")
    _field(footer, "PAGE")
    footer.add_run(" / ")
    _field(footer, "NUMPAGES")


def _fit(text: str, limit: int = 255) -> str:
    """Word's document properties hold at most 255 characters: longer text is cut with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def properties(document, view: ReleaseView, organization: str) -> None:
    props = document.core_properties
    release = view.release
    props.title = _fit(release.title)
    props.subject = _fit(release.section or release.label)
    props.author = organization
    props.last_modified_by = organization
    props.keywords = _fit(", ".join(release.tags))
    props.language = release.lang
    props.comments = view.summary[:250]
    props.category = _fit(release.label)
    props.revision = 1
    when = view.published.astimezone(dt.UTC).replace(tzinfo=None)
    props.created = when
    props.modified = when
    props.last_printed = when
    # Declare the document language on the default run properties so spelling and hyphenation follow it.
    rpr = document.styles.element.find(qn("w:docDefaults"))
    if rpr is not None:
        run_props = rpr.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if run_props is not None:
            lang = run_props.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                run_props.append(lang)
            east_asian = release.lang.split("-")[0].lower() in EAST_ASIAN
            lang.set(qn("w:eastAsia" if east_asian else "w:val"), release.lang)


def members(document) -> list[tuple[str, bytes]]:
    """The files of the Word package, in the order python-docx's own save() writes them.

    Made here from the package's parts, so that they are compressed once, straight into the
    reproducible zip, rather than zipped by save() and then unzipped and zipped again (2 ms of the 9 a
    release costs). A python-docx without the content-types writer this uses gets save() and unzipping.
    """
    if _ContentTypesItem is None:  # pragma: no cover - a future python-docx: the slower, public way
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as source:
            return [(item.filename, source.read(item.filename)) for item in source.infolist()]
    package = document.part.package
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    files = [
        (CONTENT_TYPES_URI.membername, _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in parts:
        files.append((part.partname.membername, part.blob))
        if len(part.rels):
            files.append((part.partname.rels_uri.membername, part.rels.xml))
    return files
