"""Reading a release's fields: text, dates, Markdown, links, photos and contacts, each problem reported at its node."""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Config, Contact, Link, Photo
from presskit.sources import contacts, photos
from presskit.sources.yamlreader import Mapping, Mark, Node, Scalar, Sequence
from presskit.text import dateline, language, markup, textcheck, typography, urls

LINK_FIELDS = {"label": False, "url": True}
PHOTO_FIELDS = {"file": True, "alt": True, "caption": False, "credit": False, "creator": False, "copyright": False}
CONTACT_FIELDS = {"name": True, "role": False, "email": False, "phone": False, "mobile": False, "social": False}
KINDS = {Scalar: "text", Sequence: "a list", Mapping: "a mapping"}


@dataclass
class ReleaseFile:
    """Diagnostics for one release file, so that messages need not repeat the path."""

    path: Path
    reporter: Reporter
    failed: bool = False

    def error(self, mark: Mark, message: str, code: str) -> None:
        self.failed = True
        self.reporter.error(self.path, mark.line, mark.column, message, code)


class FieldReader:
    """Reads the fields of one file's node tree: each value checked and typeset, each problem reported at its node."""

    def __init__(self, f: ReleaseFile, config: Config, slug: str, lines: list[str]):
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
            self.f.error(node.mark, f"'{name}' must be text, not {KINDS[type(node)]}", "release.type")
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
                node.mark, f"'{name}' must be a list (one '- ' item per line), not {KINDS[type(node)]}", "release.type"
            )
            return []
        return node.items

    def _mapping(self, node: Node, name: str) -> Mapping | None:
        if not isinstance(node, Mapping):
            self.f.error(
                node.mark,
                f"each item of '{name}' must be a mapping of fields, not {KINDS[type(node)]}",
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

    # -- the entries: links, photos, contacts ---------------------------------------------------
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
                creator=self._typeset(self._text(fields.get("creator"), "photos.creator")),
                copyright=self._typeset(self._text(fields.get("copyright"), "photos.copyright")),
                orientation=info.orientation,
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


def _is_null(node: Node) -> bool:
    return isinstance(node, Scalar) and node.value is None
