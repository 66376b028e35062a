"""The Python API of questions: results, bindings, names and errors."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

import kg
from kg.errors import InputError, QueryError


@pytest.fixture(scope="module")
def graph(built: Path) -> kg.Connection:
    return kg.connect(built)


def test_select_gives_python_values_and_label_columns(graph: kg.Connection) -> None:
    frame = graph.query("""SELECT ?fact ?date ?n WHERE {
        ?fact kg:eventType kg:PROTEST ; kg:date ?date ; kg:articleCount ?n }""")
    # 003: thousands gathered in Bogotá's Plaza Bolívar while the meeting took place (3 February 2026)
    assert list(frame.columns) == ["fact", "fact_label", "date", "n"]
    assert frame["date"].tolist() == [datetime.date(2026, 2, 3)]
    assert frame["n"].tolist() == [1]
    assert frame["fact_label"][0]


def test_bindings_are_typed_terms(graph: kg.Connection) -> None:
    ask = "ASK { ?m kg:eventType kg:CONSULT ; kg:place ent:white-house-building ; kg:date ?day }"
    assert graph.query(ask, day=datetime.date(2026, 2, 3)) is True
    assert graph.query(ask, day=datetime.date(2026, 2, 4)) is False
    # a string stays a string: it cannot become query syntax
    assert graph.query("ASK { ?s rdfs:label ?name }", name='x" } ; DROP ALL ; ASK { "') is False


def test_construct_gives_a_graph(graph: kg.Connection) -> None:
    g = graph.query("CONSTRUCT { ?a kg:sanctions ?b } WHERE { ?a kg:sanctions ?b }")
    assert isinstance(g, Graph)
    petro = URIRef("https://w3id.org/newskg/id/gustavo-petro")
    assert (URIRef("https://w3id.org/newskg/id/ofac"), URIRef("https://w3id.org/newskg/ns#sanctions"), petro) in g


def test_names_resolve_through_labels_and_aliases(graph: kg.Connection) -> None:
    assert str(graph.resolve("Petro")).endswith("/gustavo-petro")
    assert str(graph.resolve("pedro sanchez")).endswith("/pedro-sanchez")  # plain spelling, any case
    with pytest.raises(InputError, match="'Bogotá' names 2 entities: ent:bogota-city, ent:colombia"):
        graph.resolve("Bogotá")
    # a parameter typed with a class picks among entities of that class
    frame = graph.run("events-at-place", place="Bogotá")
    assert set(frame["place"]) == {"ent:bogota-city"}
    with pytest.raises(InputError, match="no entity is called 'Atlantis'"):
        graph.run("actor-dossier", actor="Atlantis")


def test_named_parameters_may_be_numbers_and_dates(graph: kg.Connection) -> None:
    as_text = graph.run("facts-in-several-articles", min="3")
    # the 3 February meeting: 000 and 004 anticipate it, 002 and 003 report it
    assert "fact:petro-trump-meeting-2026-02-03" in set(as_text["fact"])
    assert graph.run("facts-in-several-articles", min=3).equals(as_text)
    assert graph.run("who-met-whom", day=datetime.date(2026, 2, 3)).equals(graph.run("who-met-whom", day="2026-02-03"))
    assert graph.run("timeline", **{"from": "2026-02-03", "to": "2026-02-03"}).shape[0] > 0
    with pytest.raises(InputError, match="parameter min: True is a bool"):
        graph.run("facts-in-several-articles", min=True)


def test_questions_run_under_a_long_temporary_folder(built: Path, tmp_path: Path) -> None:
    # the worker's forkserver binds a Unix socket in the temporary folder: at most 107 bytes
    deep = tmp_path / ("a-long-temporary-folder-name-" * 4) / "and-deeper-still"
    deep.mkdir(parents=True)
    assert len(str(deep)) > 120
    done = subprocess.run(
        [sys.executable, "-c", f"import kg; print(len(kg.connect({str(built)!r}).run('who-met-whom')))"],
        env={**os.environ, "TMPDIR": str(deep)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-1000:]
    assert done.stdout.strip() == "2"  # the 3 February meeting and Petro's trip to Washington
    assert not any(deep.iterdir()), "nothing is left in the temporary folder"


def test_an_article_is_named_by_its_headline_else_its_outlet_and_date(graph: kg.Connection) -> None:
    art = "https://w3id.org/newskg/id/article/"
    labels = graph.labels([URIRef(art + "000"), URIRef(art + "003")])
    # 000 has a headline; 003 none: its outlet and the day it was published, never its file name
    assert labels[URIRef(art + "000")].startswith("Colombian Defense Minister Visits US")
    assert labels[URIRef(art + "003")] == "vermelho.org.br, 4 February 2026"
    assert set(graph.run("count-by-article")["article_label"]) >= {"vermelho.org.br, 4 February 2026"}


def test_unknown_engine_and_missing_build(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown engine 'sqlite'"):
        kg.connect(tmp_path, engine="sqlite")
    with pytest.raises(InputError, match="no built dataset"):
        kg.connect(tmp_path)


def test_a_query_without_where_cannot_take_parameters(graph: kg.Connection) -> None:
    with pytest.raises(QueryError, match="no WHERE clause"):
        graph.query("DESCRIBE ent:gustavo-petro", x=1)
