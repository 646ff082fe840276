"""Parameters bound in the query text, for SPARQL endpoints that cannot take the engine's
substitutions (SEP-0007): a trailing VALUES clause, legal after every query form, used only where it
gives the answers the substitution gives. Decided on rdflib's parse and algebra of the query.

Why the rules: Oxigraph substitutes by giving every operator of the query an initial binding (the
variable is bound before anything is evaluated), while a trailing VALUES clause joins the solutions
of the WHERE clause (after GROUP BY and HAVING, before the SELECT expressions). The two agree when
the parameter is absent from the WHERE clause (the join only adds it), or when every solution binds
it and every use sees it bound (the join then only filters). They differ where the variable may be
unbound when used: only inside OPTIONAL, MINUS or one side of a UNION, in a FILTER or BIND before a
pattern binds it, inside a sub-SELECT, at the end of a path that can have length zero, or under a
GROUP BY that does not group by it. Those queries are refused with the reason.

Where the query has a WHERE group, the VALUES clause goes first inside it rather than after the
query: the same answers under the same rules (a join of one row, now before the patterns, as the
substitution's initial binding is), and what Virtuoso 7.2 reads right — it ignores a trailing VALUES
clause in a query whose WHERE clause has a BIND, and returns every tour's rows. The parser decides
which brace opens the WHERE group: the clause is tried after each brace in turn and kept where the
parse shows it as the group's first element, the rest of the group unchanged."""

from __future__ import annotations

from pyparsing import ParseResults
from rdflib.paths import AlternativePath, InvPath, MulPath, Path, SequencePath
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Variable

from .sparql_guard import Refused, parse

_MODIFIERS = ("Slice", "Distinct", "Reduced", "Project", "OrderBy")


class Unbindable(Exception):
    """No text binding of these parameters gives the engine's answers; the message says why."""


def _occurs(node, name: str) -> bool:
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Variable):
            if str(item) == name:
                return True
        elif isinstance(item, (list, tuple, set, frozenset, ParseResults)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _certain(node) -> set[str]:
    """Variables bound in every solution of an algebra node."""
    if not isinstance(node, CompValue):
        return set()
    name = node.name
    if name == "BGP":
        return {str(t) for triple in node.triples for t in triple if isinstance(t, Variable)}
    if name == "Join":
        return _certain(node.p1) | _certain(node.p2)
    if name in ("LeftJoin", "Minus"):
        return _certain(node.p1)
    if name == "Union":
        return _certain(node.p1) & _certain(node.p2)
    if name in ("Filter", "Extend"):
        return _certain(node.p)
    if name == "Graph":
        return _certain(node.p) | ({str(node.term)} if isinstance(node.term, Variable) else set())
    if name == "ToMultiSet" and isinstance(node.p, CompValue) and node.p.name == "values":
        rows = node.p.res or []
        bound = [{str(v) for v, t in row.items() if t != "UNDEF"} for row in rows]
        return set.intersection(*bound) if bound else set()
    return set()


def _may_be_empty(path) -> bool:
    if isinstance(path, MulPath):
        return path.mod in ("*", "?") or _may_be_empty(path.path)
    if isinstance(path, SequencePath):
        return all(_may_be_empty(p) for p in path.args)
    if isinstance(path, AlternativePath):
        return any(_may_be_empty(p) for p in path.args)
    if isinstance(path, InvPath):
        return _may_be_empty(path.arg)
    return False


def _problem(node, name: str) -> str | None:
    """Why a trailing VALUES binding of ``name`` would differ from substitution inside this node."""
    if not _occurs(node, name):
        return None
    kind = node.name
    if kind == "BGP":
        for subject, predicate, obj in node.triples:
            ends = {str(t) for t in (subject, obj) if isinstance(t, Variable)}
            if name in ends and isinstance(predicate, Path) and _may_be_empty(predicate):
                return "it is an end of a property path that can have length zero (* or ?)"
        return None
    if kind in ("Join", "Union"):
        return _problem(node.p1, name) or _problem(node.p2, name)
    if kind == "Graph":
        return _problem(node.p, name)
    if kind in ("LeftJoin", "Minus"):
        word = "OPTIONAL" if kind == "LeftJoin" else "MINUS"
        if (_occurs(node.p2, name) or _occurs(node.expr, name)) and name not in _certain(node.p1):
            return f"it is used inside {word} but not bound by the patterns before it"
        return _problem(node.p1, name) or _problem(node.p2, name)
    if kind == "Filter":
        if _occurs(node.expr, name) and name not in _certain(node.p):
            return "it is used in a FILTER of a group whose patterns do not bind it"
        return _problem(node.p, name)
    if kind == "Extend":
        if str(node.var) == name:
            return "the query assigns it (BIND … AS)"
        if _occurs(node.expr, name) and name not in _certain(node.p):
            return "it is used in a BIND before a pattern binds it"
        return _problem(node.p, name)
    if kind == "ToMultiSet":
        return None if node.p.name == "values" else "it is used inside a sub-SELECT"
    return f"it is used inside {kind}, which a text binding cannot follow"


def _pattern(root: CompValue, query: CompValue):
    """The WHERE clause's algebra under the query's modifiers, and whether the query groups."""
    top = node = root.p
    # A grouping query's chain is modifiers, SELECT expressions, HAVING, then the aggregation.
    while isinstance(node, CompValue) and node.name in _MODIFIERS + ("Extend", "Filter"):
        node = node.p
    if isinstance(node, CompValue) and node.name == "AggregateJoin":
        return node.p.p, True
    node = top
    select_expressions = [p for p in query.projection or () if p.evar is not None]
    while isinstance(node, CompValue) and node.name in _MODIFIERS:
        node = node.p
    for expression in reversed(select_expressions):
        if not (isinstance(node, CompValue) and node.name == "Extend" and node.var == expression.evar):
            raise Unbindable("its SELECT expressions could not be told apart from the WHERE clause")
        node = node.p
    return node, False


def _why_not(root: CompValue, query: CompValue, name: str) -> str | None:
    if query.valuesClause is not None:
        return "the query already ends with a VALUES clause"
    assigned = [p.evar for p in query.projection or () if p.evar is not None]
    if any(str(v) == name for v in assigned):
        return "the query assigns it in its SELECT clause"
    # The engine substitutes only variables a SELECT or DESCRIBE returns; so must the text binding.
    if query.name in ("SelectQuery", "DescribeQuery") and name not in {str(v) for v in root.PV}:
        return f"it is not in the {query.name.removesuffix('Query').upper()} clause (add ?{name} to it)"
    pattern, grouped = _pattern(root, query)
    used = pattern is not None and _occurs(pattern, name)
    if grouped:
        keys = {str(c) for c in (query.groupby.condition if query.groupby else ()) if isinstance(c, Variable)}
        if name not in keys or not used:
            return "the query groups its solutions: a parameter must be a GROUP BY variable bound by the WHERE clause"
    if used and name not in _certain(pattern):
        return "it is not bound by every solution of the WHERE clause (used only in OPTIONAL, MINUS, one side of a UNION or a FILTER)"
    return _problem(pattern, name) if used else None


def bind_values(text: str, terms: dict, prefixes: dict | None = None, base: str | None = None) -> str:
    """The query text with the terms bound by a trailing VALUES clause; raises Unbindable or Refused."""
    if not terms:
        return text
    tree = parse(text)
    query = tree[1]
    try:
        root = translateQuery(parse(text), base=base, initNs=prefixes or {}).algebra
    except Exception as exc:  # rdflib raises plain Exceptions for queries its algebra does not take
        raise Unbindable(f"rdflib cannot translate the query ({exc})") from None
    for name in terms:
        if (why := _why_not(root, query, name)) is not None:
            raise Unbindable(f"parameter {name} cannot be bound in the text for a remote endpoint: {why}.")
    names = " ".join(f"?{n}" for n in terms)
    row = " ".join(str(t) for t in terms.values())
    clause = f"VALUES ({names}) {{ ({row}) }}"
    leading = _first_in_where(text, query, clause, list(terms))
    if leading is not None:
        return leading
    # A newline first: the text may end inside a comment.
    bound = f"{text.rstrip()}\n{clause}\n"
    values = parse(bound)[1].valuesClause
    if values is None or [str(v) for v in values.var] != list(terms):
        raise Refused(400, "the VALUES clause added for the parameters did not parse as one (is the query complete?)")
    return bound


def _parts(where) -> list | None:
    if not isinstance(where, CompValue) or where.name != "GroupGraphPatternSub":
        return None
    return list(where.get("part") or [])


def _first_in_where(text: str, query: CompValue, clause: str, names: list[str]) -> str | None:
    """The text with ``clause`` as the first element of the query's WHERE group, or None where the
    query has no such group (DESCRIBE without WHERE, a WHERE that is a sub-SELECT, CONSTRUCT WHERE)."""
    parts = _parts(query.get("where"))
    if parts is None or query.name == "ConstructQuery" and query.get("template") is None:
        return None
    brace = text.find("{")
    while brace != -1:
        candidate = f"{text[: brace + 1]} {clause} {text[brace + 1:]}"
        try:
            tried = _parts(parse(candidate)[1].get("where"))
        except Refused:
            tried = None
        if tried is not None and len(tried) == len(parts) + 1 and tried[0].name == "InlineData" and [str(v) for v in tried[0].var] == names:
            return candidate
        brace = text.find("{", brace + 1)
    return None
