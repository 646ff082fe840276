"""One schema.org JSON-LD snippet per entity (``snippets/{kind}/{slug}.jsonld``) for other sites to
embed, with a README on how to embed them."""

from __future__ import annotations

from ..site import parallel
from ..site.html import write_file
from ..site.graphindex import for_context
from ..site.markup import Framer, dumps
from . import BuildContext

FORMATS = ("snippets/{kind}/{slug}.jsonld", "snippets/README.md")

README = """# schema.org JSON-LD snippets

One file per entity of the knowledge graph: `{kind}/{slug}.jsonld` describes the entity
`{base}{kind}/{slug}` in schema.org terms only, the way search engines read structured data: the
entity with its direct neighbours (name and type; for places, their address and coordinates).
Text given in French and English appears in both, as `{"@value": ..., "@language": ...}`.

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


# ctx.extra key: the index whose snippets the site exporter already wrote in its pass over the entities.
WRITTEN = "tourgraph.snippets.written"


def writer(ctx: BuildContext, index, framer: Framer | None = None):
    """The task writing one page entity's snippet (its folders made here, once)."""
    framer = framer or Framer(index)
    folder = ctx.out / "snippets"
    for kind in sorted({e.kind for e in index.pages.values()}):
        (folder / kind).mkdir(parents=True, exist_ok=True)
    prefix = f"{folder}/"

    def write_snippet(entity) -> None:
        write_file(f"{prefix}{entity.path}.jsonld", (dumps(framer.frame(entity.iri)) + "\n").encode("utf-8"))

    return write_snippet


def write(ctx: BuildContext) -> None:
    index = for_context(ctx)
    # The site exporter writes the snippets in its own pass over the entities (one set of worker
    # processes for both); on its own, this exporter makes that pass itself.
    if ctx.extra.get(WRITTEN) is not index:
        parallel.run(writer(ctx, index), list(index.pages.values()))
    ctx.path("snippets/README.md").write_text(README.replace("{base}", ctx.project.base), encoding="utf-8")
