"""Press lists: lists/<name>.csv read into recipients, every problem reported at its line and column."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Config
from presskit.sources import contacts

COLUMNS = ("email", "name", "lang", "embargo", "tags")
LANG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class Recipient:
    """One journalist on a press list."""

    email: str
    name: str = ""
    lang: str = ""
    embargo: bool = False
    tags: tuple[str, ...] = ()
    where: str = ""  # lists/<name>.csv:LINE, for messages about this recipient

    def wants(self, release_tags: tuple[str, ...]) -> bool:
        """No tags: every release; else only releases sharing one of them."""
        if not self.tags:
            return True
        wanted = {t.casefold() for t in self.tags}
        return any(t.casefold() in wanted for t in release_tags)


def path_of(config: Config, name: str) -> Path:
    return config.root / config.lists_dir / f"{name}.csv"


def read(config: Config, names: list[str], reporter: Reporter) -> list[Recipient]:
    """The recipients of every list named, an address once only (its first line wins); errors to the reporter."""
    found: dict[str, Recipient] = {}
    for name in names:
        path = path_of(config, name)
        if not NAME.match(name) or not path.is_file():
            reporter.error(
                path, 1, 1, f"no press list '{name}' (looked for {reporter.display_path(path)})", "list.missing"
            )
            continue
        for recipient in _read_file(path, reporter):
            found.setdefault(recipient.email.lower(), recipient)
    return list(found.values())


def _columns(line: str, fields: list[str]) -> list[int]:
    """The 1-based column where each field starts in its line (best effort for quoted fields)."""
    starts, position = [], 0
    for field in fields:
        starts.append(position + 1)
        if line[position : position + 1] == '"':
            end = position + 1
            while end < len(line):
                if line[end] == '"' and line[end + 1 : end + 2] == '"':
                    end += 2
                elif line[end] == '"':
                    break
                else:
                    end += 1
            position = end + 2
        else:
            position += len(field) + 1
    return starts


def _read_file(path: Path, reporter: Reporter) -> list[Recipient]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        reporter.error(path, 1, 1, f"not UTF-8 text: {exc.reason}", "list.encoding")
        return []
    lines = text.splitlines()
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(rows)
    except StopIteration:
        reporter.error(path, 1, 1, "the list is empty: write a header row with an 'email' column", "list.header")
        return []
    header_cols = _columns(lines[0], header)
    names = [h.strip().lower() for h in header]
    ok = True
    for name, col in zip(names, header_cols, strict=True):
        if name not in COLUMNS:
            reporter.error(path, 1, col, f"unknown column '{name}'; use {', '.join(COLUMNS)}", "list.column")
            ok = False
    if "email" not in names:
        reporter.error(path, 1, 1, "no 'email' column in the header row", "list.header")
        return []
    recipients, seen = [], {}
    while True:
        try:
            start = rows.line_num + 1
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            reporter.error(path, rows.line_num, 1, f"CSV syntax error: {exc}", "list.syntax")
            return []
        if not any(cell.strip() for cell in row):
            continue
        line = lines[start - 1] if start - 1 < len(lines) else ""
        cols = _columns(line, row)
        key = dict(zip(names, row)).get("email", "").strip().lower()
        if key and key in seen:
            col = dict(zip(names, cols)).get("email", 1)
            message = f"duplicate address {key} (first on line {seen[key]})"
            reporter.error(path, start, col, message, "list.duplicate")
            ok = False
            continue
        seen.setdefault(key, start)
        recipient = _recipient(path, start, dict(zip(names, zip(row, cols))), len(header), len(row), reporter)
        if recipient is None:
            ok = False
            continue
        recipients.append(recipient)
    return recipients if ok else []


def _recipient(path: Path, line: int, cells: dict, width: int, count: int, reporter: Reporter) -> Recipient | None:
    display = reporter.display_path(path)
    if count != width:
        reporter.error(path, line, 1, f"{count} fields where the header has {width}", "list.row")
        return None
    values = {k: v.strip() for k, (v, _) in cells.items()}
    column = {k: c for k, (_, c) in cells.items()}
    good = True
    try:
        email = contacts.email(values["email"]) if values["email"] else ""
        if not email:
            raise contacts.ContactError("the address is empty")
    except contacts.ContactError as exc:
        reporter.error(path, line, column["email"], f"bad address: {exc}", "list.email")
        good, email = False, ""
    embargo = values.get("embargo", "").lower() or "no"
    if embargo not in ("yes", "no"):
        reporter.error(
            path, line, column["embargo"], f"unknown embargo value '{values['embargo']}'; use yes or no", "list.embargo"
        )
        good = False
    lang = values.get("lang", "")
    if lang and not LANG.match(lang):
        reporter.error(
            path, line, column["lang"], f"'{lang}' is not a language tag such as fr, en or pt-BR", "list.lang"
        )
        good = False
    if not good:
        return None
    tags = tuple(values.get("tags", "").split())
    return Recipient(email, values.get("name", ""), lang, embargo == "yes", tags, f"{display}:{line}")
