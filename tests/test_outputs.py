"""What the network commands and functions produce, against values worked out independently.

Each expectation comes from the curated files themselves (``data/articles/*.ttl``,
``data/entities.ttl`` and ``ontology.ttl`` read with rdflib, never through kg), from a
SPARQL question over the facts' own dates in the built store, or from a small graph
built here by hand: never from the output under test. Commands run in-process through
click's CliRunner over a project folder that links to the real curated files and the
seed build.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib import RDF, RDFS, Namespace

import kg
from kg.cli import main
from kg.network import MODALITY_WEIGHT, Filters, add_tie, brokers, change, ego, project

KG = Namespace("https://w3id.org/newskg/ns#")
ENT = "https://w3id.org/newskg/id/"
FACT = "https://w3id.org/newskg/id/fact/"

#: What the project documents (kg.network.Filters): planned and hypothetical facts weigh half.
WEIGHT = {"actual": 1.0, "planned": 0.5, "hypothetical": 0.5}
#: A claim's modality, strongest first; a negated fact makes no tie.
STRENGTH = ("actual", "planned", "hypothetical")

Edge = tuple[str, str, str]


def short(iri: object) -> str:
    """An actor or fact IRI as the network names it (ent:…, fact:…)."""
    text = str(iri)
    for base, prefix in ((FACT, "fact:"), (ENT, "ent:")):  # fact/ lies under ent
        if text.startswith(base):
            return prefix + text[len(base) :]
    return text


# ---------------------------------------------------------------- expectations from the curated files


@pytest.fixture(scope="module")
def curated(project: kg.Project) -> dict[Edge, dict[str, float]]:
    """The actor network the curated files describe: (a, b, relation) -> {fact: weighted score}.

    Each article's file is its own claims: it supports a -> b with a fact when it names a
    as the fact's actor (subject) and b as its target (object), both actors of the
    registry. A fact counts at the strongest modality the articles naming a and b give
    it, its score is its mode's (a visit, a call) or else its type's, from ontology.ttl.
    """
    onto = rdflib.Graph().parse(project.root / "ontology.ttl")
    union = rdflib.Graph()
    union += onto
    union.parse(project.root / "data" / "entities.ttl")
    files = sorted((project.root / "data" / "articles").glob("*.ttl"))
    assert len(files) == 5
    articles = [rdflib.Graph().parse(path) for path in files]
    for graph in articles:
        union += graph
    relation = {t: short(p).rsplit("#", 1)[-1] for t, p in onto.subject_objects(KG.edgeProperty)}
    score = {t: float(str(s)) for t, s in onto.subject_objects(KG.score)}
    classes = set(onto.transitive_subjects(RDFS.subClassOf, KG.Actor))
    actors = {a for a, c in union.subject_objects(RDF.type) if c in classes}
    said: dict[tuple[Edge, str], set[str]] = defaultdict(set)
    for graph in articles:
        for fact, modality in graph.subject_objects(KG.modality):
            name = str(modality).rsplit("#", 1)[-1].lower()
            kinds = [(KG.eventType, KG.actor, KG.target), (KG.relationType, KG.subject, KG.object)]
            for kind, first, second in kinds:
                for t in union.objects(fact, kind):
                    for a in graph.objects(fact, first):
                        for b in graph.objects(fact, second):
                            if a in actors and b in actors and a != b and t in relation and name in STRENGTH:
                                said[((short(a), short(b), relation[t]), str(fact))].add(name)
    edges: dict[Edge, dict[str, float]] = defaultdict(dict)
    for (key, name), modalities in said.items():
        node = rdflib.URIRef(name)
        modes = [score[m] for m in union.objects(node, KG.mode) if m in score]
        base = (
            modes[0]
            if modes
            else next(score[t] for k in (KG.eventType, KG.relationType) for t in union.objects(node, k))
        )
        strongest = min(modalities, key=STRENGTH.index)
        edges[key][short(name)] = base * WEIGHT[strongest]
    return dict(edges)


def undirected_pairs(edges: Any) -> dict[str, set[str]]:
    """Each actor's distinct neighbours, either direction."""
    near: dict[str, set[str]] = defaultdict(set)
    for a, b, *_ in edges:
        near[a].add(b)
        near[b].add(a)
    return near


def within(edges: Any, centre: str, k: int) -> set[str]:
    """The actors at most k steps from ``centre``, by a breadth-first search written out here."""
    near = undirected_pairs(edges)
    seen, ring = {centre}, {centre}
    for _ in range(k):
        ring = {n for r in ring for n in near[r]} - seen
        seen |= ring
    return seen


@pytest.fixture(scope="module")
def cli_project(project: kg.Project, built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project folder whose curated files are the real ones and whose build is the seed build."""
    root = tmp_path_factory.mktemp("outputs")
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (root / name).symlink_to(project.root / name)
    (root / "build").symlink_to(built, target_is_directory=True)
    return root


def run(root: Path, *args: str) -> str:
    result = CliRunner().invoke(main, ["--project", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def page_nodes(page: Path) -> set[str]:
    """The ids of the actors a view page holds in its data block."""
    data = json.loads(page.read_text(encoding="utf-8").split('id="kg-data">')[1].split("</script>")[0])
    return {n["id"] for n in data["nodes"]}


def hand_tie(G: nx.MultiDiGraph, a: str, b: str, relation: str = "metWith", score: float = 2.5) -> None:
    day = datetime.date(2026, 1, 1)
    fact = {"fact": f"{a}-{b}", "label": "", "type": "CONSULT", "date": day, "when": "2026-01-01"}
    fact |= {"first": day, "last": day, "modality": "actual", "score": score}
    add_tie(G, a, b, relation, [fact | {"evidence": [{"article": "art:t", "quote": "q"}]}])


# ---------------------------------------------------------------- 1. ego


def test_ego_keeps_exactly_the_actors_within_k_steps_either_way() -> None:
    # c -> x1 -> y1 -> z, and y2 -> x2 -> c: rings of 2 at one and two steps, whatever the direction
    G = nx.MultiDiGraph()
    for a, b in (("c", "x1"), ("x1", "y1"), ("y1", "z"), ("x2", "c"), ("y2", "x2")):
        hand_tie(G, a, b)
    assert set(ego(G, "c", 0)) == {"c"}
    assert set(ego(G, "c", 1)) == {"c", "x1", "x2"}
    assert set(ego(G, "c", 2)) == {"c", "x1", "x2", "y1", "y2"}
    assert set(ego(G, "c", 3)) == set(G)
    # with the ties among the actors kept, and only those
    assert sorted(ego(G, "c", 1).edges()) == [("c", "x1"), ("x2", "c")]
    assert sorted(ego(G, "x1", 1).edges()) == [("c", "x1"), ("x1", "y1")]


def test_kg_view_ego_holds_the_actors_within_the_hops(
    cli_project: Path, curated: dict[Edge, dict[str, float]], tmp_path: Path
) -> None:
    rubio = "ent:marco-rubio"
    one, two = within(curated, rubio, 1), within(curated, rubio, 2)
    assert len(one) < len(two) < len(within(curated, rubio, 3))  # each hop reaches further
    for hops, expected in (("1", one), ("2", two)):
        page = tmp_path / f"ego-{hops}.html"
        run(cli_project, "view", "ego", "Marco Rubio", "--hops", hops, "-o", str(page))
        assert page_nodes(page) == expected


# ---------------------------------------------------------------- 2. --top


def test_kg_analyze_centrality_top_lists_the_n_highest_ranked(
    cli_project: Path, curated: dict[Edge, dict[str, float]]
) -> None:
    # PageRank over the directed ties, each weighing its number of facts; then degree, then id
    D = nx.DiGraph()
    for (a, b, _), facts in curated.items():
        D.add_edge(a, b, weight=D.get_edge_data(a, b, {"weight": 0})["weight"] + len(facts))
    rank = nx.pagerank(D, weight="weight")
    near = undirected_pairs(curated)
    order = sorted(D, key=lambda n: (-round(rank[n], 6), -len(near[n]), n))
    for n in (1, 4, 7):
        table = rows(run(cli_project, "analyze", "centrality", "--top", str(n), "--format", "csv"))
        assert [r["id"] for r in table] == order[:n]
        assert [int(r["degree"]) for r in table] == [len(near[i]) for i in order[:n]]


def test_kg_view_network_top_draws_the_n_actors_with_most_ties(
    cli_project: Path, curated: dict[Edge, dict[str, float]], tmp_path: Path
) -> None:
    near = undirected_pairs(curated)
    order = sorted(near, key=lambda n: (-len(near[n]), n))
    for n in (5, 8):
        page = tmp_path / f"top-{n}.html"
        run(cli_project, "view", "network", "--top", str(n), "-o", str(page))
        assert page_nodes(page) == set(order[:n])


# ---------------------------------------------------------------- 3. change


#: The actor pairs some article ties with a fact it reports (not negated), and places within a range.
PAIRS = """
SELECT DISTINCT ?a ?b WHERE {
  GRAPH ?article {
    { ?fact kg:actor ?a ; kg:target ?b } UNION { ?fact kg:subject ?a ; kg:object ?b }
    ?fact kg:modality ?modality ; kg:when ?when .
    OPTIONAL { ?fact kg:earliestDate ?first } OPTIONAL { ?fact kg:latestDate ?last }
  }
  FILTER (?modality != kg:Negated && ?a != ?b)
  FILTER (!BOUND(?first) || ?first <= ?until) FILTER (!BOUND(?last) || ?last >= ?since)
  ?fact kg:eventType|kg:relationType ?type . ?type kg:edgeProperty ?relation .
  ?a a/rdfs:subClassOf* kg:Actor . ?b a/rdfs:subClassOf* kg:Actor .
}
"""


def pairs_between(store: ox.Store, since: str, until: str) -> set[frozenset[str]]:
    bound = PAIRS.replace("?until", f'"{until}"^^xsd:date').replace("?since", f'"{since}"^^xsd:date')
    found = store.query(bound, prefixes={"kg": str(KG), "rdfs": str(RDFS), "xsd": str(rdflib.XSD)})
    assert isinstance(found, ox.QuerySolutions)
    return {frozenset((short(r["a"].value), short(r["b"].value))) for r in found}


# 2026-01-01: ties appear and disappear at the new year; 2026-02-04: the day after the
# White House meeting, which the days up to and including 3 February must keep
@pytest.mark.parametrize("day", ["2026-01-01", "2026-02-04"])
def test_change_compares_the_ties_before_and_after_a_split(built: Path, store: ox.Store, day: str) -> None:
    split = datetime.date.fromisoformat(day)
    before = pairs_between(store, "0001-01-01", (split - datetime.timedelta(days=1)).isoformat())
    after = pairs_between(store, day, "9999-12-31")
    assert before - after  # ties disappear at the split
    conn = kg.connect(built)
    early = Filters(end=split - datetime.timedelta(days=1))
    late = Filters(start=split)
    for filters, expected in ((early, before), (late, after)):
        G = project(conn, filters)
        assert {frozenset((a, b)) for a, b in G.edges()} == expected
    frame = change(conn, early, late).set_index("id")
    degree = {"before": undirected_pairs(tuple(p) for p in before), "after": undirected_pairs(tuple(p) for p in after)}
    assert set(frame.index) == set(degree["before"]) | set(degree["after"])
    for when, near in degree.items():
        assert frame[f"degree_{when}"].to_dict() == {i: len(near.get(i, ())) for i in frame.index}
    # newcomers: no tie before, some after; their PageRank can only rise
    rank = {c: {str(i): float(v) for i, v in frame[f"pagerank_{c}"].items()} for c in ("before", "after", "change")}
    newcomers = set(degree["after"]) - set(degree["before"])
    assert all(rank["before"][i] == 0 < rank["change"][i] for i in newcomers)
    gone = set(degree["before"]) - set(degree["after"])
    assert gone and all(rank["after"][i] == 0 > rank["change"][i] for i in gone)
    changes = list(frame["pagerank_change"])
    assert changes == sorted(changes, reverse=True)


def test_kg_analyze_change_prints_what_change_computes(cli_project: Path, built: Path) -> None:
    split = datetime.date(2026, 1, 1)
    api = change(kg.connect(built), Filters(end=split - datetime.timedelta(days=1)), Filters(start=split))
    table = rows(run(cli_project, "analyze", "change", "--split", "2026-01-01", "--format", "csv"))
    assert [r["id"] for r in table] == list(api["id"])
    for column in ("degree_before", "degree_after"):
        assert [int(r[column]) for r in table] == list(api[column])
    assert [float(r["pagerank_change"]) for r in table] == pytest.approx(list(api["pagerank_change"]))


# ---------------------------------------------------------------- 4. brokers


def test_the_broker_is_the_cut_vertex() -> None:
    # a triangle a-b-c, c tied to d, d to e: c and d cut the network; a, b, e do not
    G = nx.MultiDiGraph()
    for a, b in (("a", "b"), ("b", "c"), ("c", "a"), ("d", "c"), ("d", "e")):
        hand_tie(G, a, b)
    frame = brokers(G).set_index("id")
    assert list(frame.index[:2]) == ["c", "d"]
    assert frame["cut"].to_dict() == {"a": False, "b": False, "c": True, "d": True, "e": False}
    # without c, a and b reach neither d nor e (4 pairs); without d, e reaches none of a, b, c (3)
    assert frame["separated"].to_dict() == {"a": 0, "b": 0, "c": 4, "d": 3, "e": 0}
    assert frame["longer"].to_dict() == dict.fromkeys("abcde", 0)


def test_in_a_ring_nobody_cuts_but_each_lengthens_one_path() -> None:
    # a ring a-b-c-d-e: without a, b and e are three steps apart instead of two; no pair is cut off
    G = nx.MultiDiGraph()
    for a, b in (("a", "b"), ("b", "c"), ("c", "d"), ("d", "e"), ("e", "a")):
        hand_tie(G, a, b)
    frame = brokers(G).set_index("id")
    assert not frame["cut"].any() and not frame["separated"].any()
    assert frame["longer"].to_dict() == dict.fromkeys("abcde", 1)


def test_kg_analyze_brokers_prints_the_cut_actors(cli_project: Path, curated: dict[Edge, dict[str, float]]) -> None:
    U = nx.Graph([(a, b) for a, b, _ in curated])
    table = rows(run(cli_project, "analyze", "brokers", "--format", "csv"))
    assert {r["id"] for r in table} == set(U)
    assert {r["id"] for r in table if r["cut"] == "True"} == set(nx.articulation_points(U))
    separated = [int(r["separated"]) for r in table]
    assert separated == sorted(separated, reverse=True) and separated[0] > 0


# ---------------------------------------------------------------- 5. scores and modality weights


def test_a_planned_fact_weighs_half_and_the_sign_follows_the_sum() -> None:
    assert MODALITY_WEIGHT == WEIGHT
    day = datetime.date(2026, 2, 3)

    def fact(name: str, kind: str, score: float, modality: str) -> dict[str, Any]:
        evidence = [{"article": "art:t", "quote": name, "modality": modality, "first": day, "last": day}]
        weighted = score * MODALITY_WEIGHT[modality]
        return {
            "fact": name,
            "label": name,
            "type": kind,
            "date": day,
            "when": "2026-02-03",
            "first": day,
            "last": day,
            "modality": modality,
            "score": weighted,
            "evidence": evidence,
        }

    G = nx.MultiDiGraph()
    add_tie(G, "a", "b", "metWith", [fact("talks", "CONSULT", 2.5, "planned")])
    add_tie(G, "a", "b", "sanctions", [fact("visa-ban", "SANCTION", -6.0, "planned")])
    add_tie(G, "b", "a", "metWith", [fact("call", "CONSULT", 2.5, "actual"), fact("row", "CONSULT", -6.0, "planned")])
    met, sanctioned, mixed = G.edges["a", "b", "metWith"], G.edges["a", "b", "sanctions"], G.edges["b", "a", "metWith"]
    assert (met["score"], met["sign"], met["modalities"]) == (1.25, 1, ["planned"])
    assert (sanctioned["score"], sanctioned["sign"]) == (-3.0, -1)
    # 2.5 actual and -6 planned: 2.5 - 3 = -0.5, a conflict
    assert (mixed["score"], mixed["sign"], mixed["count"]) == (-0.5, -1, 2)


def test_seed_edge_scores_are_the_ontology_scores_weighted_by_modality(
    built: Path, curated: dict[Edge, dict[str, float]]
) -> None:
    G = project(kg.connect(built))
    assert set(G.edges(keys=True)) == set(curated)
    # article 000 reports Sánchez's meeting with Congress as planned (CONSULT, 2.5), articles
    # 003 and 004 a US military action against Colombia as hypothetical (ASSAULT, -9)
    planned = G.edges["ent:pedro-sanchez", "ent:us-congress", "metWith"]
    assert (planned["score"], planned["sign"], planned["modalities"]) == (2.5 * 0.5, 1, ["planned"])
    feared = G.edges["ent:united-states", "ent:colombia", "assaults"]
    assert (feared["score"], feared["sign"], feared["modalities"]) == (-9.0 * 0.5, -1, ["hypothetical"])
    single = {key: next(iter(f.values())) for key, f in curated.items() if len(f) == 1}
    assert {key: G.edges[key]["score"] for key in single} == pytest.approx(single)
    for key, facts in curated.items():
        d = G.edges[key]
        assert d["count"] == len(facts), key
        assert d["score"] == pytest.approx(sum(facts.values())), key
        assert d["sign"] == (d["score"] > 0) - (d["score"] < 0), key


# ---------------------------------------------------------------- 6. export-network


def test_kg_export_network_csv_has_a_row_per_edge_and_fact_with_its_score(
    cli_project: Path, curated: dict[Edge, dict[str, float]], tmp_path: Path
) -> None:
    out = tmp_path / "edges.csv"
    run(cli_project, "export-network", "--format", "csv", "-o", str(out))
    table = rows(out.read_text(encoding="utf-8"))
    found: dict[Edge, dict[str, float]] = defaultdict(dict)
    for r in table:
        key = (r["source"], r["target"], r["relation_id"])
        assert r["fact_id"] not in found[key], r  # one row per edge and fact
        found[key][r["fact_id"]] = float(r["score"])
        assert int(r["sign"]) == (float(r["score"]) > 0) - (float(r["score"]) < 0)
    assert set(found) == set(curated)
    for key, facts in curated.items():
        assert found[key] == pytest.approx(facts), key
    nodes = rows((tmp_path / "edges.nodes.csv").read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in nodes) == sorted(undirected_pairs(curated))
