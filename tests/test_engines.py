"""The same questions give the same answers on every engine, a real SPARQL server included.

The server is the `oxigraph` program (PyPI package), started on 127.0.0.1 by the fixture,
loaded with `kg push` (Graph Store Protocol) and stopped after the tests.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from kg.cli import main
from kg.engines import oxigraph_program
from kg.project import Project
from kg.query import Connection, connect, read_queries


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server at {url} after {seconds} s")


@pytest.fixture(scope="module")
def server(project: Project, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            oxigraph_program(),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, process)
        pushed = CliRunner().invoke(
            main, ["--project", str(project.root), "--build-dir", str(built), "push", "--endpoint", url]
        )
        assert pushed.exit_code == 0, pushed.output
        # the default graph, then one graph per article
        assert [line.split()[-1] for line in pushed.output.splitlines()] == [
            "graph)",
            *(f"https://w3id.org/newskg/id/article/00{i}" for i in range(5)),
        ]
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


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
        stderr=subprocess.PIPE,
        start_new_session=True,  # kg serve and the oxigraph server it starts: one group to stop
    )
    url = f"http://127.0.0.1:{port}/query"
    try:
        wait_until_up(url, process, seconds=60)
        remote = connect(endpoint=url)
        assert remote.query("ASK { ent:gustavo-petro a kg:Person }") is True
        assert remote.run("who-met-whom").equals(connect(built).run("who-met-whom"))
        # read-only: an update sent straight to the server is refused by the server itself
        request = urllib.request.Request(
            url.replace("/query", "/update"),
            data=b"update=CLEAR ALL",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(request, timeout=5)
    finally:
        # stop the whole group: kg serve does not yet pass SIGTERM on to its server (issue 11)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
