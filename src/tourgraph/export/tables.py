"""CSV tables of the public graph (people, organisations, places, events, participations): their rows;
their columns are declared in ``tablecolumns``, their descriptions written by ``tablemeta``.

Entity tables have one row per entity (an IRI ``{base}{kind}/{slug}`` with a ``schema:name``), sorted
by IRI, and a fixed column order. Translated text has one column per project language plus one for
text without a language tag, so each cell maps back to exactly the literal it came from. A list of
IRIs cannot be mapped by CSVW (a URI template turns a list into one IRI), so multi-valued link columns
are for people reading the table; the RDF dumps and participations.csv carry those links.
"""

from __future__ import annotations

from dataclasses import replace

import pyoxigraph as ox

from ..graph import SCHEMA, KnowledgeGraph
from .tablecolumns import CSVW_DATATYPES, GENERIC_ROLES, KINDS, PARTICIPATION_COLUMNS, ROLES, XSD, Column, Table

SCHEMA_NAME = SCHEMA + "name"


class Objects:
    """Distinct objects of a property over all named graphs, in a stable order, looked up by subject.

    Each property is read with one scan of the store, then served from memory: tables ask for
    millions of cells on a large graph.
    """

    def __init__(self, store: ox.Store, written=()):
        self.store = store
        self._by_property: dict[str, dict] = {}
        # Literals as the source files write them, where the store keeps another form (as the dumps).
        self._written: dict = {}
        for stored, original in written:
            self._written.setdefault(stored, []).append(original.object)

    def __call__(self, subject, prop: str) -> list:
        return self.table(prop).get(subject, [])

    def table(self, prop: str) -> dict:
        """Subject -> its distinct objects of ``prop``, sorted."""
        table = self._by_property.get(prop)
        if table is None:
            found: dict = {}
            written, literal = self._written, ox.Literal
            for q in self.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
                obj = q.object
                # Only literals have another written form; most subjects have one value of a property.
                objects = written.get(q, (obj,)) if written and type(obj) is literal else (obj,)
                held = found.get(q.subject)
                if held is None:
                    found[q.subject] = set(objects)
                else:
                    held.update(objects)
            table = self._by_property[prop] = {
                s: [*objects] if len(objects) == 1 else sorted(objects, key=_term_order) for s, objects in found.items()
            }
        return table


def _term_order(term) -> tuple:
    return type(term).__name__, str(term)


def _literal_fits(lit: ox.Literal, column: Column) -> bool:
    if column.lang:
        return (lit.language or "").lower() == column.lang
    if lit.language:
        return False
    if column.kind == "label":
        return True
    if column.datatype == "string":
        return lit.datatype.value == XSD + "string"
    return CSVW_DATATYPES.get(lit.datatype.value) == column.datatype


def _cells(store: Objects, column: Column, subjects: list) -> list[str]:
    """The column's cell for each row, whose subject is given (None: an empty cell)."""
    if column.kind == "id":
        return [s.value for s in subjects]
    if column.prop is None:
        return [""] * len(subjects)
    table = store.table(column.prop)
    literal, named = ox.Literal, ox.NamedNode
    cells = []
    # A million cells at scale: one pass per column, terms tested by exact type.
    for subject in subjects:
        values = table.get(subject) if subject is not None else None
        if not values:
            cells.append("")
        elif column.kind in ("literal", "label"):
            texts = [v.value for v in values if type(v) is literal and _literal_fits(v, column)]
            if column.multi:
                # CSVW has no escape for its separator: a value containing it stays in the RDF dumps only.
                cells.append("|".join(t for t in texts if "|" not in t))
            else:
                cells.append(texts[0] if texts else "")
        else:
            iris = [v.value for v in values if type(v) is named]
            cells.append(" ".join(iris) if column.kind == "links" else (iris[0] if iris else ""))
    return cells


def _entities(kg: KnowledgeGraph, kind: str, store: Objects) -> list[ox.NamedNode]:
    """The named nodes under ``{base}{kind}/`` that have a name: addresses and coordinates have none,
    so stay out."""
    prefix, named = f"{kg.base}{kind}/", ox.NamedNode
    return sorted((s for s in store.table(SCHEMA_NAME) if type(s) is named and s.value.startswith(prefix)), key=lambda n: n.value)


def _settle(store: Objects, column: Column, subjects: list) -> Column:
    """A typed column with the datatype its values have, or unmapped when they mix datatypes."""
    # A CSVW column has one datatype: mixed values keep their lexical forms, for readers only.
    if column.kind != "literal" or column.datatype == "string" or column.lang:
        return column
    seen = {
        CSVW_DATATYPES.get(v.datatype.value)
        for subject in subjects
        if subject is not None
        for v in store(subject, column.prop)
        if isinstance(v, ox.Literal) and not v.language
    }
    if not seen:
        return column
    if len(seen) == 1 and None not in seen:
        return replace(column, datatype=seen.pop())
    return replace(column, kind="label", datatype="string")


def _entity_table(kg: KnowledgeGraph, name: str, kind: str, columns: list[Column], title, description, store: Objects) -> Table:
    entities = _entities(kg, kind, store)
    cells: dict[str, list[str]] = {}
    settled = []
    # Column by column, so that a typed column sees the subjects its "about" column already holds.
    for column in columns:
        if column.about:
            subjects = [ox.NamedNode(iri) if iri else None for iri in cells[column.about]]
        else:
            subjects = entities
        column = _settle(store, column, subjects)
        settled.append(column)
        cells[column.name] = _cells(store, column, subjects)
    return Table(
        name=name,
        title={"fr": title[0], "en": title[1]},
        description={"fr": description[0], "en": description[1]},
        columns=tuple(settled),
        rows=tuple(zip(*(cells[c.name] for c in settled))) if entities else (),
    )


def display_name(store: Objects, node, languages=("fr", "en")) -> str:
    """A name for people reading a table: untagged, else in the first project language that has one."""
    names = [v for v in store(node, SCHEMA_NAME) if isinstance(v, ox.Literal)]
    for lang in (None, *languages):
        for value in names:
            if (value.language or None) == lang:
                return value.value
    return names[0].value if names else ""


def _participations(kg: KnowledgeGraph, languages, store: Objects) -> Table:
    found: dict[tuple, set] = {}
    for role, prop in ROLES:
        for quad in kg.store.quads_for_pattern(None, ox.NamedNode(prop), None, None):
            if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.NamedNode):
                found.setdefault((quad.subject.value, quad.object.value), set()).add(role)
    order = {role: i for i, (role, _) in enumerate(ROLES)}
    props = dict(ROLES)
    rows = []
    for (event, participant), roles in found.items():
        specific = {r for r in roles if props[r] not in GENERIC_ROLES}
        for role in sorted(specific or roles, key=order.get):
            rows.append((event, order[role], participant, role))
    rows.sort()
    return Table(
        name="participations",
        title={"fr": "Participations", "en": "Participations"},
        description={
            "fr": "Qui prend part à quel événement, et à quel titre : une ligne par participation.",
            "en": "Who takes part in which event, and in which role: one row per participation.",
        },
        columns=PARTICIPATION_COLUMNS,
        rows=tuple(
            (
                event,
                display_name(store, ox.NamedNode(event), languages),
                role,
                participant,
                display_name(store, ox.NamedNode(participant), languages),
                props[role],
            )
            for event, _, participant, role in rows
        ),
        about="{+event}",
        primary_key=("event", "role", "participant"),
    )


def tables(kg: KnowledgeGraph, languages=("fr", "en")) -> list[Table]:
    """Every table of the bundle, from the public graph."""
    languages = tuple(languages)
    objects = Objects(kg.store, kg.written)
    result = [_entity_table(kg, name, kind, make(languages), title, description, objects) for name, kind, make, title, description in KINDS]
    result.append(_participations(kg, languages, objects))
    return result
