"""docs/authoring.md is generated from shapes/ and ontology/ by `tourgraph docs`: it must be up to date."""

from __future__ import annotations

from click.testing import CliRunner

from conftest import ROOT
from tourgraph.authoring.document import OUTPUT, authoring_markdown
from tourgraph.authoring.fields import kinds
from tourgraph.cli import cli


def test_docs_authoring_md_is_up_to_date():
    current = (ROOT / OUTPUT).read_text(encoding="utf-8")
    assert current == authoring_markdown(ROOT), "docs/authoring.md is out of date: run `tourgraph docs`"
    result = CliRunner().invoke(cli, ["docs", "--project", str(ROOT), "--check"])
    assert result.exit_code == 0, result.output


def test_the_document_lists_each_kind_with_its_required_fields_in_both_languages():
    text = authoring_markdown(ROOT)
    fr, en = text.split("## Writing a tour's data (EN)")
    assert "### Personnes" in fr and "### People" in en
    assert "| `schema:name` | yes; at most 1 | plain text (no language tag) | `\"Camille Exemple\"` | `name`, `name_fr`, `name_en` |" in en
    assert "| `schema:name` | oui ; au plus 1 |" in fr
    assert "| `schema:email` | never (privacy) |" in en
    assert "participations: role `delegate`" in en
    assert "`schema:startDate` | no; at most 1 | a xsd:date value | `\"2030-05-13\"^^xsd:date` | `start_date` |" in en


def test_a_shape_edit_makes_the_document_out_of_date(project_copy):
    shapes = project_copy / "shapes" / "tourgraph-shapes.ttl"
    text = shapes.read_text(encoding="utf-8")
    shapes.write_text(text.replace("sh:path schema:givenName ; sh:maxCount 1 ;", "sh:path schema:givenName ; sh:minCount 1 ; sh:maxCount 1 ;"), encoding="utf-8")
    (project_copy / "docs").mkdir()
    (project_copy / OUTPUT).write_text(authoring_markdown(ROOT), encoding="utf-8")
    stale = CliRunner().invoke(cli, ["docs", "--project", str(project_copy), "--check"])
    assert stale.exit_code == 1 and "out of date" in stale.output
    person = next(k for k in kinds(project_copy) if k.spec.key == "person")
    assert next(f for f in person.fields if f.path.endswith("givenName")).required == {}
    assert CliRunner().invoke(cli, ["docs", "--project", str(project_copy)]).exit_code == 0
    assert "| `schema:givenName` | yes; at most 1 |" in (project_copy / OUTPUT).read_text(encoding="utf-8")
