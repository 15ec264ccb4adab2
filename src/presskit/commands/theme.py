"""`presskit theme export`: the built-in theme copied into the project's templates folder, to be edited there."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from presskit.model import Config
from presskit.site import templates


class ThemeFolderError(Exception):
    """The project's templates folder cannot take the theme (it leads outside the project, or is a file)."""


@dataclass
class Exported:
    """What an export wrote, and what it left alone because a file of that name was already there."""

    written: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def theme_files() -> list[tuple[str, Path]]:
    """Every file of the built-in theme, as (its name in a project's templates folder, the built-in file)."""
    folder = templates.THEME / "templates"
    files = [(path.name, path) for path in folder.iterdir() if path.is_file()]
    files += [(path.name, path) for path in templates.THEME.iterdir() if path.is_file()]
    return sorted(files)


def export(config: Config) -> Exported:
    """Copy every file of the built-in theme into templates/; a file already there is never overwritten."""
    folder = config.root / config.templates_dir
    if folder.exists() or folder.is_symlink():
        reason = templates.confined(folder, config.root)
        if reason or not folder.is_dir():
            raise ThemeFolderError(f"'{config.templates_dir}' {reason or 'is not a folder'}")
    folder.mkdir(parents=True, exist_ok=True)
    result = Exported()
    for name, source in theme_files():
        target = folder / name
        try:
            # "x": never replaces a file, nor writes through a link (even a dangling one) of that name.
            with open(target, "xb") as stream:
                stream.write(source.read_bytes())
        except FileExistsError:
            result.skipped.append(target)
        else:
            result.written.append(target)
    return result
