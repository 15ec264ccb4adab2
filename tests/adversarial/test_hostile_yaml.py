"""Hostile YAML: every unsafe or malformed file is refused with one exact file:line:col diagnostic."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from presskit.config import Config
from presskit.diagnostics import Reporter
from presskit.sources import releases
from presskit.sources import yamlreader as yamlsource

from support.hostile import BAD, HEAD, build_refused, write
from support.project import run_presskit

P = "releases/2024-02-01-bad.yaml"
CONTACT = "contacts:\n  - name: A\n"


def _line(position: str, message: str, code: str) -> str:
    return f"{P}:{position}: error: {message} [{code}]"


CASES = {
    "python-object-apply": (
        b'title: T\ndate: 2024-02-01\nbody: !!python/object/apply:os.system ["touch pwned"]\n' + CONTACT.encode(),
        _line("3:7", "YAML tags (tag:yaml.org,2002:python/object/apply:os.system) are not allowed", "yaml.tag"),
    ),
    "python-name-in-a-list": (
        b"title: T\ndate: 2024-02-01\nbody: Text.\ntags:\n  - ok\n  - !!python/name:os.system\n" + CONTACT.encode(),
        _line("6:5", "YAML tags (tag:yaml.org,2002:python/name:os.system) are not allowed", "yaml.tag"),
    ),
    "local-tag": (
        b"title: !secret T\ndate: 2024-02-01\nbody: Text.\n" + CONTACT.encode(),
        _line("1:8", "YAML tags (!secret) are not allowed", "yaml.tag"),
    ),
    "alias-bomb": (
        b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n'
        b"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ntitle: *d\n",
        _line("1:4", "YAML anchors (&name) are not allowed", "yaml.anchor"),
    ),
    "recursive-alias": (
        b"title: T\ndate: 2024-02-01\nbody: &b [*b]\n" + CONTACT.encode(),
        _line("3:7", "YAML anchors (&name) are not allowed", "yaml.anchor"),
    ),
    "alias-without-anchor": (
        b"title: T\ndate: 2024-02-01\nbody: *nowhere\n" + CONTACT.encode(),
        _line("3:7", "YAML aliases (*name) are not allowed", "yaml.alias"),
    ),
    "merge-key-is-just-an-unknown-field": (
        b"title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - <<: {name: A}\n",
        [
            _line("5:5", "missing required field 'name' in a contact", "release.missing-field"),
            _line(
                "5:5",
                "unknown field '<<' in a contact; known fields: name, role, email, phone, mobile, social",
                "release.unknown-field",
            ),
        ],
    ),
    "flow-nesting-5000-deep": (
        b"title: T\ndate: 2024-02-01\nbody: " + b"[" * 5000 + b"]" * 5000 + b"\n",
        _line(
            "3:1006", "YAML syntax error: exceeded maximum nesting depth (while increasing flow level)", "yaml.syntax"
        ),
    ),
    "block-nesting-5000-deep": (
        b"title: T\ndate: 2024-02-01\nbody:\n" + b"- " * 5000 + b"x\n",
        _line("4:63", "nesting deeper than 32 levels is not allowed", "yaml.depth"),
    ),
    "duplicate-key-in-a-contact": (
        b"title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n    email: a@example.org\n    name: B\n",
        _line("7:5", "duplicate key 'name' (first defined at line 5)", "yaml.duplicate-key"),
    ),
    "empty-file": (
        b"",
        _line("1:1", "the file is empty; a release needs at least title, date and body", "release.empty"),
    ),
    "comments-only": (
        b"# nothing yet\n\n",
        _line("1:1", "the file is empty; a release needs at least title, date and body", "release.empty"),
    ),
    "top-level-list": (
        b"- title: T\n- date: 2024-02-01\n",
        _line("1:1", "a release must be a mapping of fields (title: ..., date: ...), not a list", "release.type"),
    ),
    "top-level-scalar": (
        b"just a sentence\n",
        _line("1:1", "a release must be a mapping of fields (title: ..., date: ...), not text", "release.type"),
    ),
    "top-level-null": (
        b"~\n",
        _line("1:1", "a release must be a mapping of fields (title: ..., date: ...), not text", "release.type"),
    ),
    "several-documents": (
        b"---\n" + HEAD.encode() + b"---\ntitle: U\n",
        _line("7:1", "a release file holds one YAML document; remove the extra '---'", "yaml.multiple-documents"),
    ),
    "invalid-utf8-latin1": (
        b"title: T\ndate: 2024-02-01\nbody: caf\xe9 cr\xe8me\n" + CONTACT.encode(),
        _line("3:10", "the file is not valid UTF-8 (byte 0xe9); save it as UTF-8", "yaml.encoding"),
    ),
    "utf16-file": (
        "\ufefftitle: T\n".encode("utf-16-le"),
        _line("1:1", "the file is not valid UTF-8 (byte 0xff); save it as UTF-8", "yaml.encoding"),
    ),
    "surrogate-encoded-in-utf8": (
        b"title: T\ndate: 2024-02-01\nbody: x\xed\xa0\x80y\n" + CONTACT.encode(),
        _line("3:8", "the file is not valid UTF-8 (byte 0xed); save it as UTF-8", "yaml.encoding"),
    ),
    "lone-high-surrogate-escape": (
        b'title: "\\ud800"\ndate: 2024-02-01\nbody: Text.\n' + CONTACT.encode(),
        _line(
            "1:11",
            "YAML syntax error: found invalid Unicode character escape code (while parsing a quoted scalar)",
            "yaml.syntax",
        ),
    ),
    "lone-low-surrogate-escape": (
        b'title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: "A \\udfff"\n',
        _line(
            "5:16",
            "YAML syntax error: found invalid Unicode character escape code (while parsing a quoted scalar)",
            "yaml.syntax",
        ),
    ),
    "raw-nul-in-body": (
        b"title: T\ndate: 2024-02-01\nbody: Te\x00xt.\n" + CONTACT.encode(),
        _line("3:9", "control character U+0000 is not allowed", "yaml.control-character"),
    ),
    "raw-escape-sequence-in-a-name": (
        b"title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\x1b[31m\n",
        _line("5:12", "control character U+001B is not allowed", "yaml.control-character"),
    ),
    "escaped-nul-in-a-link-label": (
        b'title: T\ndate: 2024-02-01\nbody: Text.\nlinks:\n  - label: "x\\0y"\n    url: https://example.org/\n'
        + CONTACT.encode(),
        _line("5:12", "character U+0000 is not allowed in text", "yaml.control-character"),
    ),
    "escaped-bell-in-a-key": (
        b'title: T\ndate: 2024-02-01\nbody: Text.\n"ti\\atle": T\n' + CONTACT.encode(),
        _line("4:1", "character U+0007 is not allowed in text", "yaml.control-character"),
    ),
    "noncharacter-fffe": (
        "title: T\ndate: 2024-02-01\nbody: Text \ufffe.\n".encode() + CONTACT.encode(),
        _line("3:12", "control character U+FFFE is not allowed", "yaml.control-character"),
    ),
    "c1-control-from-a-wrong-code-page": (
        "title: T\ndate: 2024-02-01\nbody: It\x92s here.\n".encode() + CONTACT.encode(),
        _line("3:9", "control character U+0092 is not allowed", "yaml.control-character"),
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_yaml_is_refused_exactly(project_copy: Path, case: str):
    data, expected = CASES[case]
    expected = [expected] if isinstance(expected, str) else expected
    write(project_copy, data)
    errors = build_refused(project_copy, *expected)
    assert errors == expected
    assert not (project_copy / "pwned").exists()


def test_byte_order_mark_is_accepted(project_copy: Path):
    write(project_copy, b"\xef\xbb\xbf" + HEAD.replace("title: T", "title: With a BOM").encode())
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    page = (project_copy / "out" / "2024-02-01-bad" / "index.html").read_text(encoding="utf-8")
    assert "<h1>With a BOM</h1>" in page
    assert "\ufeff" not in page


def test_a_20_mb_file_is_refused_by_its_size(project_copy: Path):
    write(project_copy, "title: " + "x" * (20 * 1024 * 1024) + "\n")
    build_refused(
        project_copy, _line("1:1", "the file is 20480 KB; a release file is limited to 1024 KB", "release.too-large")
    )


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (1024**3, 1024**3))


def test_a_20_gb_file_is_refused_without_being_read(project_copy: Path):
    """A sparse 20 GB file under a 1 GB address-space limit: reading it first would crash; it is refused at once."""
    path = write(project_copy, b"")
    with open(path, "r+b") as handle:
        handle.truncate(20 * 1024**3)
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "presskit", "build"],
        cwd=project_copy,
        capture_output=True,
        text=True,
        preexec_fn=_limit_memory,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert [line for line in result.stderr.splitlines() if ": error: " in line][0] == _line(
        "1:1", "the file is 20971520 KB; a release file is limited to 1024 KB", "release.too-large"
    )
    assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "folder"])
def test_a_release_that_is_not_a_regular_file_is_refused_without_blocking(project_copy: Path, kind: str):
    path = project_copy / BAD
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev-zero-link":
        path.symlink_to("/dev/zero")
    else:
        path.mkdir()
    if kind == "dev-zero-link":  # refused before it is opened: it leads outside the project
        expected = _line(
            "1:1",
            "this release file is a link to a file outside the project; presskit reads only files inside it",
            "release.outside",
        )
    else:
        expected = _line("1:1", "a release must be a regular file (not a folder, device or pipe)", "release.not-a-file")
    build_refused(project_copy, expected)


# Every field, every forbidden character, raw and as a YAML escape: refused at the line of the field.
FIELD_LINES = {
    "title": "title: {v}",
    "subtitle": "subtitle: {v}",
    "location": "location: {v}",
    "lang": "lang: {v}",
    "label": "label: {v}",
    "section": "section: {v}",
    "lead": "lead: {v}",
    "photos_note": "photos_note: {v}",
    "photo_credits": "photo_credits: {v}",
    "about": "about: {v}",
    "embargo": "embargo: {v}",
    "draft": "draft: {v}",
    "tags": "tags:\n  - {v}",
    "links.label": "links:\n  - url: https://example.org/\n    label: {v}",
    "links.url": "links:\n  - url: {v}",
    "contacts.role": "contacts:\n  - name: B\n    role: {v}",
    "contacts.phone": "contacts:\n  - name: B\n    phone: {v}",
    "contacts.social": "contacts:\n  - name: B\n    social: {v}",
    "photos.caption": "photos:\n  - file: x.png\n    alt: a\n    caption: {v}",
    "photos.file": "photos:\n  - file: {v}\n    alt: a",
    "photos.alt": "photos:\n  - file: x.png\n    alt: {v}",
    "photos.credit": "photos:\n  - file: x.png\n    alt: a\n    credit: {v}",
    "date-again": "date: {v}",
    "contacts.name": "contacts:\n  - name: {v}",
    "contacts.email": "contacts:\n  - name: B\n    email: {v}",
    "contacts.mobile": "contacts:\n  - name: B\n    mobile: {v}",
    "contacts.social.label": "contacts:\n  - name: B\n    social:\n      url: https://example.org/\n      label: {v}",
    "contacts.social.url": "contacts:\n  - name: B\n    social:\n      url: {v}",
    "body-again": "body: {v}",
    "a-key": "{v}: value",
}
CHARACTERS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f", "\ufffe", "\uffff"]


def _load(tmp_path: Path, data: bytes) -> Reporter:
    path = tmp_path / "releases" / "2024-02-01-x.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    reporter = Reporter(tmp_path)
    assert releases.load_file(path, Config(root=tmp_path), reporter) is None
    return reporter


@pytest.mark.parametrize("field", sorted(FIELD_LINES))
def test_control_characters_are_refused_in_every_field(tmp_path: Path, field: str):
    template = "title: T\ndate: 2024-02-01\nbody: Text.\n" + FIELD_LINES[field].replace("{v}", "X{c}Y") + "\n"
    line = template.count("\n", 0, template.index("X{c}Y")) + 1
    column = template.index("X{c}Y") - template.rfind("\n", 0, template.index("X{c}Y"))
    for char in CHARACTERS:
        raw = _load(tmp_path, template.replace("{c}", char).encode("utf-8"))
        assert [str(d) for d in raw.items] == [
            f"releases/2024-02-01-x.yaml:{line}:{column + 1}: error: control character U+{ord(char):04X} is not allowed [yaml.control-character]"
        ], (field, char)
        escaped = template.replace("X{c}Y", f'"X\\u{ord(char):04x}Y"')
        quoted = _load(tmp_path, escaped.encode("utf-8"))
        assert [str(d) for d in quoted.items] == [
            f"releases/2024-02-01-x.yaml:{line}:{column}: error: character U+{ord(char):04X} is not allowed in text [yaml.control-character]"
        ], (field, char)


def test_no_scalar_ever_escapes_as_anything_but_text():
    root, problems = yamlsource.parse(
        "a: NO\nb: 12:30\nc: 0467228646\nd: 1.10\ne: 0o17\nf: 0x1F\ng: .inf\nh: 2024-05-01\ni: 1_000\n"
    )
    assert problems == []
    assert {k.value: v.value for k, v in root.items} == {
        "a": "NO",
        "b": "12:30",
        "c": "0467228646",
        "d": "1.10",
        "e": "0o17",
        "f": "0x1F",
        "g": ".inf",
        "h": "2024-05-01",
        "i": "1_000",
    }
