"""What each article says, kept apart: derived support and disagreements on the tiny project.

The tiny project has two articles reporting one meeting (t1 and t2). Each test changes
what one of them says and checks that every count, row and edge cites only the articles
that say it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build_project
from kg.network import Filters
from kg.network import project as actor_network
from kg.project import Project
from kg.query import Connection, connect

T1 = "data/articles/t1.ttl"
T2 = "data/articles/t2.ttl"
MEETING = "fact:arden-brook-meeting"


def edit(project: Path, name: str, old: str, new: str) -> None:
    path = project / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not once in {name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def build(project: Path) -> Connection:
    build_project(Project.at(project))
    return connect(project / "build")


@pytest.fixture
def cid_in_t1(tiny: Path) -> Connection:
    """t1 names a third person at the meeting; t2 reports the same meeting without her."""
    edit(
        tiny,
        "data/entities.ttl",
        "ent:capital-city a kg:Place ;",
        'ent:cid-crane a kg:Person ;\n    rdfs:label "Cid Crane" .\n\nent:capital-city a kg:Place ;',
    )
    edit(tiny, T1, "    kg:actor ent:alice-arden ;", "    kg:actor ent:alice-arden , ent:cid-crane ;")
    return build(tiny)


@pytest.fixture
def t2_anticipates(tiny: Path) -> Connection:
    """t2 reports the meeting as planned; t1 as having taken place."""
    edit(
        tiny,
        T2,
        "    kg:modality kg:Actual ;\n    prov:wasDerivedFrom ev:t2-01 .",
        "    kg:modality kg:Planned ;\n    prov:wasDerivedFrom ev:t2-01 .",
    )
    return build(tiny)


def test_an_actor_one_article_names_is_supported_by_that_article_only(cid_in_t1: Connection) -> None:
    graph = cid_in_t1
    said = graph.query(f"SELECT ?article WHERE {{ GRAPH ?article {{ {MEETING} kg:actor ent:cid-crane }} }}")
    assert list(said["article"]) == ["art:t1"]  # type: ignore[index]
    # her dossier cites t1 only, though t2 reports the same meeting
    dossier = graph.run("actor-dossier", actor="Cid Crane")
    assert {n for cited in dossier["cited"] for n in cited.split()} == {"t1"}
    # the derived ties count the articles that name both actors
    ties = graph.run("strongest-ties").set_index(["from", "edge", "to"])
    assert ties.loc[("ent:cid-crane", "kg:metWith", "ent:bob-brook"), "articles"] == 1
    assert ties.loc[("ent:alice-arden", "kg:metWith", "ent:bob-brook"), "articles"] == 2
    # so does the network, and its edge carries t1's quote alone
    G = actor_network(graph)
    edge = G.edges["ent:cid-crane", "ent:bob-brook", "metWith"]
    assert edge["articles"] == 1
    assert {e["article"] for f in edge["facts"] for e in f["evidence"]} == {"art:t1"}
    assert G.edges["ent:alice-arden", "ent:bob-brook", "metWith"]["articles"] == 2
    # the network as t1 tells it: t2's quotes and t2's accusation are not in it
    as_t1 = actor_network(graph, Filters(articles=frozenset({"art:t1"})))
    shared = as_t1.edges["ent:alice-arden", "ent:bob-brook", "metWith"]
    assert {e["article"] for f in shared["facts"] for e in f["evidence"]} == {"art:t1"}
    assert shared["articles"] == 1
    assert not as_t1.has_edge("ent:bob-brook", "ent:alice-arden", "accuses")
    assert G.has_edge("ent:bob-brook", "ent:alice-arden", "accuses")
    # the difference between the two articles is a row of its own
    rows = graph.run("contradictions")
    assert list(zip(rows["property"], rows["value"], rows["statedIn"], rows["otherStatedIn"], strict=True)) == [
        ("kg:actor", "ent:cid-crane", "t1", "t2"),
        ("kg:place", "ent:capital-city", "t1", "t2"),
    ]


def test_two_articles_disagreeing_on_a_modality_give_one_row(t2_anticipates: Connection) -> None:
    graph = t2_anticipates
    rows = graph.run("contradictions")
    modality = rows[rows["property"] == "kg:modality"]
    assert list(
        zip(modality["value"], modality["statedIn"], modality["otherValue"], modality["otherStatedIn"], strict=True)
    ) == [("kg:Actual", "t1", "kg:Planned", "t2")]
    # both report the meeting; one says it happened
    counts = graph.query(
        f"SELECT ?all ?actual ?planned WHERE {{ {MEETING} kg:articleCount ?all ; "
        "kg:actualCount ?actual ; kg:plannedCount ?planned }"
    )
    assert counts.values.tolist() == [[2, 1, 1]]  # type: ignore[union-attr]
    assert graph.run("who-met-whom", day="2026-03-03")["articles"].tolist() == [1]
    # the derived tie stands on the article that says the meeting took place
    ties = graph.run("strongest-ties").set_index(["from", "edge", "to"])
    assert tuple(ties.loc[("ent:alice-arden", "kg:metWith", "ent:bob-brook"), ["facts", "articles"]]) == (1, 1)
    reports = graph.run("fact-reports", fact=MEETING)
    assert list(zip(reports["article"], reports["modality"], strict=True)) == [
        ("art:t1", "kg:Actual"),
        ("art:t2", "kg:Planned"),
    ]
    # the network keeps each article's modality on its quote
    G = actor_network(graph)
    fact = G.edges["ent:alice-arden", "ent:bob-brook", "metWith"]["facts"][0]
    assert fact["modality"] == "actual"
    assert sorted((e["article"], e["modality"]) for e in fact["evidence"]) == [
        ("art:t1", "actual"),
        ("art:t2", "planned"),
    ]
    only_actual = actor_network(graph, Filters(modalities=frozenset({"actual"})))
    assert only_actual.edges["ent:alice-arden", "ent:bob-brook", "metWith"]["articles"] == 1


@pytest.mark.parametrize(
    ("t2_date", "disagree"),
    [
        ('"2026-03-01"^^xsd:date ;\n    kg:datePrecision kg:Month', False),  # March 2026 holds 3 March
        ('"2026-01-01"^^xsd:date ;\n    kg:datePrecision kg:Year', False),  # and so does 2026
        ('"2026-04-01"^^xsd:date ;\n    kg:datePrecision kg:Month', True),  # April does not
        ('"2026-03-04"^^xsd:date ;\n    kg:datePrecision kg:Day', True),
    ],
)
def test_dates_disagree_only_when_they_cannot_both_hold(tiny: Path, t2_date: str, disagree: bool) -> None:
    edit(tiny, T2, '"2026-03-03"^^xsd:date ;\n    kg:datePrecision kg:Day', t2_date)
    rows = build(tiny).run("contradictions")
    assert (rows["property"] == "kg:date").any() == disagree
