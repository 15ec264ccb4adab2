"""Reading release files: YAML source -> validated, typeset Release objects, with every problem reported."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from presskit import dateline, language, markup, photos, typography, urls, yamlsource
from presskit.diagnostics import Reporter
from presskit.model import Config, Contact, Link, Photo, Release
from presskit.yamlsource import Mapping, Mark, Node, Scalar, Sequence

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")
MAX_FILE_BYTES = 1024 * 1024

FIELDS = {
    "title": True, "subtitle": False, "date": True, "location": False, "lang": False, "label": False,
    "section": False, "lead": False, "body": True, "links": False, "photos": False, "photos_note": False,
    "photo_credits": False, "contacts": False, "tags": False, "about": False, "embargo": False, "draft": False,
}  # fmt: skip
LINK_FIELDS = {"label": False, "url": True}
PHOTO_FIELDS = {"file": True, "alt": True, "caption": False, "credit": False}
CONTACT_FIELDS = {"name": True, "role": False, "email": False, "phone": False, "mobile": False, "social": False}
_KINDS = {Scalar: "text", Sequence: "a list", Mapping: "a mapping"}


def release_files(config: Config) -> list[Path]:
    """Every release source in the project, in a stable order."""
    folder = config.root / config.releases_dir
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and not p.name.startswith("."))


@dataclass
class _File:
    """Diagnostics for one file, so that messages need not repeat the path."""

    path: Path
    reporter: Reporter
    failed: bool = False

    def error(self, mark: Mark, message: str, code: str) -> None:
        self.failed = True
        self.reporter.error(self.path, mark.line, mark.column, message, code)


def load_all(config: Config, reporter: Reporter) -> list[Release]:
    """Load every release of the project; report every problem; return the releases without errors."""
    loaded: list[Release] = []
    seen: dict[str, Path] = {}
    for path in release_files(config):
        slug = path.stem
        if slug in seen:
            reporter.error(path, 1, 1, f"duplicate slug '{slug}': {reporter.display_path(seen[slug])} has the same name", "release.duplicate-slug")
            continue
        seen[slug] = path
        release = load_file(path, config, reporter)
        if release is not None:
            loaded.append(release)
    return loaded


def load_file(path: Path, config: Config, reporter: Reporter) -> Release | None:
    """Load one release file; None if it has errors (all of them reported)."""
    return load_source(path, config, reporter)[0]


def load_source(path: Path, config: Config, reporter: Reporter, data: bytes | None = None) -> tuple[Release | None, Node | None, str]:
    """Load one release file (from `data` when already read): the release, its node tree and its text."""
    f = _File(path, reporter)
    slug = path.stem
    if not SLUG.match(slug):
        f.error(Mark(1, 1), f"file name '{path.name}' is not a valid slug: use lower-case letters, digits and hyphens (e.g. 2023-09-29-my-release.yaml)", "release.slug")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            f.error(Mark(1, 1), f"the file is {size // 1024} KB; a release file is limited to {MAX_FILE_BYTES // 1024} KB", "release.too-large")
            return None, None, ""
        text = yamlsource.decode(path.read_bytes() if data is None else data)
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
        f.error(root.mark, f"a release must be a mapping of fields (title: ..., date: ...), not {_KINDS[type(root)]}", "release.type")
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
        value = node.value or ""
        value = value.strip() if multiline else " ".join(value.split())
        if not value:
            self.f.error(node.mark, f"'{name}' is empty", "release.empty-field")
        return value

    def _list(self, node: Node | None, name: str) -> list[Node]:
        if node is None:
            return []
        if not isinstance(node, Sequence):
            self.f.error(node.mark, f"'{name}' must be a list (one '- ' item per line), not {_KINDS[type(node)]}", "release.type")
            return []
        return node.items

    def _mapping(self, node: Node, name: str) -> Mapping | None:
        if not isinstance(node, Mapping):
            self.f.error(node.mark, f"each item of '{name}' must be a mapping of fields, not {_KINDS[type(node)]}", "release.type")
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
                self.f.error(mark, f"{name}: images in Markdown are not supported; list them under 'photos'", "release.markdown-image")
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
                self.f.error(fields["lang"].mark, f"'lang' must be a language tag such as fr, en or pt-BR, not '{lang}'", "release.lang")
            elif lang:
                self.lang = lang
        locale = language.get(self.lang)

        date = None
        if "date" in fields:
            date = self._date(fields["date"], "date", require_offset=False)
        embargo = self._date(fields.get("embargo"), "embargo", require_offset=True) if "embargo" in fields else None
        draft = self._bool(fields.get("draft"), "draft")

        title = self._typeset(self._text(fields.get("title"), "title"))
        body = self._markdown(fields.get("body"), "body", inline=False)
        lead = self._markdown(fields.get("lead"), "lead", inline=True)
        links = tuple(self._links(fields.get("links")))
        photo_list = tuple(self._photos(fields.get("photos")))
        contacts = tuple(self._contacts(fields.get("contacts")))
        if "contacts" not in fields:
            contacts = tuple(self._typeset_contact(c) for c in self.config.contacts)
            if not contacts:
                self.f.error(root.mark, "missing 'contacts': give at least one press contact (or default contacts in [tool.presskit])", "release.missing-field")
        elif not contacts and not self.f.failed:
            self.f.error(fields["contacts"].mark, "'contacts' is empty: a release needs at least one press contact", "release.missing-field")
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
            contacts=contacts,
            subtitle=self._typeset(self._text(fields.get("subtitle"), "subtitle")),
            location=self._typeset(self._text(fields.get("location"), "location")),
            section=self._typeset(self._text(fields.get("section"), "section")),
            lead=lead,
            links=links,
            photos=photo_list,
            photos_note=self._typeset(self._text(fields.get("photos_note"), "photos_note")),
            photo_credits=self._typeset(self._text(fields.get("photo_credits"), "photo_credits")),
            tags=tuple(dict.fromkeys(tags)),
            about=self._typeset(self._text(fields.get("about"), "about", multiline=True) or self.config.about_for(self.lang)),
            embargo=embargo,
            draft=draft,
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
        taken: set[str] = set()
        release_dir = self.f.path.parent
        for item in self._list(node, "photos"):
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
                filename=photos.published_name(reference, taken),
                alt=self._typeset(alt),
                caption=self._typeset(self._text(fields.get("caption"), "photos.caption")),
                credit=self._typeset(self._text(fields.get("credit"), "photos.credit")),
                width=info.width,
                height=info.height,
                media_type=info.media_type,
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
                    urls.check_email(email)
                except urls.UrlError as exc:
                    self.f.error(fields["email"].mark, f"contacts.email: {exc}", "release.email")
            social = None
            if "social" in fields:
                social = self._social(fields["social"])
            if name:
                yield Contact(
                    name=self._typeset(name),
                    role=self._typeset(self._text(fields.get("role"), "contacts.role")),
                    email=email,
                    phone=self._text(fields.get("phone"), "contacts.phone"),
                    mobile=self._text(fields.get("mobile"), "contacts.mobile"),
                    social=social,
                )

    def _social(self, node: Node) -> Link | None:
        if isinstance(node, Mapping):
            fields = self._fields(node, LINK_FIELDS, " in 'social'")
            url = self._url(fields.get("url"), "contacts.social.url")
            label = self._text(fields.get("label"), "contacts.social.label")
            return Link(label or url, url) if url else None
        url = self._url(node, "contacts.social")
        return Link(url, url) if url else None

    def _typeset_contact(self, contact: Contact) -> Contact:
        return Contact(
            name=self._typeset(contact.name), role=self._typeset(contact.role), email=contact.email,
            phone=contact.phone, mobile=contact.mobile, social=contact.social,
        )  # fmt: skip


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None
