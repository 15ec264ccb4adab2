"""`presskit check`: every release read and checked, nothing rendered; neither the renderers nor the build imported."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from presskit.build.project import load_config
from presskit.diagnostics import Reporter
from presskit.sources.load import load


def check(root: Path, now: dt.datetime | None = None) -> tuple[Reporter, int]:
    """Every error and warning of the project, and how many valid releases it has. The validated models of
    unchanged files are not even read: their warnings are kept beside them (sources/state.py)."""
    root = root.resolve()
    reporter = Reporter(root)
    config = load_config(root, reporter)
    return reporter, len(load(config, reporter, now, models=False))
