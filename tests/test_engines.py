"""The same questions give the same answers on every engine, a real SPARQL server included.

The server is the `oxigraph` program (PyPI package), started on 127.0.0.1 by the fixture,
loaded with `kg push` (Graph Store Protocol) and stopped after the tests. `kg push` is
incremental (only the graphs that changed, and deletes the graphs of removed articles),
and a server whose default graph does not hold the dataset is named, never answered with
no rows (the Virtuoso tests are in test_virtuoso.py).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.engines import oxigraph_program, push_record
from kg.errors import QueryError
from kg.project import Project
from kg.query import Connection, connect, read_queries

ART = "https://w3id.org/newskg/id/article/"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30, log: Path | None = None) -> None:
    """Wait until the SPARQL endpoint ``url`` answers; if its server exits first, say so (with its ``log``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log is not None and log.exists() else ""
            raise RuntimeError(f"the server exited with {process.returncode}\n{tail}".rstrip())
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server at {url} after {seconds} s")


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """A writable Oxigraph server on a free port of 127.0.0.1, stopped (its whole group) after."""
    port = free_port()
    process = subprocess.Popen(
        [oxigraph_program(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, process)
        yield url
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)


def kg(*args: str) -> tuple[int, str]:
    """Run the kg command in this process; its exit code and output (standard error included)."""
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def server(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        code, output = kg("--project", str(project.root), "--build-dir", str(built), "push", "--endpoint", url)
        assert code == 0, output
        # the default graph, then one graph per article
        assert [line.split()[-1] for line in output.splitlines()] == [
            "graph)",
            *(f"https://w3id.org/newskg/id/article/00{i}" for i in range(5)),
        ]
        yield url


@pytest.fixture(scope="module")
def engines(built: Path, server: str) -> dict[str, Connection]:
    return {
        "oxigraph": connect(built),
        "rdflib": connect(built, engine="rdflib", timeout=120),
        "server": connect(endpoint=server),
    }


@pytest.mark.parametrize("name", sorted(read_queries()))
def test_every_named_query_agrees_on_all_engines(engines: dict[str, Connection], name: str) -> None:
    frames = {engine: conn.run(name) for engine, conn in engines.items()}
    reference = frames["oxigraph"]
    assert not reference.empty, f"{name} returns no rows with its defaults"
    for engine, frame in frames.items():
        pd.testing.assert_frame_equal(frame, reference, obj=f"{name} on {engine}")


def test_ask_and_construct_agree(engines: dict[str, Connection]) -> None:
    ask = 'ASK { ?m kg:eventType kg:CONSULT ; kg:date "2026-02-03"^^xsd:date }'
    construct = "CONSTRUCT { ?a kg:sanctions ?b } WHERE { ?a kg:sanctions ?b }"
    answers = {name: (conn.query(ask), len(conn.query(construct))) for name, conn in engines.items()}  # type: ignore[arg-type]
    assert set(answers.values()) == {(True, answers["oxigraph"][1])}
    assert answers["oxigraph"][1] >= 6  # OFAC, the US and Trump each sanction Petro and his family (003, 004)


def test_every_engine_keeps_each_articles_claims_apart(engines: dict[str, Connection]) -> None:
    # 003 names Sánchez among the meeting's participants; 002 reports the meeting without him
    said = "ASK {{ GRAPH art:{} {{ fact:petro-trump-meeting-2026-02-03 kg:actor ent:pedro-sanchez }} }}"
    # the default graph merges the articles: a statement four articles make is there once
    once = "SELECT (COUNT(*) AS ?n) WHERE { fact:petro-trump-meeting-2026-02-03 kg:actor ent:gustavo-petro }"
    for name, conn in engines.items():
        assert (conn.query(said.format("003")), conn.query(said.format("002"))) == (True, False), name
        assert conn.query(once)["n"].tolist() == [1], name  # type: ignore[index]


def test_kg_serve_answers_queries(project: Project, built: Path) -> None:
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(oxigraph_program()).parent / "kg"),
            "--project",
            str(project.root),
            "--build-dir",
            str(built),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # kg serve and the workers it starts: one group, checked empty after
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, process, seconds=60)
        remote = connect(endpoint=url)
        assert remote.query("ASK { ent:gustavo-petro a kg:Person }") is True
        assert remote.run("who-met-whom").equals(connect(built).run("who-met-whom"))
        # read-only: there is no update endpoint
        request = urllib.request.Request(
            url.replace("/query", "/update"),
            data=b"update=CLEAR ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
    finally:
        process.send_signal(signal.SIGTERM)  # kg serve stops what it started (test_hardening checks how)
        process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):  # a safety net: nothing of the group may outlive the test
            os.killpg(process.pid, signal.SIGKILL)


def test_push_sends_only_what_changed_and_deletes_removed_articles(tiny: Path, tmp_path: Path) -> None:
    t1 = tiny / "data" / "articles" / "t1.ttl"
    project = ["--project", str(tiny)]
    assert kg(*project, "build")[0] == 0
    with oxigraph_server(tmp_path / "oxigraph") as url:
        server = connect(endpoint=url)
        code, output = kg(*project, "push", "--endpoint", url)
        assert code == 0, output
        assert [line.split()[-1] for line in output.splitlines()] == ["graph)", *(f"{ART}t{i}" for i in (1, 2))]
        record = push_record(tiny / "build" / ".cache", url.removesuffix("/query") + "/store")
        assert set(json.loads(record.read_text())["graphs"]) == {"", f"{ART}t1", f"{ART}t2"}

        # nothing changed: nothing sent
        assert kg(*project, "push", "--endpoint", url) == (0, "skipped 3 unchanged graphs (--all sends them)\n")

        # one article changed: its graph and the default graph (which merges it), nothing else
        t1.write_text(t1.read_text().replace("were useful.", "were very useful."))
        assert kg(*project, "build")[0] == 0
        code, output = kg(*project, "push", "--endpoint", url)
        assert code == 0, output
        lines = output.splitlines()
        assert [line.split()[-1] for line in lines[:-1]] == ["graph)", f"{ART}t1"]
        assert lines[-1] == "skipped 1 unchanged graph (--all sends them)"
        said = 'GRAPH art:t1 {{ fact:t1-arden-talks-useful kg:stance "The talks with Brook were {}useful." }}'
        assert server.query(f"ASK {{ {said.format('very ')} }}") is True
        assert server.query(f"ASK {{ {said.format('')} }}") is False
        assert server.run("positions-of", holder="ent:alice-arden")["stance"].tolist() == [
            "The talks with Brook were very useful."
        ]

        # --all sends everything again
        code, output = kg(*project, "push", "--endpoint", url, "--all")
        assert code == 0, output
        assert len(output.splitlines()) == 3 and "skipped" not in output

        # an article removed: its graph is deleted on the server
        assert server.query("ASK { GRAPH art:t2 { ?s ?p ?o } }") is True
        (tiny / "data" / "articles" / "t2.ttl").unlink()
        assert kg(*project, "build")[0] == 0
        code, output = kg(*project, "push", "--endpoint", url)
        assert code == 0, output
        assert output.splitlines() == [
            output.splitlines()[0],
            f"deleted  {ART}t2",
            "skipped 1 unchanged graph (--all sends them)",
        ]
        assert output.splitlines()[0].endswith("(default graph)")
        assert server.query("ASK { GRAPH art:t2 { ?s ?p ?o } }") is False
        assert server.query("ASK { art:t2 ?p ?o }") is False  # nor in the default graph
        assert server.query("ASK { GRAPH art:t1 { ?s ?p ?o } }") is True


def test_a_failed_push_keeps_the_last_record(tiny: Path, tmp_path: Path) -> None:
    project = ["--project", str(tiny)]
    assert kg(*project, "build")[0] == 0
    code, output = kg(*project, "push", "--endpoint", f"http://127.0.0.1:{free_port()}/query")
    assert code == 2 and "cannot reach" in output
    assert not list((tiny / "build" / ".cache").glob("push-*.json"))


def test_a_server_without_the_default_graph_is_named_not_answered_with_no_rows(built: Path, tmp_path: Path) -> None:
    # the case: the article graphs are on the server, the merged default graph is not
    dataset = ox.Store()
    dataset.bulk_load(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    dataset.clear_graph(ox.DefaultGraph())
    named = dataset.dump(format=ox.RdfFormat.N_QUADS) or b""
    with oxigraph_server(tmp_path / "oxigraph") as url:
        empty = connect(endpoint=url)
        with pytest.raises(QueryError, match="does not hold a kg dataset in its default graph"):
            empty.run("who-met-whom")
        request = urllib.request.Request(
            url.removesuffix("/query") + "/store",
            data=named,
            headers={"Content-Type": "application/n-quads"},
            method="POST",
        )
        urllib.request.urlopen(request, timeout=30).close()
        remote = connect(endpoint=url)
        assert remote.query("ASK { GRAPH art:003 { ?s ?p ?o } }") is True  # the articles are there
        with pytest.raises(QueryError, match="does not hold a kg dataset") as raised:
            remote.run("who-met-whom")
        assert "kg push" in str(raised.value)
