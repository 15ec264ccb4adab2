"""Reproducible zip archives (the Word package, the press kit): fixed timestamps, modes and order."""

from __future__ import annotations

import datetime as dt
import io
import zipfile


def reproducible_zip(
    members: list[tuple[str, bytes]], when: dt.datetime, stored: frozenset[str] = frozenset()
) -> bytes:
    """Zip with fixed timestamps, modes and order, so that the same release always gives the same bytes.

    The members named in `stored` are kept as they are (no compression): files that are compressed
    already (photos, a Word package), which deflate would only make slower to write and read.
    """
    stamp = max(when.astimezone(dt.UTC).timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, blob in members:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, blob)
    return out.getvalue()
