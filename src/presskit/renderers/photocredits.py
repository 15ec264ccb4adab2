"""The published copy of a photo: its image data untouched, with the release's credits in IPTC-IIM and XMP.

Every photo presskit publishes carries what the release says of it, where picture desks and search engines
read it: the caption (IPTC Description / Caption-Abstract), the credit line (photo's `credit`, else the
release's `photo_credits`), the creator and the copyright notice when given, the alt text (IPTC 2021.1 Alt
Text (Accessibility), XMP only), the release's headline and the project's `rights_url` (Web Statement of
Rights, XMP only). JPEG gets IPTC-IIM (UTF-8) and XMP; PNG gets XMP and IPTC-IIM (in the "Raw profile type
iptc" text chunk exiv2 writes); WebP gets XMP (the format has no place for IPTC-IIM); GIF gets XMP in its
application extension (exiv2 cannot write GIF: presskit inserts the packet exiv2 made). Whatever else the
source file held is left out (imagefiles), except its EXIF orientation, which the page shows the photo by.
The file in the project is only ever read; the same photo and release always give the same bytes.
"""

from __future__ import annotations

import functools
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from presskit.model import Photo, Release
from presskit.renderers import imagefiles

# Characters XML 1.0 cannot carry (YAML's "\x01" escapes can produce them): left out of every field.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_UTF8 = "\x1b%G"  # IPTC-IIM 1:90 Coded Character Set: ISO 2022's escape sequence for UTF-8


class CreditsError(ValueError):
    """A photo whose credits could not be written (a file Pillow reads but whose structure is damaged)."""


@dataclass(frozen=True)
class Credits:
    """What a published photo says about itself; "" is a field not written."""

    caption: str
    credit: str
    creator: str
    copyright: str
    alt: str
    headline: str
    rights_url: str

    @classmethod
    def of(cls, photo: Photo, release: Release, rights_url: str) -> "Credits":
        """The credits of a release's photo: its own texts, the release's headline and credit line, the project's rights page."""
        texts = (photo.caption, release.credit_of(photo), photo.creator, photo.copyright)
        return cls(*(_clean(t) for t in texts), _clean(photo.alt), _clean(release.title), rights_url)

    def iptc(self) -> dict:
        """The IPTC-IIM datasets, by exiv2's key."""
        datasets = {
            "Iptc.Envelope.ModelVersion": "4",  # the record versions IIM 4 requires
            "Iptc.Envelope.CharacterSet": _UTF8,
            "Iptc.Application2.RecordVersion": "4",
            "Iptc.Application2.Headline": self.headline,
            "Iptc.Application2.Caption": self.caption,
            "Iptc.Application2.Credit": self.credit,
            "Iptc.Application2.Byline": [self.creator] if self.creator else "",
            "Iptc.Application2.Copyright": self.copyright,
        }
        return {key: value for key, value in datasets.items() if value}

    def xmp(self) -> dict:
        """The XMP properties, by exiv2's key (`iptc` is IPTC Core's Iptc4xmpCore namespace)."""
        properties = {
            "Xmp.photoshop.Headline": _text(self.headline),
            "Xmp.dc.description": _alt(self.caption),
            "Xmp.photoshop.Credit": _text(self.credit),
            "Xmp.dc.creator": [self.creator] if self.creator else "",
            "Xmp.dc.rights": _alt(self.copyright),
            "Xmp.iptc.AltTextAccessibility": _alt(self.alt),
            "Xmp.xmpRights.WebStatement": _text(self.rights_url),
        }
        return {key: value for key, value in properties.items() if value}


def publish(photo: Photo, credits: Credits, target: Path) -> None:
    """Write the published copy of `photo` at `target`: its image data as in the source, with `credits`."""
    data = photo.source.read_bytes()
    try:
        data = imagefiles.essentials(data, photo.media_type)
        if photo.media_type == "image/gif":
            data = imagefiles.gif_with_xmp(data, _packet(credits))
        else:
            data = _with_metadata(data, credits, photo.orientation, webp=photo.media_type == "image/webp")
    except (imagefiles.DamagedImage, RuntimeError, ValueError) as exc:  # exiv2 reports its errors as RuntimeError
        raise CreditsError(f"photo '{photo.filename}': its credits cannot be written ({exc})") from None
    try:
        target.write_bytes(data)
    except OSError as exc:  # a full disk: the build stops and names the file (a failed write() does not)
        raise OSError(exc.errno, exc.strerror, str(target)) from None


def _with_metadata(data: bytes, credits: Credits, orientation: int, webp: bool) -> bytes:
    """The file with the credits written by exiv2 (each call below rewrites the file in memory: as few as can be)."""
    image = _exiv2().ImageData(data)
    try:
        if webp:  # the only format whose EXIF and XMP imagefiles leaves to exiv2 (it has no IPTC-IIM)
            image.clear_exif()
            image.clear_xmp()
        if orientation != 1:
            image.modify_exif({"Exif.Image.Orientation": str(orientation)})
        if not webp:
            image.modify_iptc(credits.iptc())
        image.modify_xmp(credits.xmp())
        return image.get_bytes()
    finally:
        image.close()


def _packet(credits: Credits) -> bytes:
    """The XMP packet exiv2 writes for these credits (made in a blank PNG in memory: exiv2 cannot write GIF)."""
    image = _exiv2().ImageData(_BLANK_PNG)
    try:
        image.modify_xmp(credits.xmp())
        return image.read_raw_xmp().encode()
    finally:
        image.close()


@functools.cache
def _exiv2():
    """pyexiv2 (libexiv2, about 70 ms to load): imported when a photo is published, and by the render workers'
    fork server (warmstart.PRELOAD), never by a build that renders nothing."""
    import pyexiv2  # deliberate lazy import, see above

    pyexiv2.set_log_level(3)  # errors only (raised as RuntimeError); warnings are not the press office's business
    return pyexiv2


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _text(value: str) -> str:
    # exiv2 reads a text value that starts with "type=" as an array type: an empty one it reads as none.
    return f"type= {value}" if value else ""


def _alt(value: str) -> dict:
    return {'lang="x-default"': value} if value else {}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1 x 1 grey PNG, the smallest image exiv2 writes XMP into.
_BLANK_PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _chunk(b"IDAT", zlib.compress(b"\x00\x00"))
    + _chunk(b"IEND", b"")
)
