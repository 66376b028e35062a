"""Where SPARQL runs: an embedded Oxigraph store, rdflib in memory, or a remote endpoint.

All three answer the same query text the same way: the default graph is the dataset's
default graph (the merge of everything, see :mod:`kg.build`), ``GRAPH ?g`` ranges over
the articles' named graphs, and results come back as rdflib terms in an
:class:`Answer`. The text they receive has been inspected and completed by
:mod:`kg.query` (prefixes, bound parameters); engines only execute.

- :class:`OxigraphEngine` — the default: compiled, in memory (``pyoxigraph``).
- :class:`RdflibEngine` — rdflib's own engine on an in-memory ``Dataset``; slower, handy
  for comparing. Loading graphs named by ``FROM`` is switched off.
- :class:`RemoteEngine` — any SPARQL 1.1 endpoint, through the SPARQL Protocol
  (``POST`` of the query, results as SPARQL JSON or N-Triples); :func:`push` uploads a
  built dataset to it through the Graph Store Protocol, one ``PUT`` per graph.

Examples
--------
>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("1")))
>>> store.add(ox.Quad(ox.NamedNode("http://x/a"), ox.NamedNode("http://x/p"), ox.Literal("2"),
...                   ox.NamedNode("http://x/g")))
>>> answer = OxigraphEngine(store).execute("SELECT ?o WHERE { ?s ?p ?o }")
>>> answer.variables, list(answer.rows)
(['o'], [(rdflib.term.Literal('1'),)])
>>> list(OxigraphEngine(store).execute("SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }").rows)
[(rdflib.term.URIRef('http://x/g'), rdflib.term.Literal('2'))]

"""

from __future__ import annotations

import json
import shutil
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox
import rdflib.plugins.sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import InputError, QueryError
from kg.namespaces import PREFIXES
from kg.terms import to_rdflib

__all__ = [
    "Answer",
    "Engine",
    "OxigraphEngine",
    "RdflibEngine",
    "RemoteEngine",
    "oxigraph_program",
    "push",
    "serve_command",
]

Row = tuple[Node | None, ...]


@dataclass
class Answer:
    """What an engine returns: rows for SELECT, a boolean for ASK, triples for a graph."""

    kind: str  # "select", "ask" or "graph"
    variables: list[str] = field(default_factory=list)
    rows: Iterator[Row] = field(default_factory=lambda: iter(()))
    boolean: bool | None = None
    triples: Iterator[tuple[Node, Node, Node]] = field(default_factory=lambda: iter(()))

    def graph(self) -> Graph:
        """The triples of a CONSTRUCT or DESCRIBE answer as an rdflib graph, with the project's prefixes."""
        g = Graph()
        for prefix, ns in PREFIXES.items():
            g.bind(prefix, ns)
        for t in self.triples:
            g.add(t)
        return g


class Engine(Protocol):
    """Something that executes complete SPARQL query text."""

    name: str

    def execute(self, sparql: str) -> Answer:
        """Run ``sparql`` and return its answer."""
        ...


class OxigraphEngine:
    """The embedded default: an Oxigraph store."""

    name = "oxigraph"

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    def execute(self, sparql: str) -> Answer:
        """Run ``sparql`` with Oxigraph."""
        try:
            result = self.store.query(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from exc
        if isinstance(result, ox.QueryBoolean):
            return Answer("ask", boolean=bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = (tuple(None if t is None else to_rdflib(t) for t in solution) for solution in result)
            return Answer("select", variables, rows)
        triples = ((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result)
        return Answer("graph", triples=triples)


class RdflibEngine:
    """rdflib's SPARQL engine over an in-memory ``Dataset``."""

    name = "rdflib"

    def __init__(self, nquads: Path) -> None:
        # FROM <iri> must name a graph of the dataset, never fetch one from the network
        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self.dataset = Dataset()
        self.dataset.parse(nquads, format="nquads")

    def execute(self, sparql: str) -> Answer:
        """Run ``sparql`` with rdflib."""
        result = self.dataset.query(sparql)
        if result.type == "ASK":
            return Answer("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars or []]
            return Answer("select", variables, (tuple(row) for row in result))  # type: ignore[arg-type]
        graph = result.graph if result.graph is not None else Graph()
        return Answer("graph", triples=iter(graph))


class RemoteEngine:
    """A SPARQL 1.1 endpoint reached through the SPARQL Protocol."""

    name = "remote"

    def __init__(self, url: str, timeout: float = 60.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise InputError(f"not an endpoint URL: {url}", expected="http://HOST:PORT/query")
        self.url = url
        self.timeout = timeout

    def execute(self, sparql: str) -> Answer:
        """Send ``sparql`` to the endpoint and read its answer."""
        request = urllib.request.Request(
            self.url,
            data=urllib.parse.urlencode({"query": sparql}).encode(),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/sparql-results+json, application/n-triples;q=0.9",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                kind = response.headers.get_content_type()
                body = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            raise QueryError(f"the endpoint {self.url} refused the query ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(
                f"cannot reach the endpoint {self.url}: {exc}", hint="is the server running? (kg serve)"
            ) from exc
        if kind == "application/sparql-results+json":
            return _from_json(json.loads(body))
        graph = Graph().parse(data=body.decode("utf-8"), format="nt")
        return Answer("graph", triples=iter(graph))


def _from_json(data: dict[str, Any]) -> Answer:
    if "boolean" in data:
        return Answer("ask", boolean=bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = (tuple(_term(b.get(v)) for v in variables) for b in data.get("results", {}).get("bindings", []))
    return Answer("select", variables, rows)


def _term(value: dict[str, str] | None) -> Node | None:
    if value is None:
        return None
    kind = value["type"]
    if kind == "uri":
        return URIRef(value["value"])
    if kind == "bnode":
        return BNode(value["value"])
    if "xml:lang" in value:
        return Literal(value["value"], lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype and datatype != "http://www.w3.org/2001/XMLSchema#string":
        return Literal(value["value"], datatype=URIRef(datatype))
    return Literal(value["value"])


def push(store: ox.Store, store_url: str, timeout: float = 60.0) -> dict[str, int]:
    """Upload every graph of ``store`` with the Graph Store Protocol (HTTP ``PUT``).

    Each graph replaces the graph of the same name on the server, the default graph the
    server's default graph. Returns the number of triples sent per graph (``""`` for the
    default graph).

    Raises
    ------
    QueryError
        If the server cannot be reached or refuses a graph.

    """
    sent = {}
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *named]
    for graph in graphs:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        name = graph.value if isinstance(graph, ox.NamedNode) else ""
        url = f"{store_url}?{urllib.parse.urlencode({'graph': name} if name else {'default': ''})}"
        request = urllib.request.Request(
            url, data=data, headers={"Content-Type": "application/n-triples"}, method="PUT"
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout):
                pass
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace").strip()
            raise QueryError(f"{store_url} refused graph {name or 'default'} ({exc.code}): {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise QueryError(f"cannot reach {store_url}: {exc}", hint="is the server running?") from exc
        sent[name] = data.count(b"\n")
    return sent


def oxigraph_program() -> str:
    """The path of the ``oxigraph`` server program (PyPI package ``oxigraph``).

    Raises
    ------
    InputError
        If it is not installed.

    """
    program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    if program is None:
        raise InputError(
            "the oxigraph server program is not installed",
            hint="pip install oxigraph (make demo installs it into .venv)",
        )
    return program


def serve_command(nquads: Path, location: Path, *, host: str, port: int, timeout: float) -> list[list[str]]:
    """The commands that load a built dataset into ``location`` and serve it read-only.

    The server is the ``oxigraph`` program (PyPI package ``oxigraph``): a real SPARQL 1.1
    server with the dataset's own default graph, as in the other engines.

    Raises
    ------
    InputError
        If the ``oxigraph`` program cannot be found.

    """
    program = oxigraph_program()
    return [
        [program, "load", "--location", str(location), "--file", str(nquads)],
        [
            program,
            "serve-read-only",
            "--location",
            str(location),
            "--bind",
            f"{host}:{port}",
            "--timeout-s",
            str(max(1, round(timeout))),
        ],
    ]
