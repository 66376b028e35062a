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
default), N-Triples or JSON-LD. The project's prefixes are declared for every query.

The named questions (:func:`kg.query.read_queries`) answer by URL: ``GET /q/`` lists them,
``GET /q/NAME?param=value`` runs one as ``kg query NAME -p param=value`` does — the same
parameters (labels and aliases resolved, values typed, defaults filled in; values become
RDF terms, never query text), pool, deadline, memory cap and row limit; the question's own
text, shipped and inspected by the tests, is not parsed again at each request, as in
:meth:`kg.query.Connection.run` — and answers in the bytes of ``--format csv`` or
``--format json`` (``?format=csv|json|html``, else by ``Accept``: ``text/csv``,
``application/json``; ``text/html``, as browsers send, gets a page with a table of labels
and a form for the parameters). An unknown question is ``404``, naming the closest ones; a
bad parameter ``400``, with the library's message and hint.

Examples
--------
>>> import tempfile
>>> from wsgiref.util import setup_testing_defaults
>>> from kg.build import EXAMPLE, build_project
>>> from kg.project import Project
>>> example = Project.at(EXAMPLE, sources=EXAMPLE / "sources").with_build(tempfile.mkdtemp())
>>> out = build_project(example).outputs[0].parent
>>> app = Endpoint(Source("oxigraph", str(out)), workers=1)
>>> def call(query_string, accept="text/csv", path="/query"):
...     environ = {"QUERY_STRING": query_string, "PATH_INFO": path, "HTTP_ACCEPT": accept}
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
>>> call("format=csv&day=2026-03-03", path="/q/who-met-whom")
200 OK
fact,fact_label,visitors,hosts,places,articles
fact:arden-brook-meeting,Alice Arden meets Bob Brook,"Alice Arden (t1, t2)","Bob Brook (t1, t2)",Capital City (t1),2
<BLANKLINE>
>>> call("actor=Nobody", path="/q/actor-dossier")
400 Bad Request
no entity is called 'Nobody'
    expected: a label or alias from the registry, or an id such as ent:gustavo-petro
<BLANKLINE>
>>> app.close()

"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import queue
import signal
import sys
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from types import FrameType
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Node, Variable

from kg.errors import InputError, QueryError
from kg.guard import check_limits
from kg.namespaces import PREFIXES, with_prefixes
from kg.project import DEFAULT_MAX_ROWS, DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT
from kg.query import (
    Connection,
    NamedQuery,
    Table,
    check_max_rows,
    check_memory,
    check_timeout,
    read_queries,
    to_results_json,
)
from kg.tables import Shown, cell, render, shown
from kg.terms import to_python
from kg.worker import Job, Reply, Source, Worker

__all__ = ["MAX_BODY", "Endpoint", "serve"]

#: The largest request body accepted (bytes): a query is at most 128 K characters.
MAX_BODY = 1024 * 1024

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

_SPARQL_JSON = "application/sparql-results+json"
#: What a SELECT or ASK answers in, by ``Accept``; ``text/html`` (what a browser prefers) is a page.
_SELECT_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
    "text/html": "html",
}
#: What a named question answers in, by ``Accept`` (``?format=`` names one of the values).
_NAMED_TYPES = {
    "text/html": "html",
    "application/json": "json",
    "application/sparql-results+json": "json",
    "text/csv": "csv",
}
_NAMED_MIME = {"html": "text/html", "json": "application/sparql-results+json", "csv": "text/csv"}
_GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "text/html": "html",
}


class BusyError(Exception):
    """Every worker is answering a query."""


class Endpoint:
    """A WSGI application answering SPARQL queries on ``source`` with a pool of workers.

    Each worker is the process of one :class:`~kg.query.Connection` of the pool, so that a
    named question runs as :meth:`kg.query.Connection.run` runs it, holding its worker
    from the first look-up of a label to the last row.
    """

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
        self.connections = [
            Connection(source, timeout=timeout, max_rows=max_rows, memory_mb=memory_mb)
            for _ in range(check_max_rows(workers))
        ]
        self.workers: list[Worker] = [c.worker for c in self.connections if c.worker is not None]
        self._idle: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        for conn in self.connections:
            self._idle.put(conn)

    def close(self) -> None:
        """Stop every worker."""
        for conn in self.connections:
            conn.close()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Answer one HTTP request (the WSGI interface)."""
        path = environ.get("PATH_INFO", "/")
        method = environ.get("REQUEST_METHOD", "GET")
        if path in ("/", "/index.html"):
            if method not in ("GET", "HEAD"):
                return _text(start_response, "405 Method Not Allowed", "GET the landing page", [("Allow", "GET, HEAD")])
            return _respond(start_response, "200 OK", "text/html; charset=utf-8", self._page().encode())
        if path == "/q" or path.startswith("/q/"):
            if method not in ("GET", "HEAD"):
                return _text(start_response, "405 Method Not Allowed", "GET a named question", [("Allow", "GET, HEAD")])
            if path in ("/q", "/q/"):
                page = _index(read_queries(), "q/" if path == "/q" else "")
                return _respond(start_response, "200 OK", "text/html; charset=utf-8", page.encode())
            return self._named(_text_of(path.removeprefix("/q/")), environ, start_response)
        if path != "/query":
            return _text(
                start_response, "404 Not Found", f"no such page: {path}; the endpoint is /query, the questions /q/"
            )
        if method not in ("GET", "POST"):
            return _text(
                start_response, "405 Method Not Allowed", "GET or POST a query to /query", [("Allow", "GET, POST")]
            )
        accept = environ.get("HTTP_ACCEPT", "")
        sparql: str | None = None
        try:
            sparql = self._read_query(environ)
            check_limits(sparql)
            reply = self._run(Job(with_prefixes(sparql), "query", sparql, False, self.max_rows + 1))
        except (_HTTPError, BusyError, InputError) as exc:
            status, message, headers = _refusal(exc, len(self.workers))
        else:
            return self._answer(reply, accept, sparql, start_response)
        if _negotiate(accept, _SELECT_TYPES, _SPARQL_JSON)[1] != "html":
            return _text(start_response, status, message, headers)
        page = _query_page(sparql or "", f"<h2>{html.escape(status)}</h2><pre>{html.escape(message)}</pre>")
        return _respond(start_response, status, "text/html; charset=utf-8", page.encode(), headers)

    @contextlib.contextmanager
    def _idle_connection(self) -> Iterator[Connection]:
        """A connection whose worker is idle, held until the block ends; :class:`BusyError` if none is."""
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            raise BusyError() from None
        try:
            yield conn
        finally:
            self._idle.put(conn)

    def _run(self, job: Job) -> Reply:
        with self._idle_connection() as conn:
            assert conn.worker is not None
            return conn.worker.run(job, self.timeout)

    def _named(self, name: str, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Run the named question ``name`` with the parameters of the query string."""
        fields = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        values = {key: given[-1] for key, given in fields.items() if key != "format"}
        fmt = "text"
        question = read_queries().get(name)
        headers: list[tuple[str, str]] = []
        try:
            fmt = _named_format(fields.get("format", []), environ.get("HTTP_ACCEPT", ""))
            if question is None:
                raise _HTTPError("404 Not Found", _unknown(name, self.connections[0]))
            repeated = sorted(key for key, given in fields.items() if len(given) > 1)
            if repeated:
                raise _HTTPError("400 Bad Request", f"give one value for each parameter: {', '.join(repeated)}")
            with self._idle_connection() as conn:
                # as `kg query NAME -p k=v --format csv|json` does, to the byte; a shipped question
                # is inspected by the tests, not at each run, as Connection.run does (0.01 s, not 0.3)
                bindings = conn.bindings(question, **values)
                table = conn.table(question.text, bindings, name=question.name, trusted=True)
                if fmt == "json":
                    body = json.dumps(to_results_json(table), ensure_ascii=False, indent=1) + "\n"
                else:
                    frame = conn.frame(table)
                    if fmt == "csv":
                        body = render(frame, "csv") + "\n"
                    else:
                        given = {key: values.get(key, p.default) for key, p in question.params.items()}
                        body = _question_page(question, shown(frame, params=given), given, table, self.max_rows)
        except (_HTTPError, BusyError, InputError) as exc:
            status, message, headers = _refusal(exc, len(self.workers))
        else:
            if table.truncated:
                headers.append(("kg-truncated", f"result cut at {self.max_rows} rows"))
            return _respond(start_response, "200 OK", _NAMED_MIME[fmt], body.encode(), headers)
        if fmt != "html":
            return _text(start_response, status, message, headers)
        page = _error_page(status, message, question, values)
        return _respond(start_response, status, "text/html; charset=utf-8", page.encode(), headers)

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

    def _answer(self, reply: Reply, accept: str, sparql: str, start_response: StartResponse) -> Iterable[bytes]:
        """The answer in the format ``accept`` prefers: a SPARQL format for a program, a page for a person."""
        answer = reply.answer()
        headers: list[tuple[str, str]] = []
        if answer.kind == "graph":
            triples = list(answer.triples)
            cut = len(triples) > self.max_rows
            if cut:
                headers.append(("kg-truncated", f"graph cut at {self.max_rows} triples"))
            mime, fmt = _negotiate(accept, _GRAPH_TYPES, "text/turtle")
            if fmt is None:
                return _text(start_response, "406 Not Acceptable", f"graphs come as {', '.join(_GRAPH_TYPES)}")
            if fmt == "html":
                table = Table(["subject", "predicate", "object"], [tuple(t) for t in triples[: self.max_rows]], cut)
                body = _query_page(sparql, _answer_html(table, self.max_rows, "triple")).encode()
            else:
                answer.triples = iter(triples[: self.max_rows])
                body = answer.graph().serialize(format=fmt, encoding="utf-8")
            return _respond(start_response, "200 OK", mime, body, headers)
        mime, fmt = _negotiate(accept, _SELECT_TYPES, _SPARQL_JSON)
        if answer.kind == "ask":
            if fmt == "html":
                body = _query_page(sparql, f"<p>The answer: <strong>{cell(bool(answer.boolean))}</strong></p>").encode()
            elif fmt == "xml":
                body = _result("ASK", [], [], answer.boolean).serialize(format="xml") or b""
            else:  # JSON, also for CSV and TSV, which have no boolean
                mime, body = _SPARQL_JSON, json.dumps({"head": {}, "boolean": bool(answer.boolean)}).encode()
            return _respond(start_response, "200 OK", mime, body)
        if fmt is None:
            return _text(start_response, "406 Not Acceptable", f"results come as {', '.join(_SELECT_TYPES)}")
        rows = list(answer.rows)
        if len(rows) > self.max_rows:
            headers.append(("kg-truncated", f"result cut at {self.max_rows} rows"))
        table = Table(answer.variables, rows[: self.max_rows], len(rows) > self.max_rows)
        if fmt == "html":
            body = _query_page(sparql, _answer_html(table, self.max_rows, "row")).encode()
            return _respond(start_response, "200 OK", mime, body, headers)
        return _respond(start_response, "200 OK", mime, _results(table, fmt), headers)

    def _page(self) -> str:
        prefixes = "\n".join(f"PREFIX {k}: <{v}>" for k, v in PREFIXES.items())
        return _html_page(
            "kg SPARQL endpoint",
            "<h1>kg SPARQL endpoint</h1>"
            '<p><a href="q/">The named questions</a>: each a page, a CSV or a JSON answer at '
            "<code>/q/NAME?param=value</code>, as <code>kg query NAME -p param=value</code> gives it.</p>"
            "<p>Read-only SPARQL 1.1 at <code>/query</code> "
            "(GET ?query=…, or POST a form or application/sparql-query). "
            f"Each query: at most {self.timeout:g} s and {self.max_rows:,} rows. "
            "These prefixes are declared for every query, so a query needs no PREFIX lines of its own "
            "to name <code>ent:gustavo-petro</code> or <code>fact:…</code> (its own PREFIX lines win):</p>"
            f"<pre>{html.escape(prefixes)}</pre>"
            + _query_form("SELECT ?actor ?name WHERE { ?actor a kg:Person ; rdfs:label ?name } LIMIT 10")
            + "<p>A browser is answered with a page (a table of the answer); a program by <code>Accept</code>, "
            "SPARQL JSON by default.</p>",
        )


class _HTTPError(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _refusal(exc: Exception, workers: int) -> tuple[str, str, list[tuple[str, str]]]:
    """The status, message and headers of a request refused, busy, or stopped by the library."""
    if isinstance(exc, _HTTPError):
        return exc.status, exc.message, []
    if isinstance(exc, BusyError):
        message = f"busy: {workers} queries are running; try again shortly"
        return "503 Service Unavailable", message, [("Retry-After", "1")]
    assert isinstance(exc, InputError)
    status = "503 Service Unavailable" if "was stopped" in exc.message else "400 Bad Request"
    if "allow-external" in exc.hint:  # over HTTP there is no way to allow them
        exc = QueryError(exc.message, expected=exc.expected)
    return status, str(exc), []


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _HTTPError("400 Bad Request", f"the request is not UTF-8 (byte {exc.start})") from None


def _negotiate(accept: str, offered: dict[str, str], default: str) -> tuple[str, str | None]:
    """The first media type of ``accept`` (by quality) that is ``offered``, and its format.

    A range (``text/*``) stands for ``default`` if it is in the range, else for the first
    type ``offered`` in it; ``*/*`` and no ``Accept`` for ``default``. ``None`` as the format
    when nothing offered is acceptable.

    Examples
    --------
    >>> offered = {"application/json": "json", "text/csv": "csv", "text/html": "html"}
    >>> _negotiate("text/html;q=0.5, text/csv", offered, "application/json")
    ('text/csv', 'csv')
    >>> _negotiate("text/*", offered, "application/json"), _negotiate("*/*", offered, "application/json")
    (('text/csv', 'csv'), ('application/json', 'json'))
    >>> _negotiate("image/png, image/*", offered, "application/json")
    ('application/json', None)

    """
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
        if mime.endswith("/*"):
            kind = "" if mime == "*/*" else mime[:-1]
            for candidate in (default, *offered):
                if candidate.startswith(kind):
                    return candidate, offered[candidate]
    return default, None


# ---------------------------------------------------------------- the named questions' pages


def _text_of(path: str) -> str:
    """A WSGI path (its bytes as Latin-1 characters) as the UTF-8 text the client sent."""
    return path.encode("latin-1", "replace").decode("utf-8", "replace")


def _named_format(asked: list[str], accept: str) -> str:
    """``html``, ``csv`` or ``json``: the ``format`` field if given, else by ``Accept``."""
    if len(asked) > 1:
        raise _HTTPError("400 Bad Request", "give one format: ?format=csv, json or html")
    if asked:
        if asked[0] not in _NAMED_MIME:
            raise _HTTPError("400 Bad Request", f"format: '{asked[0]}' is not csv, json or html")
        return asked[0]
    _, fmt = _negotiate(accept, _NAMED_TYPES, "application/json")
    if fmt is None:
        raise _HTTPError("406 Not Acceptable", f"named questions come as {', '.join(_NAMED_TYPES)}")
    return fmt


def _unknown(name: str, conn: Connection) -> str:
    """The library's message for a question that is not shipped, naming the closest ones.

    What it expects is said for a client of the server, who cannot send a ``.rq`` file.
    """
    try:
        conn.run(name)  # looks the name up before anything runs: for an unknown one, raises at once
    except InputError as exc:
        return str(InputError(exc.message, expected="the name of a question (/q/ lists them)", hint=exc.hint))
    raise AssertionError(f"{name} is a named question")  # pragma: no cover (called for unknown names only)


def _html_page(title: str, body: str) -> str:
    return (
        f'<!doctype html><meta charset=utf-8><link rel=icon href="data:,"><title>{html.escape(title)}</title>'
        "<style>body{font-family:sans-serif;margin:1em 2em}table{border-collapse:collapse}"
        "th,td{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}"
        "td.n{text-align:right}label{margin-right:1em}dd{margin-bottom:.8em}</style>" + body
    )


def _index(questions: dict[str, NamedQuery], base: str) -> str:
    """The list of the named questions, each linking to its page (``base``: the way there)."""
    items = []
    for name, q in questions.items():
        params = ", ".join(
            f"<code>{html.escape(p.name)}</code> ({html.escape(p.type)}, default <code>{html.escape(p.default)}</code>)"
            for p in q.params.values()
        )
        items.append(
            f'<dt><a href="{html.escape(base + urllib.parse.quote(name))}">{html.escape(q.title)}</a> '
            f"<code>{html.escape(name)}</code></dt><dd>{html.escape(q.description)}"
            + (f"<br>parameters: {params}" if params else "")
            + "</dd>"
        )
    return _html_page(
        "Named questions — kg",
        f'<p><a href="{"./" if base else "../"}">← the SPARQL endpoint</a></p><h1>Named questions</h1>'
        "<p>Each runs as <code>kg query NAME -p param=value</code> does: <code>/q/NAME?param=value</code> "
        "answers a page (for a browser), <code>&amp;format=csv</code> or <code>&amp;format=json</code> "
        "(or by <code>Accept</code>) the bytes of <code>--format csv</code> and <code>--format json</code>. "
        "Entities may be given by id, label or alias.</p>"
        f"<dl>{''.join(items)}</dl>",
    )


def _form(q: NamedQuery, values: dict[str, str]) -> str:
    """A form to run ``q`` again with other parameters, showing ``values``."""
    fields = "".join(
        f'<label>{html.escape(p.name)} <input name="{html.escape(p.name)}" '
        f'value="{html.escape(values.get(p.name, p.default))}" placeholder="{html.escape(p.default)}"></label>'
        for p in q.params.values()
    )
    choice = "".join(f'<option value="{f}">{f}</option>' for f in _NAMED_MIME)
    return (
        f'<form method=get action="{html.escape(urllib.parse.quote(q.name))}">{fields}'
        f"<label>format <select name=format>{choice}</select></label><button>Run</button></form>"
    )


def _heading(q: NamedQuery) -> str:
    return (
        '<p><a href="./">← the named questions</a></p>'
        f"<h1>{html.escape(q.title)}</h1><p>{html.escape(q.description)}</p>"
    )


def _table_html(view: Shown) -> str:
    """A table of what a person sees (:func:`kg.tables.shown`), every value escaped."""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in view.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td class=n>{html.escape(v)}</td>" if c in view.numeric else f"<td>{html.escape(v)}</td>"
            for c, v in zip(view.columns, row, strict=True)
        )
        + "</tr>"
        for row in view.rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _count(shown_rows: int, truncated: bool, max_rows: int, what: str = "row") -> str:
    count = f"{shown_rows:,} {what}{'s' if shown_rows != 1 else ''}"
    return count + (f", cut at {max_rows:,} (max-rows)" if truncated else "")


def _question_page(q: NamedQuery, view: Shown, given: dict[str, str], table: Table, max_rows: int) -> str:
    """A named question's answer as a page: a table of labels, the parameters, a form."""
    links = " · ".join(
        f'<a href="?{html.escape(urllib.parse.urlencode({**given, "format": f}))}">{f.upper()}</a>'
        for f in ("csv", "json")
    )
    return _html_page(
        f"{q.title} — kg",
        _heading(q)
        + _form(q, given)
        + (f"<p>{html.escape(view.caption)}</p>" if view.caption else "")
        + _table_html(view)
        + f"<p>{_count(len(view.rows), table.truncated, max_rows)} · as {links}</p>",
    )


def _query_form(sparql: str) -> str:
    """The form that POSTs a query to ``/query`` (from ``/`` and from ``/query`` alike)."""
    return (
        "<form action=query method=post><p><label for=query>SPARQL query</label><br>"
        f"<textarea id=query name=query rows=8 cols=100>{html.escape(sparql)}</textarea>"
        "<p><button>Run</button></form>"
    )


def _query_page(sparql: str, body: str) -> str:
    """A query's answer (or refusal) as a page: the form holding the query, then ``body``."""
    return _html_page(
        "Query — kg",
        '<p><a href="./">← the SPARQL endpoint</a> · <a href="q/">the named questions</a></p>'
        "<h1>Query</h1>" + _query_form(sparql) + body,
    )


def _answer_html(table: Table, max_rows: int, what: str) -> str:
    """A SELECT answer (or a graph's triples) as a table: IRIs as prefixed names, literals as values."""
    import pandas as pd

    columns = {v: [to_python(row[i]) for row in table.rows] for i, v in enumerate(table.variables)}
    view = shown(pd.DataFrame(columns, columns=table.variables))
    return _table_html(view) + f"<p>{_count(len(table.rows), table.truncated, max_rows, what)}</p>"


def _error_page(status: str, message: str, q: NamedQuery | None, values: dict[str, str]) -> str:
    """A named question's refusal as a page: the message, and the form to try again."""
    heading = _heading(q) if q is not None else '<p><a href="./">← the named questions</a></p>'
    return _html_page(
        f"{status} — kg",
        heading + f"<h2>{html.escape(status)}</h2><pre>{html.escape(message)}</pre>" + (_form(q, values) if q else ""),
    )


# ---------------------------------------------------------------- answers


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
