"""Wrapping the press kit's text at 72 columns: at spaces, inside CJK text, never inside a URL or at a no-break space."""

from __future__ import annotations

from presskit.site.plaintext import columns, wrap

URL = "https://www.example.org/a/very/long/address/that/no/line/of/seventy-two/columns/can/hold"


def test_lines_break_at_spaces_and_keep_their_indent():
    text = "word " * 30
    lines = wrap(text, 20, "- ", "  ")
    assert lines[0].startswith("- word") and all(line.startswith("  word") for line in lines[1:])
    assert all(len(line) <= 20 for line in lines)
    assert " ".join(line.strip("- ") for line in lines) == text.strip()


def test_a_url_longer_than_a_line_stands_whole_on_its_own_line():
    assert wrap(f"Details on {URL} today.", 72) == ["Details on", URL, "today."]


def test_no_break_spaces_hold_words_together():
    text = "a " * 30 + "Tél.\u00a0: 04\u00a067"
    lines = wrap(text, 40)
    assert lines[-1].endswith("Tél.\u00a0: 04\u00a067") and "Tél." not in lines[-2]


def test_japanese_is_wrapped_between_characters_by_columns_never_before_a_closing_mark():
    text = "オクシタニー地域圏は、フランス本土で2番目に大きな地域圏です。" * 4
    lines = wrap(text, 72)
    assert len(lines) > 1
    assert all(columns(line) <= 72 for line in lines)
    assert columns(lines[0]) >= 68  # filled (a piece such as ニー, which may not break, is 4 columns)
    assert "".join(lines) == text
    assert not any(line.startswith(("。", "、")) for line in lines)


def test_columns_counts_wide_characters_twice():
    assert columns("abc") == 3 and columns("日本") == 4 and columns("e\u0301") == 1
