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
>>> graph.run("who-met-whom", day="2026-03-03")[["visitor", "host", "articles"]]
           visitor           host  articles
0  ent:alice-arden  ent:bob-brook         2

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

import functools
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
from pyparsing import ParseException
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue
from rdflib.term import Node

from kg.engines import Answer, Engine, OxigraphEngine, RdflibEngine, RemoteEngine
from kg.errors import InputError, QueryError
from kg.namespaces import ART, PREFIXES, curie, expand
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from kg.store import dataset_path, read_dataset
from kg.terms import to_python

__all__ = [
    "Connection",
    "NamedQuery",
    "Param",
    "Table",
    "bind",
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
    for line in text.splitlines():
        found = re.match(r"#\s*(title|description|param):\s*(.*)$", line.strip())
        continued = re.match(r"#\s{2,}(\S.*)$", line.strip())
        if found:
            key, value = found.groups()
            if key == "param":
                spec = re.match(r"(\w+)\s+(\S+)\s*=\s*(.*)$", value)
                if not spec:
                    raise InputError(
                        f"query {name}: bad parameter line '{line.strip()}'", expected="# param: NAME TYPE = DEFAULT"
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
        raise InputError(f"no such query file: {path}", hint="kg queries lists the named questions")
    return parse_query_file(str(path), path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- inspection and binding


def inspect_query(sparql: str, *, name: str = "query", allow_external: bool = False) -> str:
    """Parse ``sparql`` and refuse what a read-only question must not do; return its form.

    Raises
    ------
    QueryError
        For a syntax error (with line and column), an update, or — unless
        ``allow_external`` — ``SERVICE`` or ``FROM`` naming a graph outside the dataset.

    """
    try:
        parsed = parseQuery(sparql)
    except ParseException as exc:
        try:
            update = parseUpdate(sparql)
        except ParseException:
            raise QueryError(
                f"{name}:{exc.lineno}:{exc.col}: SPARQL syntax error: {exc.msg}",
                hint="check the query near this point",
            ) from exc
        kinds = sorted({str(part.name) for part in update.request})
        raise QueryError(
            f"{name}: {', '.join(kinds)} is an update: kg answers read queries only",
            expected="SELECT, ASK, CONSTRUCT or DESCRIBE",
            hint="to change the graph, edit the curated files and run kg build",
        ) from exc
    query = parsed[1]
    if not allow_external:
        if _contains(query, "ServiceGraphPattern"):
            raise QueryError(
                f"{name}: SERVICE is refused: it sends requests to other servers",
                hint="pass --allow-external (allow_external=True) if you mean it",
            )
        outside = sorted(str(iri) for iri in _dataset_iris(query) if not str(iri).startswith(str(ART)))
        if outside:
            raise QueryError(
                f"{name}: FROM <{outside[0]}> is refused: it is not a graph of the dataset",
                expected="the graph of an article, named by the article (FROM art:002)",
                hint="pass --allow-external (allow_external=True) to read other graphs",
            )
    return str(query.name).removesuffix("Query").lower()


def _contains(node: Any, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in node.values())
    if isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
        return any(_contains(v, name) for v in node)
    return False


def _dataset_iris(query: CompValue) -> Iterable[Any]:
    # CompValue.get answers a missing key with the key's name: test membership instead
    for clause in query["datasetClause"] if "datasetClause" in query else []:  # noqa: SIM401
        for key in ("default", "named"):
            if key in clause:
                iri = clause[key]
                yield expand(f"{iri.prefix}:{iri.localname}") if isinstance(iri, CompValue) else iri


def bind(sparql: str, bindings: dict[str, Node]) -> str:
    """``sparql`` with a ``VALUES`` block for ``bindings`` at the start of its WHERE clause.

    The values are RDF terms written by rdflib (``n3()``): escaped, never raw text.

    Raises
    ------
    QueryError
        If the query has no WHERE clause to bind in.

    """
    if not bindings:
        return sparql
    block = " ".join(f"VALUES ?{name} {{ {term.n3()} }}" for name, term in bindings.items()) + " "
    at = _where_brace(sparql)
    if at is None:
        raise QueryError("cannot bind parameters: the query has no WHERE clause")
    # a subquery is evaluated on its own, before the join that would restrict it: where it
    # projects a parameter, the parameter's value goes in too (the same answer, sooner)
    inner = [(brace, names) for brace, names in _subqueries(sparql) if brace != at]
    for brace, names in sorted(inner, reverse=True):
        own = " ".join(f"VALUES ?{n} {{ {bindings[n].n3()} }}" for n in sorted(names & set(bindings)))
        if own:
            sparql = sparql[: brace + 1] + " " + own + " " + sparql[brace + 1 :]
            at = at if brace > at else at + len(own) + 2
    return sparql[: at + 1] + " " + block + sparql[at + 1 :].lstrip(" ")


def _projected(expression: re.Match[str]) -> str:
    return " ".join(re.findall(r"\bAS\s+\?\w+", expression.group(1)))


def _subqueries(sparql: str) -> list[tuple[int, set[str]]]:
    """The opening brace of each ``SELECT … WHERE {`` and the variables it projects."""
    plain = _OPAQUE.sub(lambda m: " " * len(m.group()), sparql)
    found = []
    for m in re.finditer(r"\bSELECT\b(.*?)\bWHERE\s*\{", plain, re.IGNORECASE | re.DOTALL):
        projection = m.group(1)
        while re.search(r"\([^()]*\)", projection):  # expressions project only their AS ?name
            projection = re.sub(
                r"\(([^()]*)\)", lambda e: " ".join(re.findall(r"\bAS\s+\?\w+", e.group(1))), projection
            )
        names = {v for v in re.findall(r"\?(\w+)", projection)}
        if not re.match(r"\s*SELECT\b", plain[m.end() :], re.IGNORECASE):  # a group holding a subquery holds it alone
            found.append((m.end() - 1, names))
    return found


_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'|<[^<>\"{}|^`\\\s]*>|#[^\n]*"
)


def _where_brace(sparql: str) -> int | None:
    # blank out strings, IRIs and comments, then find the group of the outermost WHERE
    plain = _OPAQUE.sub(lambda m: " " * len(m.group()), sparql)
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
    """A built dataset opened on one engine, with the safety options of its questions."""

    def __init__(
        self,
        engine: Engine,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        allow_external: bool = False,
    ) -> None:
        self.engine = engine
        self.timeout = timeout
        self.max_rows = max_rows
        self.allow_external = allow_external

    def __repr__(self) -> str:
        return f"<kg.Connection engine={self.engine.name} timeout={self.timeout}s max_rows={self.max_rows}>"

    def execute(
        self,
        sparql: str,
        bindings: dict[str, Node] | None = None,
        *,
        name: str = "query",
        trusted: bool = False,
        complete: bool = False,
    ) -> Answer:
        """Inspect, bind and run ``sparql``; rows are read here, within the time limit.

        ``trusted`` skips the inspection, for the package's own questions (the shipped named
        questions, whose inspection a test makes, and the look-ups written here).
        ``complete`` reads every row: a result a computation uses is never cut at the
        display limit (``max_rows``).
        """
        if not trusted:
            inspect_query(sparql, name=name, allow_external=self.allow_external)
        text = _with_prefixes(bind(sparql, bindings or {}))

        def run() -> Answer:
            # everything an engine made is read and released in this thread: some engine
            # objects (Oxigraph's result iterators) must not be dropped by another thread
            answer = self.engine.execute(text)
            if answer.kind == "select":
                source = answer.rows
                answer.rows = iter(list(source if complete else islice(source, self.max_rows + 1)))
                getattr(source, "close", lambda: None)()
            elif answer.kind == "graph":
                answer.triples = iter(list(answer.triples))
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

        Keyword arguments bind variables: rdflib terms as they are, other values as typed
        literals (``day=datetime.date(2026, 2, 3)``); use :meth:`resolve` for an entity.
        """
        terms = {k: v if isinstance(v, Node) else Literal(v) for k, v in bindings.items()}
        answer = self.execute(sparql, terms)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            return answer.graph()
        rows = list(answer.rows)
        if len(rows) > self.max_rows:
            warnings.warn(f"query: result cut at {self.max_rows} rows (max_rows)", stacklevel=2)
        return self.frame(Table(answer.variables, rows[: self.max_rows], len(rows) > self.max_rows))

    def run(self, question: str | NamedQuery, /, **params: str) -> pd.DataFrame:
        """Run a named question (by name or as read from a file); ``params`` are given as text.

        Raises
        ------
        InputError
            For an unknown question or parameter, or a value that does not fit its type.

        """
        q = question if isinstance(question, NamedQuery) else _named(question)
        shipped = _shipped().get(q.name) == q  # inspected by the tests, not at each run
        return self.frame(self.table(q.text, self.bindings(q, **params), name=q.name, trusted=shipped))

    def bindings(self, q: NamedQuery, **params: str) -> dict[str, Node]:
        """The RDF terms for a named question's parameters, defaults filled in."""
        unknown = set(params) - set(q.params)
        if unknown:
            raise InputError(
                f"query {q.name} has no parameter {', '.join(sorted(unknown))}",
                expected=f"one of: {', '.join(q.params) or '(none)'}",
            )
        return {name: self._term(p, params.get(name, p.default)) for name, p in q.params.items()}

    def resolve(self, name: str, within: URIRef | None = None) -> URIRef:
        """The registry entity called ``name``: an IRI, a prefixed name, a label or an alias.

        With ``within`` (a class), only entities of that class are candidates: a place
        parameter given "Bogotá" means the city, not the country the name also stands for.

        Raises
        ------
        InputError
            If no entity, or more than one, goes by that name.

        """
        if name.startswith(("http://", "https://")):
            return URIRef(name)
        prefix, colon, local = name.partition(":")
        if colon and prefix in PREFIXES and " " not in name:
            return URIRef(PREFIXES[prefix] + local)
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

        An ``rdfs:label``, else an article's headline, else its source file.
        """
        wanted = sorted(set(iris))
        found: dict[URIRef, str] = {}
        for start in range(0, len(wanted), 1000):
            chunk = " ".join(i.n3() for i in wanted[start : start + 1000])
            # one UNION branch per kind of name (rdflib loses rows on a chain of OPTIONALs here)
            table = self.table(
                f"""SELECT ?s ?rank ?name WHERE {{ VALUES ?s {{ {chunk} }}
                      {{ ?s rdfs:label ?name BIND (1 AS ?rank) }} UNION {{ ?s schema:headline ?name BIND (2 AS ?rank) }}
                      UNION {{ ?s kg:sourceFile ?name BIND (3 AS ?rank) }} }} ORDER BY ?s ?rank ?name""",
                name="labels",
                trusted=True,
            )
            for s, _rank, name in table.rows:
                if isinstance(s, URIRef) and s not in found:
                    found[s] = str(name)
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
        if param.type == "iri":
            return self.resolve(value)
        datatype = expand(param.type)
        if not datatype.startswith(str(XSD)):  # a class: an entity of that class
            return self.resolve(value, within=URIRef(datatype))
        patterns = {str(XSD.date): r"\d{4}-\d{2}-\d{2}", str(XSD.integer): r"-?\d+", str(XSD.decimal): r"-?\d+(\.\d+)?"}
        if datatype in patterns and not re.fullmatch(patterns[datatype], value):
            raise InputError(
                f"parameter {param.name}: '{value}' is not {param.type}",
                expected={str(XSD.date): "YYYY-MM-DD"}.get(datatype, param.type),
            )
        if datatype == str(XSD.string):
            return Literal(value)
        return Literal(value, datatype=URIRef(datatype))


def connect(
    build: Path | str = "build",
    *,
    engine: str = "oxigraph",
    endpoint: str | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    allow_external: bool = False,
) -> Connection:
    """Open the dataset built into ``build`` (or a remote ``endpoint``) for questions.

    ``engine`` is ``"oxigraph"`` (the default: compiled, in memory) or ``"rdflib"``.

    Raises
    ------
    InputError
        If there is no built dataset, or the engine is unknown.

    """
    if endpoint is not None:
        chosen: Engine = RemoteEngine(endpoint, timeout=timeout)
    elif engine == "oxigraph":
        chosen = OxigraphEngine(read_dataset(Path(build)))
    elif engine == "rdflib":
        chosen = RdflibEngine(dataset_path(Path(build)))
    else:
        raise InputError(f"unknown engine '{engine}'", expected="oxigraph or rdflib, or an --endpoint URL")
    return Connection(chosen, timeout=timeout, max_rows=max_rows, allow_external=allow_external)


def _named(name: str) -> NamedQuery:
    named = read_queries()
    if name not in named:
        raise InputError(f"no named query '{name}'", hint="kg queries lists them; a file path works too")
    return named[name]


def _with_prefixes(sparql: str) -> str:
    # declared first, so that the query's own PREFIX lines override them
    return "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + sparql


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
