"""The open-data bundle: DCAT-AP catalogue, CSV tables with CSVW and Frictionless metadata, zip."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

import csvw
import pyshacl
import pytest
import rdflib
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SH, XSD

from conftest import VOCAB

SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
VCARD = rdflib.Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = "https://schema.org/"
TABLES = ("people", "organisations", "places", "events", "participations")
EU = "http://publications.europa.eu/resource/authority/"


def opendata(dist: Path) -> Path:
    return dist / "opendata"


def parse(path: Path, fmt: str | None = None) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(path, format=fmt or ("json-ld" if path.suffix == ".jsonld" else "turtle"))
    return graph


def dcat_ap_shapes() -> rdflib.Graph:
    """The official DCAT-AP 3.0.1 shapes: cardinalities and ranges together."""
    # The 3.0.1 release lists five sh:property shapes it never defines (SEMICeu/DCAT-AP#448) and
    # pyshacl refuses to run with them: those dangling references, which constrain nothing, are dropped.
    shapes = rdflib.Graph()
    shapes.parse(VOCAB / "dcat-ap-3.0.1-SHACL.ttl")
    shapes.parse(VOCAB / "dcat-ap-3.0.1-ranges.ttl")
    for node, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH.path, None) not in shapes:
            shapes.remove((node, SH.property, prop))
    return shapes


@pytest.fixture(scope="module")
def catalog(dist) -> rdflib.Graph:
    return parse(opendata(dist) / "catalog.ttl")


@pytest.fixture(scope="module")
def dumped(dist) -> rdflib.Graph:
    return parse(dist / "graph.nt", "nt")


# ---------------------------------------------------------------- catalogue


@pytest.mark.parametrize("name", ["catalog.ttl", "catalog.jsonld"])
def test_catalogue_passes_the_official_dcat_ap_shapes(dist, name):
    data = parse(opendata(dist) / name)
    conforms, _, text = pyshacl.validate(data, shacl_graph=dcat_ap_shapes(), inference="none", allow_warnings=True)
    assert conforms, text


def test_dcat_ap_shapes_do_catch_a_broken_catalogue(catalog):
    broken = rdflib.Graph()
    for triple in catalog:
        broken.add(triple)
    broken.remove((None, RDF.type, DCTERMS.MediaTypeOrExtent))
    broken.remove((None, DCTERMS.title, None))
    conforms, _, _ = pyshacl.validate(broken, shacl_graph=dcat_ap_shapes(), inference="none")
    assert not conforms


def test_turtle_and_jsonld_catalogues_say_the_same(dist, catalog):
    assert isomorphic(catalog, parse(opendata(dist) / "catalog.jsonld"))


def test_every_distribution_is_a_file_of_the_build_with_its_size_and_checksum(dist, catalog, project):
    described = set()
    for distribution in catalog.subjects(RDF.type, DCAT.Distribution):
        url = str(catalog.value(distribution, DCAT.downloadURL))
        assert url.startswith(project.base)
        assert str(catalog.value(distribution, DCAT.accessURL)) == url
        path = dist / url[len(project.base):]
        data = path.read_bytes()
        size = catalog.value(distribution, DCAT.byteSize)
        assert size.datatype == XSD.nonNegativeInteger and int(size) == len(data)
        checksum = catalog.value(distribution, SPDX.checksum)
        assert catalog.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        value = catalog.value(checksum, SPDX.checksumValue)
        assert value.datatype == XSD.hexBinary and str(value) == hashlib.sha256(data).hexdigest()
        assert str(catalog.value(distribution, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
        assert str(catalog.value(distribution, DCTERMS.format)).startswith(EU + "file-type/")
        assert catalog.value(distribution, DCTERMS.license) is not None
        described.add(url[len(project.base):])
    expected = {"graph.ttl", "graph.nt", "graph.jsonld", "graph.trig", "opendata/tourgraph-opendata.zip"}
    expected |= {f"opendata/{name}.csv" for name in TABLES}
    assert described == expected


def test_catalogue_describes_the_publisher_contact_period_theme_and_licence(catalog, project):
    (catalogue,) = catalog.subjects(RDF.type, DCAT.Catalog)
    (dataset,) = catalog.subjects(RDF.type, DCAT.Dataset)
    assert {t.language for t in catalog.objects(catalogue, DCTERMS.title)} == {"fr", "en"}
    assert {t.language for t in catalog.objects(dataset, DCTERMS.description)} == {"fr", "en"}
    assert {k.language for k in catalog.objects(dataset, DCAT.keyword)} == {"fr", "en"}
    publisher = rdflib.URIRef(project.base + "organization/pictanovo")
    assert catalog.value(dataset, DCTERMS.publisher) == catalog.value(catalogue, DCTERMS.publisher) == publisher
    assert str(catalog.value(publisher, FOAF.name)) == "Pictanovo"
    contact = catalog.value(dataset, DCAT.contactPoint)
    assert (contact, RDF.type, VCARD.Kind) in catalog
    assert catalog.value(contact, VCARD.hasEmail) == rdflib.URIRef("mailto:cdupre@pictanovo.com")
    period = catalog.value(dataset, DCTERMS.temporal)
    assert catalog.value(period, DCAT.startDate) == rdflib.Literal("2026-03-22", datatype=XSD.date)
    assert catalog.value(period, DCAT.endDate) == rdflib.Literal("2026-03-27", datatype=XSD.date)
    assert catalog.value(dataset, DCTERMS.spatial) == rdflib.URIRef(EU + "country/FRA")
    assert catalog.value(dataset, DCAT.theme) == rdflib.URIRef(EU + "data-theme/EDUC")
    assert catalog.value(dataset, DCTERMS.issued) == rdflib.Literal("2026-03-16", datatype=XSD.date)
    assert catalog.value(dataset, DCTERMS.modified) == rdflib.Literal("2026-03-16", datatype=XSD.date)
    assert catalog.value(catalogue, DCTERMS.license) == rdflib.URIRef(project.licence["iri"])
    assert catalog.value(catalogue, FOAF.homepage) is None


def test_dates_and_homepage_come_from_tourgraph_toml_when_given(project, checked):
    from tourgraph.export.dcat import catalogue, settings

    config = {
        **project.config,
        "project": {**project.config["project"], "homepage": "https://films.example/"},
        "dataset": {"issued": datetime.date(2025, 1, 2), "modified": "2026-04-01T10:00:00Z"},
    }
    s = settings(dataclasses.replace(project, config=config), checked.graph)
    assert (s.issued, s.modified, s.homepage) == ("2025-01-02", "2026-04-01T10:00:00Z", "https://films.example/")
    values = {t.predicate.value: t.object for t in catalogue(s, []) if t.subject.value.endswith("#dataset")}
    assert values[str(DCTERMS.modified)].datatype.value == str(XSD.dateTime)


def test_a_bad_date_in_tourgraph_toml_is_a_clear_user_error(project, checked):
    from tourgraph.errors import InputError
    from tourgraph.export.dcat import settings

    bad = dataclasses.replace(project, config={**project.config, "dataset": {"issued": "16 March 2026"}})
    with pytest.raises(InputError, match=r"\[dataset\] issued must be a date"):
        settings(bad, checked.graph)


# ---------------------------------------------------------------- tables


def csvw_rdf(metadata: Path) -> set:
    """The RDF that the CSVW metadata maps the tables to, read with the csvw package."""
    # csvw 4 has no csv2rdf: it parses the cells (datatypes, separators, nulls) and expands the URI
    # templates; each column's lang and datatype then make the literals, as csv2rdf does.
    group = csvw.CSVW(str(metadata), validate=True)
    assert group.is_valid, group.warnings
    datatypes = {"date": XSD.date, "datetime": XSD.dateTime, "decimal": XSD.decimal, "double": XSD.double, "integer": XSD.integer, "boolean": XSD.boolean}
    triples = set()
    for table in group.tables:
        schema = table.tableSchema
        for number, row in enumerate(table.iterdicts(strict=False), start=1):
            for column in schema.columns:
                value = row.get(column.name)
                if column.suppressOutput or value in (None, "", []):
                    continue
                subject = rdflib.URIRef(table.expand(column.aboutUrl or schema.aboutUrl, row, _row=number, _name=column.name))
                predicate = rdflib.URIRef(table.expand(column.propertyUrl, row, _row=number, _name=column.name))
                for item in value if isinstance(value, list) else [value]:
                    if column.valueUrl:
                        obj = rdflib.URIRef(table.expand(column.valueUrl, row, _row=number, _name=column.name))
                    else:
                        base = column.datatype.base if column.datatype else "string"
                        text = item.isoformat() if hasattr(item, "isoformat") else str(item)
                        if base == "string":
                            lang = column.lang if column.lang and column.lang != "und" else None
                            obj = rdflib.Literal(text, lang=lang)
                        else:
                            obj = rdflib.Literal(text, datatype=datatypes[base])
                    triples.add((subject, predicate, obj))
    return triples


def test_csvw_maps_every_table_back_to_triples_of_the_graph(dist, dumped, project):
    triples = csvw_rdf(opendata(dist) / "csv-metadata.json")
    missing = {t for t in triples if t not in dumped}
    assert not missing, sorted(missing)[:10]
    predicates = {str(p) for _, p, _ in triples}
    assert all(p.startswith((SCHEMA, "https://tourgraph.example/ns#")) for p in predicates), predicates
    subjects = {str(s) for s, _, _ in triples}
    for kind in ("person", "organization", "place", "event"):
        assert any(s.startswith(f"{project.base}{kind}/") for s in subjects), kind
    delegate = rdflib.URIRef("https://tourgraph.example/ns#delegate")
    event = rdflib.URIRef(project.base + "event/inspiration-tour-2026-hauts-de-france")
    assert (event, delegate, rdflib.URIRef(project.base + "person/tracy-wu")) in triples
    assert (rdflib.URIRef(project.base + "place/bretagne"), rdflib.URIRef(SCHEMA + "name"), rdflib.Literal("Brittany", lang="en")) in triples
    assert (rdflib.URIRef(project.base + "place/villa-cavrois-geo"), rdflib.URIRef(SCHEMA + "latitude"), rdflib.Literal("50.668", datatype=XSD.decimal)) in triples


def test_tables_are_utf8_with_a_header_and_one_row_per_entity(dist):
    metadata = json.loads((opendata(dist) / "csv-metadata.json").read_text(encoding="utf-8"))
    for table in metadata["tables"]:
        text = (opendata(dist) / table["url"]).read_bytes().decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == [c["name"] for c in table["tableSchema"]["columns"]]
        assert len(rows) > 1
        key = table["tableSchema"]["primaryKey"]
        key = key if isinstance(key, list) else [key]
        indexes = [rows[0].index(k) for k in key]
        keys = [tuple(r[i] for i in indexes) for r in rows[1:]]
        assert len(set(keys)) == len(keys)
        if len(key) == 1:
            assert keys == sorted(keys)
    assert [t["url"] for t in metadata["tables"]] == [f"{name}.csv" for name in TABLES]
    people = (opendata(dist) / "people.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"iri", "name", "job_title_fr", "job_title_en", "description_fr", "description_en"} <= set(people)


def test_participations_list_every_role(dist):
    rows = list(csv.DictReader(io.StringIO((opendata(dist) / "participations.csv").read_text(encoding="utf-8"))))
    roles = {r["role"] for r in rows}
    assert {"delegate", "ambassador", "participating_organisation", "organizer", "funder", "partner"} <= roles
    # schema:attendee is stated for every delegate by materialisation: not listed a second time.
    assert "attendee" not in roles


def test_frictionless_data_package_is_valid(dist):
    import frictionless

    report = frictionless.validate(str(opendata(dist) / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# ---------------------------------------------------------------- zip and determinism


def test_zip_holds_the_bundle_with_fixed_dates_in_sorted_order(dist):
    folder = opendata(dist)
    with zipfile.ZipFile(folder / "tourgraph-opendata.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert set(names) == {f"{t}.csv" for t in TABLES} | {"csv-metadata.json", "datapackage.json", "README.md", "catalog.ttl", "catalog.jsonld"}
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        for name in names:
            if not name.startswith("catalog."):
                assert archive.read(name) == (folder / name).read_bytes(), name
        readme = archive.read("README.md").decode("utf-8")
        inner = rdflib.Graph().parse(data=archive.read("catalog.ttl"), format="turtle")
    assert "## Données ouvertes (FR)" in readme and "## Open data (EN)" in readme and "Licence" in readme
    urls = {str(u) for u in inner.objects(None, DCAT.downloadURL)}
    assert not any(u.endswith(".zip") for u in urls) and any(u.endswith("people.csv") for u in urls)


def test_two_builds_give_byte_identical_open_data(dist, project, tmp_path):
    from tourgraph.build import build

    build(project, tmp_path / "dist")
    first = {p.relative_to(opendata(dist)): p.read_bytes() for p in sorted(opendata(dist).rglob("*")) if p.is_file()}
    second = {p.relative_to(tmp_path / "dist" / "opendata"): p.read_bytes() for p in sorted((tmp_path / "dist" / "opendata").rglob("*")) if p.is_file()}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
