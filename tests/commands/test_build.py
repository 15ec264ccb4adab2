"""`presskit build` on the sample newsroom: every file, with the right content, read back by real readers."""

from __future__ import annotations

import datetime as dt
from email.utils import parsedate_to_datetime
from pathlib import Path

import docx
import pypdf
from lxml import etree, html

from support.project import GOOD_RELEASE, make_project, run_presskit, tree_digest
from support.readers import docx_text, html_text, pdf_text, read_feed

SLUGS = [
    "2024-06-03-research-call-en",
    "2024-06-03-research-call",
    "2024-03-12-green-hydrogen-port",
    "2023-09-29-occitanie-japon",
    "2023-05-16-salon-alimentaire-tokyo-ja",
]


def test_every_output_file_is_written(samples: Path):
    assert (samples / "index.html").is_file()
    assert (samples / "feed.xml").is_file()
    for slug in SLUGS:
        for name in ("index.html", f"{slug}.pdf", f"{slug}.docx"):
            assert (samples / slug / name).is_file(), name
    assert (samples / "2024-03-12-green-hydrogen-port" / "port-vendres-harbour-1.jpg").is_file()
    assert (samples / "2024-06-03-research-call" / "hydrogen-lab-1.png").is_file()


def test_index_lists_releases_newest_first_with_links(samples: Path):
    tree = html.parse(str(samples / "index.html"))
    titles = [a.text_content() for a in tree.xpath("//ol[@class='release-list']//h2/a")]
    assert titles[0].startswith("“Research and Society” call for projects")
    assert titles[1].startswith("Appel à projets")
    assert titles[2].startswith("Port-Vendres harbour")
    assert titles[3].startswith("La Région Occitanie continue")
    assert titles[4] == "オクシタニー地域圏、東京の国際食品見本市に初出展"
    assert len(titles) == 5  # the embargoed sample (2027) is not listed
    hrefs = [
        h for h in tree.xpath("//ol[@class='release-list']//a/@href") if "/tags/" not in h and not h.startswith("tags/")
    ]
    for slug in SLUGS:
        assert f"{slug}/index.html" in hrefs
        assert f"{slug}/{slug}.pdf" in hrefs
        assert f"{slug}/{slug}.docx" in hrefs
    assert all((samples / h).is_file() for h in hrefs)
    dates = tree.xpath("//ol[@class='release-list']//time/@datetime")
    assert dates == ["2024-06-03", "2024-06-03", "2024-03-12T10:00:00+01:00", "2023-09-29", "2023-05-16"]


def test_release_page_links_to_its_downloads(samples: Path):
    slug = "2024-03-12-green-hydrogen-port"
    tree = html.parse(str(samples / slug / "index.html"))
    downloads = tree.xpath("//nav[@class='downloads']//a/@href")
    assert downloads == [f"{slug}.pdf", f"{slug}.docx", f"{slug}-press-kit.zip"]
    assert tree.xpath("//html/@lang") == ["en"]
    assert tree.xpath("//h1")[0].text_content() == "Port-Vendres harbour to run on green hydrogen by 2027"
    assert tree.xpath("//p[@class='dateline']/time")[0].text_content() == "Montpellier, March 12, 2024"
    img = tree.xpath("//figure/img")[0]
    assert img.get("src") == "port-vendres-harbour-1.jpg"
    assert img.get("alt").startswith("Three red cranes")
    assert "presskit sample image" in tree.xpath("//figcaption")[0].text_content()
    contacts = [a.text_content() for a in tree.xpath("//address//strong")]
    assert contacts == ["Claire Dupont", "James Carter", "Regional press service"]
    assert tree.xpath("//address//a/@href")[:3] == [
        "mailto:claire.dupont@example.org",
        "tel:+33467000001",
        "tel:+33600000001",
    ]


def test_pdf_is_a4_with_the_release_text(samples: Path):
    slug = "2024-03-12-green-hydrogen-port"
    reader = pypdf.PdfReader(samples / slug / f"{slug}.pdf")
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = pdf_text(samples / slug / f"{slug}.pdf")
    for expected in (
        "PRESS RELEASE",
        "Montpellier, March 12, 2024",
        "Energy transition",
        "What changes for harbour users",
        "Claire Dupont",
        "james.carter@example.org",
        "The cargo quay at Port-Vendres",
    ):
        assert expected in text, expected
    assert reader.metadata.title == "Port-Vendres harbour to run on green hydrogen by 2027"


def test_docx_structure_of_the_numbered_list_release(samples: Path):
    slug = "2024-06-03-research-call"
    document = docx.Document(str(samples / slug / f"{slug}.docx"))
    styles = [(p.style.name, p.text) for p in document.paragraphs]
    assert (
        "Title",
        "Appel à projets «\u202fRecherche et société\u202f»\u00a0: 5 millions d’euros pour les laboratoires",
    ) in styles
    assert ("Heading 1", "Qui peut candidater\u202f?") in styles
    assert ("Heading 2", "Les critères de sélection") in styles
    numbered = [t for s, t in styles if s == "List Number"]
    assert numbered[0] == "Dépôt des dossiers en ligne jusqu’au 15 septembre 2024\u202f;"
    assert len(numbered) == 7
    quotes = [t for s, t in styles if s == "Quote"]
    assert len(quotes) == 1 and quotes[0].startswith("«\u202fLa recherche publique")
    assert len(document.inline_shapes) == 1
    assert document.core_properties.title.startswith("Appel à projets")
    assert document.core_properties.language == "fr"


def test_feed_items_have_what_aggregators_need(samples: Path):
    feed = read_feed(samples / "feed.xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.feed.title == "Région Occitanie\u00a0: communiqués de presse"
    assert feed.feed.language == "fr"
    assert [e.link for e in feed.entries] == [f"https://presse.example.org/{s}/" for s in SLUGS]
    entry = feed.entries[2]
    assert entry.id == "https://presse.example.org/2024-03-12-green-hydrogen-port/"
    assert parsedate_to_datetime(entry.published) == dt.datetime(
        2024, 3, 12, 10, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert entry.summary.startswith("The Occitanie Region will invest €42 million")
    enclosure = entry.enclosures[0]
    pdf = samples / "2024-03-12-green-hydrogen-port" / "2024-03-12-green-hydrogen-port.pdf"
    assert (
        enclosure.href == "https://presse.example.org/2024-03-12-green-hydrogen-port/2024-03-12-green-hydrogen-port.pdf"
    )
    assert int(enclosure.length) == pdf.stat().st_size
    assert enclosure.type == "application/pdf"
    assert "Shipping lines calling at Port-Vendres" in html_text(entry.content[0].value)
    assert (
        "https://presse.example.org/2024-03-12-green-hydrogen-port/port-vendres-harbour-1.jpg" in entry.content[0].value
    )
    assert [t.term for t in entry.tags] == ["energy", "harbours", "hydrogen"]


def test_feed_last_build_date_comes_from_the_content(samples: Path):
    root = etree.parse(str(samples / "feed.xml")).getroot()
    assert root.findtext("channel/lastBuildDate") == "Mon, 03 Jun 2024 00:00:00 +0200"


def test_all_four_outputs_carry_the_same_content(samples: Path):
    slug = "2024-03-12-green-hydrogen-port"
    texts = {
        "pdf": pdf_text(samples / slug / f"{slug}.pdf"),
        "docx": docx_text(samples / slug / f"{slug}.docx"),
        "html": html_text((samples / slug / "index.html").read_text()),
        "feed": html_text(read_feed(samples / "feed.xml").entries[2].content[0].value),
    }
    for expected in (
        "Press release",
        "Montpellier, March 12, 2024",
        "Energy transition",
        "shore power for every berth",
        "“A harbour that breathes clean air",
        "What changes for harbour users",
        "The “Harbours of Tomorrow” plan:",
        "The cargo quay at Port-Vendres",
        "presskit sample image",
        "Press contacts",
        "Claire Dupont",
        "Press officer, energy and the sea",
        "+33 6 00 00 00 01",
        "https://social.example.org/@occitanie",
        "The Occitanie Region is the second-largest region",
    ):
        for fmt, text in texts.items():
            assert expected.lower() in " ".join(text.split()).lower(), (fmt, expected)


def test_options_out_base_url_and_drafts(tmp_path: Path):
    draft = GOOD_RELEASE.replace("title: A good release", "title: Draft release") + "draft: true\n"
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE, "2024-01-16-draft.yaml": draft})
    result = run_presskit("build", "--out", "public", "--base-url", "https://press.example.com/news", cwd=project)
    assert result.returncode == 0, result.stderr
    assert not (project / "out").exists()
    feed = read_feed(project / "public" / "feed.xml")
    assert [e.link for e in feed.entries] == ["https://press.example.com/news/2024-01-15-good/"]
    assert not (project / "public" / "2024-01-16-draft").exists()
    result = run_presskit("build", "--out", "public", "--drafts", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "public" / "2024-01-16-draft" / "2024-01-16-draft.pdf").is_file()


def test_now_decides_what_an_embargo_holds_back(tmp_path: Path):
    embargoed = (
        GOOD_RELEASE.replace("title: A good release", "title: Secret merger") + "embargo: 2024-02-01T09:00:00+01:00\n"
    )
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE, "2024-01-20-secret.yaml": embargoed})
    before = run_presskit("build", "--now", "2024-02-01T07:59:00Z", cwd=project)
    assert before.returncode == 0, before.stderr
    assert not (project / "out" / "2024-01-20-secret").exists()
    assert "Secret merger" not in (project / "out" / "index.html").read_text()
    after = run_presskit("build", "--now", "2024-02-01T08:00:00Z", cwd=project)
    assert after.returncode == 0, after.stderr
    assert "Secret merger" in (project / "out" / "index.html").read_text()


def test_usage_errors_exit_2(tmp_path: Path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE})
    assert run_presskit("build", "--now", "yesterday", cwd=project).returncode == 2
    assert run_presskit("build", "--base-url", "javascript:alert(1)", cwd=project).returncode == 2
    assert run_presskit("build", "--no-such-option", cwd=project).returncode == 2
    assert not (project / "out").exists()


def test_python_dash_m_and_console_script_agree(tmp_path: Path):
    project = make_project(tmp_path, {"2024-01-15-good.yaml": GOOD_RELEASE})
    result = run_presskit("--version", cwd=project)
    assert result.returncode == 0 and "presskit" in result.stdout


def test_empty_project_builds_an_empty_newsroom_with_defaults(tmp_path: Path):
    (tmp_path / "releases").mkdir()
    result = run_presskit("build", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    feed = read_feed(tmp_path / "out" / "feed.xml")
    assert not feed.bozo and feed.entries == []
    assert tree_digest(tmp_path / "out").keys() == {
        "index.html",
        "feed.xml",
        "atom.xml",
        "feed.json",
        "newsroom.css",
        "sitemap.xml",
        "sitemap-pages.xml",
        "robots.txt",
    }
