"""The press kit of every release, read back: zipfile (members, order, bytes), vobject (contacts), the text file."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pytest
import vobject
from lxml import etree, html

from support.project import run_presskit
from support.readers import html_text, missing_in_order, words

NOW = "2026-01-01T00:00:00+00:00"
REFERENCE = "2023-09-29-occitanie-japon"
PHOTOS = "2024-03-12-green-hydrogen-port"
JAPANESE = "2023-05-16-salon-alimentaire-tokyo-ja"
EMBARGOED = "2027-01-15-budget-2027"
ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://presse.example.org/"


@pytest.fixture(scope="module")
def again(samples: Path, tmp_path_factory) -> tuple[Path, Path]:
    """The sample project built a second time, in the same place, with its embargoed private copies."""
    folder = tmp_path_factory.mktemp("again")
    out, private = folder / "out", folder / "private"
    result = run_presskit("build", "--now", NOW, "--out", str(out), "--embargoed", str(private), cwd=samples.parent)
    assert result.returncode == 0, result.stderr
    return out, private


def kit(folder: Path, slug: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(folder / slug / f"{slug}-press-kit.zip")


def releases(out: Path) -> list[str]:
    return sorted(p.parent.name for p in out.glob("*/index.html") if (p.parent / f"{p.parent.name}.pdf").is_file())


def expected_members(folder: Path, slug: str, photos: list[str], logo: str = "logo.png") -> list[str]:
    """The kit's members in their order; the agency files only when the build made them."""
    agency = [name for name in (f"{slug}.ninjs.json", f"{slug}.newsml.xml") if (folder / name).is_file()]
    credits = ["CREDITS.txt"] if photos else []
    return [f"{slug}.txt", f"{slug}.pdf", f"{slug}.docx", *agency, *photos, *credits, "contacts.vcf", logo]


def columns(line: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def test_every_release_has_a_press_kit_with_exactly_its_files_in_order(samples: Path):
    assert len(releases(samples)) == 5
    photos = {PHOTOS: ["port-vendres-harbour-1.jpg"], "2024-06-03-research-call": ["hydrogen-lab-1.png"]}
    photos["2024-06-03-research-call-en"] = ["hydrogen-lab-1.png"]
    for slug in releases(samples):
        with kit(samples, slug) as archive:
            assert archive.testzip() is None
            assert archive.namelist() == expected_members(samples / slug, slug, photos.get(slug, []))


def test_members_are_the_published_files_byte_for_byte(samples: Path):
    for slug in releases(samples):
        with kit(samples, slug) as archive:
            for name in archive.namelist():
                published = samples / (name if name == "logo.png" else f"{slug}/{name}")
                if name.endswith((".txt", ".vcf")):
                    assert not published.exists(), name  # made for the kit only
                    continue
                assert archive.read(name) == published.read_bytes(), (slug, name)


def test_timestamps_modes_and_compression_are_fixed(samples: Path):
    # The reference release is dated 2023-09-29 in Europe/Paris: midnight there is 22:00 UTC the day before.
    stamps = {REFERENCE: (2023, 9, 28, 22, 0, 0), PHOTOS: (2024, 3, 13, 15, 30, 0)}  # PHOTOS: its correction
    for slug, stamp in stamps.items():
        with kit(samples, slug) as archive:
            for info in archive.infolist():
                assert info.date_time == stamp, (slug, info.filename)
                assert info.external_attr == 0o644 << 16
                compressed = info.filename.endswith((".jpg", ".png", ".docx", ".pdf"))
                assert info.compress_type == (zipfile.ZIP_STORED if compressed else zipfile.ZIP_DEFLATED)


def test_the_text_has_every_sentence_of_the_reference_communique_in_order(samples: Path):
    with kit(samples, REFERENCE) as archive:
        text = archive.read(f"{REFERENCE}.txt").decode("utf-8")
    assert missing_in_order(text) == []
    dropped = text.replace("Kubota", "Toyota")  # the check can fail: one sentence changed is one missing
    assert len(missing_in_order(dropped)) == 1 and "Kubota" in missing_in_order(dropped)[0]
    assert "+ d’infos\u00a0: https://quinzaine.japonoccitanie.fr/" in text.splitlines()
    assert "Tél.\u00a0: 04 67 22 86 46" in text.splitlines()


def test_the_text_says_what_the_page_says_in_the_same_order(samples: Path):
    for slug in releases(samples):
        with kit(samples, slug) as archive:
            text = archive.read(f"{slug}.txt").decode("utf-8")
        page = html.parse(str(samples / slug / "index.html"))
        article = page.xpath("//article")[0]
        for nav in article.xpath(".//nav"):  # the language switch and the downloads are not the release's text
            nav.getparent().remove(nav)
        for tags in article.xpath(".//p[@class='tags']"):
            tags.getparent().remove(tags)
        shown = "".join(words(html_text(etree.tostring(article, encoding="unicode"))))
        # Each line of the text is on the page, in order: its words run on (wrapping splits Japanese between
        # characters), an address written out <https://...> is the page's link under its text.
        position = covered = 0
        for line in text.splitlines():
            line = re.sub(r"^ *(- |\d+\. )", "", line)  # list markers: the page's are drawn by CSS
            line = re.sub(r"^\[[\w.-]+\]", "", line)  # a photo's file name: the page shows the photo itself
            said = "".join(words(re.sub(r"<[a-z]+:[^>]+>", "", line)))
            found = shown.find(said, position)
            assert found >= 0, (slug, line)
            position, covered = found + len(said), covered + len(said)
        assert covered == len(shown), slug  # and the page says nothing the text does not


def test_the_text_is_utf8_wrapped_at_72_columns_except_unbreakable_words(samples: Path):
    for slug in releases(samples):
        with kit(samples, slug) as archive:
            data = archive.read(f"{slug}.txt")
        text = data.decode("utf-8")
        assert not data.startswith(b"\xef\xbb\xbf") and "\r" not in text and text.endswith("\n")
        lines = text.splitlines()
        assert [line for line in lines if columns(line) > 72 and " " in line.strip()] == []
        assert "\n\n\n" not in text
    with kit(samples, JAPANESE) as archive:
        japanese = archive.read(f"{JAPANESE}.txt").decode("utf-8").splitlines()
    wide = [line for line in japanese if columns(line) > 60]
    assert wide, "the Japanese paragraphs are wrapped between characters, so lines come close to 72 columns"
    assert not any(line.startswith(("。", "、", "」")) for line in japanese)


def test_the_kit_photos_carry_their_credits_as_exiftool_reads_them(samples: Path, tmp_path: Path):
    exiftool = shutil.which("exiftool")
    if exiftool is None:
        pytest.skip("exiftool not installed (Debian libimage-exiftool-perl; scripts/install-system-deps test)")
    expected = {
        f"{PHOTOS}/port-vendres-harbour-1.jpg": (
            "The cargo quay at Port-Vendres, where the electric cranes will be installed.",
            "presskit sample image",
            "Three red cranes on the quay of Port-Vendres at sunrise, with containers in the foreground",
        ),
        "2024-06-03-research-call/hydrogen-lab-1.png": (
            "Un laboratoire soutenu lors de l’édition précédente (illustration).",
            "image d’exemple presskit",
            "Illustration d’une paillasse de laboratoire avec cinq éprouvettes colorées",
        ),
    }
    extracted = []
    for name in expected:
        slug, photo = name.split("/")
        with kit(samples, slug) as archive:
            target = tmp_path / slug / photo
            target.parent.mkdir()
            target.write_bytes(archive.read(photo))
            extracted.append(target)
    result = subprocess.run([exiftool, "-j", "-G1", *map(str, extracted)], capture_output=True, check=True)
    read = {
        Path(entry["SourceFile"]).parent.name + "/" + Path(entry["SourceFile"]).name: entry
        for entry in json.loads(result.stdout)
    }
    for name, (caption, credit, alt) in expected.items():
        tags = read[name]
        assert (tags["XMP-dc:Description"], tags["XMP-photoshop:Credit"]) == (caption, credit), name
        assert tags["XMP-iptcCore:AltTextAccessibility"] == alt, name


def test_contacts_are_vcards_4_0_with_every_field(samples: Path):
    with kit(samples, REFERENCE) as archive:
        data = archive.read("contacts.vcf").decode("utf-8")
    assert data.count("BEGIN:VCARD\r\n") == 2 and data.endswith("END:VCARD\r\n")
    assert all(len(line.encode()) <= 75 for line in data.split("\r\n"))
    first, second = vobject.readComponents(data)
    assert first.version.value == second.version.value == "4.0"
    assert first.fn.value == "Mathilde MASSON"
    assert first.org.value == second.org.value == ["Région Occitanie"]
    assert first.email.value == "mathilde.masson@laregion.fr"
    assert [(t.value, t.params["TYPE"], t.params["VALUE"]) for t in first.tel_list] == [
        ("tel:+33467228646", ["work", "voice"], ["uri"]),
        ("tel:+33607755282", ["work", "cell"], ["uri"]),
    ]
    assert "url" not in first.contents and "title" not in first.contents
    assert second.fn.value == "Service presse"
    assert second.email.value == "service.presse@laregion.fr"
    assert second.url.value == "https://twitter.com/presseoccitanie"
    assert "tel" not in second.contents

    with kit(samples, PHOTOS) as archive:
        cards = list(vobject.readComponents(archive.read("contacts.vcf").decode("utf-8")))
    value = lambda card, name: [x.value for x in card.contents.get(name, [])]  # noqa: E731
    assert [
        (value(c, "fn"), value(c, "title"), value(c, "email"), value(c, "tel"), value(c, "url")) for c in cards
    ] == [
        (
            ["Claire Dupont"],
            ["Press officer, energy and the sea"],
            ["claire.dupont@example.org"],
            ["tel:+33467000001", "tel:+33600000001"],
            [],
        ),
        (["James Carter"], ["International press"], ["james.carter@example.org"], ["tel:+33467000002"], []),
        (["Regional press service"], [], ["press@example.org"], [], ["https://social.example.org/@occitanie"]),
    ]


def test_credits_name_each_photo_with_its_caption_and_credit(samples: Path):
    with kit(samples, PHOTOS) as archive:
        credits = archive.read("CREDITS.txt").decode("utf-8")
    assert credits == (
        "Photo credits: Port-Vendres harbour to run on green hydrogen by 2027\n"
        "\n"
        "port-vendres-harbour-1.jpg\n"
        "  The cargo quay at Port-Vendres, where the electric cranes will be\n"
        "  installed.\n"
        "  Photo credit: presskit sample image\n"
    )


def test_the_page_links_the_kit_with_its_size(samples: Path):
    for slug in releases(samples):
        page = html.parse(str(samples / slug / "index.html"))
        (link,) = page.xpath(f"//nav[@class='downloads']//a[@href='{slug}-press-kit.zip']")
        assert link.get("type") == "application/zip" and link.get("download") is not None
        size = (samples / slug / f"{slug}-press-kit.zip").stat().st_size
        number = re.search(r"\(ZIP, ([\d\s\u00a0\u202f,.]+)", link.text_content()).group(1)
        assert int(re.sub(r"\D", "", number)) == max(1, round(size / 1024))


def test_the_atom_item_links_the_kit_with_its_length_and_rss_keeps_the_pdf_enclosure(samples: Path):
    atom = etree.parse(str(samples / "atom.xml"))
    entries = atom.findall(f"{ATOM}entry")
    assert len(entries) == 5
    for entry in entries:
        slug = entry.find(f"{ATOM}id").text.removeprefix(BASE).strip("/")
        (link,) = [e for e in entry.findall(f"{ATOM}link") if e.get("type") == "application/zip"]
        assert link.get("rel") == "related"
        assert link.get("href") == f"{BASE}{slug}/{slug}-press-kit.zip"
        assert int(link.get("length")) == (samples / slug / f"{slug}-press-kit.zip").stat().st_size
    rss = etree.parse(str(samples / "feed.xml"))
    for item in rss.findall("channel/item"):
        (enclosure,) = item.findall("enclosure")
        assert enclosure.get("type") == "application/pdf"


def test_embargoed_copies_have_a_press_kit_with_the_notice(again: tuple[Path, Path]):
    _out, private = again
    assert releases(private) == [EMBARGOED]
    with kit(private, EMBARGOED) as archive:
        assert archive.namelist() == expected_members(private / EMBARGOED, EMBARGOED, [])
        text = archive.read(f"{EMBARGOED}.txt").decode("utf-8")
        assert archive.read(f"{EMBARGOED}.pdf") == (private / EMBARGOED / f"{EMBARGOED}.pdf").read_bytes()
    assert text.startswith("EMBARGO\u00a0: ne pas publier avant le 15 janvier 2027, 09:00 UTC+01:00\n\nCOMMUNIQUÉ")
    page = html.parse(str(private / EMBARGOED / "index.html"))
    assert page.xpath(f"//a[@href='{EMBARGOED}-press-kit.zip']")
    index = html.parse(str(private / "index.html"))
    assert index.xpath(f"//a[@href='{EMBARGOED}/{EMBARGOED}-press-kit.zip']")


def test_two_clean_builds_give_byte_identical_press_kits(samples: Path, again: tuple[Path, Path]):
    out, _private = again
    assert releases(out) == releases(samples)
    for slug in releases(samples):
        name = f"{slug}/{slug}-press-kit.zip"
        assert (out / name).read_bytes() == (samples / name).read_bytes(), name


def test_the_kit_is_dated_by_the_release_not_the_clock(samples: Path):
    with kit(samples, REFERENCE) as archive:
        stamp = dt.datetime(*archive.infolist()[0].date_time, tzinfo=dt.UTC)
    assert stamp == dt.datetime(2023, 9, 29, tzinfo=dt.timezone(dt.timedelta(hours=2)))
