"""Generate a benchmark project: N releases made from the repository's samples (titles, slugs and dates varied)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "releases").glob("*.yaml"))


def generate(project: Path, count: int) -> list[Path]:
    """A project folder with the samples' configuration and photos and `count` releases; returns their files."""
    releases = project / "releases"
    if releases.exists():
        shutil.rmtree(releases)
    releases.mkdir(parents=True)
    shutil.copy(REPO / "pyproject.toml", project / "pyproject.toml")
    shutil.copytree(REPO / "releases" / "photos", releases / "photos")
    if (REPO / "assets").is_dir():  # the logo the configuration names
        shutil.rmtree(project / "assets", ignore_errors=True)
        shutil.copytree(REPO / "assets", project / "assets")
    # Every generated release is published: no embargo, and no translation link to a sample's slug.
    texts = [
        re.sub(r"^(translation_of|embargo): .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        for path in SAMPLES
    ]
    start = dt.date(2015, 1, 1)
    files = []
    for number in range(count):
        text = texts[number % len(texts)]
        day = start + dt.timedelta(days=number * 3000 // max(count, 1))  # spread over ~8 years, all in the past
        text = re.sub(r"^date: .*$", f"date: {day.isoformat()}", text, count=1, flags=re.MULTILINE)
        # A different headline each time: the number goes in front of the title's first line of text.
        text = re.sub(
            r"^(title: (?:>-\n  )?\"?)",
            lambda m, number=number: f"{m.group(1)}No. {number} - ",
            text,
            count=1,
            flags=re.MULTILINE,
        )
        path = releases / f"{day.isoformat()}-release-{number:05d}.yaml"
        path.write_text(text, encoding="utf-8")
        files.append(path)
    return files


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
