"""The press kit's vCards with the worst values a release may hold, read back by vobject and checked as written."""

from __future__ import annotations

import vobject

from presskit.model import Contact, Link
from presskit.renderers.press_kit import vcards


def test_text_is_escaped_uris_are_written_as_they_are_and_nothing_escapes_its_card():
    hostile = Contact(
        name="Evil\nEND:VCARD\nBEGIN:VCARD\nFN:Injected",
        role="Press; radio, TV \\ web",
        email="press@example.org",
        phone="not a number",
        mobile="+33 6 07 75 52 82 ext. 12",
        mobile_tel="tel:+33607755282;ext=12",
        social=Link("@press", "https://social.example/@press;a,b"),
    )
    plain = Contact(name="Plain", social=Link("@handle", ""))
    data = vcards((hostile, plain), "Org; Inc., Region")
    assert data.count("BEGIN:VCARD\r\n") == 2 and data.count("END:VCARD\r\n") == 2
    assert "TEL;TYPE=work,cell;VALUE=uri:tel:+33607755282;ext=12\r\n" in data
    assert "URL:https://social.example/@press%3Ba%2Cb\r\n" in data
    first, second = vobject.readComponents(data)
    assert first.fn.value == hostile.name
    assert first.title.value == hostile.role
    assert first.org.value == ["Org; Inc., Region"]
    assert [(t.value, t.params.get("VALUE")) for t in first.tel_list] == [
        ("not a number", None),  # a number presskit cannot read is a text value, as written
        ("tel:+33607755282;ext=12", ["uri"]),
    ]
    assert first.url.value == "https://social.example/@press%3Ba%2Cb"
    assert second.fn.value == "Plain"
    assert sorted(second.contents) == ["fn", "org", "version"]  # a bare handle is no URL
