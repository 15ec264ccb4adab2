"""Markup in release text is shown as text everywhere, never run; links with unsafe schemes are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tinyhtml5
from lxml import etree
from lxml import html as lxml_html
from PIL import Image

from support.hostile import build_refused, write
from support.project import make_project, run_presskit
from support.readers import docx_text, pdf_text, read_feed

PAYLOAD = "<script>alert(1)</script><img src=x onerror=alert(2)><iframe src=https://evil.example/></iframe><style>body{display:none}</style><!-- hidden -->"
FORBIDDEN_TAGS = {"script", "iframe", "object", "embed", "frame", "frameset", "base", "form"}
RELEASE = f"""\
title: '{PAYLOAD}'
subtitle: '{PAYLOAD}'
section: '{PAYLOAD}'
location: '<b>Paris</b>'
label: '<blink>Release</blink>'
date: 2024-02-01
lead: '{PAYLOAD} and *emphasis*'
body: |
  {PAYLOAD}

  <div onclick=alert(3)>block html</div>

  A [link <script>x</script>](https://example.org/"><script>alert(4)</script>) in a paragraph.

  - item {PAYLOAD}
links:
  - label: '{PAYLOAD}'
    url: https://example.org/"onmouseover="alert(5)
photos:
  - file: pixel.png
    alt: '"><script>alert(6)</script>'
    caption: '{PAYLOAD}'
photos_note: '{PAYLOAD}'
tags: ['{PAYLOAD}']
about: '{PAYLOAD}'
contacts:
  - name: '{PAYLOAD}'
    role: '<i>role</i>'
    social:
      label: '{PAYLOAD}'
      url: https://social.example.org/@me
"""


@pytest.fixture(scope="module")
def hostile_out(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("markup"), {"2024-02-01-markup.yaml": RELEASE})
    Image.new("RGB", (4, 4), "red").save(project / "releases" / "pixel.png")
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return project / "out"


def _assert_inert(markup: str, where: str) -> None:
    """Parsed as a browser would (an HTML5 parser) and by libxml2: no active element, handler or comment."""
    document = tinyhtml5.parse(markup, namespace_html_elements=False)
    for script in document.iter("script"):  # only data blocks (JSON-LD), whose text must still be valid JSON
        assert script.get("type") == "application/ld+json", (where, script.attrib, script.text)
        json.loads(script.text or "")
    tags = {element.tag for element in document.iter() if isinstance(element.tag, str)} - {"script"}
    assert not tags & FORBIDDEN_TAGS, (where, tags & FORBIDDEN_TAGS)
    body = document.find("body")
    assert body is None or not list(body.iter("style")), where  # a <style> in the body would restyle the page
    for element in document.iter():
        if isinstance(element.tag, str):
            handlers = [name for name in element.attrib if name.lower().startswith("on")]
            assert not handlers, (where, element.tag, handlers)
            for name in ("href", "src"):
                value = element.get(name, "")
                assert not value.lower().lstrip().startswith(("javascript:", "vbscript:", "data:")), (where, value)
    tree = lxml_html.fromstring(markup)
    active = "//script[not(@type='application/ld+json')] | //iframe | //body//style | //*[@onerror] | //*[@onclick] | //*[@onmouseover]"
    assert not tree.xpath(active), where
    assert not [c for c in tree.xpath("//comment()") if "hidden" in (c.text or "")], where


def test_the_release_page_and_the_index_show_markup_as_text(hostile_out: Path):
    for name in ("2024-02-01-markup/index.html", "index.html"):
        page = (hostile_out / name).read_text(encoding="utf-8")
        _assert_inert(page, name)
    tree = lxml_html.parse(str(hostile_out / "2024-02-01-markup" / "index.html"))
    assert tree.xpath("//h1")[0].text_content() == PAYLOAD
    assert tree.xpath("//p[@class='subtitle']")[0].text_content() == PAYLOAD
    assert PAYLOAD in tree.xpath("//div[@class='body']")[0].text_content()
    assert "<div onclick=alert(3)>block html</div>" in tree.xpath("//div[@class='body']")[0].text_content()
    assert tree.xpath("//figure/img/@alt") == ["\u201c><script>alert(6)</script>"]  # typography curls the quote
    assert tree.xpath("//ul[@class='links']//a/@href") == ['https://example.org/"onmouseover="alert(5)']
    # Markdown link targets are percent-encoded by markdown-it: the quote cannot close the attribute.
    assert tree.xpath("//div[@class='body']//a/@href") == [
        "https://example.org/%22%3E%3Cscript%3Ealert(4)%3C/script%3E"
    ]


def test_the_feed_shows_markup_as_text(hostile_out: Path):
    raw = etree.parse(str(hostile_out / "feed.xml"))
    item = raw.find("channel/item")
    assert item.findtext("title") == PAYLOAD
    assert item.findtext("category") == PAYLOAD
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded")
    description = item.findtext("description")
    _assert_inert(content, "content:encoded")
    _assert_inert(f"<div>{description}</div>", "description")
    assert PAYLOAD in lxml_html.fromstring(content).text_content()
    assert PAYLOAD in lxml_html.fromstring(f"<div>{description}</div>").text_content()
    feed = read_feed(hostile_out / "feed.xml")
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.entries[0].title == PAYLOAD


def test_the_docx_and_pdf_carry_the_markup_literally(hostile_out: Path):
    folder = hostile_out / "2024-02-01-markup"
    text = docx_text(folder / "2024-02-01-markup.docx")
    lines = text.split("\n")
    # section, title, subtitle, body paragraph, caption, photos note, social label, about
    assert lines.count(PAYLOAD) == 8, text
    assert lines[:2] == ["<blink>Release</blink>", "<b>Paris</b>, February 1, 2024"]
    assert f"{PAYLOAD} and emphasis" in lines
    assert "<div onclick=alert(3)>block html</div>" in lines
    assert "item " + PAYLOAD in lines
    pdf = " ".join(pdf_text(folder / "2024-02-01-markup.pdf").split())
    assert "<script>alert(1)</script>" in pdf
    assert "<!-- hidden -->" in pdf


SCHEMES = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "file:///etc/passwd",
]


@pytest.mark.parametrize("url", SCHEMES)
def test_unsafe_link_schemes_are_refused_naming_the_field(project_copy: Path, url: str):
    write(
        project_copy,
        f"title: T\ndate: 2024-02-01\nlead: Read [this]({url}) first.\nbody: |\n  Intro.\n\n  More [here]({url}).\n"
        f"links:\n  - label: Site\n    url: {url}\ncontacts:\n  - name: A\n    social: {url}\n"
        f"  - name: B\n    social:\n      label: Follow\n      url: {url}\n",
    )
    scheme = url.split(":")[0].lower()
    why = f"'{scheme}:' links are not allowed ('{url}'); use http, https, mailto or tel [release.url]"
    expected = [
        f"releases/2024-02-01-bad.yaml:3:19: error: lead: {why}",
        f"releases/2024-02-01-bad.yaml:7:15: error: body: {why}",
        f"releases/2024-02-01-bad.yaml:10:10: error: links.url: {why}",
        f"releases/2024-02-01-bad.yaml:13:13: error: contacts.social: {why}",
        f"releases/2024-02-01-bad.yaml:17:12: error: contacts.social.url: {why}",
    ]
    assert build_refused(project_copy, *expected) == expected


def test_obfuscated_markdown_links_are_refused(project_copy: Path):
    write(
        project_copy,
        "title: T\ndate: 2024-02-01\nbody: |\n  Auto <javascript:alert(1)> link.\n\n  Ref [x][r] link.\n\n"
        "  Entity [y](javascript&#58;alert(2)) link.\n\n  Spaces [w]( javascript:alert(4) ) link.\n\n"
        "  [r]: vbscript:alert(1)\ncontacts:\n  - name: A\n",
    )
    why = "links are not allowed ('{}'); use http, https, mailto or tel [release.url]"
    expected = [
        "releases/2024-02-01-bad.yaml:3:7: error: body: 'javascript:' " + why.format("javascript:alert(2)"),
        "releases/2024-02-01-bad.yaml:4:9: error: body: 'javascript:' " + why.format("javascript:alert(1)"),
        "releases/2024-02-01-bad.yaml:10:15: error: body: 'javascript:' " + why.format("javascript:alert(4)"),
        "releases/2024-02-01-bad.yaml:12:8: error: body: 'vbscript:' " + why.format("vbscript:alert(1)"),
    ]
    assert build_refused(project_copy, *expected) == expected
