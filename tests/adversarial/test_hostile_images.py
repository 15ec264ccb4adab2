"""Real-world photos: every image `check` accepts renders in the page, the PDF and the DOCX, read back."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import docx
import pypdf
from lxml import html as lxml_html
from PIL import Image

from support.project import MINIMAL_CONFIG, make_project, run_presskit, tree_digest
from support.readers import REPO

WIDTH, HEIGHT = 64, 48
LEFT, RIGHT = (20, 40, 220), (220, 30, 30)  # blue left half, red right half: shows a turn or a channel swap


def _picture(mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (WIDTH, HEIGHT), RIGHT)
    image.paste(LEFT, (0, 0, WIDTH // 2, HEIGHT))
    return image if mode == "RGB" else image.convert(mode)


def _transparent(mode: str = "RGBA") -> Image.Image:
    """The picture with a transparent corner."""
    image = _picture("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 6, 6))
    return image if mode == "RGBA" else image.convert(mode)


def _saved(image: Image.Image, kind: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind, **options)
    return buffer.getvalue()


def _without_jfif(data: bytes) -> bytes:
    """A JPEG whose first segment is not JFIF or Exif (scanners and some exporters write such files)."""
    assert data[2:4] == b"\xff\xe0"
    return data[:2] + data[4 + int.from_bytes(data[4:6], "big") :]


def _ycck() -> bytes:
    """An Adobe YCCK JPEG (the transform flag 2 of its APP14 segment): what Photoshop writes for CMYK.

    Pillow writes CMYK JPEGs inverted, with transform 0; the planes are made here so that, once the flag says
    YCCK, a decoder's YCC -> RGB step gives back the CMYK picture.
    """
    cmyk = _picture("CMYK")
    c, m, y, k = cmyk.split()
    ycc = Image.merge("RGB", (c, m, y)).convert("YCbCr")
    inverted = [plane.point(lambda v: 255 - v) for plane in ycc.split()]
    data = bytearray(_saved(Image.merge("CMYK", (*inverted, k)), "JPEG", quality=95))
    adobe = data.index(b"Adobe\x00")  # APP14: "Adobe", version (2), flags0 (2), flags1 (2), transform (1)
    assert data[adobe + 11] == 0
    data[adobe + 11] = 2
    return bytes(data)


def _png16_grey() -> bytes:
    image = Image.new("I;16", (WIDTH, HEIGHT), 0x8000)
    image.paste(0xFFFF, (WIDTH // 2, 0, WIDTH, HEIGHT))
    return _saved(image, "PNG")


def _exif_turned() -> bytes:
    """A camera JPEG stored on its side: orientation 6 (turn 90 degrees clockwise to show)."""
    exif = Image.Exif()
    exif[0x0112] = 6
    return _saved(_picture(), "JPEG", exif=exif.tobytes(), quality=95)


def _mpo() -> bytes:
    """A phone's JPEG with a second image appended (MPO): Pillow calls it MPO, every viewer shows a JPEG."""
    return _saved(_picture(), "MPO", save_all=True, append_images=[Image.new("RGB", (8, 8))], quality=95)


# name -> (bytes of the source, published name, what the PDF and DOCX must embed: size and mode, or None
# when they embed the file as it is)
CASES = {
    "ordinary.jpg": (lambda: _saved(_picture(), "JPEG", quality=95), "ordinary-1.jpg", None),
    "cmyk.jpg": (lambda: _saved(_picture("CMYK"), "JPEG", quality=95), "cmyk-1.jpg", ((WIDTH, HEIGHT), "RGB")),
    "ycck.jpg": (_ycck, "ycck-1.jpg", ((WIDTH, HEIGHT), "RGB")),
    "no-jfif.jpg": (
        lambda: _without_jfif(_saved(_picture(), "JPEG", quality=95)),
        "no-jfif-1.jpg",
        ((WIDTH, HEIGHT), "RGB"),
    ),
    "progressive.jpg": (lambda: _saved(_picture(), "JPEG", quality=95, progressive=True), "progressive-1.jpg", None),
    "turned.jpg": (_exif_turned, "turned-1.jpg", ((HEIGHT, WIDTH), "RGB")),
    "camera.jpg": (_mpo, "camera-1.jpg", None),
    "grey16.png": (_png16_grey, "grey16-1.png", ((WIDTH, HEIGHT), "RGB")),
    "grey-alpha.png": (lambda: _saved(_transparent("LA"), "PNG"), "grey-alpha-1.png", None),
    "palette-transparent.png": (
        lambda: _saved(_picture("P"), "PNG", transparency=0),
        "palette-transparent-1.png",
        None,
    ),
    "bilevel.png": (lambda: _saved(_picture("1"), "PNG"), "bilevel-1.png", None),
    "alpha.webp": (lambda: _saved(_transparent(), "WEBP", lossless=True), "alpha-1.webp", ((WIDTH, HEIGHT), "RGBA")),
}


def _project(folder: Path) -> Path:
    releases = {}
    for day, name in enumerate(sorted(CASES), start=1):
        slug = f"2024-01-{day:02d}-{name.replace('.', '-')}"
        releases[f"{slug}.yaml"] = (
            f"title: {name}\ndate: 2024-01-{day:02d}\nlocation: Paris\nlead: L.\nbody: B.\n"
            f"photos:\n  - file: {name}\n    alt: Photo {name}\n    credit: Us\n"
            "contacts:\n  - name: A\n    email: a@example.org\n"
        )
    project = make_project(folder, releases, MINIMAL_CONFIG)
    for name, (make, _published, _embedded) in CASES.items():
        (project / "releases" / name).write_bytes(make())
    return project


def _slug(name: str) -> str:
    return f"2024-01-{sorted(CASES).index(name) + 1:02d}-{name.replace('.', '-')}"


def _docx_images(path: Path) -> list[bytes]:
    package = docx.Document(str(path)).part.package
    return [part.blob for part in package.iter_parts() if part.content_type.startswith("image/")]


def _pdf_images(path: Path) -> list[Image.Image]:
    return [image.image for page in pypdf.PdfReader(path).pages for image in page.images]


def _colours(image: Image.Image) -> tuple[tuple, tuple]:
    """The colour a quarter in from the left and from the right, in RGB."""
    rgb = image.convert("RGB")
    middle = rgb.height // 2
    return rgb.getpixel((rgb.width // 4, middle)), rgb.getpixel((rgb.width * 3 // 4, middle))


def _close(found: tuple, wanted: tuple, tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(found, wanted, strict=True))


def test_every_image_check_accepts_renders_in_the_page_pdf_and_docx(tmp_path: Path):
    project = _project(tmp_path / "project")
    checked = run_presskit("check", cwd=project)
    assert checked.returncode == 0, checked.stderr
    result = run_presskit("build", "--jobs", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    out = project / "out"
    for name, (_make, published, embedded) in CASES.items():
        slug = _slug(name)
        source = (project / "releases" / name).read_bytes()
        # The page offers the original image data, not decoded again, with its credits, under a name presskit made.
        documents = {f"{slug}.pdf", f"{slug}.docx", f"{slug}.ninjs.json", f"{slug}.newsml.xml"}
        assert {p.name for p in (out / slug).iterdir()} == {"index.html", *documents, published}, name
        with Image.open(out / slug / published) as offered, Image.open(io.BytesIO(source)) as original:
            kind = "JPEG" if original.format == "MPO" else original.format  # a phone's MPO: its first image
            assert (offered.format, offered.mode, offered.tobytes()) == (kind, original.mode, original.tobytes()), name
            assert offered.getexif().get(0x0112, 1) == original.getexif().get(0x0112, 1), name
        shown = (HEIGHT, WIDTH) if name == "turned.jpg" else (WIDTH, HEIGHT)
        img = lxml_html.fromstring((out / slug / "index.html").read_bytes()).xpath("//figure//img")[0]
        assert (img.get("src"), int(img.get("width")), int(img.get("height"))) == (published, *shown), name

        [blob] = _docx_images(out / slug / f"{slug}.docx")
        [drawn] = _pdf_images(out / slug / f"{slug}.pdf")
        if embedded is None:  # used as it is: no decoding, no copy
            if name != "camera.jpg" and not name.endswith(".webp"):
                assert blob == source, name
        else:
            size, mode = embedded
            with Image.open(io.BytesIO(blob)) as word:
                assert (word.size, word.mode) == (size, mode), name
                assert word.getexif().get(0x0112) in (None, 1), name
                word_colours = _colours(word)
            assert drawn.size == size, name
            assert drawn.mode in ("RGB", "RGBA", "L"), (name, drawn.mode)
            if name == "grey16.png":
                assert _close(word_colours[0], (128, 128, 128), 2) and _close(word_colours[1], (255, 255, 255), 2), (
                    word_colours
                )
            elif name == "turned.jpg":  # turned upright: blue (the stored left) on top
                rgb = Image.open(io.BytesIO(blob)).convert("RGB")
                assert _close(rgb.getpixel((rgb.width // 2, rgb.height // 4)), LEFT)
                assert _close(rgb.getpixel((rgb.width // 2, rgb.height * 3 // 4)), RIGHT)
            else:
                assert _close(word_colours[0], LEFT) and _close(word_colours[1], RIGHT), (name, word_colours)
                assert _close(_colours(drawn)[0], LEFT) and _close(_colours(drawn)[1], RIGHT), (name, _colours(drawn))

    # Converted copies are reproducible: the same sources elsewhere give the same bytes.
    again = tmp_path / "elsewhere"
    shutil.copytree(project, again, ignore=shutil.ignore_patterns("out", ".out.builds", ".presskit"))
    assert run_presskit("build", "--jobs", "1", cwd=again).returncode == 0
    assert tree_digest(again / "out") == tree_digest(out)


def test_the_sample_photos_are_embedded_as_they_are(tmp_path: Path):
    """Ordinary RGB JPEG and PNG files are not converted (no decoding at render time): the same bytes everywhere."""
    from presskit.sources import photos

    for name in ("port-vendres-harbour.jpg", "hydrogen-lab.png"):
        path = REPO / "releases" / "photos" / name
        info = photos.inspect(path, name)
        assert info.convert is False
        assert photos.rendition(path, info.media_type, info.convert) == (path.read_bytes(), info.media_type)
    logo = REPO / "assets" / "logo.png"
    assert photos.inspect(logo, "logo.png").convert is False
