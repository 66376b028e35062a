"""Ask SPARQL questions of a built dataset, safely, on any engine, and get DataFrames back.

>>> import tempfile
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT, Project
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources")
>>> built = build_project(example.with_build(tempfile.mkdtemp())).outputs[0].parent
>>> graph = connect(built)
>>> graph.query("SELECT ?who WHERE { ?m kg:eventType kg:ACCUSE ; kg:actor ?who }")
         who who_label
0  ent:bob-brook  Bob Brook
>>> graph.run("who-met-whom", day="2026-03-03")[["visitors", "hosts", "articles"]]
               visitors               hosts  articles
0  Alice Arden (t1, t2)  Bob Brook (t1, t2)         2

- **Results**: SELECT gives a pandas DataFrame whose typed literals are Python values
  (int, float, datetime.date, bool) and whose IRIs are prefixed names, each IRI column
  ``x`` followed by ``x_label`` (its ``rdfs:label``); ASK gives a bool; CONSTRUCT and
  DESCRIBE give an rdflib Graph.
- **Parameters** are bindings: each value becomes an RDF term first (typed, escaped by
  rdflib) and enters the query as a ``VALUES`` block at the start of its WHERE clause,
  the same on every engine (a remote endpoint has no other way to receive them). User
  text is never spliced into a query.
- **Named questions** live in ``kg/queries/*.rq``, one per file, with a header::

      # title: Who met whom on a given day
      # description: Meetings, visits and calls on one day, with both sides.
      # param: day xsd:date = 2026-02-03

  A parameter of type ``iri`` accepts an IRI, a prefixed name (``ent:gustavo-petro``) or
  a label or alias from the registry (``Petro``); a parameter whose type is a class
  (``kg:Place``) takes the same, among entities of that class only.
- **Safe by default**: every query is parsed (by rdflib) before any engine sees it.
  Updates (``INSERT``, ``DELETE``, ``LOAD``, ``CLEAR``…) are refused; so are ``SERVICE``
  and ``FROM``/``FROM NAMED`` naming a graph outside the dataset, unless
  ``allow_external=True`` — all of them reach the network or local files in rdflib and
  Oxigraph. A query stops after ``timeout`` seconds and returns at most ``max_rows`` rows.
  A syntax error is reported with the query's name or file, line and column.

Examples
--------
>>> q = read_queries()["who-met-whom"]
>>> q.title, q.params["day"].default
('Who met whom on a given day', '2026-02-03')
>>> print(bind("SELECT ?x WHERE { ?x ?p ?day }", {"day": Literal("2026-02-03", datatype=XSD.date)}))
SELECT ?x WHERE { VALUES ?day { "2026-02-03"^^<http://www.w3.org/2001/XMLSchema#date> } ?x ?p ?day }

"""

from __future__ import annotations

import datetime
import difflib
import functools
import math
import re
import threading
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd
import pyoxigraph as ox
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import Node

from kg.engines import Answer, Engine, OxigraphEngine
from kg.errors import InputError, QueryError
from kg.guard import OPAQUE, check_limits, inspect_query
from kg.namespaces import PREFIXES, curie, expand, with_prefixes
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from kg.store import dataset_path
from kg.terms import to_python
from kg.worker import Job, Source, Worker

__all__ = [
    "Connection",
    "NamedQuery",
    "Param",
    "Table",
    "article_title",
    "bind",
    "check_iri",
    "check_max_rows",
    "check_memory",
    "check_timeout",
    "connect",
    "inspect_query",
    "parse_query_file",
    "read_queries",
    "read_query_file",
    "run_named",
    "select",
    "to_results_json",
]

T = TypeVar("T")


@dataclass(frozen=True)
class Param:
    """A named question's parameter: its type (``iri`` or an XSD datatype) and default."""

    name: str
    type: str
    default: str


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL question kept in a file, with its header."""

    name: str
    title: str
    description: str
    text: str
    params: dict[str, Param] = field(default_factory=dict)


@dataclass
class Table:
    """The rows of a SELECT query as RDF terms; ``truncated`` when ``max_rows`` cut it."""

    variables: list[str]
    rows: list[tuple[Node | None, ...]]
    truncated: bool = False


# ---------------------------------------------------------------- named questions


def parse_query_file(name: str, text: str) -> NamedQuery:
    """Read the header comments of a named question.

    Examples
    --------
    >>> q = parse_query_file("x", chr(10).join(["# title: T", "# param: who iri = ent:x", "SELECT * {}"]))
    >>> q.params["who"]
    Param(name='who', type='iri', default='ent:x')

    """
    header: dict[str, str] = {}
    params: dict[str, Param] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        found = re.match(r"#\s*(title|description|param):\s*(.*)$", line.strip())
        continued = re.match(r"#\s{2,}(\S.*)$", line.strip())
        if found:
            key, value = found.groups()
            if key == "param":
                spec = re.match(r"(\w+)\s+(\S+)\s*=\s*(.*)$", value)
                if not spec:
                    raise InputError(
                        f"{name}:{number}: bad parameter line '{line.strip()}'", expected="# param: NAME TYPE = DEFAULT"
                    )
                params[spec.group(1)] = Param(spec.group(1), spec.group(2), spec.group(3).strip())
            else:
                header[key] = value.strip()
                last = key
        elif continued and header and last in header:
            header[last] += " " + continued.group(1).strip()
    return NamedQuery(name, header.get("title", name), header.get("description", ""), text, params)


def read_queries() -> dict[str, NamedQuery]:
    """The named questions shipped in ``kg/queries``, by name."""
    return dict(_shipped())


@functools.cache
def _shipped() -> dict[str, NamedQuery]:
    folder = resources.files("kg") / "queries"
    found = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".rq"):
            name = entry.name.removesuffix(".rq")
            found[name] = parse_query_file(name, entry.read_text(encoding="utf-8"))
    return found


def read_query_file(path: Path) -> NamedQuery:
    """A question kept in a file of the user's.

    Raises
    ------
    InputError
        If there is no such file.

    """
    if not path.is_file():
        if path.suffix != ".rq" and path.name == str(path):  # a name, not a path: a question mistyped
            raise _no_such_question(str(path))
        raise InputError(f"no such query file: {path}", hint="kg queries lists the named questions")
    return parse_query_file(str(path), path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- inspection and binding


def bind(sparql: str, bindings: dict[str, Node]) -> str:
    r"""``sparql`` with a ``VALUES`` block for ``bindings`` at the start of its WHERE clause.

    The values are RDF terms written by rdflib (``n3()``): escaped, never raw text.

    Raises
    ------
    QueryError
        If the query has no WHERE clause to bind in.
    InputError
        If a name is not a variable name or a term cannot be written (an IRI with a space
        or one of ``<>"{}|^`\``).

    """
    if not bindings:
        return sparql
    written = {name: _n3(name, term) for name, term in bindings.items()}
    block = " ".join(f"VALUES ?{name} {{ {term} }}" for name, term in written.items()) + " "
    at = _where_brace(sparql)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    # a subquery is evaluated on its own, before the join that would restrict it: where it
    # projects a parameter, the parameter's value goes in too (the same answer, sooner)
    inner = [(brace, names) for brace, names in _subqueries(sparql) if brace != at]
    for brace, names in sorted(inner, reverse=True):
        own = " ".join(f"VALUES ?{n} {{ {written[n]} }}" for n in sorted(names & set(bindings)))
        if own:
            sparql = sparql[: brace + 1] + " " + own + " " + sparql[brace + 1 :]
            at = at if brace > at else at + len(own) + 2
    return sparql[: at + 1] + " " + block + sparql[at + 1 :].lstrip(" ")


def _n3(name: str, term: Node) -> str:
    """The SPARQL text of ``term``, bound to the variable ``name``."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        raise InputError(f"cannot bind '{name}': not a variable name", expected="letters, digits and _")
    if isinstance(term, URIRef):
        return f"<{check_iri(str(term), what=name)}>"
    try:
        written = str(term.n3())
    except Exception as exc:  # rdflib raises a bare Exception for a term it cannot write
        raise InputError(f"cannot bind {name}: {exc}", expected="an RDF term") from exc
    # a backslash then u in the value: rdflib reads \uXXXX before parsing, Oxigraph inside
    # strings only; with the u escaped as \U00000075 (eight digits: no hex digit after it
    # joins it) both read the backslash and the u
    # a tab rdflib leaves raw, and rdflib's query parser then reads as spaces: write it \t
    written = written.replace("\t", "\\t")
    return _ESCAPED_U.sub(lambda m: m.group(1) + ("\\U00000075" if m.group(2) == "u" else "\\U00000055"), written)


#: An escaped backslash (an even run of them) followed by u or U, in a term written by rdflib.
_ESCAPED_U = re.compile(r"((?<!\\)(?:\\\\)+)([uU])")


def check_iri(text: str, *, what: str = "value") -> str:
    r"""``text`` if it can stand as an IRI in a query, else an error saying why.

    Examples
    --------
    >>> check_iri("http://x> } ; DROP ALL { <y", what="actor")
    Traceback (most recent call last):
      ...
    kg.errors.InputError: actor: 'http://x> } ; DROP ALL { <y' is not an IRI: it holds '>'
        expected: an IRI (https://…), a prefixed name (ent:gustavo-petro) or a name from the registry (Petro)
        hint: an IRI holds no spaces, control characters or any of <>"{}|^`\

    """
    bad = _NOT_IN_IRI.search(text)
    if bad or not text:
        shown = repr(bad.group()) if bad else "nothing"
        raise InputError(
            f"{what}: '{text}' is not an IRI: it holds {shown}",
            expected="an IRI (https://…), a prefixed name (ent:gustavo-petro) or a name from the registry (Petro)",
            hint='an IRI holds no spaces, control characters or any of <>"{}|^`\\',
        )
    return text


_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _projected(expression: re.Match[str]) -> str:
    """What a parenthesised expression of a projection projects: its ``AS ?name``, if any."""
    return " ".join(re.findall(r"\bAS\s+\?\w+", expression.group(1)))


def _subqueries(sparql: str) -> list[tuple[int, set[str]]]:
    """The opening brace of each ``SELECT … WHERE {`` and the variables it projects."""
    plain = OPAQUE.sub(lambda m: " " * len(m.group()), sparql)
    found = []
    for m in re.finditer(r"\bSELECT\b(.*?)\bWHERE\s*\{", plain, re.IGNORECASE | re.DOTALL):
        projection = m.group(1)
        while re.search(r"\([^()]*\)", projection):  # expressions project only their AS ?name
            projection = re.sub(r"\(([^()]*)\)", _projected, projection)
        names = {v for v in re.findall(r"\?(\w+)", projection)}
        if not re.match(r"\s*SELECT\b", plain[m.end() :], re.IGNORECASE):  # a group holding a subquery holds it alone
            found.append((m.end() - 1, names))
    return found


def _where_brace(sparql: str) -> int | None:
    # blank out strings, IRIs and comments, then find the group of the outermost WHERE
    plain = OPAQUE.sub(lambda m: " " * len(m.group()), sparql)
    where = re.search(r"\bWHERE\s*\{", plain, re.IGNORECASE)
    if where:
        return where.end() - 1
    construct = re.search(r"\bCONSTRUCT\s*\{", plain, re.IGNORECASE)
    first = plain.find("{")
    if first < 0:
        return None
    if not construct:
        return first
    depth = 0
    for i in range(construct.end() - 1, len(plain)):  # skip the template of CONSTRUCT { } { }
        depth += {"{": 1, "}": -1}.get(plain[i], 0)
        if depth == 0:
            nxt = plain.find("{", i + 1)
            return nxt if nxt >= 0 else None
    return None


# ---------------------------------------------------------------- connections


class Connection:
    """A built dataset opened on one engine, with the safety options of its questions.

    Made by :func:`connect`, a connection runs each question in a :class:`~kg.worker.Worker`
    process, killed at the deadline and capped in memory (``memory_mb``); made from an
    engine object (``Connection(OxigraphEngine(store))``), it runs them in this process,
    where a deadline can only stop the waiting, not the work. :meth:`close` (or ``with``)
    stops the worker.
    """

    def __init__(
        self,
        engine: Engine | Source,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        allow_external: bool = False,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
    ) -> None:
        self.timeout = check_timeout(timeout)
        self.max_rows = check_max_rows(max_rows)
        self.memory_mb = check_memory(memory_mb)
        self.allow_external = allow_external
        self.source = engine if isinstance(engine, Source) else None
        self.worker = Worker(engine, memory_mb=memory_mb) if isinstance(engine, Source) else None
        self._engine = None if isinstance(engine, Source) else engine

    def __repr__(self) -> str:
        return f"<kg.Connection engine={self.engine_name} timeout={self.timeout}s max_rows={self.max_rows}>"

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker process, if any (it starts again if the connection is used)."""
        if self.worker is not None:
            self.worker.close()

    @property
    def engine_name(self) -> str:
        """``oxigraph``, ``rdflib`` or ``remote``."""
        return self.source.engine if self.source is not None else self.engine.name

    @property
    def engine(self) -> Engine:
        """The engine in this process (opened on first use when questions go to a worker)."""
        if self._engine is None:
            assert self.source is not None
            self._engine = self.source.open()
        return self._engine

    def local_store(self) -> ox.Store | None:
        """The embedded Oxigraph store in this process, for the package's own scans; else None."""
        if self.engine_name != "oxigraph":
            return None
        engine = self.engine
        return engine.store if isinstance(engine, OxigraphEngine) else None

    def execute(
        self,
        sparql: str,
        bindings: dict[str, Node] | None = None,
        *,
        name: str = "query",
        trusted: bool = False,
        complete: bool = False,
    ) -> Answer:
        """Inspect, bind and run ``sparql``; rows are read within the time limit.

        ``trusted`` skips the inspection, for the package's own questions (the shipped named
        questions, whose inspection a test makes, and the look-ups written here).
        ``complete`` reads every row: a result a computation uses is never cut at the
        display limit (``max_rows``).
        """
        if not trusted:
            check_limits(sparql, name=name)
        text = with_prefixes(bind(sparql, bindings or {}))
        limit = None if complete else self.max_rows + 1
        if self.worker is not None:
            job = Job(text, name, None if trusted else sparql, self.allow_external, limit)
            return self.worker.run(job, self.timeout).answer()
        if not trusted:
            inspect_query(sparql, name=name, allow_external=self.allow_external)
        engine = self.engine

        def run() -> Answer:
            # everything an engine made is read and released in this thread: some engine
            # objects (Oxigraph's result iterators) must not be dropped by another thread
            answer = engine.execute(text)
            if answer.kind == "select":
                source = answer.rows
                answer.rows = iter(list(source if limit is None else islice(source, limit)))
                getattr(source, "close", lambda: None)()
            elif answer.kind == "graph":
                answer.triples = iter(list(answer.triples if limit is None else islice(answer.triples, limit)))
            return answer

        return _within(self.timeout, run, name)

    def table(self, sparql: str, bindings: dict[str, Node] | None = None, *, name: str = "query", **how: bool) -> Table:
        """The rows of a SELECT query as RDF terms (at most ``max_rows``, then a warning).

        ``how`` passes ``trusted`` and ``complete`` on to :meth:`execute`: with ``complete``
        every row is read, for a result a computation uses (the network, counts).
        """
        answer = self.execute(sparql, bindings, name=name, **how)
        if how.get("complete"):
            return Table(answer.variables, list(answer.rows), False)
        if answer.kind != "select":
            raise QueryError(f"{name}: not a SELECT query", expected="SELECT … WHERE { … }")
        rows = list(answer.rows)
        truncated = len(rows) > self.max_rows
        if truncated:
            warnings.warn(f"{name}: result cut at {self.max_rows} rows (max_rows)", stacklevel=2)
        return Table(answer.variables, rows[: self.max_rows], truncated)

    def query(self, sparql: str, /, **bindings: Any) -> pd.DataFrame | bool | Graph:
        """Run a query; SELECT gives a DataFrame, ASK a bool, CONSTRUCT and DESCRIBE a Graph.

        A result is cut at ``max_rows`` rows (or triples), with a warning.

        Keyword arguments bind variables: rdflib terms as they are, other values as typed
        literals (``day=datetime.date(2026, 2, 3)``); use :meth:`resolve` for an entity.
        """
        terms = {k: v if isinstance(v, Node) else Literal(v) for k, v in bindings.items()}
        answer = self.execute(sparql, terms)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            triples = list(answer.triples)
            if len(triples) > self.max_rows:
                warnings.warn(f"query: graph cut at {self.max_rows} triples (max_rows)", stacklevel=2)
            answer.triples = iter(triples[: self.max_rows])
            return answer.graph()
        rows = list(answer.rows)
        if len(rows) > self.max_rows:
            warnings.warn(f"query: result cut at {self.max_rows} rows (max_rows)", stacklevel=2)
        return self.frame(Table(answer.variables, rows[: self.max_rows], len(rows) > self.max_rows))

    def run(self, question: str | NamedQuery, /, **params: str | int | float | datetime.date) -> pd.DataFrame:
        """Run a named question (by name or as read from a file).

        ``params`` are given as text (``day="2026-02-03"``, ``actor="Petro"``), or as a
        number or a date for parameters of those types. A parameter whose name is a Python
        keyword is given as ``**{"from": "2025-09-01"}``.

        Raises
        ------
        InputError
            For an unknown question or parameter, or a value that does not fit its type.

        """
        q = question if isinstance(question, NamedQuery) else _named(question)
        shipped = _shipped().get(q.name) == q  # inspected by the tests, not at each run
        return self.frame(self.table(q.text, self.bindings(q, **params), name=q.name, trusted=shipped))

    def bindings(self, q: NamedQuery, **params: str | int | float | datetime.date) -> dict[str, Node]:
        """The RDF terms for a named question's parameters, defaults filled in."""
        unknown = set(params) - set(q.params)
        if unknown:
            raise InputError(
                f"query {q.name} has no parameter {', '.join(sorted(unknown))}",
                expected=f"one of: {', '.join(q.params) or '(none)'}",
            )
        return {name: self._term(p, _param_text(name, params.get(name, p.default))) for name, p in q.params.items()}

    def resolve(self, name: str, within: URIRef | None = None, *, what: str = "name") -> URIRef:
        """The registry entity called ``name``: an IRI, a prefixed name, a label or an alias.

        With ``within`` (a class), only entities of that class are candidates: a place
        parameter given "Bogotá" means the city, not the country the name also stands for.

        Raises
        ------
        InputError
            If no entity, or more than one, goes by that name.

        """
        if name.startswith(("http://", "https://")):
            return URIRef(check_iri(name, what=what))
        prefix, colon, local = name.partition(":")
        if colon and prefix in PREFIXES and " " not in name:
            return URIRef(check_iri(PREFIXES[prefix] + local, what=what))
        bindings: dict[str, Node] = {"name": Literal(name)}
        restrict = ""
        if within is not None:
            bindings["within"] = within
            restrict = "?e a/rdfs:subClassOf* ?within ."
        table = self.table(
            f"""SELECT DISTINCT ?e WHERE {{
                 ?e rdfs:label|kg:alias ?n . FILTER (LCASE(STR(?n)) = LCASE(?name)) {restrict}
               }} ORDER BY ?e""",
            bindings,
            name="resolve",
            trusted=True,
            complete=True,  # an ambiguity past the row limit is still an ambiguity
        )
        found = sorted({row[0] for row in table.rows if isinstance(row[0], URIRef)})
        if len(found) == 1:
            return found[0]
        if not found:
            kind = f" of class {curie(within)}" if within is not None else ""
            raise InputError(
                f"no entity{kind} is called '{name}'",
                expected="a label or alias from the registry, or an id such as ent:gustavo-petro",
            )
        raise InputError(
            f"'{name}' names {len(found)} entities: {', '.join(curie(e) for e in found)}",
            hint="pass one of these ids instead",
        )

    def labels(self, iris: Iterable[URIRef]) -> dict[URIRef, str]:
        """A label for each IRI that has one (the first in order if several).

        An ``rdfs:label``; for an article, its title (:func:`article_title`: its headline,
        else its outlet and date), never its file name.
        """
        wanted = sorted(set(iris))
        found: dict[URIRef, str] = {}
        articles: dict[URIRef, dict[int, Node]] = {}
        for start in range(0, len(wanted), 1000):
            chunk = " ".join(i.n3() for i in wanted[start : start + 1000])
            # one UNION branch per kind of name (rdflib loses rows on a chain of OPTIONALs here)
            table = self.table(
                f"""SELECT ?s ?rank ?name WHERE {{ VALUES ?s {{ {chunk} }}
                      {{ ?s rdfs:label ?name BIND (1 AS ?rank) }} UNION {{ ?s schema:headline ?name BIND (2 AS ?rank) }}
                      UNION {{ ?s kg:outlet ?name BIND (3 AS ?rank) }}
                      UNION {{ ?s schema:datePublished ?name BIND (4 AS ?rank) }}
                      UNION {{ ?s a kg:Article BIND (5 AS ?rank) BIND ("" AS ?name) }} }} ORDER BY ?s ?rank ?name""",
                name="labels",
                trusted=True,
                complete=True,  # every label, whatever the row limit
            )
            for s, rank, name in table.rows:
                if not isinstance(s, URIRef) or name is None:
                    continue
                if rank == Literal(1):
                    found.setdefault(s, str(name))
                else:
                    articles.setdefault(s, {}).setdefault(int(str(rank)), name)
        for s, parts in articles.items():
            if s not in found and 5 in parts:  # an article: its title
                published = to_python(parts[4]) if 4 in parts else None
                found[s] = article_title(
                    curie(s),
                    str(parts[2]) if 2 in parts else None,
                    str(parts[3]) if 3 in parts else None,
                    published if isinstance(published, datetime.date) else None,
                )
        return found

    def frame(self, table: Table) -> pd.DataFrame:
        """A DataFrame of Python values, each IRI column followed by its ``_label`` column."""
        iris = {t for row in table.rows for t in row if isinstance(t, URIRef)}
        labels = self.labels(iris) if iris else {}
        columns: dict[str, list[Any]] = {}
        for i, var in enumerate(table.variables):
            values = [row[i] for row in table.rows]
            columns[var] = [to_python(v) for v in values]
            if any(isinstance(v, URIRef) for v in values) and f"{var}_label" not in table.variables:
                columns[f"{var}_label"] = [labels.get(v) if isinstance(v, URIRef) else None for v in values]
        frame = pd.DataFrame(columns, columns=list(columns))
        frame.attrs["truncated"] = table.truncated
        return frame

    def _term(self, param: Param, value: str) -> Node:
        what = f"parameter {param.name}"
        if param.type == "iri":
            return self.resolve(value, what=what)
        datatype = expand(param.type)
        if not datatype.startswith(str(XSD)):  # a class: an entity of that class
            return self.resolve(value, within=URIRef(datatype), what=what)
        patterns = {str(XSD.date): r"\d{4}-\d{2}-\d{2}", str(XSD.integer): r"-?\d+", str(XSD.decimal): r"-?\d+(\.\d+)?"}
        if datatype in patterns and not re.fullmatch(patterns[datatype], value):
            raise InputError(
                f"parameter {param.name}: '{value}' is not {param.type}",
                expected={str(XSD.date): "YYYY-MM-DD"}.get(datatype, param.type),
            )
        if datatype == str(XSD.string):
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))


def article_title(article: str, headline: str | None, outlet: str | None, published: datetime.date | None) -> str:
    """An article's title: its headline, else its outlet and date, never its file name.

    >>> article_title("art:003", None, "vermelho.org.br", datetime.date(2026, 2, 4))
    'vermelho.org.br, 4 February 2026'
    >>> article_title("art:9", None, None, datetime.date(2026, 2, 4)), article_title("art:9", None, None, None)
    ('An article of 4 February 2026', 'Article 9')
    """
    if headline:
        return headline
    day = f"{published.day} {_MONTHS[published.month - 1]} {published.year}" if published else None
    if outlet:
        return f"{outlet}, {day}" if day else outlet
    if day:
        return f"An article of {day}"
    return f"Article {article.rpartition(':')[2] or article}"


_MONTHS = "January February March April May June July August September October November December".split()  # noqa: SIM905


def _param_text(name: str, value: object) -> str:
    """A parameter's value as text: text as it is, a number or a date written out."""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise InputError(
        f"parameter {name}: {value!r} is a {type(value).__name__}",
        expected="text, a number or a date",
        hint="pass the value as text, as on the command line",
    )


def connect(
    build: Path | str = "build",
    *,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    allow_external: bool = False,
    memory_mb: int | None = DEFAULT_MEMORY_MB,
) -> Connection:
    """Open the dataset built into ``build`` (or a remote ``endpoint``) for questions.

    ``engine`` is ``"oxigraph"`` (the default: compiled, in memory) or ``"rdflib"``. Each
    question runs in a worker process, stopped after ``timeout`` seconds and when its
    address space grows by more than ``memory_mb`` (None: no cap); see :mod:`kg.worker`.

    Raises
    ------
    InputError
        If there is no built dataset, the engine is unknown, or a limit is not a positive number.

    """
    if endpoint is not None:
        source = Source("remote", endpoint, timeout)
        source.open()  # checks the URL
    elif engine in ("oxigraph", "rdflib"):
        source = Source(engine, str(dataset_path(Path(build)).parent))
    else:
        raise InputError(f"unknown engine '{engine}'", expected="oxigraph or rdflib, or an --endpoint URL")
    return Connection(source, timeout=timeout, max_rows=max_rows, allow_external=allow_external, memory_mb=memory_mb)


def check_timeout(seconds: float) -> float:
    """``seconds`` if it is a usable timeout: a finite number above zero.

    >>> check_timeout(float("nan"))
    Traceback (most recent call last):
      ...
    kg.errors.InputError: timeout: nan is not a usable number of seconds
        expected: a number of seconds above 0, such as 30

    """
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not math.isfinite(seconds) or seconds <= 0:
        raise InputError(
            f"timeout: {seconds!r} is not a usable number of seconds",
            expected="a number of seconds above 0, such as 30",
        )
    return float(seconds)


def check_max_rows(rows: int) -> int:
    """``rows`` if it is a usable row limit: a whole number, at least 1."""
    if isinstance(rows, bool) or not isinstance(rows, int) or rows < 1:
        raise InputError(
            f"max_rows: {rows!r} is not a usable number of rows", expected="a whole number of rows, at least 1"
        )
    return rows


def check_memory(megabytes: int | None) -> int | None:
    """``megabytes`` if it is a usable memory cap: None (no cap) or a whole number, at least 64."""
    if megabytes is not None and (isinstance(megabytes, bool) or not isinstance(megabytes, int) or megabytes < 64):
        raise InputError(
            f"memory: {megabytes!r} is not a usable memory cap", expected="a whole number of megabytes, at least 64"
        )
    return megabytes


def _named(name: str) -> NamedQuery:
    named = read_queries()
    if name not in named:
        raise _no_such_question(name)
    return named[name]


def _no_such_question(name: str) -> InputError:
    """The error for a question ``name`` that is not shipped, naming the closest ones.

    Examples
    --------
    >>> print(_no_such_question("who-met"))
    no such question 'who-met'
        expected: the name of a question (kg queries lists them) or a .rq file
        hint: did you mean 'who-met-whom'?
    >>> print(_no_such_question("figure").hint)
    did you mean 'figures' or 'figures-about'?
    >>> print(_no_such_question("xyzzy").hint)
    kg queries lists the named questions, each with its parameters

    """
    close = difflib.get_close_matches(name, sorted(_shipped()), n=3, cutoff=0.6)
    if close:
        *others, last = [f"'{c}'" for c in close]
        hint = f"did you mean {', '.join(others) + ' or ' if others else ''}{last}?"
    else:
        hint = "kg queries lists the named questions, each with its parameters"
    expected = "the name of a question (kg queries lists them) or a .rq file"
    return InputError(f"no such question '{name}'", expected=expected, hint=hint)


def _within(seconds: float, work: Callable[[], T], name: str) -> T:
    """Run ``work`` in a thread and give up waiting after ``seconds``.

    The engines release the GIL while they work, so the wait ends on time; the abandoned
    thread finishes in the background (a daemon: it never holds the process open).
    """
    box: dict[str, Any] = {}

    def target() -> None:
        try:
            box["value"] = work()
        except BaseException as exc:  # handed to the caller below, without this thread's frames
            error: BaseException | None = exc
            while error is not None:
                error.__traceback__ = None
                error = error.__cause__ or error.__context__
            box["error"] = exc

    thread = threading.Thread(target=target, name=f"kg-query-{name}", daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        raise QueryError(
            f"{name}: no answer within {seconds:g} s",
            hint="narrow the query (a LIMIT, a date range) or raise the timeout (--timeout)",
        )
    if "error" in box:
        raise box["error"]
    value: T = box["value"]
    return value


# ---------------------------------------------------------------- conveniences for a bare store


def _connection(store: ox.Store | Connection) -> Connection:
    return store if isinstance(store, Connection) else Connection(OxigraphEngine(store))


def select(store: ox.Store | Connection, sparql: str, bindings: dict[str, Node] | None = None) -> pd.DataFrame:
    """Run a SELECT query on a store or connection; see :meth:`Connection.frame`."""
    conn = _connection(store)
    return conn.frame(conn.table(sparql, bindings))


def run_named(store: ox.Store | Connection, query: NamedQuery | str, **params: str) -> pd.DataFrame:
    """Run a named question on a store or connection; see :meth:`Connection.run`."""
    return _connection(store).run(query, **params)


def to_results_json(table: Table) -> dict[str, Any]:
    """A table in the SPARQL 1.1 Query Results JSON format.

    Examples
    --------
    >>> to_results_json(Table(["n"], [(Literal(2),)]))
    {'head': {'vars': ['n']}, 'results': {'bindings': [{'n': {'type': 'literal', 'value': '2', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}}]}}

    """
    bindings = []
    for row in table.rows:
        binding: dict[str, dict[str, str]] = {}
        for var, term in zip(table.variables, row, strict=True):
            if term is None:
                continue
            if isinstance(term, URIRef):
                binding[var] = {"type": "uri", "value": str(term)}
            elif isinstance(term, Literal):
                binding[var] = {"type": "literal", "value": str(term)}
                if term.language:
                    binding[var]["xml:lang"] = term.language
                elif term.datatype is not None and term.datatype != XSD.string:
                    binding[var]["datatype"] = str(term.datatype)
            else:
                binding[var] = {"type": "bnode", "value": str(term)}
        bindings.append(binding)
    return {"head": {"vars": table.variables}, "results": {"bindings": bindings}}
