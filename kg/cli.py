"""The ``kg`` command: a thin shell over the library.

Every command opens the project, calls one library function and prints or writes what
it returns. The package's own errors are printed without a traceback; exit codes are
0 fine, 1 the check found problems, 2 unusable input or usage.
"""

from __future__ import annotations

import datetime
import json
import sys
import warnings
from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from kg.errors import InputError, KGError, UnverifiedWarning
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT, Project

if TYPE_CHECKING:
    import pandas as pd

    from kg.network import Filters
    from kg.query import Connection

# The other stages are imported by the commands that use them, so that the command starts
# fast: a question does not wait for the network, the views or the checker to load.

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")
#: The names of :data:`kg.formats.FORMATS` (a test keeps them equal): importing that module loads Oxigraph.
EXPORT_FORMATS = ("jsonld", "nquads", "trig", "turtle")


def _clean_errors(command: F) -> F:
    """Print the package's errors without a traceback, and its warnings as one line each."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        caught: list[warnings.WarningMessage] = []
        try:
            with warnings.catch_warnings(record=True) as recorded:
                warnings.simplefilter("default")
                try:
                    return command(*args, **kwargs)
                finally:
                    caught.extend(recorded)
        except KGError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)
        except OSError as exc:  # a backstop: the library turns the I/O errors it expects into InputError
            where = " -> ".join(str(f) for f in (exc.filename, exc.filename2) if f is not None)
            name = command.__name__.replace("_", "-")
            click.echo(f"kg {name}: {exc.strerror or exc}{f': {where}' if where else ''}", err=True)
            sys.exit(2)
        except MemoryError:  # a backstop too: inputs are size-checked before they are read
            name = command.__name__.replace("_", "-")
            click.echo(f"out of memory: kg {name} needed more memory than it could get", err=True)
            sys.exit(2)
        finally:  # outside the recording block: a warning shown here must not be recorded again
            for w in caught:
                if issubclass(w.category, UnverifiedWarning):
                    click.echo(f"warning: {w.message}", err=True)
                elif not issubclass(w.category, DeprecationWarning):  # a library's, not the user's
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)

    return wrapper  # type: ignore[return-value]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--project",
    "project_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The project folder (holding ontology.ttl and data/).",
)
@click.option(
    "--sources",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of the articles' text files (default: [tool.kg] sources, or KG_SOURCES).",
)
@click.option(
    "--build-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where the built dataset is written and read (default: PROJECT/build).",
)
@click.pass_context
@_clean_errors
def main(ctx: click.Context, project_dir: Path, sources: Path | None, build_dir: Path | None) -> None:
    """Evidence-backed knowledge graphs of news: check, build, query and export.

    The options below come before the command (kg --sources DIR check); each command
    has options of its own (kg COMMAND --help).

    \b
    Examples:
        kg build && kg stats
        kg --sources data/sources check
        kg query who-met-whom -p day=2026-02-03

    """
    project = Project.at(project_dir, sources=sources)
    ctx.obj = project.with_build(build_dir) if build_dir else project


@main.command()
@click.option("--full", is_flag=True, help="Check every file, not only those changed since the last clean check.")
@click.pass_obj
@_clean_errors
def check(project: Project, full: bool) -> None:
    """Check the curated files; print every problem as file:line:col.

    Exit 0 when clean, 1 when problems were found, 2 when the input is unusable.

    \b
    Examples:
        kg check
        kg --sources data/sources check --full

    """
    from kg.check import check_project

    checked = check_project(project, incremental=not full)
    click.echo(f"ok: {len(checked.corpus.articles)} articles, {checked.triples} triples, no problems")


@main.command()
@click.argument("articles", nargs=-1)
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.pass_obj
@_clean_errors
def coverage(project: Project, articles: tuple[str, ...], fmt: str) -> None:
    """List the sentences of each article from which no quote was curated.

    ARTICLES are ids (000, art:000); none means every article. Needs the article texts
    (--sources). The table format prints a summary per article and each unquoted
    sentence at its text file's line; csv, tsv, json and md give one row per sentence.

    \b
    Examples:
        kg coverage 003
        kg --sources data/sources coverage --format csv

    """
    from kg.coverage import coverage as curation_coverage
    from kg.coverage import unquoted_frame

    results = curation_coverage(project, articles or None)
    if fmt != "table":
        click.echo(_render(unquoted_frame(results), fmt))
        return
    for result in results:
        click.echo(result.summary())
        for sentence in result.unquoted:
            click.echo(f"  {result.file}:{sentence.line}: {sentence.text}")


@main.command()
@click.argument("text", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--id", "article_id", default=None, help="The new article's id (default: the next free number, 005).")
@click.option("--format", "fmt", type=click.Choice(("table", "md", "json")), default="table", show_default=True)
@click.option("--width", type=click.IntRange(min=20), default=None, help="table: the width to fit (default: terminal).")
@click.pass_obj
@_clean_errors
def new(project: Project, text: Path, article_id: str | None, fmt: str, width: int | None) -> None:
    """Start curating a new article from its TEXT file (UTF-8).

    Puts the text into the sources folder as ID_DIGEST.txt, writes the skeleton
    data/articles/ID.ttl (the article's node and what the text's head says, with commented
    guidance; kg check accepts it as it is) and prints the checklist: the registry's
    entities the text names, with their sentences, and the names not in the registry.
    Nothing is overwritten. The examples start on a synthetic article's text.

    \b
    Examples:
        kg synth --articles 1 demo && kg --project demo new demo/sources/s00000_3414b3bb82fc816f.txt
        kg --project demo new demo/sources/s00000_3414b3bb82fc816f.txt --id draft --format md

    """
    from kg.skeleton import new_article, render_checklist

    result = new_article(project, text, article_id=article_id)
    click.echo(render_checklist(result, fmt, width=width, display=project.display))


@main.command()
@click.option("--force", is_flag=True, help="Check every file and rebuild even if nothing changed.")
@click.pass_obj
@_clean_errors
def build(project: Project, force: bool) -> None:
    """Check, then build the dataset (N-Quads and an on-disk store) into the build folder.

    After a few changed articles the previous build is updated, to the same bytes a full
    build writes. A failed build leaves the previous output untouched. Other formats
    (TriG, Turtle, JSON-LD): kg export.

    \b
    Examples:
        kg build && ls build/
        kg build --force

    """
    from kg.build import build_project

    result = build_project(project, force=force)
    for path in result.outputs:
        done = "up to date" if result.up_to_date else "updated" if result.incremental else "wrote"
        click.echo(f"{done} {project.display(path)}")
    c = result.counts
    click.echo(
        f"default graph: {c['default graph']:,} triples ({c['derived']:,} derived); "
        f"article graphs: {c['article graphs']:,} triples"
    )


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice([*EXPORT_FORMATS, "facts-csv"]),
    default="nquads",
    show_default=True,
    help="Serialisation; turtle gives the union of the graphs; jsonld is compacted, its context inlined; "
    "facts-csv is a table for spreadsheets, one row per fact and article, with the quotes.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="File to write (default: standard output).",
)
@click.pass_obj
@_clean_errors
def export(project: Project, fmt: str, output: Path | None) -> None:
    """Write the whole built dataset in one format.

    Builds first when there is no built dataset yet. The same build always gives the
    same bytes.

    \b
    Examples:
        kg export --format nquads -o graph.nq
        kg export --format jsonld -o graph.jsonld
        kg export --format facts-csv -o facts.csv

    """
    from kg.store import export_dataset, write_export

    store = _store(project)
    if output is None:
        sys.stdout.buffer.write(export_dataset(store, fmt))
    else:
        write_export(store, fmt, output)
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--ids", is_flag=True, help="table, md: show each identifier beside its label.")
@click.option("--width", type=click.IntRange(min=20), default=None, help="table: the width to fit (default: terminal).")
@click.pass_obj
@_clean_errors
def stats(project: Project, fmt: str, ids: bool, width: int | None) -> None:
    """Counts by class, by event type and by article, and corroborated facts.

    \b
    Example:
        kg stats --format md

    """
    from kg.stats import read_stats

    result = read_stats(_local(project, DEFAULT_MAX_ROWS))
    for title, frame in result.tables().items():
        click.echo(f"## {title}")
        click.echo(_render(frame, fmt, ids=ids, width=width))
        click.echo()
    click.echo(f"facts two or more articles report: {result.several} of {result.facts}")
    click.echo(f"facts two or more articles report as actual (corroborated): {result.corroborated} of {result.facts}")


@main.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option("--articles", type=click.IntRange(min=1), required=True, help="How many articles (the seed has 5).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same corpus.")
@click.pass_obj
@_clean_errors
def synth(project: Project, dest: Path, articles: int, seed: int) -> None:
    """Write a synthetic project shaped like a real news corpus into DEST (a new folder).

    Invented actors with a heavy-tailed frequency, events of every type, stories several
    articles tell differently, dates over a decade, and the texts the quotes come from;
    it passes kg check. For benchmarks and tests at scale.

    \b
    Example:
        kg synth --articles 20 --seed 1 corpus && kg --project corpus build

    """
    from kg.synth import synthesize

    result = synthesize(dest, articles=articles, seed=seed, ontology=project.ontology)
    click.echo(
        f"wrote {result.path}: {result.articles:,} articles, {result.actors:,} actors, "
        f"{result.facts:,} facts, {result.quotes:,} quotes"
    )


@main.command()
@click.pass_obj
@_clean_errors
def queries(project: Project) -> None:
    """List the named questions with their parameters.

    \b
    Example:
        kg queries

    """
    from kg.query import read_queries

    for name, q in read_queries().items():
        params = " ".join(f"{p.name}={p.default}" for p in q.params.values())
        click.echo(f"{name:32} {q.title}" + (f"  [{params}]" if params else ""))


class _Checked(click.ParamType):  # type: ignore[type-arg]
    """A number checked by the library's own rule (:mod:`kg.query`), said in its words."""

    def __init__(self, name: str, base: type, check: str, metavar: str) -> None:
        self.name, self.base, self.check, self.metavar = name, base, check, metavar

    def get_metavar(self, *args: Any, **kwargs: Any) -> str:
        return self.metavar

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import kg.query

        try:
            return getattr(kg.query, self.check)(self.base(value))
        except (ValueError, KGError) as exc:
            expected = exc.expected if isinstance(exc, InputError) else self.name
            self.fail(f"{value!r}: expected {expected}", param, ctx)


SECONDS = _Checked("a number of seconds", float, "check_timeout", "SECONDS")
ROWS = _Checked("a whole number of rows", int, "check_max_rows", "ROWS")
MEGABYTES = _Checked("a whole number of megabytes", int, "check_memory", "MB")
MEMORY_OPTION = click.option(
    "--memory",
    "memory_mb",
    type=MEGABYTES,
    default=DEFAULT_MEMORY_MB,
    show_default=True,
    help="Megabytes a query may use (the process that runs it is stopped past that).",
)


def _engine_options(command: F) -> F:
    """The options that choose where queries run and how far they may go."""
    for option in reversed(
        [
            click.option(
                "--engine",
                type=click.Choice(["oxigraph", "rdflib"]),
                default="oxigraph",
                show_default=True,
                help="The embedded SPARQL engine.",
            ),
            click.option(
                "--endpoint",
                default=None,
                metavar="URL",
                help="Query a SPARQL 1.1 endpoint instead (e.g. http://127.0.0.1:7878/query).",
            ),
            click.option(
                "--timeout", type=SECONDS, default=DEFAULT_TIMEOUT, show_default=True, help="Seconds per query."
            ),
            click.option(
                "--max-rows", type=ROWS, default=DEFAULT_MAX_ROWS, show_default=True, help="Rows kept at most."
            ),
            MEMORY_OPTION,
            click.option(
                "--allow-external",
                is_flag=True,
                help="Allow SERVICE and FROM graphs outside the dataset (they reach the network).",
            ),
        ]
    ):
        command = option(command)
    return command


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", default=None, help="A SPARQL query given inline.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of a named question (repeatable); entities by id, label or alias.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(TABLE_FORMATS),
    default="table",
    show_default=True,
    help="json is the SPARQL 1.1 Query Results JSON format.",
)
@click.option("--ids", is_flag=True, help="table, md: show each identifier beside its label.")
@click.option("--width", type=click.IntRange(min=20), default=None, help="table: the width to fit (default: terminal).")
@_engine_options
@click.pass_obj
@_clean_errors
def query(
    project: Project,
    /,
    name: str | None,
    expression: str | None,
    params: tuple[str, ...],
    fmt: str,
    ids: bool,
    width: int | None,
    **engine: Any,
) -> None:
    """Run a named question, a .rq file, or an inline query (-e).

    The table shows labels, fits the terminal and says the parameters once, below it;
    csv, tsv and json keep every identifier and label, in full.

    \b
    Examples:
        kg query who-met-whom -p day=2026-02-03
        kg query actor-dossier -p actor=Petro --format csv
        kg query -e 'SELECT ?who WHERE { ?m kg:eventType kg:SANCTION ; kg:target ?who }'

    """
    from kg.query import Table, read_queries, read_query_file, to_results_json

    conn = _connect(project, **engine)
    given: dict[str, str] = {}
    if expression is not None:
        sparql, bindings, label = expression, {}, "query"
    elif name is None:
        raise click.UsageError("give a query NAME or FILE, or -e 'SPARQL'")
    else:
        q = read_queries().get(name) or read_query_file(Path(name))
        values = {}
        for item in params:
            key, eq, value = item.partition("=")
            if not eq:
                raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="-p")
            values[key] = value
        sparql, bindings, label = q.text, conn.bindings(q, **values), q.name
        given = {key: values.get(key, p.default) for key, p in q.params.items()}
    answer = conn.execute(sparql, bindings, name=label)
    if answer.kind == "ask":
        click.echo(
            json.dumps({"head": {}, "boolean": answer.boolean}) if fmt == "json" else str(answer.boolean).lower()
        )
        return
    if answer.kind == "graph":
        triples = list(answer.triples)
        if len(triples) > conn.max_rows:
            click.echo(f"warning: graph cut at {conn.max_rows} triples (--max-rows)", err=True)
        answer.triples = iter(triples[: conn.max_rows])
        click.echo(answer.graph().serialize(format="turtle"))
        return
    rows = list(answer.rows)
    table = Table(answer.variables, rows[: conn.max_rows], len(rows) > conn.max_rows)
    if table.truncated:
        click.echo(f"warning: result cut at {conn.max_rows} rows (--max-rows)", err=True)
    if fmt == "json":
        click.echo(json.dumps(to_results_json(table), ensure_ascii=False, indent=1))
    else:
        click.echo(_render(conn.frame(table), fmt, ids=ids, width=width, params=given))


@main.command()
@click.option("--endpoint", required=True, metavar="URL", help="The server's SPARQL query URL (…/query, …/sparql).")
@click.option(
    "--store-endpoint",
    default=None,
    metavar="URL",
    help="Its Graph Store Protocol URL (default: /store for /query, /sparql-graph-crud for /sparql).",
)
@click.option("--all", "--force", "every", is_flag=True, help="Send every graph, changed or not.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.pass_obj
@_clean_errors
def push(project: Project, endpoint: str, store_endpoint: str | None, every: bool, timeout: float) -> None:
    """Upload the built dataset, graph by graph, to a SPARQL server.

    Each graph replaces the graph of the same name on the server (HTTP PUT); the default
    graph replaces the server's default graph. Only the graphs that changed since the last
    push to the same server are sent, and the graphs of articles no longer in the build are
    deleted (the record is in BUILD/.cache). Then the server is asked whether its default
    graph holds the dataset. The server must accept updates: Oxigraph's own server does
    (below), and Virtuoso at its /sparql URL (http://HOST:8890/sparql); kg serve is read-only.

    \b
    Examples:
        oxigraph serve --location server-data --bind 127.0.0.1:7878 &
        kg push --endpoint http://127.0.0.1:7878/query
        kg push --endpoint http://127.0.0.1:7878/query --all

    """
    from kg.engines import RemoteEngine, check_dataset, graph_store_url, push_record
    from kg.engines import push as push_graphs

    target = store_endpoint or graph_store_url(endpoint)
    record = push_record(project.build / ".cache", target)
    report = push_graphs(_store(project), target, timeout=timeout, record=record, force=every)
    for graph, count in report.sent.items():
        click.echo(f"{count:>8} triples  {graph or '(default graph)'}")
    for graph in report.deleted:
        click.echo(f"deleted  {graph}")
    if report.skipped:
        n = len(report.skipped)
        click.echo(f"skipped {n} unchanged graph{'s' if n != 1 else ''} (--all sends them)")
    check_dataset(RemoteEngine(endpoint, timeout=timeout))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0 picks a free port.")
@click.option(
    "--engine", type=click.Choice(["oxigraph", "rdflib"]), default="oxigraph", show_default=True, help="The engine."
)
@click.option("--workers", type=ROWS, default=2, show_default=True, help="Queries answered at once; one more gets 503.")
@click.option("--timeout", type=SECONDS, default=DEFAULT_TIMEOUT, show_default=True, help="Seconds per query.")
@click.option("--max-rows", type=ROWS, default=DEFAULT_MAX_ROWS, show_default=True, help="Rows per answer at most.")
@MEMORY_OPTION
@click.pass_obj
@_clean_errors
def serve(
    project: Project, host: str, port: int, engine: str, workers: int, timeout: float, max_rows: int, memory_mb: int
) -> None:
    """Serve the built dataset read-only over SPARQL 1.1, safe to face a network.

    The endpoint is http://HOST:PORT/query (GET ?query=…, or POST a form or an
    application/sparql-query body); the default graph merges everything, and each
    article's claims are its named graph (GRAPH art:002 { ... }). Every query passes the
    same guard as kg query (no SERVICE, LOAD, updates or FROM outside the dataset) and
    runs in one of WORKERS processes, stopped after --timeout seconds or past --memory
    megabytes. The named questions answer at /q/NAME?param=value (CSV, JSON or an HTML
    table, as kg query NAME -p param=value gives them; /q/ lists them). Stop it with
    Ctrl-C or SIGTERM: nothing it started stays behind.

    \b
    Examples:
        kg serve --port 7878 &
        curl -f -H 'Accept: text/csv' --data-urlencode 'query=SELECT * { ?s ?p ?o } LIMIT 3' 127.0.0.1:7878/query
        curl -f '127.0.0.1:7878/q/who-met-whom?day=2026-02-03&format=csv'

    """
    from kg.serve import Endpoint
    from kg.serve import serve as run
    from kg.worker import Source

    nquads = _built(project)
    endpoint = Endpoint(
        Source(engine, str(project.build)), workers=workers, timeout=timeout, max_rows=max_rows, memory_mb=memory_mb
    )

    def ready(url: str) -> None:
        click.echo(f"serving {project.display(nquads)} read-only at {url} ({workers} workers, {engine})", err=True)

    run(endpoint, host=host, port=port, ready=ready)


def _filter_options(command: F) -> F:
    """The options that choose which facts make the network."""
    for option in reversed(
        [
            click.option(
                "--from",
                "start",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Keep facts dated on or after this day (undated facts are then left out).",
            ),
            click.option(
                "--to",
                "end",
                type=click.DateTime(["%Y-%m-%d"]),
                default=None,
                help="Keep facts dated on or before this day.",
            ),
            click.option(
                "--type",
                "types",
                multiple=True,
                metavar="PLOVER",
                help="Keep these event or relation types (repeatable), e.g. --type SANCTION.",
            ),
            click.option(
                "--modality",
                "modalities",
                multiple=True,
                type=click.Choice(["actual", "planned", "hypothetical", "negated"]),
                help="Keep these modalities (repeatable; default: all but negated).",
            ),
            click.option(
                "--min-articles",
                type=int,
                default=1,
                show_default=True,
                help="Keep ties reported by at least this many articles.",
            ),
            click.option(
                "--country",
                "countries",
                multiple=True,
                metavar="NAME",
                help="Keep actors of these countries (repeatable; id, label or alias).",
            ),
        ]
    ):
        command = option(command)
    return command


def _filters(
    conn: Connection,
    start: Any,
    end: Any,
    types: tuple[str, ...],
    modalities: tuple[str, ...],
    min_articles: int,
    countries: tuple[str, ...],
) -> Filters:
    from kg.network import Filters, node_id

    return Filters(
        start=start.date() if start else None,
        end=end.date() if end else None,
        event_types=frozenset(t.upper() if t.isupper() or t.lower() == t else t for t in types) or None,
        modalities=frozenset(modalities) or Filters().modalities,
        min_articles=min_articles,
        countries=frozenset(node_id(conn, c) for c in countries) or None,
    )


ANALYSES = ("centrality", "communities", "ego", "path", "balance", "timeline", "brokers", "change")


@main.command()
@click.argument("analysis", type=click.Choice(ANALYSES))
@click.argument("actors", nargs=-1)
@click.option("--hops", type=int, default=1, show_default=True, help="ego: steps from the actor.")
@click.option(
    "--method",
    type=click.Choice(["louvain", "greedy"]),
    default="louvain",
    show_default=True,
    help="communities: the algorithm (Louvain uses a fixed seed).",
)
@click.option(
    "--split",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="change: compare the facts before this day with those from it on.",
)
@click.option("--top", type=int, default=None, help="Show only the first rows.")
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.option("--ids", is_flag=True, help="table, md: show each identifier beside its label.")
@click.option("--width", type=click.IntRange(min=20), default=None, help="table: the width to fit (default: terminal).")
@_filter_options
@click.pass_obj
@_clean_errors
def analyze(
    project: Project,
    /,
    analysis: str,
    actors: tuple[str, ...],
    hops: int,
    method: str,
    split: Any,
    top: int | None,
    fmt: str,
    ids: bool,
    width: int | None,
    **filters: Any,
) -> None:
    """Measure the actor network: centrality, communities, ego, path, balance, timeline, brokers, change.

    Actors are given by id, label or alias. ego takes one actor, path and timeline two.
    balance lists the signed triangles and whether each is balanced.

    \b
    Examples:
        kg analyze centrality --top 10
        kg analyze timeline Trump Petro
        kg analyze path Moreno Petro
        kg analyze ego Petro --hops 2 --type SANCTION
        kg analyze change --split 2026-01-01

    """
    from kg.network import (
        balance_by_month,
        brokers,
        centrality,
        change,
        communities,
        ego,
        node_id,
        path_steps,
        structural_balance,
        ties,
    )
    from kg.network import project as project_network

    conn = _local(project)
    chosen = _filters(conn, **filters)
    needed = {"ego": 1, "path": 2, "timeline": 2}.get(analysis, 0)
    if len(actors) != needed:
        raise click.UsageError(f"{analysis} takes {needed} actor{'s' if needed != 1 else ''}, got {len(actors)}")
    chosen_ids = [node_id(conn, a) for a in actors]
    if analysis == "change":
        if split is None:
            raise click.UsageError("change needs --split YYYY-MM-DD")
        day = split.date()
        frame = change(conn, replace(chosen, end=day - datetime.timedelta(days=1)), replace(chosen, start=day))
    else:
        G = project_network(conn, chosen)
        if analysis == "centrality":
            frame = centrality(G)
        elif analysis == "communities":
            frame = communities(G, method=method)
        elif analysis == "ego":
            frame = ties(ego(G, chosen_ids[0], hops))
        elif analysis == "path":
            frame = path_steps(G, chosen_ids[0], chosen_ids[1])
        elif analysis == "timeline":
            frame = balance_by_month(G, chosen_ids[0], chosen_ids[1])
        elif analysis == "balance":
            frame = structural_balance(G)
        else:
            frame = brokers(G)
    if "relation" in frame.columns:
        # each relation in the ontology's words ("met with"), its name ("metWith") its id
        from kg.network import relation_words

        words = relation_words(conn)
        at = list(frame.columns).index("relation") + 1
        frame.insert(at, "relation_label", [words.get(str(r), str(r)) for r in frame["relation"]])
    between = {"between": frame.attrs["between"]} if "between" in frame.attrs else {}
    click.echo(_render(frame.head(top) if top else frame, fmt, ids=ids, width=width, params=between))
    if str(frame.attrs.get("betweenness", "exact")).startswith("estimated"):
        click.echo(f"note: betweenness {frame.attrs['betweenness']} (exact up to a size, then sampled)", err=True)


@main.command()
@click.argument("kind", type=click.Choice(["network", "ego", "timeline"]))
@click.argument("actor", required=False)
@click.option("--hops", type=int, default=1, show_default=True, help="ego: steps from the actor.")
@click.option(
    "--size-by",
    default="pagerank",
    show_default=True,
    type=click.Choice(["pagerank", "degree", "betweenness", "eigenvector", "in_facts", "out_facts"]),
    help="The centrality that sizes the nodes.",
)
@click.option("--title", default=None, help="The page's heading.")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=None,
    help="network: draw the N actors with the most ties (default: up to 150 and their 2,000 ties; the page says so).",
)
@click.option("--all", "every", is_flag=True, help="network: draw every actor, however many.")
@click.option(
    "--lanes",
    type=click.Choice(["actor", "type"]),
    default="actor",
    show_default=True,
    help="timeline: a lane per actor or per event type (the page switches them too).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: build/views/KIND.html; ego: build/views/ego-ACTOR.html).",
)
@_filter_options
@click.pass_obj
@_clean_errors
def view(
    project: Project,
    /,
    kind: str,
    actor: str | None,
    hops: int,
    size_by: str,
    title: str | None,
    top: int | None,
    every: bool,
    lanes: str,
    output: Path | None,
    **filters: Any,
) -> None:
    """Write an interactive view of the actor network as one self-contained HTML page.

    network: the whole (or filtered) network, or its actors with the most ties when it has
    more than 150 or their ties more than 2,000 (--top N, --all); ego: the actors around
    ACTOR; timeline: the dated facts along a time axis, in lanes by actor or by event type,
    each listing its quotes when clicked. The page needs no network access.

    \b
    Examples:
        kg view network --from 2026-01-01 -o recent.html
        kg view network --top 300
        kg view ego Petro --hops 2
        kg view timeline --type SANCTION --type THREATEN
        kg view timeline --lanes type

    """
    from kg.namespaces import slug
    from kg.network import node_id
    from kg.network import project as project_network
    from kg.views import TOP_ACTORS, TOP_TIES, article_info, ego_view, network_view, timeline_view

    if every and top is not None:
        raise click.UsageError("--top and --all exclude each other")

    conn = _local(project)
    G = project_network(conn, _filters(conn, **filters))
    name = kind
    if kind == "ego":
        if actor is None:
            raise click.UsageError("ego needs an ACTOR (id, label or alias)")
        centre = node_id(conn, actor)
        # one page per actor (and number of steps): a view of another actor never overwrites it
        name = "ego-" + (slug(centre) or "actor")
        name += f"-{hops}-steps" if hops != 1 else ""
        options = {"title": title} if title else {}
        page = ego_view(G, centre, hops, size_by=size_by, names=conn, **options)
    elif kind == "timeline":
        page = timeline_view(G, title=title or "Timeline of events", lanes=lanes, articles=article_info(conn))
    else:
        drawn = None if every else top or TOP_ACTORS
        ties = TOP_TIES if top is None and not every else None
        page = network_view(G, size_by=size_by, title=title or "Actor network", top=drawn, max_ties=ties, names=conn)
    target = output or project.build / "views" / f"{name}.html"
    click.echo(str(page.save(target)))


@main.command()
@click.argument("kind", type=click.Choice(["balance", "activity"]))
@click.argument("actors", nargs=-1)
@click.option(
    "--by",
    type=click.Choice(["type", "sign"]),
    default="type",
    show_default=True,
    help="activity: split each article's facts by event type or by sign.",
)
@click.option("--title", default=None, help="The chart's heading.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The HTML file to write (default: build/charts/KIND….html).",
)
@_filter_options
@click.pass_obj
@_clean_errors
def chart(
    project: Project,
    /,
    kind: str,
    actors: tuple[str, ...],
    by: str,
    title: str | None,
    output: Path | None,
    **filters: Any,
) -> None:
    """Write a chart as one self-contained HTML page (plotly, inlined: no network access).

    balance: cooperation and conflict month by month between two actors A B (id, label or
    alias), or over the whole network without them; activity: the facts each article
    reports, by event type or by sign (--by).

    \b
    Examples:
        kg chart balance Trump Petro
        kg chart balance --from 2025-01-01 -o balance.html
        kg chart activity --by sign

    """
    from kg.namespaces import slug
    from kg.network import node_id
    from kg.network import project as project_network
    from kg.views import activity_chart, article_info, balance_chart

    conn = _local(project)
    G = project_network(conn, _filters(conn, **filters))
    options = {"title": title} if title else {}
    if kind == "balance":
        if len(actors) not in (0, 2):
            raise click.UsageError(f"balance takes two actors or none, got {len(actors)}")
        ids = [node_id(conn, a) for a in actors]
        # one file per pair: a chart of another pair never overwrites it
        name = "-".join(["balance", *(slug(i) for i in ids)])
        page = balance_chart(G, *ids, **options)
    else:
        if actors:
            raise click.UsageError("activity takes no actors")
        name = f"activity-by-{by}"
        page = activity_chart(G, by=by, articles=article_info(conn), **options)
    target = output or project.build / "charts" / f"{name}.html"
    click.echo(str(page.save(target)))


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--no-notebooks", is_flag=True, help="Leave the notebooks out (they are run to be published).")
@click.option(
    "--no-texts", is_flag=True, help="Publish each article's quotes, not its text (texts not ours to redistribute)."
)
@click.option("--title", default=None, help="The site's name (default: News knowledge graph).")
@click.pass_obj
@_clean_errors
def publish(project: Project, /, dest: Path, no_notebooks: bool, no_texts: bool, title: str | None) -> None:
    """Write a static site of the built graph into DEST: it opens from the disk, with no server and no network.

    Pages for the articles (texts with their quotes marked), actors, facts, named
    questions, views, charts and notebooks, and an offline search. DEST is written beside
    itself, then renamed into place: a site kg wrote there before is replaced, unless it
    now holds files kg did not write (a .git, a CNAME), and any other folder that is not
    empty is refused: publishing never deletes a file of yours.

    \b
    Examples:
        kg publish --no-notebooks site
        kg publish --no-texts --no-notebooks --title "US and Colombia" public

    """
    from kg.site import publish as publish_site

    report = publish_site(project, dest, notebooks=not no_notebooks, texts=not no_texts, title=title)
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(report.summary())


@main.command(name="export-network")
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), default="graphml", show_default=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write (csv: the edges; the nodes go beside it as NAME.nodes.csv).",
)
@_filter_options
@click.pass_obj
@_clean_errors
def export_network(project: Project, /, fmt: str, output: Path, **filters: Any) -> None:
    """Write the actor network for Gephi, yEd, igraph or a spreadsheet.

    graphml and gexf write one file, OUTPUT: a node per actor with its name, class and
    measures (degree, PageRank…), an edge per pair and relation with a unique id, the
    relation in words as its label, its number of facts as its weight and its signed
    score. csv writes two files: OUTPUT, the edges, one row per edge and fact (names,
    relation, sign, date, fact, articles), and NAME.nodes.csv beside it, one row per
    actor (id, name, class, measures).

    \b
    Examples:
        kg export-network --format gexf -o actors.gexf
        kg export-network --format csv -o edges.csv --from 2026-01-01

    """
    from kg.network import project as project_network
    from kg.network import relation_words, write_network

    conn = _local(project)
    G = project_network(conn, _filters(conn, **filters))
    for written in write_network(G, fmt, output, relations=relation_words(conn)):
        click.echo(f"wrote {written}", err=True)


def _built(project: Project) -> Path:
    from kg.store import DATASET_FILE

    if not (project.build / DATASET_FILE).is_file():
        from kg.build import build_project

        build_project(project)
    return project.build / DATASET_FILE


def _store(project: Project) -> Any:
    from kg.store import read_dataset

    _built(project)
    return read_dataset(project.build)


def _local(project: Project, max_rows: int = 1_000_000) -> Connection:
    """The project's own built dataset on the embedded engine, with the default limits."""
    return _connect(
        project,
        engine="oxigraph",
        endpoint=None,
        timeout=DEFAULT_TIMEOUT,
        max_rows=max_rows,
        allow_external=False,
        memory_mb=DEFAULT_MEMORY_MB,
    )


def _connect(
    project: Project,
    *,
    engine: str,
    endpoint: str | None,
    timeout: float,
    max_rows: int,
    allow_external: bool,
    memory_mb: int | None,
) -> Connection:
    from kg.query import connect

    if endpoint is None:
        _built(project)
    return connect(
        project.build,
        engine=engine,
        endpoint=endpoint,
        timeout=timeout,
        max_rows=max_rows,
        allow_external=allow_external,
        memory_mb=memory_mb,
    )


def _render(
    frame: pd.DataFrame, fmt: str, *, ids: bool = False, width: int | None = None, params: dict[str, str] | None = None
) -> str:
    """A table for the terminal (labels, fitted to the width) or a file format (kg.tables)."""
    from kg.tables import render

    return render(frame, fmt, ids=ids, width=width, params=params)
