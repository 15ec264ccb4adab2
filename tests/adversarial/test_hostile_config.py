"""The project configuration is read with the same care as the releases: clean errors, out/ untouched."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.hostile import build_refused

CASES = {
    "invalid-utf8": (
        b'[tool.presskit]\norganization = "caf\xe9"\n',
        "pyproject.toml:2:20: error: the file is not valid UTF-8 (byte 0xe9); save it as UTF-8 [config.encoding]",
    ),
    "nul-escape": (
        b'[tool.presskit]\norganization = "A\\u0000B"\n',
        "pyproject.toml:2:1: error: 'organization': character U+0000 is not allowed in text [config.control-character]",
    ),
    "escape-in-a-table": (
        b'[tool.presskit.about]\nen = "A\\u001bB"\n',
        "pyproject.toml:1:1: error: 'about': character U+001B is not allowed in text [config.control-character]",
    ),
    "raw-control-character": (
        b'[tool.presskit]\norganization = "A\x07B"\n',
        "pyproject.toml:2:18: error: control character U+0007 is not allowed [config.control-character]",
    ),
    "contact-email": (
        b'[tool.presskit]\n[[tool.presskit.contacts]]\nname = "A"\nemail = "not an email"\n',
        "pyproject.toml:4:1: error: contacts.email: 'not an email' is not a single e-mail address: give one address only [config.contact]",
    ),
    "contact-social-javascript": (
        b'[tool.presskit]\n[[tool.presskit.contacts]]\nname = "A"\nsocial = "javascript:alert(1)"\n',
        "pyproject.toml:4:1: error: contacts.social: 'javascript:' links are not allowed ('javascript:alert(1)'); use http, https, mailto or tel [config.url]",
    ),
    "base-url-javascript": (
        b'[tool.presskit]\nbase_url = "javascript:alert(1)"\n',
        "pyproject.toml:2:1: error: base_url: 'javascript:' links are not allowed ('javascript:alert(1)'); use http, https, mailto or tel [config.url]",
    ),
    "time-zone-path": (
        b'[tool.presskit]\ntimezone = "../../../../etc/passwd"\n',
        "pyproject.toml:2:1: error: unknown time zone '../../../../etc/passwd' [config.timezone]",
    ),
    "logo-outside": (
        b'[tool.presskit]\nlogo = "/etc/passwd"\n',
        "pyproject.toml:2:1: error: logo '/etc/passwd' is not a file inside the project [config.logo]",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_configuration_is_refused_exactly(project_copy: Path, case: str):
    data, expected = CASES[case]
    (project_copy / "pyproject.toml").write_bytes(data)
    assert build_refused(project_copy, expected) == [expected]
