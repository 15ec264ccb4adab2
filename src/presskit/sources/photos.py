"""Photo files: confined to the project, checked to be real, reasonably sized images."""

from __future__ import annotations

import functools
import io
import os
import re
import stat
import struct
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

MAX_BYTES = 25 * 1024 * 1024
MAX_PIXELS = 60_000_000  # about 9000 x 6600: any camera; refuses decompression bombs
# The image formats presskit publishes, by Pillow's name for the decoded format: media type and the file
# extension every published copy gets, whatever the source file is called. MPO is the JPEG that cameras
# and phones write with a second (depth or preview) image appended: its first image is a plain JPEG.
FORMATS = {"JPEG": "image/jpeg", "MPO": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}
# PNG modes that WeasyPrint and Word both draw as they are; anything else (16-bit grey "I;16", ...) is converted.
_PLAIN_PNG_MODES = {"1", "L", "LA", "P", "RGB", "RGBA"}
EXIF_ORIENTATION = 0x0112


class PhotoError(ValueError):
    """A photo that cannot be published, with a message for the press officer."""


@dataclass(frozen=True)
class ImageInfo:
    """What presskit needs to know about a photo file."""

    path: Path
    width: int  # as shown: a photo turned by its EXIF orientation has its sides swapped
    height: int
    media_type: str
    convert: bool = False  # the PDF and the DOCX get an sRGB 8-bit copy (see rendition), not the file itself
    orientation: int = 1  # the EXIF orientation (1 to 8; 1 is upright)

    @property
    def extension(self) -> str:
        """The published file's extension, from the decoded format ('jpg', 'png', 'gif', 'webp')."""
        return EXTENSIONS[self.media_type]


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
_CHECKED: dict[tuple, ImageInfo] = {}


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
        raise PhotoError(
            f"photo '{reference}' is {info.st_size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB"
        )
    version = (str(path), info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    if version in _CHECKED:
        return _CHECKED[version]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                kind = image.format
                if kind not in FORMATS:
                    raise PhotoError(f"photo '{reference}' is a {kind} image; use JPEG, PNG, GIF or WebP")
                if width * height > MAX_PIXELS:
                    raise PhotoError(
                        f"photo '{reference}' is {width} x {height} pixels; the limit is {MAX_PIXELS:,} pixels"
                    )
                # Read the whole file once, within the limits above: a truncated or corrupt file is refused here,
                # with its line, rather than half-drawn in the PDF or crashing the Word writer.
                _check_data(image)
                orientation = _orientation(image)
                convert = orientation != 1 or _needs_conversion(image, path)
    except PhotoError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError(f"photo '{reference}' declares too many pixels (limit {MAX_PIXELS:,})") from None
    except (OSError, ValueError, SyntaxError, EOFError, struct.error):
        raise PhotoError(
            f"photo '{reference}' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged"
        ) from None
    if orientation in (5, 6, 7, 8):  # a quarter turn: the photo is shown on its side
        width, height = height, width
    _CHECKED[version] = ImageInfo(path, width, height, FORMATS[kind], convert, orientation)
    return _CHECKED[version]


def _orientation(image: Image.Image) -> int:
    """The EXIF orientation (1 to 8; 1 is upright); a damaged EXIF block counts as upright, as browsers read it."""
    try:
        value = image.getexif().get(EXIF_ORIENTATION, 1)
    except Exception:
        return 1
    return value if value in (2, 3, 4, 5, 6, 7, 8) else 1


def _needs_conversion(image: Image.Image, path: Path) -> bool:
    """Whether WeasyPrint or python-docx cannot take the file as it is (decided once, when it is checked).

    python-docx recognises a JPEG only by a JFIF or Exif segment right after the start marker, and Word
    shows neither CMYK (what print designers send) nor YCCK (Adobe) colour right; WeasyPrint draws no
    16-bit grey PNG (I;16); Word shows no WebP. Ordinary RGB and grey JPEG and PNG files are used as they are.
    """
    if image.format in ("JPEG", "MPO"):
        with open(path, "rb") as file:
            head = file.read(10)
        return image.mode not in ("L", "RGB") or head[6:10] not in (b"JFIF", b"Exif")
    if image.format == "PNG":
        return image.mode not in _PLAIN_PNG_MODES
    return image.format == "WEBP"


def published_name(reference: str, number: int, info: ImageInfo) -> str:
    """The name presskit gives the photo in its release folder: `<stem>-<number>.<ext>`.

    Only the source file's stem is kept, reduced to [a-z0-9-] (for a readable download name); the number
    is the photo's place in the release, so names never collide; the extension is the decoded format's.
    Every name thus ends in .jpg, .png, .gif or .webp: none can be a page, a document or a feed
    (index.html, <slug>.pdf, <slug>.docx, ...) nor be served as anything but an image.
    """
    stem = Path(reference).name.rpartition(".")[0] or Path(reference).name
    stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()  # "été" -> "ete"
    stem = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:60].strip("-") or "photo"
    return f"{stem}-{number}.{info.extension}"


def logo_name(info: ImageInfo) -> str:
    """The logo's name at the newsroom's root: `logo.<ext>`, whatever the source file is called."""
    return f"logo.{info.extension}"


def rendition(path: Path, media_type: str, convert: bool) -> tuple[bytes, str]:
    """What the PDF and the DOCX embed for an image: the file itself, or (`convert`) an sRGB 8-bit copy.

    The copy is turned upright by its EXIF orientation, in sRGB (CMYK through its embedded ICC profile when
    it has one), 8 bits per channel, with its transparency; a JPEG stays a JPEG, anything else becomes a PNG.
    The same file always gives the same bytes (no date is written). Returns the bytes and their media type.
    """
    if not convert:
        return path.read_bytes(), media_type
    return _converted(str(path), *_version(path))


def _version(path: Path) -> tuple:
    stats = os.stat(path)
    return stats.st_dev, stats.st_ino, stats.st_size, stats.st_mtime_ns, stats.st_ctime_ns


@functools.lru_cache(maxsize=2)  # the PDF and the DOCX of a release ask for the same photo, one after the other
def _converted(path: str, *version: object) -> tuple[bytes, str]:
    from PIL import ImageOps  # imported when a photo must be converted: most never are

    with Image.open(path) as source:
        source.load()
        is_jpeg = source.format in ("JPEG", "MPO")
        image = ImageOps.exif_transpose(source)
    image = _srgb(image)
    buffer = io.BytesIO()
    if is_jpeg and image.mode == "RGB":
        image.save(buffer, "JPEG", quality=92)
        return buffer.getvalue(), "image/jpeg"
    image.save(buffer, "PNG")
    return buffer.getvalue(), "image/png"


def _srgb(image: Image.Image) -> Image.Image:
    """The image in 8-bit RGB, or RGBA when it has transparency."""
    if image.mode == "CMYK":  # YCCK JPEGs are decoded to CMYK too
        profile = image.info.get("icc_profile")
        if profile:
            from PIL import ImageCms  # the colour engine (3 ms to import): for CMYK photos only

            try:
                return ImageCms.profileToProfile(
                    image, io.BytesIO(profile), ImageCms.createProfile("sRGB"), outputMode="RGB"
                )
            except (ImageCms.PyCMSError, OSError, ValueError):
                pass  # a damaged profile: the plain conversion below
        return image.convert("RGB")
    if image.mode.startswith("I"):  # 16-bit grey (a PNG's only "I" modes): scaled to 8 bits, not clipped at 255
        image = image.convert("I").point(lambda value: value / 256).convert("L")
    has_alpha = image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info
    return image.convert("RGBA" if has_alpha else "RGB")


def _check_data(image: Image.Image) -> None:
    """Raise if the image data is truncated or damaged, at the least cost for each format.

    A JPEG is decoded at an eighth of its size: libjpeg still reads and decodes every scan of the file,
    and skips most of the rest (0.5 ms instead of 1.9 ms for the sample photo). Other formats are decoded
    in full: a PNG's chunk CRCs can be right around compressed data that is not (checked by a test).
    """
    if image.format in ("JPEG", "MPO"):
        image.draft(image.mode, (max(1, image.width // 8), max(1, image.height // 8)))
    image.load()
