"""Where each entity is described in the source files: built once at load, so a validation result
costs one dictionary lookup to name its file and line, whatever the size of the files."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Place:
    """One block of a source file describing a subject: the file, the block's first line, and whether
    the block gives the subject a type (rdf:type)."""

    file: str
    line: int | None
    typed: bool = field(default=False, compare=False)


def _written_forms(term, base: str, prefixes: dict) -> list[str]:
    """How a subject may be written: <iri>, <relative>, prefix:local (Turtle), "iri" (JSON-LD)."""
    if not isinstance(term, ox.NamedNode):
        return []
    iri = term.value
    forms = [f"<{iri}>"]
    if iri.startswith(base):
        forms.append(f"<{iri[len(base):]}>")
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            forms.append(f"{prefix}:{iri[len(namespace):]}")
    return forms


class FileIndexer:
    """The blocks of one file, in the order the parser yields them, and the line each one starts at.

    Lines are found after the parse in the file's text: the k-th block's subject is looked for from the
    line of the (k-1)-th block on, first at the start of a line (where Turtle writes subjects), then
    anywhere on a line. A subject the text does not show (a blank node) has no line."""

    def __init__(self, display: str, base: str):
        self.display = display
        self.base = base
        self.blocks: list = []  # [subject, typed]
        # Set by the loader when the current block states the subject's rdf:type.
        self.typed = False

    def new_subject(self, subject) -> None:
        """Called when the triples move on to another (non-blank) subject."""
        self._close()
        self.blocks.append([subject, False])
        self.typed = False

    def _close(self) -> None:
        if self.blocks and self.typed:
            self.blocks[-1][1] = True

    def places(self, text: str | None, prefixes: dict, json: bool = False) -> dict:
        self._close()
        lines = text.splitlines() if text is not None else []
        cursor = 0
        found: dict = {}
        for subject, typed in self.blocks:
            forms = _written_forms(subject, self.base, prefixes)
            if json:
                forms = [f'"{f[1:-1]}"' for f in forms if f.startswith("<")]
            line = self._find(lines, cursor, forms, json)
            if line is not None:
                cursor = line
            found.setdefault(subject, []).append(Place(self.display, None if line is None else line + 1, typed))
        return found

    @staticmethod
    def _find(lines: list[str], cursor: int, forms: list[str], anywhere: bool, window: int = 400) -> int | None:
        # A subject starts its line in Turtle, unindented; an object continuing a list is indented. A
        # line holding the name elsewhere is the last resort (and all JSON-LD can offer).
        starts = tuple(forms)
        end = min(len(lines), cursor + window)
        if not starts:
            return None
        if not anywhere:
            for n in range(cursor, end):
                if lines[n].startswith(starts):
                    return n
            for n in range(cursor, end):
                if lines[n].lstrip().startswith(starts):
                    return n
        for n in range(cursor, end):
            if any(form in lines[n] for form in starts):
                return n
        return None


class SourceIndex:
    """Every file's description blocks, merged: subject -> the places where it is described."""

    def __init__(self):
        self.described: dict = {}

    def add(self, places: dict) -> None:
        for subject, found in places.items():
            self.described.setdefault(subject, []).extend(found)

    def without(self, files: set[str]) -> "SourceIndex":
        """A new index without the places of these files."""
        index = SourceIndex()
        for subject, places in self.described.items():
            kept = [p for p in places if p.file not in files]
            if kept:
                index.described[subject] = kept
        return index

    def places(self, term) -> tuple[Place, ...]:
        """Where ``term`` is described as a subject (every block)."""
        return tuple(self.described.get(term, ()))

    def described_twice(self):
        """(subject, places, typed) for subjects described in two blocks of one file, or given their type
        (rdf:type) in two files: two definitions that merge. A second file adding other facts about an
        entity (coordinates, a sub-event) is how a project keeps facts of other sources apart."""
        for subject, places in self.described.items():
            if len(places) < 2:
                continue
            if len({p.file for p in places}) < len(places):
                yield subject, tuple(places), False
                continue
            typed = [p for p in places if p.typed]
            if len(typed) > 1:
                yield subject, tuple(typed), True
