"""Jinja2 templates of the query page and the stored-query list (autoescaped, strict)."""

from __future__ import annotations

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape

_LAYOUT = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} · {{ site_title }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem auto; max-width: 72rem; padding: 0 1rem; line-height: 1.4; }
textarea { width: 100%; min-height: 14rem; font-family: ui-monospace, monospace; font-size: 0.9rem; }
table { border-collapse: collapse; width: 100%; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f2f2f2; }
.error { color: #a00; font-weight: bold; }
.note { color: #555; }
pre { background: #f7f7f7; padding: 0.5rem; overflow-x: auto; }
details { margin: 0.5rem 0; }
</style>
</head>
<body>
<header><a href="/">{{ site_title }}</a> · <a href="/sparql">SPARQL</a> · <a href="/queries/">{{ "Requêtes enregistrées" if lang == "fr" else "Stored queries" }}</a></header>
<main>
{% block main %}{% endblock %}
</main>
</body>
</html>
"""

_QUERY = """{% extends "layout.html" %}
{% block title %}SPARQL{% endblock %}
{% block main %}
<h1>SPARQL</h1>
<p class="note">Read-only endpoint over the published graph (the default graph is the union of the {{ graph_count }} named graphs, one per source file). Queries stop after {{ timeout }} s; at most {{ max_rows }} rows are returned.</p>
<form method="get" action="/sparql">
<label for="query">Query</label>
<textarea id="query" name="query" spellcheck="false">{{ query }}</textarea>
<p><button type="submit">Run</button></p>
</form>
{% if error %}<p class="error">{{ error }}</p>{% endif %}
{% if table is not none %}
<h2>Results</h2>
<p>{{ table.rows | length }} row{{ "" if table.rows | length == 1 else "s" }}{% if truncated %} (truncated at {{ max_rows }}){% endif %}.
{% for label, href in downloads %}<a href="{{ href }}" download>{{ label }}</a>{{ " · " if not loop.last }}{% endfor %}</p>
{% if table.boolean is not none %}<p><strong>{{ "true" if table.boolean else "false" }}</strong></p>{% else %}
<table>
<thead><tr>{% for column in table.columns %}<th>{{ column }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in table.rows %}<tr>{% for cell in row %}<td>{% if cell.href %}<a href="{{ cell.href }}">{{ cell.text }}</a>{% else %}{{ cell.text }}{% endif %}{% if cell.note %} <small class="note">{{ cell.note }}</small>{% endif %}</td>{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
{% endif %}
{% endif %}
<h2>Examples</h2>
{% for example in examples %}
<details>
<summary><a href="/sparql?query={{ example.text | urlencode }}">{{ example.title }}</a></summary>
{% if example.description %}<p>{{ example.description }}</p>{% endif %}
<pre>{{ example.text }}</pre>
</details>
{% endfor %}
{% endblock %}
"""

_QUERIES = """{% extends "layout.html" %}
{% block title %}{{ "Requêtes enregistrées" if lang == "fr" else "Stored queries" }}{% endblock %}
{% block main %}
<h1>{{ "Requêtes enregistrées" if lang == "fr" else "Stored queries" }}</h1>
<p class="note">Each query runs as <code>/queries/NAME.json</code> or <code>/queries/NAME.csv</code>; pass its parameters in the query string.</p>
{% for query in queries %}
<section>
<h2 id="{{ query.name }}">{{ query.title }}</h2>
{% if query.description %}<p>{{ query.description }}</p>{% endif %}
{% if query.parameters %}<p>Parameters: {% for param in query.parameters %}<code>{{ param.name }}</code> ({{ param.type }}{% if param.default %}, default <code>{{ param.default }}</code>{% endif %}){{ ", " if not loop.last }}{% endfor %}</p>{% endif %}
<p><a href="{{ query.json }}">JSON</a> · <a href="{{ query.csv }}">CSV</a> · <a href="/sparql?query={{ query.sparql | urlencode }}">open in the query page</a></p>
</section>
{% endfor %}
{% endblock %}
"""

environment = Environment(
    loader=DictLoader({"layout.html": _LAYOUT, "query.html": _QUERY, "queries.html": _QUERIES}),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **context) -> str:
    return environment.get_template(name).render(**context)
