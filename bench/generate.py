"""Generate a benchmark project: N releases made from the repository's samples (titles, slugs and dates varied).

    .venv/bin/python bench/generate.py FOLDER COUNT      # 100,000 releases in a few seconds

Each sample is cut once around its date and its title's first word;
a release is then one join and one write: the files are written directly, and the samples' photos are
copied once and shared by every release (their relative paths stay those of the samples).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted((REPO / "releases").glob("*.yaml"))
START = dt.date(2015, 1, 1)


def _templates() -> list[tuple[str, str, str, bool]]:
    """Each sample cut around its date's value and its title's number: (first, second, third part, whether the
    date comes first)."""
    cut = []
    for path in SAMPLES:
        # Every generated release is published: no embargo, and no translation link to a sample's slug.
        text = re.sub(r"^(translation_of|embargo): .*\n", "", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        date = re.search(r"^date: .*$", text, flags=re.MULTILINE)
        # A different headline each time: the number goes in front of the title's first line of text.
        title = re.search(r"^title: (?:>-\n  )?\"?", text, flags=re.MULTILINE)
        if date is None or title is None:
            raise SystemExit(f"bench: {path.name} has no date or no title")
        date_slot = (date.start(), date.end(), "date: ")
        title_slot = (title.end(), title.end(), "No. ")
        first, second = sorted([date_slot, title_slot])
        cut.append(
            (
                text[: first[0]] + first[2],
                text[first[1] : second[0]] + second[2],
                text[second[1] :],
                first is date_slot,
            )
        )
    return cut


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
    templates = _templates()
    folder = str(releases) + os.sep
    files = []
    spread = 3000  # days: about eight years, all in the past
    for number in range(count):
        first, second, third, date_first = templates[number % len(templates)]
        day = (START + dt.timedelta(days=number * spread // max(count, 1))).isoformat()
        name = f"{folder}{day}-release-{number:05d}.yaml"
        title = f"{number} - "
        data = (f"{first}{day}{second}{title}{third}" if date_first else f"{first}{title}{second}{day}{third}").encode()
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        files.append(Path(name))
    return files


if __name__ == "__main__":
    started = time.perf_counter()
    made = generate(Path(sys.argv[1]), int(sys.argv[2]))
    print(f"{len(made)} releases in {time.perf_counter() - started:.1f} s", file=sys.stderr)
