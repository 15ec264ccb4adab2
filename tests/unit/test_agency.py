"""The agency formats' shared pieces in process: the guid and version, and the body as XHTML 1.0."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

from lxml import etree

from support.readers import REPO

XHTML = "{http://www.w3.org/1999/xhtml}"


def _view(slug: str = "2024-03-12-green-hydrogen-port", **config_changes):
    from presskit.build.pipeline import load_project
    from presskit.diagnostics import Reporter
    from presskit.site.context import RenderContext
    from presskit.site.view import ReleaseView

    config, sources = load_project(REPO, Reporter(REPO))
    config = dataclasses.replace(config, **config_changes)
    (release,) = [s.release for s in sources if s.release.slug == slug]
    return ReleaseView(release, config), RenderContext.for_site(config)


def test_the_guid_is_made_from_host_date_and_slug_and_survives_a_correction():
    from presskit.renderers import agency

    view, _context = _view()
    assert (
        agency.guid(view.release, view.config)
        == "urn:newsml:presse.example.org:20240312:2024-03-12-green-hydrogen-port"
    )
    assert agency.version(view.release) == 2
    uncorrected = dataclasses.replace(view.release, updated=None, correction="")
    assert agency.guid(uncorrected, view.config) == agency.guid(view.release, view.config)
    assert agency.version(uncorrected) == 1
    idn, _context = _view(base_url="https://presse.région.example:8443/salle/")
    assert agency.guid(idn.release, idn.config).startswith("urn:newsml:presse.xn--rgion-bsa.example:20240312:")
    assert agency.site_uri(idn.config) == "https://presse.xn--rgion-bsa.example:8443/salle/"


def test_a_draft_built_with_drafts_is_withheld():
    from presskit.renderers import agency

    view, _context = _view()
    assert agency.pubstatus(view) == "usable"
    draft = dataclasses.replace(view, release=dataclasses.replace(view.release, draft=True))
    assert agency.pubstatus(draft) == "withheld"


def test_the_body_is_xhtml_1_without_html5_elements_or_aria_attributes():
    from presskit.renderers import agency

    view, context = _view()
    root = agency.body_xhtml(view, context)
    names = {etree.QName(e).localname for e in root.iter() if isinstance(e.tag, str)}
    assert "address" in names and "img" in names and not names & agency.XHTML1_BLOCKS
    assert not [a for e in root.iter() for a in e.attrib if a.startswith("aria-")]
    body = root.find(f"{XHTML}body")
    assert [e.get("class") for e in body] == ["lead", "photo", "body", "links", "contacts", "about"]
    caption = body.find(f"{XHTML}div[@class='photo']/{XHTML}p")
    assert "".join(caption.itertext()) == (
        "The cargo quay at Port-Vendres, where the electric cranes will be installed. © presskit sample image"
    )
    again = etree.fromstring(agency.xhtml_string(root).encode())  # well-formed XML, the same tree
    assert etree.tostring(again) == etree.tostring(root)


def test_the_ninjs_item_is_the_same_for_the_same_release(tmp_path: Path):
    """No clock, no random identifier: rendering twice gives the same bytes."""
    from presskit.renderers.newsml import NewsmlRenderer
    from presskit.renderers.ninjs import NinjsRenderer

    view, context = _view()
    outputs = []
    for attempt in ("first", "second"):
        folder = tmp_path / attempt
        folder.mkdir()
        for name in (view.pdf_name, view.docx_name, view.release.photos[0].filename):
            (folder / name).write_bytes(b"x" * 10)
        outputs.append(
            (
                NinjsRenderer().render(view, folder, context).read_bytes(),
                NewsmlRenderer().render(view, folder, context).read_bytes(),
            )
        )
    assert outputs[0] == outputs[1]
    item = json.loads(outputs[0][0])
    assert [r.get("sizeinbytes") for r in item["renditions"]] == [10, 10, None]
    assert (
        item["versioncreated"]
        == dt.datetime(2024, 3, 13, 16, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))).isoformat()
    )
