"""The render context: what every renderer and site writer may use besides the release (configuration, templates, site texts)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import jinja2

from presskit.model import Config
from presskit.site import templates
from presskit.site.view import ReleaseView, SiteView


@dataclass(frozen=True)
class RenderContext:
    """What every renderer may use besides the release: configuration, templates, site texts."""

    config: Config
    env: jinja2.Environment
    site: SiteView
    languages: tuple[str, ...] = ()  # languages with published releases (for the language menu)

    @classmethod
    def for_site(cls, config: Config, languages: tuple[str, ...] = ()) -> RenderContext:
        """The one way a build makes its context: the project's templates and the site's texts."""
        return cls(config, templates.environment(config), SiteView(config), languages)


class SiteFiles(Protocol):
    """Where the site writers put the newsroom-level files (build/staging.py's Staging is one)."""

    def write(self, relative: str, data: bytes | str) -> None: ...


class Carryover(Protocol):
    """Which newsroom-level files need not be made again (build/plan.py's SiteReuse is one)."""

    def key(self, kind: str, parts: object, views: Iterable[ReleaseView] = ()) -> str: ...

    def unchanged(self, relative: str, key: str) -> bool: ...
