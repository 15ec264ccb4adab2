"""The PDF as a journalist and an accessibility checker receive it: layout, tags, metadata, fonts, variants."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pyphen
import pytest

from support.project import MINIMAL_CONFIG, make_project, run_presskit
from support.readers import pdf_fonts, pdf_image_sizes, pdf_link_targets, pdf_pages, pdf_structure, pdf_text

RELEASES = {
    "2023-09-29-occitanie-japon": ("fr", "La Région Occitanie continue de renforcer sa coopération avec le Japon"),
    "2024-03-12-green-hydrogen-port": ("en", "Port-Vendres harbour to run on green hydrogen by 2027"),
    "2024-06-03-research-call": ("fr", "Appel à projets «\u202fRecherche et société\u202f»\u00a0: 5 millions d’euros"),
    "2023-05-16-salon-alimentaire-tokyo-ja": ("ja", "オクシタニー地域圏、東京の国際食品見本市に初出展"),
}
PHOTOS = {  # slug -> (pixel size, caption start, alt text)
    "2024-03-12-green-hydrogen-port": (
        (1600, 1000),
        "The cargo quay at Port-Vendres",
        "Three red cranes on the quay of Port-Vendres at sunrise, with containers in the foreground",
    ),
    "2024-06-03-research-call": (
        (1200, 900),
        "Un laboratoire soutenu lors de l’édition précédente",
        "Illustration d’une paillasse de laboratoire avec cinq éprouvettes colorées",
    ),
}
LOGO_SIZE = (480, 480)


def pdf_of(samples: Path, slug: str) -> Path:
    return samples / slug / f"{slug}.pdf"


def xmp_identification(reader: pypdf.PdfReader) -> dict[str, str]:
    """The PDF/A and PDF/UA identification of the XMP metadata (pdfaid:part, pdfuaid:part, ...)."""
    from lxml import etree

    namespaces = {"http://www.aiim.org/pdfa/ns/id/": "pdfaid", "http://www.aiim.org/pdfua/ns/id/": "pdfuaid"}
    root = etree.fromstring(reader.trailer["/Root"]["/Metadata"].get_object().get_data())
    found = {}
    for element in root.iter():
        for name, value in [*element.attrib.items(), *((element.tag, element.text) for _ in [0] if len(element) == 0)]:
            qname = etree.QName(name)
            if qname.namespace in namespaces:
                found[f"{namespaces[qname.namespace]}:{qname.localname}"] = value
    return found


@pytest.mark.parametrize("slug", RELEASES)
def test_pdf_is_tagged_with_language_title_and_author(samples, slug):
    lang, title = RELEASES[slug]
    reader = pypdf.PdfReader(pdf_of(samples, slug))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == lang
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    assert reader.metadata.title.startswith(title)
    assert reader.metadata.author == "Région Occitanie"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title["x-default"].startswith(title)
    assert xmp_identification(reader) == {"pdfuaid:part": "1"}  # PDF/UA-1 by default
    kinds = [kind for kind, _alt in pdf_structure(pdf_of(samples, slug))]
    assert kinds[0] == "/Document" and "/H1" in kinds and kinds.count("/H1") == 1


@pytest.mark.parametrize("slug", RELEASES)
def test_every_page_is_a4_with_its_number_and_the_organization(samples, slug):
    pages = pdf_pages(pdf_of(samples, slug))
    reader = pypdf.PdfReader(pdf_of(samples, slug))
    for number, (page, text) in enumerate(zip(reader.pages, pages), start=1):
        box = page.mediabox
        assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
        assert text.rstrip().endswith(f"Région Occitanie {number} / {len(pages)}"), text[-80:]


@pytest.mark.parametrize("slug", RELEASES)
def test_all_fonts_are_embedded_and_are_the_documented_noto_faces(samples, slug):
    fonts = pdf_fonts(pdf_of(samples, slug))
    assert fonts and all(fonts.values()), fonts
    families = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    expected = {"Noto-Sans", "Noto-Sans-Bold"} | (
        {"Noto-Sans-CJK-JP", "Noto-Sans-CJK-JP-Bold"} if slug.endswith("-ja") else {"Noto-Serif", "Noto-Serif-Bold"}
    )
    assert expected <= families, families
    # One CJK face pair at most: each CJK face costs about 40 MB of memory while the PDF is made.
    assert not any("Serif-CJK" in name for name in families), families
    assert all(name.startswith("Noto-") for name in families), families


def test_letterhead_then_section_headline_lead_body_contacts_about(samples):
    slug = "2024-03-12-green-hydrogen-port"
    text = " ".join(pdf_text(pdf_of(samples, slug)).split())
    assert text.startswith(
        "Région Occitanie PRESS RELEASE Montpellier, March 12, 2024 Energy transition "
        "Port-Vendres harbour to run on green hydrogen by 2027"
    )
    order = [
        "The Occitanie Region will invest €42 million",
        "The cargo quay at Port-Vendres",
        "presskit sample image",
        "shore power for every berth",
        "tugs and the regional coach line to Perpignan.",
        "Press contacts",
        "Claire Dupont",
        "Regional press service",
        "About",
        "The Occitanie Region is the second-largest region",
    ]
    positions = [text.find(fragment) for fragment in order]
    assert -1 not in positions and positions == sorted(positions), list(zip(order, positions))


def test_the_logo_is_drawn_in_the_letterhead_only(samples):
    for slug in RELEASES:
        sizes = pdf_image_sizes(pdf_of(samples, slug))
        assert sizes[0].count(LOGO_SIZE) == 1
        assert all(LOGO_SIZE not in page for page in sizes[1:])


def test_continuation_pages_carry_label_and_date(samples):
    pages = pdf_pages(pdf_of(samples, "2023-09-29-occitanie-japon"))
    assert len(pages) == 2
    assert "Communiqué de presse · Toulouse, le 29 septembre 2023" in pages[1]
    assert "Communiqué de presse · " not in pages[0]


@pytest.mark.parametrize("slug", PHOTOS)
def test_photos_are_on_the_same_page_as_their_caption_and_carry_alt_text(samples, slug):
    size, caption, alt = PHOTOS[slug]
    pages = [" ".join(p.split()) for p in pdf_pages(pdf_of(samples, slug))]
    sizes = pdf_image_sizes(pdf_of(samples, slug))
    (page,) = [i for i, text in enumerate(pages) if caption in text]
    assert size in sizes[page]
    assert page == 0  # the photo illustrates the news on the first page, under the lead
    figures = [a for kind, a in pdf_structure(pdf_of(samples, slug)) if kind == "/Figure"]
    assert figures == [alt]


def test_links_are_clickable(samples):
    targets = pdf_link_targets(pdf_of(samples, "2023-09-29-occitanie-japon"))
    flat = [uri for page in targets for uri in page]
    assert flat == [
        "https://quinzaine.japonoccitanie.fr/",
        "mailto:mathilde.masson@laregion.fr",
        "tel:+33467228646",
        "tel:+33607755282",
        "mailto:service.presse@laregion.fr",
        "https://twitter.com/presseoccitanie",
    ]


@pytest.mark.parametrize(
    ("slug", "lang"), [("2023-09-29-occitanie-japon", "fr"), ("2024-03-12-green-hydrogen-port", "en")]
)
def test_hyphenation_follows_the_language(samples, slug, lang):
    """Words are broken at line ends, and only where the language's hyphenation patterns allow."""
    raw = "\n".join(pdf_pages(pdf_of(samples, slug)))
    breaks = re.findall(r"(\w+)\u2010\n(\w+)", raw)
    assert breaks, raw
    dictionary = pyphen.Pyphen(lang=lang)
    for before, after in breaks:
        assert len(before) in dictionary.positions(before + after), (before, after)


def test_japanese_release_renders_its_glyphs(samples):
    text = pdf_text(pdf_of(samples, "2023-05-16-salon-alimentaire-tokyo-ja"))
    flat = "".join(text.split())
    for expected in (
        "プレスリリース",
        "2023年5月16日、東京",
        "オクシタニー地域圏、東京の国際食品見本市に初出展",
        "出展の目的",
        "地理的表示（GI）で守られた産品の認知度向上",
        "国際担当の副議長は「日本の消費者は品質と産地の物語を大切にします。",
        "報道関係者お問い合わせ先",
        "電話：+81355550000",
        "概要",
    ):
        assert expected in flat, expected


LONG_RELEASE = """\
title: A long release to stress page breaks
date: 2024-01-15
location: Paris
lang: en
body: |
  {preamble}

{sections}
photos:
  - file: photos/wide.png
    alt: A wide grey test picture
    caption: First picture caption.
    credit: Test credit one
  - file: photos/tall.png
    alt: A tall blue test picture
    caption: Second picture caption.
    credit: Test credit two
contacts:
  - name: Ann Example
    email: ann@example.org
"""
FILLER = "Paragraph text that fills lines of the page"


@pytest.fixture(scope="module")
def long_release_pdfs(tmp_path_factory) -> list[Path]:
    """Ten long releases, each shifted down by about a line more than the last, so that headings and
    photos land at every height of the pages, the foot included."""
    from PIL import Image

    sections = []
    for n in range(1, 13):
        sections.append(f"  ## Section heading number {n}\n\n  {' '.join([FILLER] * (4 + (n * 5) % 9))}.\n")
    releases = {
        f"2024-01-{10 + k}-long.yaml": LONG_RELEASE.format(
            preamble=" ".join([FILLER] * (2 + 2 * k)), sections="\n".join(sections)
        )
        for k in range(10)
    }
    project = make_project(tmp_path_factory.mktemp("long"), releases)
    (project / "releases" / "photos").mkdir()
    Image.new("RGB", (1600, 900), (128, 128, 128)).save(project / "releases" / "photos" / "wide.png")
    Image.new("RGB", (700, 1000), (40, 80, 160)).save(project / "releases" / "photos" / "tall.png")
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    return sorted((project / "out").glob("*/*.pdf"))


def test_no_heading_is_stranded_at_a_page_foot(long_release_pdfs):
    assert len(long_release_pdfs) == 10
    for path in long_release_pdfs:
        pages = pdf_pages(path)
        assert len(pages) >= 3
        for page in pages[:-1]:
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            lines = [line for line in lines if not re.fullmatch(r"Test Office \d+ / \d+|Press release · .*", line)]
            assert not lines[-1].startswith("Section heading number"), (path.name, lines[-3:])


def test_photos_stay_with_caption_and_credit_wherever_they_fall(long_release_pdfs):
    for path in long_release_pdfs:
        pages = [" ".join(p.split()) for p in pdf_pages(path)]
        sizes = pdf_image_sizes(path)
        for size, caption in (
            ((1600, 900), "First picture caption. © Test credit one"),
            ((700, 1000), "Second picture caption. © Test credit two"),
        ):
            (page,) = [i for i, text in enumerate(pages) if caption in text]
            assert size in sizes[page], (path.name, caption, sizes)


def test_pdf_a3b_variant_is_chosen_by_configuration(tmp_path):
    config = MINIMAL_CONFIG + 'pdf_variant = "PDF/A-3b"\n'
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE_FR}, config)
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "out" / "2024-01-15-good" / "2024-01-15-good.pdf"
    reader = pypdf.PdfReader(path)
    assert xmp_identification(reader) == {"pdfaid:part": "3", "pdfaid:conformance": "B"}
    assert reader.trailer["/Root"]["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert bool(reader.trailer["/Root"]["/MarkInfo"]["/Marked"]) is True  # still tagged
    assert reader.trailer["/Root"]["/Lang"] == "fr"
    assert all(pdf_fonts(path).values())


GOOD_RELEASE_FR = """\
title: Un communiqué d'archive
date: 2024-01-15
location: Lyon
lang: fr
body: |
  Premier paragraphe : il est archivé.
contacts:
  - name: Anne Exemple
    email: anne@example.org
"""


@pytest.mark.parametrize(
    "setting, expected",
    [
        (
            'pdf_variant = "pdf/x-4"',
            "unknown pdf_variant 'pdf/x-4'; use one of 'pdf/ua-1', 'pdf/a-3b', 'pdf/a-3u', 'pdf/a-3a' [config.pdf-variant]",
        ),
        (
            'logo = "assets/logo.png"',
            "logo 'assets/logo.png' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged [config.logo]",
        ),
    ],
)
def test_a_pdf_setting_presskit_cannot_use_is_a_diagnostic(tmp_path, setting, expected):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE_FR}, MINIMAL_CONFIG + setting + "\n")
    (project / "assets").mkdir()
    (project / "assets" / "logo.png").write_text("<svg/>")  # not an image
    result = run_presskit("build", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"pyproject.toml:5:1: error: {expected}"
    assert "Traceback" not in result.stderr
    assert not (project / "out").exists()


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig>
  <dir>/usr/share/fonts/truetype/dejavu</dir>
  <cachedir>{cache}</cachedir>
</fontconfig>
"""


def test_without_noto_the_pdf_falls_back_to_dejavu(tmp_path):
    """A machine without the Noto fonts still gets a complete PDF, in DejaVu (fonts-dejavu-core)."""
    assert Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file(), "install fonts-dejavu-core"
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(cache=tmp_path / "cache"))
    project = make_project(tmp_path / "project", {"2024-01-15-good.yaml": GOOD_RELEASE_FR})
    result = run_presskit("build", cwd=project, env={"FONTCONFIG_FILE": str(conf)})
    assert result.returncode == 0, result.stderr
    path = project / "out" / "2024-01-15-good" / "2024-01-15-good.pdf"
    fonts = pdf_fonts(path)
    families = {re.sub(r"^/[A-Z]{6}\+", "", name) for name in fonts}
    assert all(fonts.values()) and families and all(f.startswith("DejaVu") for f in families), families
    assert "Premier paragraphe\u00a0: il est archivé." in pdf_text(path)
