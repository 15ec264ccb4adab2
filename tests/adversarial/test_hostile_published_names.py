"""Every published file name is made by presskit: a photo or logo named like a page cannot become one."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

from lxml import html as lxml_html
from PIL import Image

from support.hostile import build_refused, write
from support.project import GOOD_RELEASE, MINIMAL_CONFIG, make_project, run_presskit
from support.readers import files_under

SLUG = "2024-01-15-good"
KIT = f"{SLUG}-press-kit.zip"
SCRIPT = b"<script>alert(document.cookie)</script>"


def _gif_with_script() -> bytes:
    """A valid GIF whose comment holds a script: served as text/html, it would run in the newsroom's origin."""
    buffer = io.BytesIO()
    Image.new("P", (4, 4), 1).save(buffer, "GIF", comment=SCRIPT)
    data = buffer.getvalue()
    assert SCRIPT in data
    return data


def _image(kind: str, colour: str = "red") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, kind)
    return buffer.getvalue()


def _with_photos(*names: str) -> str:
    items = "".join(f"  - file: {name}\n    alt: Photo {n}\n    credit: Us\n" for n, name in enumerate(names, start=1))
    return GOOD_RELEASE + "photos:\n" + items


# What presskit writes beside the page in a release's folder (the agency files included).
DOCUMENTS = (f"{SLUG}.pdf", f"{SLUG}.docx", f"{SLUG}.ninjs.json", f"{SLUG}.newsml.xml", KIT)


def _published(out: Path) -> set[str]:
    return {str(p.relative_to(out)) for p in files_under(out)}


def _build(project: Path) -> Path:
    result = run_presskit("build", "--jobs", "1", cwd=project)
    assert result.returncode == 0, result.stderr
    return project / "out"


def test_a_photo_named_html_is_published_under_its_image_name(tmp_path: Path):
    project = make_project(tmp_path, {f"{SLUG}.yaml": _with_photos("photo.html")})
    (project / "releases" / "photo.html").write_bytes(_gif_with_script())
    out = _build(project)
    assert {p.name for p in (out / SLUG).iterdir()} == {"index.html", *DOCUMENTS, "photo-1.gif"}
    published = (out / SLUG / "photo-1.gif").read_bytes()
    assert published.startswith(b"GIF89a") and SCRIPT not in published  # the comment is not published (photocredits)
    with Image.open(out / SLUG / "photo-1.gif") as gif, Image.open(project / "releases" / "photo.html") as source:
        assert gif.tobytes() == source.tobytes()
    page = lxml_html.fromstring((out / SLUG / "index.html").read_bytes())
    assert page.xpath("//figure//img/@src") == ["photo-1.gif"]
    assert not [name for name in _published(out) if name.endswith(".html") and SCRIPT in (out / name).read_bytes()]


def test_photos_named_like_the_page_and_the_pdf_overwrite_nothing(tmp_path: Path):
    """`index.html` (a PNG) and `<slug>.pdf` (a JPEG) were overwritten by the page and the PDF, silently."""
    project = make_project(
        tmp_path, {f"{SLUG}.yaml": _with_photos("index.html", f"{SLUG}.pdf", f"{SLUG}.docx", "feed.xml")}
    )
    sources = {
        "index.html": _image("PNG", "red"),
        f"{SLUG}.pdf": _image("JPEG", "blue"),
        f"{SLUG}.docx": _image("GIF", "green"),
        "feed.xml": _image("WEBP", "yellow"),
    }
    for name, data in sources.items():
        (project / "releases" / name).write_bytes(data)
    out = _build(project)
    published = {
        "index-1.png": "index.html",
        f"{SLUG}-2.jpg": f"{SLUG}.pdf",
        f"{SLUG}-3.gif": f"{SLUG}.docx",
        "feed-4.webp": "feed.xml",
    }
    assert {p.name for p in (out / SLUG).iterdir()} == {"index.html", *DOCUMENTS, *published}
    for name, source in published.items():
        with Image.open(out / SLUG / name) as photo, Image.open(io.BytesIO(sources[source])) as original:
            assert (photo.format, photo.tobytes()) == (original.format, original.tobytes()), name  # with its credits
    assert (out / SLUG / "index.html").read_bytes().startswith(b"<!DOCTYPE html>")
    assert (out / SLUG / f"{SLUG}.pdf").read_bytes().startswith(b"%PDF-")
    assert (out / SLUG / f"{SLUG}.docx").read_bytes().startswith(b"PK")
    page = lxml_html.fromstring((out / SLUG / "index.html").read_bytes())
    assert page.xpath("//figure//img/@src") == list(published)


def test_the_extension_is_the_decoded_format_not_the_source_name(tmp_path: Path):
    names = ["shot.png", "Holiday Photo.JPEG", "no-extension", "archive.tar.gz", "été.jpg", "..gif"]
    kinds = ["JPEG", "PNG", "GIF", "WEBP", "PNG", "JPEG"]
    project = make_project(tmp_path, {f"{SLUG}.yaml": _with_photos(*[json.dumps(n) for n in names])})
    for name, kind in zip(names, kinds, strict=True):
        (project / "releases" / name).write_bytes(_image(kind))
    out = _build(project)
    assert sorted(p.name for p in (out / SLUG).iterdir() if p.name != "index.html" and not p.name.startswith(SLUG)) == [
        "archive-tar-4.webp",
        "ete-5.png",
        "holiday-photo-2.png",
        "no-extension-3.gif",
        "photo-6.jpg",
        "shot-1.jpg",
    ]


def test_a_logo_named_html_or_index_is_published_as_logo_with_its_image_extension(tmp_path: Path):
    for logo, data, expected in (
        ("assets/brand.html", _gif_with_script(), "logo.gif"),
        ("index.html", _image("PNG"), "logo.png"),
    ):
        project = make_project(
            tmp_path / expected, {f"{SLUG}.yaml": GOOD_RELEASE}, MINIMAL_CONFIG + f'logo = "{logo}"\n'
        )
        write(project, data, logo)
        out = _build(project)
        assert _published(out) == {
            expected,
            "index.html",
            "newsroom.css",
            "feed.xml",
            "atom.xml",
            "feed.json",
            "sitemap.xml",
            "sitemap-pages.xml",
            f"sitemap-{SLUG[:4]}.xml",
            "robots.txt",
            f"{SLUG}/index.html",
            *(f"{SLUG}/{name}" for name in DOCUMENTS),
        } | {name for name in _published(out) if name.startswith(("en/", "tags/"))}, sorted(_published(out))
        assert (out / expected).read_bytes() == data
        home = lxml_html.fromstring((out / "index.html").read_bytes())
        assert home.xpath("//a[@class='organization']/img/@src") == [expected]  # the listing page, not the logo
        page = lxml_html.fromstring((out / SLUG / "index.html").read_bytes())
        ld = json.loads(page.xpath("//script[@type='application/ld+json']/text()")[0])
        assert ld["publisher"]["logo"]["url"] == f"https://news.example.org/{expected}"
        assert page.xpath("//meta[@property='og:image']/@content") == [f"https://news.example.org/{expected}"]
        assert f"<url>https://news.example.org/{expected}</url>" in (out / "feed.xml").read_text()


def test_a_logo_check_accepts_renders_in_the_pdf_and_the_docx(tmp_path: Path):
    """A CMYK logo (what a print designer sends) in the letterhead and the Word header."""
    import docx
    import pypdf

    buffer = io.BytesIO()
    Image.new("RGB", (60, 60), (200, 20, 20)).convert("CMYK").save(buffer, "JPEG")
    project = make_project(tmp_path, {f"{SLUG}.yaml": GOOD_RELEASE}, MINIMAL_CONFIG + 'logo = "assets/mark.jpg"\n')
    write(project, buffer.getvalue(), "assets/mark.jpg")
    out = _build(project)
    assert (out / "logo.jpg").read_bytes() == buffer.getvalue()
    [blob] = [
        p.blob
        for p in docx.Document(str(out / SLUG / f"{SLUG}.docx")).part.package.iter_parts()
        if p.content_type.startswith("image/")
    ]
    assert Image.open(io.BytesIO(blob)).mode == "RGB"
    [drawn] = [i.image for page in pypdf.PdfReader(out / SLUG / f"{SLUG}.pdf").pages for i in page.images]
    assert drawn.mode == "RGB" and drawn.size == (60, 60)


def test_a_phone_photo_is_a_jpeg_and_a_tiff_named_jpg_is_refused_at_its_line(project_copy: Path):
    """Phones and cameras write MPO (a JPEG with a second image): Pillow's name for it was refused."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))])
    write(project_copy, buffer.getvalue(), "releases/phone.jpg")
    write(project_copy, _with_photos("phone.jpg"), f"releases/{SLUG}.yaml")
    out = _build(project_copy)
    with Image.open(out / SLUG / "phone-1.jpg") as published, Image.open(buffer) as source:
        assert published.format == "JPEG" and published.tobytes() == source.tobytes()  # the first image only

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "TIFF")
    write(project_copy, buffer.getvalue(), "releases/scan.jpg")
    write(project_copy, _with_photos("phone.jpg", "scan.jpg"), f"releases/{SLUG}.yaml")
    expected = f"releases/{SLUG}.yaml:13:11: error: photo 'scan.jpg' is a TIFF image; use JPEG, PNG, GIF or WebP [release.photo]"
    assert build_refused(project_copy, expected) == [expected]
    assert os.path.exists(project_copy / "out" / SLUG / "phone-1.jpg")
