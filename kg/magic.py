"""The ``%sparql`` and ``%%sparql`` IPython magics: ``%load_ext kg`` in a notebook.

::

    %load_ext kg
    %sparql who-met-whom day=2026-02-03              # a named question, with a parameter
    %sparql actor-dossier actor="Gustavo Petro" -o dossier
    %sparql who-met-whom -p day=2026-02-03           # -p NAME=VALUE works too
    %sparql my-question.rq actor=Petro               # a question kept in a file
    %sparql SELECT ?s WHERE { ?s a kg:Person }        # a one-line query

    %%sparql -o meetings
    SELECT ?fact ?who WHERE { ?fact kg:eventType kg:CONSULT ; kg:actor ?who }

A line starts with its options, then says what to ask: a named question (``kg queries``
lists them), a ``.rq`` file, or a SPARQL query. A named question takes its parameters
after its name, each as ``NAME=VALUE``, ``NAME="a value with spaces"`` or
``-p NAME=VALUE``, in any order and mixed with the options; entities by id, label or
alias, as in ``kg query``. A mistyped name is answered with the names nearest to it.
A query is taken as written, to the end of the line or cell (write its values in it).

Options: ``-o NAME`` keeps the result in the variable NAME; ``--build DIR`` the built
dataset (default: the nearest ``build/dataset.nq`` from the working directory upwards);
``--endpoint URL`` asks a SPARQL server instead; ``--engine rdflib`` rdflib's engine;
``--timeout SECONDS``, ``--max-rows N``, ``--allow-external`` as in ``kg query``.

The result is shown: a DataFrame for SELECT, a bool for ASK, a graph for CONSTRUCT.
The project's prefixes are declared for you. The magic only reads its line and calls
:func:`kg.query.connect`; ``%sparql?`` shows this text.
"""

from __future__ import annotations

import argparse
import io
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError, KGError
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from kg.query import Connection, connect, read_query_file
from kg.store import DATASET_FILE

__all__ = ["Request", "find_build", "load_ipython_extension", "parse_line", "sparql"]

_connections: dict[tuple[str, str, str | None, float, int, bool], Connection] = {}

#: The words a SPARQL query can start with; any other first word names a question.
_QUERY_START = re.compile(r"(?i)(select|ask|construct|describe|prefix|base)\b|[#{]")
_PARAM = re.compile(r"[A-Za-z_]\w*=")
_PARAM_OPTIONS = ("-p", "--param")


@dataclass
class Request:
    """What a ``%sparql`` line asks: the options, and a question with parameters or a query."""

    options: argparse.Namespace
    question: str | None = None
    params: dict[str, str] = field(default_factory=dict)
    query: str = ""


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
    return parser


def _takes_value(token: str) -> bool:
    """Whether option ``token`` is followed by its value (every option but the flag, unless ``--opt=value``)."""
    return "=" not in token and token != "--allow-external"


def parse_line(line: str, cell: str | None = None) -> Request:
    """Read a ``%sparql`` line (and the cell of ``%%sparql``) into a :class:`Request`.

    Raises
    ------
    InputError
        For an unknown option, a parameter not written NAME=VALUE, or parameters given
        to a query rather than to a named question.

    Examples
    --------
    >>> r = parse_line('who-met-whom day=2026-02-03 -o met')
    >>> r.question, r.params, r.options.output
    ('who-met-whom', {'day': '2026-02-03'}, 'met')
    >>> parse_line('actor-dossier actor="Gustavo Petro"').params
    {'actor': 'Gustavo Petro'}
    >>> parse_line('--build b who-met-whom -p day=2026-02-03 --param=x=1').params
    {'day': '2026-02-03', 'x': '1'}
    >>> r = parse_line("-o n SELECT ?s WHERE { ?s rdfs:label 'Petro' }")
    >>> r.question, r.query, r.options.output
    (None, "SELECT ?s WHERE { ?s rdfs:label 'Petro' }", 'n')
    >>> print(parse_line("-p day=2026-02-03", "SELECT * WHERE { ?s ?p ?day }").params)
    Traceback (most recent call last):
    ...
    kg.errors.InputError: %sparql: parameters (-p day=2026-02-03) are for named questions, not for a query
        hint: write the value in the query, or keep it in a .rq file with a '# param:' line

    """
    parser = _parser()
    try:
        stream = io.StringIO(line)
        lexer = shlex.shlex(stream, posix=True)
        lexer.whitespace_split, lexer.commenters = True, ""
        options: list[str] = []
        rest = ""
        while True:  # the options before what is asked; a query after them is kept as written
            start = stream.tell()
            token = lexer.get_token()
            if token is None:
                break
            if not token.startswith("-"):
                rest = line[start:].strip()
                break
            options.append(token)
            if _takes_value(token):
                value = lexer.get_token()
                options += [] if value is None else [value]
        args = _parse(parser, options)
        request = Request(args)
        if cell is None and rest and not _QUERY_START.match(rest):
            request.question, *more = shlex.split(rest)
            leftover = _take_params(more, request.params)
            _parse(parser, leftover, args)
        else:
            request.query = cell if cell is not None else rest
        for item in args.param:
            _add_param(item, request.params)
    except (argparse.ArgumentError, ValueError) as exc:
        raise InputError(f"%sparql: {exc}", hint="%sparql? shows how a line is written") from exc
    if request.params and request.question is None:
        given = " ".join(f"-p {k}={v}" for k, v in request.params.items())
        raise InputError(
            f"%sparql: parameters ({given}) are for named questions, not for a query",
            hint="write the value in the query, or keep it in a .rq file with a '# param:' line",
        )
    return request


def _parse(
    parser: argparse.ArgumentParser, tokens: list[str], namespace: argparse.Namespace | None = None
) -> argparse.Namespace:
    """``tokens`` parsed as options (argparse would exit on an unknown one: here it is an error)."""
    args, unknown = parser.parse_known_args(tokens, namespace=namespace)
    if unknown:
        raise ValueError(f"{' '.join(map(repr, unknown))}: neither an option nor a parameter NAME=VALUE")
    return args


def _take_params(tokens: list[str], params: dict[str, str]) -> list[str]:
    """Move the parameters among ``tokens`` (``k=v``, ``-p k=v``) into ``params``; the rest, in order."""
    leftover: list[str] = []
    tokens = list(tokens)
    while tokens:
        token = tokens.pop(0)
        if token in _PARAM_OPTIONS:
            if not tokens:
                raise ValueError(f"{token} needs NAME=VALUE")
            _add_param(tokens.pop(0), params)
        elif token.startswith("--param="):
            _add_param(token.removeprefix("--param="), params)
        elif _PARAM.match(token):
            _add_param(token, params)
        else:
            leftover.append(token)
    return leftover


def _add_param(item: str, params: dict[str, str]) -> None:
    key, eq, value = item.partition("=")
    if not eq or not key.strip():
        raise ValueError(f"'{item}' is not NAME=VALUE (a parameter of a named question)")
    params[key.strip()] = value


def sparql(line: str, cell: str | None = None, namespace: dict[str, Any] | None = None) -> Any:
    """Run what a ``%sparql`` line or ``%%sparql`` cell asks; store it in ``namespace`` with -o.

    Examples
    --------
    >>> import tempfile
    >>> from kg.build import EXAMPLE, build_project
    >>> from kg.project import Project
    >>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources")
    >>> built = build_project(example.with_build(tempfile.mkdtemp())).outputs[0].parent
    >>> found = {}
    >>> by_label = sparql(f'actor-dossier actor="Bob Brook" --build {built} -o dossier', namespace=found)
    >>> by_id = sparql(f"--build {built} actor-dossier -p actor=ent:bob-brook")
    >>> len(by_label) > 0, by_label.equals(by_id), found["dossier"] is by_label
    (True, True, True)
    >>> sparql(f"--build {built} ASK {{ ?f kg:eventType kg:ACCUSE }}")
    True

    """
    request = parse_line(line, cell)
    args = request.options
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
    if request.question is None:
        result: Any = conn.query(request.query)
    elif request.question.endswith(".rq"):
        result = conn.run(read_query_file(Path(request.question)), **request.params)
    else:
        result = conn.run(request.question, **request.params)
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

    magic.__doc__ = __doc__  # what %sparql? shows
    ipython.register_magic_function(magic, magic_kind="line_cell", magic_name="sparql")
