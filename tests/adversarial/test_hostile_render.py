"""Rendering: nothing is fetched from the network, WeasyPrint problems fail the release, PDFs embed no file."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pypdf
import pytest
from PIL import Image

from support.hostile import build_refused, write
from support.project import GOOD_RELEASE, make_project, run_presskit
from support.readers import pdf_text

THEME = Path(__file__).resolve().parents[2] / "src" / "presskit" / "theme" / "templates"


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.server.hits.append(self.path)
        body = b"\x89PNG\r\n\x1a\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    """An HTTP server on 127.0.0.1 only, recording every request; stopped after the test."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.hits = []
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", server.hits
    server.shutdown()
    server.server_close()


def _pdf_override(project: Path, head: str = "", body: str = "") -> None:
    """templates/release.pdf.html.j2: the built-in one with extra markup in <head> and at the top of <body>."""
    source = (THEME / "release.pdf.html.j2").read_text(encoding="utf-8")
    (project / "templates").mkdir(exist_ok=True)
    (project / "templates" / "release.pdf.html.j2").write_text(
        source.replace("</head>", head + "\n</head>").replace("<body>", "<body>\n" + body), encoding="utf-8"
    )


def _release_with_urls(server: str) -> str:
    return (
        f"title: T\ndate: 2024-02-01\nlead: See [the site]({server}/lead).\nbody: |\n  Read [more]({server}/body) and <{server}/auto>.\n"
        f"links:\n  - label: Site\n    url: {server}/link\ncontacts:\n  - name: A\n    social: {server}/social\n"
    )


def test_urls_in_release_fields_are_written_never_fetched(tmp_path: Path, loopback):
    server, hits = loopback
    config = f'[tool.presskit]\norganization = "T"\nbase_url = "{server}/news/"\nlang = "en"\n'
    project = make_project(tmp_path, {"2024-02-01-urls.yaml": _release_with_urls(server)}, config)
    (project / "templates").mkdir()
    (project / "templates" / "release.html.j2").write_text(
        '{% extends "presskit/release.html.j2" %}{% block head %}'
        + f'<img src="{server}/page.png" alt="">'
        + "{% endblock %}"
    )
    result = run_presskit("build", cwd=project)
    assert result.returncode == 0, result.stderr
    assert f'href="{server}/link"' in (project / "out" / "2024-02-01-urls" / "index.html").read_text()
    assert hits == []


@pytest.mark.parametrize(
    ("where", "markup", "fetched"),
    [
        ("img", '<img src="{s}/img.png" alt="x">', "/img.png"),
        ("stylesheet-link", '<link rel="stylesheet" href="{s}/style.css">', "/style.css"),
        ("css-import", "<style>@import url({s}/import.css);</style>", "/import.css"),
        ("css-background", "<style>body {{ background: url({s}/bg.png) }}</style>", "/bg.png"),
        (
            "font-face",
            "<style>@font-face {{ font-family: X; src: url({s}/font.woff) }} body {{ font-family: X }}</style>",
            "/font.woff",
        ),
        ("object", '<object data="{s}/object.svg" type="image/svg+xml"></object>', "/object.svg"),
        ("embed", '<embed src="{s}/embed.png">', "/embed.png"),
        ("attachment", '<link rel="attachment" href="{s}/attachment.bin">', "/attachment.bin"),
    ],
)
def test_a_template_override_cannot_make_the_pdf_fetch_from_the_network(
    project_copy: Path, loopback, where, markup, fetched
):
    server, hits = loopback
    head = markup.format(s=server) if where in ("stylesheet-link", "css-import", "font-face", "attachment") else ""
    body = "" if head else markup.format(s=server)
    _pdf_override(project_copy, head=head, body=body)
    if where == "attachment":  # attachments are dropped before anything is fetched: the release builds
        result = run_presskit("build", cwd=project_copy)
        assert result.returncode == 0, result.stderr
    else:
        expected = (
            f"releases/2024-01-15-good.yaml:1:1: error: PDF: refused to fetch '{server}{fetched}': "
            "only files inside the project are used [render.pdf]"
        )
        assert build_refused(project_copy, expected) == [expected]
    assert hits == []


def test_a_pdf_stylesheet_override_cannot_fetch_from_the_network(project_copy: Path, loopback):
    server, hits = loopback
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / "pdf.css").write_text(
        f"@import url({server}/x.css);\nbody {{ background: url({server}/b.png) }}\n"
    )
    expected = f"releases/2024-01-15-good.yaml:1:1: error: PDF: refused to fetch '{server}/x.css': only files inside the project are used [render.pdf]"
    assert build_refused(project_copy, expected) == [expected]
    assert hits == []


def test_a_photo_url_is_refused_before_anything_is_fetched(project_copy: Path, loopback):
    server, hits = loopback
    write(
        project_copy,
        f"title: T\ndate: 2024-02-01\nbody: B\nphotos:\n  - file: {server}/photo.png\n    alt: x\ncontacts:\n  - name: A\n",
    )
    expected = (
        f"releases/2024-02-01-bad.yaml:5:11: error: photo '{server}/photo.png' must be a path relative to the release file, "
        "inside the project [release.photo]"
    )
    assert build_refused(project_copy, expected) == [expected]
    assert hits == []


RENDER_FAILURES = {
    "missing-image": (
        {"body": '<img src="missing.png" alt="x">'},
        "PDF: cannot read missing.png: No such file or directory",
    ),
    "local-file-outside": (
        {"body": '<img src="file:///etc/hostname" alt="x">'},
        "PDF: refused to read /etc/hostname: it is outside the project",
    ),
    "climbing-out-of-the-project": (
        {"body": '<img src="../../../../../../../../etc/hostname" alt="x">'},
        "PDF: refused to read /etc/hostname: it is outside the project",
    ),
    "not-an-image": (
        {"body": '<img src="pyproject.toml" alt="x">'},
        "PDF: Failed to load image at 'pyproject.toml': ",
    ),
    "bad-css": (
        {"head": "<style>p { colr: red }</style>"},
        "PDF: Ignored `colr: red ` at 1:5, unknown property.",
    ),
    "missing-font-file": (
        {"head": "<style>@font-face { font-family: X; src: url(fonts/none.woff) } body { font-family: X }</style>"},
        "PDF: cannot read fonts/none.woff: No such file or directory",
    ),
}


@pytest.mark.parametrize("case", sorted(RENDER_FAILURES))
def test_a_weasyprint_problem_fails_the_release_with_its_message(project_copy: Path, case: str):
    markup, message = RENDER_FAILURES[case]
    _pdf_override(project_copy, **markup)
    expected = f"releases/2024-01-15-good.yaml:1:1: error: {message} [render.pdf]"
    assert build_refused(project_copy, expected) == [expected]


def test_a_broken_stylesheet_override_fails_the_release(project_copy: Path):
    (project_copy / "templates").mkdir()
    (project_copy / "templates" / "pdf.css").write_text("@page { size: A4 }\nh1 { font-weight: heavy }\n")
    expected = "releases/2024-01-15-good.yaml:1:1: error: PDF: Ignored `font-weight: heavy ` at 2:6, invalid value. [render.pdf]"
    assert build_refused(project_copy, expected) == [expected]


def test_template_mistakes_are_reported_not_crashed(project_copy: Path):
    _pdf_override(project_copy, body="{{ no_such_name }}")
    expected = (
        "releases/2024-01-15-good.yaml:1:1: error: PDF: template error: 'no_such_name' is undefined [render.template]"
    )
    assert build_refused(project_copy, expected) == [expected]
    _pdf_override(project_copy, body="{% if %}")
    expected = "templates/release.pdf.html.j2:14:1: error: PDF: template error: Expected an expression, got 'end of statement block' [render.template]"
    assert build_refused(project_copy, expected) == [expected]


def test_the_pdf_embeds_no_file_even_when_a_template_asks(project_copy: Path):
    (project_copy / "secret.txt").write_text("secret-token-4242\n")
    Image.new("RGB", (2, 2)).save(project_copy / "templates-pixel.png")
    _pdf_override(
        project_copy,
        head='<link rel="attachment" href="secret.txt" title="leak">',
        body='<a rel="attachment" href="pyproject.toml">config</a> <a rel="attachment" href="secret.txt">secret</a>',
    )
    result = run_presskit("build", cwd=project_copy)
    assert result.returncode == 0, result.stderr
    pdf = project_copy / "out" / "2024-01-15-good" / "2024-01-15-good.pdf"
    reader = pypdf.PdfReader(pdf)
    assert "/EmbeddedFiles" not in reader.trailer["/Root"].get("/Names", {})
    assert dict(reader.attachments) == {}
    annotations = [a.get_object()["/Subtype"] for page in reader.pages for a in page.get("/Annots", [])]
    assert "/FileAttachment" not in annotations
    streams = []
    for number in range(1, reader.trailer["/Size"]):
        obj = reader.get_object(number)
        if isinstance(obj, pypdf.generic.StreamObject):
            streams.append(obj.get_data())
    assert not [s for s in streams if b"secret-token-4242" in s or b"[tool.presskit]" in s]
    assert "config secret" in pdf_text(pdf)  # the link texts stay, as plain text


def test_every_release_that_fails_to_render_is_reported_in_one_run(project_copy: Path):
    for slug in ("2024-02-01-broken", "2024-02-02-also-broken"):
        write(project_copy, GOOD_RELEASE, f"releases/{slug}.yaml")
    _pdf_override(
        project_copy, body='{% if v.slug.endswith("broken") %}<img src="missing-{{ v.slug }}.png" alt="">{% endif %}'
    )
    expected = [
        "releases/2024-02-01-broken.yaml:1:1: error: PDF: cannot read missing-2024-02-01-broken.png: No such file or directory [render.pdf]",
        "releases/2024-02-02-also-broken.yaml:1:1: error: PDF: cannot read missing-2024-02-02-also-broken.png: No such file or directory [render.pdf]",
    ]
    assert build_refused(project_copy, *expected) == expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        (
            "cycler.__init__.__globals__.os.popen('touch pwned').read()",
            "access to attribute '__init__' of 'type' object is unsafe.",
        ),
        ("v.release.__class__.__mro__", "access to attribute '__class__' of 'Release' object is unsafe."),
    ],
)
def test_a_template_override_cannot_reach_python(project_copy: Path, expression: str, message: str):
    _pdf_override(project_copy, body="{{ " + expression + " }}")
    expected = f"releases/2024-01-15-good.yaml:1:1: error: PDF: template error: {message} [render.template]"
    assert build_refused(project_copy, expected) == [expected]
    assert not (project_copy / "pwned").exists()


def test_an_unexpected_error_in_one_release_is_reported_and_the_others_still_render(project_copy: Path):
    write(project_copy, GOOD_RELEASE, "releases/2024-02-01-broken.yaml")
    _pdf_override(
        project_copy,
        body='{% if v.slug.endswith("broken") %}{{ 1 // 0 }}{% endif %}{{ v.slug.startswith("x") and (1 // 0) }}',
    )
    expected = (
        "releases/2024-02-01-broken.yaml:1:1: error: PDF: internal error (ZeroDivisionError: integer division or modulo by zero); "
        "please report it with this release [render.internal]"
    )
    assert build_refused(project_copy, expected) == [expected]
