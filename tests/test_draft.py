"""tourgraph draft on the seed press release and on two releases of our own (tests/fixtures/draft/),
measured as RDF facts against what a person wrote (see tourgraph.draft.evaluate for how entities are
aligned and facts compared), and the folder it writes validated and built by the project's own checks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from conftest import ROOT, VOCAB

pytest.importorskip("spacy", reason="the draft extra (pip install -e '.[test]' brings it)")

from tourgraph.build import build, check  # noqa: E402
from tourgraph.cli import cli  # noqa: E402
from tourgraph.draft import draft_release  # noqa: E402
from tourgraph.draft.evaluate import compare, read_folder  # noqa: E402
from tourgraph.draft.text import key, tidy  # noqa: E402
from tourgraph.project import open_project  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "press-release-2026-03-16.txt"
if not SEED.is_file():
    SEED = Path("/work/shared/seed/press-release-2026-03-16.txt")
FIXTURES = ROOT / "tests" / "fixtures" / "draft"
BASE = "https://tourgraph.example/"
SHIPPED_TOUR = ROOT / "data" / "tours" / "2026-hauts-de-france"


def bare_project(tmp_path: Path, *data: str) -> Path:
    """The project's configuration, ontology and shapes, with only the given folders of data/."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(ROOT / "tourgraph.toml", root)
    for folder in ("ontology", "shapes", "queries"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "data").mkdir()
    for folder in data:
        shutil.copytree(ROOT / "data" / folder, root / "data" / folder)
    return root


@pytest.fixture(scope="module")
def schema():
    return rdflib.Graph().parse(VOCAB / "schemaorg-current-https.ttl")


@pytest.fixture(scope="module")
def seed_draft(tmp_path_factory):
    root = bare_project(tmp_path_factory.mktemp("seed"))
    started = time.perf_counter()
    result = draft_release(SEED, root)
    seconds = time.perf_counter() - started
    print(f"\ndraft of the seed release: {seconds:.2f} s (spaCy model loaded in the same run)")
    return root, result


def reference_of_seed() -> rdflib.Graph:
    # places-geo.ttl holds the facts that are not in the release (its own header says so).
    files = [p for p in sorted(SHIPPED_TOUR.glob("*.ttl")) if p.name != "places-geo.ttl"]
    return read_folder(*files, ROOT / "data" / "common", base=BASE)


def test_seed_draft_has_every_fact_of_the_shipped_data_and_invents_none(seed_draft, schema):
    root, result = seed_draft
    assert result.out == root / "data" / "tours" / "2026-hauts-de-france"
    comparison = compare(read_folder(result.out, base=BASE), reference_of_seed(), schema)
    print("\n" + comparison.table("seed release vs data/tours/2026-hauts-de-france + data/common"))
    assert comparison.precision == 1.0
    assert comparison.recall >= 0.9


def test_seed_draft_validates_and_builds(seed_draft, tmp_path):
    root, _ = seed_draft
    project = open_project(root)
    report = check(project).report
    assert report.passes, report.to_text()
    reviews = [r for r in report.results if r.path and r.path.endswith("toReview")]
    assert reviews and all(r.severity == "Warning" for r in reviews)
    assert all(r.message("fr").startswith("À relire") and r.message("en").startswith("To review") for r in reviews)
    build(project, tmp_path / "dist")
    assert (tmp_path / "dist" / "graph.ttl").is_file()


def test_every_fact_quotes_a_line_of_the_release(seed_draft):
    root, result = seed_draft
    release = SEED.read_text(encoding="utf-8").splitlines()
    quoted = 0
    for path in sorted(result.out.glob("*.ttl")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for n, line in enumerate(lines):
            match = re.match(r'^\s*# l\. (\d+): "(.*)"$', line)
            if match:
                quoted += 1
                number, text = int(match.group(1)), match.group(2)
                source = tidy(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", " ".join(release[number - 1:number + 3])))
                assert text in source or text.lstrip("- ") in source, f"{path.name}:{n + 1} quotes what line {number} does not say"
            elif re.match(r"^\S+ (a |schema:|tg:)", line) or re.match(r"^\s+(schema|tg|dcterms):", line):
                assert any(l.lstrip().startswith("#") for l in lines[max(0, n - 40):n]), f"{path.name}:{n + 1} has no source line"
    assert quoted > 100


def test_names_titles_and_emails_are_written_as_the_release_writes_them(seed_draft):
    root, result = seed_draft
    text = key(SEED.read_text(encoding="utf-8"))
    graph = read_folder(result.out, base=BASE)
    S = "https://schema.org/"
    for predicate in ("jobTitle", "email", "givenName", "familyName", "alternateName"):
        for value in graph.objects(None, rdflib.URIRef(S + predicate)):
            assert key(str(value)) in text, f"schema:{predicate} {value!r} is not in the release"
    for person in graph.subjects(rdflib.RDF.type, rdflib.URIRef(S + "Person")):
        assert not list(graph.objects(person, rdflib.URIRef(S + "email"))), "a person's own email is never drafted"


def test_seed_draft_links_to_what_the_project_already_holds(tmp_path, schema):
    root = bare_project(tmp_path, "common")
    result = draft_release(SEED, root)
    common = read_folder(ROOT / "data" / "common", base=BASE)
    drafted = read_folder(result.out, base=BASE)
    existing = set(common.subjects(rdflib.RDF.type, None))
    redescribed = {s for s in drafted.subjects(rdflib.RDF.type, None) if s in existing}
    assert redescribed == set(), "an entity of data/common/ is described again instead of linked"
    org = rdflib.URIRef(BASE + "organization/")
    tour = next(drafted.subjects(rdflib.URIRef("https://tourgraph.example/ns#delegate"), None))
    assert set(drafted.objects(tour, rdflib.URIRef("https://schema.org/organizer"))) == {org + "pictanovo", org + "film-france-cnc"}
    assert (rdflib.URIRef(BASE + "event/inspiration-tours"), rdflib.URIRef("https://schema.org/subEvent"), tour) in drafted
    comparison = compare(drafted + common, reference_of_seed(), schema)
    print("\n" + comparison.table("seed release drafted beside data/common (linked)"))
    assert comparison.precision == 1.0 and comparison.recall >= 0.9
    assert check(open_project(root)).report.passes


FIXTURE_RELEASES = {
    "en-first-val-de-brume": ("release.md", "2025-val-de-brume", ("en", "fr")),
    "en-only-cote-d-argile": ("release.txt", "2027-cote-d-argile", ("en",)),
}


@pytest.mark.parametrize("name", sorted(FIXTURE_RELEASES))
def test_fixture_release(name, tmp_path, schema):
    release, slug, languages = FIXTURE_RELEASES[name]
    root = bare_project(tmp_path)
    result = draft_release(FIXTURES / name / release, root)
    assert result.out.name == slug and result.languages == languages
    comparison = compare(read_folder(result.out, base=BASE), read_folder(FIXTURES / name / "expected.ttl", base=BASE), schema)
    print("\n" + comparison.table(f"fixture {name}"))
    assert comparison.precision >= 0.95 and comparison.recall >= 0.85
    report = check(open_project(root)).report
    assert report.passes, report.to_text()


def test_a_date_without_a_year_and_a_company_that_may_be_a_person_are_marked(tmp_path):
    root = bare_project(tmp_path)
    result = draft_release(FIXTURES / "en-only-cote-d-argile" / "release.txt", root)
    report = check(open_project(root)).report
    notes = {(r.focus.rsplit("/", 1)[-1], r.message("en").split(")")[0]) for r in report.results if r.path and r.path.endswith("toReview")}
    assert ("inspiration-tour-2027-cote-d-argile", "To review (schema:startDate") in notes
    assert ("corin-ashby", "To review (schema:name") in notes
    tour = (result.out / "tour.ttl").read_text(encoding="utf-8")
    assert '"2027-06-03"^^xsd:date' in tour and "From June 3 to 5" in tour


def test_the_command_refuses_a_folder_it_did_not_write_and_an_edited_draft(tmp_path):
    root = bare_project(tmp_path)
    release = FIXTURES / "en-only-cote-d-argile" / "release.txt"
    runner = CliRunner()
    foreign = root / "data" / "tours" / "2027-cote-d-argile"
    foreign.mkdir(parents=True)
    (foreign / "notes.md").write_text("mine", encoding="utf-8")
    refused = runner.invoke(cli, ["draft", str(release), "--project", str(root)])
    assert refused.exit_code == 2 and "did not write" in refused.output and "Traceback" not in refused.output
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.md"]
    out = root / "data" / "tours" / "again"
    first = runner.invoke(cli, ["draft", str(release), "--project", str(root), "--out", str(out)])
    assert first.exit_code == 0, first.output
    again = runner.invoke(cli, ["draft", str(release), "--project", str(root), "--out", str(out), "--lang", "fr"])
    assert again.exit_code == 0 and "Brouillon écrit" in again.output
    people = out / "people.ttl"
    people.write_text(people.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    edited = runner.invoke(cli, ["draft", str(release), "--project", str(root), "--out", str(out)])
    assert edited.exit_code == 2 and "people.ttl" in edited.output
    assert people.read_text(encoding="utf-8").endswith("# reviewed\n")


def test_the_command_says_what_to_install_without_the_extra(tmp_path):
    code = ("import sys; sys.modules['spacy'] = None; from tourgraph.cli import main; "
            f"sys.argv = ['tourgraph', 'draft', {str(SEED)!r}, '--project', {str(ROOT)!r}]; main()")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "pip install 'tourgraph[draft]'" in run.stderr and "Traceback" not in run.stderr
