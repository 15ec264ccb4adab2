"""The reference communiqué: every sentence, in order, in the PDF, the DOCX, the web page and the feed."""

from __future__ import annotations

import pytest

from support.readers import docx_text, html_text, missing_in_order, pdf_text, read_feed, seed_sentences

SLUG = "2023-09-29-occitanie-japon"


def test_seed_is_split_into_many_sentences():
    sentences = seed_sentences()
    assert len(sentences) >= 20
    assert sentences[0] == "Communiqué de presse"
    assert sentences[-1].startswith("service.presse@laregion.fr")


def test_pdf_has_every_sentence_in_order(samples):
    text = pdf_text(samples / SLUG / f"{SLUG}.pdf", furniture=("Région Occitanie",))
    assert missing_in_order(text) == []


def test_docx_has_every_sentence_in_order(samples):
    assert missing_in_order(docx_text(samples / SLUG / f"{SLUG}.docx")) == []


def test_html_page_has_every_sentence_in_order(samples):
    page = (samples / SLUG / "index.html").read_text(encoding="utf-8")
    assert missing_in_order(html_text(page)) == []


def test_feed_item_has_every_sentence_in_order(samples):
    feed = read_feed(samples / "feed.xml")
    (item,) = [e for e in feed.entries if e.link.endswith(f"/{SLUG}/")]
    assert missing_in_order(html_text(item.content[0].value)) == []


@pytest.mark.parametrize("reader", ["pdf", "docx", "html"])
def test_a_dropped_sentence_would_be_noticed(samples, reader):
    """The order check can fail: remove one sentence from a real output and it reports exactly that one."""
    path = {
        "pdf": samples / SLUG / f"{SLUG}.pdf",
        "docx": samples / SLUG / f"{SLUG}.docx",
        "html": samples / SLUG / "index.html",
    }[reader]
    text = {
        "pdf": lambda p: pdf_text(p, ("Région Occitanie",)),
        "docx": docx_text,
        "html": lambda p: html_text(p.read_text()),
    }[reader](path)
    text = text.replace("Kubota", "Toyota")
    missing = missing_in_order(text)
    assert len(missing) == 1 and "Kubota" in missing[0]
