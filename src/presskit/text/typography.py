"""Language-aware typography, applied once to every text that any output format shows.

French: no-break space before ':', narrow no-break spaces before '; ! ?' and inside « guillemets »,
straight quotes turned into guillemets, curled apostrophes. English: curly quotes and apostrophes.
Web addresses, e-mail addresses and times are left exactly as written; callers skip code.
"""

from __future__ import annotations

import re

from presskit.text import locales

_SPACES = " \t\u00a0\u202f"
_PROTECTED = re.compile(
    r"(?:https?|ftp|mailto|tel):[^\s<>]+"  # URLs
    r"|www\.[^\s<>]+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|@\w+"  # social handles
    r"|\b\d{1,2}:\d{2}\b"  # times
)
_OPENERS = "([{«“‘—–-/\u00a0\u202f"


def _segments(text: str):
    """Yield (part, protected) pieces of a text."""
    pos = 0
    for match in _PROTECTED.finditer(text):
        if match.start() > pos:
            yield text[pos : match.start()], False
        yield match.group(), True
        pos = match.end()
    if pos < len(text):
        yield text[pos:], False


def typeset(text: str, lang: str, prev: str = "") -> str:
    """Return text with the typographic conventions of `lang`; `prev` is the text before it (same paragraph), if any.

    Where words are not separated by spaces (Japanese), a straight quote cannot be told opening or
    closing by its neighbours: the language's data sets `alternate_quotes` and quotes pair up in order.
    """
    if not text:
        return text
    _labels, rules = locales.data(lang)
    alternate = bool(rules.get("alternate_quotes"))
    open_quotes = prev.count(rules["open_quote"]) - prev.count(rules["close_quote"]) if alternate else 0
    space_before: dict[str, str] = rules.get("space_before", {})
    space_after: dict[str, str] = rules.get("space_after", {})
    out: list[str] = []
    last = prev[-1:] if prev else ""
    for part, protected in _segments(text):
        if protected:
            out.append(part)
            last = part[-1]
            continue
        buf: list[str] = []
        i = 0
        n = len(part)
        while i < n:
            c = part[i]
            nxt = part[i + 1] if i + 1 < n else ""
            if c == '"':
                if alternate:
                    opening = open_quotes <= 0
                    open_quotes += 1 if opening else -1
                else:
                    opening = last == "" or last.isspace() or last in _OPENERS
                if opening:
                    buf.append(rules["open_quote"])
                    # « followed by its own space rule: swallow typed spaces after the opening mark
                    while i + 1 < n and part[i + 1] in _SPACES:
                        i += 1
                else:
                    while buf and buf[-1] in _SPACES:
                        buf.pop()
                    buf.append(rules["close_quote"])
                last = buf[-1][-1]
            elif c == "'":
                inner = last and (last.isalnum() or last in ".,;:!?)]»”’%")
                buf.append(rules["apostrophe"] if inner else rules["opening_apostrophe"])
                last = buf[-1][-1]
            elif c in space_before:
                had_space = False
                while buf and buf[-1] in _SPACES:
                    buf.pop()
                    had_space = True
                follows_word = (
                    last != "" and not last.isspace() and last not in space_before and last not in space_after
                )
                ends_word = nxt == "" or nxt.isspace() or nxt in space_before
                if had_space or (follows_word and ends_word):
                    buf.append(space_before[c])
                buf.append(c)
                last = c
            elif c in space_after:
                buf.append(c)
                while i + 1 < n and part[i + 1] in _SPACES:
                    i += 1
                if i + 1 < n:
                    buf.append(space_after[c])
                last = buf[-1][-1]
            else:
                buf.append(c)
                last = c
            i += 1
        out.append("".join(buf))
    return "".join(out)
