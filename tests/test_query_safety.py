"""Questions are read-only and stay inside the dataset unless the user says otherwise.

A small HTTP server on 127.0.0.1 records every request it gets: refused queries must
leave it untouched, while the same SERVICE query, explicitly allowed, reaches it (so
the recorder would have seen a leak).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.cli import main
from kg.errors import QueryError
from kg.guard import MAX_NESTING, MAX_QUERY_CHARS
from kg.project import Project
from kg.query import Connection, connect, inspect_query, read_queries, read_query_file


class Recorder(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[list[str]] = []

    def _record(self) -> None:
        Recorder.hits.append(f"{self.command} {self.path}")
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST = do_PUT = _record

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder() -> Iterator[str]:
    Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def built_tiny(tiny: Path) -> Path:
    build_project(Project.at(tiny))
    return tiny / "build"


@pytest.fixture(params=["oxigraph", "rdflib"])
def conn(request: pytest.FixtureRequest, built_tiny: Path) -> Connection:
    return connect(built_tiny, engine=request.param)


REFUSED = [
    ("service", "SELECT * WHERE { SERVICE <{url}/sparql> { ?s ?p ?o } }", "SERVICE is refused"),
    ("from", "SELECT * FROM <{url}/data.ttl> WHERE { ?s ?p ?o }", "FROM <{url}/data.ttl> is refused"),
    ("from-named", "SELECT * FROM NAMED <{url}/g.ttl> WHERE { GRAPH ?g { ?s ?p ?o } }", "is refused"),
    ("load", "LOAD <{url}/data.ttl>", "Load is an update: kg answers read queries only"),
    ("insert", "INSERT DATA { <{url}/a> <{url}/b> <{url}/c> }", "InsertData is an update"),
    ("delete", "DELETE WHERE { ?s ?p ?o }", "DeleteWhere is an update"),
]


@pytest.mark.parametrize(("case", "template", "message"), REFUSED, ids=[c[0] for c in REFUSED])
def test_refused_queries_send_nothing(conn: Connection, recorder: str, case: str, template: str, message: str) -> None:
    with pytest.raises(QueryError, match=message.replace("{url}", recorder).replace("?", r"\?")):
        conn.query(template.replace("{url}", recorder))
    assert Recorder.hits == []


def test_allowed_service_does_reach_the_network(built_tiny: Path, recorder: str) -> None:
    conn = connect(built_tiny, allow_external=True)
    with pytest.raises(QueryError, match="500"):  # the recorder answers 500
        conn.query(f"SELECT * WHERE {{ SERVICE <{recorder}/sparql> {{ ?s ?p ?o }} }}")
    assert [hit.split()[1] for hit in Recorder.hits] == ["/sparql"]


def test_from_a_graph_of_the_dataset_is_allowed_and_honoured(conn: Connection) -> None:
    # the graph of article t1 holds its two quotes; the dataset holds four (t1.ttl, t2.ttl)
    count = "SELECT (COUNT(*) AS ?n) {} WHERE {{ ?e a kg:Evidence }}"
    assert conn.query(count.format("FROM art:t1"))["n"].tolist() == [2]  # type: ignore[index]
    assert conn.query(count.format(""))["n"].tolist() == [4]  # type: ignore[index]


def test_command_line_refuses_with_a_clear_message(built_tiny: Path, recorder: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--project",
            str(built_tiny.parent),
            "query",
            "-e",
            f"SELECT * WHERE {{ SERVICE <{recorder}/x> {{ ?s ?p ?o }} }}",
        ],
    )
    assert result.exit_code == 2
    assert result.output.splitlines()[0] == "query: SERVICE is refused: it sends requests to other servers"
    assert "hint: pass --allow-external" in result.output
    assert Recorder.hits == []


def test_syntax_error_names_the_file_line_and_column(built_tiny: Path, tmp_path: Path) -> None:
    query = tmp_path / "broken.rq"
    query.write_text("# title: broken\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  FILTER (?o = )\n}\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["--project", str(built_tiny.parent), "query", str(query)])
    assert result.exit_code == 2
    assert result.output.startswith(f"{query}:4:")
    assert "SPARQL syntax error" in result.output
    assert "Traceback" not in result.output


def test_a_slow_query_times_out(store_conn: Connection) -> None:
    # a cross join of the seed graph with itself: about 3e7 rows, a couple of seconds of work
    # that goes on in the background after the wait has been given up
    slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d }"
    with pytest.raises(QueryError, match=r"no answer within 0\.2 s; the query was stopped"):
        store_conn.query(slow)


@pytest.fixture
def store_conn(built: Path) -> Connection:
    return connect(built, timeout=0.2)


def test_rows_are_capped_with_a_warning(built: Path) -> None:
    conn = connect(built, max_rows=3)
    with pytest.warns(UserWarning, match="result cut at 3 rows"):
        frame = conn.query("SELECT ?s WHERE { ?s a kg:Evidence }")
    assert len(frame) == 3  # type: ignore[arg-type]
    assert frame.attrs["truncated"] is True  # type: ignore[union-attr]


def test_every_shipped_question_passes_the_guard_so_runs_need_not_inspect_it() -> None:
    # the shipped named questions run without being inspected each time (it costs 0.1 s a
    # question): this is where they are inspected
    for name, question in read_queries().items():
        inspect_query(question.text, name=name)


def test_a_question_from_a_users_file_is_still_inspected(built_tiny: Path, tmp_path: Path) -> None:
    # a user's file named like a shipped question is not the shipped question
    path = tmp_path / "timeline.rq"
    path.write_text("# title: T\nSELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="SERVICE"):
        connect(built_tiny).run(read_query_file(path))


def test_a_question_too_long_or_too_deep_is_refused_under_its_own_name(conn: Connection) -> None:
    long = "SELECT * WHERE { ?s ?p ?o }" + " " * MAX_QUERY_CHARS
    with pytest.raises(QueryError) as raised:
        conn.execute(long, name="mine")
    assert raised.value.message == (
        f"mine: the query is {MAX_QUERY_CHARS + 27:,} characters long, more than {MAX_QUERY_CHARS:,}"
    )
    # the bracket past the limit: the 65th '{' of line 2, after "WHERE " and 64 others
    deep = "SELECT *\nWHERE " + "{" * (MAX_NESTING + 1) + " ?s ?p ?o " + "}" * (MAX_NESTING + 1)
    with pytest.raises(QueryError) as raised:
        conn.execute(deep, name="mine")
    assert raised.value.message == f"mine:2:{7 + MAX_NESTING}: nested {MAX_NESTING + 1} levels deep, more than 64"
