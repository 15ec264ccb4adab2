"""The project's configuration for one run, read first by `check` and `build` (no renderer imported).

presskit's configuration with the command line's base URL, and the templates folder checked.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from presskit import config as project_config
from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.site import templates


def load_config(root: Path, reporter: Reporter, base_url: str | None = None) -> Config:
    """The project's configuration, with the command line's base URL; its problems go to the reporter."""
    config = project_config.load(root, reporter)
    if base_url:
        config = dataclasses.replace(config, base_url=base_url if base_url.endswith("/") else base_url + "/")
    templates.check(config, reporter)  # every file of templates/ inside the project, before any is read
    return config
