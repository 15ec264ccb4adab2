"""The PDF renderer in process: what one document renders leaves no trace in the next."""

from __future__ import annotations

from pathlib import Path

from support.readers import REPO


def test_a_pdf_does_not_depend_on_what_its_process_rendered_before(tmp_path: Path):
    """A renderer keeps the system's fonts for all its documents: that must not leak into any of them."""
    from presskit.build.pipeline import load_project
    from presskit.diagnostics import Reporter
    from presskit.renderers import RenderContext
    from presskit.renderers.pdf import PdfRenderer
    from presskit.site import templates
    from presskit.site.view import ReleaseView, SiteView

    root = REPO
    config, sources = load_project(root, Reporter(root))
    context = RenderContext(config, templates.environment(config), SiteView(config))
    views = {s.release.slug: ReleaseView(s.release, config) for s in sources}
    french, japanese = views["2023-09-29-occitanie-japon"], views["2023-05-16-salon-alimentaire-tokyo-ja"]
    seasoned, fresh = PdfRenderer(), PdfRenderer()
    for view in (japanese, french, japanese):
        (tmp_path / "seasoned").mkdir(exist_ok=True)
        seasoned.render(view, tmp_path / "seasoned", context)
    (tmp_path / "fresh").mkdir()
    fresh.render(french, tmp_path / "fresh", context)
    fresh.render(japanese, tmp_path / "fresh", context)
    for view in (french, japanese):
        assert (tmp_path / "seasoned" / view.pdf_name).read_bytes() == (tmp_path / "fresh" / view.pdf_name).read_bytes()
    assert seasoned.fonts() is seasoned.fonts() and seasoned.fonts() is not fresh.fonts()
