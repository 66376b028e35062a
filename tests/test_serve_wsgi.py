"""The endpoint as a WSGI application, called in the test's own process (no server, no socket).

:class:`kg.serve.Endpoint` is called with WSGI environ dicts, as waitress calls it, on a
build of the tiny example project (two articles, two people, one place), made once for
the module. What a SPARQL-protocol client and a browser get is checked against what the
curated files say (read with rdflib), against the library (:func:`kg.guard.inspect_query`'s
message, ``kg query``'s bytes through click's CliRunner) or against values written here by
hand. The endpoints' worker processes are stopped by the fixtures, also when a test fails.

Unlike tests/test_serve_named.py (a real ``kg serve`` process), these tests run the
package in the test's process, so mutation testing (``make mutate``) sees them.
"""

from __future__ import annotations

import io
import json
import re
import threading
import time
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

from kg.build import build_project
from kg.cli import main
from kg.errors import QueryError
from kg.guard import inspect_query
from kg.project import DEFAULT_MAX_ROWS, Project
from kg.serve import Endpoint
from kg.worker import Job, Reply, Source, Worker
from tests.conftest import ROOT, TINY, copy_tiny

KG = Namespace("https://w3id.org/newskg/ns#")
ENT = Namespace("https://w3id.org/newskg/id/")
MAX_ROWS = 3  # small, so that a handful of rows shows the cut
MAX_BODY = 1000  # bytes
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SRJ = "application/sparql-results+json"
PERSONS = "SELECT ?p ?name WHERE { ?p a kg:Person ; rdfs:label ?name } ORDER BY ?name"
# a value that would close the page's title, textarea, script and an attribute if it were markup
HOSTILE = "</title></textarea></script>\"'><b id=x>bold</b>"


# ---------------------------------------------------------------- fixtures and helpers


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny example project, built once (its own texts, whatever KG_SOURCES says)."""
    tiny = copy_tiny(tmp_path_factory.mktemp("wsgi") / "tiny")
    build_project(Project.at(tiny, sources=tiny / "sources"))
    return tiny / "build"


@pytest.fixture(scope="module")
def app(build: Path) -> Iterator[Endpoint]:
    """One endpoint (one worker, MAX_ROWS rows, MAX_BODY bytes) for the module; its worker is stopped after."""
    endpoint = Endpoint(Source("oxigraph", str(build)), workers=1, timeout=20, max_rows=MAX_ROWS, max_body=MAX_BODY)
    try:
        yield endpoint
    finally:
        endpoint.close()


@pytest.fixture(scope="module")
def persons() -> list[tuple[str, str]]:
    """(IRI, label) of every kg:Person of the tiny registry, by label: read from the curated file."""
    g = Graph().parse(TINY / "data" / "entities.ttl")
    found = [(str(p), str(g.value(p, RDFS.label))) for p in g.subjects(RDF.type, KG.Person)]
    assert len(found) == 2
    return sorted(found, key=lambda pair: pair[1])


@dataclass
class Response:
    status: str
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def header(self, name: str) -> str | None:
        """The header ``name`` as the server wrote it (names compared exactly)."""
        found = [v for k, v in self.headers if k == name]
        assert len(found) <= 1, self.headers
        return found[0] if found else None


def call(
    app: Endpoint,
    path: str,
    query: str | dict[str, str] = "",
    *,
    accept: str | None = None,
    method: str = "GET",
    body: bytes | None = None,
    content_type: str | None = None,
    length: str | None = None,
) -> Response:
    """What ``app`` answers to one request (as waitress would pass it)."""
    environ: dict[str, Any] = {
        "PATH_INFO": path,
        "QUERY_STRING": query if isinstance(query, str) else urllib.parse.urlencode(query),
        "REQUEST_METHOD": method,
    }
    if accept is not None:
        environ["HTTP_ACCEPT"] = accept
    if body is not None:
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body)) if length is None else length
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type
    setup_testing_defaults(environ)
    return respond(app, environ)


def respond(app: Endpoint, environ: dict[str, Any]) -> Response:
    """What ``app`` answers to the request ``environ``, given as it is."""
    seen: list[tuple[str, list[tuple[str, str]]]] = []
    chunks = app(environ, lambda status, headers: seen.append((status, headers)))
    assert len(seen) == 1
    status, headers = seen[0]
    data = b"".join(chunks)
    assert dict(headers)["Content-Length"] == str(len(data))
    assert dict(headers)["X-Content-Type-Options"] == "nosniff"
    return Response(status, headers, data)


def ask(app: Endpoint, sparql: str, accept: str | None = None) -> Response:
    """GET /query?query=sparql."""
    return call(app, "/query", {"query": sparql}, accept=accept)


def named(build: Path, name: str, params: dict[str, str], fmt: str, *more: str) -> bytes:
    """What ``kg query NAME -p k=v --format FMT`` prints on ``build``."""
    args = [arg for key, value in params.items() for arg in ("-p", f"{key}={value}")]
    result = CliRunner().invoke(main, ["--build-dir", str(build), "query", name, *args, "--format", fmt, *more])
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


class Page(HTMLParser):
    """What a page shows: its text, tags, links, forms, fields, and its table's header and cells."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []  # every piece of text outside <style>, in order
        self.links: dict[str, str] = {}  # link text -> href
        self.hrefs: list[str] = []
        self.inputs: dict[str, str] = {}
        self.options: list[str] = []
        self.textareas: list[str] = []
        self.forms: list[dict[str, str]] = []
        self.form_text: list[list[str]] = []
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self.numeric: list[list[bool]] = []  # per row: which cells have class n
        self.stray: list[str] = []  # text inside a table but outside its cells
        self._open: list[str] = []
        self._cell: list[str] | None = None
        self._link: tuple[str, list[str]] | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        found = {k: v or "" for k, v in attrs}
        if tag not in ("meta", "link", "input", "br"):
            self._open.append(tag)
        if tag == "a":
            self._link = (found.get("href", ""), [])
            self.hrefs.append(found.get("href", ""))
        elif tag == "input":
            self.inputs[found["name"]] = found.get("value", "")
        elif tag == "option":
            self.options.append(found.get("value", ""))
        elif tag == "form":
            self.forms.append(found)
            self.form_text.append([])
        elif tag == "tr" and self.header:
            self.rows.append([])
            self.numeric.append([])
        elif tag in ("th", "td", "textarea"):
            self._cell = []
            if tag == "td":
                self.numeric[-1].append(found.get("class") == "n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:
            del self._open[len(self._open) - 1 - self._open[::-1].index(tag) :]
        if tag == "a" and self._link is not None:
            self.links["".join(self._link[1])] = self._link[0]
            self._link = None
        elif tag == "textarea" and self._cell is not None:
            self.textareas.append("".join(self._cell))
            self._cell = None
        elif tag in ("th", "td") and self._cell is not None:
            (self.header if tag == "th" else self.rows[-1]).append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if "style" in self._open:
            return
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)
        elif "table" in self._open:
            self.stray.append(data)
        if self._link is not None:
            self._link[1].append(data)
        if "form" in self._open:
            self.form_text[-1].append(data)

    @property
    def all_text(self) -> str:
        """The text a person reads, white space collapsed."""
        return re.sub(r"\s+", " ", "".join(self.text))


def title_of(path: Path) -> str:
    """A question file's title, read from its header."""
    found = re.search(r"^# title:\s*(.+)$", path.read_text(encoding="utf-8"), re.M)
    assert found is not None, path
    return found.group(1).strip()


# ---------------------------------------------------------------- SELECT, ASK and graphs by Accept


def test_select_answers_sparql_json_by_default_with_the_curated_values(
    app: Endpoint, persons: list[tuple[str, str]]
) -> None:
    expected = {
        "head": {"vars": ["p", "name"]},
        "results": {
            "bindings": [
                {"p": {"type": "uri", "value": iri}, "name": {"type": "literal", "value": name}}
                for iri, name in persons
            ]
        },
    }
    for accept in (None, "", "*/*", "application/json", SRJ, "image/png, */*;q=0.1"):
        answer = ask(app, PERSONS, accept)
        mime = "application/json" if accept == "application/json" else SRJ  # the type asked for, or SPARQL's
        assert (answer.status, answer.header("Content-Type")) == ("200 OK", mime), accept
        assert json.loads(answer.body) == expected, accept
        assert answer.header("kg-truncated") is None


def test_select_answers_csv_tsv_and_xml_by_accept(app: Endpoint, persons: list[tuple[str, str]]) -> None:
    csv = ask(app, PERSONS, "text/csv")
    assert (csv.status, csv.header("Content-Type")) == ("200 OK", "text/csv; charset=utf-8")
    assert csv.text == "p,name\r\n" + "".join(f"{iri},{name}\r\n" for iri, name in persons)
    tsv = ask(app, PERSONS, "text/tab-separated-values")
    assert tsv.header("Content-Type") == "text/tab-separated-values; charset=utf-8"
    assert tsv.text == "?p\t?name\n" + "".join(f'<{iri}>\t"{name}"\n' for iri, name in persons)
    # the quality values choose: XML is preferred here to CSV
    xml = ask(app, PERSONS, "text/csv;q=0.5, application/sparql-results+xml")
    assert (xml.status, xml.header("Content-Type")) == ("200 OK", "application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(xml.body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["p", "name"]
    rows = [
        (
            r.findtext("r:binding[@name='p']/r:uri", namespaces=ns),
            r.findtext("r:binding[@name='name']/r:literal", namespaces=ns),
        )
        for r in root.findall("r:results/r:result", ns)
    ]
    assert rows == persons


def test_a_range_of_types_answers_in_a_type_of_that_range(app: Endpoint) -> None:
    # the default when it is in the range, else the first type of the range the endpoint offers
    for sparql, accept, mime in (
        (PERSONS, "text/*", "text/csv; charset=utf-8"),
        (PERSONS, "image/*, text/*;q=0.5", "text/csv; charset=utf-8"),
        (PERSONS, "application/*", SRJ),
        (CONSTRUCT, "text/*", "text/turtle; charset=utf-8"),
        (CONSTRUCT, "application/*", "application/n-triples"),
    ):
        answer = ask(app, sparql, accept)
        assert (answer.status, answer.header("Content-Type")) == ("200 OK", mime), (sparql, accept)
    assert ask(app, PERSONS, "image/*").status == "406 Not Acceptable"
    # audio/* is not application/*: a range is its whole type, not a type's first letters
    assert ask(app, PERSONS, "audio/*").status == "406 Not Acceptable"
    assert ask(app, CONSTRUCT, "audio/*").status == "406 Not Acceptable"
    answer = call(app, "/q/who-met-whom", {"day": "2026-03-03"}, accept="text/*")
    assert answer.header("Content-Type") == "text/html; charset=utf-8"


def test_a_tsv_literal_keeps_its_tabs_and_newlines_escaped(app: Endpoint) -> None:
    answer = ask(app, 'SELECT ?x ?y WHERE { BIND("a\\tb\\nc" AS ?x) }', "text/tab-separated-values")
    head, row = answer.text.removesuffix("\n").split("\n")  # one line per row
    assert head == "?x\t?y"
    x, y = row.split("\t")
    assert y == ""  # unbound
    (term,) = Graph().parse(data=f"<urn:s> <urn:p> {x} .", format="turtle").objects()  # a Turtle literal
    assert term == Literal("a\tb\nc")


def test_a_csv_row_has_an_empty_field_for_an_unbound_variable_and_a_blank_node_as_underscore_colon(
    app: Endpoint,
) -> None:
    # SPARQL 1.1 CSV: plain values; an unbound variable is an empty field, a blank node _:label
    answer = ask(app, 'SELECT ?x ?b ?y WHERE { BIND("a" AS ?x) BIND(BNODE() AS ?b) }', "text/csv")
    assert answer.status == "200 OK"
    assert re.fullmatch(r"x,b,y\r\na,_:[A-Za-z0-9][A-Za-z0-9_.-]*,\r\n", answer.text), answer.text


def test_a_json_answer_is_utf_8_with_the_characters_themselves(app: Endpoint) -> None:
    answer = ask(app, 'SELECT ?x WHERE { BIND("Bogotá — ñ" AS ?x) }', SRJ)
    assert answer.status == "200 OK"
    assert '"Bogotá — ñ"'.encode() in answer.body and b"\\u" not in answer.body  # not \u00e1 escapes
    (row,) = json.loads(answer.body)["results"]["bindings"]
    assert row == {"x": {"type": "literal", "value": "Bogotá — ñ"}}


def test_ask_answers_json_or_xml_and_json_for_csv(app: Endpoint) -> None:
    yes, no = "ASK { ent:alice-arden a kg:Person }", "ASK { ent:capital-city a kg:Person }"
    for accept in (None, SRJ, "text/csv", "text/tab-separated-values"):  # CSV and TSV have no boolean
        for sparql, value in ((yes, True), (no, False)):
            answer = ask(app, sparql, accept)
            assert (answer.status, answer.header("Content-Type")) == ("200 OK", SRJ)
            assert json.loads(answer.body) == {"head": {}, "boolean": value}
    for sparql, word in ((yes, "true"), (no, "false")):
        answer = ask(app, sparql, "application/sparql-results+xml")
        assert answer.header("Content-Type") == "application/sparql-results+xml"
        assert ET.fromstring(answer.body).findtext("{http://www.w3.org/2005/sparql-results#}boolean") == word
    page = Page(ask(app, yes, BROWSER).text)
    assert "The answer: yes" in page.all_text and page.textareas == [yes]


CONSTRUCT = "CONSTRUCT { ?p rdfs:label ?name } WHERE { ?p a kg:Person ; rdfs:label ?name }"


def test_construct_answers_turtle_by_default_or_n_triples(app: Endpoint, persons: list[tuple[str, str]]) -> None:
    expected = {(URIRef(iri), RDFS.label, Literal(name)) for iri, name in persons}
    for accept, mime, fmt in (
        (None, "text/turtle; charset=utf-8", "turtle"),
        ("*/*", "text/turtle; charset=utf-8", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("text/plain", "text/plain; charset=utf-8", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
    ):
        answer = ask(app, CONSTRUCT, accept)
        assert (answer.status, answer.header("Content-Type")) == ("200 OK", mime), accept
        assert set(Graph().parse(data=answer.body, format=fmt)) == expected, accept
        assert answer.header("kg-truncated") is None


def test_construct_for_a_browser_is_a_table_of_triples(app: Endpoint, persons: list[tuple[str, str]]) -> None:
    answer = ask(app, CONSTRUCT, BROWSER)
    assert (answer.status, answer.header("Content-Type")) == ("200 OK", "text/html; charset=utf-8")
    page = Page(answer.text)
    assert page.header == ["subject", "predicate", "object"]
    prefixed = sorted([f"ent:{iri.removeprefix(str(ENT))}", "rdfs:label", name] for iri, name in persons)
    assert sorted(page.rows) == prefixed
    assert page.textareas == [CONSTRUCT] and "2 triples" in page.all_text


def test_a_graph_in_no_offered_format_is_406(app: Endpoint) -> None:
    answer = ask(app, CONSTRUCT, "image/png")
    assert (answer.status, answer.header("Content-Type")) == ("406 Not Acceptable", "text/plain; charset=utf-8")
    assert (
        answer.text == "graphs come as text/turtle, application/n-triples, text/plain, application/ld+json, text/html\n"
    )
    answer = ask(app, PERSONS, "image/png;q=1, text/csv;q=0")  # q=0: not acceptable at all
    assert answer.status == "406 Not Acceptable"
    assert answer.text.startswith("results come as application/sparql-results+json, application/json, ")


def test_a_select_for_a_browser_is_a_page_with_the_query_and_a_table(
    app: Endpoint, persons: list[tuple[str, str]]
) -> None:
    answer = ask(app, PERSONS, BROWSER)
    assert (answer.status, answer.header("Content-Type")) == ("200 OK", "text/html; charset=utf-8")
    page = Page(answer.text)
    assert page.header == ["p", "name"]
    assert page.rows == [[f"ent:{iri.removeprefix(str(ENT))}", name] for iri, name in persons]
    assert page.stray == [] and page.numeric == [[False, False]] * 2
    assert page.textareas == [PERSONS] and page.forms == [{"action": "query", "method": "post"}]
    assert page.form_text == [["SPARQL query", PERSONS, "Run"]]  # a labelled box and a button
    assert page.links["← the SPARQL endpoint"] == "./" and page.links["the named questions"] == "q/"
    assert "2 rows" in page.all_text and "cut at" not in page.all_text


def test_a_hostile_query_and_value_are_text_on_the_page(app: Endpoint) -> None:
    sparql = f"SELECT ?x WHERE {{ BIND({json.dumps(HOSTILE)} AS ?x) }}"
    page = Page(ask(app, sparql, BROWSER).text)
    assert page.textareas == [sparql] and page.rows == [[HOSTILE]]
    assert "b" not in page.tags and page.tags.count("textarea") == 1
    assert page.all_text.startswith("Query — kg")  # the title was not closed early


# ---------------------------------------------------------------- POST


def test_a_query_may_be_posted_as_a_form_or_as_sparql(app: Endpoint, persons: list[tuple[str, str]]) -> None:
    expected = "p,name\r\n" + "".join(f"{iri},{name}\r\n" for iri, name in persons)
    form = urllib.parse.urlencode({"query": PERSONS}).encode()
    for content_type, body in (
        ("application/x-www-form-urlencoded", form),
        ("application/x-www-form-urlencoded; charset=UTF-8", form),
        ("application/sparql-query", PERSONS.encode()),
        ("Application/SPARQL-Query; charset=utf-8", PERSONS.encode()),
    ):
        answer = call(app, "/query", method="POST", body=body, content_type=content_type, accept="text/csv")
        assert (answer.status, answer.text) == ("200 OK", expected), content_type


def test_a_posted_body_is_read_to_its_length_and_refused_past_the_limit(app: Endpoint) -> None:
    sparql = "ASK {}"
    base = urllib.parse.urlencode({"query": sparql})
    at_limit = (base + "+" * (MAX_BODY - len(base))).encode()  # "+": a space
    assert len(at_limit) == MAX_BODY
    answer = call(app, "/query", method="POST", body=at_limit, content_type="application/x-www-form-urlencoded")
    assert (answer.status, json.loads(answer.body)) == ("200 OK", {"head": {}, "boolean": True})
    # only CONTENT_LENGTH bytes are the body: what follows is not read
    answer = call(
        app, "/query", method="POST", body=b"ASK {} garbage", length="6", content_type="application/sparql-query"
    )
    assert answer.status == "200 OK"
    over = at_limit + b" "
    answer = call(app, "/query", method="POST", body=over, content_type="application/x-www-form-urlencoded")
    assert (answer.status, answer.text) == (
        "413 Content Too Large",
        f"the request body is {MAX_BODY + 1:,} bytes, more than {MAX_BODY:,}\n",
    )
    answer = call(app, "/query", method="POST", body=b"ASK {}", length="six", content_type="application/sparql-query")
    assert (answer.status, answer.text) == ("400 Bad Request", "Content-Length is not a number\n")


def test_a_post_that_is_not_a_query_is_refused(app: Endpoint) -> None:
    update = call(app, "/query", method="POST", body=b"CLEAR ALL", content_type="application/sparql-update")
    assert (update.status, update.text) == ("403 Forbidden", "updates are refused: this endpoint is read-only\n")
    plain = call(app, "/query", method="POST", body=b"ASK {}", content_type="text/plain")
    assert plain.status == "415 Unsupported Media Type"
    assert plain.text == "POST a form (application/x-www-form-urlencoded) or application/sparql-query\n"
    latin = call(
        app,
        "/query",
        method="POST",
        body="ASK { ?s ?p 'é' }".encode("latin-1"),
        content_type="application/sparql-query",
    )
    assert (latin.status, latin.text) == ("400 Bad Request", "the request is not UTF-8 (byte 13)\n")


# ---------------------------------------------------------------- refusals of /query


def test_a_request_without_one_query_is_400(app: Endpoint) -> None:
    for query in ("", "queri=ASK+{}", "query=ASK+{}&query=ASK+{}"):
        for accept in (None, "text/csv"):
            answer = call(app, "/query", query, accept=accept)
            assert (answer.status, answer.text) == ("400 Bad Request", "give one query: ?query=SELECT …\n"), query
            assert answer.header("Content-Type") == "text/plain; charset=utf-8"


def test_a_browser_gets_the_refusal_as_a_page_with_the_query_to_correct(app: Endpoint) -> None:
    bad = "SELECT ?x WHERE { ?x a"
    with pytest.raises(QueryError) as caught:
        inspect_query(bad)
    answer = ask(app, bad, BROWSER)
    assert (answer.status, answer.header("Content-Type")) == ("400 Bad Request", "text/html; charset=utf-8")
    page = Page(answer.text)
    assert page.textareas == [bad] and "400 Bad Request" in page.text
    assert str(caught.value) in page.text  # the parser's message, line and column, as text
    answer = call(app, "/query", "", accept=BROWSER)
    assert answer.status == "400 Bad Request" and Page(answer.text).textareas == [""]


def test_a_malformed_query_is_400_with_the_parsers_message(app: Endpoint) -> None:
    bad = "SELECT ?p WHERE {\n  ?p a kg:Person\n  ORDER BY ?p"
    with pytest.raises(QueryError) as caught:
        inspect_query(bad)
    message = str(caught.value)
    assert message.startswith("query:3:") and "hint:" in message  # line 3 of the text sent, not of the prefixed one
    answer = ask(app, bad)
    assert (answer.status, answer.text) == ("400 Bad Request", message + "\n")


def test_updates_service_and_outside_graphs_are_refused_with_no_way_to_allow_them(app: Endpoint) -> None:
    answer = call(app, "/query", {"update": "CLEAR ALL"})
    assert (answer.status, answer.text) == ("403 Forbidden", "updates are refused: this endpoint is read-only\n")
    form = urllib.parse.urlencode({"update": "CLEAR ALL"}).encode()
    answer = call(app, "/query", method="POST", body=form, content_type="application/x-www-form-urlencoded")
    assert answer.status == "403 Forbidden"
    for field in ("default-graph-uri", "named-graph-uri"):
        answer = call(app, "/query", {"query": "ASK {}", field: "http://example.org/g"})
        assert (answer.status, answer.text) == (
            "400 Bad Request",
            "default-graph-uri and named-graph-uri are not supported: use FROM in the query\n",
        ), field
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    with pytest.raises(QueryError) as caught:
        inspect_query(service)
    assert "allow-external" in caught.value.hint  # the library's way out, which HTTP does not offer
    answer = ask(app, service)
    assert (answer.status, answer.text) == ("400 Bad Request", caught.value.message + "\n")
    answer = ask(app, "INSERT DATA { ent:a ent:b ent:c }")
    assert answer.status == "400 Bad Request" and "is an update" in answer.text


def test_an_unknown_page_is_404_and_a_wrong_method_405(app: Endpoint) -> None:
    answer = call(app, "/sparql")
    assert (answer.status, answer.text) == (
        "404 Not Found",
        "no such page: /sparql; the endpoint is /query, the questions /q/\n",
    )
    for path in ("/", "/index.html"):
        answer = call(app, path, method="POST", body=b"", content_type="text/plain")
        assert (answer.status, answer.text) == ("405 Method Not Allowed", "GET the landing page\n")
        assert answer.header("Allow") == "GET, HEAD"
    for method in ("PUT", "DELETE", "PATCH"):
        answer = call(app, "/query", {"query": "ASK {}"}, method=method)
        assert (answer.status, answer.text) == ("405 Method Not Allowed", "GET or POST a query to /query\n")
        assert answer.header("Allow") == "GET, POST"
        answer = call(app, "/q/who-met-whom", method=method)
        assert (answer.status, answer.text) == ("405 Method Not Allowed", "GET a named question\n")
        assert answer.header("Allow") == "GET, HEAD"
    answer = call(
        app, "/q/who-met-whom", method="POST", body=b"day=2026-03-03", content_type="application/x-www-form-urlencoded"
    )
    assert answer.status == "405 Method Not Allowed"


def bare(path: str, **more: str) -> dict[str, Any]:
    """A WSGI environ with only ``path`` and ``more``: no REQUEST_METHOD, no QUERY_STRING unless given."""
    environ: dict[str, Any] = {"PATH_INFO": path, **more}
    setup_testing_defaults(environ)
    if "REQUEST_METHOD" not in more:
        del environ["REQUEST_METHOD"]  # setup_testing_defaults adds a GET
    assert ("QUERY_STRING" in environ) == ("QUERY_STRING" in more)
    return environ


def test_a_request_without_a_method_is_a_get(app: Endpoint, build: Path) -> None:
    # PEP 3333 has servers always give REQUEST_METHOD; an environ made by hand without it is a GET
    answer = respond(app, bare("/"))
    assert (answer.status, Page(answer.text).text[0]) == ("200 OK", "kg SPARQL endpoint")
    answer = respond(app, bare("/q/who-met-whom", QUERY_STRING="day=2026-03-03&format=csv"))
    assert (answer.status, answer.body) == ("200 OK", named(build, "who-met-whom", {"day": "2026-03-03"}, "csv"))
    answer = respond(app, bare("/query", QUERY_STRING="query=ASK+{}"))
    assert (answer.status, json.loads(answer.body)) == ("200 OK", {"head": {}, "boolean": True})


def test_a_request_without_a_query_string_has_no_parameters(app: Endpoint, build: Path) -> None:
    # PEP 3333: QUERY_STRING "may be empty or absent"; absent is as empty
    answer = respond(app, bare("/q/who-met-whom", REQUEST_METHOD="GET", HTTP_ACCEPT="text/csv"))
    assert (answer.status, answer.body) == ("200 OK", named(build, "who-met-whom", {}, "csv"))  # the default day
    answer = respond(app, bare("/query", REQUEST_METHOD="GET"))
    assert (answer.status, answer.text) == ("400 Bad Request", "give one query: ?query=SELECT …\n")


# ---------------------------------------------------------------- the row limit


def values(n: int) -> str:
    return f"SELECT ?x WHERE {{ VALUES ?x {{ {' '.join(map(str, range(n)))} }} }} ORDER BY ?x"


def test_an_answer_is_cut_at_max_rows_and_says_so(app: Endpoint) -> None:
    exact = ask(app, values(MAX_ROWS), "text/csv")
    assert (exact.text, exact.header("kg-truncated")) == ("x\r\n0\r\n1\r\n2\r\n", None)
    for accept in ("text/csv", SRJ):
        cut = ask(app, values(MAX_ROWS + 1), accept)
        assert cut.header("kg-truncated") == f"result cut at {MAX_ROWS} rows"
    assert cut.status == "200 OK" and [b["x"]["value"] for b in json.loads(cut.body)["results"]["bindings"]] == [
        "0",
        "1",
        "2",
    ]


def test_the_page_of_a_cut_answer_says_so_and_of_a_full_one_does_not(app: Endpoint) -> None:
    exact = ask(app, values(MAX_ROWS), BROWSER)
    page = Page(exact.text)
    assert (exact.status, exact.header("kg-truncated")) == ("200 OK", None)
    assert page.rows == [["0"], ["1"], ["2"]] and page.numeric == [[True]] * 3
    assert f"{MAX_ROWS} rows" in page.text
    cut = ask(app, values(MAX_ROWS + 2), BROWSER)
    assert (cut.status, cut.header("kg-truncated")) == ("200 OK", f"result cut at {MAX_ROWS} rows")
    page = Page(cut.text)
    assert page.rows == [["0"], ["1"], ["2"]] and f"{MAX_ROWS} rows, cut at {MAX_ROWS} (max-rows)" in page.text
    one = Page(ask(app, values(1), BROWSER).text)
    assert "1 row" in one.text


def test_a_graph_is_cut_at_max_rows_triples(app: Endpoint) -> None:
    sparql = f"CONSTRUCT {{ ent:x kg:n ?x }} WHERE {{ VALUES ?x {{ {' '.join(map(str, range(MAX_ROWS + 2)))} }} }}"
    answer = ask(app, sparql, "application/n-triples")
    assert answer.header("kg-truncated") == f"graph cut at {MAX_ROWS} triples"
    assert len(Graph().parse(data=answer.body, format="nt")) == MAX_ROWS
    page = Page(ask(app, sparql, BROWSER).text)
    assert len(page.rows) == MAX_ROWS and f"{MAX_ROWS} triples, cut at {MAX_ROWS} (max-rows)" in page.text


def test_a_limit_above_the_default_is_kept_to_the_row(build: Path) -> None:
    limit = DEFAULT_MAX_ROWS + 1
    endpoint = Endpoint(Source("oxigraph", str(build)), workers=1, max_rows=limit)
    try:
        digits = "VALUES ?{} {{ 0 1 2 3 4 5 6 7 8 9 }}"
        sparql = "SELECT * WHERE { " + " ".join(digits.format(v) for v in "abcde") + " }"  # 100,000 rows
        cut = ask(endpoint, sparql, "text/csv")
        assert cut.header("kg-truncated") == f"result cut at {limit} rows"
        assert len(cut.text.splitlines()) == 1 + limit
    finally:
        endpoint.close()


# ---------------------------------------------------------------- busy and stopped


def test_a_full_pool_is_503_at_once_and_a_query_past_its_deadline_503(build: Path) -> None:
    endpoint = Endpoint(Source("oxigraph", str(build)), workers=1, timeout=1.0)
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1,400 triples, cubed
    answers: list[Response] = []
    try:
        worker = threading.Thread(target=lambda: answers.append(ask(endpoint, slow)))
        worker.start()
        deadline = time.monotonic() + 10
        while not endpoint._idle.empty() and time.monotonic() < deadline:  # until the slow query holds the worker
            time.sleep(0.01)
        started = time.monotonic()
        busy = ask(endpoint, "ASK {}")
        assert time.monotonic() - started < 1  # never queued
        assert (busy.status, busy.text) == (
            "503 Service Unavailable",
            "busy: 1 queries are running; try again shortly\n",
        )
        assert busy.header("Retry-After") == "1"
        for fmt, mime in (("csv", "text/plain; charset=utf-8"), ("html", "text/html; charset=utf-8")):
            question = call(endpoint, "/q/who-met-whom", {"day": "2026-03-03", "format": fmt})
            assert (question.status, question.header("Content-Type")) == ("503 Service Unavailable", mime)
            assert question.header("Retry-After") == "1"
            assert "busy: 1 queries are running; try again shortly" in question.text
        worker.join()
        (stopped,) = answers
        assert stopped.status == "503 Service Unavailable" and "the query was stopped" in stopped.text
        assert stopped.header("Retry-After") is None
        assert ask(endpoint, "ASK {}").status == "200 OK"  # a new worker answers the next one
    finally:
        endpoint.close()


def test_the_defaults_are_those_of_kg_serve(build: Path) -> None:
    endpoint = Endpoint(Source("oxigraph", str(build)))  # workers start on first use: none starts here
    try:
        assert len(endpoint.workers) == 2  # kg serve --workers 2 (README)
        assert endpoint.max_body == 1024 * 1024  # "a body past 1 MB gets 413" (README)
    finally:
        endpoint.close()


# ---------------------------------------------------------------- the landing page


def test_the_landing_page_links_the_questions_and_declares_the_prefixes_it_lists(app: Endpoint) -> None:
    for path in ("/", "/index.html"):
        answer = call(app, path)
        assert (answer.status, answer.header("Content-Type")) == ("200 OK", "text/html; charset=utf-8")
    assert call(app, "/", method="HEAD").status == "200 OK"
    page = Page(call(app, "/").text)
    assert page.text[:2] == ["kg SPARQL endpoint", "kg SPARQL endpoint"]  # the title, then the heading
    assert page.links["The named questions"] == "q/"
    protocol = "Read-only SPARQL 1.1 at /query (GET ?query=…, or POST a form or application/sparql-query)."
    assert protocol in page.all_text
    assert "Each query: at most 20 s and 3 rows." in page.all_text
    assert page.forms == [{"action": "query", "method": "post"}]
    assert page.form_text == [["SPARQL query", page.textareas[0], "Run"]]
    example = ask(app, page.textareas[0], "text/csv")  # the example in the box runs, without PREFIX lines
    assert example.status == "200 OK" and example.text.splitlines()[1:] == sorted(
        f"{ENT[slug]},{name}" for slug, name in (("alice-arden", "Alice Arden"), ("bob-brook", "Bob Brook"))
    )
    # what the page says is so: each prefix it lists names its IRI in a query with no PREFIX lines
    said = "These prefixes are declared for every query, so a query needs no PREFIX lines of its own"
    assert said in page.all_text
    (listing,) = [t for t in page.text if t.startswith("PREFIX ")]
    declared = dict(re.findall(r"^PREFIX (\w+): <([^>]+)>$", listing, re.M))
    assert len(declared) == len(listing.splitlines()) and {"kg", "ent", "fact", "rdfs", "xsd"} <= set(declared)
    sparql = "SELECT * WHERE { " + " ".join(f"BIND({p}:x AS ?{p})" for p in declared) + " }"
    (row,) = json.loads(ask(app, sparql).body)["results"]["bindings"]
    assert {p: row[p]["value"] for p in declared} == {p: iri + "x" for p, iri in declared.items()}
    claim = "A browser is answered with a page (a table of the answer); a program by Accept, SPARQL JSON by default."
    assert claim in page.all_text
    assert ask(app, PERSONS).header("Content-Type") == SRJ


# ---------------------------------------------------------------- the named questions


def test_the_index_lists_every_question_with_a_link_that_works(app: Endpoint) -> None:
    files = sorted((ROOT / "kg" / "queries").glob("*.rq"))
    for path, base in (("/q/", ""), ("/q", "q/")):
        answer = call(app, path)
        assert (answer.status, answer.header("Content-Type")) == ("200 OK", "text/html; charset=utf-8")
        page = Page(answer.text)
        assert {page.links[title_of(f)] for f in files} == {base + f.stem for f in files}
        assert page.links["← the SPARQL endpoint"] == ("../" if base == "" else "./")
    text = page.all_text
    assert "Each runs as kg query NAME -p param=value does: /q/NAME?param=value answers a page" in text
    assert "Entities may be given by id, label or alias." in text
    assert "parameters: day (xsd:date, default 2026-02-03)" in text  # who-met-whom's header line
    assert call(app, "/q/who-met-whom", accept="text/csv").status == "200 OK"


def test_an_entity_is_given_by_id_label_or_alias_and_answers_the_command_lines_bytes(
    app: Endpoint, build: Path
) -> None:
    for fmt, mime in (("csv", "text/csv; charset=utf-8"), ("json", SRJ)):
        expected = named(build, "positions-of", {"holder": "ent:alice-arden"}, fmt)
        assert b"The talks with Brook were useful." in expected  # the curated stance in tiny's t1
        for holder in ("ent:alice-arden", str(ENT["alice-arden"]), "Alice Arden", "Arden"):
            answer = call(app, "/q/positions-of", {"holder": holder, "format": fmt})
            assert (answer.status, answer.header("Content-Type"), answer.body) == ("200 OK", mime, expected), holder


def test_a_question_answers_by_accept_and_json_without_it(app: Endpoint, build: Path) -> None:
    csv = named(build, "who-met-whom", {"day": "2026-03-03"}, "csv")
    as_json = named(build, "who-met-whom", {"day": "2026-03-03"}, "json")
    assert csv.splitlines()[1].startswith(b"fact:arden-brook-meeting,Alice Arden meets Bob Brook,")
    for accept, body in ((None, as_json), ("application/json", as_json), ("text/csv", csv), ("*/*", as_json)):
        answer = call(app, "/q/who-met-whom", {"day": "2026-03-03"}, accept=accept)
        assert (answer.status, answer.body) == ("200 OK", body), accept
    answer = call(app, "/q/who-met-whom", {"day": "2026-03-03", "format": "csv"}, accept=SRJ)
    assert answer.body == csv  # the field wins over Accept
    answer = call(app, "/q/who-met-whom", accept="image/png")
    assert (answer.status, answer.text) == (
        "406 Not Acceptable",
        "named questions come as text/html, application/json, application/sparql-results+json, text/csv\n",
    )


@pytest.mark.filterwarnings("ignore:count-by-class. result cut")
def test_a_cut_question_answers_as_the_command_line_with_the_same_limit(app: Endpoint, build: Path) -> None:
    classes = Graph()
    for path in sorted((TINY / "data" / "articles").glob("*.ttl")):
        classes.parse(path)
    assert len(set(classes.objects(None, RDF.type))) > MAX_ROWS  # so count-by-class has more rows than kept
    for fmt in ("csv", "json"):
        answer = call(app, "/q/count-by-class", {"format": fmt})
        assert answer.header("kg-truncated") == f"result cut at {MAX_ROWS} rows"
        assert answer.body == named(build, "count-by-class", {}, fmt, "--max-rows", str(MAX_ROWS))
    page = call(app, "/q/count-by-class", accept=BROWSER)
    assert page.header("kg-truncated") == f"result cut at {MAX_ROWS} rows"
    assert f"{MAX_ROWS} rows, cut at {MAX_ROWS} (max-rows)" in Page(page.text).all_text
    whole = call(app, "/q/who-met-whom", {"day": "2026-03-03", "format": "csv"})
    assert whole.header("kg-truncated") is None


@pytest.mark.filterwarnings("ignore:count-by-class. result cut")
def test_a_question_is_cut_at_the_endpoints_own_limit(build: Path) -> None:
    endpoint = Endpoint(Source("oxigraph", str(build)), workers=1, max_rows=2)
    try:
        answer = call(endpoint, "/q/count-by-class", {"format": "csv"})
        assert answer.header("kg-truncated") == "result cut at 2 rows"
        assert answer.body == named(build, "count-by-class", {}, "csv", "--max-rows", "2")
        assert len(answer.text.splitlines()) == 1 + 2
    finally:
        endpoint.close()


def test_a_shipped_question_is_not_inspected_again_at_each_request(
    app: Endpoint, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the module's promise: a question's own text, inspected by the tests, is not parsed again per
    # request (as Connection.run does); a query sent to /query is. Seen in the jobs sent to the worker.
    sent: list[Job] = []
    run = Worker.run

    def spy(worker: Worker, job: Job, timeout: float) -> Reply:
        sent.append(job)
        return run(worker, job, timeout)

    monkeypatch.setattr(Worker, "run", spy)
    answer = call(app, "/q/positions-of", {"holder": "Arden", "format": "csv"})
    assert answer.status == "200 OK" and b"The talks with Brook were useful." in answer.body
    assert "positions-of" in [job.name for job in sent]  # the question itself ran in the worker
    assert [job.inspect for job in sent] == [None] * len(sent)  # and nothing was given to the guard
    sent.clear()
    assert ask(app, "ASK {}").status == "200 OK"
    assert [job.inspect for job in sent] == ["ASK {}"]  # a client's query is inspected


def test_a_question_for_a_browser_is_a_page_with_a_table_and_a_form(app: Endpoint) -> None:
    answer = call(app, "/q/who-met-whom", {"day": "2026-03-03"}, accept=BROWSER)
    assert (answer.status, answer.header("Content-Type")) == ("200 OK", "text/html; charset=utf-8")
    page = Page(answer.text)
    title = title_of(ROOT / "kg" / "queries" / "who-met-whom.rq")
    assert page.text[:3] == [f"{title} — kg", "← the named questions", title]
    assert page.links["← the named questions"] == "./"
    assert page.forms == [{"method": "get", "action": "who-met-whom"}]
    assert page.inputs == {"day": "2026-03-03"} and page.options == ["html", "json", "csv"]
    # the meeting of tiny's articles t1 and t2 (t1 alone names the place); the day is said once, above
    assert page.header == ["fact", "visitors", "hosts", "places", "articles"]
    assert page.rows == [
        ["Alice Arden meets Bob Brook", "Alice Arden (t1, t2)", "Bob Brook (t1, t2)", "Capital City (t1)", "2"]
    ]
    assert page.numeric == [[False, False, False, False, True]] and page.stray == []
    assert "day: 2026-03-03" in page.text and "1 row · as CSV · JSON" in page.all_text
    assert page.links["CSV"] == "?day=2026-03-03&format=csv" and page.links["JSON"] == "?day=2026-03-03&format=json"
    default = Page(call(app, "/q/who-met-whom", accept=BROWSER).text)
    assert default.inputs == {"day": "2026-02-03"} and default.rows == []  # the file's default day: no meeting in tiny
    assert "0 rows" in default.all_text


def test_an_unknown_question_is_404_naming_the_close_ones(app: Endpoint) -> None:
    answer = call(app, "/q/who-met")
    assert (answer.status, answer.header("Content-Type")) == ("404 Not Found", "text/plain; charset=utf-8")
    assert answer.text.splitlines() == [
        "no such question 'who-met'",
        "    expected: the name of a question (/q/ lists them)",
        "    hint: did you mean 'who-met-whom'?",
    ]
    page = Page(call(app, "/q/who-met", accept=BROWSER).text)
    assert page.links["← the named questions"] == "./" and "no such question 'who-met'" in page.all_text
    assert page.forms == []
    # a path whose bytes are not UTF-8 (WSGI passes each byte as a Latin-1 character): each bad byte is U+FFFD
    answer = call(app, "/q/\xff")
    assert (answer.status, answer.text.splitlines()[0]) == ("404 Not Found", "no such question '\ufffd'")


def test_a_bad_parameter_is_400_with_the_librarys_message(app: Endpoint) -> None:
    answer = call(app, "/q/who-met-whom", {"dya": "2026-03-03"})
    assert (answer.status, answer.text.splitlines()) == (
        "400 Bad Request",
        ["query who-met-whom has no parameter dya", "    expected: one of: day"],
    )
    answer = call(app, "/q/who-met-whom", {"day": "yesterday"})
    assert answer.status == "400 Bad Request" and "'yesterday' is not xsd:date" in answer.text
    # a parameter given empty is given: it is not the default
    answer = call(app, "/q/who-met-whom", "day=&format=csv")
    assert (answer.status, answer.text) == (
        "400 Bad Request",
        "parameter day: '' is not xsd:date\n    expected: YYYY-MM-DD\n",
    )
    answer = call(app, "/q/who-met-whom", "format=", accept="text/csv")
    assert (answer.status, answer.text) == ("400 Bad Request", "format: '' is not csv, json or html\n")
    answer = call(app, "/q/who-met-whom", "day=2026-03-03&day=2026-03-10")
    assert (answer.status, answer.text) == ("400 Bad Request", "give one value for each parameter: day\n")
    answer = call(app, "/q/who-met-whom", {"format": "xml"})
    assert (answer.status, answer.text) == ("400 Bad Request", "format: 'xml' is not csv, json or html\n")
    answer = call(app, "/q/who-met-whom", "format=csv&format=json")
    assert (answer.status, answer.text) == ("400 Bad Request", "give one format: ?format=csv, json or html\n")


@pytest.mark.parametrize("where", ["parameter", "name"])
def test_a_hostile_value_is_shown_as_text_never_as_markup(app: Endpoint, where: str) -> None:
    if where == "parameter":
        answer = call(app, "/q/positions-of", {"holder": HOSTILE}, accept=BROWSER)
    else:
        answer = call(app, "/q/" + HOSTILE.encode().decode("latin-1"), accept=BROWSER)  # as WSGI passes a path
    assert (answer.status, answer.header("Content-Type")) == (
        {"parameter": "400 Bad Request", "name": "404 Not Found"}[where],
        "text/html; charset=utf-8",
    )
    page = Page(answer.text)
    assert "b" not in page.tags and HOSTILE not in answer.text
    assert HOSTILE in page.all_text  # shown, as text
    assert page.text[0] == f"{answer.status} — kg"  # the title holds only the status
    if where == "parameter":
        assert page.inputs == {"holder": HOSTILE}  # the form holds it, to be corrected


def test_a_hostile_label_in_a_question_page_is_a_cell_of_text(tmp_path: Path) -> None:
    tiny = copy_tiny(tmp_path / "tiny")
    entities = tiny / "data" / "entities.ttl"
    entities.write_text(
        entities.read_text(encoding="utf-8").replace('"Alice Arden"', json.dumps(HOSTILE)), encoding="utf-8"
    )
    build_project(Project.at(tiny, sources=tiny / "sources"))
    endpoint = Endpoint(Source("oxigraph", str(tiny / "build")), workers=1)
    try:
        page = Page(call(endpoint, "/q/positions-of", {"holder": "Arden"}, accept=BROWSER).text)
    finally:
        endpoint.close()
    assert "b" not in page.tags and page.stray == []
    assert f"holder: {HOSTILE}" in page.text  # the caption names the holder by its label, as text
    assert page.rows == [["Arden finds the talks useful", "The talks with Brook were useful.", "actual", "1"]]
