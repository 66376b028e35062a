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
  built dataset to it through the Graph Store Protocol, one ``PUT`` per graph, and only
  the graphs that changed since the last push to the same server.

A server answers the project's questions only if its default graph is the dataset's
merged default graph. Two ways to get that wrong answer silently, and both are caught
(:func:`check_dataset`, run by ``kg push`` after it sends and by :class:`RemoteEngine`
when an answer comes back empty): a default graph that was never sent (every question
answers no rows), and a default graph that is the union of all graphs (Virtuoso's when
no default graph is configured, ``oxigraph serve --union-default-graph``), which repeats
a statement once per graph that holds it.

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

import contextlib
import hashlib
import http.client
import json
import re
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
from kg.formats import write_atomic
from kg.namespaces import PREFIXES
from kg.terms import to_rdflib

__all__ = [
    "Answer",
    "Engine",
    "OxigraphEngine",
    "PushReport",
    "RdflibEngine",
    "RemoteEngine",
    "check_dataset",
    "graph_store_url",
    "oxigraph_program",
    "push",
    "push_record",
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
        self.checked = False
        self.constant_graphs_wrong: bool | None = None

    def execute(self, sparql: str) -> Answer:
        """Send ``sparql`` to the endpoint and read its answer.

        An empty answer (no rows, or ``false``) is trusted only once the endpoint's
        default graph has been seen to hold the dataset (:func:`check_dataset`, once per
        engine): a server whose default graph was never pushed answers every question with
        no rows, and that must not pass for an answer.

        Raises
        ------
        QueryError
            If the endpoint refuses the query or cannot be reached, or answers nothing
            because its default graph does not hold the dataset.

        """
        plain = _PLAIN.sub(lambda m: "<>" if m.group().startswith("<") else " ", sparql)
        if _CONSTANT_GRAPH.search(plain) and self._constant_graphs_wrong():
            raise QueryError(
                f"the endpoint {self.url} answers GRAPH <iri> {{ … }} wrongly (it says true of a graph it "
                "does not have, and gives no rows of one it has): Virtuoso 7 does so once its endpoint has a "
                "default graph",
                expected="GRAPH ?g with ?g bound, the same question in standard SPARQL",
                hint="write VALUES ?g { art:003 } GRAPH ?g { … }, or add FROM NAMED art:003",
            )
        answer = self._send(sparql)
        if self.checked or answer.kind == "graph" or (answer.kind == "ask" and answer.boolean):
            return answer
        if answer.kind == "ask":
            check_dataset(self)
            return answer
        rows = list(answer.rows)
        if not rows:
            check_dataset(self)
        answer.rows = iter(rows)
        return answer

    def _constant_graphs_wrong(self) -> bool:
        """Whether the endpoint finds a triple in a graph it does not have (asked once)."""
        if self.constant_graphs_wrong is None:
            probe = "ASK { GRAPH <urn:x-kg:no-such-graph> { <urn:x-kg:s> <urn:x-kg:p> <urn:x-kg:o> } }"
            self.constant_graphs_wrong = _ask(self, probe)
        return self.constant_graphs_wrong

    def _send(self, sparql: str) -> Answer:
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
            with exc:  # the error is a response too: closed once read
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


# GRAPH followed by an IRI or a prefixed name, outside strings, IRIs and comments
_CONSTANT_GRAPH = re.compile(r"\bGRAPH\s*(<|[A-Za-z][\w.-]*:|:)", re.IGNORECASE)
_PLAIN = re.compile(r"<[^<>\"{}|^`\\\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*")


def _ask(engine: RemoteEngine, sparql: str) -> bool:
    return bool(engine._send(sparql).boolean)


def _number(engine: RemoteEngine, sparql: str) -> int:
    row = next(engine._send(sparql).rows, (None,))
    return int(row[0].toPython()) if isinstance(row[0], Literal) else 0


_KG = "https://w3id.org/newskg/ns#"


def check_dataset(engine: RemoteEngine) -> None:
    """Make sure the endpoint's default graph is the dataset's merged default graph.

    Two questions, standard SPARQL: does the default graph hold what only the merged graph
    holds (the support the build derives, ``kg:articleCount``), and does it hold each
    article once (a union of the graphs repeats a statement once per graph)?

    Raises
    ------
    QueryError
        If the default graph does not hold the dataset (every question would answer no
        rows) or is a union of graphs (counts would be multiplied).

    """
    hint = (
        "push the built dataset with kg push (it sends the default graph); on Virtuoso, first give the "
        "endpoint a default graph for the Graph Store Protocol's ?default (see the README, Past one machine)"
    )
    if not _ask(engine, f"ASK {{ ?fact <{_KG}articleCount> ?n }}"):
        raise QueryError(
            f"the endpoint {engine.url} does not hold a kg dataset in its default graph: "
            "every named question would answer no rows",
            expected="a default graph that is the built dataset's merged default graph",
            hint=hint,
        )
    article = f"<{_KG}Article>"
    rows = _number(engine, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a a {article} }}")
    distinct = _number(engine, f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a {article} }}")
    if rows != distinct:
        raise QueryError(
            f"the default graph of {engine.url} is the union of its graphs: it gives {rows} rows "
            f"for {distinct} articles, so every count would be multiplied",
            expected="a default graph that is the built dataset's merged default graph, each statement once",
            hint=hint,
        )
    engine.checked = True


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


@dataclass
class PushReport:
    """What :func:`push` did: triples sent per graph, graphs skipped as unchanged, deleted.

    The default graph is named ``""``.
    """

    sent: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)


def graph_store_url(query_url: str) -> str:
    """The Graph Store Protocol URL that goes with a SPARQL query URL, by convention.

    Oxigraph's ``/query`` goes with ``/store``; Virtuoso's ``/sparql`` with
    ``/sparql-graph-crud``.

    Examples
    --------
    >>> graph_store_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/store'
    >>> graph_store_url("http://127.0.0.1:8890/sparql")
    'http://127.0.0.1:8890/sparql-graph-crud'

    """
    if query_url.endswith("/sparql"):
        return query_url + "-graph-crud"
    return query_url.removesuffix("/query") + "/store"


def push_record(cache: Path, store_url: str) -> Path:
    """Where the digests of the graphs last pushed to ``store_url`` are kept."""
    return cache / f"push-{hashlib.sha256(store_url.encode()).hexdigest()[:16]}.json"


def push(
    store: ox.Store,
    store_url: str,
    timeout: float = 60.0,
    *,
    record: Path | None = None,
    force: bool = False,
) -> PushReport:
    """Upload the graphs of ``store`` that changed with the Graph Store Protocol.

    Each graph replaces the graph of the same name on the server (HTTP ``PUT``), the
    default graph the server's default graph (``?default``). With a ``record`` (a JSON
    file of the SHA-256 digest of each graph last accepted by this server), a graph whose
    digest is unchanged is skipped, and a graph the record lists that is no longer in the
    dataset (a removed article) is deleted on the server (HTTP ``DELETE``). The record is
    rewritten, atomically, only once the server has accepted everything; ``force`` sends
    every graph whatever the record says.

    Raises
    ------
    QueryError
        If the server cannot be reached or refuses a graph.

    """
    before: dict[str, str] = {}
    if record is not None and record.is_file() and not force:
        try:
            saved = json.loads(record.read_text(encoding="utf-8"))
            before = dict(saved["graphs"]) if saved.get("store") == store_url else {}
        except (ValueError, KeyError, TypeError):
            before = {}  # an unreadable record: send everything, as on the first push
    report = PushReport()
    after: dict[str, str] = {}
    named = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=lambda g: g.value)
    graphs: list[ox.NamedNode | ox.DefaultGraph] = [ox.DefaultGraph(), *named]
    for graph in graphs:
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph) or b""
        name = graph.value if isinstance(graph, ox.NamedNode) else ""
        digest = hashlib.sha256(b"\n".join(sorted(data.splitlines()))).hexdigest()
        after[name] = digest
        if before.get(name) == digest:
            report.skipped.append(name)
            continue
        _send_graph(store_url, name, "PUT", data, timeout)
        report.sent[name] = data.count(b"\n")
    for name in sorted(set(before) - set(after)):
        _send_graph(store_url, name, "DELETE", None, timeout)
        report.deleted.append(name)
    if record is not None:
        text = json.dumps({"store": store_url, "graphs": after}, indent=1, sort_keys=True) + "\n"
        write_atomic(record, text.encode("utf-8"))
    return report


def _send_graph(store_url: str, name: str, method: str, data: bytes | None, timeout: float) -> None:
    """PUT or DELETE one graph of a Graph Store Protocol endpoint.

    A server may answer before it has read the whole body (Virtuoso refusing a graph it
    has no default for) and close the connection: the send then fails with a broken pipe,
    and the answer already sent is read and reported, not the broken pipe.
    """
    parts = urllib.parse.urlsplit(store_url)
    query = urllib.parse.urlencode({"graph": name} if name else {"default": ""})
    target = f"{parts.path or '/'}?{'&'.join(filter(None, [parts.query, query]))}"
    headers = {"Content-Type": "application/n-triples"} if data is not None else {}
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.hostname or "", parts.port, timeout=timeout)
    try:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # an answer may be waiting: read below
            connection.request(method, target, body=data, headers=headers)
        response = connection.getresponse()
        status, detail = response.status, response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise QueryError(f"cannot reach {store_url}: {exc}", hint="is the server running?") from exc
    finally:
        connection.close()
    if 200 <= status < 300 or (method == "DELETE" and status == 404):  # 404: already gone
        return
    raise QueryError(
        f"{store_url} refused {'to delete ' if method == 'DELETE' else ''}graph {name or '(default)'} "
        f"({status}): {' '.join(detail.decode('utf-8', 'replace').split())[-600:]}",
        expected="a SPARQL 1.1 Graph Store Protocol endpoint that accepts PUT and DELETE",
        hint="is --store-endpoint the server's graph store URL, and may kg write to it?",
    )


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
