"""The HTML site (FR/EN) with schema.org JSON-LD embedded, and the RDF description of every entity IRI
(``{kind}/{slug}.ttl`` and ``.jsonld``), laid out so that a static host or content negotiation serves
``{base}{kind}/{slug}`` from the same folder."""

from __future__ import annotations

from ..site.describe import write_descriptions
from ..site.graphindex import for_context
from ..site.pages import write_site
from . import BuildContext

FORMATS = (
    "index.html",
    "{lang}/index.html",
    "{lang}/{kind}/index.html",
    "{lang}/{kind}/{slug}.html",
    "{kind}/{slug}.ttl",
    "{kind}/{slug}.jsonld",
    "static/site.css",
    "sitemap.xml",
    "sitemap-{n}.xml",
    "robots.txt",
)


def write(ctx: BuildContext) -> None:
    index = for_context(ctx)
    write_descriptions(index, ctx.out)
    write_site(index, ctx.project, ctx.out)
