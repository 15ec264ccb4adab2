"""Typography is applied once and reaches all four outputs: PDF text, DOCX paragraphs, web page, feed."""

from __future__ import annotations

import pytest

from support.readers import docx_text, html_text, pdf_text, read_feed

NBSP, NNBSP = "\u00a0", "\u202f"


def four_outputs(samples, slug: str) -> dict[str, str]:
    feed = read_feed(samples / "feed.xml")
    (entry,) = [e for e in feed.entries if e.link.endswith(f"/{slug}/")]
    return {
        "pdf": pdf_text(samples / slug / f"{slug}.pdf"),
        "docx": docx_text(samples / slug / f"{slug}.docx"),
        "html": html_text((samples / slug / "index.html").read_text(encoding="utf-8")),
        "feed": html_text(entry.content[0].value),
    }


FRENCH = [
    f"Appel à projets «{NNBSP}Recherche et société{NNBSP}»{NBSP}: 5 millions d’euros",  # guillemets, colon, apostrophe
    f"Qui peut candidater{NNBSP}?",
    f"Dépôt des dossiers en ligne jusqu’au 15 septembre 2024{NNBSP};",
    f"«{NNBSP}La recherche publique n’est jamais aussi utile",
    f"Pour toute question{NBSP}: écrivez à",
    f"recherche@example.org{NNBSP}!",  # the address itself untouched
    "Contact presse",
]


@pytest.mark.parametrize("output", ["pdf", "docx", "html", "feed"])
def test_french_typography_in_every_output(samples, output):
    flat = four_outputs(samples, "2024-06-03-research-call")[output].replace("\n", " ")
    for expected in FRENCH:
        assert expected in flat, (output, expected)
    assert " :" not in flat and " ;" not in flat and " ?" not in flat and " !" not in flat  # no plain space before
    assert "'" not in flat and '"' not in flat  # no straight quote or apostrophe left


@pytest.mark.parametrize("output", ["pdf", "docx", "html", "feed"])
def test_french_typography_in_the_reference_release(samples, output):
    flat = four_outputs(samples, "2023-09-29-occitanie-japon")[output].replace("\n", " ")
    for expected in (
        f"«{NNBSP}Club Japon Occitanie{NNBSP}»",
        f"Yujo («{NNBSP}Amitié{NNBSP}» en japonais)",
        f"à l’Hôtel de Région{NBSP}: HORIBA",
        f"marché nippon{NNBSP};",
        "https://quinzaine.japonoccitanie.fr/",
    ):
        assert expected in flat, (output, expected)


@pytest.mark.parametrize("output", ["pdf", "docx", "html", "feed"])
def test_english_curly_quotes_in_every_output(samples, output):
    flat = " ".join(four_outputs(samples, "2024-03-12-green-hydrogen-port")[output].split())
    for expected in (
        "The Region’s “Harbours of Tomorrow” plan funds shore power",
        "“A harbour that breathes clean air is a harbour that keeps its jobs,” said the vice-president.",
        "the harbour’s tugs",
        "The “Harbours of Tomorrow” plan: https://www.example.org/harbours-of-tomorrow",
    ):
        assert expected in flat, (output, expected)
    assert "'" not in flat and '"' not in flat and "\u00a0:" not in flat
