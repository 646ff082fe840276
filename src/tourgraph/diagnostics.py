"""The project's own checks, beside the SHACL shapes: terms no vocabulary defines, an entity described
in two places, and a file whose provenance block names another graph than its own."""

from __future__ import annotations

import pyoxigraph as ox

from . import vocabulary
from .graph import TG, KnowledgeGraph, compact
from .project import Project
from .validate import Result

DESCRIBED_TWICE = TG + "DescribedOnce"
GRAPH_OF_FILE = TG + "GraphOfFile"


def _where(places) -> str:
    return ", ".join(f"{p.file}:{p.line}" if p.line else p.file for p in places)


def described_twice(kg: KnowledgeGraph) -> list[Result]:
    results = []
    for subject, places, typed in kg.index.described_twice():
        if isinstance(subject, ox.BlankNode):
            continue
        where = _where(places)
        if typed:
            en = (f"defined in {len(places)} places ({where}): each gives its type, and the descriptions merge (two employers, "
                  "two job titles). Keep one description; another file may add other facts without repeating the type.")
            fr = (f"défini à {len(places)} endroits ({where}) : chacun donne son type, et les descriptions se mélangent (deux "
                  "employeurs, deux fonctions). Gardez une seule description ; un autre fichier peut ajouter d'autres faits sans "
                  "répéter le type.")
        else:
            en = f"described in {len(places)} separate blocks of one file ({where}): gather them into one block."
            fr = f"décrit dans {len(places)} blocs séparés d'un même fichier ({where}) : réunissez-les en un seul bloc."
        results.append(Result(focus=subject.value, severity="Warning", messages={"en": en, "fr": fr}, constraint=DESCRIBED_TWICE,
                              sources=tuple(dict.fromkeys((p.file, p.line) for p in places))))
    return results


def graph_of_file(kg: KnowledgeGraph) -> list[Result]:
    """A data file must describe its own graph: the one its path gives (a renamed file keeps the old name)."""
    results = []
    prefix = kg.base + "graph/"
    graphs_described: dict[str, list] = {}
    for subject, places in kg.index.described.items():
        if isinstance(subject, ox.NamedNode) and subject.value.startswith(prefix):
            for place in places:
                graphs_described.setdefault(place.file, []).append((subject.value, place))
    for source in kg.sources:
        if source.role != "data":
            continue
        described = sorted(graphs_described.get(source.relpath, ()), key=lambda item: item[0])
        if any(iri == source.graph for iri, _ in described):
            continue
        others = [(ox.NamedNode(iri), place) for iri, place in described]
        relative = source.graph[len(kg.base):]
        if others:
            subject, place = others[0]
            en = (f"{source.relpath} describes the graph <{subject.value[len(kg.base):]}> (line {place.line}), but a file's graph "
                  f"is named after its path: this one is <{relative}>. Change the subject of its provenance block to <{relative}>.")
            fr = (f"{source.relpath} décrit le graphe <{subject.value[len(kg.base):]}> (ligne {place.line}), mais le graphe d'un "
                  f"fichier porte le nom de son chemin : celui-ci est <{relative}>. Changez le sujet de son bloc de provenance en <{relative}>.")
            sources = ((source.relpath, place.line),)
        else:
            en = (f"{source.relpath} does not describe its own graph <{relative}>: add a block "
                  f"<{relative}> a prov:Entity ; dcterms:title …@fr, …@en ; dcterms:source … ; dcterms:license <…> .")
            fr = (f"{source.relpath} ne décrit pas son propre graphe <{relative}> : ajoutez un bloc "
                  f"<{relative}> a prov:Entity ; dcterms:title …@fr, …@en ; dcterms:source … ; dcterms:license <…> .")
            sources = ((source.relpath, None),)
        results.append(Result(focus=source.graph, severity="Violation", messages={"en": en, "fr": fr}, constraint=GRAPH_OF_FILE,
                              sources=sources))
    return results


def vocabulary_results(kg: KnowledgeGraph, project: Project) -> list[Result]:
    return [
        Result(focus=f.focus, severity=f.severity, messages=f.messages, path=f.path, value=compact(f.term), constraint=f.constraint,
               sources=((f.file, f.line),))
        for f in vocabulary.check(kg, project)
    ]


def project_results(kg: KnowledgeGraph, project: Project) -> list[Result]:
    """Every project check's results; an index of the sources is needed (``load.load`` builds it)."""
    if kg.index is None:
        return vocabulary_results(kg, project)
    return vocabulary_results(kg, project) + described_twice(kg) + graph_of_file(kg)
