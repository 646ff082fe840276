"""Command line: parse options, call one library function, turn errors into exit codes."""

from __future__ import annotations

import functools
import json
import sys
import time
from pathlib import Path

import click

from . import __version__
from .errors import TourgraphError, ValidationFailed
from .project import open_project

project_option = click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="Project folder (holds tourgraph.toml).",
)
lang_option = click.option("--lang", type=click.Choice(["en", "fr"]), default="en", show_default=True, help="Language of the messages.")

# The command line's own sentences; the validation report and the errors carry their own translations.
TEXT = {
    "en": {
        "error": "Error: {message}",
        "warning": "Warning: {file}: {message}",
        "interrupted": "Interrupted.",
        "built": "Built {out}: {quads} quads from {files} files; {warnings} warning(s).",
        "reused": " {graphs} data graph(s) changed since the previous build: {written} entities written again, {taken} of their files taken as they were (--full writes them all).",
        "unread": " {count} file(s) under data/ not read (listed above).",
        "checked": "Checked in {seconds} s; watching for changes (Ctrl-C to stop).",
    },
    "fr": {
        "error": "Erreur : {message}",
        "warning": "Avertissement : {file} : {message}",
        "interrupted": "Interrompu.",
        "built": "Construit {out} : {quads} quads issus de {files} fichiers ; {warnings} avertissement(s).",
        "reused": " {graphs} graphe(s) de données modifié(s) depuis la construction précédente : {written} entités réécrites, {taken} de leurs fichiers repris tels quels (--full les réécrit tous).",
        "unread": " {count} fichier(s) de data/ non lu(s) (voir ci-dessus).",
        "checked": "Vérifié en {seconds} s ; en attente de modifications (Ctrl-C pour arrêter).",
    },
}


def say(lang: str, key: str, **values) -> str:
    return TEXT.get(lang, TEXT["en"])[key].format(**values)


def reports_errors(command):
    """Turn a TourgraphError into its message on stderr (or JSON on stdout with ``--format json``) and
    its exit code, never a traceback; in the command's ``--lang`` when it has one."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        lang = kwargs.get("lang") or "en"
        try:
            return command(*args, **kwargs)
        except TourgraphError as exc:
            if kwargs.get("fmt") == "json":
                click.echo(json.dumps(exc.to_dict(lang), ensure_ascii=False, indent=2))
            else:
                if isinstance(exc, ValidationFailed):
                    click.echo(exc.report.to_text(lang), err=True)
                click.echo(say(lang, "error", message=exc.format(lang)), err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo(say(lang, "interrupted"), err=True)
            sys.exit(130)

    return wrapper


def warn_unread(project, lang: str) -> list:
    """Say which files under data/ are not read (on stderr, so that stdout stays the output)."""
    unread = project.unread_files()
    for item in unread:
        click.echo(say(lang, "warning", file=item.relpath, message=item.message(lang)), err=True)
    return unread


@click.group()
@click.version_option(__version__, prog_name="tourgraph")
def cli():
    """Publish a film commission's tours as a validated schema.org knowledge graph."""


@cli.command()
@project_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "turtle"]), default="text", show_default=True)
@lang_option
@click.option("--watch", is_flag=True, help="Validate again on each change of the project's files, until Ctrl-C.")
@reports_errors
def validate(project_dir, fmt, lang, watch):
    """Load, materialise and check the graph against the SHACL shapes."""
    from .build import check

    project = open_project(project_dir)
    if watch:
        from .watch import watch as watch_project

        def show(outcome, seconds):
            stamp = time.strftime("%H:%M:%S")
            click.echo(f"\n[{stamp}] " + say(lang, "checked", seconds=f"{seconds:.1f}"), err=True)
            if isinstance(outcome, TourgraphError):
                click.echo(say(lang, "error", message=outcome.format(lang)), err=True)
            elif fmt == "json":
                click.echo(outcome.to_json())
            else:
                click.echo(outcome.to_turtle() if fmt == "turtle" else outcome.to_text(lang))

        watch_project(project.root, show)
        return
    if fmt != "json":
        # Before the checks: a file that is not read may be why they fail ("no RDF files under data/").
        warn_unread(project, lang)
        report = check(project).report
        click.echo(report.to_turtle() if fmt == "turtle" else report.to_text(lang))
    else:
        unread = [item.to_dict(lang) for item in project.unread_files()]
        try:
            report = check(project).report
        except TourgraphError as exc:
            click.echo(json.dumps({**exc.to_dict(lang), "files_not_read": unread}, ensure_ascii=False, indent=2))
            sys.exit(exc.exit_code)
        data = json.loads(report.to_json())
        data["files_not_read"] = unread
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    sys.exit(0 if report.passes else 1)


@cli.command()
@project_option
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None, help="Output folder [default: PROJECT/dist]; new, empty or a previous build.")
@click.option("--full", is_flag=True, help="Write every file, instead of taking from the previous static build in --out the files of the entities the changes since leave alone.")
@lang_option
@reports_errors
def build(project_dir, out, full, lang):
    """Validate, then write every output to dist/ (nothing is written unless valid)."""
    from .build import build as run_build

    project = open_project(project_dir)
    target = out or project.root / "dist"
    unread = warn_unread(project, lang)
    checked = run_build(project, target, full=full)
    if checked.report.warning_count:
        click.echo(checked.report.to_text(lang), err=True)
    summary = say(lang, "built", out=target, quads=len(checked.graph), files=len(checked.graph.sources), warnings=checked.report.warning_count)
    if checked.reused is not None:
        summary += say(lang, "reused", graphs=checked.reused.graphs, written=checked.reused.written, taken=checked.reused.taken)
    if unread:
        summary += say(lang, "unread", count=len(unread))
    click.echo(summary)


@cli.command()
@click.argument("name")
@project_option
@click.option("--endpoint", default=None, help="Run on a remote SPARQL endpoint instead of the local graph.")
@click.option("--store", "store_name", default=None, metavar="NAME", help="Run on a store of tourgraph.toml ([stores.NAME], its query URL).")
@click.option("--graph", "graphs", multiple=True, metavar="IRI", help="Graph of the store to read (repeatable) [default: the graph publish writes].")
@click.option("--all-graphs", is_flag=True, help="Read the store's own default graph instead of the published graph.")
@click.option("--param", "params", multiple=True, metavar="K=V", help="Bind a declared parameter (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table", show_default=True)
@reports_errors
def query(name, project_dir, endpoint, store_name, graphs, all_graphs, params, fmt):
    """Run a stored query (queries/NAME.rq) or a query file, locally or on a store."""
    from .errors import InputError
    from .queries import bind, find_query, format_table, run_local, substitutions, unmatched_iris

    project = open_project(project_dir)
    values = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"--param takes KEY=VALUE, not {item!r}.")
        values[key.strip()] = value
    stored = find_query(name, project.folder("queries"))
    terms = substitutions(stored, values, project.base)
    notes = []
    if endpoint or store_name or graphs or all_graphs:
        from .remote import run_on_store

        table, missing, notes = run_on_store(project, stored, bind(stored, values, project.base), terms,
                                             endpoint=endpoint, store=store_name, graphs=graphs, all_graphs=all_graphs)
    else:
        from .load import load
        from .materialise import materialise

        graph = materialise(load(project))
        table = run_local(graph, stored.text, stored.name, substitutions=terms, base_iri=project.base)
        missing = unmatched_iris(graph.store, terms) if not table.rows else []
    click.echo(format_table(table, fmt), nl=False)
    for pname in missing:
        click.echo(f"Warning: no rows, and parameter {pname} (<{terms[pname].value}>) names nothing in the graph: check the IRI.", err=True)
    for note in notes:
        click.echo(note, err=True)


@cli.command()
@project_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (127.0.0.1 keeps it local).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Seconds a query may run before it is stopped.")
@click.option("--max-rows", default=10000, show_default=True, type=click.IntRange(min=1), help="Rows (or triples) returned at most; more are cut and a header says so.")
@click.option("--workers", default=None, type=click.IntRange(min=1), help="Query worker processes for simple queries [default: 2-4, by CPU count]; long queries get half as many more.")
@click.option("--dist", "dist_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Serve this existing build (a folder `tourgraph build` wrote) as it is, without validating or rebuilding [default: validate and build into a temporary folder].")
@click.option("--cache", "cache_mb", default=64.0, show_default=True, type=click.FloatRange(min=0), help="Megabytes of answers kept for identical queries (0: none).")
@click.option("--query-memory", default=1024, show_default=True, type=click.IntRange(min=16), help="Megabytes a query may allocate beyond the graph; a query that needs more is stopped.")
@click.option("--reload", "live", is_flag=True, help="Watch the project: validate and rebuild on each change, reload open pages, show a change that does not validate on them (the last good build stays served).")
@reports_errors
def serve(project_dir, host, port, timeout, max_rows, workers, dist_dir, cache_mb, query_memory, live):
    """Serve a read-only SPARQL endpoint (/sparql), the stored queries (/queries/) and the site."""
    import uvicorn

    from .errors import InputError
    from .query_pool import PoolFailed
    from .serve import create_app
    from .serving import bind, configure_logging, exits_cleanly

    configure_logging()
    if live and dist_dir is not None:
        raise InputError("--reload builds what it serves, on each change: leave --dist out (or serve --dist without --reload).",
                         fr="--reload construit ce qu'il sert, à chaque modification : retirez --dist (ou servez --dist sans --reload).")
    options = dict(timeout=timeout, max_rows=max_rows, workers=workers, cache_mb=cache_mb, query_memory=query_memory)
    with exits_cleanly():
        project = open_project(project_dir)
        # The port is taken first: a busy port is said at once, and no URL is announced that is not ours.
        with bind(host, port) as sock:
            port = sock.getsockname()[1]
            if dist_dir is None:
                warn_unread(project, "en")
                click.echo("Validating and building the site…", err=True)
            else:
                click.echo(f"Serving the build in {dist_dir} as it is (not rebuilt)…", err=True)
            if live:
                from .server.reload import LivePreview

                app = LivePreview(project.root, lambda changed, checked: create_app(changed, None, checked=checked, **options),
                                  grace=timeout + 5)
                service, close = app.service, app.close
            else:
                app = create_app(project, dist_dir, **options)
                service = app.state.service
                close = service.close
            try:
                try:
                    if service is not None:
                        service.pool.wait_ready()
                except PoolFailed as exc:
                    raise InputError(f"{service.dist}: {exc}") from None
                if live and service is None:
                    click.echo(app.outcome.to_dict("en")["report"], err=True)
                    click.echo("The project does not validate yet: its pages say why, and are built once it does.", err=True)
                address = f"[{host}]" if ":" in host else host
                site = f"rebuilt on each change of {project.root}" if live else f"from {service.dist}"
                click.echo(f"SPARQL endpoint: http://{address}:{port}/sparql · stored queries: http://{address}:{port}/queries/ · site {site}", err=True)
                # A page's poll for changes waits up to POLL_SECONDS: stopping does not wait for it.
                config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False, http="httptools", loop="uvloop",
                                        timeout_graceful_shutdown=1 if live else None)
                if live:
                    app.start()
                uvicorn.Server(config).run(sockets=[sock])
            finally:
                close()


@cli.command()
@click.argument("store_name", required=False, metavar="[STORE]")
@project_option
@click.option("--endpoint", default=None, help="Graph Store Protocol URL (Oxigraph: http://HOST:PORT/store; Virtuoso: http://HOST:8890/sparql-graph-crud-auth).")
@click.option("--graph", "graph_iri", default=None, help="Named graph to replace [default: the store's graph, else {base}graph/published].")
@click.option("--update", "update_url", default=None, help="SPARQL Update URL, to switch the graph in one request after a staged upload.")
@click.option("--query", "query_url", default=None, help="SPARQL query URL, to count the staged upload.")
@click.option("--replace", "replace_mode", type=click.Choice(["auto", "put", "staged"]), default=None,
              help="put: one PUT; staged: PUT into a staging graph, count it, then COPY [default: auto, by store].")
@reports_errors
def publish(store_name, project_dir, endpoint, graph_iri, update_url, query_url, replace_mode):
    """Replace a named graph of a triple store with the validated public graph (STORE: a [stores.NAME] of tourgraph.toml)."""
    from dataclasses import replace

    from .errors import InputError
    from .publish import publish as run_publish
    from .stores import Store, named_store

    project = open_project(project_dir)
    store = named_store(project, store_name) if store_name else Store()
    overrides = {"endpoint": endpoint, "update": update_url, "query": query_url, "replace": replace_mode}
    store = replace(store, **{key: value for key, value in overrides.items() if value is not None})
    if not store.endpoint:
        raise InputError("give the store: a name from [stores] in tourgraph.toml, or --endpoint URL of its Graph Store service.")
    result = run_publish(project, store, graph_iri)
    tries = f" (after {result.tries} tries)" if result.tries > 1 else ""
    click.echo(f"Published {result.triples} triples to <{result.graph}> at {store.endpoint}{tries}. {result.how()}")
    for note in result.notes:
        click.echo(f"Warning: {note}", err=True)


@cli.command()
@click.argument("release", type=click.Path(dir_okay=False, path_type=Path))
@project_option
@click.option("--tour", "tour_slug", default=None, help="Folder name of the tour [default: YEAR-REGION from the release].")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Draft folder [default: PROJECT/data/tours/SLUG]; new, empty or an earlier unedited draft.")
@lang_option
@reports_errors
def draft(release, project_dir, tour_slug, out, lang):
    """Draft a tour folder from its press release (.txt, .md, .html, .pdf), every fact citing its line, for a person to review."""
    from .draft import draft_release

    click.echo(draft_release(release, project_dir, tour_slug, out).summary(lang))


@cli.group()
def new():
    """Write a new project, or a tour folder to fill in (never over existing files)."""


@new.command("project")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@lang_option
@reports_errors
def new_project(directory, lang):
    """A complete, valid project in DIRECTORY (new or empty): tourgraph.toml to fill, ontology, shapes, queries, an example tour."""
    from .new.project import new_project as write

    click.echo(write(directory).summary(lang))


@new.command("tour")
@click.argument("slug")
@project_option
@click.option("--sheets", type=click.Choice(["csv", "xlsx"]), default=None,
              help="Write the people, organisations, places, events and participations as spreadsheet templates (with their CSVW metadata) instead of Turtle files.")
@lang_option
@reports_errors
def new_tour(slug, project_dir, sheets, lang):
    """A tour folder data/tours/SLUG/ whose files carry the prefixes, their provenance and every field the shapes ask for."""
    from .new.tour import new_tour as write

    click.echo(write(open_project(project_dir), slug, sheets).summary(lang))


@cli.command()
@project_option
@click.option("--check", is_flag=True, help="Only check that docs/authoring.md is up to date (exit 1 if not).")
@lang_option
@reports_errors
def docs(project_dir, check, lang):
    """Write docs/authoring.md: the fields of each kind of entity, from shapes/ and ontology/ (FR and EN)."""
    from .authoring.document import OUTPUT, authoring_markdown

    project = open_project(project_dir)
    path = project.root / OUTPUT
    text = authoring_markdown(project.root)
    current = path.read_text(encoding="utf-8") if path.is_file() else None
    if check:
        if current != text:
            click.echo({"en": f"{OUTPUT} is out of date: run `tourgraph docs`.", "fr": f"{OUTPUT} n'est pas à jour : lancez `tourgraph docs`."}[lang], err=True)
            sys.exit(1)
        click.echo({"en": f"{OUTPUT} is up to date.", "fr": f"{OUTPUT} est à jour."}[lang])
        return
    if current != text:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    click.echo({"en": f"Wrote {OUTPUT}.", "fr": f"Écrit {OUTPUT}."}[lang] if current != text else
               {"en": f"{OUTPUT} is up to date.", "fr": f"{OUTPUT} est à jour."}[lang])


def main():
    cli(prog_name="tourgraph")


if __name__ == "__main__":
    main()
