"""The terms a project's data may use: schema.org (the list the package ships), the project's
ontology/, and the vocabularies listed under ``[vocabularies]`` in tourgraph.toml.

A listed namespace is closed (checked term by term) when rdflib ships it as a ``DefinedNamespace``
that rdflib itself treats as closed (DCTERMS, PROV, SKOS, RDF, RDFS, OWL, FOAF, …); any other listed
namespace (XSD, DCAT, …) is accepted whole.
"""

from __future__ import annotations

import functools
import inspect
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import rdflib.namespace
from rdflib.namespace import DefinedNamespace

from .errors import InputError
from .graph import PREFIXES, SCHEMA, TG, KnowledgeGraph
from .project import Project

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDF_TYPE = RDF + "type"
# What people write for schema.org besides the https://schema.org/ this project uses.
OTHER_SCHEMAS = ("http://schema.org/", "http://www.schema.org/", "https://www.schema.org/")
# Used when tourgraph.toml has no [vocabularies] table: what the provenance of every data file needs.
DEFAULT_VOCABULARIES = {name: PREFIXES[name] for name in ("dcterms", "prov", "skos", "rdf", "rdfs", "owl", "xsd")}
# load() types every data file's graph with this class, whatever the project's ontology says.
BUILT_IN = {TG + "SourceGraph": "C"}

_OWL = "http://www.w3.org/2002/07/owl#"
_CLASS_TYPES = {"http://www.w3.org/2000/01/rdf-schema#Class", _OWL + "Class", "http://www.w3.org/2000/01/rdf-schema#Datatype"}


@dataclass(frozen=True)
class Vocabulary:
    """A namespace and, when it is closed, its terms (local name -> kinds: C class, P property, I instance)."""

    label: dict  # how messages name it, {"en": …, "fr": …}
    namespace: str
    terms: dict | None  # None: every term of the namespace is accepted
    member: object = None  # an rdflib DefinedNamespace that decides membership itself (rdf:_1, …)
    roles: bool = False  # whether ``terms`` says which terms are classes and which properties

    def defines(self, local: str) -> bool:
        if self.terms is None:
            return True
        return local in self.member if self.member is not None else local in self.terms


def fits(kinds: str, role: str) -> bool:
    return ("P" if role == "p" else "C") in kinds


def split(iri: str) -> tuple[str, str]:
    """Namespace and local name: after the last '#', else after the last '/' (or ':' for a URN)."""
    for mark in ("#", "/", ":"):
        cut = iri.rfind(mark)
        if cut >= 0 and (mark != ":" or "/" not in iri):
            return iri[: cut + 1], iri[cut + 1 :]
    return iri, ""


@functools.cache
def schemaorg() -> Vocabulary:
    """schema.org as the package ships it (release and licence in the header of schemaorg_terms.txt)."""
    terms = {}
    for line in resources.files(__package__).joinpath("schemaorg_terms.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, kinds = line.split("\t")
            terms[name] = kinds
    return Vocabulary({"en": "schema.org", "fr": "schema.org"}, SCHEMA, terms, roles=True)


@functools.cache
def defined_namespaces() -> dict[str, type]:
    """rdflib's DefinedNamespaces by namespace IRI."""
    return {
        str(cls): cls
        for _, cls in inspect.getmembers(rdflib.namespace, inspect.isclass)
        if issubclass(cls, DefinedNamespace) and cls is not DefinedNamespace
    }


def _closed_namespaces() -> dict[str, type]:
    """The DefinedNamespaces rdflib itself treats as closed (``_fail``): DCAT 2, say, is not, and DCAT 3 has more terms."""
    return {namespace: cls for namespace, cls in defined_namespaces().items() if cls._fail}


def listed_vocabulary(prefix: str, namespace: str) -> Vocabulary:
    label = {"en": f"the {prefix} vocabulary ({namespace})", "fr": f"le vocabulaire {prefix} ({namespace})"}
    cls = _closed_namespaces().get(namespace)
    if cls is None:
        return Vocabulary(label, namespace, None)
    # The names serve suggestions; membership is rdflib's own test (it also knows rdf:_1, rdf:_2, …).
    names = [*inspect.get_annotations(cls), *cls._extras]
    return Vocabulary(label, namespace, dict.fromkeys(names, ""), member=cls)


def vocabularies(project: Project) -> dict[str, str]:
    """The ``[vocabularies]`` table of tourgraph.toml (prefix -> namespace), rdf: always included."""
    table = project.config.get("vocabularies")
    if table is None:
        return dict(DEFAULT_VOCABULARIES)
    config = project.root / "tourgraph.toml"
    if not isinstance(table, dict):
        raise InputError(
            '[vocabularies] must be a table of prefix = "namespace IRI" lines.', path=project.relpath(config),
            line=first_line(config, "vocabularies"), fr="[vocabularies] doit être une table de lignes préfixe = \"IRI de l'espace de noms\".",
        )
    listed = {}
    for prefix, namespace in table.items():
        where = {"path": project.relpath(config), "line": _table_line(config, "vocabularies", prefix)}
        if not isinstance(namespace, str) or "://" not in namespace and not namespace.startswith("urn:"):
            raise InputError(f'[vocabularies] {prefix} must be a namespace IRI such as "http://purl.org/dc/terms/".', **where,
                             fr=f"[vocabularies] {prefix} doit être l'IRI d'un espace de noms, par exemple \"http://purl.org/dc/terms/\".")
        if not namespace.endswith(("/", "#", ":")):
            raise InputError(f'[vocabularies] {prefix} = "{namespace}" must end with "/" or "#", as its terms\' IRIs continue it.', **where,
                             fr=f"[vocabularies] {prefix} = \"{namespace}\" doit finir par « / » ou « # », que prolongent les IRI de ses termes.")
        if namespace.startswith(OTHER_SCHEMAS):
            raise InputError(f"[vocabularies] {prefix}: this project writes schema.org as {SCHEMA}, which needs no entry.", **where,
                             fr=f"[vocabularies] {prefix} : ce projet écrit schema.org {SCHEMA}, qu'il est inutile de déclarer.")
        if namespace != SCHEMA:
            # schema.org is always checked against its own term list, listed or not.
            listed[prefix] = namespace
    listed.setdefault("rdf", RDF)
    return listed


def ontology_terms(kg: KnowledgeGraph) -> dict[str, str]:
    """The IRIs the ontology files define (typed, or declared sub-class/sub-property): IRI -> kinds."""
    graphs = " ".join(f"<{s.graph}>" for s in kg.sources if s.role == "ontology")
    if not graphs:
        return {}
    query = f"""SELECT DISTINCT ?t ?p ?k WHERE {{
        VALUES ?g {{ {graphs} }} VALUES ?p {{ <{RDF_TYPE}> rdfs:subClassOf rdfs:subPropertyOf rdfs:domain rdfs:range }}
        GRAPH ?g {{ ?t ?p ?k }} FILTER(isIRI(?t)) }}"""
    kinds: dict[str, set] = {}
    ontologies = set()
    for row in kg.store.query(query, prefixes=PREFIXES):
        predicate, kind = row["p"].value, row["k"].value
        if predicate == RDF_TYPE and kind == _OWL + "Ontology":
            ontologies.add(row["t"].value)
            continue
        if predicate == RDF_TYPE:
            # rdf:Property and every owl:…Property (Object, Datatype, Annotation, Functional, …).
            is_property = kind.startswith((RDF, _OWL)) and kind.endswith("Property")
            letter = "C" if kind in _CLASS_TYPES else "P" if is_property else "I"
        else:
            letter = "C" if predicate.endswith("subClassOf") else "P"
        kinds.setdefault(row["t"].value, set()).add(letter)
    # The ontology's own IRI and a concept scheme's namespace IRI (kind:) are not terms.
    return {iri: "".join(sorted(letters)) for iri, letters in kinds.items() if iri not in ontologies and not iri.endswith(("#", "/"))}


def read_text(path: Path) -> str:
    """A file's text for searching in it; empty when it cannot be read (load() reports that)."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def first_line(path: Path, text: str) -> int | None:
    """The number of the first line of a file that contains ``text``."""
    for number, line in enumerate(read_text(path).splitlines(), start=1):
        if text in line:
            return number
    return None


def _table_line(config: Path, table: str, key: str) -> int | None:
    """The line of ``key = …`` in ``[table]`` of a TOML file, else the line of the table's header."""
    key_line = re.compile(rf"""^\s*["']?{re.escape(key)}["']?\s*=""")
    inside, header = False, None
    for number, line in enumerate(read_text(config).splitlines(), start=1):
        if line.strip().startswith("["):
            inside = line.strip() == f"[{table}]"
            header = number if inside else header
        elif inside and key_line.match(line):
            return number
    return header
