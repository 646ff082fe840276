"""What a SPARQL request may do here, decided by tokenising it the way Oxigraph's parser reads it:
strings, comments and IRIs are skipped as units, so a keyword inside them never counts and a keyword
outside them is never missed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from .graph import PREFIXES

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})

_WS = re.compile(r"[ \t\r\n]+")
_IRIREF = re.compile(r'<(?:[^\x00-\x20<>"{}|^`\\]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>')
_PN_CHARS_BASE = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
_PN_CHARS = _PN_CHARS_BASE + r"_\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PNAME = re.compile(
    rf"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
    rf"(?:(?:[{_PN_CHARS_BASE}_:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?"
)
_BNODE = re.compile(rf"_:[{_PN_CHARS_BASE}_0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?")
_VAR = re.compile(rf"[?$][{_PN_CHARS_BASE}_0-9][{_PN_CHARS_BASE}_0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?")
_LANGTAG = re.compile(r"@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*")
_LONG_STRING = {'"""': re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""', re.S), "'''": re.compile(r"'''(?:[^'\\]|\\.|'(?!''))*'''", re.S)}
_SHORT_STRING = {'"': re.compile(r'"(?:[^"\\\r\n]|\\.)*"'), "'": re.compile(r"'(?:[^'\\\r\n]|\\.)*'")}


class Refused(Exception):
    """A request this endpoint will not run, with its HTTP status and a one-line reason."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class Token:
    kind: str  # word, iri, pname, var, string, other
    text: str
    start: int = field(default=0, compare=False)


@dataclass(frozen=True)
class QueryInfo:
    """The form of a checked query and the graphs its FROM / FROM NAMED clauses name."""

    form: str
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def tokenize(text: str) -> list[Token]:
    """SPARQL tokens; raises Refused(400) on text no SPARQL parser would accept (e.g. an open string)."""
    tokens: list[Token] = []
    pos, end = 0, len(text)
    while pos < end:
        char = text[pos]
        if match := _WS.match(text, pos):
            pos = match.end()
            continue
        if char == "#":
            newline = re.compile(r"[\r\n]").search(text, pos)
            pos = newline.start() if newline else end
            continue
        if char in "\"'":
            triple = text[pos:pos + 3]
            pattern = _LONG_STRING.get(triple) or _SHORT_STRING[char]
            match = pattern.match(text, pos)
            if not match:
                raise Refused(400, f"SPARQL syntax error: unterminated string at character {pos + 1}.")
            tokens.append(Token("string", match.group(), pos))
            pos = match.end()
            continue
        if char == "<" and (match := _IRIREF.match(text, pos)):
            tokens.append(Token("iri", match.group()[1:-1], pos))
            pos = match.end()
            continue
        if char in "?$" and (match := _VAR.match(text, pos)):
            tokens.append(Token("var", match.group(), pos))
            pos = match.end()
            continue
        if char == "_" and (match := _BNODE.match(text, pos)):
            tokens.append(Token("other", match.group(), pos))
            pos = match.end()
            continue
        if match := _PNAME.match(text, pos):
            tokens.append(Token("pname", match.group(), pos))
            pos = match.end()
            continue
        if match := _WORD.match(text, pos):
            tokens.append(Token("word", match.group().upper(), pos))
            pos = match.end()
            continue
        if char == "@" and (match := _LANGTAG.match(text, pos)):
            tokens.append(Token("other", match.group(), pos))
            pos = match.end()
            continue
        if match := _NUMBER.match(text, pos):
            tokens.append(Token("other", match.group(), pos))
            pos = match.end()
            continue
        if char == "\\":
            # Outside strings and IRIs a backslash is never SPARQL; refusing it keeps escapes from
            # smuggling a keyword past this reading.
            raise Refused(400, f"SPARQL syntax error: unexpected backslash at character {pos + 1}.")
        tokens.append(Token("other", char, pos))
        pos += 1
    return tokens


def _resolve(token: Token, prefixes: dict[str, str], base: str | None) -> str:
    if token.kind == "iri":
        return urljoin(base, token.text) if base else token.text
    prefix, _, local = token.text.partition(":")
    if prefix not in prefixes:
        raise Refused(400, f"SPARQL syntax error: undeclared prefix {prefix}:.")
    return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)


def _refuse_glued(token: Token) -> None:
    """Refuse a word or prefix that starts with SERVICE, FROM or NAMED without being exactly it."""
    # Oxigraph reads a keyword glued to what follows (SERVICEex:x, FROMNAMED<g>) as two tokens.
    head = token.text.partition(":")[0].upper() if token.kind == "pname" else token.text
    if head.startswith("SERVICE"):
        raise Refused(403, "SERVICE (federated query) is disabled: this endpoint never makes outbound requests.")
    for keyword in ("FROM", "NAMED"):
        if head.startswith(keyword) and (head != keyword or token.kind == "pname"):
            raise Refused(400, f"SPARQL syntax error: put a space after {keyword} ({token.text!r} is ambiguous).")


@lru_cache(maxsize=2048)
def inspect(text: str) -> QueryInfo:
    """Check a query: its form, no SERVICE, no update; the graphs its dataset clause names."""
    tokens = tokenize(text)
    prefixes = dict(PREFIXES)
    base = None
    form = None
    default: list[str] = []
    named: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in ("word", "pname"):
            _refuse_glued(token)
        if token.kind == "word":
            word = token.text
            if form is None:
                if word in UPDATE_KEYWORDS:
                    raise Refused(403, "this endpoint is read-only: SPARQL updates are refused.")
                if word == "PREFIX" and index + 2 < len(tokens) and tokens[index + 1].kind == "pname" and tokens[index + 2].kind == "iri":
                    prefixes[tokens[index + 1].text.rstrip(":")] = tokens[index + 2].text
                    index += 3
                    continue
                if word == "BASE" and index + 1 < len(tokens) and tokens[index + 1].kind == "iri":
                    base = tokens[index + 1].text
                    index += 2
                    continue
                if word in QUERY_FORMS:
                    form = word
                else:
                    raise Refused(400, f"SPARQL syntax error: expected SELECT, CONSTRUCT, DESCRIBE or ASK, found {word}.")
            elif word == "FROM":
                is_named = index + 1 < len(tokens) and tokens[index + 1] == Token("word", "NAMED")
                target = index + (2 if is_named else 1)
                if target >= len(tokens) or tokens[target].kind not in ("iri", "pname"):
                    raise Refused(400, "SPARQL syntax error: FROM must be followed by a graph IRI.")
                (named if is_named else default).append(_resolve(tokens[target], prefixes, base))
                index = target + 1
                continue
        elif form is None and token.kind != "word":
            raise Refused(400, "SPARQL syntax error: a query starts with PREFIX, BASE, SELECT, CONSTRUCT, DESCRIBE or ASK.")
        index += 1
    if form is None:
        raise Refused(400, "SPARQL syntax error: empty query.")
    return QueryInfo(form=form, default_graphs=tuple(default), named_graphs=tuple(named))


def where_start(text: str) -> int:
    """Offset just inside the brace that opens the query's WHERE group (-1 when there is none)."""
    construct = seen_where = False
    for token in tokenize(text):
        if token.kind == "word" and token.text == "CONSTRUCT":
            construct = True
        elif token.kind == "word" and token.text == "WHERE":
            seen_where = True
        elif token.kind == "other" and token.text == "{" and (seen_where or not construct):
            # A CONSTRUCT template's braces come before WHERE; only the brace after it opens the pattern.
            return token.start + 1
    return -1


def check_graphs(iris, known: frozenset[str], what: str) -> None:
    """Refuse graph IRIs that are not graphs of the dataset (they would otherwise name remote data)."""
    for iri in iris:
        if iri not in known:
            raise Refused(400, f"{what} <{iri}> is not a graph of this dataset (see the service description).")
