"""The safe YAML reader: strings stay strings, positions are exact, unsafe constructs are refused."""

from __future__ import annotations

import pytest

from presskit.sources import yamlreader as yamlsource
from presskit.sources.yamlreader import Mark, SourceError


def values(text: str) -> dict:
    root, problems = yamlsource.parse(text)
    assert problems == []
    return {k.value: v.value for k, v in root.items}


def test_yaml_1_1_scalars_stay_as_written():
    assert values("a: NO\nb: 12:30\nc: 0467228646\nd: 1.10\ne: 2024-05-01\nf: yes\ng: ~\n") == {
        "a": "NO",
        "b": "12:30",
        "c": "0467228646",
        "d": "1.10",
        "e": "2024-05-01",
        "f": "yes",
        "g": None,
    }


def test_quoted_null_is_text():
    assert values("a: 'null'\n") == {"a": "null"}


@pytest.mark.parametrize(
    ("text", "code", "mark"),
    [
        ("a: &x 1\nb: *x\n", "yaml.anchor", Mark(1, 4)),
        ("a: [*x]\n", "yaml.alias", Mark(1, 5)),
        ("a: !!python/name:os.system x\n", "yaml.tag", Mark(1, 4)),
        ("a: 1\n---\nb: 2\n", "yaml.multiple-documents", Mark(2, 1)),
        ("a: " + "[" * 40 + "]" * 40 + "\n", "yaml.depth", Mark(1, 35)),
        ('a: "\\x07"\n', "yaml.control-character", Mark(1, 4)),
        ("? [a, b]\n: c\n", "yaml.key", Mark(1, 3)),
    ],
)
def test_refused(text, code, mark):
    with pytest.raises(SourceError) as caught:
        yamlsource.parse(text)
    assert (caught.value.code, caught.value.mark) == (code, mark)


def test_duplicate_keys_are_reported_with_both_lines():
    _, problems = yamlsource.parse("title: a\nbody: b\ntitle: c\n")
    assert [(p.message, p.mark) for p in problems] == [("duplicate key 'title' (first defined at line 1)", Mark(3, 1))]


def test_decode_rejects_bad_utf8_with_position_and_accepts_a_bom():
    with pytest.raises(SourceError) as caught:
        yamlsource.decode(b"title: ok\nbody: caf" + b"\xe9\n")
    assert caught.value.mark == Mark(2, 10)
    assert yamlsource.decode(b"\xef\xbb\xbftitle: x\n") == "title: x\n"


def test_decode_rejects_control_characters():
    with pytest.raises(SourceError) as caught:
        yamlsource.decode(b"title: a\x00b\n")
    assert (caught.value.code, caught.value.mark) == ("yaml.control-character", Mark(1, 9))
