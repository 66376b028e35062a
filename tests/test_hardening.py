"""What a hostile user can do to a question, and what they get: a message, never the machine.

Each case of issue 11 as a specification: runaway queries are stopped at the deadline or
the memory cap, with the process that ran them gone; over-long and over-nested queries,
hostile parameters and bad limits are refused with a message; FROM means the same on
every engine; and ``kg serve`` keeps the same guard, a bounded load and a clean stop.
A recorder on 127.0.0.1 (from test_query_safety) sees no request for any refused query.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.cli import main
from kg.errors import InputError, QueryError
from kg.guard import MAX_NESTING, MAX_QUERY_CHARS
from kg.project import Project
from kg.query import Connection, connect
from tests.test_engines import free_port, wait_until_up
from tests.test_query_safety import Recorder, recorder  # noqa: F401 (a fixture)

KG = str(Path(sys.executable).parent / "kg")
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3e11 rows of the seed graph
GREEDY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?f"  # 4e7 rows kept to be sorted: gigabytes
BACKTRACK = 'SELECT * WHERE { VALUES ?x { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" } FILTER REGEX(?x, "^(a|aa)+$") }'


def rss_mb(pid: int) -> float:
    """The resident memory of process ``pid`` in MB (0 once it is gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    kb = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return kb / 1024


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


class Sampler:
    """Follows the worker of a connection while a query runs: its pids and its peak memory."""

    def __init__(self, conn: Connection) -> None:
        self.conn, self.pids, self.peak = conn, set[int](), 0.0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self) -> None:
        assert self.conn.worker is not None
        while not self.done.is_set():
            pid = self.conn.worker.pid
            if pid is not None:
                self.pids.add(pid)
                self.peak = max(self.peak, rss_mb(pid))
            time.sleep(0.05)

    def __enter__(self) -> Sampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.thread.join()


@pytest.fixture
def built_tiny(tiny: Path) -> Path:
    build_project(Project.at(tiny))
    return tiny / "build"


# ---------------------------------------------------------------- runaway queries


def test_a_runaway_query_is_stopped_at_the_deadline_and_its_process_is_gone(built: Path) -> None:
    conn = connect(built, timeout=2)
    before = rss_mb(os.getpid())
    started = time.monotonic()
    with Sampler(conn) as sampler, pytest.raises(QueryError, match=r"no answer within 2 s; the query was stopped"):
        conn.query(CROSS)
    assert time.monotonic() - started < 10
    assert sampler.pids and not any(alive(pid) for pid in sampler.pids)
    assert rss_mb(os.getpid()) - before < 100  # the work did not move into this process
    # the next question gets a new worker
    assert conn.query("ASK { ?s a kg:Person }") is True
    conn.close()


def test_a_query_past_the_memory_cap_is_stopped_and_memory_stays_bounded(built: Path) -> None:
    conn = connect(built, timeout=60, memory_mb=512)
    with Sampler(conn) as sampler, pytest.raises(QueryError, match=r"more memory than allowed \(512 MB\)"):
        conn.query(GREEDY)
    assert sampler.pids and not any(alive(pid) for pid in sampler.pids)
    # the cap is on the growth past the opened dataset; the worker's own baseline is ~150 MB
    assert 0 < sampler.peak < 512 + 400, f"peak {sampler.peak:.0f} MB"
    assert conn.query("ASK { ?s a kg:Person }") is True
    conn.close()


def test_a_backtracking_regex_on_rdflib_is_stopped(built_tiny: Path) -> None:
    conn = connect(built_tiny, engine="rdflib", timeout=3)
    started = time.monotonic()
    with Sampler(conn) as sampler, pytest.raises(QueryError, match="no answer within 3 s"):
        conn.query(BACKTRACK)
    assert time.monotonic() - started < 10
    assert not any(alive(pid) for pid in sampler.pids)


def test_the_command_line_stops_a_runaway_query_and_exits_2(built: Path, project: Project) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [KG, "--project", str(project.root), "--build-dir", str(built), "query", "-e", CROSS, "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stderr.splitlines()[0]) == (
        2,
        "query: no answer within 1 s; the query was stopped",
    )
    assert time.monotonic() - started < 20
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- what a query text may be


def test_a_query_longer_than_the_limit_is_refused_before_parsing(built_tiny: Path) -> None:
    huge = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)
    with pytest.raises(QueryError, match=f"1,048,605 characters long, more than {MAX_QUERY_CHARS:,}"):
        connect(built_tiny).query(huge)


def test_deep_nesting_gets_a_message_with_its_place(built_tiny: Path) -> None:
    deep = "SELECT * WHERE " + "{ " * 5000 + "?s ?p ?o" + " }" * 5000
    result = CliRunner().invoke(main, ["--project", str(built_tiny.parent), "query", "-e", deep])
    assert result.exit_code == 2
    column = len("SELECT * WHERE ") + 2 * MAX_NESTING + 1  # the first brace past the limit
    assert (
        result.output.splitlines()[0]
        == f"query:1:{column}: nested {MAX_NESTING + 1} levels deep, more than {MAX_NESTING}"
    )
    assert "Traceback" not in result.output


def test_nesting_within_the_limit_still_parses_and_runs(built_tiny: Path) -> None:
    nested = "SELECT * WHERE " + "{ " * (MAX_NESTING - 1) + "?s a kg:Article" + " }" * (MAX_NESTING - 1)
    assert len(connect(built_tiny).query(nested)) == 2  # type: ignore[arg-type]


HOSTILE = [
    ("actor=http://x> } ; DROP ALL { <y", "parameter actor: 'http://x> } ; DROP ALL { <y' is not an IRI: it holds '>'"),
    ("actor=ent:a>b", "is not an IRI: it holds '>'"),
    ("actor=ent:a\nb", "is not an IRI: it holds '\\n'"),
    ('actor="} DROP ALL {', "no entity is called '\"} DROP ALL {'"),
    ("day=2026-02-03'}", "parameter day: '2026-02-03'}' is not xsd:date"),
]


@pytest.mark.parametrize(("param", "message"), HOSTILE, ids=[h[0][:20] for h in HOSTILE])
def test_hostile_parameters_are_refused_with_the_packages_message(built_tiny: Path, param: str, message: str) -> None:
    name = "actor-dossier" if param.startswith("actor") else "who-met-whom"
    result = CliRunner().invoke(main, ["--project", str(built_tiny.parent), "query", name, "-p", param])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output and "Exception" not in result.output


def test_a_hostile_iri_binding_in_the_api_is_an_input_error(built_tiny: Path) -> None:
    from rdflib import URIRef

    with pytest.raises(InputError, match="is not an IRI"):
        connect(built_tiny).query("SELECT * WHERE { ?x ?p ?o }", x=URIRef("http://x> } ; DROP ALL { <y"))


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--timeout", "nan", "a number of seconds above 0"),
        ("--timeout", "inf", "a number of seconds above 0"),
        ("--timeout", "-1", "a number of seconds above 0"),
        ("--max-rows", "-1", "a whole number of rows, at least 1"),
        ("--max-rows", "0", "a whole number of rows, at least 1"),
        ("--memory", "1", "a whole number of megabytes, at least 64"),
    ],
)
def test_bad_limits_are_usage_errors(built_tiny: Path, option: str, value: str, expected: str) -> None:
    result = CliRunner().invoke(main, ["--project", str(built_tiny.parent), "query", "who-met-whom", option, value])
    assert result.exit_code == 2
    assert f"Invalid value for '{option}': '{value}': expected {expected}" in result.output


def test_bad_limits_in_the_api_are_input_errors(built_tiny: Path) -> None:
    for limits in ({"timeout": float("nan")}, {"timeout": 0}, {"max_rows": -1}, {"memory_mb": 10}):
        with pytest.raises(InputError):
            connect(built_tiny, **limits)  # type: ignore[arg-type]


# ---------------------------------------------------------------- FROM on every engine


FROM_CASES = [
    ("SELECT (COUNT(*) AS ?n) FROM art:t1 WHERE { ?e a kg:Evidence }", [[2]]),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Evidence }", [[4]]),
    (
        "SELECT ?g (COUNT(*) AS ?n) FROM NAMED art:t1 WHERE { GRAPH ?g { ?e a kg:Evidence } } GROUP BY ?g",
        [["art:t1", "Arden and Brook hold talks", 2]],  # t1.ttl: its headline, its two quotes
    ),
    ("SELECT (COUNT(*) AS ?n) FROM NAMED art:t1 WHERE { ?e a kg:Evidence }", [[0]]),
    ("SELECT (COUNT(*) AS ?n) FROM art:t1 WHERE { GRAPH ?g { ?e a kg:Evidence } }", [[0]]),
]


@pytest.fixture
def every_engine(built_tiny: Path) -> Iterator[dict[str, Connection]]:
    with served(built_tiny) as url:
        engines = {
            "oxigraph": connect(built_tiny),
            "rdflib": connect(built_tiny, engine="rdflib"),
            "served": connect(endpoint=url),
        }
        yield engines
        for conn in engines.values():
            conn.close()


def test_from_and_from_named_mean_the_same_on_every_engine(every_engine: dict[str, Connection]) -> None:
    for name, conn in every_engine.items():
        for sparql, expected in FROM_CASES:
            assert conn.query(sparql).values.tolist() == expected, (name, sparql)  # type: ignore[union-attr]
        with pytest.raises(QueryError, match="FROM names 2 graphs"):
            conn.query("SELECT * FROM art:t1 FROM art:t2 WHERE { ?s ?p ?o }")


# ---------------------------------------------------------------- kg serve


class served:  # noqa: N801 (a context manager used like a function)
    """``kg serve`` on a free port of 127.0.0.1, in a session of its own; every process of it gone after."""

    def __init__(self, build: Path, *options: str) -> None:
        self.build, self.options = build, options
        self.log = build.parent / f"serve-{os.getpid()}-{time.monotonic_ns()}.log"

    def __enter__(self) -> str:
        port = free_port()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [KG, "--build-dir", str(self.build), "serve", "--port", str(port), *self.options],
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}/query"
        try:
            wait_until_up(url, self.process, seconds=60, log=self.log)
        except BaseException:
            self.__exit__()
            raise
        return url

    def __exit__(self, *exc: object) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=15)
        left = session(self.process.pid)
        for pid in left:  # never leave one behind, even when the test fails
            os.kill(pid, signal.SIGKILL)
        self.process.wait(timeout=5)


def session(sid: int) -> list[int]:
    """The live processes of session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and alive(int(entry.name)):
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[3]) == sid:
                found.append(int(entry.name))
    return found


def send(
    url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    request = urllib.request.Request(
        url, data=data, headers=headers or {}, method="POST" if data is not None else "GET"
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read().decode()


def ask(url: str, sparql: str, accept: str = "application/sparql-results+json") -> tuple[int, dict[str, str], str]:
    return send(f"{url}?{urllib.parse.urlencode({'query': sparql})}", headers={"Accept": accept})


def ask_quietly(url: str, sparql: str) -> None:
    """Ask, and take a server that stops meanwhile for an answer."""
    with contextlib.suppress(OSError):
        ask(url, sparql)


def declared_body(url: str, length: int) -> int:
    """The status of a POST that declares a ``length``-byte body and sends none of it."""
    parts = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.putrequest("POST", parts.path)
        connection.putheader("Content-Type", "application/sparql-query")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        return connection.getresponse().status
    finally:
        connection.close()


def test_served_refusals_send_nothing_anywhere(built_tiny: Path, recorder: str) -> None:  # noqa: F811
    refused = [
        f"SELECT * WHERE {{ SERVICE <{recorder}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{recorder}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{recorder}/g.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{recorder}/data.ttl>",
    ]
    with served(built_tiny) as url:
        for sparql in refused:
            status, _, body = ask(url, sparql)
            assert status == 400 and ("is refused" in body or "is an update" in body), body
            assert "allow-external" not in body  # nothing can allow them over HTTP
        form = urllib.parse.urlencode({"update": f"LOAD <{recorder}/x>"}).encode()
        assert send(url, data=form, headers={"Content-Type": "application/x-www-form-urlencoded"})[0] == 403
        assert send(url, data=b"CLEAR ALL", headers={"Content-Type": "application/sparql-update"})[0] == 403
    assert Recorder.hits == []


def test_served_answers_in_the_protocols_formats(built_tiny: Path) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?e a kg:Evidence }"
    with served(built_tiny) as url:
        assert ask(url, count, "text/csv")[2] == "n\r\n4\r\n"
        assert (
            ask(url, count, "text/tab-separated-values")[2] == '?n\n"4"^^<http://www.w3.org/2001/XMLSchema#integer>\n'
        )
        assert '"value": "4"' in ask(url, count)[2]
        assert "<literal datatype" in ask(url, count, "application/sparql-results+xml")[2]
        body = urllib.parse.urlencode({"query": "ASK { ?s a kg:Article }"}).encode()
        assert (
            send(url, data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})[2]
            == '{"head": {}, "boolean": true}'
        )
        raw = send(
            url,
            data=b"CONSTRUCT { ?a a kg:Article } WHERE { ?a a kg:Article }",
            headers={"Content-Type": "application/sparql-query", "Accept": "application/n-triples"},
        )
        assert raw[0] == 200 and len(raw[2].splitlines()) == 2
        assert ask(url, count, "image/png")[0] == 406
        assert declared_body(url, 2 * 1024 * 1024) == 413


def test_served_queries_are_stopped_and_the_load_is_bounded(built: Path) -> None:
    with served(built, "--workers", "2", "--timeout", "8", "--memory", "512") as url:
        server = served_pid(url)
        results: list[tuple[int, dict[str, str], str]] = []

        def persist(sparql: str) -> None:
            """Ask until a worker takes the query (the light questions below may hold one a moment)."""
            while (reply := ask(url, sparql))[2].startswith("busy:"):
                time.sleep(0.05)
            results.append(reply)

        heavy = [threading.Thread(target=persist, args=(q,)) for q in (CROSS, CROSS, GREEDY)]
        for thread in heavy[:2]:
            thread.start()
        # a light question is answered until both heavy ones hold a worker, then refused
        deadline = time.monotonic() + 6
        while (reply := ask(url, "ASK {}"))[0] == 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        status, headers, body = reply
        assert (status, headers.get("Retry-After")) == (503, "1"), (body, results)
        assert body == "busy: 2 queries are running; try again shortly\n"
        peak = 0.0
        while any(t.is_alive() for t in heavy[:2]):
            peak = max(peak, sum(rss_mb(pid) for pid in session(server)))
            time.sleep(0.1)
        heavy[2].start()
        while heavy[2].is_alive():
            peak = max(peak, sum(rss_mb(pid) for pid in session(server)))
            time.sleep(0.05)
        assert [(r[0], r[2].splitlines()[0]) for r in results] == [
            (503, "query: no answer within 8 s; the query was stopped"),
            (503, "query: no answer within 8 s; the query was stopped"),
            (503, "query: the query used more memory than allowed (512 MB) and was stopped"),
        ]
        # two workers capped at 512 MB past their baseline, the server and its forkserver
        assert peak < 2 * (512 + 400) + 600, f"peak {peak:.0f} MB"
        assert ask(url, "ASK { ?s a kg:Person }")[2] == '{"head": {}, "boolean": true}'  # new workers answer


def served_pid(url: str) -> int:
    port = urllib.parse.urlparse(url).port
    for pid in (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()):
        try:
            cmdline = (Path("/proc") / str(pid) / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"serve" in cmdline and str(port).encode() in cmdline:
            return pid
    raise AssertionError(f"no kg serve on port {port}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["TERM", "INT", "KILL"])
def test_stopping_kg_serve_leaves_no_process(built_tiny: Path, signum: int) -> None:
    server = served(built_tiny, "--workers", "2", "--timeout", "30")
    with server as url:
        busy = threading.Thread(target=ask_quietly, args=(url, CROSS), daemon=True)
        busy.start()  # a worker is running a query when the signal comes
        assert ask(url, "ASK {}")[0] == 200  # the other worker answers
        time.sleep(0.5)
        pid = server.process.pid
        assert len(session(pid)) >= 3  # the server, its forkserver, its workers
        os.kill(pid, signum)
        server.process.wait(timeout=15)
        deadline = time.monotonic() + 10
        while session(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session(pid) == []
    if signum != signal.SIGKILL:
        assert "kg serve: stopped" in server.log.read_text()
