"""Typography rules, once for all formats: French spacing and guillemets, curly quotes, URLs untouched."""

from __future__ import annotations

import pytest

from presskit.text.typography import typeset

NBSP, NNBSP = "\u00a0", "\u202f"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Contact presse :", f"Contact presse{NBSP}:"),
        ("Quoi? Vraiment !", f"Quoi{NNBSP}? Vraiment{NNBSP}!"),
        ("nippon ;", f"nippon{NNBSP};"),
        ('le "Club Japon Occitanie" pour', f"le «{NNBSP}Club Japon Occitanie{NNBSP}» pour"),
        ("Yujo («Amitié» en japonais)", f"Yujo («{NNBSP}Amitié{NNBSP}» en japonais)"),
        ("« déjà espacé »", f"«{NNBSP}déjà espacé{NNBSP}»"),
        ("l'Hôtel d'Aïchi", "l’Hôtel d’Aïchi"),
        (
            "+ d'infos : https://quinzaine.japonoccitanie.fr/?a=1;b=2",
            f"+ d’infos{NBSP}: https://quinzaine.japonoccitanie.fr/?a=1;b=2",
        ),
        ("écrire à service.presse@laregion.fr !", f"écrire à service.presse@laregion.fr{NNBSP}!"),
        ("rendez-vous à 12:30 ; merci", f"rendez-vous à 12:30{NNBSP}; merci"),
        ("suivez @presseoccitanie !", f"suivez @presseoccitanie{NNBSP}!"),
    ],
)
def test_french(source, expected):
    assert typeset(source, "fr") == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('He said "it\'s fine" today.', "He said “it’s fine” today."),
        ("'Quoted' words", "‘Quoted’ words"),
        ("Note: no space is added; ever!", "Note: no space is added; ever!"),
        ("see https://example.org/it's", "see https://example.org/it's"),
    ],
)
def test_english(source, expected):
    assert typeset(source, "en") == expected


def test_regional_variant_uses_its_base_language():
    assert typeset("Bonjour !", "fr-CA") == f"Bonjour{NNBSP}!"


def test_unknown_language_falls_back_to_english_rules():
    assert typeset('"Hi"', "sw") == "“Hi”"


def test_code_in_markdown_is_left_alone():
    from presskit.text import markup

    html = markup.render('Tapez `echo "a:b"` puis "ok" !', "fr")
    assert "<code>echo &quot;a:b&quot;</code>" in html
    assert f"«{NNBSP}ok{NNBSP}»{NNBSP}!" in html


def test_japanese_quotes_pair_up_in_order():
    assert typeset('副議長は"日本の消費者は"と述べた。"次"も', "ja") == "副議長は「日本の消費者は」と述べた。「次」も"


def test_japanese_quotes_pair_across_a_line_break_in_markdown():
    from presskit.text import markup

    html = markup.render('副議長は"日本の消費者は\n大切にします"と述べた。', "ja")
    assert "副議長は「日本の消費者は\n大切にします」と述べた。" in html
