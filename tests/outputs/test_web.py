"""The web pages: valid HTML (Nu HTML Checker), accessible (axe-core in Chromium), semantic, with the
metadata that sites linking to a release read (JSON-LD NewsArticle, Open Graph, Twitter cards)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html

from support.project import make_project, run_presskit
from support.readers import REPO, files_under

NODE_TOOLS = REPO / "node_modules"
SLUGS = [
    "2024-06-03-research-call",
    "2024-03-12-green-hydrogen-port",
    "2023-09-29-occitanie-japon",
    "2023-05-16-salon-alimentaire-tokyo-ja",
]


def every_page(out: Path) -> list[Path]:
    """Every HTML page of the built newsroom: listings and release pages alike."""
    pages = [path for path in files_under(out) if path.suffix == ".html"]  # links followed
    assert out / "index.html" in pages and all(out / slug / "index.html" in pages for slug in SLUGS)
    return pages


def test_nu_html_checker_reports_no_error_on_any_page(samples):
    java = shutil.which("java")
    assert java, "Java is missing: install default-jre-headless (make test does)"
    vnu = NODE_TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
    assert vnu.is_file(), "vnu-jar is missing: run make test (npm ci)"
    result = subprocess.run(
        [java, "-jar", str(vnu), "--format", "json", "--errors-only", *map(str, every_page(samples))],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stderr or result.stdout)
    assert report["messages"] == [], json.dumps(report["messages"], indent=1, ensure_ascii=False)
    assert result.returncode == 0


def test_axe_finds_no_serious_or_critical_violation_on_any_page(samples):
    node = shutil.which("node")
    assert node, "Node.js is missing: install nodejs (make test does)"
    assert Path("/usr/bin/chromium").is_file(), "Chromium is missing: install chromium (make test does)"
    assert (NODE_TOOLS / "playwright-core").is_dir() and (NODE_TOOLS / "axe-core").is_dir(), "run make test (npm ci)"
    pages = every_page(samples)
    result = subprocess.run(
        [node, str(REPO / "tests" / "web" / "axe-check.mjs"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(report) == sorted(f"{page}@{width}" for page in pages for width in (1280, 390))
    serious = {page: [v for v in found if v["impact"] in ("serious", "critical")] for page, found in report.items()}
    assert all(not found for found in serious.values()), json.dumps(serious, indent=1, ensure_ascii=False)


def test_axe_would_report_a_real_violation(tmp_path):
    """The accessibility check can fail: an image without alt text and an unlabelled field are caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Bad</title></head><body><main>'
        '<img src="x.png"><input type="text"></main></body></html>'
    )
    result = subprocess.run(
        ["node", str(REPO / "tests" / "web" / "axe-check.mjs"), str(page)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    report = json.loads(result.stdout)
    ids = {v["id"] for v in report[f"{page}@1280"]}
    assert {"image-alt", "label"} <= ids


@pytest.mark.parametrize("slug", SLUGS)
def test_release_page_is_semantic_html5(samples, slug):
    tree = html.parse(str(samples / slug / "index.html"))
    lang = {"2024-03-12-green-hydrogen-port": "en", "2023-05-16-salon-alimentaire-tokyo-ja": "ja"}.get(slug, "fr")
    assert tree.xpath("/html/@lang") == [lang]
    assert tree.xpath("//meta[@name='viewport']/@content") == ["width=device-width, initial-scale=1"]
    (article,) = tree.xpath("//main/article")
    assert article.xpath("./header/h1") and len(tree.xpath("//h1")) == 1
    (time,) = article.xpath("./header//time")
    assert (
        time.get("datetime")
        == {
            "2024-06-03-research-call": "2024-06-03",
            "2024-03-12-green-hydrogen-port": "2024-03-12T10:00:00+01:00",
            "2023-09-29-occitanie-japon": "2023-09-29",
            "2023-05-16-salon-alimentaire-tokyo-ja": "2023-05-16",
        }[slug]
    )
    assert article.xpath(".//section[@class='contacts']/address")
    for figure in article.xpath(".//figure"):
        assert figure.xpath("./img/@alt")[0] and figure.xpath("./figcaption")


def test_download_links_give_the_real_sizes(samples):
    slug = "2024-03-12-green-hydrogen-port"
    tree = html.parse(str(samples / slug / "index.html"))
    sizes = [s.text_content() for s in tree.xpath("//nav[@class='downloads']//span[@class='size']")]
    kb = lambda name: max(1, round((samples / slug / name).stat().st_size / 1024))  # noqa: E731
    assert sizes == [
        f"(PDF, {kb(slug + '.pdf')}\u00a0kB)",
        f"({kb(slug + '.docx')}\u00a0kB)",
        f"(ZIP, {kb(slug + '-press-kit.zip')}\u00a0kB)",
    ]


def news_article(tree) -> dict:
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    return json.loads(script.text)


def test_json_ld_news_article(samples):
    tree = html.parse(str(samples / "2024-03-12-green-hydrogen-port" / "index.html"))
    article = news_article(tree)
    base = "https://presse.example.org/2024-03-12-green-hydrogen-port/"
    assert article["@context"] == "https://schema.org" and article["@type"] == "NewsArticle"
    assert article["headline"] == "Port-Vendres harbour to run on green hydrogen by 2027"
    assert article["datePublished"] == "2024-03-12T10:00:00+01:00"
    assert article["dateline"] == "Montpellier, March 12, 2024"
    assert article["locationCreated"] == {"@type": "Place", "name": "Montpellier"}
    assert article["inLanguage"] == "en"
    assert article["author"] == {
        "@type": "Organization",
        "name": "Région Occitanie",
        "url": "https://presse.example.org/",
    }
    assert article["publisher"]["logo"] == {"@type": "ImageObject", "url": "https://presse.example.org/logo.png"}
    assert (samples / "logo.png").is_file()
    assert article["image"][0]["url"] == base + "port-vendres-harbour-1.jpg"
    assert article["url"] == article["mainEntityOfPage"] == base
    assert tree.xpath("//link[@rel='canonical']/@href") == [base]


def test_open_graph_and_twitter_card(samples):
    tree = html.parse(str(samples / "2024-03-12-green-hydrogen-port" / "index.html"))
    og = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    tw = {m.get("name"): m.get("content") for m in tree.xpath("//meta[starts-with(@name, 'twitter:')]")}
    image = "https://presse.example.org/2024-03-12-green-hydrogen-port/port-vendres-harbour-1.jpg"
    assert og["og:type"] == "article" and og["og:locale"] == "en_US"
    assert og["og:title"] == tw["twitter:title"] == "Port-Vendres harbour to run on green hydrogen by 2027"
    assert og["og:url"] == "https://presse.example.org/2024-03-12-green-hydrogen-port/"
    assert og["og:image"] == tw["twitter:image"] == image
    assert og["og:image:alt"].startswith("Three red cranes")
    assert og["og:description"].startswith("The Occitanie Region will invest €42 million")
    assert tw["twitter:card"] == "summary_large_image"
    assert og["article:published_time"] == "2024-03-12T10:00:00+01:00"


def test_listing_pages_carry_their_own_link_preview(samples):
    """Shared on a social network or read by a search engine, a listing page is the newsroom's collection
    of releases: Open Graph and Twitter tags, and a CollectionPage listing the releases in page order."""
    tree = html.parse(str(samples / "en" / "index.html"))
    og = {m.get("property"): m.get("content") for m in tree.xpath("//meta[@property]")}
    tw = {m.get("name"): m.get("content") for m in tree.xpath("//meta[starts-with(@name, 'twitter:')]")}
    assert og["og:type"] == "website" and og["og:locale"] == "en_US"
    assert og["og:title"] == tw["twitter:title"] == tree.xpath("string(//h1)")
    assert og["og:url"] == "https://presse.example.org/en/" == tree.xpath("//link[@rel='canonical']/@href")[0]
    assert og["og:image"] == tw["twitter:image"] == "https://presse.example.org/logo.png"
    assert og["og:site_name"] == "Région Occitanie" and tw["twitter:card"] == "summary"
    assert og["og:description"] == tree.xpath("//meta[@name='description']/@content")[0] != ""
    (script,) = tree.xpath("//script[@type='application/ld+json']")
    page = json.loads(script.text)
    assert (page["@type"], page["url"], page["inLanguage"]) == (
        "CollectionPage",
        "https://presse.example.org/en/",
        "en",
    )
    assert page["publisher"]["logo"] == {"@type": "ImageObject", "url": "https://presse.example.org/logo.png"}
    links = [a.get("href") for a in tree.xpath("//ol[@class='release-list']//h2/a")]
    items = page["mainEntity"]["itemListElement"]
    assert [item["position"] for item in items] == list(range(1, len(links) + 1)) and len(links) >= 2
    assert [item["url"].removeprefix("https://presse.example.org/") for item in items] == [
        link.removeprefix("../").removesuffix("index.html") for link in links
    ]


HOSTILE = """\
title: 'Title </script><script>alert(1)</script> & "more"'
date: 2024-01-15
location: '<b>Paris</b>'
lang: en
body: |
  Body with </script> inside.
contacts:
  - name: Ann Example
    email: ann@example.org
"""


def test_json_ld_is_inert_whatever_the_release_says(tmp_path):
    project = make_project(tmp_path, {"2024-01-15-hostile.yaml": HOSTILE})
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    source = (project / "out" / "2024-01-15-hostile" / "index.html").read_text()
    (script,) = [part.split("</script>")[0] for part in source.split('<script type="application/ld+json">')[1:]]
    assert "<" not in script and ">" not in script and "&" not in script
    assert source.count("<script") == 1
    tree = html.fromstring(source)
    article = json.loads(tree.xpath("//script[@type='application/ld+json']")[0].text)
    assert article["headline"] == "Title </script><script>alert(1)</script> & “more”"
    assert article["locationCreated"]["name"] == "<b>Paris</b>"
    assert tree.xpath("//meta[@property='og:title']/@content") == [article["headline"]]


def test_pages_fit_a_phone_and_print_without_navigation(samples):
    """At 390 pixels wide nothing scrolls sideways and no text is tiny; printed, the page keeps the
    organization and the communiqué and drops the navigation and download buttons."""
    assert Path("/usr/bin/chromium").is_file(), "Chromium is missing: install chromium (make test does)"
    pages = every_page(samples)
    result = subprocess.run(
        ["node", str(REPO / "tests" / "web" / "layout-check.mjs"), *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert sorted(report) == sorted(map(str, pages))
    for page, found in report.items():
        assert found["phone"]["scrollWidth"] == 390, page
        assert found["phone"]["smallestFontPx"] >= 12, page
        display = found["print"]["display"]
        assert display[".masthead"] != "none" and display["main"] == "block", page
        assert display[".site-footer"] == display[".skip-link"] == "none", page
    for slug in SLUGS:
        release_page = report[str(samples / slug / "index.html")]
        assert release_page["print"]["display"][".downloads"] == "none", slug
        assert release_page["print"]["breakInside"][".contacts"] == "avoid", slug
    photo_page = report[str(samples / "2024-03-12-green-hydrogen-port" / "index.html")]
    assert photo_page["print"]["breakInside"]["figure.photo"] == "avoid"
