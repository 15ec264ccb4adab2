"""The same sources give the same bytes: building the sample newsroom again gives identical files."""

from __future__ import annotations

from pathlib import Path

from support.project import run_presskit, tree_digest

NOW = "2026-01-01T00:00:00+00:00"


def test_a_second_build_gives_identical_files(samples, tmp_path):
    project = samples.parent  # the sample project the fixture built (image names in a PDF follow its path)
    result = run_presskit("build", "--now", "2026-01-01T00:00:00+00:00", "--out", str(tmp_path / "again"), cwd=project)
    assert result.returncode == 0, result.stderr
    first, second = tree_digest(samples), tree_digest(tmp_path / "again")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".pdf") for name in first) and any(name.endswith(".docx") for name in first)
    assert any(name.endswith(".ninjs.json") for name in first) and any(name.endswith(".newsml.xml") for name in first)


def test_builds_give_byte_identical_feeds_sitemap_and_pages(tmp_path: Path, samples: Path):
    project = samples.parent
    again = run_presskit("build", "--now", NOW, "--out", str(tmp_path / "again"), cwd=project)
    assert again.returncode == 0, again.stderr
    first, second = tree_digest(samples), tree_digest(tmp_path / "again")
    assert first.keys() == second.keys()
    differing = [name for name in first if first[name] != second[name]]
    assert differing == []
