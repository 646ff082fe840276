"""Content negotiation: what each resource offers and which offer an Accept or Accept-Language
header prefers, read by Werkzeug's parsers (RFC 9110: the most specific matching range gives the
quality; q=0 refuses)."""

from __future__ import annotations

from functools import lru_cache

from starlette.responses import PlainTextResponse
from werkzeug.datastructures import LanguageAccept, MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

MEDIA = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "turtle": "text/turtle; charset=utf-8",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "html": "text/html; charset=utf-8",
}
# Offers in the server's order of preference: the first is the answer to a missing Accept or */*.
RESULT_OFFERS = (
    ("application/sparql-results+json", "json"),
    ("application/sparql-results+xml", "xml"),
    ("text/csv", "csv"),
    ("text/tab-separated-values", "tsv"),
    ("application/json", "json"),
    ("application/xml", "xml"),
    ("text/xml", "xml"),
    ("text/html", "html"),
)
GRAPH_OFFERS = (
    ("text/turtle", "turtle"),
    ("application/n-triples", "ntriples"),
    ("application/ld+json", "jsonld"),
    ("application/x-turtle", "turtle"),
    ("text/plain", "ntriples"),
    ("application/json", "jsonld"),
    ("text/html", "html"),
)
DESCRIPTION_OFFERS = (("text/turtle", "turtle"), ("text/html", "html"), ("application/n-triples", "ntriples"), ("application/ld+json", "jsonld"))
QUERY_LIST_OFFERS = (("text/html", "html"), ("application/json", "json"))
ENTITY_OFFERS = (("text/html", "html"), ("text/turtle", "ttl"), ("application/ld+json", "jsonld"), ("application/json", "jsonld"))
FORMAT_PARAM = {"json": "json", "xml": "xml", "csv": "csv", "tsv": "tsv", "turtle": "turtle", "ttl": "turtle",
                "nt": "ntriples", "ntriples": "ntriples", "jsonld": "jsonld", "json-ld": "jsonld", "html": "html"}
FILE_TYPES = {
    ".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples", ".nq": "application/n-quads",
    ".trig": "application/trig", ".jsonld": "application/ld+json", ".json": "application/json",
    ".csv": "text/csv; charset=utf-8", ".html": "text/html; charset=utf-8", ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8", ".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp", ".ico": "image/x-icon",
    ".rq": "application/sparql-query", ".md": "text/markdown; charset=utf-8", ".zip": "application/zip",
}


def error(status: int, reason: str, headers: dict | None = None) -> PlainTextResponse:
    """A protocol error: the status and a one-line reason."""
    return PlainTextResponse(reason.splitlines()[0] + "\n", status_code=status, headers=headers)


@lru_cache(maxsize=512)
def _media_ranges(header: str) -> MIMEAccept:
    # A charset or other parameter on a range names the same type to this server, which offers none.
    parsed = parse_accept_header(header, MIMEAccept)
    return MIMEAccept([(parse_options_header(item)[0], q) for item, q in parsed])


@lru_cache(maxsize=512)
def negotiate(header: str | None, offers: tuple[tuple[str, str], ...]) -> str | None:
    """The offer the Accept header prefers (ties: server order); None if none is acceptable."""
    if not header or not header.strip():
        return offers[0][1]
    ranges = _media_ranges(header)
    if not ranges:
        return offers[0][1]
    best = ranges.best_match([media for media, _ in offers])
    return dict(offers)[best] if best is not None else None


@lru_cache(maxsize=256)
def pick_language(header: str | None, languages: tuple[str, ...]) -> str:
    """The project language the Accept-Language header prefers; the first project language otherwise."""
    if not header:
        return languages[0]
    return parse_accept_header(header, LanguageAccept).best_match(languages, default=languages[0])


def offered(offers: tuple[tuple[str, str], ...]) -> str:
    """The media types of some offers, for a 406's reason."""
    return ", ".join(dict.fromkeys(media for media, _ in offers))
