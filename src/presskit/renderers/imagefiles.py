"""Image files taken apart without decoding them: what a published photo keeps of its source, and GIF's XMP block.

A published photo keeps its image data byte for byte, and what is needed to show it right: colour
(ICC profile, gamma, chromaticities), transparency, animation. Everything else a camera, an editor or a
phone wrote into the file (EXIF with GPS position, serial numbers and an uncropped thumbnail, older XMP and
IPTC, comments, text chunks, dates, a second image or a video appended after the JPEG) is left out: presskit
publishes only what a release asks for. The EXIF orientation is written back separately (photocredits).
"""

from __future__ import annotations

import re
import struct


class DamagedImage(ValueError):
    """The file's structure cannot be followed (Pillow decoded it, but its blocks do not add up)."""


# JPEG: the application segments kept (by marker and signature): JFIF, the ICC profile and Adobe's colour transform.
_JPEG_KEPT = ((0xE0, b"JFIF\0"), (0xE2, b"ICC_PROFILE\0"), (0xEE, b"Adobe"))
# PNG: the chunks kept; every text, date, EXIF or private chunk is left out.
_PNG_KEPT = {
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP",
    b"mDCv", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT",
}  # fmt: skip
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# GIF: the application extensions kept (animation loop count); comments and other applications' blocks go.
_GIF_KEPT_APPLICATIONS = (b"NETSCAPE2.0", b"ANIMEXTS1.0")
_GIF_XMP_APPLICATION = b"XMP DataXMP"
# XMP part 3: after the raw packet, this "magic trailer" makes a GIF reader see sub-blocks that end the block.
_GIF_XMP_TRAILER = b"\x01" + bytes(range(255, -1, -1)) + b"\x00"
# In a JPEG's image data, a marker: 0xFF then anything but a stuffed 0x00, a restart marker or another 0xFF (fill).
_JPEG_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")


def essentials(data: bytes, media_type: str) -> bytes:
    """The file with only its image data and what shows it right (see the module's docstring); WebP as it is."""
    try:
        if media_type == "image/jpeg":
            return _jpeg(data)
        if media_type == "image/png":
            return _png(data)
        if media_type == "image/gif":
            return _gif(data, b"")
    except (IndexError, struct.error):
        raise DamagedImage("its blocks run past the end of the file") from None
    return data  # WebP: exiv2 rewrites its EXIF and XMP chunks, and keeps the image and colour chunks


def gif_with_xmp(data: bytes, packet: bytes) -> bytes:
    """A GIF (already reduced by essentials) with an XMP packet in its application extension, before the images."""
    if b"\0" in packet:
        raise ValueError("an XMP packet in a GIF cannot hold a NUL byte")
    block = b"\x21\xff\x0b" + _GIF_XMP_APPLICATION + packet + _GIF_XMP_TRAILER
    try:
        return _gif(data, block)
    except (IndexError, struct.error):
        raise DamagedImage("its blocks run past the end of the file") from None


def scan_data(data: bytes) -> bytes:
    """A JPEG's image data: from its first scan (SOS) to its end marker, as stored (for comparing files)."""
    start = _jpeg_segments(data)[-1][1]
    return data[start : _scan_end(data, start)]


def _jpeg(data: bytes) -> bytes:
    segments = _jpeg_segments(data)
    kept = [b"\xff\xd8"]
    for marker, start, end in segments[:-1]:
        application = 0xE0 <= marker <= 0xEF or marker == 0xFE  # APPn or a comment
        payload = data[start + 4 : end]
        if not application or any(marker == m and payload.startswith(s) for m, s in _JPEG_KEPT):
            kept.append(data[start:end])
    scan = segments[-1][1]
    kept.append(data[scan : _scan_end(data, scan)])  # every scan, as stored, to the end marker; nothing after it
    return b"".join(kept)


def _jpeg_segments(data: bytes) -> list[tuple[int, int, int]]:
    """The segments before the image data: (marker, start, end); the last one is the first scan (SOS)."""
    if data[:2] != b"\xff\xd8":
        raise DamagedImage("it does not start like a JPEG")
    segments, position = [], 2
    while True:
        if data[position] != 0xFF:
            raise DamagedImage("a JPEG segment does not start with a marker")
        while data[position + 1] == 0xFF:  # fill bytes
            position += 1
        marker = data[position + 1]
        if marker == 0xD9 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            raise DamagedImage("a JPEG ends or restarts before its image data")
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        segments.append((marker, position, position + 2 + length))
        if marker == 0xDA:
            return segments
        position += 2 + length


def _scan_end(data: bytes, position: int) -> int:
    """Where the image ends: just after the end marker (EOI) that follows the scan starting at `position`."""
    while True:
        found = _JPEG_MARKER.search(data, position)
        if found is None:
            raise DamagedImage("a JPEG has no end marker")
        position = found.start()
        if data[position + 1] == 0xD9:
            return position + 2
        # A segment between scans (a progressive JPEG's Huffman tables, its next SOS ...): skipped whole.
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        position += 2 + length


def _png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise DamagedImage("it does not start like a PNG")
    kept, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while True:
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise IndexError
        if kind in _PNG_KEPT:
            kept.append(data[position:end])
        if kind == b"IEND":
            return b"".join(kept)  # nothing after the end
        position = end


def _gif(data: bytes, inserted: bytes) -> bytes:
    """The GIF's header, screen and colour table, then `inserted`, then its images and kept extensions."""
    if data[:6] not in (b"GIF87a", b"GIF89a"):
        raise DamagedImage("it does not start like a GIF")
    flags = data[10]
    position = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    version = b"GIF89a" if inserted else data[:6]  # extensions need GIF89a
    kept = [version + data[6:position], inserted]
    while True:
        introducer = data[position]
        if introducer == 0x3B:  # trailer: nothing after it
            kept.append(b"\x3b")
            return b"".join(kept)
        if introducer == 0x2C:  # an image: descriptor, local colour table, LZW code size, data sub-blocks
            local = data[position + 9]
            start, position = position, position + 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0) + 1
            position = _sub_blocks_end(data, position)
            kept.append(data[start:position])
        elif introducer == 0x21:
            label, start = data[position + 1], position
            position = _sub_blocks_end(data, position + 2)
            block = data[start:position]
            if label in (0xF9, 0x01) or (label == 0xFF and block[3:14] in _GIF_KEPT_APPLICATIONS):
                kept.append(block)  # graphic control, plain text, animation loop; comments (0xFE) and the rest go
        else:
            raise DamagedImage("an unknown GIF block")


def _sub_blocks_end(data: bytes, position: int) -> int:
    """The position just after the sub-blocks starting at `position` (each: a size byte, then that many bytes)."""
    while True:
        size = data[position]
        if position + 1 + size > len(data):
            raise IndexError
        position += 1 + size
        if size == 0:
            return position
