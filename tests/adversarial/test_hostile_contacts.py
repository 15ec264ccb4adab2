"""Contact fields (issue 12, class 6): a phone link dials the number written or nothing, an e-mail is one
address, a bare social handle is text. Read back from the page (HTML parser), the Word file (python-docx)
and the PDF (pypdf link annotations); the release and the configuration follow the same rules."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from lxml import html

from support.hostile import BAD, build_refused, write
from support.project import MINIMAL_CONFIG, make_project, run_presskit
from support.readers import pdf_link_targets

SLUG = "2024-02-01-contacts"
R = f"releases/{SLUG}.yaml"
HEAD = "title: Contacts\ndate: 2024-02-01\nlocation: Paris\nlead: A lead.\nbody: Text.\ncontacts:\n"
PHONES = (
    HEAD
    + """\
  - name: Ann
    phone: 1-800-FLOWERS
    mobile: javascript:alert(1)
  - name: Bob
    phone: 04 67 22 86 46
    mobile: +44 20 7946 0000
    social: "@presse"
"""
)  # lines 7-13


def _links(project: Path) -> tuple[list, list, list, list]:
    """(href, text) of every contact link of the page, the page's contact lines, the Word file's
    hyperlinks (text, url), and the PDF's link annotations."""
    folder = project / "out" / SLUG
    page = html.parse(str(folder / "index.html"))
    anchors = [(a.get("href"), a.text_content()) for a in page.xpath("//address[@class='contact']//a")]
    for br in page.xpath("//address[@class='contact']//br"):
        br.tail = "\n" + (br.tail or "")
    texts = [
        [" ".join(line.split()) for line in a.text_content().strip().split("\n")]
        for a in page.xpath("//address[@class='contact']")
    ]
    document = docx.Document(str(folder / f"{SLUG}.docx"))
    hyperlinks = [(h.text, h.url) for p in document.paragraphs for h in p.hyperlinks]
    pdf = [uri for page_links in pdf_link_targets(folder / f"{SLUG}.pdf") for uri in page_links]
    return anchors, texts, hyperlinks, pdf


def test_phone_links_are_e164_or_absent_in_every_format(tmp_path: Path):
    """1-800-FLOWERS dials 1 800 356 9377 (the project's region: en -> US), not tel:1800; a script in
    'mobile' is text with no link (it was tel:1); national numbers get their country code."""
    project = make_project(tmp_path, {f"{SLUG}.yaml": PHONES})
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if ": warning: " in line] == [
        f"{R}:9:13: warning: contacts.mobile: 'javascript:alert(1)' is not a valid phone number (in region US or with a +country code); it is shown as written, without a link [check.phone]",
        f"{R}:11:12: warning: contacts.phone: '04 67 22 86 46' is not a valid phone number (in region US or with a +country code); it is shown as written, without a link [check.phone]",
        f"{R}:13:13: warning: contacts.social: '@presse' is a handle, not an address: it is shown as text, without a link; give the profile's https:// address to link it [check.social-handle]",
    ]
    anchors, texts, hyperlinks, pdf = _links(project)
    assert anchors == [("tel:+18003569377", "1-800-FLOWERS"), ("tel:+442079460000", "+44 20 7946 0000")]
    assert texts == [
        ["Ann", "Tel.: 1-800-FLOWERS", "Mobile: javascript:alert(1)"],
        ["Bob", "Tel.: 04 67 22 86 46", "Mobile: +44 20 7946 0000", "@presse"],
    ]
    assert hyperlinks == [("1-800-FLOWERS", "tel:+18003569377"), ("+44 20 7946 0000", "tel:+442079460000")]
    assert pdf == ["tel:+18003569377", "tel:+442079460000"]


def test_the_region_setting_reads_national_numbers(tmp_path: Path):
    """With region = "FR", 04 67 22 86 46 is +33 4 67 22 86 46; a US vanity number is no longer one."""
    project = make_project(tmp_path, {f"{SLUG}.yaml": PHONES}, MINIMAL_CONFIG + 'region = "fr"\n')
    result = run_presskit("check", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if "[check.phone]" in line] == [
        f"{R}:8:12: warning: contacts.phone: '1-800-FLOWERS' is not a valid phone number (in region FR or with a +country code); it is shown as written, without a link [check.phone]",
        f"{R}:9:13: warning: contacts.mobile: 'javascript:alert(1)' is not a valid phone number (in region FR or with a +country code); it is shown as written, without a link [check.phone]",
    ]
    assert run_presskit("build", cwd=project).returncode == 0
    anchors, _texts, hyperlinks, pdf = _links(project)
    assert anchors == [("tel:+33467228646", "04 67 22 86 46"), ("tel:+442079460000", "+44 20 7946 0000")]
    assert hyperlinks == [("04 67 22 86 46", "tel:+33467228646"), ("+44 20 7946 0000", "tel:+442079460000")]
    assert pdf == ["tel:+33467228646", "tel:+442079460000"]


def test_the_region_follows_the_project_language(tmp_path: Path):
    config = MINIMAL_CONFIG.replace('lang = "en"', 'lang = "fr"')
    project = make_project(tmp_path, {f"{SLUG}.yaml": HEAD + "  - name: Bob\n    phone: 04 67 22 86 46\n"}, config)
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0 and "warning" not in result.stderr, result.stderr
    anchors, _texts, hyperlinks, pdf = _links(project)
    assert anchors == [("tel:+33467228646", "04 67 22 86 46")]
    assert pdf == ["tel:+33467228646"]


def test_an_unknown_region_is_an_error(project_copy: Path):
    config = project_copy / "pyproject.toml"
    config.write_text(config.read_text() + 'region = "XX"\n')
    expected = "pyproject.toml:5:1: error: unknown region 'XX'; use a two-letter country code such as FR, US or JP [config.region]"
    assert build_refused(project_copy, expected) == [expected]


P = BAD
EMAILS = {
    "bcc-header": (
        '"press@x.example?bcc=spy%40evil.example"',
        "'press@x.example?bcc=spy%40evil.example' is not a single e-mail address: '?' and what follows (mail headers such as bcc=) are not allowed",
    ),
    "query-before-at": (
        '"press?cc=spy@x.example"',
        "'press?cc=spy@x.example' is not a single e-mail address: '?' and what follows (mail headers such as bcc=) are not allowed",
    ),
    "two-addresses": (
        '"a@x.example, b@x.example"',
        "'a@x.example, b@x.example' is not a single e-mail address: give one address only",
    ),
    "semicolon": (
        '"a@x.example;b@x.example"',
        "'a@x.example;b@x.example' is not a single e-mail address: give one address only",
    ),
    "two-at-signs": ("a@b@x.example", "'a@b@x.example' is not a single e-mail address: give one address only"),
    "display-name": (
        '"Ann <ann@x.example>"',
        "'Ann <ann@x.example>' is not a single e-mail address: write the address alone, without a name or comment",
    ),
    "comment": (
        '"ann@x.example (Ann)"',
        "'ann@x.example (Ann)' is not a single e-mail address: write the address alone, without a name or comment",
    ),
    "mailto": (
        "mailto:ann@x.example",
        "'mailto:ann@x.example' is not a single e-mail address: write the address alone, without 'mailto:'",
    ),
    "fragment": ('"ann#x@x.example"', "'ann#x@x.example' is not an e-mail address"),
    "percent": ('"ann%40evil.example@x.example"', "'ann%40evil.example@x.example' is not an e-mail address"),
    "numeric-domain": ("ann@192.168.0.1", "'ann@192.168.0.1' is not an e-mail address"),
    "double-dot": ("ann..b@x.example", "'ann..b@x.example' is not an e-mail address"),
}


@pytest.mark.parametrize("case", sorted(EMAILS))
def test_a_contact_email_is_one_address(project_copy: Path, case: str):
    value, why = EMAILS[case]
    write(project_copy, f"title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n    email: {value}\n")
    expected = f"{P}:6:12: error: contacts.email: {why} [release.email]"
    assert build_refused(project_copy, expected) == [expected]


@pytest.mark.parametrize("case", ["bcc-header", "two-addresses", "display-name"])
def test_configuration_contacts_follow_the_same_email_rule(project_copy: Path, case: str):
    value, why = EMAILS[case]
    toml = value if value.startswith('"') else f'"{value}"'
    config = project_copy / "pyproject.toml"
    config.write_text(
        config.read_text() + f'\n[[tool.presskit.contacts]]\nname = "A"\nrole = "Press"\nemail = {toml}\n'
    )
    expected = f"pyproject.toml:9:1: error: contacts.email: {why} [config.contact]"
    assert build_refused(project_copy, expected) == [expected]


def test_good_addresses_pass_and_link_to_the_address_alone(tmp_path: Path):
    release = HEAD + "  - name: Ann\n    email: ann.o'neil+press@presse.région.example\n"
    project = make_project(tmp_path, {f"{SLUG}.yaml": release})
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    anchors, _texts, hyperlinks, _pdf = _links(project)
    assert anchors == [("mailto:ann.o'neil+press@presse.région.example", "ann.o'neil+press@presse.région.example")]
    assert hyperlinks == [("ann.o'neil+press@presse.région.example", "mailto:ann.o'neil+press@presse.région.example")]


def test_a_relative_social_address_is_refused_in_plain_words(project_copy: Path):
    write(project_copy, "title: T\ndate: 2024-02-01\nbody: Text.\ncontacts:\n  - name: A\n    social: presse\n")
    expected = f"{P}:6:13: error: contacts.social: 'presse' is a relative address; links must be absolute, with http, https, mailto or tel [release.url]"
    assert build_refused(project_copy, expected) == [expected]


@pytest.mark.parametrize("handle", ["@presse", "@presse@social.example.org"])
def test_a_bare_handle_is_text_with_a_warning(tmp_path: Path, handle: str):
    project = make_project(
        tmp_path, {f"{SLUG}.yaml": HEAD + f'  - name: Ann\n    email: ann@example.org\n    social: "{handle}"\n'}
    )
    result = run_presskit("check", "--strict", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{R}:9:13: error: contacts.social: '{handle}' is a handle, not an address: it is shown as text, without a link; give the profile's https:// address to link it [check.social-handle]",
        "presskit: 1 valid release, 1 error, 0 warnings.",
    ]
    assert run_presskit("build", cwd=project).returncode == 0
    anchors, texts, hyperlinks, pdf = _links(project)
    assert anchors == [("mailto:ann@example.org", "ann@example.org")]
    assert texts == [["Ann", "ann@example.org", handle]]
    assert hyperlinks == [("ann@example.org", "mailto:ann@example.org")]
    assert pdf == ["mailto:ann@example.org"]


def test_configuration_contacts_warn_at_their_lines_and_render_the_same(tmp_path: Path):
    config = (
        MINIMAL_CONFIG
        + """\
region = "FR"

[[tool.presskit.contacts]]
name = "Service presse"
email = "presse@example.org"
phone = "04 67 22 86 46"
mobile = "javascript:alert(1)"
social = "@presse"
"""
    )
    project = make_project(tmp_path, {f"{SLUG}.yaml": HEAD.replace("contacts:\n", "")}, config)
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert [line for line in result.stderr.splitlines() if ": warning: " in line] == [
        "pyproject.toml:11:1: warning: contacts.mobile: 'javascript:alert(1)' is not a valid phone number (in region FR or with a +country code); it is shown as written, without a link [check.phone]",
        "pyproject.toml:12:1: warning: contacts.social: '@presse' is a handle, not an address: it is shown as text, without a link; give the profile's https:// address to link it [check.social-handle]",
    ]
    anchors, texts, hyperlinks, pdf = _links(project)
    assert anchors == [("mailto:presse@example.org", "presse@example.org"), ("tel:+33467228646", "04 67 22 86 46")]
    assert texts == [
        ["Service presse", "presse@example.org", "Tel.: 04 67 22 86 46", "Mobile: javascript:alert(1)", "@presse"]
    ]
    assert hyperlinks == [("presse@example.org", "mailto:presse@example.org"), ("04 67 22 86 46", "tel:+33467228646")]
    assert pdf == ["mailto:presse@example.org", "tel:+33467228646"]
