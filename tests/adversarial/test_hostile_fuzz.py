"""Property-based: any release text, valid or broken, is either loaded or refused with clean diagnostics."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from presskit import renderers
from presskit.diagnostics import Reporter
from presskit.model import Config, Contact
from presskit.site import templates
from presskit.site.view import ReleaseView, SiteView
from presskit.sources import releases

NAME = "2024-01-01-fuzz.yaml"
SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "300")),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

FIELDS = sorted(releases.FIELDS) + ["titel", "contact", "<<", "", "photos"]
TOKENS = [
    "&a ",
    "*a",
    "!!python/object/apply:os.system ",
    "!x ",
    "---\n",
    "...\n",
    "[",
    "]",
    "{",
    "}",
    ": ",
    "- ",
    "? ",
    "\t",
    "\x00",
    "\x1b",
    "\x85",
    "\ufeff",
    "%YAML 1.1\n",
    "|",
    ">",
    "'",
    '"',
    "\\ud800",
    '"\\ud800"',
    "<<: ",
    "#",
    "\n",
    "\r\n",
    "  ",
    "javascript:alert(1)",
    "[x](javascript:y)",
    "../../etc/passwd",
    "2023-02-30",
    "9999-12-31T23:59:59-23:59",
    "<script>alert(1)</script>",
    "\u202e",
    "\udfff",
]

text = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), text, st.dates())
values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4), max_leaves=12
)
documents = st.dictionaries(st.sampled_from(FIELDS) | text, values, max_size=10)


@st.composite
def release_bytes(draw) -> bytes:
    """A YAML release: a dumped structure, then (often) mangled with YAML syntax, bad bytes and hostile values."""
    kind = draw(st.sampled_from(["structure", "mangled", "bytes"]))
    if kind == "bytes":
        return draw(st.binary(max_size=300))
    source = yaml.safe_dump(draw(documents), allow_unicode=draw(st.booleans()), sort_keys=False)
    if kind == "mangled":
        for _ in range(draw(st.integers(1, 6))):
            position = draw(st.integers(0, len(source)))
            token = draw(st.sampled_from(TOKENS) | text)
            source = source[:position] + token + source[position + draw(st.integers(0, 3)) :]
    return source.encode("utf-8", errors="surrogatepass")


def _load(folder: Path, data: bytes):
    path = folder / "releases" / NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    reporter = Reporter(folder)
    config = Config(root=folder, contacts=(Contact(name="Default contact"),))
    return releases.load_file(path, config, reporter), reporter, config


def _assert_clean(release, reporter: Reporter, data: bytes) -> None:
    # YAML breaks lines at LF, CR, CRLF, U+2028 and U+2029; an error at the end of the file is on the line after.
    normalized = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    lines = normalized.count(b"\n") + normalized.count("\u2028".encode()) + normalized.count("\u2029".encode()) + 1
    for diagnostic in reporter.items:
        assert diagnostic.path == f"releases/{NAME}"
        assert diagnostic.severity == "error"
        assert diagnostic.code and diagnostic.message
        assert 1 <= diagnostic.line <= lines + 1, diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert "\n" not in str(diagnostic) and "Traceback" not in diagnostic.message
    assert (release is None) == bool(reporter.errors), reporter.items


@SETTINGS
@given(release_bytes())
def test_the_loader_accepts_or_reports_never_raises(data: bytes):
    with tempfile.TemporaryDirectory() as folder:
        release, reporter, _ = _load(Path(folder), data)
        _assert_clean(release, reporter, data)


valid_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=60).filter(str.strip)
long_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=400).filter(str.strip)
# Markdown-shaped bodies: nested lists, quotes, headings, emphasis and code, in any combination.
markdown_line = st.tuples(
    st.integers(0, 8).map(lambda depth: "  " * depth),
    st.sampled_from(["- ", "1. ", "> ", "## ", "### ", "* ", "", "    ", "``", "**", "_", "[", "](", "<", "\\"]),
    valid_text,
).map("".join)
markdown = st.lists(markdown_line, min_size=1, max_size=12).map("\n".join).filter(str.strip)
valid_releases = st.fixed_dictionaries(
    {
        "title": long_text,
        "date": st.dates(dt.date(1900, 1, 1), dt.date(2099, 12, 31)).map(str),
        "body": valid_text | markdown,
        "contacts": st.lists(st.fixed_dictionaries({"name": valid_text}), min_size=1, max_size=2),
    },
    optional={
        "subtitle": long_text,
        "lead": valid_text | markdown,
        "location": valid_text,
        "section": long_text,
        "label": long_text,
        "tags": st.lists(valid_text, max_size=60),
        "lang": st.sampled_from(["fr", "en", "de", "pt-BR", "zz", "NO"]),
        "about": long_text,
    },
)


@settings(
    max_examples=int(__import__("os").environ.get("FUZZ_EXAMPLES", "40")) // 5 or 1,
    deadline=None,
    derandomize=True,
    database=None,
)
@given(valid_releases)
def test_an_accepted_release_renders_every_format_but_the_pdf_without_error(document: dict):
    data = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    with tempfile.TemporaryDirectory() as folder:
        release, reporter, config = _load(Path(folder), data)
        _assert_clean(release, reporter, data)
        if release is None:  # the text happened to hold a link or an image reference that is refused
            assert {d.code for d in reporter.items} <= {"release.url", "release.markdown-image"}, reporter.items
            return
        context = renderers.RenderContext(config, templates.environment(config), SiteView(config))
        view = ReleaseView(release, config)
        target = Path(folder) / "out"
        target.mkdir()
        (target / view.pdf_name).write_bytes(
            b"%PDF-1.7\n"
        )  # the page shows the PDF's size; WeasyPrint is too slow here
        for fmt in [fmt for fmt in renderers.REGISTRY if fmt != "pdf"]:  # every other format, in order
            renderers.get(fmt).render(view, target, context)
        assert (target / view.docx_name).stat().st_size > 0
        assert (target / "index.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
