"""The ``%sparql`` and ``%%sparql`` IPython magics: ``%load_ext kg`` in a notebook.

::

    %load_ext kg
    %sparql who-met-whom -p day=2026-02-03          # a named question
    %sparql SELECT ?s WHERE { ?s a kg:Person }       # a one-line query

    %%sparql -o meetings
    SELECT ?fact ?who WHERE { ?fact kg:eventType kg:CONSULT ; kg:actor ?who }

The result is shown (a DataFrame for SELECT) and, with ``-o NAME``, kept in that
variable. The project's prefixes are declared for you. The dataset is the nearest
``build/dataset.nq`` found from the working directory upwards, or ``--build DIR``;
``--endpoint URL`` asks a SPARQL server instead, ``--engine rdflib`` rdflib's engine.
The magic only parses its arguments and calls :func:`kg.query.connect`.
"""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from kg.query import Connection, connect, read_queries, read_query_file
from kg.store import DATASET_FILE

__all__ = ["find_build", "load_ipython_extension", "sparql"]

_connections: dict[tuple[str, str, str | None, float, int, bool], Connection] = {}


def find_build(start: Path | None = None) -> Path:
    """The nearest folder ``build`` holding a built dataset, from ``start`` upwards.

    Raises
    ------
    KGError
        If there is none.

    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "build" / DATASET_FILE).is_file():
            return folder / "build"
    raise InputError(
        f"no build/{DATASET_FILE} in {here} or above", hint="run 'make demo' or 'kg build', or pass --build DIR"
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="%sparql", add_help=False, exit_on_error=False)
    parser.add_argument("-o", "--output", default=None)
    parser.add_argument("-p", "--param", action="append", default=[])
    parser.add_argument("--build", default=None)
    parser.add_argument("--engine", default="oxigraph", choices=["oxigraph", "rdflib"])
    parser.add_argument("--endpoint", default=None)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT)
    parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS)
    parser.add_argument("--allow-external", action="store_true")
    parser.add_argument("rest", nargs=argparse.REMAINDER)
    return parser


def sparql(line: str, cell: str | None = None, namespace: dict[str, Any] | None = None) -> Any:
    """Run what a ``%sparql`` line or ``%%sparql`` cell asks; store it in ``namespace`` with -o."""
    try:
        parser = _parser()
        args = parser.parse_args(shlex.split(line))
        if args.rest and (args.rest[0] in read_queries() or args.rest[0].endswith(".rq")):
            # options may also follow a named question: %sparql who-met-whom -p day=2026-02-03 -o met
            name, more = args.rest[0], args.rest[1:]
            args = parser.parse_args(more, namespace=args)
            args.rest = [name, *args.rest]
    except (argparse.ArgumentError, ValueError) as exc:
        raise KGError(f"%sparql: {exc}") from exc
    build = str(Path(args.build).resolve()) if args.build else (None if args.endpoint else str(find_build()))
    key = (build or "", args.engine, args.endpoint, args.timeout, args.max_rows, args.allow_external)
    if key not in _connections:
        _connections[key] = connect(
            build or "build",
            engine=args.engine,
            endpoint=args.endpoint,
            timeout=args.timeout,
            max_rows=args.max_rows,
            allow_external=args.allow_external,
        )
    conn = _connections[key]
    rest = " ".join(args.rest).strip()
    params = dict(p.partition("=")[::2] for p in args.param)
    if cell is None and rest in read_queries():
        result: Any = conn.run(rest, **params)
    elif cell is None and rest.endswith(".rq"):
        result = conn.run(read_query_file(Path(rest)), **params)
    else:
        result = conn.query(cell if cell is not None else rest)
    if args.output and namespace is not None:
        namespace[args.output] = result
    return result


def load_ipython_extension(ipython: Any) -> None:
    """Register ``%sparql`` and ``%%sparql`` (called by ``%load_ext kg``)."""

    def magic(line: str, cell: str | None = None) -> Any:
        try:
            return sparql(line, cell, ipython.user_ns)
        except KGError as exc:
            print(exc)  # a user's mistake: the message, not a traceback
            return None

    ipython.register_magic_function(magic, magic_kind="line_cell", magic_name="sparql")
