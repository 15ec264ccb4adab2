"""Credits inside every published photo, read back with exiftool: caption, credit, creator, copyright, alt text,
headline and rights page in IPTC-IIM and XMP; the image data untouched; nothing else of the source published."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
from PIL import Image, ImageSequence, PngImagePlugin

from presskit import config as project_config
from presskit.diagnostics import Reporter
from presskit.model import Photo, Release
from presskit.renderers import photocredits
from presskit.sources import load

from support.project import MINIMAL_CONFIG, make_project, run_presskit, tree_digest
from support.readers import REPO

EXIFTOOL = shutil.which("exiftool")
pytestmark = pytest.mark.skipif(
    EXIFTOOL is None, reason="exiftool not installed (Debian libimage-exiftool-perl; scripts/install-system-deps test)"
)
RIGHTS = "https://news.example.org/photo-rights.html"
CONFIG = MINIMAL_CONFIG + f'rights_url = "{RIGHTS}"\n'
NOW = "2024-05-15T00:00:00Z"
CONTACT = "contacts:\n  - name: Ann Example\n    email: ann@example.org\n"
# What the sources hold besides the picture, none of which may be published.
PRIVATE = [b"SecretCam", b"Secret Person", b"private-keyword", b"internal note", b"TRAILING-SECRET", b"old-xmp"]

PORT = """\
title: Le port de Sète accueille un nouveau quai
date: 2024-05-02
lang: fr
location: Sète
body: |
  Premier paragraphe.
photo_credits: Service de presse de la Région
photos:
  - file: photos/quai.jpg
    alt: Grue rouge sur le quai de Sète au lever du soleil
    caption: Le nouveau quai de Sète, été 2024
    credit: Jean Dupont / Région Occitanie
    creator: Jean Dupont
    copyright: © 2024 Région Occitanie
  - file: photos/schema.png
    alt: Schéma du quai en trois couleurs
    caption: Plan du futur quai
    credit: Région Occitanie
  - file: photos/vue.webp
    alt: Vue aérienne du port
    credit: Drone Occitanie
    copyright: © 2024 Drone Occitanie
  - file: photos/trafic.gif
    alt: Animation du trafic portuaire
    caption: Le trafic en 2023
"""
TOKYO = """\
title: 東京で食品見本市
date: 2024-05-03
lang: ja
location: 東京
body: |
  第一段落。
photos:
  - file: photos/tokyo.jpg
    alt: 東京の展示会場
    caption: 展示会場の様子
    credit: 写真 山田太郎
    creator: 山田太郎
"""
SECRET = """\
title: Airport merger approved
date: 2024-06-01
embargo: 2024-06-01T09:00:00Z
location: Perpignan
body: |
  The shareholders approved.
photos:
  - file: photos/runway.jpg
    alt: Two planes on the runway
    caption: The runway of Perpignan airport
    credit: Airport press office
"""
# Each published photo: (the release's fields as written in the YAML, the release's headline).
EXPECTED = {
    "2024-05-02-port-sete/quai-1.jpg": (
        {
            "alt": "Grue rouge sur le quai de Sète au lever du soleil",
            "caption": "Le nouveau quai de Sète, été 2024",
            "credit": "Jean Dupont / Région Occitanie",
            "creator": "Jean Dupont",
            "copyright": "© 2024 Région Occitanie",
        },
        "Le port de Sète accueille un nouveau quai",
    ),
    "2024-05-02-port-sete/schema-2.png": (
        {
            "alt": "Schéma du quai en trois couleurs",
            "caption": "Plan du futur quai",
            "credit": "Région Occitanie",
        },
        "Le port de Sète accueille un nouveau quai",
    ),
    "2024-05-02-port-sete/vue-3.webp": (
        {"alt": "Vue aérienne du port", "credit": "Drone Occitanie", "copyright": "© 2024 Drone Occitanie"},
        "Le port de Sète accueille un nouveau quai",
    ),
    "2024-05-02-port-sete/trafic-4.gif": (  # no credit of its own: the release's photo_credits
        {
            "alt": "Animation du trafic portuaire",
            "caption": "Le trafic en 2023",
            "credit": "Service de presse de la Région",
        },
        "Le port de Sète accueille un nouveau quai",
    ),
    "2024-05-03-tokyo/tokyo-1.jpg": (
        {"alt": "東京の展示会場", "caption": "展示会場の様子", "credit": "写真 山田太郎", "creator": "山田太郎"},
        "東京で食品見本市",
    ),
}
EMBARGOED = {
    "2024-06-01-secret/runway-1.jpg": (
        {
            "alt": "Two planes on the runway",
            "caption": "The runway of Perpignan airport",
            "credit": "Airport press office",
        },
        "Airport merger approved",
    )
}
SOURCES = {
    "2024-05-02-port-sete/quai-1.jpg": "quai.jpg",
    "2024-05-02-port-sete/schema-2.png": "schema.png",
    "2024-05-02-port-sete/vue-3.webp": "vue.webp",
    "2024-05-02-port-sete/trafic-4.gif": "trafic.gif",
    "2024-05-03-tokyo/tokyo-1.jpg": "tokyo.jpg",
    "2024-06-01-secret/runway-1.jpg": "runway.jpg",
}


def _picture(width: int, height: int, seed: int) -> Image.Image:
    """A small photo with detail (so that any re-encoding would show), the same every run."""
    return Image.frombytes("RGB", (width, height), bytes((i * seed + i // 7) % 256 for i in range(width * height * 3)))


def _gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    if orientation != 1:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 24.0, 5.5), "E", (3.0, 41.0, 52.1)
    return exif


def _make_photos(folder: Path) -> None:
    folder.mkdir()
    old_xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:source>old-xmp</dc:source></rdf:Description></rdf:RDF></x:xmpmeta>'
    # A phone's JPEG: turned by its EXIF, with GPS, a comment, older IPTC and XMP, and data after its end.
    _picture(64, 48, 7).save(folder / "quai.jpg", exif=_gps_exif(orientation=6), comment=b"internal note", quality=90)
    subprocess.run(
        [EXIFTOOL, "-q", "-overwrite_original", "-IPTC:Keywords=private-keyword", "-XMP-dc:Source=old-xmp"]
        + [str(folder / "quai.jpg")],
        check=True,
    )
    with open(folder / "quai.jpg", "ab") as file:
        file.write(b"TRAILING-SECRET")
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "Secret Person")
    _picture(40, 30, 3).convert("RGBA").save(folder / "schema.png", pnginfo=text, exif=_gps_exif())
    _picture(50, 40, 5).save(folder / "vue.webp", exif=_gps_exif(), xmp=old_xmp, quality=80)
    frames = [Image.new("RGB", (30, 20), colour) for colour in ((200, 10, 10), (10, 200, 10), (10, 10, 200))]
    frames[0].save(
        folder / "trafic.gif", save_all=True, append_images=frames[1:], loop=0, duration=100, comment=b"internal note"
    )
    _picture(32, 32, 11).save(folder / "tokyo.jpg")
    _picture(48, 32, 13).save(folder / "runway.jpg", exif=_gps_exif())


def exiftool(paths: list[Path]) -> dict[Path, dict]:
    """Every tag exiftool reads in each file, by group and name ("IPTC:Credit")."""
    result = subprocess.run([EXIFTOOL, "-j", "-G1", "-a", *map(str, paths)], capture_output=True, check=True)
    return {Path(entry["SourceFile"]): entry for entry in json.loads(result.stdout)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    """The project built twice from clean, each time with the private copy of its embargoed release."""
    project = make_project(
        tmp_path_factory.mktemp("credits"),
        {
            name: text + CONTACT
            for name, text in (
                ("2024-05-02-port-sete.yaml", PORT),
                ("2024-05-03-tokyo.yaml", TOKYO),
                ("2024-06-01-secret.yaml", SECRET),
            )
        },
        CONFIG,
    )
    _make_photos(project / "releases" / "photos")
    sources = tree_digest(project / "releases")
    builds = []
    for number in (1, 2):
        out, embargoed = project / f"out{number}", project / f"embargoed{number}"
        result = run_presskit("build", "--now", NOW, "--out", str(out), "--embargoed", str(embargoed), cwd=project)
        assert result.returncode == 0, result.stderr
        builds.append((out, embargoed))
    return {"project": project, "sources": sources, "builds": builds}


def _published(built: dict, number: int = 0) -> dict[Path, tuple[dict, str, str]]:
    out, embargoed = built["builds"][number]
    photos = {out / name: (*expected, SOURCES[name]) for name, expected in EXPECTED.items()}
    photos.update({embargoed / name: (*expected, SOURCES[name]) for name, expected in EMBARGOED.items()})
    return photos


def _credits_read(tags: dict) -> dict:
    """What a published photo says, as exiftool reads it: XMP first, and the IPTC-IIM datasets beside."""
    creator = tags.get("XMP-dc:Creator")
    return {
        "alt": tags.get("XMP-iptcCore:AltTextAccessibility"),
        "caption": tags.get("XMP-dc:Description"),
        "credit": tags.get("XMP-photoshop:Credit"),
        "creator": creator,
        "copyright": tags.get("XMP-dc:Rights"),
    }


def test_every_published_photo_carries_its_credits_in_xmp(built):
    photos = _published(built)
    read = exiftool(list(photos))
    for path, (fields, headline, _source) in photos.items():
        tags = read[path]
        expected = {key: fields.get(key) for key in ("alt", "caption", "credit", "creator", "copyright")}
        assert _credits_read(tags) == expected, path
        assert tags["XMP-photoshop:Headline"] == headline, path
        assert tags["XMP-xmpRights:WebStatement"] == RIGHTS, path


def test_jpeg_and_png_carry_them_in_iptc_iim_too_in_utf8(built):
    photos = {p: v for p, v in _published(built).items() if p.suffix in (".jpg", ".png")}
    read = exiftool(list(photos))
    for path, (fields, headline, _source) in photos.items():
        tags = read[path]
        assert tags["IPTC:CodedCharacterSet"] == "UTF8", path
        assert tags["IPTC:EnvelopeRecordVersion"] == tags["IPTC:ApplicationRecordVersion"] == 4, path
        assert tags.get("IPTC:Caption-Abstract") == fields.get("caption"), path
        assert tags.get("IPTC:Credit") == fields["credit"], path
        assert tags.get("IPTC:By-line") == fields.get("creator"), path
        assert tags.get("IPTC:CopyrightNotice") == fields.get("copyright"), path
        assert tags["IPTC:Headline"] == headline, path
    assert len(photos) == 4


def test_nothing_else_of_the_source_is_published(built):
    photos = _published(built)
    read = exiftool(list(photos))
    for path in photos:
        data = path.read_bytes()
        assert [secret for secret in PRIVATE if secret in data] == [], path
        groups = {key.split(":")[0] for key in read[path]}
        assert not groups & {"GPS", "ExifIFD", "IFD1", "Photoshop", "XMP-xmpMM", "XMP-xmp"}, path
        assert "XMP-dc:Source" not in read[path] and "IPTC:Keywords" not in read[path]
        assert "File:Comment" not in read[path] and "PNG:Author" not in read[path]
        exif = sorted(key for key in read[path] if key.startswith("IFD0:"))
        assert exif == (["IFD0:Orientation"] if path.name == "quai-1.jpg" else []), path


def test_the_orientation_the_page_shows_is_kept(built):
    out = built["builds"][0][0]
    photo = out / "2024-05-02-port-sete" / "quai-1.jpg"
    assert exiftool([photo])[photo]["IFD0:Orientation"] == "Rotate 90 CW"
    with Image.open(photo) as image:
        assert image.getexif()[0x0112] == 6
    page = (out / "2024-05-02-port-sete" / "index.html").read_text()
    assert 'width="48" height="64"' in page  # turned on its side, as the file says


def test_the_image_data_is_untouched_and_the_sources_never_written(built):
    folder = built["project"] / "releases" / "photos"
    for path, (_fields, _headline, source) in _published(built).items():
        with Image.open(path) as published, Image.open(folder / source) as original:
            assert published.format == original.format
            frames = [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(published)]
            assert frames == [frame.convert("RGBA").tobytes() for frame in ImageSequence.Iterator(original)], path
        if path.suffix == ".jpg":  # the entropy-coded data, byte for byte: no re-encoding
            data, original = path.read_bytes(), (folder / source).read_bytes().removesuffix(b"TRAILING-SECRET")
            assert data[data.index(b"\xff\xda") :] == original[original.index(b"\xff\xda") :], path
    with Image.open(built["builds"][0][0] / "2024-05-02-port-sete" / "trafic-4.gif") as gif:
        assert gif.n_frames == 3 and gif.info["loop"] == 0
    assert tree_digest(built["project"] / "releases") == built["sources"]


def test_two_clean_builds_give_byte_identical_photos(built):
    first, second = _published(built, 0), _published(built, 1)
    digests = [{p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in photos} for photos in (first, second)]
    assert digests[0] == digests[1] and len(digests[0]) == 6


def test_the_sample_newsroom_photos_carry_their_release_texts(samples: Path):
    reporter = Reporter(samples.parent)
    releases = [s.release for s in load.load(project_config.load(samples.parent, reporter), reporter, cache=False)]
    photos = {samples / r.slug / p.filename: (p, r) for r in releases for p in r.photos if (samples / r.slug).is_dir()}
    read = exiftool(list(photos))
    for path, (photo, release) in photos.items():
        assert _credits_read(read[path]) == {
            "alt": photo.alt,
            "caption": photo.caption or None,
            "credit": photo.credit or release.photo_credits or None,
            "creator": photo.creator or None,
            "copyright": photo.copyright or None,
        }
        assert read[path]["IPTC:Headline"] == read[path]["XMP-photoshop:Headline"] == release.title
    assert {path.suffix for path in photos} == {".jpg", ".png"}


def _photo(source: Path, media_type: str, **texts: str) -> Photo:
    return Photo(source, "x", texts.pop("alt", "Alt"), media_type=media_type, **texts)


RELEASE = Release("r", Path("r.yaml"), "Headline", "2024-01-01", "en", "", "", ())


def test_text_that_looks_like_markup_or_exiv2_syntax_is_written_as_it_is(tmp_path: Path):
    source = tmp_path / "in.jpg"
    _picture(16, 16, 3).save(source)
    credit = "type=Bag Agence <X> & Co"
    caption = 'lang="de" A caption \x01with a control character'
    photo = _photo(source, "image/jpeg", credit=credit, caption=caption, creator="type=Seq Ann")
    photocredits.publish(photo, photocredits.Credits.of(photo, RELEASE, ""), tmp_path / "out.jpg")
    tags = exiftool([tmp_path / "out.jpg"])[tmp_path / "out.jpg"]
    assert tags["XMP-photoshop:Credit"] == tags["IPTC:Credit"] == credit
    assert tags["XMP-dc:Description"] == tags["IPTC:Caption-Abstract"] == caption.replace("\x01", "")
    assert tags["XMP-dc:Creator"] == "type=Seq Ann"
    assert "XMP-xmpRights:WebStatement" not in tags  # no rights_url, no statement


def test_a_gif_whose_blocks_do_not_add_up_is_an_error_not_a_crash(tmp_path: Path):
    source = tmp_path / "in.gif"
    Image.new("RGB", (8, 8), (1, 2, 3)).save(source)
    source.write_bytes(source.read_bytes()[:-1] + b"\x99\x3b")  # an unknown block before the trailer
    with pytest.raises(photocredits.CreditsError, match="photo 'x': its credits cannot be written"):
        photocredits.publish(
            _photo(source, "image/gif"),
            photocredits.Credits.of(_photo(source, "image/gif"), RELEASE, ""),
            tmp_path / "o.gif",
        )
    assert not (tmp_path / "o.gif").exists()


def test_rights_url_must_be_a_web_address(tmp_path: Path):
    project = make_project(tmp_path, {}, MINIMAL_CONFIG + 'rights_url = "mailto:legal@example.org"\n')
    result = run_presskit("check", cwd=project)
    assert result.returncode == 1
    assert "rights_url: use an http:// or https:// address" in result.stderr


def test_the_agency_files_carry_each_photos_copyright_notice(built):
    out = built["builds"][0][0]
    item = json.loads((out / "2024-05-02-port-sete" / "2024-05-02-port-sete.ninjs.json").read_bytes())
    notices = [picture.get("copyrightnotice") for picture in item["associations"]]
    assert notices == ["© 2024 Région Occitanie", None, "© 2024 Drone Occitanie", None]
    schema = REPO.parent / "shared" / "standards" / "ninjs-schema_2.2.json"
    if schema.is_file():  # the official schema (../shared, present in CI) accepts it
        validator = jsonschema.Draft202012Validator(json.loads(schema.read_bytes()))
        assert not list(validator.iter_errors(item))
