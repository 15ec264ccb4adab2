"""Incremental equals fresh: after any sequence of edits, renames, deletions, photo, tag and date changes and
embargo lifts, the published build is byte for byte a fresh build of the same sources, and the build store
holds only what the published build links to.

The archive is small (short releases, three per listing page, four per feed) so that pages, feeds and yearly
sitemaps shift and carry over as they do in a large one, within seconds per step.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from presskit.build.pipeline import BuildOptions, build

from support.project import expected_store, tree_digest

CONFIG = """\
[tool.presskit]
organization = "Test Office"
base_url = "https://news.example.org/"
lang = "en"
page_size = 3
feed_size = 4
"""
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
TAGS = ("energy", "transport", "culture")
COLORS = ("blue", "red", "green", "black")


def release(title: str, date: dt.date, tags: tuple[str, ...], photo: bool, embargo_days: int | None) -> str:
    text = f"title: {title}\ndate: {date.isoformat()}\nlocation: Paris\nbody: |\n  The body of {title}.\n"
    text += "contacts:\n  - name: Ann Example\n    email: ann@example.org\n"
    if tags:
        text += "tags: [" + ", ".join(tags) + "]\n"
    if photo:
        text += "photos:\n  - file: photo.png\n    alt: A square\n"
    if embargo_days is not None:
        moment = START + dt.timedelta(days=embargo_days)
        text += f"embargo: {moment.isoformat()}\n"
    return text


def generate(project: Path, count: int) -> None:
    """A project of `count` releases over three years, some tagged, some with the shared photo, two embargoed."""
    folder = project / "releases"
    folder.mkdir(parents=True)
    (project / "pyproject.toml").write_text(CONFIG, encoding="utf-8")
    Image.new("RGB", (40, 40), "blue").save(folder / "photo.png")
    for number in range(count):
        date = dt.date(2022, 1, 1) + dt.timedelta(days=number * 1000 // count)
        embargo = {3: 2, 7: 5}.get(number)  # lifted as `now` moves forward
        date = date if embargo is None else START.date()
        tags = tuple(tag for i, tag in enumerate(TAGS) if number % (i + 2) == 0)
        text = release(f"Release {number}", date, tags, number % 4 == 1, embargo)
        (folder / f"{date.isoformat()}-r{number}.yaml").write_text(text, encoding="utf-8")


def files(project: Path) -> list[Path]:
    return sorted((project / "releases").glob("*.yaml"))


def apply(project: Path, step: tuple, now: dt.datetime) -> dt.datetime:
    """Change the sources as a press officer would; returns the moment of the next build."""
    kind, pick, value = step
    paths = files(project)
    path = paths[pick % len(paths)] if paths else None
    if kind == "now":
        return now + dt.timedelta(days=value)
    if kind == "photo":
        Image.new("RGB", (40, 40), COLORS[value % len(COLORS)]).save(project / "releases" / "photo.png")
    elif kind == "add":
        date = dt.date(2021, 6, 1) + dt.timedelta(days=value * 37)
        text = release(f"Added {value}", date, TAGS[: value % 3], value % 2 == 0, None)
        (project / "releases" / f"{date.isoformat()}-added-{value}.yaml").write_text(text, encoding="utf-8")
    elif path is None:
        return now
    elif kind == "title":
        text = path.read_text(encoding="utf-8").split("\n", 1)[1]
        path.write_text(f"title: Edited {value}\n{text}", encoding="utf-8")
    elif kind == "tags":
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("tags:")]
        chosen = [tag for i, tag in enumerate(TAGS) if value >> i & 1]
        path.write_text("\n".join(lines + ([f"tags: [{', '.join(chosen)}]"] if chosen else [])) + "\n")
    elif kind == "rename":
        path.rename(path.with_name(f"{path.stem}-{value}.yaml"))
    elif kind == "delete":
        path.unlink()
    elif kind == "date" and "embargo:" not in path.read_text(encoding="utf-8"):
        lines = path.read_text(encoding="utf-8").splitlines()
        date = dt.date(2021, 1, 1) + dt.timedelta(days=value * 53)
        path.write_text("\n".join(f"date: {date.isoformat()}" if line.startswith("date:") else line for line in lines))
    return now


def publish(project: Path, out: Path, now: dt.datetime) -> dict[str, str]:
    result = build(BuildOptions(root=project, out=out, now=now, jobs=2))
    assert result.ok, [str(d) for d in result.reporter.sorted()]
    return tree_digest(out)


def store_holds_only_what_is_published(project: Path) -> None:
    """The published build and the spare (the build before it, whole with its manifest), the release folders
    they link, nothing else (support.project.expected_store)."""
    assert sorted(os.listdir(project / ".out.builds")) == expected_store(project / "out")


STEPS = st.tuples(
    st.sampled_from(["title", "tags", "rename", "delete", "photo", "add", "date", "now"]),
    st.integers(0, 50),
    st.integers(1, 7),
)


@settings(
    max_examples=int(os.environ.get("PRESSKIT_PROPERTY_EXAMPLES", "4")),
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),  # no shrinking: a failure names its steps as it is
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(STEPS, min_size=2, max_size=4))
@example(steps=[("title", 0, 3), ("rename", 36, 1), ("now", 0, 3)])  # a renamed file keeps its digest; a lift
def test_incremental_builds_equal_fresh_builds(tmp_path_factory, steps: list[tuple]):
    project = tmp_path_factory.mktemp("archive")
    generate(project, 14)
    now = START
    publish(project, project / "out", now)
    for number, step in enumerate(steps):
        now = apply(project, step, now)
        incremental = publish(project, project / "out", now)
        fresh_project = project.parent / f"{project.name}-fresh-{number}"
        shutil.copytree(project, fresh_project, ignore=shutil.ignore_patterns("out", ".out.builds", ".presskit"))
        fresh = publish(fresh_project, fresh_project / "out", now)
        assert incremental.keys() == fresh.keys(), (step, sorted(incremental.keys() ^ fresh.keys()))
        assert [name for name in incremental if incremental[name] != fresh[name]] == [], step
        store_holds_only_what_is_published(project)
        shutil.rmtree(fresh_project)
