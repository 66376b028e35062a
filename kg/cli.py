"""The ``kg`` command: a thin shell over the library.

Every command opens the project, calls one library function and prints or writes what
it returns. The package's own errors are printed without a traceback; exit codes are
0 fine, 1 the check found problems, 2 unusable input or usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd

from kg.build import build_project
from kg.check import check_project
from kg.errors import KGError
from kg.formats import FORMATS
from kg.project import Project
from kg.query import read_queries, read_query_file, run_named, select
from kg.stats import read_stats
from kg.store import read_dataset, write_export

__all__ = ["main"]

F = TypeVar("F", bound=Callable[..., Any])
TABLE_FORMATS = ("table", "csv", "tsv", "json", "md")


def _clean_errors(command: F) -> F:
    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except KGError as exc:
            click.echo(str(exc), err=True)
            sys.exit(exc.exit_code)

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
def main(ctx: click.Context, project_dir: Path, sources: Path | None, build_dir: Path | None) -> None:
    """Evidence-backed knowledge graphs of news: check, build, query and export.

    Example:
        kg check && kg build && kg stats

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

    Example:
        kg check --sources ../shared/seeds

    """
    corpus = check_project(project, incremental=not full).corpus
    triples = sum(len(f.triples) for f in corpus.files)
    click.echo(f"ok: {len(corpus.articles)} articles, {triples} triples, no problems")


@main.command()
@click.option("--force", is_flag=True, help="Check every file and rebuild even if nothing changed.")
@click.pass_obj
@_clean_errors
def build(project: Project, force: bool) -> None:
    """Check, then build the dataset (TriG and N-Quads) into the build folder.

    A failed build leaves the previous output untouched.

    Example:
        kg build && ls build/

    """
    result = build_project(project, force=force)
    for path in result.outputs:
        click.echo(f"{'up to date' if result.up_to_date else 'wrote'} {project.display(path)}")
    click.echo(" ".join(f"{name}={n}" for name, n in result.counts.items()) + " (triples per graph)")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(sorted(FORMATS)),
    default="nquads",
    show_default=True,
    help="Serialisation; turtle gives the union of the named graphs.",
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

    Builds first when there is no built dataset yet.

    Example:
        kg export --format nquads -o graph.nq

    """
    store = _open(project)
    if output is None:
        from kg.store import export_dataset

        sys.stdout.buffer.write(export_dataset(store, fmt))
    else:
        write_export(store, fmt, output)
        click.echo(f"wrote {output}", err=True)


@main.command()
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.pass_obj
@_clean_errors
def stats(project: Project, fmt: str) -> None:
    """Counts by class, by event type and by article, and corroborated facts.

    Example:
        kg stats --format md

    """
    result = read_stats(_open(project))
    for title, frame in result.tables().items():
        click.echo(f"## {title}")
        click.echo(_render(frame, fmt))
        click.echo()
    click.echo(f"facts with two or more independent sources (articles): {result.corroborated} of {result.facts}")


@main.command()
@click.pass_obj
@_clean_errors
def queries(project: Project) -> None:
    """List the named questions with their parameters.

    Example:
        kg queries

    """
    for name, q in read_queries().items():
        params = " ".join(f"{p.name}={p.default}" for p in q.params.values())
        click.echo(f"{name:32} {q.title}" + (f"  [{params}]" if params else ""))


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", default=None, help="A SPARQL SELECT query given inline.")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of a named question (repeatable).",
)
@click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default="table", show_default=True)
@click.pass_obj
@_clean_errors
def query(project: Project, name: str | None, expression: str | None, params: tuple[str, ...], fmt: str) -> None:
    """Run a named question, a .rq file, or an inline query (-e).

    Example:
        kg query who-met-whom -p day=2026-02-03

    """
    store = _open(project)
    if expression is not None:
        frame = select(store, expression)
    elif name is None:
        raise click.UsageError("give a query NAME or FILE, or -e 'SPARQL'")
    else:
        named = read_queries()
        q = named.get(name) or read_query_file(Path(name))
        values = {}
        for item in params:
            key, eq, value = item.partition("=")
            if not eq:
                raise click.BadParameter(f"'{item}' is not NAME=VALUE", param_hint="-p")
            values[key] = value
        frame = run_named(store, q, **values)
    click.echo(_render(frame, fmt))


def _open(project: Project) -> Any:
    if not (project.build / "dataset.nq").is_file():
        build_project(project)
    return read_dataset(project.build)


def _render(frame: pd.DataFrame, fmt: str) -> str:
    if fmt == "csv":
        return frame.to_csv(index=False).rstrip("\n")
    if fmt == "tsv":
        return frame.to_csv(index=False, sep="\t").rstrip("\n")
    if fmt == "json":
        records = frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
        return json.dumps(records, ensure_ascii=False, indent=1, default=str)
    if fmt == "md":
        head = "| " + " | ".join(map(str, frame.columns)) + " |"
        rule = "|" + "---|" * len(frame.columns)
        rows = [
            "| " + " | ".join("" if pd.isna(v) else str(v) for v in row) + " |" for row in frame.itertuples(index=False)
        ]
        return "\n".join([head, rule, *rows])
    with pd.option_context("display.width", 200, "display.max_colwidth", 60, "display.max_rows", None):
        return frame.to_string(index=False) if not frame.empty else "(no rows)"
