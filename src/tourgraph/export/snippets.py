"""One schema.org JSON-LD snippet per entity (``snippets/{kind}/{slug}.jsonld``) for other sites to
embed, with a README on how to embed them. A static build writes every snippet (in the site
exporter's pass over the entities); otherwise ``tourgraph serve`` answers them on demand."""

from __future__ import annotations

from ..site import parallel
from ..site.graphindex import for_context
from ..site.html import write_file
from ..site.markup import Framer, dumps
from ..site.writer import is_static
from . import BuildContext

FORMATS = ("snippets/{kind}/{slug}.jsonld", "snippets/README.md")

README = """# schema.org JSON-LD snippets

One file per entity of the knowledge graph: `{kind}/{slug}.jsonld` describes the entity
`{base}{kind}/{slug}` in schema.org terms only, the way search engines read structured data: the
entity with its direct neighbours (name and type; for places, their address and coordinates).
Text given in French and English appears in both, as `{"@value": ..., "@language": ...}`.

A static build (`[site] static = true` in tourgraph.toml) writes
every snippet into this folder; otherwise `tourgraph serve` answers `/snippets/{kind}/{slug}.jsonld`
on demand, with the same content.

## Embedding a snippet

Put the file's content in the `<head>` (or `<body>`) of the page about that entity:

```html
<script type="application/ld+json">
... content of {kind}/{slug}.jsonld ...
</script>
```

Inside `<script>`, the text must not contain `</script` or `<!--`. If you paste a snippet by hand,
check it; if your templates insert it, write `<`, `>` and `&` as `\\u003c`, `\\u003e` and `\\u0026`
(still valid JSON, the same data). The pages of the published site embed the same markup, in the
page's language, already escaped.

Check the result with https://validator.schema.org/ or a search engine's rich-results test.

The full RDF description of an entity (every statement, including tourgraph's own terms) is at
`{kind}/{slug}.ttl` and `{kind}/{slug}.jsonld` at the root of the site.
"""

# ctx.extra key the site exporter sets (True when it wrote every snippet in its own pass).
WRITTEN = "tourgraph.snippets.written"


def snippet_text(framer: Framer, iri: str) -> str:
    return dumps(framer.frame(iri)) + "\n"


def write(ctx: BuildContext) -> None:
    static = is_static(ctx.project, ctx.extra.get("tourgraph.site.static"))
    if static and ctx.extra.get(WRITTEN) is not True:
        index = for_context(ctx)
        framer = Framer(index)
        for kind in sorted({e.kind for e in index.pages.values()}):
            ctx.path(f"snippets/{kind}/.").parent.mkdir(parents=True, exist_ok=True)

        def one(entity) -> None:
            write_file(f"{ctx.out}/snippets/{entity.path}.jsonld", snippet_text(framer, entity.iri).encode("utf-8"))

        parallel.run(one, list(index.pages.values()))
    ctx.path("snippets/README.md").write_text(README.replace("{base}", ctx.project.base), encoding="utf-8")
