"""The Word document: named styles from the reference document, lists, hyperlinks, photos, header and
footer, properties; and LibreOffice opens every one and converts it to PDF with all its text."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import RGBColor

from support.project import GOOD_RELEASE, make_project, run_presskit
from support.readers import REPO, docx_text, missing_in_order, pdf_pages, pdf_text

SLUGS = [
    "2023-09-29-occitanie-japon",
    "2024-03-12-green-hydrogen-port",
    "2024-06-03-research-call",
    "2023-05-16-salon-alimentaire-tokyo-ja",
]


def document_of(samples: Path, slug: str):
    return docx.Document(str(samples / slug / f"{slug}.docx"))


def test_release_parts_use_named_word_styles(samples):
    document = document_of(samples, "2024-03-12-green-hydrogen-port")
    styles = [
        (p.style.name, " ".join(p.text.split()))
        for p in document.paragraphs
        if p.text.strip() or p.style.name == "Photo"
    ]
    assert styles[:7] == [
        ("Release Label", "Press release"),
        ("Dateline", "Montpellier, March 12, 2024"),
        ("Release Section", "Energy transition"),
        ("Title", "Port-Vendres harbour to run on green hydrogen by 2027"),
        (
            "Subtitle",
            "The Region’s “Harbours of Tomorrow” plan funds shore power, a hydrogen refuelling quay and electric cranes",
        ),
        (
            "Notice",
            "Correction (updated March 13, 2024, 4:30 PM GMT+01:00): The electrolyser produces up to 400 kg of "
            "hydrogen a day, not 4,000 kg as first published.",
        ),
        (
            "Lead",
            "The Occitanie Region will invest €42 million to make Port-Vendres the first Mediterranean fishing and "
            "cargo harbour powered entirely by renewable electricity and green hydrogen, the Region’s vice-president "
            "for the sea announced on Tuesday.",
        ),
    ]
    assert styles[7] == ("Photo", "")
    assert styles[8] == (
        "Caption",
        "The cargo quay at Port-Vendres, where the electric cranes will be installed. © presskit sample image",
    )
    names = [name for name, _ in styles]
    assert names.count("List Bullet") == 3
    assert ("Heading 1", "What changes for harbour users") in styles
    assert ("Contacts Heading", "Press contacts") in styles
    assert names.count("Contact") == 3
    assert styles[-2:] == [
        ("About Heading", "About"),
        (
            "About",
            "The Occitanie Region is the second-largest region of metropolitan France. This boilerplate is a sample.",
        ),
    ]


def test_the_built_in_reference_document_defines_every_style(samples):
    reference = docx.Document(str(REPO / "src" / "presskit" / "theme" / "reference.docx"))
    names = {s.name for s in reference.styles}
    for name in (
        "Normal",
        "Title",
        "Subtitle",
        "Heading 1",
        "Heading 2",
        "Heading 3",
        "List Bullet",
        "List Bullet 2",
        "List Number",
        "List Number 2",
        "Quote",
        "Caption",
        "Header",
        "Footer",
        "Hyperlink",
        "Release Label",
        "Dateline",
        "Release Section",
        "Lead",
        "Photo",
        "Contacts Heading",
        "Contact",
        "About Heading",
        "About",
    ):
        assert name in names, name
    assert reference.paragraphs == [] or all(not p.text for p in reference.paragraphs)
    assert reference.styles["Normal"].font.name == "Noto Serif"
    assert reference.styles["Heading 1"].font.name == "Noto Sans"
    assert reference.styles["Photo"].paragraph_format.keep_with_next is True


def test_numbered_lists_restart_at_one(samples):
    document = document_of(samples, "2024-06-03-research-call")
    numbering = document.part.numbering_part.element
    items = [p for p in document.paragraphs if p.style.name == "List Number"]
    ids = [p._p.pPr.numPr.numId.val for p in items]
    assert len(ids) == 7 and len(set(ids[:4])) == 1 and len(set(ids[4:])) == 1 and ids[0] != ids[4]
    style_num = document.styles["List Number"].element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    for num_id in (ids[0], ids[4]):
        num = numbering.num_having_numId(num_id)
        assert num.abstractNumId.val == abstract
        assert num.lvlOverride_lst[0].startOverride.val == 1


def test_links_and_email_addresses_are_real_hyperlinks(samples):
    document = document_of(samples, "2023-09-29-occitanie-japon")
    found = [(h.text, h.url) for p in document.paragraphs for h in p.hyperlinks]
    assert found == [
        ("https://quinzaine.japonoccitanie.fr/", "https://quinzaine.japonoccitanie.fr/"),
        ("mathilde.masson@laregion.fr", "mailto:mathilde.masson@laregion.fr"),
        ("04 67 22 86 46", "tel:+33467228646"),
        ("06 07 75 52 82", "tel:+33607755282"),
        ("service.presse@laregion.fr", "mailto:service.presse@laregion.fr"),
        ("@presseoccitanie", "https://twitter.com/presseoccitanie"),
    ]
    first = next(p for p in document.paragraphs if p.hyperlinks).hyperlinks[0]._hyperlink
    assert first.find(f".//{qn('w:rStyle')}").get(qn("w:val")) == "Hyperlink"


def test_photos_are_embedded_with_alt_text_caption_and_credit(samples):
    document = document_of(samples, "2024-06-03-research-call")
    (shape,) = document.inline_shapes
    assert (
        shape._inline.docPr.get("descr") == "Illustration d’une paillasse de laboratoire avec cinq éprouvettes colorées"
    )
    blip = shape._inline.graphic.graphicData.pic.blipFill.blip
    image = document.part.related_parts[blip.embed]
    assert (
        image.content_type == "image/png"
        and len(image.blob) == (REPO / "releases" / "photos" / "hydrogen-lab.png").stat().st_size
    )
    paragraphs = document.paragraphs
    (index,) = [i for i, p in enumerate(paragraphs) if p.style.name == "Photo"]
    assert paragraphs[index + 1].style.name == "Caption"
    assert (
        paragraphs[index + 1].text
        == "Un laboratoire soutenu lors de l’édition précédente (illustration). © image d’exemple presskit"
    )


def test_header_has_logo_organization_and_label_and_footer_numbers_pages(samples):
    document = document_of(samples, "2023-09-29-occitanie-japon")
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    header = section.header.paragraphs[0]
    assert header.text.strip() == "Région Occitanie · Communiqué de presse"
    assert len(header._p.xpath(".//pic:pic")) == 1
    footer = section.footer.paragraphs[0]
    instructions = [e.text.strip() for e in footer._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Région Occitanie · ")


@pytest.mark.parametrize("slug", SLUGS)
def test_core_properties_are_set(samples, slug):
    props = document_of(samples, slug).core_properties
    expected = {
        "2023-09-29-occitanie-japon": ("fr", "Relations Internationales", "Japon, international, rugby, économie"),
        "2024-03-12-green-hydrogen-port": ("en", "Energy transition", "energy, harbours, hydrogen"),
        "2024-06-03-research-call": ("fr", "Enseignement supérieur et recherche", "recherche, appel à projets"),
        "2023-05-16-salon-alimentaire-tokyo-ja": ("ja", "国際関係", "日本, 食品, 輸出"),
    }[slug]
    assert (props.language, props.subject, props.keywords) == expected
    assert props.author == "Région Occitanie"
    assert [props.title] == [p.text for p in document_of(samples, slug).paragraphs if p.style.name == "Title"]


def test_japanese_document_declares_its_east_asian_language_and_fonts(samples):
    document = document_of(samples, "2023-05-16-salon-alimentaire-tokyo-ja")
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
    assert defaults.find(qn("w:lang")).get(qn("w:eastAsia")) == "ja"
    normal_fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal_fonts.get(qn("w:eastAsia")) == "Noto Serif CJK JP"
    assert "国際担当の副議長は「日本の消費者は品質と産地の物語を大切にします。" in docx_text(
        samples / "2023-05-16-salon-alimentaire-tokyo-ja" / "2023-05-16-salon-alimentaire-tokyo-ja.docx"
    )


def test_a_project_reference_docx_overrides_the_styles(tmp_path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE})
    (project / "templates").mkdir()
    reference = docx.Document(str(REPO / "src" / "presskit" / "theme" / "reference.docx"))
    reference.styles["Title"].font.color.rgb = RGBColor(0x00, 0x66, 0x33)
    reference.styles["Title"].font.name = "DejaVu Serif"
    reference.save(str(project / "templates" / "reference.docx"))
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(project / "out" / "2024-01-15-good" / "2024-01-15-good.docx"))
    title = document.styles["Title"]
    assert (title.font.color.rgb, title.font.name) == (RGBColor(0x00, 0x66, 0x33), "DejaVu Serif")
    assert [p.text for p in document.paragraphs if p.style.name == "Title"] == ["A good release"]


# LibreOffice: the real program a journalist may open the file with.
@pytest.fixture(scope="module")
def converted(samples, tmp_path_factory) -> Path:
    """Every sample DOCX converted to PDF by LibreOffice (headless, with a throw-away profile)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: install libreoffice-writer-nogui (make test does)"
    out = tmp_path_factory.mktemp("libreoffice")
    profile = tmp_path_factory.mktemp("lo-profile")
    sources = [str(samples / slug / f"{slug}.docx") for slug in SLUGS]
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *sources,
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "HOME": str(profile)},
    )
    assert result.returncode == 0, result.stderr
    return out


def test_libreoffice_converts_every_sample(converted):
    for slug in SLUGS:
        pages = pdf_pages(converted / f"{slug}.pdf")
        assert pages and all(page.strip() for page in pages), slug


def test_libreoffice_pdf_of_the_reference_release_has_every_sentence_in_order(converted):
    text = pdf_text(
        converted / "2023-09-29-occitanie-japon.pdf", furniture=("Région Occitanie · Communiqué de presse",)
    )
    assert missing_in_order(text) == []


def test_libreoffice_shows_numbered_lists_restarting_and_japanese_text(converted):
    text = pdf_text(converted / "2024-06-03-research-call.pdf")
    numbers = re.findall(r"^(\d)\.\s", text, flags=re.MULTILINE)
    assert numbers == ["1", "2", "3", "4", "1", "2", "3"]
    japanese = "".join(pdf_text(converted / "2023-05-16-salon-alimentaire-tokyo-ja.pdf").split())
    for expected in ("オクシタニー地域圏、東京の国際食品見本市に初出展", "報道関係者お問い合わせ先", "出展の目的"):
        assert expected in japanese, expected


def test_libreoffice_pdf_of_the_english_release_has_its_text(converted):
    text = " ".join(pdf_text(converted / "2024-03-12-green-hydrogen-port.pdf").split())
    for expected in (
        "Port-Vendres harbour to run on green hydrogen by 2027",
        "What changes for harbour users",
        "The cargo quay at Port-Vendres",
        "Claire Dupont",
        "+33 6 00 00 00 01",
        "The Occitanie Region is the second-largest region",
    ):
        assert expected in text, expected


def test_a_minimal_reference_docx_gets_the_missing_styles(tmp_path):
    """A reference saved by a word processor may define only the styles it used: the rest are added."""
    project = make_project(
        tmp_path,
        {
            "2024-01-15-good.yaml": GOOD_RELEASE.replace(
                "  First paragraph of the body.", "  ## A heading\n\n  1. one\n  2. two\n\n  > a quote"
            )
        },
    )
    (project / "templates").mkdir()
    reference = docx.Document(str(REPO / "src" / "presskit" / "theme" / "reference.docx"))
    for name in ("List Number", "Quote", "Title", "Contact", "Hyperlink"):
        element = reference.styles[name].element
        element.getparent().remove(element)
    reference.save(str(project / "templates" / "reference.docx"))
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    document = docx.Document(str(project / "out" / "2024-01-15-good" / "2024-01-15-good.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Title", "A good release") in styles and ("List Number", "two") in styles and ("Quote", "a quote") in styles


def test_a_broken_reference_docx_is_a_diagnostic(tmp_path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE})
    (project / "templates").mkdir()
    (project / "templates" / "reference.docx").write_text("not a zip")
    result = run_presskit("build", cwd=project)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    (error,) = [line for line in result.stderr.splitlines() if ": error: " in line]
    assert error.startswith("releases/2024-01-15-good.yaml:1:1: error: DOCX: ")
    assert "reference.docx is not a Word document presskit can build on" in error
    assert error.endswith("[render.docx]")


def test_the_package_is_zipped_with_the_files_python_docx_itself_saves(samples):
    """presskit zips the package's parts itself (once, reproducibly): the same files, in the same order
    and with the same bytes as python-docx's own save() of the same document."""
    import io
    import zipfile

    from presskit.renderers.docxparts import members as _members

    for slug in SLUGS:
        document = document_of(samples, slug)
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as saved:
            expected = [(item.filename, saved.read(item.filename)) for item in saved.infolist()]
        assert _members(document_of(samples, slug)) == expected
        with zipfile.ZipFile(samples / slug / f"{slug}.docx") as published:
            assert [item.filename for item in published.infolist()] == [name for name, _ in expected]
            assert {item.date_time for item in published.infolist()} == {published.infolist()[0].date_time}
