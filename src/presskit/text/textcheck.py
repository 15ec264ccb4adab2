"""Text a document cannot carry as written: unbalanced bidirectional controls, characters no font has.

Bidirectional controls (U+202A-U+202E embeddings and overrides, U+2066-U+2069 isolates) are kept
only when they are closed on the line that opens them: an unclosed RIGHT-TO-LEFT OVERRIDE in a title
would reverse whatever follows the title (the page's `<title>`, a listing, a feed reader's line, the PDF's
metadata). The others are removed from the content model by the validation (releases.py), and
`checks` warns about each one at its place; one rule, so that every output carries the same text.

Font coverage is asked of fontconfig (`fc-list`, the font list WeasyPrint's Pango falls back through),
once per process: the union of every installed font's character set.
"""

from __future__ import annotations

import functools
import re
import subprocess
import unicodedata

_EMBEDDINGS = "\u202a\u202b\u202d\u202e"  # LRE, RLE, LRO, RLO: closed by PDF (U+202C)
_POP_FORMATTING = "\u202c"
_ISOLATES = "\u2066\u2067\u2068"  # LRI, RLI, FSI: closed by PDI (U+2069)
_POP_ISOLATE = "\u2069"
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def unbalanced_bidi(text: str) -> list[int]:
    """Indices of the bidirectional controls that a line of `text` opens without closing, or closes unopened.

    UAX #9: a PDF closes the last embedding or override when no isolate was opened after it; a PDI
    closes the last open isolate (and anything opened inside it, which is then unbalanced); a line end
    closes everything.
    """
    if not BIDI_CONTROLS.search(text):
        return []
    bad: list[int] = []
    stack: list[tuple[int, str]] = []
    for index, char in enumerate(text):
        if char == "\n":
            bad.extend(i for i, _ in stack)
            stack = []
        elif char in _EMBEDDINGS or char in _ISOLATES:
            stack.append((index, char))
        elif char == _POP_FORMATTING:
            if stack and stack[-1][1] in _EMBEDDINGS:
                stack.pop()
            else:
                bad.append(index)
        elif char == _POP_ISOLATE:
            if any(c in _ISOLATES for _, c in stack):
                while stack[-1][1] not in _ISOLATES:
                    bad.append(stack.pop()[0])
                stack.pop()
            else:
                bad.append(index)
    bad.extend(i for i, _ in stack)
    return sorted(bad)


def balance_bidi(text: str) -> str:
    """The text without its unbalanced bidirectional controls (see unbalanced_bidi)."""
    bad = set(unbalanced_bidi(text))
    return "".join(c for i, c in enumerate(text) if i not in bad) if bad else text


def describe(char: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE'."""
    name = unicodedata.name(char, "")
    if not name:
        name = {"Co": "private use character", "Cn": "unassigned in Unicode " + unicodedata.unidata_version}.get(
            unicodedata.category(char), ""
        )
        name = f"({name})" if name else ""
    return f"U+{ord(char):04X} {name}".rstrip()


# Characters drawn without a glyph (controls, format characters such as ZERO WIDTH JOINER, variation
# selectors): no font is asked for them.
_DRAWN_WITHOUT_GLYPH = re.compile("[\ufe00-\ufe0f\u034f\U000e0100-\U000e01ef]")


def needs_glyph(char: str) -> bool:
    """Whether a character is drawn with a glyph that some font must have (ASCII is taken as given)."""
    if char < "\x80":
        return False
    return unicodedata.category(char) not in ("Cc", "Cf", "Zl", "Zp", "Cs") and not _DRAWN_WITHOUT_GLYPH.match(char)


@functools.cache
def _coverage() -> bytearray | None:
    """One byte per code point, 1 where an installed font has a glyph; None when fontconfig cannot be asked."""
    try:
        listing = subprocess.run(
            ["fc-list", "--format", "%{charset}\n"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    covered = bytearray(0x110000)
    ones = memoryview(b"\x01" * 0x110000)
    # Fonts of one family share most ranges: each distinct range is set once.
    for item in set(" ".join(set(listing.splitlines())).split()):
        first, _, last = item.partition("-")
        try:
            low, high = int(first, 16), int(last or first, 16)
        except ValueError:
            continue
        if 0 <= low <= high < 0x110000:
            covered[low : high + 1] = ones[: high - low + 1]
    return covered


def no_font_has(char: str) -> bool:
    """True when no installed font has a glyph for this character (False when fontconfig cannot tell)."""
    covered = _coverage()
    return covered is not None and needs_glyph(char) and not covered[ord(char)]


def missing_glyphs(chars: str) -> list[str]:
    """The characters of `chars` that no installed font has, in order, once each."""
    candidates = [c for c in dict.fromkeys(chars) if needs_glyph(c)]
    return [c for c in candidates if no_font_has(c)] if candidates else []
