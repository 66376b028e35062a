"""The built dataset as a read-only SPARQL 1.1 endpoint that can face a network.

:class:`Endpoint` is a WSGI application, served by waitress (:func:`serve`), a
production WSGI server: kg parses no HTTP itself. What a client may ask is what the
library may ask, and no more:

- **the same guard**: every query passes :func:`kg.guard.inspect_query` before an engine
  sees it; ``SERVICE``, ``LOAD``, updates and ``FROM`` outside the dataset are refused
  (400), and nothing is fetched. There is no way to allow them over HTTP;
- **work that stops**: each query runs in a :class:`~kg.worker.Worker` of a fixed pool,
  killed at the deadline (``timeout``) and capped in memory (``memory_mb``); answers are
  cut at ``max_rows`` rows (the header ``kg-truncated`` says so);
- **a bounded load**: as many queries run at once as there are workers; one more is
  answered at once with ``503`` and ``Retry-After`` (never queued), and a request body
  larger than ``max_body`` bytes with ``413``. The server's memory is bounded by the
  workers' caps plus ``max_rows`` per answer;
- **a clean stop**: SIGTERM or SIGINT closes the server and kills the workers; the
  workers also die with the server if it is killed outright (see :mod:`kg.worker`).

The protocol: ``GET /query?query=…``, ``POST /query`` with a form (``query=…``) or a
``application/sparql-query`` body. SELECT answers are SPARQL JSON (the default), XML, CSV
or TSV by the ``Accept`` header; ASK in JSON or XML; CONSTRUCT and DESCRIBE in Turtle (the
default), N-Triples or JSON-LD.

Examples
--------
>>> import tempfile
>>> from wsgiref.util import setup_testing_defaults
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(tempfile.mkdtemp())
>>> out = build_project(example).outputs[0].parent
>>> app = Endpoint(Source("oxigraph", str(out)), workers=1)
>>> def call(query_string, accept="text/csv"):
...     environ = {"QUERY_STRING": query_string, "PATH_INFO": "/query", "HTTP_ACCEPT": accept}
...     setup_testing_defaults(environ)
...     body = b"".join(app(environ, lambda status, headers: print(status)))
...     print(body.decode())
>>> call("query=SELECT+(COUNT(*)+AS+?n)+WHERE+{+?e+a+kg:Evidence+}")
200 OK
n
4
<BLANKLINE>
>>> call("query=SELECT+*+WHERE+{+SERVICE+<http://127.0.0.1:9/>+{+?s+?p+?o+}+}")
400 Bad Request
query: SERVICE is refused: it sends requests to other servers
<BLANKLINE>
>>> app.close()

"""

from __future__ import annotations

import csv
import html
import io
import json
import queue
import signal
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from types import FrameType
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import InputError, QueryError
from kg.guard import check_limits
from kg.namespaces import PREFIXES, with_prefixes
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from kg.query import Table, check_max_rows, check_memory, check_timeout, to_results_json
from kg.worker import Job, Reply, Source, Worker

__all__ = ["MAX_BODY", "Endpoint", "serve"]

#: The largest request body accepted (bytes): a query is at most 128 K characters.
MAX_BODY = 1024 * 1024

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
}


class BusyError(Exception):
    """Every worker is answering a query."""


class Endpoint:
    """A WSGI application answering SPARQL queries on ``source`` with a pool of workers."""

    def __init__(
        self,
        source: Source,
        *,
        workers: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
        memory_mb: int | None = DEFAULT_MEMORY_MB,
        max_body: int = MAX_BODY,
    ) -> None:
        self.source = source
        self.timeout = check_timeout(timeout)
        self.max_rows = check_max_rows(max_rows)
        self.memory_mb = check_memory(memory_mb)
        self.max_body = max_body
        self.workers = [Worker(source, memory_mb=memory_mb) for _ in range(check_max_rows(workers))]
        self._idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        for worker in self.workers:
            self._idle.put(worker)

    def close(self) -> None:
        """Stop every worker."""
        for worker in self.workers:
            worker.close()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request (the WSGI interface)."""
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in ("/", "/index.html") and method in ("GET", "HEAD"):
            return _respond(start_response, "200 OK", "text/html; charset=utf-8", self._page().encode())
        if path != "/query":
            return _text(start_response, "404 Not Found", f"no such page: {path}; the endpoint is /query")
        if method not in ("GET", "POST"):
            return _text(
                start_response, "405 Method Not Allowed", "GET or POST a query to /query", [("Allow", "GET, POST")]
            )
        try:
            sparql = self._read_query(environ)
            check_limits(sparql)
            reply = self._run(Job(with_prefixes(sparql), "query", sparql, False, self.max_rows + 1))
        except _HTTPError as exc:
            return _text(start_response, exc.status, exc.message)
        except BusyError:
            return _text(
                start_response,
                "503 Service Unavailable",
                f"busy: {len(self.workers)} queries are running; try again shortly",
                [("Retry-After", "1")],
            )
        except InputError as exc:
            status = "503 Service Unavailable" if "was stopped" in exc.message else "400 Bad Request"
            if "allow-external" in exc.hint:  # over HTTP there is no way to allow them
                exc = QueryError(exc.message, expected=exc.expected)
            return _text(start_response, status, str(exc))
        return self._answer(reply, environ.get("HTTP_ACCEPT", ""), start_response)

    def _run(self, job: Job) -> Reply:
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            raise BusyError() from None
        try:
            return worker.run(job, self.timeout)
        finally:
            self._idle.put(worker)

    def _read_query(self, environ: dict[str, Any]) -> str:
        fields = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        if environ.get("REQUEST_METHOD") == "POST":
            kind = environ.get("CONTENT_TYPE", "").partition(";")[0].strip().lower()
            body = self._body(environ)
            if kind == "application/sparql-query":
                return _decode(body)
            if kind == "application/sparql-update":
                raise _HTTPError("403 Forbidden", "updates are refused: this endpoint is read-only")
            if kind != "application/x-www-form-urlencoded":
                raise _HTTPError(
                    "415 Unsupported Media Type",
                    "POST a form (application/x-www-form-urlencoded) or application/sparql-query",
                )
            fields = urllib.parse.parse_qs(_decode(body), keep_blank_values=True)
        if "update" in fields:
            raise _HTTPError("403 Forbidden", "updates are refused: this endpoint is read-only")
        if "default-graph-uri" in fields or "named-graph-uri" in fields:
            raise _HTTPError(
                "400 Bad Request", "default-graph-uri and named-graph-uri are not supported: use FROM in the query"
            )
        queries = fields.get("query", [])
        if len(queries) != 1:
            raise _HTTPError("400 Bad Request", "give one query: ?query=SELECT …")
        query: str = queries[0]
        return query

    def _body(self, environ: dict[str, Any]) -> bytes:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise _HTTPError("400 Bad Request", "Content-Length is not a number") from None
        if length > self.max_body:
            raise _HTTPError(
                "413 Content Too Large", f"the request body is {length:,} bytes, more than {self.max_body:,}"
            )
        data: bytes = environ["wsgi.input"].read(length)
        return data

    def _answer(self, reply: Reply, accept: str, start_response: StartResponse) -> Iterable[bytes]:
        answer = reply.answer()
        headers: list[tuple[str, str]] = []
        if answer.kind == "graph":
            triples = list(answer.triples)
            if len(triples) > self.max_rows:
                headers.append(("kg-truncated", f"graph cut at {self.max_rows} triples"))
            answer.triples = iter(triples[: self.max_rows])
            mime, fmt = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if fmt is None:
                return _text(start_response, "406 Not Acceptable", f"graphs come as {', '.join(_GRAPH_TYPES)}")
            return _respond(
                start_response, "200 OK", mime, answer.graph().serialize(format=fmt, encoding="utf-8"), headers
            )
        mime, fmt = _negotiate(accept, _SELECT_TYPES, "application/sparql-results+json")
        if answer.kind == "ask":
            if fmt in ("csv", "tsv"):
                mime, fmt = "application/sparql-results+json", "json"
            body = json.dumps({"head": {}, "boolean": bool(answer.boolean)}).encode() if fmt == "json" else b""
            if fmt == "xml":
                body = _result("ASK", [], [], answer.boolean).serialize(format="xml") or b""
            return _respond(start_response, "200 OK", mime, body)
        if fmt is None:
            return _text(start_response, "406 Not Acceptable", f"results come as {', '.join(_SELECT_TYPES)}")
        rows = list(answer.rows)
        if len(rows) > self.max_rows:
            headers.append(("kg-truncated", f"result cut at {self.max_rows} rows"))
        table = Table(answer.variables, rows[: self.max_rows], len(rows) > self.max_rows)
        return _respond(start_response, "200 OK", mime, _results(table, fmt), headers)

    def _page(self) -> str:
        prefixes = "\n".join(f"PREFIX {k}: &lt;{html.escape(v)}&gt;" for k, v in PREFIXES.items())
        return (
            "<!doctype html><meta charset=utf-8><title>kg SPARQL endpoint</title>"
            "<h1>kg SPARQL endpoint</h1><p>Read-only SPARQL 1.1 at <code>/query</code> "
            "(GET ?query=…, or POST a form or application/sparql-query). "
            f"Each query: at most {self.timeout:g} s and {self.max_rows:,} rows. "
            "These prefixes are declared for every query:</p>"
            f"<pre>{prefixes}</pre>"
            "<form action=query method=post><textarea name=query rows=8 cols=80>"
            "SELECT ?actor ?name WHERE { ?actor a kg:Person ; rdfs:label ?name } LIMIT 10</textarea>"
            "<p><button>Run</button></form>"
        )


class _HTTPError(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _HTTPError("400 Bad Request", f"the request is not UTF-8 (byte {exc.start})") from None


def _negotiate(accept: str, offered: dict[str, str], default: str) -> tuple[str, str | None]:
    """The first media type of ``accept`` (by quality) that is ``offered``; ``default`` for ``*/*``."""
    ranked: list[tuple[float, int, str]] = []
    for i, part in enumerate(accept.split(",")):
        mime, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if mime and quality > 0:
            ranked.append((-quality, i, mime.strip().lower()))
    if not ranked:
        return default, offered[default]
    for _, _, mime in sorted(ranked):
        if mime in offered:
            return mime, offered[mime]
        if mime in ("*/*", "application/*", "text/*"):
            return default, offered[default]
    return default, None


def _results(table: Table, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(to_results_json(table), ensure_ascii=False).encode()
    if fmt == "xml":
        return _result("SELECT", table.variables, table.rows, None).serialize(format="xml") or b""
    out = io.StringIO()
    if fmt == "csv":  # SPARQL 1.1 CSV: plain values
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(table.variables)
        writer.writerows(
            ["" if t is None else f"_:{t}" if isinstance(t, BNode) else str(t) for t in row] for row in table.rows
        )
    else:  # SPARQL 1.1 TSV: terms as in Turtle
        out.write("\t".join(f"?{v}" for v in table.variables) + "\n")
        for row in table.rows:
            out.write("\t".join("" if t is None else _tsv_term(t) for t in row) + "\n")
    return out.getvalue().encode()


def _tsv_term(term: Node) -> str:
    text = str(term.n3())
    return text.replace("\t", "\\t").replace("\n", "\\n") if isinstance(term, Literal) else text


def _result(kind: str, variables: list[str], rows: list[tuple[Node | None, ...]], boolean: bool | None) -> Result:
    result = Result(kind)
    if kind == "ASK":
        result.askAnswer = bool(boolean)
        return result
    result.vars = [Variable(v) for v in variables]
    result.bindings = [
        {Variable(v): t for v, t in zip(variables, row, strict=True) if isinstance(t, URIRef | Literal | BNode)}
        for row in rows
    ]
    return result


def _respond(
    start_response: StartResponse, status: str, mime: str, body: bytes, headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    start_response(
        status,
        [
            ("Content-Type", mime if "charset" in mime or not mime.startswith("text/") else f"{mime}; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("X-Content-Type-Options", "nosniff"),
            *(headers or []),
        ],
    )
    return [body]


def _text(
    start_response: StartResponse, status: str, message: str, headers: list[tuple[str, str]] | None = None
) -> list[bytes]:
    return _respond(start_response, status, "text/plain; charset=utf-8", (message + "\n").encode(), headers)


def serve(
    endpoint: Endpoint, *, host: str = "127.0.0.1", port: int = 7878, ready: Callable[[str], None] | None = None
) -> None:
    """Serve ``endpoint`` with waitress until SIGTERM or SIGINT; then stop the workers.

    ``ready`` is called with the endpoint's URL once the server listens.
    """
    from waitress.server import create_server

    server = create_server(
        endpoint,
        host=host,
        port=port,
        threads=len(endpoint.workers) + 2,  # the extra threads answer 503 while the workers are busy
        max_request_body_size=endpoint.max_body,
        ident="kg",
        clear_untrusted_proxy_headers=True,
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()
        endpoint.close()  # first: the requests waiting on a worker end at once, and waitress's stop does not wait
        raise SystemExit(128 + signum)

    previous = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        if ready is not None:
            ready(f"http://{host}:{server.effective_port}/query")
        server.run()
    except SystemExit:
        if not stop.is_set():
            raise
    finally:
        endpoint.close()
        server.close()
        for s, handler in previous.items():
            signal.signal(s, handler)
    print("kg serve: stopped", file=sys.stderr)
