"""The release as plain text, in the page's reading order: the e-mail's text part and the press kit's text file.

Lists keep their markers, links their addresses (`label <https://...>`), contacts their labels (`Tél. : ...`),
so that the text says what the page says. `width` wraps it for pasting into an editorial system: at spaces,
and between the characters of Chinese and Japanese text (never before a closing mark such as 。 or 」); a
word wider than the line (a URL) is kept whole on a line of its own.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from presskit.site.view import ReleaseView

EDITORIAL_WIDTH = 72  # columns of the press kit's text file: what editorial systems and e-mail expect


@dataclass(frozen=True)
class Line:
    """One paragraph or line of the text: wrapped lines after the first start with `indent`."""

    text: str
    prefix: str = ""
    indent: str = ""


def release_text(view: ReleaseView, width: int = 0, page: bool = False) -> str:
    """The release as text, from the label to the boilerplate; wrapped at `width` columns when it is not 0.

    `page` gives it exactly as the page shows it: the correction note under the headline, and each photo
    (`[file name] caption © credit`) where the page has its figure. Without it (the e-mail, which attaches
    no photo and gives a correction above everything), the photos' credits are gathered on one line.
    """
    release = view.release
    figures = [_figure(photo) for photo in release.photos] if page else []
    lines: list[Line | None] = [Line(release.label.upper()), Line(view.dateline)]  # None is a blank line
    if release.section:
        lines.append(Line(release.section))
    lines += [None, Line(release.title)]
    if release.subtitle:
        lines.append(Line(release.subtitle))
    if page and view.correction_line:
        lines += [None, Line(view.correction_line)]
    lines.append(None)
    if view.lead_text:
        lines += [Line(view.lead_text), None]
    for figure in figures[:1]:  # the first photo illustrates the news: after the lead, as on the page
        lines += [figure, None]
    lines += [*body_lines(view.body_tokens), None]
    if release.links:
        lines += [*(Line(f"{view.colon(link.label)} {link.url}") for link in release.links), None]
    for figure in figures[1:]:
        lines += [figure, None]
    credit = release.photo_credits if page else credits(view)
    if release.photos_note:
        lines.append(Line(release.photos_note))
    if credit:
        lines.append(Line(f"{view.colon(view.label('photo_credits'))} {credit}"))
    lines.append(None)
    lines.append(Line(view.contacts_heading))
    for contact in release.contacts:
        lines += [None, *contact_lines(view, contact)]
    about = release.about or view.config.about_for(release.lang)
    if about:
        lines += [None, Line(view.label("about")), Line(about)]
    return "\n".join(_written(lines, width)).strip("\n") + "\n"


def _figure(photo) -> Line:
    """A photo as the page's figure shows it, named by its file (in the press kit, beside the text)."""
    parts = [f"[{photo.filename}]", photo.caption, f"© {photo.credit}" if photo.credit else ""]
    return Line(" ".join(part for part in parts if part), "", "  ")


def credits(view: ReleaseView) -> str:
    """The photo credits line: the release's own, or each photo's credit once, in order."""
    release = view.release
    return release.photo_credits or ", ".join(dict.fromkeys(p.credit for p in release.photos if p.credit))


def contact_lines(view: ReleaseView, contact) -> list[Line]:
    """A contact as the page shows it: name and role, e-mail, labelled numbers, social address."""
    lines = [Line(", ".join(x for x in (contact.name, contact.role) if x))]
    if contact.email:
        lines.append(Line(contact.email))
    for key, number in (("phone", contact.phone), ("mobile", contact.mobile)):
        if number:
            lines.append(Line(f"{view.colon(view.label(key))} {number}"))
    if contact.social is not None:
        social = contact.social
        shown = social.label if not social.url or social.label == social.url else f"{social.label} <{social.url}>"
        lines.append(Line(shown))
    return lines


def body_lines(tokens) -> list[Line | None]:
    """Markdown block tokens as lines: paragraphs and headings apart, list items with their markers."""
    lines: list[Line | None] = []
    lists: list[list] = []  # open lists: [marker kind, next number, tight]
    item_prefix = None  # the marker of the list item whose first block comes next
    for token in tokens:
        kind = token.type
        if kind in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1)
            lists.append(["-" if kind == "bullet_list_open" else ".", start, True])
        elif kind in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
            if not lists:
                lines.append(None)
        elif kind == "list_item_open":
            marker, number, _ = lists[-1]
            item_prefix = "- " if marker == "-" else f"{number}. "
            lists[-1][1] += 1
        elif kind == "paragraph_open" and lists and not token.hidden:
            lists[-1][2] = False
        elif kind in ("inline", "code_block", "fence"):
            text = inline_text(token.children or ()) if kind == "inline" else token.content.rstrip("\n")
            depth = "  " * max(len(lists) - 1, 0)
            if item_prefix is not None:
                prefix, item_prefix = depth + item_prefix, None
            else:
                prefix = depth + ("  " if lists else "")
            indent = depth + ("  " if lists else "")
            if lines and lines[-1] is not None and not (lists and lists[-1][2]):
                lines.append(None)
            for number, part in enumerate(text.split("\n")):
                lines.append(Line(part, prefix if number == 0 else indent, indent))
            if not lists:
                lines.append(None)
    while lines and lines[-1] is None:
        lines.pop()
    return lines


def inline_text(children) -> str:
    """The visible text of inline tokens, each link followed by its address when the text does not show it."""
    parts: list[str] = []
    targets: list[tuple[str, int]] = []
    for child in children:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            targets.append((str(child.attrGet("href") or ""), len(parts)))
        elif child.type == "link_close" and targets:
            href, start = targets.pop()
            shown = "".join(parts[start:])
            address = href.removeprefix("mailto:").removeprefix("tel:")
            if href and address not in shown:
                parts.append(f" <{href}>")
    return "".join(parts)


def _written(lines: list[Line | None], width: int) -> list[str]:
    out: list[str] = []
    for line in lines:
        if line is None:
            if out and out[-1] != "":
                out.append("")
        elif width:
            out += wrap(line.text, width, line.prefix, line.indent)
        else:
            out.append(line.prefix + line.text)
    return out


# Where a line may break inside a word: between wide (CJK) characters, except before closing marks and
# after opening ones (the basic kinsoku rule).
_NO_START = set("、。，．・：；？！）」』】〕〉》｝］ー々ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ…‥,.;:!?)]}»")
_NO_END = set("（「『【〔〈《｛［«([{")


def columns(text: str) -> int:
    """How many terminal columns the text takes: two for wide (CJK) characters, none for combining marks."""
    if text.isascii():
        return len(text)
    return sum(_column(c) for c in text)


def _column(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _pieces(word: str) -> list[str]:
    """A word split where a line may break inside it (between CJK characters)."""
    if word.isascii():
        return [word]
    pieces = [word[:1]]
    wide = [unicodedata.east_asian_width(c) in "WF" for c in word]
    for i in range(1, len(word)):
        before, char = word[i - 1], word[i]
        if (wide[i - 1] or wide[i]) and char not in _NO_START and before not in _NO_END:
            pieces.append(char)
        else:
            pieces[-1] += char
    return pieces


def wrap(text: str, width: int, prefix: str = "", indent: str = "") -> list[str]:
    """The text on lines of at most `width` columns, broken at spaces (only U+0020: no-break spaces hold)
    and inside CJK text; a piece wider than a line (a long URL) stands alone on its line."""
    lines: list[str] = []
    line, used, empty = prefix, columns(prefix), True
    for word in re.split(r" +", text.strip(" ")):
        for number, piece in enumerate(_pieces(word) if word else []):
            glue = " " if number == 0 else ""
            size = columns(piece)
            if empty:
                line, used, empty = line + piece, used + size, False
            elif used + len(glue) + size <= width:
                line, used = line + glue + piece, used + len(glue) + size
            else:
                lines.append(line)
                line, used = indent + piece, columns(indent) + size
    lines.append(line)
    return [x.rstrip(" ") for x in lines]
