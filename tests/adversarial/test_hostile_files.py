"""Photo references: confined to the project, regular files, real images of sane size; nothing else is read."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image

from support.hostile import build_refused, write

P = "releases/2024-02-01-bad.yaml"


def _release(reference: str) -> str:
    return f"title: T\ndate: 2024-02-01\nbody: Text.\nphotos:\n  - file: '{reference}'\n    alt: A photo\ncontacts:\n  - name: A\n"


def _png_header(width: int, height: int) -> bytes:
    """A PNG that declares its size and carries no pixels: what an image bomb looks like to a reader."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    end = struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    return b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk + struct.pack(">I", zlib.crc32(chunk)) + end


def _prepare(project: Path, case: str, outside: Path) -> str:
    releases = project / "releases"
    if case == "symlink-outside":
        secret = outside / "secret.png"
        Image.new("RGB", (2, 2)).save(secret)
        (releases / "innocent.png").symlink_to(secret)
        return "innocent.png"
    if case == "symlink-to-dev-zero":
        (releases / "zero.png").symlink_to("/dev/zero")
        return "zero.png"
    if case == "symlinked-folder-outside":
        (releases / "shared").symlink_to(outside)
        Image.new("RGB", (2, 2)).save(outside / "x.png")
        return "shared/x.png"
    if case == "fifo":
        os.mkfifo(releases / "pipe.png")
        return "pipe.png"
    if case == "folder":
        (releases / "photos.png").mkdir()
        return "photos.png"
    if case == "not-an-image":
        (releases / "notes.png").write_text("just text\n")
        return "notes.png"
    if case == "svg-named-png":
        (releases / "vector.png").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
        return "vector.png"
    if case in ("truncated-png", "truncated-jpeg"):
        name = "cut.png" if case == "truncated-png" else "cut.jpg"
        Image.effect_noise((64, 64), 50).convert("RGB").save(releases / name)
        data = (releases / name).read_bytes()
        (releases / name).write_bytes(data[: len(data) // 2])
        return name
    if case == "png-damaged-behind-valid-crcs":

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = chunk(b"IHDR", struct.pack(">IIBBBBB", 40, 30, 8, 2, 0, 0, 0))
        (releases / "crafted.png").write_bytes(
            b"\x89PNG\r\n\x1a\n" + header + chunk(b"IDAT", b"not zlib data" * 8) + chunk(b"IEND", b"")
        )
        return "crafted.png"
    if case == "tiff":
        Image.new("RGB", (2, 2)).save(releases / "scan.tif", "TIFF")
        return "scan.tif"
    if case == "bomb-100000x100000":
        (releases / "bomb.png").write_bytes(_png_header(100_000, 100_000))
        return "bomb.png"
    if case == "bomb-8000x8000":
        (releases / "big.png").write_bytes(_png_header(8000, 8000))
        return "big.png"
    if case == "over-25-mb":
        path = releases / "huge.jpg"
        path.write_bytes(b"")
        os.truncate(path, 30 * 1024 * 1024)
        return "huge.jpg"
    return {
        "parent-escape": "../../../../../../../etc/passwd",
        "parent-escape-after-a-folder": "photos/../../../etc/hostname",
        "absolute": "/etc/passwd",
        "dev-zero": "/dev/zero",
        "file-url": "file:///etc/passwd",
        "missing": "photos/nope.jpg",
    }[case]


CASES = {
    "parent-escape": "photo '../../../../../../../etc/passwd' points outside the project",
    "parent-escape-after-a-folder": "photo 'photos/../../../etc/hostname' points outside the project",
    "absolute": "photo '/etc/passwd' must be a path relative to the release file, inside the project",
    "dev-zero": "photo '/dev/zero' must be a path relative to the release file, inside the project",
    "file-url": "photo 'file:///etc/passwd' must be a path relative to the release file, inside the project",
    "symlink-outside": "photo 'innocent.png' points outside the project",
    "symlink-to-dev-zero": "photo 'zero.png' points outside the project",
    "symlinked-folder-outside": "photo 'shared/x.png' points outside the project",
    "fifo": "photo 'pipe.png' is not a regular file",
    "folder": "photo 'photos.png' is not a regular file",
    "not-an-image": "photo 'notes.png' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged",
    "svg-named-png": "photo 'vector.png' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged",
    "truncated-png": "photo 'cut.png' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged",
    "truncated-jpeg": "photo 'cut.jpg' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged",
    "png-damaged-behind-valid-crcs": "photo 'crafted.png' is not an image presskit can read (JPEG, PNG, GIF or WebP), or it is damaged",
    "tiff": "photo 'scan.tif' is a TIFF image; use JPEG, PNG, GIF or WebP",
    "bomb-100000x100000": "photo 'bomb.png' declares too many pixels (limit 60,000,000)",
    "bomb-8000x8000": "photo 'big.png' is 8000 x 8000 pixels; the limit is 60,000,000 pixels",
    "over-25-mb": "photo 'huge.jpg' is 30 MB; the limit is 25 MB",
    "missing": "photo file 'photos/nope.jpg' does not exist",
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_unsafe_photo_is_refused(project_copy: Path, tmp_path: Path, case: str):
    outside = tmp_path / "outside"
    outside.mkdir()
    reference = _prepare(project_copy, case, outside)
    write(project_copy, _release(reference))
    expected = f"{P}:5:11: error: {CASES[case]} [release.photo]"
    assert build_refused(project_copy, expected) == [expected]


def test_a_photo_damaged_after_it_was_checked_is_read_again_and_refused(tmp_path):
    """Photos are decoded once per process and version of the file (a portrait used by many releases is
    read once): overwriting one with damaged bytes of the same size, its modification time put back, is
    still noticed (its change time moved), as `serve` would need after an edit."""
    from presskit.sources.photos import PhotoError, inspect

    path = tmp_path / "portrait.png"
    Image.effect_noise((64, 64), 50).convert("RGB").save(path)
    assert inspect(path, "portrait.png").width == 64
    assert inspect(path, "portrait.png").height == 64  # the second look is the remembered one
    data = path.read_bytes()
    before = os.stat(path)
    path.write_bytes(data[: len(data) // 2] + bytes(len(data) - len(data) // 2))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns
    with pytest.raises(PhotoError, match="or it is damaged"):
        inspect(path, "portrait.png")
