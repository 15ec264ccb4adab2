"""Reading release files: YAML source -> validated, typeset Release objects, with every problem reported."""

from __future__ import annotations

import re
from pathlib import Path

from presskit.diagnostics import Reporter
from presskit.model import Config, Release
from presskit.sources import yamlreader as yamlsource
from presskit.sources.fields import KINDS, FieldReader, ReleaseFile
from presskit.sources.files import (  # noqa: F401 (the files' side, read without parsing)
    MAX_FILE_BYTES,
    RESERVED,
    claim_slug,
    read_source,
    release_entries,
    release_files,
    stem,
)
from presskit.sources.yamlreader import Mapping, Mark, Node
from presskit.text import language

SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")  # used with fullmatch: "$" would accept a final newline
LANG = re.compile(r"^[a-zA-Z]{2,3}(?:-[a-zA-Z0-9]{2,8})*$")

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
# Text a new release holds until the press officer replaces it (`presskit new` writes it): a release that
# is not a draft and still holds one of these is refused, so that a placeholder never reaches journalists.
BODY_PLACEHOLDER = "Write the release here."
PLACEHOLDERS = (BODY_PLACEHOLDER,)


def load_file(path: Path, config: Config, reporter: Reporter) -> Release | None:
    """Load one release file; None if it has errors (all of them reported)."""
    return load_source(path, config, reporter)[0]


def load_source(
    path: Path, config: Config, reporter: Reporter, data: bytes | None = None
) -> tuple[Release | None, Node | None, str]:
    """Load one release file (from `data` when already read): the release, its node tree and its text."""
    f = ReleaseFile(path, reporter)
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
            f"a release must be a mapping of fields (title: ..., date: ...), not {KINDS[type(root)]}",
            "release.type",
        )
        return None, root, text
    release = _Validator(f, config, slug, text.splitlines()).release(root)
    return (None if f.failed else release), root, text


class _Validator(FieldReader):
    """Turns one file's node tree into a Release, reporting each problem at its node."""

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

    def _placeholders(self, root: Mapping) -> None:
        """A release that is not a draft must not publish the text `presskit new` left to be replaced."""
        for name, node in yamlsource.text_values(root):
            value = " ".join((node.value or "").split())
            for placeholder in PLACEHOLDERS:
                if placeholder in value:
                    first_line = node.mark.line + (1 if node.style in ("|", ">") else 0)
                    mark = self._find(placeholder, first_line, node.mark)
                    self.f.error(
                        mark,
                        f"{name}: the placeholder text '{placeholder}' of 'presskit new' is still there; "
                        "write the release, or keep 'draft: true' until it is ready",
                        "release.placeholder",
                    )
