"""Photo files: confined to the project, checked to be real, reasonably sized images."""

from __future__ import annotations

import os
import re
import stat
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000  # about 9000 x 6600: any camera; refuses decompression bombs
FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class PhotoError(ValueError):
    """A photo that cannot be published, with a message for the press officer."""


@dataclass(frozen=True)
class ImageInfo:
    """What presskit needs to know about a photo file."""

    path: Path
    width: int
    height: int
    media_type: str


def locate(reference: str, release_dir: Path, root: Path) -> Path:
    """Resolve a photo reference relative to its release file; it must stay inside the project."""
    if not reference.strip():
        raise PhotoError("photo 'file' is empty")
    if os.path.isabs(reference) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", reference):
        raise PhotoError(f"photo '{reference}' must be a path relative to the release file, inside the project")
    candidate = release_dir / reference
    real = Path(os.path.realpath(candidate))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        raise PhotoError(f"photo '{reference}' points outside the project")
    return real


# Photo files this process has read whole, by identity and version: a photo many releases use (a portrait,
# a logo) is decoded once per build, not once per release; a file changed in any way is read again.
_CHECKED: dict[tuple, tuple[int, int, str]] = {}


def inspect(path: Path, reference: str) -> ImageInfo:
    """Check that the file is a regular, readable image of sane size; return its dimensions and type."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise PhotoError(f"photo file '{reference}' does not exist") from None
    except OSError as exc:
        raise PhotoError(f"photo file '{reference}' cannot be read ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise PhotoError(f"photo '{reference}' is not a regular file")
    if info.st_size > MAX_BYTES:
        raise PhotoError(f"photo '{reference}' is {info.st_size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB")
    version = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if version in _CHECKED:
        width, height, kind = _CHECKED[version]
        return ImageInfo(path, width, height, FORMATS[kind])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                kind = image.format
                if kind not in FORMATS:
                    raise PhotoError(f"photo '{reference}' is a {kind} image; use JPEG, PNG, GIF or WebP")
                if width * height > MAX_PIXELS:
                    raise PhotoError(f"photo '{reference}' is {width} x {height} pixels; the limit is {MAX_PIXELS:,} pixels")
                # Read the whole file once, within the limits above: a truncated or corrupt file is refused here,
                # with its line, rather than half-drawn in the PDF or crashing the Word writer.
                _check_data(image)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"photo '{reference}' declares too many pixels (limit {MAX_PIXELS:,})") from None
    except (OSError, ValueError, SyntaxError, EOFError, struct.error):
        raise PhotoError(f"photo '{reference}' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged") from None
    _CHECKED[version] = (width, height, kind)
    return ImageInfo(path, width, height, FORMATS[kind])


def _check_data(image: Image.Image) -> None:
    """Raise if the image data is truncated or damaged, at the least cost for each format.

    A JPEG is decoded at an eighth of its size: libjpeg still reads and decodes every scan of the file,
    and skips most of the rest (0.5 ms instead of 1.9 ms for the sample photo). Other formats are decoded
    in full: a PNG's chunk CRCs can be right around compressed data that is not (checked by a test).
    """
    if image.format == "JPEG":
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()


def published_name(reference: str, taken: set[str]) -> str:
    """A safe, unique file name for the photo in the release's output folder."""
    stem, dot, ext = Path(reference).name.rpartition(".")
    if not dot:
        stem, ext = ext, ""
    stem = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "photo"
    ext = re.sub(r"[^a-z0-9]", "", ext.lower())
    name = f"{stem}.{ext}" if ext else stem
    counter = 2
    while name in taken:
        name = f"{stem}-{counter}.{ext}" if ext else f"{stem}-{counter}"
        counter += 1
    taken.add(name)
    return name
