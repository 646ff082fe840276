"""Named triple stores of a project (``[stores.NAME]`` in tourgraph.toml), so that ``tourgraph publish
NAME`` and ``tourgraph query Q --store NAME`` need no URLs; the secrets stay in environment variables,
whose names a store may choose.

    [stores.regional]
    endpoint = "https://store.example/sparql-graph-crud-auth"   # Graph Store Protocol (publish)
    query = "https://store.example/sparql"                       # SPARQL queries (query --store)
    update = "https://store.example/sparql-auth"                 # SPARQL Update (atomic switch), optional
    graph = "graph/published"                                    # relative to [project] base, or absolute
    auth = "digest"                                              # auto, digest, basic, bearer or none
    user_env = "REGIONAL_USER"                                   # names of variables, never their values
    password_env = "REGIONAL_PASSWORD"
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from .errors import InputError
from .httpauth import DEFAULT_VARIABLES, SCHEMES, Credentials, from_environment
from .project import Project

REPLACE = ("auto", "put", "staged")
_URL_KEYS = ("endpoint", "query", "update")
_KEYS = (*_URL_KEYS, "graph", "auth", "replace", "user_env", "password_env", "token_env")
_SECRET_KEYS = {"user": "user_env", "password": "password_env", "token": "token_env"}
_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Store:
    """Where a project publishes and queries: URLs, graph, how to authenticate, how to replace."""

    name: str | None = None
    endpoint: str | None = None
    query: str | None = None
    update: str | None = None
    graph: str | None = None
    auth: str = "auto"
    replace: str = "auto"
    variables: dict = field(default_factory=lambda: dict(DEFAULT_VARIABLES))

    def credentials(self, environ=None) -> Credentials:
        return from_environment(self.variables, self.auth, environ)

    def label(self) -> str:
        return f"store {self.name}" if self.name else "the store"


def graph_iri(project: Project, value: str, option: str = "--graph") -> str:
    """A graph IRI, relative to the project's base or absolute, checked as an IRI (it is written into
    SPARQL Update text between angle brackets)."""
    iri = project.iri(value.strip())
    try:
        return ox.NamedNode(iri).value
    except ValueError as exc:
        raise InputError(f"{option}: {value!r} is not a valid IRI ({exc}).") from None


def check_url(url: str, option: str) -> str:
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise InputError(f"{option} must be an http(s) URL, not {url!r}.")
    return url


def _where(project: Project, name: str) -> tuple[str, int | None]:
    """tourgraph.toml and the line of its [stores.NAME] table, for messages."""
    path = project.root / "tourgraph.toml"
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError:
        return str(path), None
    pattern = re.compile(rf"^[ \t]*\[[ \t]*stores\s*\.\s*(?:{re.escape(name)}|\"{re.escape(name)}\")\s*\]", re.MULTILINE)
    match = pattern.search(text)
    return str(path), (text.count("\n", 0, match.start()) + 1 if match else None)


def configured(project: Project) -> dict:
    stores = project.config.get("stores", {})
    if not isinstance(stores, dict):
        raise InputError("[stores] must hold tables such as [stores.regional].", path=str(project.root / "tourgraph.toml"))
    return stores


def named_store(project: Project, name: str) -> Store:
    """The store ``[stores.NAME]`` of tourgraph.toml, checked; InputError naming the file and line."""
    stores = configured(project)
    if name not in stores:
        known = ", ".join(sorted(stores)) or "none"
        raise InputError(
            f"no store {name!r} in tourgraph.toml (stores: {known}); add a [stores.{name}] table with its endpoint.",
            path=str(project.root / "tourgraph.toml"),
        )
    path, line = _where(project, name)
    table = stores[name]
    fail = lambda message: InputError(f"[stores.{name}]: {message}", path=path, line=line)
    if not isinstance(table, dict):
        raise fail("must be a table of keys (endpoint = \"…\", query = \"…\").")
    for key in table:
        if key in _SECRET_KEYS:
            raise fail(f"{key} does not belong in tourgraph.toml: secrets stay in the environment; write "
                       f"{_SECRET_KEYS[key]} = \"NAME_OF_A_VARIABLE\" and set that variable.")
        if key not in _KEYS:
            raise fail(f"unknown key {key!r} (keys: {', '.join(_KEYS)}).")
    values = {}
    for key in _URL_KEYS:
        if key in table:
            try:
                values[key] = check_url(table[key], key)
            except InputError as exc:
                raise fail(exc.message) from None
    graph = table.get("graph")
    if graph is not None:
        if not isinstance(graph, str) or not graph.strip():
            raise fail(f"graph must be an IRI (absolute, or relative to the base), not {graph!r}.")
        try:
            graph = graph_iri(project, graph, "graph")
        except InputError as exc:
            raise fail(exc.message) from None
    auth = table.get("auth", "auto")
    if auth not in SCHEMES:
        raise fail(f"auth must be one of {', '.join(SCHEMES)}, not {auth!r}.")
    replace = table.get("replace", "auto")
    if replace not in REPLACE:
        raise fail(f"replace must be one of {', '.join(REPLACE)}, not {replace!r}.")
    variables = dict(DEFAULT_VARIABLES)
    for kind in ("user", "password", "token"):
        variable = table.get(f"{kind}_env")
        if variable is None:
            continue
        if not isinstance(variable, str) or not _VARIABLE.match(variable):
            raise fail(f"{kind}_env names an environment variable (letters, digits, _), not {variable!r}.")
        variables[kind] = variable
    return Store(
        name=name, graph=graph, auth=auth, replace=replace, variables=variables, **values
    )


@dataclass(frozen=True)
class QueryTarget:
    """Where a query runs remotely and which graphs it reads as its default graph (none: the store's own)."""

    endpoint: str
    graphs: tuple[str, ...]
    credentials: Credentials
    chosen: bool = False

    def describe(self) -> str:
        if not self.graphs:
            return "the store's own default graph (--all-graphs or the query's FROM)"
        listed = ", ".join(f"<{g}>" for g in self.graphs)
        return f"the graph{'s' if len(self.graphs) > 1 else ''} {listed}"


def query_target(project: Project, *, endpoint: str | None, store: str | None, graphs=(), all_graphs: bool = False,
                 has_dataset: bool = False) -> QueryTarget | None:
    """The remote side of ``tourgraph query``, or None for a local run. A store is read at the graph
    publish writes (the store's ``graph``, else publish.default_graph_iri) unless ``--graph`` names
    others, ``--all-graphs`` asks for the store's default graph, or the query names its own dataset."""
    from .publish import default_graph_iri

    if graphs and all_graphs:
        raise InputError("--graph and --all-graphs exclude each other: --graph reads the graphs named, --all-graphs the store's default graph.")
    if not endpoint and not store:
        if graphs or all_graphs:
            raise InputError("--graph and --all-graphs say what a store reads: give --endpoint URL or --store NAME too.")
        return None
    config = named_store(project, store) if store else Store()
    url = endpoint or config.query
    if not url:
        raise InputError(f"store {store} has no query URL: add query = \"…\" to [stores.{store}] in tourgraph.toml, or give --endpoint.",
                         path=str(project.root / "tourgraph.toml"))
    check_url(url, "--endpoint")
    if graphs:
        scope = tuple(graph_iri(project, g) for g in graphs)
    elif all_graphs or has_dataset:
        scope = ()
    else:
        scope = (config.graph or default_graph_iri(project),)
    return QueryTarget(url, scope, config.credentials(), chosen=bool(graphs or all_graphs))
