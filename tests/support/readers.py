"""Read presskit's outputs back with real readers: pypdf, python-docx, an HTML parser, feedparser."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import docx
import feedparser
import pypdf
from lxml import etree

REPO = Path(__file__).resolve().parents[2]  # tests/support/readers.py -> the repository
# The reference communiqué as the press service published it (a copy of ../shared/seeds/, kept in the
# repository so that the tests do not depend on where the clone lives).
SEED = REPO / "tests" / "data" / "000_bed6a7fd4119041d.txt"


def files_under(folder: Path) -> list[Path]:
    """Every file under a folder, links followed (a release of out/ is a link to its folder in the build store),
    sorted: what a web server pointed at the folder can serve."""
    found = []
    for root, _dirs, files in os.walk(folder, followlinks=True):
        found.extend(Path(root) / name for name in files)
    return sorted(found)


def pdf_pages(path: Path) -> list[str]:
    """Text of each page, as a PDF reader extracts it."""
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def pdf_text(path: Path, furniture: tuple[str, ...] = ()) -> str:
    """The document's running text: page footers removed, words hyphenated at line ends rejoined."""
    kept = []
    for page in pdf_pages(path):
        lines = [
            line
            for line in page.splitlines()
            if not re.fullmatch(r"(.*\s)?\d+ / \d+", line.strip()) and line.strip() not in furniture
        ]
        kept.append("\n".join(lines))
    # WeasyPrint's automatic hyphenation inserts U+2010 at line ends; a typed hyphen is U+002D.
    return re.sub("\u2010\n", "", "\n".join(kept))


def docx_text(path: Path) -> str:
    """Every paragraph of the Word document's body, in order."""
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head"):
            self.skip += 1
        if tag in ("p", "li", "br", "h1", "h2", "h3", "address", "div", "section", "figure", "figcaption"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def everything_under(out: Path) -> str:
    """Every byte under out/, decoded, plus the text a reader extracts from each PDF and DOCX, and each zip's members."""
    parts = []
    for path in files_under(out):  # links followed: a release is a link to its folder in the build store
        parts.append(str(path.relative_to(out)))
        data = path.read_bytes()
        parts.append(data.decode("utf-8", errors="replace"))
        parts.append(data.decode("utf-16-be", errors="replace"))
        if path.suffix == ".pdf":
            parts.append(pdf_text(path))
        elif path.suffix == ".docx":
            parts.append(docx_text(path))
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                parts += [archive.read(n).decode("utf-8", errors="replace") for n in archive.namelist()]
        elif path.suffix == ".zip":  # a press kit: its names and its members' bytes (its PDF and DOCX are
            with zipfile.ZipFile(io.BytesIO(data)) as archive:  # the published ones, read above)
                for name in archive.namelist():
                    parts += [name, archive.read(name).decode("utf-8", errors="replace")]
    return "\n".join(parts)


def html_text(markup: str) -> str:
    """The visible text of an HTML document or fragment."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def read_feed(path: Path):
    """The feed as feedparser (an aggregator's parser) sees it."""
    return feedparser.parse(path.read_bytes())


def words(text: str) -> list[str]:
    """Normalized word tokens: typography (quotes, apostrophes, no-break spaces) does not count."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.findall(r"\w+", text)


def seed_sentences() -> list[str]:
    """The reference communiqué, sentence by sentence (Markdown link syntax of the extract removed)."""
    text = SEED.read_text(encoding="utf-8")
    text = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    sentences = []
    for line in text.splitlines():
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZÀ-Ý«\"])", line.strip()):
            if words(sentence):
                sentences.append(sentence)
    return sentences


def missing_in_order(text: str) -> list[str]:
    """Seed sentences not found, in order and word for word, in the text (empty when all are there)."""
    haystack = words(text)
    position = 0
    missing = []
    for sentence in seed_sentences():
        needle = words(sentence)
        found = _find(haystack, needle, position)
        if found < 0:
            missing.append(sentence)
        else:
            position = found + len(needle)
    return missing


def _find(haystack: list[str], needle: list[str], start: int) -> int:
    n = len(needle)
    for i in range(start, len(haystack) - n + 1):
        if haystack[i : i + n] == needle:
            return i
    return -1


def pdf_fonts(path: Path) -> dict[str, bool]:
    """Every font the PDF's pages use (forms and annotations included): base name -> embedded?

    A font is embedded when its descriptor (the descendant's, for Type 0 fonts) carries the font
    program as FontFile (Type 1), FontFile2 (TrueType) or FontFile3 (CFF / OpenType).
    """
    fonts: dict[str, bool] = {}
    seen: set[int] = set()

    def visit_resources(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            target = font["/DescendantFonts"][0].get_object() if font.get("/Subtype") == "/Type0" else font
            descriptor = target.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont", "?"))] = embedded
        for xobject in (resources.get("/XObject") or {}).values():
            ref = getattr(xobject, "idnum", None)
            xobject = xobject.get_object()
            if ref in seen:
                continue
            seen.add(ref)
            if xobject.get("/Subtype") == "/Form":
                visit_resources(xobject.get("/Resources"))

    for page in pypdf.PdfReader(path).pages:
        visit_resources(page.get("/Resources"))
    return fonts


def pdf_structure(path: Path) -> list[tuple[str, str | None]]:
    """The tagged PDF's structure elements in document order: (type, alternate text)."""
    reader = pypdf.PdfReader(path)
    found: list[tuple[str, str | None]] = []

    def walk(node) -> None:
        node = node.get_object()
        if isinstance(node, pypdf.generic.ArrayObject):
            for child in node:
                walk(child)
        elif isinstance(node, pypdf.generic.DictionaryObject):
            if "/S" in node:
                found.append((str(node["/S"]), str(node["/Alt"]) if "/Alt" in node else None))
            if "/K" in node:
                walk(node["/K"])

    walk(reader.trailer["/Root"]["/StructTreeRoot"])
    return found


def pdf_link_targets(path: Path) -> list[list[str]]:
    """The URI of every link annotation, page by page."""
    pages = []
    for page in pypdf.PdfReader(path).pages:
        uris = []
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            if annotation.get("/Subtype") == "/Link" and action is not None and "/URI" in action.get_object():
                uris.append(str(action.get_object()["/URI"]))
        pages.append(uris)
    return pages


def pdf_image_sizes(path: Path) -> list[list[tuple[int, int]]]:
    """The pixel size of each image drawn on each page (found by the page's own drawing operators,
    since pages may share one resource dictionary that lists every image of the document)."""
    reader = pypdf.PdfReader(path)

    def drawn(stream_owner, resources, depth=0) -> list[tuple[int, int]]:
        xobjects = (resources.get_object() or {}).get("/XObject") or {} if resources is not None else {}
        content = pypdf.generic.ContentStream(stream_owner, reader) if depth else stream_owner.get_contents()
        sizes = []
        if content is None:
            return sizes
        for operands, operator in content.operations:
            if operator != b"Do" or operands[0] not in xobjects:
                continue
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                sizes.append((int(xobject["/Width"]), int(xobject["/Height"])))
            elif xobject.get("/Subtype") == "/Form" and depth < 10:
                sizes += drawn(xobject, xobject.get("/Resources") or resources, depth + 1)
        return sizes

    return [drawn(page, page.get("/Resources")) for page in reader.pages]


SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def sitemaps(out: Path) -> list[Path]:
    """The sitemaps the sitemap index (out/sitemap.xml) names, as files of out/, in its order."""
    index = etree.parse(str(out / "sitemap.xml")).getroot()
    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex", index.tag
    base = index.xpath("//s:loc/text()", namespaces=SITEMAP_NS)
    return [out / url.rsplit("/", 1)[1] for url in base]


def sitemap_urls(out: Path) -> list[etree._Element]:
    """Every <url> element of every sitemap the index names."""
    return [
        url for path in sitemaps(out) for url in etree.parse(str(path)).getroot().xpath("s:url", namespaces=SITEMAP_NS)
    ]


def sitemap_text(out: Path) -> str:
    """The index and every sitemap it names, as one text."""
    return "".join(path.read_text(encoding="utf-8") for path in [out / "sitemap.xml", *sitemaps(out)])
