"""Markdown (CommonMark, raw HTML never passed through) to typeset tokens, HTML and plain text."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from presskit.text import typography, urls


@dataclass(frozen=True)
class LinkRef:
    """A link or image found in Markdown source, with its 0-based line offset in that source."""

    kind: str  # "link" or "image"
    url: str
    line_offset: int


@functools.cache
def _parser(strict: bool = True) -> MarkdownIt:
    # html=False: raw HTML in the source is escaped and shown as text, never emitted as markup.
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable("image")
    # Rendering only ever sees URLs the loader has already checked; this is the second line of defence.
    md.validateLink = urls.is_allowed if strict else (lambda url: True)
    return md


@functools.cache
def _finder() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False})
    md.validateLink = lambda url: True
    return md


def find_links(source: str, inline: bool = False) -> list[LinkRef]:
    """Every link target in the source, including those the renderer would refuse, for validation."""
    md = _finder()
    found: list[LinkRef] = []
    tokens = md.parseInline(source) if inline else md.parse(source)
    line = 0
    for token in tokens:
        if token.map:
            line = token.map[0]
        for child in token.children or ():
            if child.type == "link_open":
                found.append(LinkRef("link", str(child.attrGet("href") or ""), line))
            elif child.type == "image":
                found.append(LinkRef("image", str(child.attrGet("src") or ""), line))
    return found


def _typeset_inline(children: list[Token], lang: str, prev: str) -> str:
    # `prev` is the paragraph's text so far: quotes pair up across emphasis, links and line breaks.
    for child in children:
        if child.type == "text":
            child.content = typography.typeset(child.content, lang, prev)
            prev += child.content
        elif child.type == "code_inline":
            prev += child.content
        elif child.type in ("softbreak", "hardbreak"):
            prev += " "
    return prev


def parse(source: str, lang: str) -> list[Token]:
    """Block tokens with typeset text; headings start at level 2 (the headline is level 1)."""
    tokens = _parser().parse(source)
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
        if token.type == "inline" and token.children:
            _typeset_inline(token.children, lang, "")
    return tokens


def parse_inline(source: str, lang: str) -> list[Token]:
    """Inline tokens (for the lead) with typeset text."""
    tokens = _parser().parseInline(source)
    for token in tokens:
        if token.children:
            _typeset_inline(token.children, lang, "")
    return tokens


def to_html(tokens: list[Token]) -> str:
    """HTML for parsed tokens (block or inline)."""
    md = _parser()
    return md.renderer.render(tokens, md.options, {})


def plain_text(tokens: list[Token]) -> str:
    """The visible text of tokens, paragraphs separated by blank lines."""
    blocks: list[str] = []
    for token in tokens:
        if token.type == "inline":
            parts = []
            for child in token.children or ():
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" " if child.type == "softbreak" else "\n")
            blocks.append("".join(parts))
        elif token.type == "code_block" or token.type == "fence":
            blocks.append(token.content.rstrip("\n"))
    return "\n\n".join(blocks)


def render(source: str, lang: str) -> str:
    """Block Markdown to typeset HTML."""
    return to_html(parse(source, lang)) if source else ""


def render_inline(source: str, lang: str) -> str:
    """Inline Markdown to typeset HTML."""
    return to_html(parse_inline(source, lang)) if source else ""


def text_of_inline(source: str, lang: str) -> str:
    """Inline Markdown to typeset plain text."""
    return plain_text(parse_inline(source, lang)) if source else ""
