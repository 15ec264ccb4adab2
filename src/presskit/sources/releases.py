"""Reading release files: YAML source -> validated, typeset Release objects, with every problem reported."""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from presskit.commands import new as newrelease
from presskit.diagnostics import Reporter
from presskit.model import Config, Contact, Link, Photo, Release
from presskit.sources import contacts, photos
from presskit.sources import yamlreader as yamlsource
from presskit.sources.yamlreader import Mapping, Mark, Node, Scalar, Sequence
from presskit.text import dateline, language, locales, markup, textcheck, typography, urls

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # used with fullmatch: "$" would accept a final newline
LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
MAX_FILE_BYTES = 1024 * 1024
RESERVED = {"tags", "page", "feed", "atom", "sitemap", "robots", "newsroom"}

FIELDS = {
    "title": True,
    "subtitle": False,
    "date": True,
    "location": False,
    "lang": False,
    "label": False,
    "section": False,
    "lead": False,
    "body": True,
    "links": False,
    "photos": False,
    "photos_note": False,
    "photo_credits": False,
    "contacts": False,
    "tags": False,
    "about": False,
    "embargo": False,
    "draft": False,
    "updated": False,
    "correction": False,
    "translation_of": False,
}
LINK_FIELDS = {"label": False, "url": True}
PHOTO_FIELDS = {"file": True, "alt": True, "caption": False, "credit": False}
CONTACT_FIELDS = {"name": True, "role": False, "email": False, "phone": False, "mobile": False, "social": False}
_KINDS = {Scalar: "text", Sequence: "a list", Mapping: "a mapping"}


def release_files(config: Config) -> list[Path]:
    """Every release source in the project, sorted by file name (cheap for 10,000 files)."""
    folder = config.root / config.releases_dir
    try:
        # The extension in any case: a release saved as NEWS.YAML is reported, never silently skipped.
        names = sorted(
            entry.name
            for entry in os.scandir(folder)
            if entry.name.lower().endswith((".yaml", ".yml")) and not entry.name.startswith(".")
        )
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / name for name in names]


@dataclass
class _File:
    """Diagnostics for one file, so that messages need not repeat the path."""

    path: Path
    reporter: Reporter
    failed: bool = False

    def error(self, mark: Mark, message: str, code: str) -> None:
        self.failed = True
        self.reporter.error(self.path, mark.line, mark.column, message, code)


def claim_slug(path: Path, seen: dict[str, Path], reporter: Reporter) -> bool:
    """Record a release file's slug; False (with an error) when it is reserved or another file has it."""
    slug = path.stem
    if slug in RESERVED or slug in locales.available():
        reporter.error(
            path, 1, 1, f"the slug '{slug}' is reserved for the newsroom's own pages; rename the file", "release.slug"
        )
        return False
    # Slugs are compared case-folded: on Windows and macOS, a.yaml and A.yaml are one file, out/a and out/A one folder.
    key = slug.casefold()
    if key in seen:
        other = reporter.display_path(seen[key])
        how = (
            "has the same name"
            if seen[key].stem == slug
            else "has the same name once upper and lower case are not told apart"
        )
        reporter.error(path, 1, 1, f"duplicate slug '{slug}': {other} {how}", "release.duplicate-slug")
        return False
    seen[key] = path
    return True


def read_source(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """A release file's bytes: only a regular file, never more than `limit` bytes read (FIFOs, devices refused)."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer; it is then refused as not a regular file.
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        raise yamlsource.SourceError(
            "a release must be a regular file (not a folder, device or pipe)", Mark(1, 1), "release.not-a-file"
        )
    with os.fdopen(fd, "rb") as handle:
        # Read one byte more than allowed: a file that grew after fstat is still caught, and never read whole.
        data = handle.read(limit + 1) if info.st_size <= limit else b""
        if info.st_size > limit or len(data) > limit:
            size = f"{info.st_size // 1024} KB" if info.st_size > limit else f"over {limit // 1024} KB"
            raise yamlsource.SourceError(
                f"the file is {size}; a release file is limited to {limit // 1024} KB", Mark(1, 1), "release.too-large"
            )
        return data


def load_file(path: Path, config: Config, reporter: Reporter) -> Release | None:
    """Load one release file; None if it has errors (all of them reported)."""
    return load_source(path, config, reporter)[0]


def load_source(
    path: Path, config: Config, reporter: Reporter, data: bytes | None = None
) -> tuple[Release | None, Node | None, str]:
    """Load one release file (from `data` when already read): the release, its node tree and its text."""
    f = _File(path, reporter)
    slug = path.stem
    if not SLUG.fullmatch(slug):
        f.error(
            Mark(1, 1),
            f"file name '{path.name}' is not a valid slug: use lower-case letters, digits and hyphens (e.g. 2023-09-29-my-release.yaml)",
            "release.slug",
        )
    try:
        text = yamlsource.decode(read_source(path) if data is None else data)
        root, problems = yamlsource.parse(text)
    except yamlsource.SourceError as exc:
        f.error(exc.mark, exc.message, exc.code)
        return None, None, ""
    except OSError as exc:
        f.error(Mark(1, 1), f"cannot read the file ({exc.strerror})", "release.io")
        return None, None, ""
    for problem in problems:
        f.error(problem.mark, problem.message, problem.code)
    if root is None:
        f.error(Mark(1, 1), "the file is empty; a release needs at least title, date and body", "release.empty")
        return None, None, text
    if not isinstance(root, Mapping):
        f.error(
            root.mark,
            f"a release must be a mapping of fields (title: ..., date: ...), not {_KINDS[type(root)]}",
            "release.type",
        )
        return None, root, text
    release = _Validator(f, config, slug, text.splitlines()).release(root)
    return (None if f.failed else release), root, text


class _Validator:
    """Turns one file's node tree into a Release, reporting each problem at its node."""

    def __init__(self, f: _File, config: Config, slug: str, lines: list[str]):
        self.f = f
        self.lines = lines
        self.config = config
        self.slug = slug
        self.lang = config.lang
        self.region: str | None = None  # the project's phone region, worked out at the first number

    # -- generic checks -------------------------------------------------------------------------
    def _fields(self, mapping: Mapping, spec: dict[str, bool], where: str) -> dict[str, Node]:
        for key, _ in mapping.items:
            if key.value not in spec:
                close = difflib.get_close_matches(key.value, list(spec), n=1, cutoff=0.6)
                hint = f"; did you mean '{close[0]}'?" if close else f"; known fields: {', '.join(spec)}"
                self.f.error(key.mark, f"unknown field '{key.value}'{where}{hint}", "release.unknown-field")
        present = {name: node for name, (_, node) in mapping.by_key.items() if name in spec}
        for name, required in spec.items():
            if required and (name not in present or _is_null(present[name])):
                self.f.error(mapping.mark, f"missing required field '{name}'{where}", "release.missing-field")
        return {k: v for k, v in present.items() if not _is_null(v)}

    def _text(self, node: Node | None, name: str, *, multiline: bool = False) -> str:
        if node is None:
            return ""
        if not isinstance(node, Scalar):
            self.f.error(node.mark, f"'{name}' must be text, not {_KINDS[type(node)]}", "release.type")
            return ""
        # Bidirectional controls left open would reorder the text around the field: removed here, once,
        # for every output (checks.py warns about each one at its place).
        value = textcheck.balance_bidi(node.value or "")
        value = value.strip() if multiline else " ".join(value.split())
        if not value:
            self.f.error(node.mark, f"'{name}' is empty", "release.empty-field")
        return value

    def _list(self, node: Node | None, name: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self.f.error(
                node.mark, f"'{name}' must be a list (one '- ' item per line), not {_KINDS[type(node)]}", "release.type"
            )
            return []
        return node.items

    def _mapping(self, node: Node, name: str) -> Mapping | None:
        if not isinstance(node, Mapping):
            self.f.error(
                node.mark,
                f"each item of '{name}' must be a mapping of fields, not {_KINDS[type(node)]}",
                "release.type",
            )
            return None
        return node

    def _url(self, node: Node | None, name: str) -> str:
        value = self._text(node, name)
        if value:
            try:
                return urls.check(value)
            except urls.UrlError as exc:
                self.f.error(node.mark, f"{name}: {exc}", "release.url")
        return ""

    def _markdown(self, node: Node | None, name: str, inline: bool) -> str:
        value = self._text(node, name, multiline=True)
        if not value:
            return ""
        # Block scalars ('|', '>') start on the line after the key.
        first_line = node.mark.line + (1 if node.style in ("|", ">") else 0)
        for ref in markup.find_links(value, inline=inline):
            mark = self._find(ref.url, first_line + ref.line_offset, node.mark)
            if ref.kind == "image":
                self.f.error(
                    mark,
                    f"{name}: images in Markdown are not supported; list them under 'photos'",
                    "release.markdown-image",
                )
                continue
            try:
                urls.check(ref.url)
            except urls.UrlError as exc:
                self.f.error(mark, f"{name}: {exc}", "release.url")
        return value

    def _find(self, needle: str, line: int, fallback: Mark) -> Mark:
        """Where `needle` is written, searching from `line` on (Markdown may wrap a link over lines)."""
        for number in range(line, min(line + 50, len(self.lines) + 1)):
            column = self.lines[number - 1].find(needle) if needle else -1
            if column >= 0:
                return Mark(number, column + 1)
        return fallback

    def _typeset(self, text: str) -> str:
        return typography.typeset(text, self.lang)

    # -- the release ----------------------------------------------------------------------------
    def release(self, root: Mapping) -> Release | None:
        fields = self._fields(root, FIELDS, "")
        if "lang" in fields:
            lang = self._text(fields["lang"], "lang")
            if lang and not LANG.match(lang):
                self.f.error(
                    fields["lang"].mark,
                    f"'lang' must be a language tag such as fr, en or pt-BR, not '{lang}'",
                    "release.lang",
                )
            elif lang:
                self.lang = lang
        locale = language.get(self.lang)

        date = None
        if "date" in fields:
            date = self._date(fields["date"], "date", require_offset=False)
        embargo = self._date(fields.get("embargo"), "embargo", require_offset=True) if "embargo" in fields else None
        draft = self._bool(fields.get("draft"), "draft")
        if not draft:
            self._placeholders(root)
        updated = self._date(fields.get("updated"), "updated", require_offset=True) if "updated" in fields else None
        correction = self._typeset(self._text(fields.get("correction"), "correction", multiline=True))
        if correction and updated is None:
            self.f.error(
                fields["correction"].mark,
                "a 'correction' needs an 'updated' datetime saying when it was made",
                "release.correction",
            )
        translation_of = self._text(fields.get("translation_of"), "translation_of")
        if translation_of and not SLUG.match(translation_of):
            self.f.error(
                fields["translation_of"].mark,
                f"'translation_of' must be the slug of another release (its file name without .yaml), not '{translation_of}'",
                "release.translation",
            )
        elif translation_of == self.slug:
            self.f.error(
                fields["translation_of"].mark, "a release cannot be a translation of itself", "release.translation"
            )

        title = self._typeset(self._text(fields.get("title"), "title"))
        body = self._markdown(fields.get("body"), "body", inline=False)
        lead = self._markdown(fields.get("lead"), "lead", inline=True)
        links = tuple(self._links(fields.get("links")))
        photo_list = tuple(self._photos(fields.get("photos")))
        contact_list = tuple(self._contacts(fields.get("contacts")))
        if "contacts" not in fields:
            contact_list = tuple(self._typeset_contact(c) for c in self.config.contacts)
            if not contact_list:
                self.f.error(
                    root.mark,
                    "missing 'contacts': give at least one press contact (or default contacts in [tool.presskit])",
                    "release.missing-field",
                )
        elif not contact_list and not self.f.failed:
            self.f.error(
                fields["contacts"].mark,
                "'contacts' is empty: a release needs at least one press contact",
                "release.missing-field",
            )
        tags = []
        for node in self._list(fields.get("tags"), "tags"):
            tag = self._text(node, "tags")
            if tag:
                tags.append(tag)
        if self.f.failed or date is None:
            return None
        return Release(
            slug=self.slug,
            source=self.f.path,
            title=title,
            date=date,
            lang=self.lang,
            label=self._typeset(self._text(fields.get("label"), "label")) or locale.label("label"),
            body=body,
            contacts=contact_list,
            subtitle=self._typeset(self._text(fields.get("subtitle"), "subtitle")),
            location=self._typeset(self._text(fields.get("location"), "location")),
            section=self._typeset(self._text(fields.get("section"), "section")),
            lead=lead,
            links=links,
            photos=photo_list,
            photos_note=self._typeset(self._text(fields.get("photos_note"), "photos_note")),
            photo_credits=self._typeset(self._text(fields.get("photo_credits"), "photo_credits")),
            tags=tuple(dict.fromkeys(tags)),
            about=self._typeset(
                self._text(fields.get("about"), "about", multiline=True) or self.config.about_for(self.lang)
            ),
            embargo=embargo,
            draft=draft,
            updated=updated,
            correction=correction,
            translation_of=translation_of,
        )

    def _date(self, node: Node, name: str, *, require_offset: bool):
        text = self._text(node, name)
        if not text:
            return None
        try:
            return dateline.parse(text, require_offset=require_offset)
        except dateline.DateError as exc:
            self.f.error(node.mark, f"{name}: {exc}", f"release.{name}")
            return None

    def _placeholders(self, root: Mapping) -> None:
        """A release that is not a draft must not publish the text `presskit new` left to be replaced."""
        for name, node in _scalars(root, ""):
            value = " ".join((node.value or "").split())
            for placeholder in newrelease.PLACEHOLDERS:
                if placeholder in value:
                    first_line = node.mark.line + (1 if node.style in ("|", ">") else 0)
                    mark = self._find(placeholder, first_line, node.mark)
                    self.f.error(
                        mark,
                        f"{name}: the placeholder text '{placeholder}' of 'presskit new' is still there; "
                        "write the release, or keep 'draft: true' until it is ready",
                        "release.placeholder",
                    )

    def _bool(self, node: Node | None, name: str) -> bool:
        if node is None:
            return False
        text = self._text(node, name).lower()
        if text in ("true", "yes"):
            return True
        if text in ("false", "no"):
            return False
        self.f.error(node.mark, f"'{name}' must be true or false, not '{text}'", "release.type")
        return False

    def _links(self, node: Node | None):
        locale = language.get(self.lang)
        for item in self._list(node, "links"):
            mapping = self._mapping(item, "links")
            if mapping is None:
                continue
            fields = self._fields(mapping, LINK_FIELDS, " in a link")
            url = self._url(fields.get("url"), "links.url")
            label = self._text(fields.get("label"), "links.label") or locale.label("more_info")
            if url:
                yield Link(self._typeset(label), url)

    def _photos(self, node: Node | None):
        release_dir = self.f.path.parent
        for number, item in enumerate(self._list(node, "photos"), start=1):
            mapping = self._mapping(item, "photos")
            if mapping is None:
                continue
            fields = self._fields(mapping, PHOTO_FIELDS, " in a photo")
            reference = self._text(fields.get("file"), "photos.file")
            alt = self._text(fields.get("alt"), "photos.alt")
            if not reference:
                continue
            try:
                located = photos.locate(reference, release_dir, self.config.root)
                info = photos.inspect(located, reference)
            except photos.PhotoError as exc:
                self.f.error(fields["file"].mark, str(exc), "release.photo")
                continue
            yield Photo(
                source=info.path,
                filename=photos.published_name(reference, number, info),
                alt=self._typeset(alt),
                caption=self._typeset(self._text(fields.get("caption"), "photos.caption")),
                credit=self._typeset(self._text(fields.get("credit"), "photos.credit")),
                width=info.width,
                height=info.height,
                media_type=info.media_type,
                convert=info.convert,
            )

    def _contacts(self, node: Node | None):
        for item in self._list(node, "contacts"):
            mapping = self._mapping(item, "contacts")
            if mapping is None:
                continue
            fields = self._fields(mapping, CONTACT_FIELDS, " in a contact")
            name = self._text(fields.get("name"), "contacts.name")
            email = self._text(fields.get("email"), "contacts.email")
            if email:
                try:
                    email = contacts.email(email)
                except contacts.ContactError as exc:
                    self.f.error(fields["email"].mark, f"contacts.email: {exc}", "release.email")
            phone = self._text(fields.get("phone"), "contacts.phone")
            mobile = self._text(fields.get("mobile"), "contacts.mobile")
            social = None
            if "social" in fields:
                social = self._social(fields["social"])
            if name:
                yield Contact(
                    name=self._typeset(name),
                    role=self._typeset(self._text(fields.get("role"), "contacts.role")),
                    email=email,
                    phone=phone,
                    mobile=mobile,
                    social=social,
                    phone_tel=self._tel(phone),
                    mobile_tel=self._tel(mobile),
                )

    def _tel(self, number: str) -> str:
        """The tel: link of a number (a warning of `check` when there is none: checks.warnings)."""
        if not number:
            return ""
        if self.region is None:
            self.region = contacts.region(self.config)
        return contacts.tel(number, self.region)

    def _social(self, node: Node) -> Link | None:
        if isinstance(node, Mapping):
            fields = self._fields(node, LINK_FIELDS, " in 'social'")
            url = self._url(fields.get("url"), "contacts.social.url")
            label = self._text(fields.get("label"), "contacts.social.label")
            return Link(label or url, url) if url else None
        if isinstance(node, Scalar) and node.value and contacts.is_handle(node.value):
            return contacts.social(node.value)  # a bare @handle: shown as text (check warns)
        url = self._url(node, "contacts.social")
        return Link(url, url) if url else None

    def _typeset_contact(self, contact: Contact) -> Contact:
        return dataclasses.replace(contact, name=self._typeset(contact.name), role=self._typeset(contact.role))


def _scalars(node: Node, name: str):
    """Every text value under a node, with its field's dotted name (contacts.role)."""
    if isinstance(node, Scalar):
        yield name, node
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from _scalars(item, name)
    elif isinstance(node, Mapping):
        for key, value in node.items:
            yield from _scalars(value, f"{name}.{key.value}" if name else str(key.value))


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None
