"""Project configuration: the [tool.presskit] table of pyproject.toml, validated into a Config."""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
import zoneinfo
from collections.abc import Callable
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Config, Contact, Link
from presskit.sources import contacts, photos
from presskit.sources import yamlreader as yamlsource
from presskit.text import urls

CONFIG_FILE = "pyproject.toml"
_STRINGS = (
    "organization",
    "base_url",
    "lang",
    "region",
    "timezone",
    "feed_title",
    "feed_description",
    "releases_dir",
    "templates_dir",
    "pdf_variant",
)
_KNOWN = (*_STRINGS, "logo", "about", "contacts", "page_size", "feed_size")
# PDF flavours WeasyPrint writes that presskit supports: tagged PDF/UA-1 (default), or archival PDF/A-3
# (still tagged), for offices that must file their communiqués in an archive.
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b", "pdf/a-3u", "pdf/a-3a")
CONTACT_FIELDS = ("name", "role", "email", "phone", "mobile", "social")


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

    values: dict = {}
    contacts_value = None
    for key, value in section.items():
        line = _line_of(text, key)
        bad = _forbidden_in(value)
        if bad is not None:  # TOML escapes ("\u0000") can carry what no output format can
            reporter.error(
                path, line, 1, f"'{key}': character U+{ord(bad):04X} is not allowed in text", "config.control-character"
            )
            continue
        if key not in _KNOWN:
            close = difflib.get_close_matches(key, _KNOWN, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            reporter.error(path, line, 1, f"unknown setting '{key}' in [tool.presskit]{hint}", "config.unknown")
        elif key in _STRINGS:
            if isinstance(value, str) and value.strip():
                values[key] = value.strip()
            else:
                reporter.error(path, line, 1, f"'{key}' must be a non-empty string", "config.type")
        elif key == "logo":
            logo = (root / str(value)).resolve()
            if not logo.is_relative_to(root.resolve()) or not logo.is_file():
                reporter.error(path, line, 1, f"logo '{value}' is not a file inside the project", "config.logo")
            else:
                try:
                    photos.inspect(logo, str(value))
                except photos.PhotoError as exc:
                    reason = re.sub(r"^photo (file )?'[^']*' ", "", str(exc))
                    reporter.error(path, line, 1, f"logo '{value}' {reason}", "config.logo")
                else:
                    values["logo"] = logo
        elif key == "about":
            if isinstance(value, str):
                values["about"] = {"": value}
            elif isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
                values["about"] = dict(value)
            else:
                reporter.error(path, line, 1, "'about' must be a string or a table of language = text", "config.type")
        elif key in ("page_size", "feed_size"):
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 1000:
                values[key] = value
            else:
                reporter.error(path, line, 1, f"'{key}' must be a whole number from 1 to 1000", "config.type")
        elif key == "contacts":
            contacts_value = value  # read once the region is known (below)

    for key in ("releases_dir", "templates_dir"):  # read from, and templates run: never outside the project
        if key in values and not (root / values[key]).resolve().is_relative_to(root.resolve()):
            reporter.error(
                path,
                _line_of(text, key),
                1,
                f"'{key}' must be a folder inside the project, not '{values.pop(key)}'",
                "config.folder",
            )
    if "base_url" in values:
        try:
            urls.check(values["base_url"])
        except urls.UrlError as exc:
            reporter.error(path, _line_of(text, "base_url"), 1, f"base_url: {exc}", "config.url")
        if not values["base_url"].endswith("/"):
            values["base_url"] += "/"
    if values.get("pdf_variant", PDF_VARIANTS[0]).lower() not in PDF_VARIANTS:
        choices = ", ".join(f"'{v}'" for v in PDF_VARIANTS)
        reporter.error(
            path,
            _line_of(text, "pdf_variant"),
            1,
            f"unknown pdf_variant '{values.pop('pdf_variant')}'; use one of {choices}",
            "config.pdf-variant",
        )
    elif "pdf_variant" in values:
        values["pdf_variant"] = values["pdf_variant"].lower()
    if "timezone" in values:
        try:
            zoneinfo.ZoneInfo(values["timezone"])
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            reporter.error(
                path, _line_of(text, "timezone"), 1, f"unknown time zone '{values['timezone']}'", "config.timezone"
            )
            del values["timezone"]
    if "region" in values:
        if contacts.is_region(values["region"]):
            values["region"] = values["region"].upper()
        else:
            reporter.error(
                path,
                _line_of(text, "region"),
                1,
                f"unknown region '{values.pop('region')}'; use a two-letter country code such as FR, US or JP",
                "config.region",
            )
    if contacts_value is not None:
        # The phone region is worked out (and phonenumbers imported, 50 ms) only when a contact has a number.
        region = functools.cache(
            lambda: contacts.region(Config(root=root, lang=values.get("lang", "en"), region=values.get("region", "")))
        )
        values["contacts"] = tuple(_contacts(contacts_value, path, text, region, reporter))
    if "" in values.get("about", {}):
        values["about"] = {values.get("lang", "en"): values["about"].pop("")}
    return Config(root=root, **values)


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
