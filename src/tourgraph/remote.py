"""Queries on remote SPARQL endpoints through SPARQLWrapper; credentials come from the environment."""

from __future__ import annotations

import base64
import os
import urllib.error

import pyoxigraph as ox
from SPARQLWrapper import JSON, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import EndPointNotFound, SPARQLWrapperException, Unauthorized

from .errors import InputError, RemoteError
from .queries import Table

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term(binding: dict | None):
    if binding is None:
        return None
    kind, value = binding["type"], binding["value"]
    if kind == "uri":
        return ox.NamedNode(value)
    if kind == "bnode":
        return ox.BlankNode(value)
    if "xml:lang" in binding:
        return ox.Literal(value, language=binding["xml:lang"])
    return ox.Literal(value, datatype=ox.NamedNode(binding.get("datatype", XSD_STRING)))


def auth_headers() -> dict[str, str]:
    """The Authorization header from TOURGRAPH_TOKEN (bearer) or TOURGRAPH_USER/TOURGRAPH_PASSWORD (basic)."""
    token = os.environ.get("TOURGRAPH_TOKEN")
    user = os.environ.get("TOURGRAPH_USER")
    if token:
        return {"Authorization": f"Bearer {token}"}
    if user:
        pair = f"{user}:{os.environ.get('TOURGRAPH_PASSWORD', '')}".encode("utf-8")
        return {"Authorization": "Basic " + base64.b64encode(pair).decode("ascii")}
    return {}


def credentials(wrapper: SPARQLWrapper) -> None:
    """Give a SPARQLWrapper the same Authorization header as every other request of tourgraph."""
    for name, value in auth_headers().items():
        wrapper.addCustomHttpHeader(name, value)


def _results(endpoint: str, sparql: str, name: str, timeout: float) -> dict:
    """SPARQL JSON results of a SELECT or ASK query on an endpoint."""
    wrapper = SPARQLWrapper(endpoint)
    wrapper.setQuery(sparql)
    wrapper.setReturnFormat(JSON)
    wrapper.setMethod("POST")
    wrapper.setTimeout(int(timeout))
    credentials(wrapper)
    try:
        data = wrapper.query().convert()
    except EndPointNotFound:
        raise RemoteError(f"no SPARQL endpoint at {endpoint} (HTTP 404); Oxigraph server answers queries at /query, tourgraph serve at /sparql.") from None
    except Unauthorized:
        raise RemoteError(f"{endpoint} refused the credentials; set TOURGRAPH_USER/TOURGRAPH_PASSWORD or TOURGRAPH_TOKEN.") from None
    except SPARQLWrapperException as exc:
        raise InputError(f"{endpoint} refused {name}: {str(exc).splitlines()[0]}") from None
    except urllib.error.HTTPError as exc:
        hint = " (is it a SPARQL endpoint? Oxigraph server answers queries at /query, tourgraph serve at /sparql)" if exc.code == 405 else ""
        raise RemoteError(f"{endpoint} answered HTTP {exc.code} to {name}{hint}.") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RemoteError(f"cannot reach {endpoint}: {reason}.") from None
    except ValueError:
        raise RemoteError(f"{endpoint} did not return SPARQL JSON results for {name}.") from None
    if not isinstance(data, dict) or "head" not in data:
        raise RemoteError(f"{endpoint} did not return SPARQL JSON results for {name}.")
    return data


def run_remote(endpoint: str, sparql: str, name: str = "query", timeout: float = 60) -> Table:
    """Run a SELECT query on a SPARQL 1.1 endpoint and return its table."""
    data = _results(endpoint, sparql, name, timeout)
    if "boolean" in data:
        raise InputError(f"{name} is an ASK query; stored queries return tables.")
    variables = tuple(data["head"].get("vars", []))
    rows = tuple(tuple(_term(b.get(v)) for v in variables) for b in data.get("results", {}).get("bindings", []))
    return Table(variables, rows)


def unmatched_remote(endpoint: str, terms: dict, timeout: float = 60) -> list[str]:
    """The names of IRI parameters whose IRI occurs nowhere in the endpoint's dataset."""
    missing = []
    for name, term in terms.items():
        if not isinstance(term, ox.NamedNode):
            continue
        # The term is pyoxigraph's serialisation of a validated IRI, so it cannot break out of VALUES.
        sparql = (
            f"ASK {{ VALUES ?x {{ {term} }} {{ ?x ?p ?o }} UNION {{ ?s ?x ?o }} UNION {{ ?s ?p ?x }}"
            " UNION { GRAPH ?g { { ?x ?p ?o } UNION { ?s ?p ?x } } } UNION { GRAPH ?x { ?s ?p ?o } } }"
        )
        if _results(endpoint, sparql, f"the check of parameter {name}", timeout).get("boolean") is False:
            missing.append(name)
    return missing
