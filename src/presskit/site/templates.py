"""The Jinja2 environment: the project's templates/ first, the built-in theme second (also as presskit/...)."""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path

import jinja2
from babel.numbers import format_decimal
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment

from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.text import language
from presskit.text.locales import cldr_locale

THEME = Path(str(resources.files("presskit").joinpath("theme")))


class TemplateFileError(jinja2.TemplateError):
    """A file under templates/ that leads outside the project or is not a regular file."""


def confined(path: Path, root: Path) -> str:
    """Why a file of templates/ may not be read ('' when it may): it must lead, links followed, to a regular file
    (or a folder) inside the project, as photos and the logo must."""
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):
        return "points outside the project"
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    return "" if stat.S_ISREG(mode) or stat.S_ISDIR(mode) else "is not a regular file"


def scan(config: Config) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Every file of the project's templates folder, in order, links followed inside the project; and the
    entries that may not be used, with the reason. Nothing is opened."""
    files: list[Path] = []
    refused: list[tuple[Path, str]] = []
    folder = config.root / config.templates_dir
    if not folder.is_dir():
        return files, refused
    seen = {os.path.realpath(folder)}
    pending = [folder]
    while pending:
        current = pending.pop()
        for entry in sorted(current.iterdir()):
            reason = confined(entry, config.root)
            if reason:
                refused.append((entry, reason))
            elif entry.is_dir():
                if os.path.realpath(entry) not in seen:  # a link back up the tree is looked into once
                    seen.add(os.path.realpath(entry))
                    pending.append(entry)
            else:
                files.append(entry)
    return sorted(files), sorted(refused)


def check(config: Config, reporter: Reporter) -> None:
    """Report every file of templates/ that leads outside the project or is not a regular file (a FIFO, a device)."""
    for path, reason in scan(config)[1]:
        shown = reporter.display_path(path)
        code = "template.outside" if reason == "points outside the project" else "template.file"
        reporter.error(
            path,
            1,
            1,
            f"'{shown}' {reason}: every file in '{config.templates_dir}/' must be a regular file inside the project",
            code,
        )


def theme_file(config: Config, name: str) -> Path:
    """A theme asset (CSS, reference.docx): the project's templates/ version if present, else the built-in one."""
    override = config.root / config.templates_dir / name
    if not os.path.lexists(override):
        return THEME / name
    reason = confined(override, config.root)
    if reason:  # reported by check() before anything is rendered; never read
        raise TemplateFileError(f"'{config.templates_dir}/{name}' {reason}")
    return override if override.is_file() else THEME / name


class ConfinedLoader(jinja2.FileSystemLoader):
    """The project's templates: a template (or an {% include %}d file) that leads outside the project is refused, unread."""

    def __init__(self, folder: Path, root: Path):
        super().__init__(str(folder))
        self.root = root

    def get_source(self, environment, template):
        for searchpath in self.searchpath:
            candidate = Path(searchpath, *split_template_path(template))
            if os.path.lexists(candidate):
                reason = confined(candidate, self.root)
                if reason:
                    raise TemplateFileError(f"'{template}' {reason}")
        return super().get_source(environment, template)


def environment(config: Config) -> jinja2.Environment:
    """An autoescaping, strict, sandboxed environment; project templates override built-in ones of the same name."""
    builtin = jinja2.FileSystemLoader(str(THEME / "templates"))
    loaders: list[jinja2.BaseLoader] = []
    project = config.root / config.templates_dir
    overridden = project.is_dir() and any(p.suffix == ".j2" for p in project.rglob("*"))
    if project.is_dir():
        loaders.append(ConfinedLoader(project, config.root))
    # "presskit/release.html.j2" always names the built-in template, so an override can extend it.
    loaders += [jinja2.PrefixLoader({"presskit": builtin}), builtin]
    # Sandboxed as soon as the project overrides a template: an override can format anything it is given,
    # but not reach Python internals ({{ cycler.__init__.__globals__.os }} and the like raise a SecurityError,
    # reported as a template error). presskit's own templates run unsandboxed: the sandbox's checks on every
    # attribute cost a third of a no-op rebuild of 1,000 releases.
    kind = SandboxedEnvironment if overridden else jinja2.Environment
    env = kind(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["filesize"] = _filesize
    env.filters["direction"] = language.direction  # {{ lang|direction }}: 'rtl' or 'ltr'
    return env


def _filesize(size: int, lang: str = "en") -> str:
    """'245 ko' / '245 kB', with the language's number format and unit names."""
    locale = language.get(lang)
    if size < 1024 * 1024:
        return locale.label("size_kb", size=format_decimal(max(1, round(size / 1024)), locale=cldr_locale(lang)))
    return locale.label("size_mb", size=format_decimal(round(size / (1024 * 1024), 1), locale=cldr_locale(lang)))
