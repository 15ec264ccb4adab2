"""Project configuration: the [tool.presskit] table of pyproject.toml read into a Config, as its fields declare."""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import tomllib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from presskit.diagnostics import Reporter
from presskit.model import Config, Contact, Link
from presskit.sources import contacts, photos
from presskit.sources import yamlreader as yamlsource
from presskit.text import urls

CONFIG_FILE = "pyproject.toml"
CONTACT_FIELDS = ("name", "role", "email", "phone", "mobile", "social")


class Invalid(Exception):
    """A setting's value is refused: one error on its line, and its default stands in."""

    def __init__(self, message: str, code: str = "config.type"):
        super().__init__(message)
        self.message, self.code = message, code


@dataclass
class Reading:
    """One reading of [tool.presskit]: where it comes from, and the values accepted so far."""

    root: Path
    path: Path
    text: str
    reporter: Reporter
    values: dict[str, Any]

    def error(self, key: str, message: str, code: str) -> None:
        self.reporter.error(self.path, _line_of(self.text, key), 1, message, code)


@dataclass(frozen=True)
class Kind:
    """How a kind of setting is read: `read` takes the TOML value (each key in file order), `check` the value
    read, once every key is read (settings in declaration order); either raises Invalid to refuse it."""

    read: Callable[[Setting, Any, Reading], Any]
    check: Callable[[Setting, Any, Reading], Any] | None = None


@dataclass(frozen=True)
class Setting:
    """One [tool.presskit] setting, as declared by its field of model.Config."""

    name: str
    kind: Kind
    default: Any
    doc: str
    shown: str  # the default as the documentation shows it, when the value itself does not say it
    options: dict[str, Any]

    @classmethod
    def of(cls, declared: dataclasses.Field) -> Setting:
        meta = dict(declared.metadata)
        kind, doc, shown = KINDS[meta.pop("kind")], meta.pop("doc"), meta.pop("shown")
        default = declared.default_factory() if declared.default is dataclasses.MISSING else declared.default
        return cls(declared.name, kind, default, doc, shown, meta)

    def markdown_row(self) -> str:
        """The setting's row in the table of docs/configuration.md."""
        default = self.shown or (
            f'`"{self.default}"`' if isinstance(self.default, str) else f"`{self.default}`" if self.default else "none"
        )
        return f"| `{self.name}` | {default} | {self.doc} |"


def _text(setting: Setting, value: Any, reading: Reading) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise Invalid(f"'{setting.name}' must be a non-empty string")


def _count(setting: Setting, value: Any, reading: Reading) -> int:
    low, high = setting.options["minimum"], setting.options["maximum"]
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    raise Invalid(f"'{setting.name}' must be a whole number from {low} to {high}")


def _folder(setting: Setting, value: str, reading: Reading) -> str:
    """Releases are read from it, templates run from it: never outside the project."""
    if (reading.root / value).resolve().is_relative_to(reading.root.resolve()):
        return value
    raise Invalid(f"'{setting.name}' must be a folder inside the project, not '{value}'", "config.folder")


def _url(setting: Setting, value: str, reading: Reading) -> str:
    try:
        urls.check(value)
    except urls.UrlError as exc:  # reported, and the value kept: the error alone refuses the build
        reading.error(setting.name, f"{setting.name}: {exc}", "config.url")
    if setting.options.get("page"):  # the address of one page, kept as written; a web page, not mail or phone
        if not value.lower().startswith(("https://", "http://")):
            reading.error(setting.name, f"{setting.name}: use an http:// or https:// address", "config.url")
        return value
    return value if value.endswith("/") else value + "/"


def _hub(setting: Setting, value: str, reading: Reading) -> str:
    """A WebSub hub is notified over the web: http or https only, never mailto:, tel: or file:."""
    try:
        checked = urls.check(value)
    except urls.UrlError as exc:
        raise Invalid(f"{setting.name}: {exc}", "config.url") from None
    parts = urlsplit(checked)
    if parts.scheme.lower() not in ("http", "https"):
        raise Invalid(f"{setting.name}: '{value}' is not an http or https address", "config.url")
    if "@" in parts.netloc:  # a password has no place in pyproject.toml, nor in every feed
        raise Invalid(f"{setting.name}: the address must not hold a user name or password", "config.url")
    return checked


def _choice(setting: Setting, value: str, reading: Reading) -> str:
    choices = setting.options["choices"]
    if value.lower() in choices:
        return value.lower()
    shown = ", ".join(f"'{v}'" for v in choices)
    raise Invalid(f"unknown {setting.name} '{value}'; use one of {shown}", f"config.{setting.name.replace('_', '-')}")


def _timezone(setting: Setting, value: str, reading: Reading) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone '{value}'", "config.timezone") from None
    return value


def _region(setting: Setting, value: str, reading: Reading) -> str:
    if contacts.is_region(value):
        return value.upper()
    message = f"unknown region '{value}'; use a two-letter country code such as FR, US or JP"
    raise Invalid(message, "config.region")


def _logo(setting: Setting, value: Any, reading: Reading) -> Path:
    logo = (reading.root / str(value)).resolve()
    if not logo.is_relative_to(reading.root.resolve()) or not logo.is_file():
        raise Invalid(f"logo '{value}' is not a file inside the project", "config.logo")
    try:
        photos.inspect(logo, str(value))
    except photos.PhotoError as exc:
        reason = re.sub(r"^photo (file )?'[^']*' ", "", str(exc))
        raise Invalid(f"logo '{value}' {reason}", "config.logo") from None
    return logo


def _about(setting: Setting, value: Any, reading: Reading) -> dict[str, str]:
    if isinstance(value, str):
        return {"": value}
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    raise Invalid(f"'{setting.name}' must be a string or a table of language = text")


def _about_language(setting: Setting, value: dict[str, str], reading: Reading) -> dict[str, str]:
    """A plain string is the boilerplate in the project's language."""
    return {reading.values.get("lang", "en"): value.pop("")} if "" in value else value


def _table(setting: Setting, value: Any, reading: Reading) -> dict[str, Any]:
    """Read as a whole by the module that uses it (presskit.mail.settings for the mail table)."""
    if isinstance(value, dict):
        return dict(value)
    raise Invalid(f"'{setting.name}' must be a table ([tool.presskit.{setting.name}])")


def _raw(setting: Setting, value: Any, reading: Reading) -> Any:
    return value


def _contacts_table(setting: Setting, value: Any, reading: Reading) -> tuple[Contact, ...]:
    """Read once the region is known; the region is worked out (and phonenumbers imported, 50 ms) only when a
    contact has a number."""
    lang, region = reading.values.get("lang", "en"), reading.values.get("region", "")
    phone_region = functools.cache(lambda: contacts.region(Config(root=reading.root, lang=lang, region=region)))
    return tuple(_contacts(value, reading.path, reading.text, phone_region, reading.reporter))


KINDS = {
    "text": Kind(_text),
    "count": Kind(_count),
    "folder": Kind(_text, _folder),
    "url": Kind(_text, _url),
    "hub": Kind(_text, _hub),
    "choice": Kind(_text, _choice),
    "timezone": Kind(_text, _timezone),
    "region": Kind(_text, _region),
    "logo": Kind(_logo),
    "about": Kind(_about, _about_language),
    "contacts": Kind(_raw, _contacts_table),
    "table": Kind(_table),
}
SETTINGS = tuple(Setting.of(declared) for declared in dataclasses.fields(Config) if declared.metadata)
_BY_NAME = {setting.name: setting for setting in SETTINGS}


def _line_of(text: str, key: str) -> int:
    """Best-effort line of `key = ...` in the TOML text (tomllib keeps no positions)."""
    pattern = re.compile(rf"^\s*{re.escape(key)}\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def load(root: Path, reporter: Reporter) -> Config:
    """Read the project's configuration; problems go to the reporter and defaults stand in."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config(root=root)
    try:
        text = yamlsource.decode(path.read_bytes())  # UTF-8 and control characters: the same rules as releases
    except yamlsource.SourceError as exc:
        reporter.error(path, exc.mark.line, exc.mark.column, exc.message, exc.code.replace("yaml.", "config."))
        return Config(root=root)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+), column (\d+)", str(exc))
        line, col = (int(match.group(1)), int(match.group(2))) if match else (1, 1)
        reporter.error(path, line, col, f"TOML syntax error: {exc}", "config.syntax")
        return Config(root=root)
    section = data.get("tool", {}).get("presskit", {})
    if not isinstance(section, dict):
        reporter.error(path, _line_of(text, "presskit"), 1, "[tool.presskit] must be a table", "config.type")
        return Config(root=root)

    reading = Reading(root, path, text, reporter, {})
    for key, value in section.items():
        bad = _forbidden_in(value)
        if bad is not None:  # TOML escapes ("\u0000") can carry what no output format can
            message = f"'{key}': character U+{ord(bad):04X} is not allowed in text"
            reading.error(key, message, "config.control-character")
        elif key not in _BY_NAME:
            close = difflib.get_close_matches(key, _BY_NAME, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            reading.error(key, f"unknown setting '{key}' in [tool.presskit]{hint}", "config.unknown")
        else:
            _accept(_BY_NAME[key], _BY_NAME[key].kind.read, value, reading)
    for setting in SETTINGS:  # checks that need the project, or another setting
        if setting.kind.check is not None and setting.name in reading.values:
            _accept(setting, setting.kind.check, reading.values.pop(setting.name), reading)
    return Config(root=root, **reading.values)


def _accept(setting: Setting, step: Callable[[Setting, Any, Reading], Any], value: Any, reading: Reading) -> None:
    """The value as `step` reads it, or its error (and then no value: the default stands in)."""
    try:
        reading.values[setting.name] = step(setting, value, reading)
    except Invalid as exc:
        reading.error(setting.name, exc.message, exc.code)


def markdown_table() -> str:
    """The table of settings in docs/configuration.md, made from their declarations."""
    rows = [setting.markdown_row() for setting in SETTINGS]
    return "\n".join(["| setting | default | meaning |", "|---|---|---|", *rows]) + "\n"


def _contact_lines(text: str, count: int) -> list[tuple[int, int]]:
    """The first and last line of each [[tool.presskit.contacts]] table (tomllib keeps no positions); the
    line of `contacts = [...]` for contacts written inline."""
    lines = text.splitlines()
    headers = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[\s*tool\.presskit\.contacts\s*\]\]", line)]
    if len(headers) != count:
        line = _line_of(text, "contacts")
        return [(line, line)] * count
    spans = []
    for header in headers:
        end = next(
            (n for n in range(header + 1, len(lines) + 1) if lines[n - 1].lstrip().startswith("[")), len(lines) + 1
        )
        spans.append((header, end - 1))
    return spans


def _key_line(text: str, span: tuple[int, int], key: str) -> int:
    """The line of `key = ...` inside one contact's table, else its first line."""
    lines = text.splitlines()
    for number in range(span[0], span[1] + 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
            return number
    return span[0]


def _contacts(value, path: Path, text: str, region: Callable[[], str], reporter: Reporter) -> list[Contact]:
    """Default contacts, checked by the same rules as a release's (presskit.sources.contacts); warnings too."""
    if not isinstance(value, list):
        reporter.error(path, _line_of(text, "contacts"), 1, "'contacts' must be an array of tables", "config.type")
        return []
    found = []
    for item, span in zip(value, _contact_lines(text, len(value))):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            reporter.error(path, span[0], 1, "each contact needs a 'name'", "config.contact")
            continue
        unknown = [k for k in item if k not in CONTACT_FIELDS]
        if unknown:
            reporter.error(
                path, _key_line(text, span, unknown[0]), 1, f"unknown contact field '{unknown[0]}'", "config.contact"
            )
            continue
        wrong = [k for k in CONTACT_FIELDS if k in item and k != "social" and not isinstance(item[k], str)]
        if wrong:
            reporter.error(
                path, _key_line(text, span, wrong[0]), 1, f"contacts.{wrong[0]} must be text in quotes", "config.type"
            )
            continue
        fields = {k: " ".join(item[k].split()) for k in ("name", "role", "email", "phone", "mobile") if k in item}
        if fields.get("email"):
            try:
                fields["email"] = contacts.email(fields["email"])
            except contacts.ContactError as exc:
                reporter.error(path, _key_line(text, span, "email"), 1, f"contacts.email: {exc}", "config.contact")
                continue
        social = item.get("social")
        link = None
        try:
            if isinstance(social, dict):
                url = str(social.get("url", ""))
                link = Link(str(social.get("label", "")) or url, urls.check(url))
            elif isinstance(social, str):
                link = contacts.social(social)
            elif social is not None:
                raise contacts.ContactError("'social' must be a URL or a table {label, url}")
        except (urls.UrlError, contacts.ContactError) as exc:
            reporter.error(path, _key_line(text, span, "social"), 1, f"contacts.social: {exc}", "config.url")
            continue
        contact = Contact(
            **fields,
            social=link,
            phone_tel=contacts.tel(fields["phone"], region()) if fields.get("phone") else "",
            mobile_tel=contacts.tel(fields["mobile"], region()) if fields.get("mobile") else "",
        )
        for name, message, code in contacts.warnings(contact, region):
            reporter.warning(path, _key_line(text, span, name), 1, message, f"check.{code}")
        found.append(contact)
    return found


def _forbidden_in(value) -> str | None:
    """The first character of a string (in any table or array) that no document format can carry."""
    if isinstance(value, str):
        return yamlsource.forbidden_character(value)
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        found = _forbidden_in(item)
        if found is not None:
            return found
    return None


def timezone(config: Config) -> zoneinfo.ZoneInfo:
    """The project's time zone object."""
    return zoneinfo.ZoneInfo(config.timezone)
