"""The HTML site (FR/EN, the languages of tourgraph.toml) with schema.org JSON-LD embedded, and in a
static build the RDF description of every entity IRI (``{kind}/{slug}.ttl`` and ``.jsonld``) and
its snippet, laid out so that a static host or content negotiation serves ``{base}{kind}/{slug}``
from the same folder. See ``tourgraph.site.writer`` for what each kind of build writes."""

from __future__ import annotations

from dataclasses import dataclass

from ..site.graphindex import for_context
from ..site.writer import is_static, write_reusing, write_site
from . import BuildContext

FORMATS = (
    "index.html",
    "404.html",
    "site.json",
    "site-order.json",
    "{lang}/index.html",
    "{lang}/404.html",
    "{lang}/search.html",
    "{lang}/calendar.ics",
    "{lang}/{kind}/index.html",
    "{lang}/{kind}/page-{n}.html",
    "{lang}/{kind}/{slug}.html",
    "{kind}/{slug}.ttl",
    "{kind}/{slug}.jsonld",
    "search/{lang}/{key}.json",
    "static/",
    "sitemap.xml",
    "sitemap-{n}.xml",
    "robots.txt",
)
# ctx.extra key: set when the site exporter wrote the snippets in its own pass over the entities.
SNIPPETS_WRITTEN = "tourgraph.snippets.written"  # = snippets.WRITTEN
# ctx.extra key: True or False overrides tourgraph.toml's [site] static for one build.
STATIC = "tourgraph.site.static"

# ctx.extra key: what such a build took from the previous one (a Reused).
REUSED = "tourgraph.incremental.reused"


@dataclass(frozen=True)
class Reused:
    """Data graphs changed since the previous build, entities written again, files taken as they were."""

    graphs: int
    written: int
    taken: int


# ctx.extra key: the incremental.Changes of a static build that reuses the previous build's files.
CHANGES = "tourgraph.incremental.changes"


def write(ctx: BuildContext) -> None:
    static = is_static(ctx.project, ctx.extra.get(STATIC))
    changes = ctx.extra.get(CHANGES) if static else None
    if changes is not None:
        written, taken = write_reusing(ctx.graph, ctx.project, ctx.out, changes.previous, changes.iris, changes.linked)
        ctx.extra[REUSED] = Reused(graphs=len(changes.graphs), written=written, taken=taken)
    else:
        write_site(ctx.graph, ctx.project, ctx.out, static=static, index=for_context(ctx) if static else None)
    ctx.extra[SNIPPETS_WRITTEN] = static
