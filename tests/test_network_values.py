"""The values the network's functions produce, computed by hand on graphs built here.

Each test states what a function of :mod:`kg.network` (and the whole-network monthly
balance of :mod:`kg.views.charts`) must give for a small input whose answer can be
worked out on paper: the aggregates of a tie, betweenness on a path, a star and a
square, the communities of two cliques, every file and column of the exports, and the
months of a set of dated facts; and what :func:`kg.network.project` reads of the tiny example
project, built with a few registry facts added. Scores come from the ontology (read with rdflib).
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import random
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace

import kg
import kg.network
from kg.build import build_project
from kg.errors import InputError
from kg.network import (
    EDGE_COLUMNS,
    MEASURES,
    NODE_COLUMNS,
    Filters,
    _brandes,
    _Reader,
    add_tie,
    balance_by_month,
    centrality,
    communities,
    edge_id,
    example_network,
    load_facts,
    path,
    path_steps,
    project,
    structural_balance,
    to_export,
    undirected,
    write_network,
)
from kg.project import Project
from kg.query import _within
from kg.views.charts import activity_by_article, activity_chart, balance_chart, monthly_balance
from kg.views.network import View
from tests.conftest import copy_tiny

ROOT = Path(__file__).resolve().parent.parent
KG = Namespace("https://w3id.org/newskg/ns#")
D = datetime.date


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    """The PLOVER score of each event and relation type, as the ontology gives it."""
    g = Graph().parse(ROOT / "ontology.ttl")
    found = {str(t).removeprefix(str(KG)): float(s) for t, s in g.subject_objects(KG.score)}  # type: ignore[arg-type]
    assert {"CONSULT", "SUPPORT", "SANCTION", "ACCUSE", "REQUEST"} <= set(found)
    return found


#: What a fact weighs by the modality it counts at (the README: planned and hypothetical weigh half).
WEIGHT = {"actual": 1.0, "planned": 0.5, "hypothetical": 0.5}


def fact(
    name: str,
    kind: str,
    score: float,
    modality: str = "actual",
    day: datetime.date | None = None,
    last: datetime.date | None = None,
    evidence: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A fact as :func:`kg.network.project` gives it (``score`` already weighted)."""
    end = last or day
    return {
        "fact": name,
        "label": name,
        "type": kind,
        "date": day,
        "when": None if day is None else day.isoformat() if end == day else f"{day:%Y-%m}",
        "first": day,
        "last": end,
        "modality": modality,
        "score": score,
        "evidence": evidence if evidence is not None else [{"article": "art:x", "quote": name}],
        **extra,
    }


# ---------------------------------------------------------------- add_tie


def test_a_cooperative_tie_sums_its_weighted_scores_and_counts_the_articles_of_its_modality(
    scores: dict[str, float],
) -> None:
    consult, support = scores["CONSULT"], scores["SUPPORT"]
    facts = [
        # art:a gives no modality of its own (it reads as the fact's); art:b calls the meeting planned
        fact(
            "talks",
            "CONSULT",
            consult,
            day=D(2026, 1, 10),
            evidence=[
                {"article": "art:a", "quote": "met"},
                {"article": "art:b", "quote": "will meet", "modality": "planned", "first": D(2025, 12, 1)},
            ],
        ),
        # art:c places the call itself, within March; art:d's evidence has no time of its own
        fact(
            "call",
            "CONSULT",
            consult,
            day=D(2026, 2, 5),
            evidence=[
                {"article": "art:c", "quote": "called", "modality": "actual", "first": D(2026, 3, 1)},
                {"article": "art:d", "quote": "a call", "modality": "actual", "last": D(2026, 3, 31)},
            ],
        ),
        fact(
            "praise",
            "SUPPORT",
            support * WEIGHT["planned"],
            "planned",
            evidence=[{"article": "art:e", "quote": "will praise", "modality": "planned"}],
        ),
    ]
    G = nx.MultiDiGraph()
    add_tie(G, "ann", "bob", "metWith", facts)
    d = G.edges["ann", "bob", "metWith"]
    assert d["relation"] == "metWith"
    assert d["score"] == consult + consult + support / 2 == 7.5
    assert d["sign"] == 1
    assert d["count"] == 3
    # art:b calls "talks" planned while the fact counts as actual: it is not behind the tie
    assert d["articles"] == 4  # a, c, d, e
    # art:b's earlier day is not counted; art:c's own start (1 March) and art:d's end (31 March) are
    assert d["first"] == "2026-01-10"
    assert d["last"] == "2026-03"
    assert d["event_types"] == ["CONSULT", "SUPPORT"]
    assert d["modalities"] == ["actual", "planned"]
    assert d["facts"] is facts
    assert list(G.edges(keys=True)) == [("ann", "bob", "metWith")]


def test_evidence_without_a_modality_counts_at_the_facts_own(scores: dict[str, float]) -> None:
    sanction = scores["SANCTION"] * WEIGHT["hypothetical"]
    facts = [
        fact(
            "visa-ban",
            "SANCTION",
            sanction,
            "hypothetical",
            day=D(2025, 9, 1),
            last=D(2025, 9, 30),
            evidence=[
                {"article": "art:a", "quote": "may ban"},
                {"article": "art:b", "quote": "could ban"},
            ],
        )
    ]
    # a third article places the same threat only within 2025: the tie spans what its articles allow
    wide = {"article": "art:c", "quote": "this year", "modality": "hypothetical"}
    facts[0]["evidence"].append(wide | {"first": D(2025, 1, 1), "last": D(2025, 12, 31)})
    G = nx.MultiDiGraph()
    add_tie(G, "cid", "ann", "sanctions", facts)
    d = G.edges["cid", "ann", "sanctions"]
    assert (d["score"], d["sign"], d["count"], d["articles"]) == (-3.0, -1, 1, 3)
    assert (d["first"], d["last"]) == ("2025", "2025")
    assert d["modalities"] == ["hypothetical"]


@pytest.mark.parametrize(
    ("kinds", "modalities", "sign"),
    [
        (["SANCTION", "ACCUSE"], ["actual", "planned"], -1),
        (["CONSULT", "ACCUSE"], ["actual", "hypothetical"], 1),
        (["REQUEST"], ["actual"], 0),
        (["CONSULT", "CONSULT"], ["actual", "planned"], 1),
    ],
)
def test_a_ties_score_and_sign_follow_the_ontologys_scores_by_modality(
    scores: dict[str, float], kinds: list[str], modalities: list[str], sign: int
) -> None:
    facts = [
        fact(f"f{i}", kind, scores[kind] * WEIGHT[m], m, day=D(2026, 1, i + 2))
        for i, (kind, m) in enumerate(zip(kinds, modalities, strict=True))
    ]
    expected = round(sum(scores[k] * WEIGHT[m] for k, m in zip(kinds, modalities, strict=True)), 6)
    G = nx.MultiDiGraph()
    add_tie(G, "a", "b", "x", facts)
    d = G.edges["a", "b", "x"]
    assert d["score"] == expected
    assert d["sign"] == sign
    assert d["count"] == len(kinds)
    assert d["event_types"] == sorted(set(kinds))
    assert d["modalities"] == sorted(set(modalities))
    assert (d["first"], d["last"]) == ("2026-01-02", f"2026-01-0{len(kinds) + 1}")


def test_opposite_scores_cancel_to_a_neutral_tie_and_sums_are_rounded() -> None:
    G = nx.MultiDiGraph()
    add_tie(G, "a", "b", "x", [fact("up", "CONSULT", 2.5), fact("down", "ACCUSE", -2.5)])
    add_tie(G, "a", "c", "x", [fact("p", "X", 0.1), fact("q", "X", 0.2)])
    add_tie(G, "b", "c", "x", [])
    assert (G.edges["a", "b", "x"]["score"], G.edges["a", "b", "x"]["sign"]) == (0.0, 0)
    assert G.edges["a", "c", "x"]["score"] == 0.3  # not 0.30000000000000004
    add_tie(G, "c", "a", "x", [fact("h", "X", 1 / 3), fact("i", "X", 1 / 3)])
    assert G.edges["c", "a", "x"]["score"] == 0.666667  # six decimals, as every score of the network
    empty = G.edges["b", "c", "x"]
    assert (empty["score"], empty["sign"], empty["count"], empty["articles"]) == (0.0, 0, 0, 0)
    assert (empty["first"], empty["last"], empty["event_types"], empty["modalities"]) == (None, None, [], [])
    undated = G.edges["a", "b", "x"]
    assert (undated["first"], undated["last"], undated["articles"]) == (None, None, 1)


# ---------------------------------------------------------------- betweenness


def graph(*pairs: str, counts: dict[str, int] | None = None) -> nx.MultiDiGraph:
    """A network with one metWith tie per ``"ab"`` pair (``counts``: facts per pair, else 1)."""
    G = nx.MultiDiGraph()
    for pair in pairs:
        a, b = pair[0], pair[1]
        n = (counts or {}).get(pair, 1)
        add_tie(G, a, b, "metWith", [fact(f"{pair}{i}", "CONSULT", 2.5, day=D(2026, 1, 1)) for i in range(n)])
    return G


def betweenness(G: nx.MultiDiGraph, **kw: Any) -> dict[str, float]:
    U = undirected(G)
    nodes = sorted(U)
    return {k: round(v, 6) for k, v in _brandes(U, nodes, nodes, **kw).items()}


# normalised: pairs of other actors whose shortest paths pass through the actor, over (n-1)(n-2)/2
PATH = {"a": 0.0, "b": round(3 / 6, 6), "c": round(4 / 6, 6), "d": round(3 / 6, 6), "e": 0.0}


@pytest.mark.parametrize("batch", [256, 2, 1])
def test_betweenness_of_a_path_by_hand(batch: int) -> None:
    assert betweenness(graph("ab", "bc", "cd", "de"), batch=batch) == PATH


def test_betweenness_of_a_star_and_of_a_square_with_two_shortest_paths() -> None:
    # the hub of four leaves is on every one of the 6 pairs of leaves
    assert betweenness(graph("ha", "hb", "hc", "hd")) == {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0, "h": 1.0}
    # a square a-b-c-d-a with a tail d-e: b is on one of a..c's two paths (1/2); a and c on
    # one of b..d's and of b..e's (1/2 + 1/2); d on the other half of a..c and on every
    # path from e to a, b, c (1/2 + 3): of (5-1)(5-2)/2 = 6 pairs
    assert betweenness(graph("ab", "bc", "cd", "da", "de")) == {
        "a": round(1 / 6, 6),
        "b": round(0.5 / 6, 6),
        "c": round(1 / 6, 6),
        "d": round(3.5 / 6, 6),
        "e": 0.0,
    }


def test_betweenness_ignores_the_number_of_facts_and_spans_components() -> None:
    heavy = graph("ab", "bc", "cd", "de", counts={"bc": 9, "de": 4})
    assert betweenness(heavy) == PATH
    # a-b-c and d-e apart: b is on the one path a..c, of (5-1)(5-2)/2 = 6 pairs
    assert betweenness(graph("ab", "bc", "de")) == {"a": 0.0, "b": round(1 / 6, 6), "c": 0.0, "d": 0.0, "e": 0.0}
    assert betweenness(graph("ab")) == {"a": 0.0, "b": 0.0}


def test_betweenness_from_a_sample_of_sources_is_rescaled_as_networkx_does() -> None:
    # path a-b-c-d-e from sources a and b: a's paths put b on 3, c on 2, d on 1; b's put c
    # on 2, d on 1. NetworkX scales a sample of k sources by 1/(k(n-2)), and a source, not
    # counted as a path's end, by 1/((k-1)(n-2)): b 3/3, c 4/6, d 2/6
    U = undirected(graph("ab", "bc", "cd", "de"))
    nodes = sorted(U)
    two = _brandes(U, nodes, ["a", "b"], batch=1)
    assert {k: round(v, 6) for k, v in two.items()} == {"a": 0.0, "b": 1.0, "c": 0.666667, "d": 0.333333, "e": 0.0}
    # from c alone: b on c..a, d on c..e, each over 1 * 3; the lone source counts 0
    one = _brandes(U, nodes, ["c"])
    assert {k: round(v, 6) for k, v in one.items()} == {"a": 0.0, "b": 0.333333, "c": 0.0, "d": 0.333333, "e": 0.0}
    for seed in range(3):  # the sources NetworkX draws with this seed
        sources = random.Random(seed).sample(list(U), 2)
        assert _brandes(U, list(U), sources) == pytest.approx(nx.betweenness_centrality(U, k=2, seed=seed))


@pytest.mark.parametrize("backend", [None, "networkx"])
def test_above_the_exact_limit_betweenness_is_estimated_from_sources_drawn_with_seed_0(
    backend: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # path a-b-c-d-e, exact up to 4 actors, then from 2 sources: with seed 0, NetworkX
    # draws d and e (random.Random(0).sample). From d: c is on d..b and d..a, b on d..a;
    # from e: d on e..c, e..b, e..a, c on e..b, e..a, b on e..a. Sums b 2, c 4, d 3, over
    # k(n-2) = 6, and for the source d over (k-1)(n-2) = 3: b 2/6, c 4/6, d 3/3 (exactly:
    # b 3/6, c 4/6, d 3/6)
    monkeypatch.setattr(kg.network, "betweenness_backend", lambda: backend)
    monkeypatch.setattr(kg.network, "EXACT_BETWEENNESS_UP_TO", 4)
    monkeypatch.setattr(kg.network, "BETWEENNESS_SAMPLES", 2)
    assert random.Random(0).sample(list("abcde"), 2) == ["d", "e"]
    frame = centrality(graph("ab", "bc", "cd", "de")).set_index("id")
    assert frame["betweenness"].to_dict() == {"a": 0.0, "b": 0.333333, "c": 0.666667, "d": 1.0, "e": 0.0}
    how = "estimated from 2 of 5 actors"
    assert frame.attrs["betweenness"] == (how if backend is None else f"{how}, by {backend}")


def test_centrality_reports_the_betweenness_computed_by_hand() -> None:
    frame = centrality(graph("ab", "bc", "cd", "de")).set_index("id")
    assert frame["betweenness"].to_dict() == PATH
    assert frame.attrs["betweenness"].startswith("exact")


# ---------------------------------------------------------------- communities


def test_two_cliques_joined_by_one_tie_are_two_communities_larger_first() -> None:
    G = graph("ab", "ac", "ad", "bc", "bd", "cd", "de", "ef", "eg", "fg")
    for n in G:
        G.nodes[n]["label"] = n.upper()
    for method in ("louvain", "greedy"):
        table = communities(G, method=method)
        assert list(table.columns) == ["community", "size", "members", "ids"]
        assert table.to_dict("records") == [
            {"community": 1, "size": 4, "members": "A, B, C, D", "ids": "a b c d"},
            {"community": 2, "size": 3, "members": "E, F, G", "ids": "e f g"},
        ]


def test_communities_weigh_ties_by_their_number_of_facts() -> None:
    # two triangles abc and def, bridged by c-d with ten facts: modularity, weighed by facts,
    # is 0.15625 for ab | cd | ef against -0.125 for the two triangles (computed by hand)
    G = graph("ab", "bc", "ac", "de", "ef", "df", "cd", counts={"cd": 10})
    for method in ("louvain", "greedy"):
        table = communities(G, method=method)
        assert table["ids"].tolist() == ["a b", "c d", "e f"], method
        assert table["community"].tolist() == [1, 2, 3]
        assert table["members"].tolist() == ["a, b", "c, d", "e, f"]  # no label: the id
    with pytest.raises(InputError, match="unknown community method 'girvan'"):
        communities(G, method="girvan")


def test_louvain_is_seeded_so_a_tie_between_two_equally_good_splits_is_settled_the_same_on_every_run() -> None:
    # a square a-b-c-d-a splits as ab | cd or as ad | bc, of the same modularity (1/6 by
    # hand): which one Louvain finds depends on the order it visits the actors, drawn
    # from its seed
    G = graph("ab", "bc", "cd", "da")
    square = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")])

    def split(groups: Any) -> list[str]:
        return sorted(" ".join(sorted(g)) for g in groups)

    found = set()
    for seed in range(12):
        ids = communities(G, seed=seed)["ids"].tolist()
        assert sorted(ids) == split(nx.community.louvain_communities(square, seed=seed)), seed
        found.add(tuple(sorted(ids)))
    assert found == {("a b", "c d"), ("a d", "b c")}  # the seed does decide
    default = split(nx.community.louvain_communities(square, seed=42))
    assert all(sorted(communities(G)["ids"]) == default for _ in range(40))


# ---------------------------------------------------------------- exports


TRICKY = 'Talks, "frank"\nand long'


@pytest.fixture
def net() -> nx.MultiDiGraph:
    """Ann meets Bob (an actual call, a planned visit with no date, a talk whose label is tricky); Bob accuses Cid."""
    G = nx.MultiDiGraph()
    G.add_node("ann", label="Ann, the envoy", kind="person", country="ent:colombia", posts=["envoy"])
    G.add_node("bob", label="Bob", kind="organisation", sector="government", aliases=["B.", "Bobby"])
    G.add_node("cid")  # no label: named by its id
    add_tie(
        G,
        "ann",
        "bob",
        "metWith",
        [
            fact(
                "call",
                "CONSULT",
                2.5,
                day=D(2026, 1, 10),
                evidence=[{"article": "art:b", "quote": "q"}, {"article": "art:a", "quote": "q"}],
            ),
            fact("visit", "CONSULT", 0.5, "planned", evidence=[{"article": "art:a", "quote": "q"}]),
            fact("talk", "CONSULT", 0.0, day=D(2026, 2, 1), last=D(2026, 2, 28), label=TRICKY),
        ],
    )
    blame = fact("blame", "ACCUSE", -1.0, day=D(2026, 3, 1))
    del blame["label"]  # a fact without a label is named by its id
    add_tie(G, "bob", "cid", "accuses", [blame])
    return G


WORDS = {"metWith": "held talks with", "accuses": "blamed"}


def test_the_edges_csv_gives_every_column_of_each_fact(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    edges, nodes = write_network(net, "csv", tmp_path / "net.csv", relations=WORDS)
    assert (edges, nodes) == (tmp_path / "net.csv", tmp_path / "net.nodes.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["net.csv", "net.nodes.csv"]
    text = edges.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(EDGE_COLUMNS)
    rows = list(csv.DictReader(io.StringIO(text)))
    common = {"source": "ann", "target": "bob", "source_name": "Ann, the envoy", "target_name": "Bob"}
    common |= {"relation": "held talks with", "event_type": "CONSULT", "relation_id": "metWith"}
    assert rows == [
        common
        | {
            "sign": "1",
            "date": "2026-01-10",
            "fact": "call",
            "articles": "art:a; art:b",
            "score": "2.5",
            "modality": "actual",
            "fact_id": "call",
        },
        common
        | {
            "sign": "1",
            "date": "",
            "fact": "visit",
            "articles": "art:a",
            "score": "0.5",
            "modality": "planned",
            "fact_id": "visit",
        },
        common
        | {
            "sign": "0",
            "date": "2026-02",
            "fact": TRICKY,
            "articles": "art:x",
            "score": "0.0",
            "modality": "actual",
            "fact_id": "talk",
        },
        {
            "source": "bob",
            "target": "cid",
            "source_name": "Bob",
            "target_name": "cid",
            "relation": "blamed",
            "sign": "-1",
            "date": "2026-03-01",
            "fact": "blame",
            "articles": "art:x",
            "score": "-1.0",
            "event_type": "ACCUSE",
            "modality": "actual",
            "fact_id": "blame",
            "relation_id": "accuses",
        },
    ]
    assert '"Talks, ""frank""\nand long"' in text  # quoted as RFC 4180 says


def test_the_nodes_csv_gives_names_classes_measures_posts_and_aliases(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    _, nodes = write_network(net, "csv", tmp_path / "net.csv")
    text = nodes.read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(NODE_COLUMNS)
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert list(rows) == ["ann", "bob", "cid"]
    assert {k: rows["ann"][k] for k in ("name", "class", "country", "sector", "posts", "aliases")} == {
        "name": "Ann, the envoy",
        "class": "person",
        "country": "ent:colombia",
        "sector": "",
        "posts": "envoy",
        "aliases": "",
    }
    assert (rows["bob"]["class"], rows["bob"]["sector"], rows["bob"]["aliases"]) == (
        "organisation",
        "government",
        "B.; Bobby",
    )
    assert (rows["cid"]["name"], rows["cid"]["class"]) == ("cid", "")
    # Ann: 3 facts out, positive 3.0; Bob: 1 out, 3 in, both signs; Cid: 1 in; Bob lies between them
    measures = {
        n: {m: float(rows[n][m]) for m in ("degree", "out_facts", "in_facts", "cooperation", "conflict")} for n in rows
    }
    assert measures == {
        "ann": {"degree": 1, "out_facts": 3, "in_facts": 0, "cooperation": 3.0, "conflict": 0.0},
        "bob": {"degree": 2, "out_facts": 1, "in_facts": 3, "cooperation": 3.0, "conflict": -1.0},
        "cid": {"degree": 1, "out_facts": 0, "in_facts": 1, "cooperation": 0.0, "conflict": -1.0},
    }
    assert [float(rows[n]["betweenness"]) for n in rows] == [0.0, 1.0, 0.0]
    assert set(MEASURES) <= set(NODE_COLUMNS)


def test_graphml_holds_typed_attributes_relation_words_and_edge_ids(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    (written,) = write_network(net, "graphml", tmp_path / "net.graphml", relations=WORDS)
    assert written == tmp_path / "net.graphml"
    assert [p.name for p in tmp_path.iterdir()] == ["net.graphml"]
    back = nx.read_graphml(written, force_multigraph=True)
    assert sorted(back) == ["ann", "bob", "cid"]
    edges = {k: d for _, _, k, d in back.edges(keys=True, data=True)}
    assert sorted(edges) == [edge_id("ann", "bob", "metWith"), edge_id("bob", "cid", "accuses")]
    talks = edges["ann--metWith--bob"]
    assert (talks["label"], talks["weight"], talks["count"], talks["score"]) == ("held talks with", 3.0, 3, 3.0)
    assert talks["facts"] == "call; visit; talk"
    assert edges["bob--accuses--cid"]["label"] == "blamed"
    assert back.nodes["bob"]["degree"] == 2
    assert (
        write_network(net, "graphml", tmp_path / "again.graphml", relations=WORDS)[0].read_bytes()
        == written.read_bytes()
    )


def test_gexf_holds_relation_words_edge_ids_and_no_date_of_writing(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    (written,) = write_network(net, "gexf", tmp_path / "net.gexf", relations=WORDS)
    assert [p.name for p in tmp_path.iterdir()] == ["net.gexf"]
    root = ET.fromstring(written.read_bytes())
    ns = {"g": root.tag.split("}")[0].strip("{")}
    edges = {str(e.get("id")): e for e in root.iterfind(".//g:edge", ns)}
    assert sorted(edges) == ["ann--metWith--bob", "bob--accuses--cid"]
    assert edges["ann--metWith--bob"].get("label") == "held talks with"
    assert edges["ann--metWith--bob"].get("weight") == "3.0"
    assert edges["bob--accuses--cid"].get("label") == "blamed"
    titles = [a.get("title") for a in root.iterfind(".//g:attribute", ns)]
    assert "networkx_key" not in titles and "score" in titles
    meta = root.find("g:meta", ns)
    assert meta is not None and "lastmodifieddate" not in meta.attrib
    assert "weight: the number of facts" in (meta.findtext("g:description", namespaces=ns) or "")


def test_the_default_relation_words_split_the_camel_case(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    edges, _ = write_network(net, "csv", tmp_path / "net.csv")
    assert [r["relation"] for r in csv.DictReader(io.StringIO(edges.read_text(encoding="utf-8")))] == [
        "met with",
        "met with",
        "met with",
        "accuses",
    ]


def test_an_exported_edge_is_named_by_its_relation_else_its_key_and_weighs_its_facts_else_nothing() -> None:
    # a network built by hand: networkx's own key (0) on an edge that names its relation,
    # and an edge keyed by its relation with no attribute at all (no count: weight 0.0)
    G = nx.MultiDiGraph()
    G.add_edge("ann", "bob", relation="metWith", count=2)
    G.add_edge("bob", "ann", key="accuses")
    H = to_export(G, measures=False)
    assert list(H.edges(keys=True, data=True)) == [
        ("ann", "bob", 0, {"label": "met with", "weight": 2.0, "relation": "metWith", "count": 2, "facts": ""}),
        ("bob", "ann", "accuses", {"label": "accuses", "weight": 0.0, "facts": ""}),
    ]
    assert to_export(G, {"metWith": "held talks with"}, measures=False).edges["ann", "bob", 0]["label"] == (
        "held talks with"
    )


def test_an_unknown_format_is_refused_and_writes_nothing(net: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="unknown network format 'dot'") as caught:
        write_network(net, "dot", tmp_path / "net.dot")
    assert caught.value.expected == "graphml, gexf or csv"
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- monthly balance


def test_monthly_balance_by_hand() -> None:
    G = nx.MultiDiGraph()
    shared = fact("summit", "CONSULT", 2.5, day=D(2026, 1, 31))
    add_tie(G, "a", "b", "metWith", [shared, fact("dec", "CONSULT", 1.0, day=D(2025, 12, 31))])
    add_tie(G, "a", "c", "metWith", [shared])  # one fact on two edges counts once
    add_tie(
        G,
        "b",
        "c",
        "accuses",
        [
            fact("feb", "ACCUSE", -1 / 3, day=D(2026, 2, 1)),
            fact("feb-too", "ACCUSE", -2.0, day=D(2026, 2, 28)),
            fact("zero", "REQUEST", 0.0, day=D(2026, 2, 14)),
            fact("march", "SUPPORT", 5.0, day=D(2026, 3, 1), last=D(2026, 3, 31)),  # a whole month
            fact("across", "ACCUSE", -7.0, day=D(2026, 1, 20), last=D(2026, 2, 10)),  # two months: left out
            fact("undated", "SANCTION", -6.0),  # no date: left out
            fact("open", "SANCTION", -6.0, day=D(2026, 2, 1)) | {"last": None},  # open-ended: left out
        ],
    )
    frame = monthly_balance(G)
    assert list(frame.columns) == ["month", "cooperation", "conflict", "net", "facts"]
    assert frame.to_dict("records") == [
        {"month": "2025-12", "cooperation": 1.0, "conflict": 0.0, "net": 1.0, "facts": 1},
        {"month": "2026-01", "cooperation": 2.5, "conflict": 0.0, "net": 2.5, "facts": 1},
        {"month": "2026-02", "cooperation": 0.0, "conflict": -2.333333, "net": -2.333333, "facts": 3},
        {"month": "2026-03", "cooperation": 5.0, "conflict": 0.0, "net": 5.0, "facts": 1},
    ]
    thirds = nx.MultiDiGraph()
    add_tie(thirds, "a", "b", "accuses", [fact("t", "ACCUSE", -1 / 3, day=D(2026, 5, 5))])
    add_tie(thirds, "b", "a", "metWith", [fact("u", "CONSULT", 2 / 3, day=D(2026, 5, 6))])
    row = monthly_balance(thirds).to_dict("records")
    assert row == [{"month": "2026-05", "cooperation": 0.666667, "conflict": -0.333333, "net": 0.333333, "facts": 2}]
    # the whole network of one pair is that pair's balance
    assert row == balance_by_month(thirds, "a", "b").to_dict("records")
    assert monthly_balance(nx.MultiDiGraph()).to_dict("records") == []


# ---------------------------------------------------------------- activity by article


def plotted_figure(view: View) -> dict[str, Any]:
    """The data a chart page hands plotly: its ``<script type="application/json">`` block, read back."""
    return dict(json.loads(view.html.split('id="kg-data">')[1].split("</script>")[0]))


@pytest.fixture
def reports() -> nx.MultiDiGraph:
    """a-b: a call (art:a, art:b) and a talk scored 0 (art:b); b accuses c (art:b)."""
    G = nx.MultiDiGraph()
    both = [{"article": "art:a", "quote": "q"}, {"article": "art:b", "quote": "q"}]
    add_tie(
        G,
        "a",
        "b",
        "metWith",
        [
            fact("call", "CONSULT", 2.5, day=D(2026, 1, 10), evidence=both),
            fact("talk", "CONSULT", 0.0, evidence=[{"article": "art:b", "quote": "q"}]),
        ],
    )
    add_tie(G, "b", "c", "accuses", [fact("blame", "ACCUSE", -2.0, evidence=[{"article": "art:b", "quote": "q"}])])
    return G


def test_the_activity_chart_stacks_horizontal_bars_per_article_coloured_by_event_type(
    reports: nx.MultiDiGraph,
) -> None:
    # art:a reports the call; art:b the call, the talk (both CONSULT) and the accusation.
    # art:a is named by its title and date, markup shown as text; art:b, not described, by its id
    view = activity_chart(reports, articles={"art:a": {"title": "<b>Talks</b>", "date": "2026-01-10"}})
    figure = plotted_figure(view)["figure"]
    shown = "&lt;b&gt;Talks&lt;/b&gt; (2026-01-10)"
    assert figure["data"] == [
        {
            "type": "bar",
            "orientation": "h",
            "name": "meeting or call",
            "y": ["art:a", "art:b"],
            "x": [1, 2],
            "marker": {"color": "#59a14f"},  # CONSULT: the second type, the palette's second colour
            "hovertext": [f"{shown}: 1 meeting or call", "art:b: 2 meeting or call"],
            "hoverinfo": "text",
        },
        {
            "type": "bar",
            "orientation": "h",
            "name": "accusation",
            "y": ["art:b"],
            "x": [1],
            "marker": {"color": "#e15759"},  # ACCUSE: the ninth type, the palette's ninth colour
            "hovertext": ["art:b: 1 accusation"],
            "hoverinfo": "text",
        },
    ]
    # the left margin fits the longest name, "<b>Talks</b> (2026-01-10)": 25 characters at 7 px, plus 20
    assert figure["layout"] == {
        "barmode": "stack",
        "height": 260,  # 120 + 34 px for each of 2 articles is 188: at least 260
        "margin": {"l": 20 + 25 * 7, "r": 170, "t": 30, "b": 60},
        "xaxis": {"title": {"text": "facts"}, "rangemode": "tozero"},
        "yaxis": {
            "type": "category",
            "categoryorder": "array",
            "categoryarray": ["art:a", "art:b"],
            "tickvals": ["art:a", "art:b"],
            "ticktext": [shown, "art:b"],
            "autorange": "reversed",
        },
        "legend": {"orientation": "v", "x": 1.02, "y": 1, "traceorder": "normal"},
        "hovermode": "closest",
    }
    assert view.title == "Facts reported by each article, by event type"


def test_the_activity_chart_by_sign_uses_the_sign_colours_and_caps_the_margin(reports: nx.MultiDiGraph) -> None:
    long = "A" * 70  # a name longer than 56 characters is cut to 56 on the axis, and the margin to fit 56
    figure = plotted_figure(activity_chart(reports, by="sign", articles={"art:b": {"title": long}}))["figure"]
    bars = [(t["name"], t["orientation"], t["y"], t["x"], t["marker"]) for t in figure["data"]]
    assert bars == [
        ("cooperation", "h", ["art:a", "art:b"], [1, 1], {"color": "#2e7d32"}),
        ("conflict", "h", ["art:b"], [1], {"color": "#c62828"}),
        ("neutral", "h", ["art:b"], [1], {"color": "#9e9e9e"}),
    ]
    assert figure["layout"]["margin"] == {"l": 20 + 56 * 7, "r": 170, "t": 30, "b": 60}
    assert figure["layout"]["yaxis"]["ticktext"] == ["art:a", "A" * 55 + "\u2026"]


def test_the_activity_chart_notes_the_reports_and_an_empty_network_draws_no_bars(reports: nx.MultiDiGraph) -> None:
    # art:a reports the call; art:b the call, the talk and the accusation: 2 articles, 4 reports
    shown = plotted_figure(activity_chart(reports))
    assert shown["title"] == "Facts reported by each article, by event type"
    assert (
        shown["note"]
        == "2 articles, 4 reports of facts between actors (a fact that several articles report counts in each)."
    )
    assert shown["table"] == [
        {"article": "art:a", "type": "CONSULT", "facts": 1},
        {"article": "art:b", "type": "CONSULT", "facts": 2},
        {"article": "art:b", "type": "ACCUSE", "facts": 1},
    ]
    empty = plotted_figure(activity_chart(nx.MultiDiGraph(), by="sign", title="None yet"))
    assert empty["title"] == "None yet"
    assert (
        empty["note"]
        == "0 articles, 0 reports of facts between actors (a fact that several articles report counts in each)."
    )
    assert empty["figure"]["data"] == []
    assert empty["table"] == []
    layout = empty["figure"]["layout"]
    assert (layout["height"], layout["margin"]["l"], layout["yaxis"]["tickvals"]) == (260, 20, [])
    assert layout["xaxis"] == {"title": {"text": "facts"}, "rangemode": "tozero"}
    assert layout["legend"] == {"orientation": "v", "x": 1.02, "y": 1, "traceorder": "normal"}


def test_activity_by_article_counts_each_fact_once_per_article_in_type_or_sign_order(
    reports: nx.MultiDiGraph,
) -> None:
    # types in the ontology's order (CONSULT before ACCUSE), signs cooperation, conflict, neutral
    by_type = activity_by_article(reports)
    assert list(by_type.columns) == ["article", "type", "facts"]
    assert by_type.to_dict("records") == [
        {"article": "art:a", "type": "CONSULT", "facts": 1},
        {"article": "art:b", "type": "CONSULT", "facts": 2},
        {"article": "art:b", "type": "ACCUSE", "facts": 1},
    ]
    by_sign = activity_by_article(reports, by="sign")
    assert list(by_sign.columns) == ["article", "sign", "facts"]
    assert by_sign.to_dict("records") == [
        {"article": "art:a", "sign": "cooperation", "facts": 1},
        {"article": "art:b", "sign": "cooperation", "facts": 1},
        {"article": "art:b", "sign": "conflict", "facts": 1},
        {"article": "art:b", "sign": "neutral", "facts": 1},
    ]
    assert list(activity_by_article(nx.MultiDiGraph(), by="sign").columns) == ["article", "sign", "facts"]
    with pytest.raises(InputError, match="cannot split the facts by 'size'") as refused:
        activity_by_article(reports, by="size")
    assert refused.value.expected == "type or sign"


# ---------------------------------------------------------------- balance chart


def test_the_balance_chart_of_a_pair_draws_each_months_signs_as_bars_and_their_sum_as_a_line() -> None:
    G = nx.MultiDiGraph()
    add_tie(
        G,
        "a",
        "b",
        "metWith",
        [
            fact("call", "CONSULT", 2.5, day=D(2026, 1, 10)),
            fact("visit", "CONSULT", 1.25, "planned", day=D(2026, 3, 2)),  # half weight, already applied
            fact("talk", "CONSULT", 2.5),  # not dated: counted, not placed
        ],
    )
    add_tie(
        G,
        "b",
        "a",
        "accuses",
        [
            fact("blame", "ACCUSE", -2.0, day=D(2026, 1, 20)),
            fact("across", "ACCUSE", -7.0, day=D(2026, 2, 10), last=D(2026, 3, 5)),  # two months: not placed
        ],
    )
    add_tie(G, "a", "c", "sanctions", [fact("fine", "SANCTION", -6.0, day=D(2026, 2, 3))])  # not the pair's
    G.nodes["a"]["label"] = "Ann"
    G.nodes["b"]["label"] = "Bob"
    shown = plotted_figure(balance_chart(G, "a", "b"))
    assert shown["title"] == "Cooperation and conflict between Ann and Bob, by month"
    # 5 facts between a and b (3 on a->b, 2 on b->a): January's call and blame, March's visit placed
    assert shown["note"] == (
        "3 of 5 facts are placed in a month; the others are known only to a year or a longer interval "
        "(\u201cbefore 13 January\u201d), or not dated. Scores are PLOVER's (\u221210 to +10), "
        "planned and hypothetical facts at half weight."
    )
    assert shown["table"] == [
        {"month": "2026-01", "cooperation": 2.5, "conflict": -2.0, "net": 0.5, "facts": 2},
        {"month": "2026-03", "cooperation": 1.25, "conflict": 0.0, "net": 1.25, "facts": 1},
    ]
    months = ["2026-01", "2026-03"]
    period = {"xperiod": "M1", "xperiodalignment": "middle", "customdata": [2, 1]}
    figure = shown["figure"]
    assert figure["data"] == [
        {
            "type": "bar",
            "name": "cooperation",
            "x": months,
            "y": [2.5, 1.25],
            "marker": {"color": "#2e7d32"},
            "hovertemplate": "%{x|%B %Y}: cooperation %{y} (%{customdata} facts that month)<extra></extra>",
            **period,
        },
        {
            "type": "bar",
            "name": "conflict",
            "x": months,
            "y": [-2.0, 0.0],
            "marker": {"color": "#c62828"},
            "hovertemplate": "%{x|%B %Y}: conflict %{y}<extra></extra>",
            **period,
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "net (sum)",
            "x": months,
            "y": [0.5, 1.25],
            "line": {"color": "#333333", "width": 2},
            "hovertemplate": "%{x|%B %Y}: net %{y}<extra></extra>",
            **period,
        },
    ]
    # three months, January to March: a tick a month, the axis running to the start of April
    assert figure["layout"] == {
        "barmode": "relative",
        "height": 460,
        "margin": {"l": 70, "r": 30, "t": 30, "b": 60},
        "xaxis": {
            "type": "date",
            "title": {"text": "month"},
            "ticklabelmode": "period",
            "range": ["2026-01-01", "2026-04-01"],
            "dtick": "M1",
            "tick0": "2000-01-01",
            "tickformat": "%b %Y",
        },
        "yaxis": {"title": {"text": "score, summed"}, "zeroline": True, "zerolinecolor": "#444444"},
        "legend": {"orientation": "h", "y": -0.18},
        "hovermode": "closest",
    }


def test_the_balance_chart_of_the_whole_network_counts_each_fact_once_and_labels_years_over_six_years() -> None:
    G = nx.MultiDiGraph()
    summit = fact("summit", "CONSULT", 2.5, day=D(2020, 1, 15))
    add_tie(G, "a", "b", "metWith", [summit])
    add_tie(G, "a", "c", "metWith", [summit])  # one fact on two edges: one fact
    add_tie(G, "b", "c", "accuses", [fact("blame", "ACCUSE", -2.0, day=D(2025, 12, 31))])
    add_tie(G, "c", "a", "sanctions", [fact("undated", "SANCTION", -6.0)])
    shown = plotted_figure(balance_chart(G))
    assert shown["title"] == "Cooperation and conflict by month"
    assert shown["note"].startswith("2 of 3 facts are placed in a month; ")
    assert [(t["name"], t["x"], t["y"], t["customdata"]) for t in shown["figure"]["data"]] == [
        ("cooperation", ["2020-01", "2025-12"], [2.5, 0.0], [1, 1]),
        ("conflict", ["2020-01", "2025-12"], [0.0, -2.0], [1, 1]),
        ("net (sum)", ["2020-01", "2025-12"], [2.5, -2.0], [1, 1]),
    ]
    # January 2020 to December 2025 is 72 months: a tick a year, labelled by the year alone,
    # the axis running to the start of January 2026
    axis = shown["figure"]["layout"]["xaxis"]
    assert (axis["range"], axis["dtick"], axis["tick0"], axis["tickformat"]) == (
        ["2020-01-01", "2026-01-01"],
        "M12",
        "2000-01-01",
        "%Y",
    )
    # 19 to 48 months: a tick a quarter; 18 or fewer: a tick a month
    quarters = nx.MultiDiGraph()
    add_tie(quarters, "a", "b", "metWith", [fact("m", "CONSULT", 1.0, day=D(2024, 6, 1))])
    add_tie(quarters, "b", "a", "metWith", [fact("n", "CONSULT", 1.0, day=D(2025, 12, 1))])
    axis = plotted_figure(balance_chart(quarters, "a", "b"))["figure"]["layout"]["xaxis"]
    assert (axis["range"], axis["dtick"], axis["tickformat"]) == (["2024-06-01", "2026-01-01"], "M3", "%b %Y")
    months = nx.MultiDiGraph()
    add_tie(months, "a", "b", "metWith", [fact("m", "CONSULT", 1.0, day=D(2024, 6, 1))])
    add_tie(months, "b", "a", "metWith", [fact("n", "CONSULT", 1.0, day=D(2025, 11, 1))])
    axis = plotted_figure(balance_chart(months, "a", "b"))["figure"]["layout"]["xaxis"]
    assert (axis["range"], axis["dtick"], axis["tickformat"]) == (["2024-06-01", "2025-12-01"], "M1", "%b %Y")


def test_the_balance_chart_of_an_empty_network_and_of_one_actor(reports: nx.MultiDiGraph) -> None:
    shown = plotted_figure(balance_chart(nx.MultiDiGraph(), title="Nothing yet"))
    assert shown["title"] == "Nothing yet"
    assert shown["note"].startswith("0 of 0 facts are placed in a month; ")
    assert [t["x"] for t in shown["figure"]["data"]] == [[], [], []]
    assert shown["figure"]["layout"]["xaxis"] == {"type": "date", "title": {"text": "month"}, "ticklabelmode": "period"}
    for pair in [("a", None), (None, "b")]:
        with pytest.raises(InputError, match="a balance chart takes two actors or none") as refused:
            balance_chart(reports, *pair)
        assert refused.value.expected == "A B (a pair), or nothing (the whole network)"


def test_a_chart_given_a_shared_library_loads_plotly_from_it_rather_than_inlining_it(
    reports: nx.MultiDiGraph,
) -> None:
    # the address is written as given (its "&" entity-escaped); plotly.js (several MB) is not inlined
    address = "../assets/plotly.min.js?v=1&x"
    tag = '<script src="../assets/plotly.min.js?v=1&amp;x"></script>'
    for view in [balance_chart(reports, "a", "b", library=address), activity_chart(reports, library=address)]:
        assert view.html.count(tag) == 1
        assert len(view.html) < 100_000
        assert plotted_figure(view)["title"] == view.title
    # without it, plotly.js is inlined and no script is loaded from elsewhere
    inlined = balance_chart(reports, "a", "b")
    assert "<script src" not in inlined.html and len(inlined.html) > 1_000_000


# ---------------------------------------------------------------- the example network and its triad


def test_the_example_network_is_the_one_its_docstring_describes() -> None:
    G = example_network()
    ties = {
        (a, b, d["relation"]): sorted((f["fact"], f["type"], f["date"].isoformat(), f["score"]) for f in d["facts"])
        for a, b, d in G.edges(data=True)
    }
    assert ties == {
        ("ann", "bob", "metWith"): [
            ("meeting-1", "CONSULT", "2026-01-10", 2.5),
            ("meeting-2", "CONSULT", "2026-02-05", 2.5),
        ],
        ("bob", "cid", "accuses"): [("accusation", "ACCUSE", "2026-03-01", -2.0)],
        ("cid", "ann", "sanctions"): [("sanction", "SANCTION", "2026-03-02", -6.0)],
    }
    assert G.edges["ann", "bob", "metWith"]["event_types"] == ["CONSULT"]


def test_the_example_networks_actors_are_people_and_its_articles_report_every_fact_as_actual() -> None:
    G = example_network()
    assert dict(G.nodes(data="kind")) == {"ann": "person", "bob": "person", "cid": "person"}
    said = {
        (f["fact"], f["modality"], e["article"], e["modality"])
        for _, _, d in G.edges(data=True)
        for f in d["facts"]
        for e in f["evidence"]
    }
    assert said == {
        ("meeting-1", "actual", "art:x", "actual"),
        ("meeting-2", "actual", "art:x", "actual"),
        ("accusation", "actual", "art:x", "actual"),
        ("sanction", "actual", "art:x", "actual"),
    }


# ---------------------------------------------------------------- path steps and monthly balance


def test_a_path_step_gives_the_dates_of_its_tie_as_one_day_or_as_first_and_last_with_open_ends() -> None:
    # ann met bob on 10 January and 5 February; cid sanctioned ann on 2 March
    G = example_network()
    assert path_steps(G, "ann", "bob")[["relation", "facts", "articles", "when", "what"]].to_dict("records") == [
        {
            "relation": "metWith",
            "facts": 2,
            "articles": 1,
            "when": "2026-01-10/2026-02-05",
            "what": "meeting-1; meeting-2",
        }
    ]
    assert path_steps(G, "cid", "ann")["when"].tolist() == ["2026-03-02"]
    # a chain a-b-c-d of ties: one known only to end by 2 March (no first day), one only to
    # start on 2 March (no last day), one of no date at all
    H = nx.MultiDiGraph()
    by_march = fact("by-march", "ACCUSE", -2.0, last=D(2026, 3, 2))
    from_march = fact("from-march", "ACCUSE", -2.0, day=D(2026, 3, 2))
    from_march["last"] = None
    add_tie(H, "a", "b", "accuses", [by_march])
    add_tie(H, "b", "c", "accuses", [from_march])
    add_tie(H, "c", "d", "accuses", [fact("undated", "ACCUSE", -2.0)])
    steps = path_steps(H, "a", "d")
    assert steps[["hop", "from", "to"]].to_dict("records") == [
        {"hop": 1, "from": "a", "to": "b"},
        {"hop": 2, "from": "b", "to": "c"},
        {"hop": 3, "from": "c", "to": "d"},
    ]
    assert steps["when"][:2].tolist() == ["../2026-03-02", "2026-03-02/.."]
    assert steps["when"].isna().tolist() == [False, False, True]  # no date: none given
    columns = ["hop", "from", "from_label", "relation", "to", "to_label", "facts", "articles", "when", "what"]
    assert list(steps.columns) == columns


def test_the_monthly_balance_of_a_pair_names_an_actor_without_a_label_by_its_id() -> None:
    G = graph("ab")  # one meeting on 1 January 2026, CONSULT 2.5
    frame = balance_by_month(G, "a", "b")
    assert frame.to_dict("records") == [
        {"month": "2026-01", "cooperation": 2.5, "conflict": 0.0, "net": 2.5, "facts": 1}
    ]
    assert frame.attrs["between"] == "a and b"
    G.nodes["a"]["label"] = "Ann"
    assert balance_by_month(G, "a", "b").attrs["between"] == "Ann and b"
    assert balance_by_month(G, "b", "a").attrs["between"] == "b and Ann"


def test_a_triad_names_its_actors_by_label_and_says_whether_it_balances() -> None:
    # ann-bob meet (+), bob accuses cid (-), cid sanctions ann (-): + × - × - > 0, balanced
    assert structural_balance(example_network()).to_dict("records") == [
        {
            "a": "ann",
            "b": "bob",
            "c": "cid",
            "a_label": "Ann",
            "b_label": "Bob",
            "c_label": "Cid",
            "signs": "+--",
            "balanced": True,
        }
    ]
    columns = ["a", "b", "c", "a_label", "b_label", "c_label", "signs", "balanced"]
    assert list(structural_balance(nx.MultiDiGraph()).columns) == columns


# ---------------------------------------------------------------- read from a build


#: The tiny project's registry, with what the network reads of its actors: Alice's country
#: and sector, and an actor of no narrower class than kg:Actor, whom Brook also accuses.
REGISTRY = """
ent:alice-arden kg:country ent:ruritania ; kg:sector kg:GovernmentSector .
ent:ruritania a kg:Country ; rdfs:label "Ruritania" .
ent:the-council a kg:Actor ; rdfs:label "The Council" .
"""
COUNCIL = """
fact:t2-brook-accuses-council a kg:Event ;
    rdfs:label "Brook accuses the Council" ;
    kg:eventType kg:ACCUSE ;
    kg:actor ent:bob-brook ;
    kg:target ent:the-council ;
    kg:date "2026-03-10"^^xsd:date ;
    kg:datePrecision kg:Day ;
    kg:modality kg:Actual ;
    prov:wasDerivedFrom ev:t2-02 .
"""
ALICE, BOB, COUNCIL_ID = "ent:alice-arden", "ent:bob-brook", "ent:the-council"


@pytest.fixture(scope="module")
def tiny_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny project, with :data:`REGISTRY` and :data:`COUNCIL` added, built once."""

    root = copy_tiny(tmp_path_factory.mktemp("net") / "tiny")
    for name, extra in (("entities.ttl", REGISTRY), ("articles/t2.ttl", COUNCIL)):
        path = root / "data" / name
        path.write_text(path.read_text(encoding="utf-8") + extra, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("KG_SOURCES", raising=False)
        build_project(Project.at(root).with_build(root / "build"))
    return root / "build"


def test_the_tiny_projects_actors_carry_their_registry_facts(tiny_build: Path) -> None:

    G = project(kg.connect(tiny_build))
    assert sorted(G) == [ALICE, BOB, COUNCIL_ID]
    # every attribute of an actor, as entities.ttl gives it (no tenure: no posts)
    assert G.nodes[ALICE] == {
        "label": "Alice Arden",
        "kind": "person",
        "country": "ent:ruritania",
        "sector": "government",  # kg:GovernmentSector
        "posts": [],
        "aliases": ["Arden"],
    }
    assert G.nodes[BOB] == {
        "label": "Bob Brook",
        "kind": "person",
        "country": None,
        "sector": None,
        "posts": [],
        "aliases": ["Brook"],
    }
    # an actor typed kg:Actor alone, of no narrower class, is named and of kind "actor"
    assert G.nodes[COUNCIL_ID] == {
        "label": "The Council",
        "kind": "actor",
        "country": None,
        "sector": None,
        "posts": [],
        "aliases": [],
    }


def test_a_minimum_of_two_articles_keeps_the_meeting_both_articles_report(tiny_build: Path) -> None:

    conn = kg.connect(tiny_build)
    # t1 and t2 both report the meeting; only t2 the two accusations
    everything = project(conn)
    assert {(a, b, k): d["articles"] for a, b, k, d in everything.edges(keys=True, data=True)} == {
        (ALICE, BOB, "metWith"): 2,
        (BOB, ALICE, "accuses"): 1,
        (BOB, COUNCIL_ID, "accuses"): 1,
    }
    G = project(conn, Filters(min_articles=2))
    assert list(G.edges(keys=True)) == [(ALICE, BOB, "metWith")]
    assert sorted(G) == [ALICE, BOB]  # the Council, left without a tie, goes
    assert list(project(conn, Filters(min_articles=3)).edges()) == []


def test_the_facts_of_one_edge_are_read_alone(tiny_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    G = project(kg.connect(tiny_build))
    quotes: list[tuple[Any, ...]] = []
    rows = _Reader.rows

    def spy(self: _Reader, sparql: str, name: str, facts: Any = None) -> list[tuple[Any, ...]]:
        found = rows(self, sparql, name, facts)
        if name == "quotes":
            quotes.extend(found)
        return found

    monkeypatch.setattr(_Reader, "rows", spy)
    accuses = (BOB, ALICE, "accuses")
    load_facts(G, [accuses])
    # only the accusation's quote is read, not the meeting's, nor the Council's
    assert quotes == [("fact:t2-brook-accuses-arden", "art:t2", "Brook accused Arden of breaking a promise.")]
    (accusation,) = G.edges[accuses]["facts"]
    assert (accusation["fact"], accusation["type"], accusation["date"]) == (
        "fact:t2-brook-accuses-arden",
        "ACCUSE",
        D(2026, 3, 10),
    )


def test_an_edges_facts_equal_the_list_of_them_once_read(tiny_build: Path) -> None:
    G = project(kg.connect(tiny_build))
    facts = G.edges[BOB, ALICE, "accuses"]["facts"]
    (accusation,) = list(facts)
    assert facts == [accusation]
    assert facts == (accusation,)  # any sequence of the same facts
    assert facts != []
    assert facts != "fact:t2-brook-accuses-arden"  # a string is a sequence, not of these facts
    assert facts != {"fact": accusation["fact"]}  # not a sequence


def test_a_country_filter_keeps_the_actors_of_that_country_and_the_ties_among_them(tiny_build: Path) -> None:
    conn = kg.connect(tiny_build)
    # Alice is of Ruritania; Bob and the Council have no country
    G = project(conn, Filters(countries=frozenset({"ent:ruritania"})))
    assert (list(G), list(G.edges)) == ([ALICE], [])
    assert list(project(conn, Filters(countries=frozenset()))) == []
    assert list(project(conn, Filters(countries=frozenset({"ent:elsewhere"})))) == []


def test_a_reader_converts_each_distinct_term_once(tiny_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    curie = kg.network.curie

    def spy(iri: str) -> str:
        calls.append(iri)
        return curie(iri)

    monkeypatch.setattr(kg.network, "curie", spy)
    reader = _Reader(kg.connect(tiny_build))
    alice = ox.NamedNode("https://w3id.org/newskg/id/alice-arden")
    assert [reader.value(alice), reader.value(ox.NamedNode(alice.value))] == [ALICE, ALICE]
    assert calls == [alice.value]
    assert reader.iris == {ALICE: alice.value}


def test_an_edges_facts_show_their_edge_without_being_read(tiny_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    G = project(kg.connect(tiny_build))
    scans: list[str] = []
    rows = _Reader.rows

    def spy(self: _Reader, sparql: str, name: str, facts: Any = None) -> list[tuple[Any, ...]]:
        scans.append(name)
        return rows(self, sparql, name, facts)

    monkeypatch.setattr(_Reader, "rows", spy)
    assert repr(G.edges[BOB, ALICE, "accuses"]["facts"]) == f"<Facts of {BOB} -accuses-> {ALICE}>"
    assert repr(G.edges[ALICE, BOB, "metWith"]["facts"]) == f"<Facts of {ALICE} -metWith-> {BOB}>"
    assert scans == []  # not read to be shown


#: What a projection's scans are called, in the message of one that runs out of time.
SCANS = {"types", "ties", "tie types", "tie articles", "tie facts", "not actual", "facts", "quotes", "times"}
SCANS |= {"actor", "target", "subject", "object", "modalities", "kinds", "actors", "posts", "aliases"}


def test_each_scan_of_a_projection_is_named_for_a_time_out(tiny_build: Path, monkeypatch: pytest.MonkeyPatch) -> None:

    names: list[str] = []
    within = _within

    def spy(seconds: float, work: Any, name: str) -> Any:
        names.append(name)
        return within(seconds, work, name)

    monkeypatch.setattr("kg.network._within", spy)
    project(kg.connect(tiny_build))
    assert set(names) <= SCANS
    assert {"types", "ties", "actors", "posts", "aliases"} <= set(names)


def test_each_scan_that_reads_an_edges_facts_is_named_for_a_time_out(
    tiny_build: Path, monkeypatch: pytest.MonkeyPatch
) -> None:

    G = project(kg.connect(tiny_build))
    names: list[str] = []
    within = _within

    def spy(seconds: float, work: Any, name: str) -> Any:
        names.append(name)
        return within(seconds, work, name)

    monkeypatch.setattr("kg.network._within", spy)
    load_facts(G, [(BOB, ALICE, "accuses")])
    # the tie's facts, then each property of them: the scans of the claims an article makes
    claims = {"types", "facts", "quotes", "times", "actors", "modalities", "kinds"}
    assert set(names) == {"tie facts", "actor", "target", "subject", "object"} | claims


def test_the_network_read_through_rdflib_gives_the_actors_and_ties_of_every_claim(tiny_build: Path) -> None:

    # a filter keeping both articles reads every claim (on rdflib, the scans go through the connection)
    with kg.connect(tiny_build, engine="rdflib") as conn:
        G = project(conn, Filters(articles=frozenset({"art:t1", "art:t2"})))
        facts = {(a, b, k): [f["fact"] for f in d["facts"]] for a, b, k, d in G.edges(keys=True, data=True)}
    assert facts == {
        (ALICE, BOB, "metWith"): ["fact:arden-brook-meeting"],
        (BOB, ALICE, "accuses"): ["fact:t2-brook-accuses-arden"],
        (BOB, COUNCIL_ID, "accuses"): ["fact:t2-brook-accuses-council"],
    }
    assert (G.nodes[ALICE]["label"], G.nodes[ALICE]["sector"], G.nodes[BOB]["aliases"]) == (
        "Alice Arden",
        "government",
        ["Brook"],
    )
    met = G.edges[ALICE, BOB, "metWith"]
    assert (met["count"], met["articles"], met["first"], met["last"]) == (1, 2, "2026-03-03", "2026-03-03")
    # without a filter (no planned or hypothetical fact to weigh), the same network as on Oxigraph
    with kg.connect(tiny_build, engine="rdflib") as conn:
        on_rdflib = project(conn)
    with kg.connect(tiny_build) as conn:
        on_oxigraph = project(conn)
    assert sorted(on_rdflib.edges(keys=True)) == sorted(on_oxigraph.edges(keys=True)) == sorted(facts)

    def ties(G: nx.MultiDiGraph) -> dict[tuple[str, str, str], tuple[Any, ...]]:
        return {(a, b, k): (d["count"], d["articles"], d["score"]) for a, b, k, d in G.edges(keys=True, data=True)}

    assert ties(on_rdflib) == ties(on_oxigraph)
    assert ties(on_rdflib)[ALICE, BOB, "metWith"] == (1, 2, met["score"])


def test_the_path_from_an_actor_to_itself_has_no_hop_and_keeps_its_columns() -> None:
    G = example_network()
    detail = path(G, "ann", "ann")
    assert detail.empty
    assert list(detail.columns) == [
        "hop",
        "from",
        "from_label",
        "relation",
        "to",
        "to_label",
        "fact",
        "label",
        "when",
        "article",
        "says",
        "quote",
    ]
    steps = path_steps(G, "ann", "ann")
    assert steps.empty
    assert list(steps.columns) == [
        "hop",
        "from",
        "from_label",
        "relation",
        "to",
        "to_label",
        "facts",
        "articles",
        "when",
        "what",
    ]
