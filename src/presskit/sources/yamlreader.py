"""Safe YAML reading: a tree of plain strings, lists and mappings, each with its source position.

Built from the libyaml event stream rather than PyYAML's constructor, so that:
every scalar stays a string (no YAML 1.1 surprises: NO, 12:30, 0467 stay as written),
anchors, aliases and tags are refused, duplicate keys are reported, nesting depth is bounded,
and every value keeps the line and column it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml is ~20x faster; the pure-Python parser gives the same events.
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 32
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
# Characters YAML forbids or that no document format can carry (XML 1.0 excludes them), and the C1
# controls (U+0080-U+009F), which only ever come from text decoded with the wrong code page.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Mark:
    """A 1-based line and column in a source file."""

    line: int
    column: int


@dataclass
class Scalar:
    """A scalar value: its text (None for an unquoted null) and where it starts."""

    value: str | None
    mark: Mark
    style: str | None = None


@dataclass
class Sequence:
    """A YAML list."""

    items: list["Node"]
    mark: Mark


@dataclass
class Mapping:
    """A YAML mapping with string keys, in source order."""

    items: list[tuple[Scalar, "Node"]]
    mark: Mark
    by_key: dict[str, tuple[Scalar, "Node"]] = field(default_factory=dict)


Node = Scalar | Sequence | Mapping


def text_values(node: Node, name: str = ""):
    """Every text value under a node, with its field's dotted name ('title', 'contacts.name', 'photos.caption')."""
    if isinstance(node, Scalar):
        yield name, node
    elif isinstance(node, Sequence):
        for item in node.items:
            yield from text_values(item, name)
    elif isinstance(node, Mapping):
        for key, value in node.items:
            yield from text_values(value, f"{name}.{key.value}" if name else str(key.value))


class SourceError(Exception):
    """A problem that stops reading a file; carries its position."""

    def __init__(self, message: str, mark: Mark, code: str):
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.code = code


@dataclass
class Problem:
    """A problem that does not stop reading (a duplicate key, say)."""

    message: str
    mark: Mark
    code: str


def _mark(event_mark) -> Mark:
    return Mark(event_mark.line + 1, event_mark.column + 1)


def _position(text: str, index: int) -> Mark:
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return Mark(line, column)


def forbidden_character(text: str) -> str | None:
    """The first character of the text that presskit refuses (see _FORBIDDEN), or None."""
    bad = _FORBIDDEN.search(text)
    return bad.group() if bad else None


def decode(data: bytes) -> str:
    """Decode UTF-8 source bytes, dropping a byte-order mark; positions in errors are 1-based."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start].decode("utf-8", errors="replace")
        raise SourceError(
            f"the file is not valid UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            _position(prefix, len(prefix)),
            "yaml.encoding",
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    # Windows (CRLF) and old Mac (CR) line ends become LF, as YAML reads them: positions then match the lines.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    bad = _FORBIDDEN.search(text)
    if bad:
        raise SourceError(
            f"control character U+{ord(bad.group()):04X} is not allowed",
            _position(text, bad.start()),
            "yaml.control-character",
        )
    return text


def parse(text: str) -> tuple[Node | None, list[Problem]]:
    """Parse one YAML document into a Node tree; raise SourceError on anything unsafe or malformed."""
    problems: list[Problem] = []
    stack: list[Sequence | Mapping] = []
    pending_key: list[Scalar | None] = []
    root: Node | None = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.DocumentStartEvent):
                documents += 1
                if documents > 1:
                    raise SourceError(
                        "a release file holds one YAML document; remove the extra '---'",
                        _mark(event.start_mark),
                        "yaml.multiple-documents",
                    )
                continue
            if isinstance(event, yaml.AliasEvent):
                raise SourceError("YAML aliases (*name) are not allowed", _mark(event.start_mark), "yaml.alias")
            if isinstance(event, (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if event.anchor is not None:
                    raise SourceError("YAML anchors (&name) are not allowed", _mark(event.start_mark), "yaml.anchor")
                if event.tag is not None and event.tag not in ("!", "tag:yaml.org,2002:str"):
                    raise SourceError(f"YAML tags ({event.tag}) are not allowed", _mark(event.start_mark), "yaml.tag")
            if isinstance(event, yaml.ScalarEvent):
                plain = event.implicit[0] and event.style in (None, "")
                value = None if plain and _NULL.match(event.value) else event.value
                if value is not None:
                    bad = _FORBIDDEN.search(value)
                    if bad:
                        raise SourceError(
                            f"character U+{ord(bad.group()):04X} is not allowed in text",
                            _mark(event.start_mark),
                            "yaml.control-character",
                        )
                node: Node = Scalar(value, _mark(event.start_mark), event.style)
                root = _attach(node, stack, pending_key, problems, root)
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                if len(stack) >= MAX_DEPTH:
                    raise SourceError(
                        f"nesting deeper than {MAX_DEPTH} levels is not allowed", _mark(event.start_mark), "yaml.depth"
                    )
                container: Sequence | Mapping
                if isinstance(event, yaml.SequenceStartEvent):
                    container = Sequence([], _mark(event.start_mark))
                else:
                    container = Mapping([], _mark(event.start_mark))
                root = _attach(container, stack, pending_key, problems, root)
                stack.append(container)
                pending_key.append(None)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                stack.pop()
                pending_key.pop()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or str(exc)
        if exc.context:
            message = f"{message} ({exc.context})"
        raise SourceError(f"YAML syntax error: {message}", _mark(mark), "yaml.syntax") from None
    except yaml.YAMLError as exc:  # ReaderError and friends carry no line
        raise SourceError(f"YAML error: {exc}", Mark(1, 1), "yaml.syntax") from None
    return root, problems


def _attach(node: Node, stack, pending_key, problems: list[Problem], root: Node | None) -> Node | None:
    if not stack:
        return node
    parent = stack[-1]
    if isinstance(parent, Sequence):
        parent.items.append(node)
        return root
    key = pending_key[-1]
    if key is None:
        if not isinstance(node, Scalar) or node.value is None:
            raise SourceError("mapping keys must be plain text", node.mark, "yaml.key")
        pending_key[-1] = node
        return root
    pending_key[-1] = None
    name = key.value or ""
    if name in parent.by_key:
        first = parent.by_key[name][0].mark
        problems.append(
            Problem(f"duplicate key '{name}' (first defined at line {first.line})", key.mark, "yaml.duplicate-key")
        )
    else:
        parent.by_key[name] = (key, node)
    parent.items.append((key, node))
    return root
