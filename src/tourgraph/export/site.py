"""The HTML site (FR/EN) with schema.org JSON-LD embedded, and the RDF description of every entity IRI
(``{kind}/{slug}.ttl`` and ``.jsonld``), laid out so that a static host or content negotiation serves
``{base}{kind}/{slug}`` from the same folder."""

from __future__ import annotations

from ..site import parallel
from ..site.describe import describer
from ..site.graphindex import for_context
from ..site.pages import SiteWriter
from . import BuildContext, snippets

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
    """One pass over the entities (in worker processes at scale) writes each one's RDF description,
    its pages and its schema.org snippet (for the snippets exporter, which then only adds its
    README); the index pages, sitemaps and static files are jobs of the same pass."""
    index = for_context(ctx)
    describe = describer(index, ctx.out)
    site = SiteWriter(index, ctx.project, ctx.out)
    snippet = snippets.writer(ctx, index, site.site.framer)
    pages = index.pages

    def write_entity(entity) -> None:
        describe(entity)
        if entity.iri in pages:
            site.entity(entity)
            snippet(entity)

    parallel.run(write_entity, index.entities, jobs=site.jobs())
    ctx.extra[snippets.WRITTEN] = index
