"""The editable Word document of a release (python-docx), built on a restylable reference .docx."""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph

from presskit.renderers import RenderContext
from presskit.renderers.archive import reproducible_zip
from presskit.renderers.docxparts import members, picture, properties, reference_document, run_element
from presskit.site.view import ReleaseView
from presskit.text import urls

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class DocxRenderer:
    """Renders `<slug>/<slug>.docx` with real Word styles, hyperlinks, images and metadata."""

    format = "docx"

    def render(self, view: ReleaseView, folder: Path, context: RenderContext) -> Path:
        release = view.release
        document = reference_document(context.config, context.site.organization, release.label, view.notices)
        writer = _Writer(document)
        for notice in view.notices:
            writer.paragraph(notice, "Notice")
        writer.paragraph(release.label, "Release Label")
        writer.paragraph(view.dateline, "Dateline")
        if release.section:
            writer.paragraph(release.section, "Release Section")
        writer.paragraph(release.title, "Title")
        if release.subtitle:
            writer.paragraph(release.subtitle, "Subtitle")
        if view.correction_line:
            writer.paragraph(view.correction_line, "Notice")
        if release.lead:
            paragraph = document.add_paragraph(style="Lead")
            writer.inline(paragraph, view.lead_tokens[0].children or [] if view.lead_tokens else [])
        # Same order as the page and the PDF: the first photo illustrates the news, others follow the body.
        for photo in release.photos[:1]:
            writer.photo(photo)
        writer.blocks(view.body_tokens)
        for link in release.links:
            paragraph = document.add_paragraph()
            paragraph.add_run(view.colon(link.label) + " ")
            writer.hyperlink(paragraph, link.url, link.url)
        for photo in release.photos[1:]:
            writer.photo(photo)
        if release.photos_note:
            writer.paragraph(release.photos_note, "Caption")
        if release.photo_credits:
            writer.paragraph(f"{view.colon(view.label('photo_credits'))} {release.photo_credits}", "Caption")

        # The contacts: one framed block (the styles' identical borders join into one frame).
        document.add_paragraph(view.contacts_heading, style="Contacts Heading")
        for contact in release.contacts:
            paragraph = document.add_paragraph(style="Contact")
            name = paragraph.add_run(contact.name)
            name.bold = True
            if contact.role:
                paragraph.add_run(f", {contact.role}")
            if contact.email:
                paragraph.add_run().add_break()
                writer.hyperlink(paragraph, f"mailto:{contact.email}", contact.email)
            for key, number, link in (
                ("phone", contact.phone, contact.phone_tel),
                ("mobile", contact.mobile, contact.mobile_tel),
            ):
                if number:
                    paragraph.add_run().add_break()
                    paragraph.add_run(view.colon(view.label(key)) + " ")
                    if link:
                        writer.hyperlink(paragraph, link, number)
                    else:
                        paragraph.add_run(number)  # not a number presskit could read: text, no link
            if contact.social:
                paragraph.add_run().add_break()
                if contact.social.url:
                    writer.hyperlink(paragraph, contact.social.url, contact.social.label)
                else:
                    paragraph.add_run(contact.social.label)  # a bare @handle
        if release.about:
            document.add_paragraph(view.label("about"), style="About Heading")
            writer.paragraph(release.about, "About")

        properties(document, view, context.site.organization)
        target = folder / view.docx_name
        target.write_bytes(reproducible_zip(members(document), view.published))
        return target


class _Writer:
    """Turns typeset Markdown tokens into Word paragraphs with named styles."""

    def __init__(self, document):
        self.document = document
        self.lists: list[str] = []
        self.list_numbers: list[str | None] = []  # per open list: its own w:num id, made at its first item

    def paragraph(self, text: str, style: str) -> Paragraph:
        return self.document.add_paragraph(text, style=style)

    def blocks(self, tokens) -> None:
        quote = 0
        pending_style = None
        for token in tokens:
            kind = token.type
            if kind == "heading_open":
                level = min(int(token.tag[1]) - 1, 3)
                pending_style = f"Heading {level}"
            elif kind in ("bullet_list_open", "ordered_list_open"):
                self.lists.append("List Bullet" if kind == "bullet_list_open" else "List Number")
                self.list_numbers.append(None)
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self.lists.pop()
                self.list_numbers.pop()
            elif kind == "blockquote_open":
                quote += 1
            elif kind == "blockquote_close":
                quote -= 1
            elif kind == "inline":
                style = pending_style
                if style is None and self.lists:
                    depth = min(len(self.lists), 3)  # Word's built-in list styles stop at "List Bullet 3"
                    style = self.lists[-1] + (f" {depth}" if depth > 1 else "")
                if style is None:
                    style = "Quote" if quote else "Normal"
                paragraph = self.document.add_paragraph(style=style)
                if pending_style is None and self.lists and self.lists[-1] == "List Number":
                    self._number(paragraph, style)
                self.inline(paragraph, token.children or [])
                pending_style = None
            elif kind in ("code_block", "fence"):
                paragraph = self.document.add_paragraph(style="Normal")
                run = paragraph.add_run(token.content.rstrip("\n"))
                run.font.name = "Courier New"
            elif kind == "hr":
                self.document.add_paragraph("* * *", style="Normal").alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _number(self, paragraph: Paragraph, style_name: str) -> None:
        """Give each numbered list its own w:num (on the style's abstract numbering) restarting at 1:
        with the style's numbering alone, Word and LibreOffice would continue counting across lists."""
        if self.list_numbers[-1] is None:
            style_ppr = self.document.styles[style_name].element.pPr
            num_pr = style_ppr.numPr if style_ppr is not None else None
            if num_pr is None or num_pr.numId is None:
                return  # a reference document whose list style is not numbered: leave it as styled
            numbering = self.document.part.numbering_part.element
            abstract_id = numbering.num_having_numId(num_pr.numId.val).abstractNumId.val
            num = numbering.add_num(abstract_id)
            num.add_lvlOverride(ilvl=num_pr.ilvl.val if num_pr.ilvl is not None else 0).add_startOverride(1)
            self.list_numbers[-1] = str(num.numId)
        own = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        own.get_or_add_ilvl().val = 0
        own.get_or_add_numId().val = int(self.list_numbers[-1])

    def inline(self, paragraph: Paragraph, children) -> None:
        bold = italic = False
        link = None
        for child in children:
            kind = child.type
            if kind == "strong_open":
                bold = True
            elif kind == "strong_close":
                bold = False
            elif kind == "em_open":
                italic = True
            elif kind == "em_close":
                italic = False
            elif kind == "link_open":
                link = self._hyperlink_element(paragraph, str(child.attrGet("href")))
            elif kind == "link_close":
                link = None
            elif kind in ("text", "code_inline"):
                if link is not None:
                    link.append(run_element(child.content, bold=bold, italic=italic, link=True))
                else:
                    run = paragraph.add_run(child.content)
                    run.bold = bold or None
                    run.italic = italic or None
                    if kind == "code_inline":
                        run.font.name = "Courier New"
            elif kind == "softbreak":
                target = link if link is not None else None
                if target is not None:
                    target.append(run_element(" "))
                else:
                    paragraph.add_run(" ")
            elif kind == "hardbreak":
                paragraph.add_run().add_break()

    def _hyperlink_element(self, paragraph: Paragraph, url: str):
        urls.check(url)  # the loader has checked already; never write a link that is not allowed
        rel_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        element = OxmlElement("w:hyperlink")
        element.set(qn("r:id"), rel_id)
        paragraph._p.append(element)
        return element

    def hyperlink(self, paragraph: Paragraph, url: str, text: str) -> None:
        self._hyperlink_element(paragraph, url).append(run_element(text, link=True))

    def photo(self, photo) -> None:
        width = Cm(15) if photo.width >= photo.height else Cm(10)
        paragraph = self.document.add_paragraph(style="Photo")
        paragraph.add_run().add_picture(picture(photo.source, photo.media_type, photo.convert), width=width)
        inline = paragraph._p.xpath(".//wp:docPr")
        for doc_pr in inline:
            doc_pr.set("descr", photo.alt)
            doc_pr.set("title", photo.alt)
        caption = photo.caption
        if photo.credit:
            caption = f"{caption} © {photo.credit}".strip()
        if caption:
            self.document.add_paragraph(caption, style="Caption")
