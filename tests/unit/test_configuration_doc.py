"""docs/configuration.md cannot drift from the settings declared by model.Config."""

from __future__ import annotations

import dataclasses
import importlib.util
import re
import shutil
from pathlib import Path

from presskit import config
from presskit.diagnostics import Reporter
from presskit.model import Config

from support.readers import REPO

ROOT = REPO
DOC = ROOT / "docs" / "configuration.md"


def _script():
    spec = importlib.util.spec_from_file_location("configuration_table", ROOT / "scripts" / "configuration_table.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_of_settings_is_the_generated_one():
    documented = _script().table_in(DOC.read_text(encoding="utf-8"))
    assert documented == config.markdown_table(), "run: python scripts/configuration_table.py --write"


def test_every_config_field_but_the_root_is_a_documented_setting():
    names = [f.name for f in dataclasses.fields(Config) if f.name != "root"]
    assert [s.name for s in config.SETTINGS] == names
    assert all(s.doc and s.kind in config.KINDS.values() for s in config.SETTINGS)
    table = config.markdown_table()
    assert all(f"| `{name}` |" in table for name in names)


def test_the_example_reads_without_a_problem(tmp_path: Path):
    example = re.search(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.DOTALL).group(1)
    (tmp_path / "assets").mkdir()
    shutil.copy(ROOT / "assets" / "logo.png", tmp_path / "assets" / "logo.png")
    (tmp_path / "pyproject.toml").write_text(example, encoding="utf-8")
    reporter = Reporter(tmp_path)
    loaded = config.load(tmp_path, reporter)
    assert [str(d) for d in reporter.items] == []
    assert (loaded.lang, loaded.page_size, loaded.contacts[0].phone_tel) == ("fr", 30, "tel:+33467228646")
    assert loaded.about_for("en").startswith("The Occitanie Region")
