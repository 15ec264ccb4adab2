"""Diagnostics as data: every content problem is a Diagnostic, printed like a compiler."""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

_ESCAPED = ("Cc", "Cs", "Zl", "Zp")  # control characters, lone surrogates, line and paragraph separators


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem found in a source file, with a 1-based line and column."""

    path: str
    line: int
    column: int
    severity: str  # "error" or "warning"
    message: str
    code: str = ""

    def __str__(self) -> str:
        suffix = f" [{self.code}]" if self.code else ""
        return _one_line(f"{self.path}:{self.line}:{self.column}: {self.severity}: {self.message}{suffix}")


def _one_line(text: str) -> str:
    """Control characters (a newline in a file name, say) shown as escapes: one diagnostic, one line."""
    if text.isprintable():  # every category escaped below is unprintable: the common case, at C speed
        return text
    return "".join(ascii(c)[1:-1] if unicodedata.category(c) in _ESCAPED else c for c in text)


@dataclass
class Reporter:
    """Collects diagnostics for one run; nothing here prints or exits."""

    root: Path | None = None
    items: list[Diagnostic] = field(default_factory=list)

    def display_path(self, path: Path | str) -> str:
        if self.root is not None:  # the common case in plain strings (pathlib costs 10 times more)
            shown, base = os.path.abspath(path), os.path.abspath(self.root)
            if shown == base:
                return "."
            if shown.startswith(base if base.endswith(os.sep) else base + os.sep):
                return shown[len(base) :].lstrip(os.sep)
        path = Path(path)
        if self.root is not None:
            # The path as written first (a symlink is named by its own place), then with links resolved.
            forms = (
                lambda: (Path(os.path.abspath(path)), Path(os.path.abspath(self.root))),
                lambda: (path.resolve(), self.root.resolve()),  # resolved only when the first form fails
            )
            for form in forms:
                shown, base = form()
                try:
                    return str(shown.relative_to(base))
                except ValueError:
                    continue
        return str(path)

    def add(self, path: Path | str, line: int, column: int, severity: str, message: str, code: str = "") -> None:
        self.items.append(Diagnostic(self.display_path(path), line, column, severity, message, code))

    def error(self, path: Path | str, line: int, column: int, message: str, code: str = "") -> None:
        self.add(path, line, column, "error", message, code)

    def warning(self, path: Path | str, line: int, column: int, message: str, code: str = "") -> None:
        self.add(path, line, column, "warning", message, code)

    def extend(self, diagnostics: list[Diagnostic]) -> None:
        self.items.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity == "warning"]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.path, d.line, d.column, d.message))
