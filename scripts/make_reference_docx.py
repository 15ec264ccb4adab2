"""Generate the built-in Word reference document, src/presskit/theme/reference.docx: python scripts/make_reference_docx.py

A press office restyles its releases by opening that file in Word or LibreOffice, changing the styles
(not the text: the body is empty) and saving it as templates/reference.docx in its project.
presskit uses these named styles (Word's built-in names where Word has one):

  Title, Subtitle, Heading 1-3, List Bullet (2, 3), List Number (2, 3), Quote, Caption, Header, Footer,
  Hyperlink (character style), and presskit's own: Release Label, Dateline, Release Section, Lead,
  Photo, Contacts Heading, Contact, About, Notice.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

TARGET = Path(__file__).resolve().parent.parent / "src" / "presskit" / "theme" / "reference.docx"
ACCENT = RGBColor(0x7A, 0x1F, 0x3D)
INK = RGBColor(0x11, 0x11, 0x11)
MUTED = RGBColor(0x44, 0x44, 0x44)
LINK = RGBColor(0x0B, 0x4F, 0x8A)
SERIF, SANS = "Noto Serif", "Noto Sans"  # the PDF's faces (fonts-noto-core); Word substitutes when absent
SERIF_CJK, SANS_CJK = "Noto Serif CJK JP", "Noto Sans CJK JP"  # fonts-noto-cjk, for East Asian text


def fonts(style, latin: str, east_asian: str) -> None:
    """Set the Latin and East Asian faces of a style (python-docx only sets the Latin ones)."""
    style.font.name = latin
    rpr = style.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    rfonts.set(qn("w:eastAsia"), east_asian)
    rfonts.set(qn("w:cs"), latin)


def border(style, sides=("top", "left", "bottom", "right"), color="7A1F3D", size=8, space=6, left_size=None) -> None:
    """Paragraph borders; adjacent paragraphs with the same borders are drawn as one frame."""
    ppr = style.element.get_or_add_pPr()
    pbdr = OxmlElement("w:pBdr")
    for side in sides:
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(left_size if side == "left" and left_size else size))
        element.set(qn("w:space"), str(space))
        element.set(qn("w:color"), color)
        pbdr.append(element)
    ppr.append(pbdr)


def shading(style, fill: str) -> None:
    ppr = style.element.get_or_add_pPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    ppr.append(shd)


def paragraph_style(styles, name: str, base: str = "Normal"):
    names = {s.name for s in styles}
    style = styles[name] if name in names else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != base:
        style.base_style = styles[base]
    style.quick_style = True
    return style


def build() -> bytes:
    document = docx.Document()  # python-docx's default template: every Word built-in style is defined
    styles = document.styles
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.2)
    section.left_margin = section.right_margin = Cm(2.2)

    normal = styles["Normal"]
    fonts(normal, SERIF, SERIF_CJK)
    normal.font.size = Pt(10.5)
    normal.font.color.rgb = INK
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.2
    normal.paragraph_format.widow_control = True

    def sans(name, size, bold=False, color=INK, italic=False, before=0, after=4, keep=False, base="Normal", caps=False):
        style = paragraph_style(styles, name, base)
        fonts(style, SANS, SANS_CJK)
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        style.font.all_caps = caps
        style.font.color.rgb = color
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = keep
        return style

    title = sans("Title", 18, bold=True, after=6, keep=True)
    title.paragraph_format.line_spacing = 1.1
    for child in list(title.element.get_or_add_pPr()):  # drop the default template's blue bottom rule
        if child.tag == qn("w:pBdr"):
            child.getparent().remove(child)
    sans("Subtitle", 12, color=MUTED, after=8, keep=True).font.italic = False
    sans("Heading 1", 13, bold=True, color=ACCENT, before=12, after=4, keep=True)
    sans("Heading 2", 12, bold=True, color=ACCENT, before=10, after=3, keep=True)
    sans("Heading 3", 11, bold=True, before=8, after=3, keep=True)
    sans("Release Label", 10, bold=True, color=ACCENT, after=0, caps=True)
    sans("Dateline", 10, color=MUTED, after=6)
    sans("Release Section", 9, bold=True, color=MUTED, after=2, keep=True)
    lead = paragraph_style(styles, "Lead")
    lead.font.bold = True
    lead.font.size = Pt(11)
    lead.paragraph_format.space_after = Pt(8)
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3", "List Number", "List Number 2", "List Number 3"):
        paragraph_style(styles, name).paragraph_format.space_after = Pt(3)
    quote = paragraph_style(styles, "Quote")
    quote.font.italic = True
    quote.font.color.rgb = MUTED
    quote.paragraph_format.left_indent = Cm(0.6)
    border(quote, sides=("left",), size=18, space=8)
    photo = paragraph_style(styles, "Photo")
    photo.paragraph_format.keep_with_next = True  # a photo never leaves its caption
    photo.paragraph_format.space_before = Pt(6)
    photo.paragraph_format.space_after = Pt(2)
    caption = sans("Caption", 8.5, color=MUTED, after=8)
    caption.font.italic = False
    caption.font.bold = False
    contacts_heading = sans("Contacts Heading", 11, bold=True, color=ACCENT, before=14, after=4, keep=True)
    contact = sans("Contact", 9.5, after=6)  # the space between contacts stays inside the shared frame
    for style in (contacts_heading, contact):
        border(style, left_size=24)
        shading(style, "FAF5F7")
        style.paragraph_format.left_indent = Cm(0.3)
        style.paragraph_format.right_indent = Cm(0.3)
    contact.paragraph_format.keep_together = True
    contact.paragraph_format.keep_with_next = True
    about_heading = sans("About Heading", 9.5, bold=True, color=MUTED, before=14, after=2, keep=True)
    about_heading.base_style = styles["Heading 2"]
    about = paragraph_style(styles, "About")
    about.font.size = Pt(9)
    about.font.color.rgb = MUTED
    notice = sans("Notice", 11, bold=True, color=RGBColor(0xB0, 0x00, 0x20), after=8)
    notice.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    sans("Header", 8, color=MUTED)
    sans("Footer", 8, color=MUTED)

    names = {s.name for s in styles}
    hyperlink = styles["Hyperlink"] if "Hyperlink" in names else styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER)
    hyperlink.font.color.rgb = LINK
    hyperlink.font.underline = True

    props = document.core_properties
    props.title = "presskit reference document"
    props.author = props.last_modified_by = "presskit"
    props.comments = "Restyle this document's styles, then save it as templates/reference.docx in your project."
    props.revision = 1
    props.created = props.modified = props.last_printed = dt.datetime(2024, 1, 1)
    _slim(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _slim(document) -> None:
    """Leave out what no release uses but every release would carry (and presskit would parse and
    compress each time): Word 2010's second copy of the styles (stylesWithEffects.xml, 438 KB), the
    template's blank-page thumbnail, and the table styles (312 KB of styles.xml). Word and LibreOffice
    bring a built-in table style back from their own definitions when a table asks for it."""
    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)
    package_rels = part.package.rels
    for rel_id, rel in list(package_rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package_rels[rel_id]
    for style in document.styles.element.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1":
            style.getparent().remove(style)


def _fixed_zip(data: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


if __name__ == "__main__":
    TARGET.write_bytes(build())
    print("written", TARGET, file=sys.stderr)
