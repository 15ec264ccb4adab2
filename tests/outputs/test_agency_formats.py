"""The agency files: every release's IPTC ninjs 2.2 and NewsML-G2 2.35 items, valid against the official schemas
(../shared/standards), with exactly what the release says, linked from the page and the feeds, and embargo-aware."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from support.project import GOOD_RELEASE, copy_sample_project, make_project, run_presskit
from support.readers import REPO, files_under, read_feed, sitemap_text

STANDARDS = REPO.parent / "shared" / "standards"
NINJS_SCHEMA = STANDARDS / "ninjs-schema_2.2.json"
NEWSML_SCHEMA = STANDARDS / "NewsML-G2_2.35-spec-All-Power.xsd"
NOW = "2026-01-01T00:00:00+00:00"
BASE = "https://presse.example.org/"
NAR = "http://iptc.org/std/nar/2006-10-01/"
G2 = {"g2": NAR, "x": "http://www.w3.org/1999/xhtml"}
NINJS_TYPE = "application/ninjs+json"
NEWSML_TYPE = "application/vnd.iptc.g2.newsitem+xml"
REFERENCE = "2023-09-29-occitanie-japon"
CORRECTED = "2024-03-12-green-hydrogen-port"
EMBARGOED = "2027-01-15-budget-2027"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def ninjs_validator():
    jsonschema = pytest.importorskip("jsonschema")
    if not NINJS_SCHEMA.is_file():
        pytest.skip(f"the ninjs schema is not at {NINJS_SCHEMA} (../shared/standards/, present in CI)")
    schema = json.loads(NINJS_SCHEMA.read_text(encoding="utf-8"))
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER
    # Without rfc3339-validator and rfc3987, jsonschema silently accepts any string as a date-time or a URI.
    assert {"date-time", "uri"} <= set(checker.checkers)
    return jsonschema.Draft202012Validator(schema, format_checker=checker)


@pytest.fixture(scope="module")
def newsml_schema():
    xmlschema = pytest.importorskip("xmlschema")
    if not NEWSML_SCHEMA.is_file():
        pytest.skip(f"the NewsML-G2 schema is not at {NEWSML_SCHEMA} (../shared/standards/, present in CI)")
    return xmlschema.XMLSchema(str(NEWSML_SCHEMA))  # finds xml.xsd beside it


@pytest.fixture(scope="module")
def embargo_build(tmp_path_factory) -> Path:
    """The sample project with only its embargoed release: built before the lift with --embargoed private/."""
    project = copy_sample_project(tmp_path_factory.mktemp("agency-embargo"))
    for release in (project / "releases").glob("*.yaml"):
        if release.stem != EMBARGOED:
            release.unlink()
    result = run_presskit("build", "--now", NOW, "--embargoed", "private", cwd=project)
    assert result.returncode == 0, result.stderr
    return project


def _ninjs(folder: Path, slug: str) -> dict:
    return json.loads((folder / slug / f"{slug}.ninjs.json").read_text(encoding="utf-8"))


def _newsml(folder: Path, slug: str) -> etree._Element:
    return etree.parse(str(folder / slug / f"{slug}.newsml.xml")).getroot()


def _errors(validator, item: dict) -> list[str]:
    return sorted(f"{error.json_path}: {error.message}" for error in validator.iter_errors(item))


def _releases(out: Path) -> list[str]:
    return sorted(p.parent.name for p in out.glob("*/*.ninjs.json"))


def test_every_published_release_has_both_agency_files(samples: Path):
    pages = sorted(p.parent.name for p in samples.glob("*/index.html") if (p.parent / f"{p.parent.name}.pdf").exists())
    assert len(pages) == 5
    assert _releases(samples) == pages
    assert sorted(p.parent.name for p in samples.glob("*/*.newsml.xml")) == pages


def test_every_ninjs_file_is_valid_ninjs_2_2(samples: Path, embargo_build: Path, ninjs_validator):
    files = sorted(samples.glob("*/*.ninjs.json")) + sorted((embargo_build / "private").glob("*/*.ninjs.json"))
    assert len(files) == 6
    for path in files:
        assert _errors(ninjs_validator, json.loads(path.read_text(encoding="utf-8"))) == [], path.name


def test_every_newsml_file_is_valid_newsml_g2_2_35(samples: Path, embargo_build: Path, newsml_schema):
    files = sorted(samples.glob("*/*.newsml.xml")) + sorted((embargo_build / "private").glob("*/*.newsml.xml"))
    assert len(files) == 6
    for path in files:
        assert [str(error.reason) for error in newsml_schema.iter_errors(str(path))] == [], path.name
        root = etree.parse(str(path)).getroot()
        assert (root.tag, root.get("standardversion"), root.get("conformance")) == (
            f"{{{NAR}}}newsItem",
            "2.35",
            "power",
        )


def test_the_ninjs_validator_rejects_a_wrong_date_and_a_missing_uri(samples: Path, ninjs_validator):
    item = _ninjs(samples, REFERENCE)
    assert _errors(ninjs_validator, item) == []
    wrong_date = copy.deepcopy(item)
    wrong_date["versioncreated"] = "2023-09-31T00:00:00+02:00"  # no 31 September
    assert _errors(ninjs_validator, wrong_date) == [
        "$.versioncreated: '2023-09-31T00:00:00+02:00' is not a 'date-time'"
    ]
    no_uri = copy.deepcopy(item)
    del no_uri["uri"]
    assert _errors(ninjs_validator, no_uri) == ["$: 'uri' is a required property"]


def test_the_newsml_validator_rejects_a_wrong_date_and_a_missing_guid(samples: Path, newsml_schema):
    root = _newsml(samples, REFERENCE)
    assert newsml_schema.is_valid(root)
    wrong_date = copy.deepcopy(root)
    wrong_date.find("g2:itemMeta/g2:versionCreated", G2).text = "2023-09-31T00:00:00+02:00"
    assert not newsml_schema.is_valid(wrong_date)
    no_guid = copy.deepcopy(root)
    del no_guid.attrib["guid"]
    errors = list(newsml_schema.iter_errors(no_guid))
    assert len(errors) == 1 and "guid" in str(errors[0].reason)


def test_the_reference_communique_in_ninjs(samples: Path):
    item = _ninjs(samples, REFERENCE)
    folder = samples / REFERENCE
    assert item["uri"] == f"urn:newsml:presse.example.org:20230929:{REFERENCE}"
    assert (item["type"], item["version"], item["pubstatus"], item["language"]) == ("text", "1", "usable", "fr")
    assert item["firstcreated"] == item["versioncreated"] == "2023-09-29T00:00:00+02:00"
    assert "embargoed" not in item and "ednote" not in item
    assert item["headlines"] == [
        {
            "role": "main",
            "value": "La Région Occitanie continue de renforcer sa coopération avec le Japon en accueillant des"
            " acteurs économiques, institutionnels et sportifs japonais et régionaux en marge du match Japon-Samoa",
        }
    ]
    (lead,) = item["descriptions"]
    assert lead["role"] == "lead" and lead["value"].startswith("A l’occasion du match de poules de la Coupe du Monde")
    assert lead["value"].endswith("menées par la présidente Carole Delga et les élus régionaux.")
    assert item["located"] == "Toulouse"
    assert [s["name"] for s in item["subjects"]] == ["Japon", "international", "rugby", "économie"]
    assert item["subjects"][3]["uri"] == f"{BASE}tags/economie/"
    assert (item["by"], item["copyrightholder"]) == ("Région Occitanie", "Région Occitanie")
    (source,) = item["infosources"]
    assert source["name"] == "Région Occitanie"
    assert [(c["type"], c["value"]) for c in source["contactinfo"]] == [
        ("email", "mathilde.masson@laregion.fr"),
        ("phone", "+33467228646"),
        ("mobile", "+33607755282"),
        ("email", "service.presse@laregion.fr"),
        ("web", "https://twitter.com/presseoccitanie"),
    ]
    assert item["renditions"] == [
        {
            "name": "pdf",
            "href": f"{BASE}{REFERENCE}/{REFERENCE}.pdf",
            "contenttype": "application/pdf",
            "title": "PDF",
            "sizeinbytes": (folder / f"{REFERENCE}.pdf").stat().st_size,
        },
        {
            "name": "docx",
            "href": f"{BASE}{REFERENCE}/{REFERENCE}.docx",
            "contenttype": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "title": "DOCX",
            "sizeinbytes": (folder / f"{REFERENCE}.docx").stat().st_size,
        },
        {"name": "page", "href": f"{BASE}{REFERENCE}/", "contenttype": "text/html", "title": item["title"]},
    ]
    assert "associations" not in item  # no photo file, no translation
    (body,) = item["bodies"]
    assert body["contenttype"] == "application/xhtml+xml"
    xhtml = etree.fromstring(body["value"].encode())
    assert xhtml.tag == "{http://www.w3.org/1999/xhtml}html" and xhtml.get(XML_LANG) == "fr"
    assert xhtml.findtext("x:head/x:title", namespaces=G2) == item["title"]
    text = " ".join("".join(xhtml.find("x:body", G2).itertext()).split())
    assert text.index("Carole Delga") < text.index("Kubota") < text.index("Albi (Tarn)") < text.index("MASSON")
    assert (body["wordcount"], body["charcount"]) == (len(text.split()), len(text))


def test_the_reference_communique_in_newsml_matches_its_ninjs(samples: Path):
    item = _ninjs(samples, REFERENCE)
    root = _newsml(samples, REFERENCE)
    assert (root.get("guid"), root.get("version"), root.get(XML_LANG)) == (item["uri"], item["version"], "fr")
    meta, content = root.find("g2:itemMeta", G2), root.find("g2:contentMeta", G2)
    assert meta.find("g2:itemClass", G2).get("qcode") == "ninat:text"
    assert meta.findtext("g2:provider/g2:name", namespaces=G2) == "Région Occitanie"
    assert meta.findtext("g2:versionCreated", namespaces=G2) == item["versioncreated"]
    assert meta.findtext("g2:firstCreated", namespaces=G2) == item["firstcreated"]
    assert meta.find("g2:pubStatus", G2).get("qcode") == "stat:usable"
    assert meta.find("g2:embargoed", G2) is None and meta.find("g2:edNote", G2) is None
    assert content.findtext("g2:located/g2:name", namespaces=G2) == "Toulouse"
    assert content.find("g2:language", G2).get("tag") == "fr"
    assert [s.findtext("g2:name", namespaces=G2) for s in content.findall("g2:subject", G2)] == [
        "Japon",
        "international",
        "rugby",
        "économie",
    ]
    assert [h.text for h in content.findall("g2:headline", G2)] == [item["headlines"][0]["value"]]
    assert content.findtext("g2:dateline", namespaces=G2) == "Toulouse, le 29 septembre 2023"
    assert content.findtext("g2:creditline", namespaces=G2) == "Léo Arcangeli / Région Occitanie"
    assert content.findtext("g2:description", namespaces=G2) == item["descriptions"][0]["value"]
    inline = root.find("g2:contentSet/g2:inlineXML", G2)
    assert inline.get("contenttype") == "application/xhtml+xml"
    ninjs_body = etree.fromstring(item["bodies"][0]["value"].encode())
    assert [" ".join(e.itertext()).split() for e in (inline.find("x:html", G2), ninjs_body)] == [
        " ".join(ninjs_body.itertext()).split()
    ] * 2  # the same XHTML (NewsML-G2's is indented)
    remote = root.findall("g2:contentSet/g2:remoteContent", G2)
    assert [(r.get("href"), r.get("contenttype"), r.get("size")) for r in remote] == [
        (r["href"], r["contenttype"], str(r["sizeinbytes"]) if "sizeinbytes" in r else None) for r in item["renditions"]
    ]


def test_a_correction_bumps_the_version_and_carries_its_note(samples: Path):
    item = _ninjs(samples, CORRECTED)
    root = _newsml(samples, CORRECTED)
    note = (
        "Correction (updated March 13, 2024, 4:30\u202fPM GMT+01:00): The electrolyser produces up to 400 kg of"
        " hydrogen a day, not 4,000 kg as first published."
    )
    assert (item["version"], item["ednote"]) == ("2", note)
    assert (item["firstcreated"], item["versioncreated"]) == ("2024-03-12T10:00:00+01:00", "2024-03-13T16:30:00+01:00")
    assert item["uri"] == f"urn:newsml:presse.example.org:20240312:{CORRECTED}"  # the same as before the correction
    assert (root.get("guid"), root.get("version")) == (item["uri"], "2")
    assert root.findtext("g2:itemMeta/g2:edNote", namespaces=G2) == note
    assert [h["role"] for h in item["headlines"]] == ["main", "subheadline"]


def test_photos_are_pictures_with_their_file_caption_alt_text_and_credit(samples: Path):
    item = _ninjs(samples, CORRECTED)
    (photo,) = item["associations"]
    name = "port-vendres-harbour-1.jpg"
    href = f"{BASE}{CORRECTED}/{name}"
    caption = "The cargo quay at Port-Vendres, where the electric cranes will be installed."
    alt = "Three red cranes on the quay of Port-Vendres at sunrise, with containers in the foreground"
    assert photo == {
        "name": "photo-1",
        "uri": href,
        "type": "picture",
        "language": "en",
        "by": "presskit sample image",
        "altids": [{"role": "filename", "value": name}],
        "descriptions": [
            {"role": "caption", "contenttype": "text/plain", "value": caption},
            {"role": "alternative-text", "contenttype": "text/plain", "value": alt},
            {"role": "creditline", "contenttype": "text/plain", "value": "presskit sample image"},
        ],
        "renditions": [
            {
                "name": "original",
                "href": href,
                "contenttype": "image/jpeg",
                "title": name,
                "width": 1600,
                "height": 1000,
                "sizeinbytes": (samples / CORRECTED / name).stat().st_size,
            }
        ],
    }
    (link,) = _newsml(samples, CORRECTED).findall("g2:itemMeta/g2:link", G2)
    assert (link.get("href"), link.get("contenttype"), link.get("size")) == (
        href,
        "image/jpeg",
        str((samples / CORRECTED / name).stat().st_size),
    )
    assert [(d.get("role"), d.text) for d in link.findall("g2:description", G2)] == [
        ("drol:caption", caption),
        ("drol:alternativeText", alt),
    ]
    assert link.findtext("g2:creditline", namespaces=G2) == "presskit sample image"


def test_translations_link_to_each_other_both_ways(samples: Path):
    pair = ("2024-06-03-research-call", "2024-06-03-research-call-en")
    for slug, other in (pair, pair[::-1]):
        item, their = _ninjs(samples, slug), _ninjs(samples, other)
        (translation,) = [a for a in item["associations"] if a["type"] == "text"]
        assert (translation["uri"], translation["language"]) == (their["uri"], their["language"])
        assert translation["headlines"] == [their["headlines"][0]]
        assert [(r["href"], r["contenttype"]) for r in translation["renditions"]] == [
            (f"{BASE}{other}/{other}.ninjs.json", NINJS_TYPE),
            (f"{BASE}{other}/{other}.newsml.xml", NEWSML_TYPE),
            (f"{BASE}{other}/", "text/html"),
        ]
        links = [
            link
            for link in _newsml(samples, slug).findall("g2:itemMeta/g2:link", G2)
            if link.get("contenttype") == NEWSML_TYPE
        ]
        assert [(link.get("href"), link.get("residref"), link.get(XML_LANG)) for link in links] == [
            (f"{BASE}{other}/{other}.newsml.xml", their["uri"], their["language"])
        ]


def test_the_page_announces_both_files_and_the_sitemap_lists_pages_only(samples: Path):
    for slug in _releases(samples):
        page = lxml_html.fromstring((samples / slug / "index.html").read_bytes())
        alternates = {link.get("type"): link.get("href") for link in page.xpath("//head/link[@rel='alternate'][@type]")}
        assert alternates[NINJS_TYPE] == f"{slug}.ninjs.json" and (samples / slug / alternates[NINJS_TYPE]).is_file()
        assert alternates[NEWSML_TYPE] == f"{slug}.newsml.xml" and (samples / slug / alternates[NEWSML_TYPE]).is_file()
    sitemap = sitemap_text(samples)
    assert "ninjs" not in sitemap and "newsml" not in sitemap


def test_every_feed_item_links_both_files(samples: Path):
    atom = read_feed(samples / "atom.xml")
    assert len(atom.entries) == 5
    for entry in atom.entries:
        slug = entry.link.removeprefix(BASE).strip("/")
        alternates = {link.type: link.href for link in entry.links if link.rel == "alternate"}
        assert alternates == {
            "text/html": f"{BASE}{slug}/",
            NINJS_TYPE: f"{BASE}{slug}/{slug}.ninjs.json",
            NEWSML_TYPE: f"{BASE}{slug}/{slug}.newsml.xml",
        }
    rss = etree.parse(str(samples / "feed.xml"))
    for item in rss.findall("channel/item"):
        slug = item.findtext("link").removeprefix(BASE).strip("/")
        links = item.findall("{http://www.w3.org/2005/Atom}link")
        assert [(link.get("rel"), link.get("type"), link.get("href")) for link in links] == [
            ("alternate", NINJS_TYPE, f"{BASE}{slug}/{slug}.ninjs.json"),
            ("alternate", NEWSML_TYPE, f"{BASE}{slug}/{slug}.newsml.xml"),
        ]


def test_embargoed_copies_carry_the_embargo_and_out_has_none_of_their_files(samples: Path, embargo_build: Path):
    assert not (samples / EMBARGOED).exists()
    assert not [p for p in files_under(samples) if EMBARGOED in p.read_text(errors="ignore")]
    item = _ninjs(embargo_build / "private", EMBARGOED)
    assert item["embargoed"] == "2027-01-15T09:00:00+01:00"
    assert item["uri"] == f"urn:newsml:presse.example.org:20270115:{EMBARGOED}"
    root = _newsml(embargo_build / "private", EMBARGOED)
    assert root.findtext("g2:itemMeta/g2:embargoed", namespaces=G2) == "2027-01-15T09:00:00+01:00"
    assert not (embargo_build / "out" / EMBARGOED).exists()


def test_after_the_lift_the_public_files_carry_no_embargo(embargo_build: Path, tmp_path: Path):
    project = tmp_path / "project"
    shutil.copytree(embargo_build, project, ignore=shutil.ignore_patterns("out", "private", ".*"))
    result = run_presskit("build", "--now", "2027-01-15T08:00:00Z", cwd=project)
    assert result.returncode == 0, result.stderr
    item = _ninjs(project / "out", EMBARGOED)
    private = _ninjs(embargo_build / "private", EMBARGOED)
    assert "embargoed" not in item and item["uri"] == private["uri"]
    assert _newsml(project / "out", EMBARGOED).find("g2:itemMeta/g2:embargoed", G2) is None


def test_a_retitled_translation_renders_the_other_language_again(tmp_path: Path):
    """The agency files name each translation's headline: the other language's files must follow an edit."""
    original = GOOD_RELEASE.replace("A good release", "Original headline")
    translation = "translation_of: 2024-01-15-good\nlang: fr\n" + GOOD_RELEASE.replace("A good release", "Titre")
    project = make_project(tmp_path, {"2024-01-15-good.yaml": original, "2024-01-15-good-fr.yaml": translation})
    assert run_presskit("build", cwd=project).returncode == 0
    headlines = [a["headlines"] for a in _ninjs(project / "out", "2024-01-15-good")["associations"]]
    assert headlines == [[{"role": "main", "value": "Titre"}]]
    edited = translation.replace("Titre", "Nouveau titre")
    (project / "releases" / "2024-01-15-good-fr.yaml").write_text(edited, encoding="utf-8")
    result = run_presskit("build", "-v", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "] rendered 2024-01-15-good\n" in result.stderr  # the English release, not only the edited French one
    headlines = [a["headlines"] for a in _ninjs(project / "out", "2024-01-15-good")["associations"]]
    assert headlines == [[{"role": "main", "value": "Nouveau titre"}]]
