"""A static build into the folder of a previous build takes the files of the entities a change leaves
alone (``tourgraph.incremental``): after each kind of change, the folder it leaves holds the bytes a
full build writes into a new folder, and it did take files rather than write everything."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tourgraph.build import build
from tourgraph.errors import TourgraphError
from tourgraph.project import open_project

from conftest import copy_project

TOUR = "data/tours/2026-hauts-de-france"
# A page the change of configuration below shows on.
PAGE = "en/place/cathedrale-d-amiens.html"


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


def _edit(project: Path, relpath: str, change) -> None:
    path = project / relpath
    text = path.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text, f"the edit of {relpath} changed nothing"
    path.write_text(changed, encoding="utf-8")


def _rename_and_remove_an_organisation(project: Path) -> None:
    """Two files changed: an organisation renamed (shown on its people's pages, and through them on
    the tour's), another removed with the tour's mention of it."""
    def change(text):
        text = text.replace('schema:name "Sony Pictures Television"', 'schema:name "Sony Pictures Television Studios"')
        return re.sub(r"(?ms)^org:froggie-production a schema:Organization ;.*?\.\n\n", "", text)

    _edit(project, f"{TOUR}/organizations.ttl", change)
    _edit(project, f"{TOUR}/tour.ttl", lambda text: text.replace(" org:froggie-production,", ""))


def _reorder_two_visits(project: Path) -> None:
    """The same statements, two blocks swapped: the programme's order (after the dates) changes."""
    def change(text):
        blocks = re.findall(r"(?ms)^event:visit-(?:chateau-de-chantilly|villa-cavrois) a .*?\.\n", text)
        assert len(blocks) == 2
        return text.replace(blocks[0], "\0").replace(blocks[1], blocks[0]).replace("\0", blocks[1])

    _edit(project, f"{TOUR}/tour.ttl", change)


def _add_a_file(project: Path) -> None:
    (project / f"{TOUR}/extra-organization.ttl").write_text(
        """@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <organization/> .
@prefix person: <person/> .

<graph/tours/2026-hauts-de-france/extra-organization> a prov:Entity ;
    dcterms:title "Organisation de test"@fr, "Test organisation"@en ;
    dcterms:source <https://example.org/test-source> ;
    dcterms:license <https://www.etalab.gouv.fr/licence-ouverte-open-licence/> .

org:test-organisation a schema:Organization ;
    schema:name "Test Organisation" .

person:tracy-wu schema:memberOf org:test-organisation .
""", encoding="utf-8")


def _remove_a_file(project: Path) -> None:
    (project / f"{TOUR}/places-geonames.ttl").unlink()


def _opt_a_person_out(project: Path) -> None:
    """Privacy: the person leaves every public output, including what other files state of them."""
    _edit(project, f"{TOUR}/people.ttl", lambda text: text.replace(
        "person:robert-west a schema:Person ;", "person:robert-west a schema:Person ;\n    <https://tourgraph.example/ns#publicationOptOut> true ;", 1))


CHANGES = {
    "organisation renamed and removed": _rename_and_remove_an_organisation,
    "blocks reordered": _reorder_two_visits,
    "file added": _add_a_file,
    "file removed": _remove_a_file,
    "person opted out": _opt_a_person_out,
}


@pytest.fixture(scope="module")
def first_build(tmp_path_factory):
    """The shipped project (a static build) and its full build, made once and copied by each test."""
    root = tmp_path_factory.mktemp("incremental")
    project = copy_project(root / "project")
    build(open_project(project), root / "dist")
    return project, root / "dist"


def _start(first_build, tmp_path) -> tuple[Path, Path]:
    project, dist = first_build
    shutil.copytree(project, tmp_path / "project")
    shutil.copytree(dist, tmp_path / "dist")
    return tmp_path / "project", tmp_path / "dist"


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_build_after_a_change_equals_a_full_build(first_build, tmp_path, change):
    project, dist = _start(first_build, tmp_path)
    before = _inodes(dist)
    CHANGES[change](project)
    again = build(open_project(project), dist)
    assert again.reused is not None and again.reused.graphs >= 1 and again.reused.written > 0
    after = _inodes(dist)
    kept = [path for path, inode in after.items() if before.get(path) == inode]
    assert len(kept) == again.reused.taken > 0, "the entities the change does not show on were written again"
    full = build(open_project(project), tmp_path / "full", full=True)
    assert full.reused is None
    incremental, expected = _files(dist), _files(tmp_path / "full")
    assert sorted(set(incremental) ^ set(expected)) == []
    assert [name for name in expected if incremental[name] != expected[name]] == []


def test_the_change_shows_where_it_should(first_build, tmp_path):
    project, dist = _start(first_build, tmp_path)
    _rename_and_remove_an_organisation(project)
    build(open_project(project), dist)
    tour = (dist / "en/event/inspiration-tour-2026-hauts-de-france.html").read_text(encoding="utf-8")
    assert "Sony Pictures Television Studios" in tour
    assert not (dist / "en/organization/froggie-production.html").exists()
    assert not (dist / "organization/froggie-production.ttl").exists()


def test_nothing_changed_takes_every_entity_file(first_build, tmp_path):
    project, dist = _start(first_build, tmp_path)
    before = _files(dist)
    again = build(open_project(project), dist)
    assert again.reused is not None and (again.reused.graphs, again.reused.written) == (0, 0)
    assert _files(dist) == before


def test_an_entity_the_previous_build_has_in_part_is_written_whole(first_build, tmp_path):
    """One page of an entity missing from the previous build: the entity is written again, and none of
    its files is a link to the previous build's (writing over a link would write into that build)."""
    project, dist = _start(first_build, tmp_path)
    # The snippet is the last of its files in path order: the others come first.
    entity = ["en/organization/hbo.html", "fr/organization/hbo.html", "organization/hbo.ttl", "organization/hbo.jsonld"]
    (dist / "snippets/organization/hbo.jsonld").unlink()
    before = {path: (dist / path).stat().st_ino for path in entity}
    again = build(open_project(project), dist)
    assert again.reused is not None and again.reused.written == 1
    assert [path for path in entity if (dist / path).stat().st_ino == before[path]] == []
    full = build(open_project(project), tmp_path / "full", full=True)
    assert _files(dist) == _files(tmp_path / "full")
    assert full.reused is None


def test_a_change_of_configuration_writes_everything(first_build, tmp_path):
    project, dist = _start(first_build, tmp_path)
    before = _inodes(dist)
    _edit(project, "tourgraph.toml", lambda text: text.replace('en = "Film commission inspiration tours"', 'en = "Film commission tours"'))
    again = build(open_project(project), dist)
    assert again.reused is None
    assert [path for path, inode in _inodes(dist).items() if before.get(path) == inode] == []
    assert "Film commission tours" in (dist / PAGE).read_text(encoding="utf-8")


def test_a_failed_build_leaves_the_previous_build_as_it_was(first_build, tmp_path, monkeypatch):
    """The files taken are hard links to the previous build's: nothing may write through them."""
    from tourgraph.export import opendata

    project, dist = _start(first_build, tmp_path)
    digest = {name: hashlib.sha256(data).hexdigest() for name, data in _files(dist).items()}
    _rename_and_remove_an_organisation(project)

    def fail(ctx):
        raise TourgraphError("stopped by the test after the site was written")

    monkeypatch.setattr(opendata, "write", fail)
    with pytest.raises(TourgraphError):
        build(open_project(project), dist)
    assert {name: hashlib.sha256(data).hexdigest() for name, data in _files(dist).items()} == digest
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist.")]
