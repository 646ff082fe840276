"""Project files -> a dataset with one named graph per file; parse errors name the file and line.

Every file is parsed by Oxigraph once, as it is written: the same pass gives blank nodes labels that
are stable across runs, records where each entity is described (``locations``), and keeps the typed
literals that Oxigraph's store would rewrite ("49.1940"^^xsd:decimal is stored as "49.194",
"3"^^xsd:byte as "3"^^xsd:integer) so that validation and the dumps can use them as written.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import re
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from .errors import InputError
from .graph import RDF_TYPE, TG, KnowledgeGraph, Source
from .locations import FileIndexer, Place, SourceIndex
from .materialise import Supers, materialise_in_place
from .project import RDF_EXTENSIONS, Project, is_sheet

_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "n-triples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "n-quads": ox.RdfFormat.N_QUADS,
}
_XSD = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING = _XSD + "string"

SOURCE_GRAPH = ox.NamedNode(TG + "SourceGraph")


def graph_iri(project: Project, path: Path, role: str) -> str:
    """``{base}graph/<path under data/ without extension>``; ontology files under ``graph/ontology/``.

    Characters an IRI cannot hold (a space, brackets) are percent-encoded: ``tour (copy).ttl`` is the
    graph ``…/tour%20%28copy%29``."""
    folder = project.folder("data" if role == "data" else "ontology")
    stem = path.relative_to(folder).with_suffix("").as_posix()
    return project.base + ("graph/" if role == "data" else "graph/ontology/") + quote(stem, safe="/-._~!$&'*+,;=:@")


def _decoded(data: bytes, display: str) -> bytes:
    """The file's bytes as UTF-8 without a byte-order mark; other encodings are a clear error."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(
            "the file is saved as UTF-16; save it as UTF-8 (in your editor: Save As… → Encoding: UTF-8).",
            path=display, fr="le fichier est enregistré en UTF-16 ; enregistrez-le en UTF-8 (dans l'éditeur : Enregistrer sous… → Encodage : UTF-8).")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        byte = data[exc.start:exc.start + 1].hex()
        raise InputError(
            f"not UTF-8 text (byte 0x{byte} cannot be read; the file is probably saved as Latin-1 or Windows-1252): "
            "save it as UTF-8 (in your editor: Save As… → Encoding: UTF-8).",
            path=display, line=line,
            fr=f"ce n'est pas du texte UTF-8 (l'octet 0x{byte} est illisible ; le fichier est sans doute en Latin-1 ou "
               "Windows-1252) : enregistrez-le en UTF-8 (dans l'éditeur : Enregistrer sous… → Encodage : UTF-8).") from None
    return data


class Parsed:
    """One parsed file: its quads (stable blank-node labels), its index and its rewritable literals."""

    def __init__(self, quads: list, places: dict, literals: list):
        self.quads = quads
        self.places = places
        self.literals = literals


def parse_source(path: Path, base: str, graph: ox.NamedNode, display: str, store: ox.Store | None = None,
                 supers: Supers | None = None) -> Parsed:
    """Parse one file into quads of ``graph``, with the place of each subject's description blocks.

    Given a store, a file without blank nodes is loaded into it by Oxigraph's own loader and
    ``Parsed.quads`` holds only what else is to be added: the quads of a file with blank nodes
    (relabelled), and the super-terms ``supers`` implies."""
    if is_sheet(path):
        from .sheets import parse_sheet  # spreadsheets with their CSVW metadata (sheets/)

        parsed = parse_sheet(path, base, graph, display)
        if supers is not None:
            parsed.quads += [i for q in parsed.quads if q.predicate in supers.properties or q.predicate == RDF_TYPE and q.object in supers.classes
                             for i in supers.inferred(q)]
        return parsed
    fmt = _FORMATS[RDF_EXTENSIONS[path.suffix]]
    with _reading(display):
        data = _decoded(path.read_bytes(), display)
    native = store is not None and b"_:" not in data and b"[" not in data and fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
    if native:
        with _reading(display):
            store.load(data, format=fmt, base_iri=base, to_graph=graph)
    salt = hashlib.sha1(display.encode()).hexdigest()[:8]
    labels: dict[str, ox.BlankNode] = {}
    indexer = FileIndexer(display, base)
    quads, literals = [], []
    current = None
    literal_type, blank_type = ox.Literal, ox.BlankNode
    with _reading(display):
        parser = ox.parse(data, format=fmt, base_iri=base)
        for quad in parser:
            subject, predicate, obj = quad.subject, quad.predicate, quad.object
            if not native:
                if type(subject) is blank_type:
                    subject = labels.get(subject.value) or labels.setdefault(subject.value, ox.BlankNode(f"b{salt}n{len(labels)}"))
                if type(obj) is blank_type:
                    obj = labels.get(obj.value) or labels.setdefault(obj.value, ox.BlankNode(f"b{salt}n{len(labels)}"))
                quads.append(ox.Quad(subject, predicate, obj, graph))
            if supers is not None and (predicate in supers.properties or predicate == RDF_TYPE and obj in supers.classes):
                quads += supers.inferred(ox.Quad(subject, predicate, obj, graph))
            if subject != current and type(subject) is not blank_type:
                indexer.new_subject(subject)
                current = subject
            if predicate == RDF_TYPE and subject == current:
                indexer.typed = True
            if type(obj) is literal_type and not obj.language:
                datatype = obj.datatype.value
                if datatype.startswith(_XSD) and datatype != _XSD_STRING:
                    literals.append(ox.Quad(subject, predicate, obj, graph))
        prefixes = parser.prefixes
    places = indexer.places(data.decode("utf-8"), prefixes, json=fmt == ox.RdfFormat.JSON_LD)
    return Parsed(quads, places, literals)


def parse_file(path: Path, base: str, graph: ox.NamedNode, display: str) -> list[ox.Quad]:
    """The quads of one file in ``graph``."""
    return parse_source(path, base, graph, display).quads


def rewritten(quads) -> list[tuple[ox.Quad, ox.Quad]]:
    """(stored, written) pairs for the typed literals that Oxigraph's store keeps in another form."""
    if not quads:
        return []
    scratch = ox.Store()
    predicate = ox.NamedNode("urn:tourgraph:literal")
    scratch.bulk_extend(ox.Quad(ox.NamedNode(f"urn:tourgraph:i:{n}"), predicate, q.object) for n, q in enumerate(quads))
    pairs = []
    for stored in scratch.quads_for_pattern(None, predicate, None, None):
        written = quads[int(stored.subject.value.rsplit(":", 1)[1])]
        if stored.object != written.object:
            pairs.append((ox.Quad(written.subject, written.predicate, stored.object, written.graph_name), written))
    return sorted(pairs, key=lambda pair: str(pair[1]))


@contextmanager
def _reading(display: str):
    """Turn parser and file errors into InputError naming the file (and line)."""
    try:
        yield
    except SyntaxError as exc:
        message = re.sub(r"^Parser error at line \d+ column \d+: ", "", str(exc))
        raise InputError(f"syntax error: {message}", path=display, line=exc.lineno, fr=f"erreur de syntaxe : {message}") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason}): save the file as UTF-8.", path=display,
                         fr=f"ce n'est pas du texte UTF-8 ({exc.reason}) : enregistrez le fichier en UTF-8.") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read: {exc}", path=display, fr=f"lecture impossible : {exc}") from None


# Below this much data, starting a second process costs more than the half of the parsing it takes over.
PARALLEL_BYTES = 8 << 20


# Quads added to the store in batches: each bulk_extend is a transaction that costs far more than
# the few quads (inferred super-terms, the graph's type) most files add.
BATCH = 100_000


def _read(project: Project, paths: list[Path], role: str, store: ox.Store, supers: Supers | None):
    """Parse files into ``store``; yields (source, places, literals) per file, in order. The store is
    complete once the generator is exhausted."""
    pending: list = []
    for path in paths:
        iri = graph_iri(project, path, role)
        display = project.relpath(path)
        name = ox.NamedNode(iri)
        parsed = parse_source(path, project.base, name, display, store, supers)
        pending += parsed.quads
        if role == "data":
            # Typing each file's graph lets the shapes require its provenance.
            typed = ox.Quad(name, RDF_TYPE, SOURCE_GRAPH, name)
            pending += [typed, *(supers.inferred(typed) if supers is not None else ())]
        if len(pending) >= BATCH:
            store.bulk_extend(pending)
            pending = []
        yield Source(graph=iri, path=path, relpath=display, role=role), parsed.places, parsed.literals
    store.bulk_extend(pending)


def _pack_error(exc: BaseException) -> tuple:
    # Not pickle's own way: an error class may take keyword-only arguments (sheets' CellError).
    return type(exc), exc.args, dict(vars(exc))


def _unpack_error(packed: tuple) -> BaseException:
    cls, args, state = packed
    exc = cls.__new__(cls)
    exc.args = args
    vars(exc).update(state)
    return exc


def _read_elsewhere(project: Project, paths: list[Path], supers: Supers | None, conn) -> None:
    """In a forked process: parse data files, send back their quads (N-Quads) and what load keeps of each."""
    try:
        store = ox.Store()
        files = []
        for source, places, literals in _read(project, paths, "data", store, supers):
            flat = [(subject.value, place.line, place.typed) for subject, found in places.items() for place in found]
            files.append((source.path, flat, ox.serialize(literals, format=ox.RdfFormat.N_QUADS) if literals else b""))
        conn.send_bytes(pickle.dumps(("ok", store.dump(format=ox.RdfFormat.N_QUADS), files), protocol=pickle.HIGHEST_PROTOCOL))
    except BaseException as exc:  # the parent raises it, as if it had read the file itself
        conn.send_bytes(pickle.dumps(("error", _pack_error(exc))))
    finally:
        conn.close()


def _halves(paths: list[Path]) -> tuple[list[Path], list[Path]]:
    """The files in two runs of about the same size, the first run first."""
    sizes = [p.stat().st_size for p in paths]
    total, running = sum(sizes), 0
    for index, size in enumerate(sizes):
        running += size
        if running * 2 >= total:
            return paths[: index + 1], paths[index + 1:]
    return paths, []


def _read_data(project: Project, paths: list[Path], store: ox.Store, supers: Supers | None):
    """The data files read into ``store``: on two cores, the second half by a forked process meanwhile."""
    parallel = "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) > 1
    here, there = _halves(paths) if parallel and sum(p.stat().st_size for p in paths) >= PARALLEL_BYTES else (paths, [])
    if not there:
        yield from _read(project, here, "data", store, supers)
        return
    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)
    child = fork.Process(target=_read_elsewhere, args=(project, there, supers, send), daemon=True)
    child.start()
    send.close()
    try:
        yield from _read(project, here, "data", store, supers)
        try:
            outcome = pickle.loads(receive.recv_bytes())
        except EOFError:
            raise InputError("reading the data files in a second process failed.", fr="la lecture des données dans un second processus a échoué.") from None
    finally:
        receive.close()
        child.join()
    if outcome[0] == "error":
        raise _unpack_error(outcome[1])
    _, nquads, files = outcome
    store.load(nquads, format=ox.RdfFormat.N_QUADS, lenient=True)
    for path, flat, literals in files:
        display = project.relpath(path)
        places: dict = {}
        for subject, line, typed in flat:
            places.setdefault(ox.NamedNode(subject), []).append(Place(display, line, typed))
        quads = list(ox.parse(literals, format=ox.RdfFormat.N_QUADS)) if literals else []
        yield Source(graph=graph_iri(project, path, "data"), path=path, relpath=display, role="data"), places, quads


def load(project: Project, materialised: bool = True) -> KnowledgeGraph:
    """Read every RDF file under ontology/ and data/ into its own named graph, materialised (unless
    asked not to): the ontology is read first, so each data triple's super-terms are stated as its file
    is read, the same triples ``materialise`` would add to a graph loaded without them."""
    store = ox.Store()
    sources = []
    index = SourceIndex()
    literals: list = []
    supers = None
    for source, places, found in _read(project, project.rdf_files("ontology"), "ontology", store, None):
        sources.append(source)
        index.add(places)
        literals += found
    if materialised:
        supers = Supers(store)
        store.bulk_extend([i for q in store.quads_for_pattern(None, None, None, None) for i in supers.inferred(q)])
    for source, places, found in _read_data(project, project.rdf_files("data"), store, supers):
        sources.append(source)
        index.add(places)
        literals += found
    if not any(s.role == "data" for s in sources):
        raise InputError("no RDF files (.ttl, .nt, .jsonld, .trig, .nq) under data/.", path=project.relpath(project.folder("data")),
                         fr="aucun fichier RDF (.ttl, .nt, .jsonld, .trig, .nq) sous data/.")
    if supers is not None and Supers(store) != supers:
        # A data file declares super-classes or super-properties of its own: state them all again.
        materialise_in_place(store, Supers(store))
    return KnowledgeGraph(store=store, sources=tuple(sources), base=project.base, index=index, written=tuple(rewritten(literals)),
                          materialised=materialised)


def _fingerprint(path: Path) -> tuple:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def fingerprints(project: Project) -> dict[Path, tuple]:
    """Each source file and when it last changed: what ``reload`` compares."""
    return {path: _fingerprint(path) for role in ("ontology", "data") for path in project.rdf_files(role)}


def reload(kg: KnowledgeGraph, project: Project, before: dict[Path, tuple], now: dict[Path, tuple] | None = None) -> KnowledgeGraph:
    """The graph ``load`` would give now, made from ``kg`` (loaded when the files were as ``before``
    says) by reading again only the data files added or changed since, and dropping those removed.
    A change in ontology/ changes every file's super-terms: then everything is read again. ``kg`` is
    not changed. ``now``: the files' ``fingerprints`` taken just before, by a caller that keeps them."""
    now = fingerprints(project) if now is None else now
    ontology = project.folder("ontology")
    if not kg.materialised or any(before.get(p) != now.get(p) for p in {*before, *now} if p.is_relative_to(ontology)):
        return load(project)
    data = project.folder("data")
    changed = [p for p in now if p.is_relative_to(data) and before.get(p) != now[p]]
    removed = [p for p in before if p not in now]
    if not changed and not removed:
        return kg
    graphs = {graph_iri(project, p, "data") for p in changed + removed}
    store = kg.copy_store()
    for graph in graphs:
        store.remove_graph(ox.NamedNode(graph))
    index = kg.index.without({project.relpath(p) for p in changed + removed})
    supers = Supers(store)
    fresh, literals = {}, []
    for source, places, found in _read(project, changed, "data", store, supers):
        fresh[source.path] = source
        index.add(places)
        literals += found
    if Supers(store) != supers:
        # The change declares super-terms of its own: every file's inferred triples may differ.
        return load(project)
    order = {project.relpath(path): n for n, path in enumerate(now)}
    for places in index.described.values():
        places.sort(key=lambda place: order[place.file])
    sources = sorted([s for s in kg.sources if s.path in now and s.path not in fresh] + list(fresh.values()), key=lambda s: order[s.relpath])
    pairs = [pair for pair in kg.written if pair[0].graph_name.value not in graphs] + rewritten(literals)
    return KnowledgeGraph(store=store, sources=tuple(sources), base=kg.base, index=index,
                          written=tuple(sorted(pairs, key=lambda pair: str(pair[1]))), materialised=True)
