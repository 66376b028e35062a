"""What the network and timeline views compute and embed, read without a browser.

Each page carries its data as JSON in ``<script type="application/json" id="kg-data">``;
these tests parse it and check it against values worked out by hand from small graphs
built here (:func:`kg.network.add_tie`, :func:`kg.network.example_network`). They run in
the test process, so that mutation testing exercises the views quickly; what a reader
sees in a browser is tested in tests/test_views.py and tests/test_timeline.py.
"""

from __future__ import annotations

import datetime
import json
import math
import threading
from pathlib import Path
from typing import Any

import networkx as nx
import pyoxigraph as ox
import pytest

from kg.engines import Answer, OxigraphEngine
from kg.errors import InputError, QueryError
from kg.network import add_tie, example_network
from kg.query import Connection
from kg.views.network import Names, View, ego_view, network_view, read_names, top_actors, vis_network_js
from kg.views.timeline import timeline_items, timeline_view

D = datetime.date
DAY_MS = 86_400_000
GREEN, RED, GREY = "#2e7d32", "#c62828", "#9e9e9e"


def page_data(view: View) -> dict[str, Any]:
    """The JSON data island of a page."""
    island = view.html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    data: dict[str, Any] = json.loads(island)
    return data


def fact(
    name: str,
    score: float,
    first: D | None = None,
    last: D | None = None,
    when: str | None = None,
    kind: str = "CONSULT",
    modality: str = "actual",
    evidence: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A fact as :func:`kg.network.project` gives it (``last`` defaults to ``first``)."""
    last = first if last is None and when is None else last
    if when is None and first is not None:
        when = first.isoformat()
    return {
        "fact": name,
        "label": f"label of {name}",
        "type": kind,
        "date": first or last,
        "when": when,
        "first": first,
        "last": last,
        "modality": modality,
        "score": score,
        "evidence": evidence if evidence is not None else [{"article": "art:a", "quote": f"quote of {name}"}],
    }


def graph(*nodes: tuple[str, dict[str, Any]]) -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for n, attrs in nodes:
        G.add_node(n, **{"label": n.upper(), "kind": "person", "posts": [], **attrs})
    return G


# --------------------------------------------------------------------------- network: nodes


def test_nodes_are_coloured_and_shaped_by_class_and_named_with_their_country_and_posts() -> None:
    G = graph(
        ("p", {"kind": "person", "country": "ent:co", "posts": ["ent:pres", "ent:chief"], "aliases": ["Pi"]}),
        ("o", {"kind": "organisation"}),
        ("g", {"kind": "group"}),
        ("c", {"kind": "country"}),
        ("l", {"kind": "place"}),
        ("x", {"kind": "spaceship"}),
    )
    names = Names(labels={"ent:co": "Colombia", "ent:pres": "President"})
    nodes = {n["id"]: n for n in page_data(network_view(G, names=names))["nodes"]}
    assert sorted(nodes) == ["c", "g", "l", "o", "p", "x"]
    style = {n: (d["color"], d["shape"]) for n, d in nodes.items()}
    assert style == {
        "p": ("#4c78a8", "dot"),
        "o": ("#f58518", "square"),
        "g": ("#b279a2", "triangle"),
        "c": ("#d4a017", "diamond"),
        "l": ("#9d755d", "star"),
        "x": ("#999999", "dot"),  # a class the palette does not know
    }
    p = nodes["p"]
    assert (p["label"], p["kind"], p["country"], p["posts"], p["aliases"]) == (
        "P",
        "person",
        "Colombia",
        ["President", "ent:chief"],  # a post without a name is shown as it is
        ["Pi"],
    )
    assert (nodes["o"]["country"], nodes["o"]["aliases"], nodes["o"]["kind"]) == (None, [], "organisation")
    assert all(n["physics"] is False for n in nodes.values())
    # a node without a label is named by its id
    H = nx.MultiDiGraph()
    H.add_node("ent:bare")
    (bare,) = page_data(network_view(H))["nodes"]
    assert (bare["label"], bare["posts"], bare["color"], bare["shape"]) == ("ent:bare", [], "#999999", "dot")


def star(leaves: int, hub: str = "h") -> nx.MultiDiGraph:
    G = graph((hub, {}), *((f"l{i}", {}) for i in range(leaves)))
    for i in range(leaves):
        add_tie(G, hub, f"l{i}", "metWith", [fact(f"f{i}", 1.0, D(2026, 1, 1 + i))])
    return G


def test_nodes_are_sized_by_the_measure_asked_for() -> None:
    # degree: the hub has 3 neighbours, each leaf 1; sizes run from 12 to 40 in proportion
    nodes = {n["id"]: n["size"] for n in page_data(network_view(star(3), size_by="degree"))["nodes"]}
    assert nodes["h"] == pytest.approx(40.0)
    for leaf in ("l0", "l1", "l2"):
        assert nodes[leaf] == pytest.approx(12 + 28 / 3)
    # a measure that is zero everywhere: every node at the least size
    isolated = graph(("a", {}), ("b", {}))
    assert [n["size"] for n in page_data(network_view(isolated, size_by="degree"))["nodes"]] == [12, 12]
    # a measure that does not exist: every node at the default size
    assert {n["size"] for n in page_data(network_view(star(3), size_by="no such measure"))["nodes"]} == {16}
    # the default is PageRank: the leaves receive attention, the hub none but the teleport share
    ranked = {n["id"]: n["size"] for n in page_data(network_view(star(3)))["nodes"]}
    assert ranked["l0"] == pytest.approx(40.0) and ranked["h"] < ranked["l0"]
    assert 12 < ranked["h"] < 40


def test_unconnected_actors_are_laid_out_in_columns_of_the_page() -> None:
    # each actor alone is a group of one at (0, 0); groups are stacked SPACING (150) apart
    # down a column as tall as the larger of the tallest group and sqrt(area / 1.6), where
    # area sums (w + 150) * (h + 150) over the groups: three actors give sqrt(3 * 150² / 1.6)
    # = 205.4, so the third starts a new column 150 to the right.
    G = graph(("a", {}), ("b", {}), ("c", {}))
    nodes = {n["id"]: (n["x"], n["y"]) for n in page_data(network_view(G))["nodes"]}
    assert nodes == {"a": (0, 0), "b": (0, 150), "c": (150, 0)}


def test_a_tied_pair_is_spread_by_its_room_and_widened() -> None:
    # two actors: rescaled to a radius of 150 * sqrt(2) / 2, then widened 1.6 times along x
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1))])
    nodes = {n["id"]: (n["x"], n["y"]) for n in page_data(network_view(G))["nodes"]}
    (ax, ay), (bx, by) = nodes["a"], nodes["b"]
    assert min(ax, bx) == 0 and min(ay, by) == 0  # moved to the page's corner
    assert max(abs(ax - bx) / 1.6, abs(ay - by)) == pytest.approx(150 * math.sqrt(2), abs=0.02)
    assert page_data(network_view(G)) == page_data(network_view(G))  # the same picture every time


def test_a_group_that_would_reach_below_the_column_starts_the_next_one() -> None:
    # two tied pairs, laid out alike: the first fills a box w wide and h tall at the corner;
    # the column is as tall as max(h, sqrt(2 (w + 150) (h + 150) / 1.6)), and the second
    # pair, starting h + 150 down, would end at 2 h + 150, below that: it starts the next
    # column, w + 150 to the right, at the top
    G = graph(("a", {}), ("b", {}), ("c", {}), ("d", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1))])
    add_tie(G, "c", "d", "metWith", [fact("g", 1.0, D(2026, 1, 2))])
    nodes = {n["id"]: (n["x"], n["y"]) for n in page_data(network_view(G))["nodes"]}
    (ax, ay), (bx, by) = nodes["a"], nodes["b"]
    w, h = abs(ax - bx), abs(ay - by)
    assert 2 * h + 150 > max(h, math.sqrt(2 * (w + 150) * (h + 150) / 1.6))  # the case at hand
    assert nodes["c"] == (pytest.approx(ax + w + 150, abs=0.01), ay)
    assert nodes["d"] == (pytest.approx(bx + w + 150, abs=0.01), by)


def test_a_chain_of_three_is_laid_out_straight_and_evenly_to_the_hundredth() -> None:
    # a - b - c: three actors have a radius of 150 * sqrt(3) / 2; a straight chain reaches it
    # at both ends, so its longer axis (x measured before its widening by 1.6) spans
    # 150 * sqrt(3) = 259.81, with b halfway; every coordinate is kept to 0.01
    G = graph(("a", {}), ("b", {}), ("c", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1))])
    add_tie(G, "b", "c", "metWith", [fact("g", 1.0, D(2026, 1, 2))])
    nodes = {n["id"]: (n["x"], n["y"]) for n in page_data(network_view(G))["nodes"]}
    (ax, ay), (bx, by), (cx, cy) = nodes["a"], nodes["b"], nodes["c"]
    assert max(abs(ax - cx) / 1.6, abs(ay - cy)) == pytest.approx(150 * math.sqrt(3), abs=0.01)
    assert (bx, by) == (pytest.approx((ax + cx) / 2, abs=0.01), pytest.approx((ay + cy) / 2, abs=0.01))
    assert all(round(v, 2) == v for v in (ax, ay, bx, by, cx, cy))


def test_an_empty_network_is_an_empty_page() -> None:
    data = page_data(network_view(nx.MultiDiGraph()))
    assert (data["nodes"], data["edges"], data["articles"], data["note"]) == ([], [], [], None)


# --------------------------------------------------------------------------- network: edges


def test_each_tie_is_drawn_from_its_ends_coloured_by_sign_and_widened_by_strength() -> None:
    G = (
        example_network()
    )  # ann -metWith-> bob (2 meetings, 2.5 each), bob -accuses-> cid (-2), cid -sanctions-> ann (-6)
    add_tie(G, "bob", "ann", "mentions", [fact("neutral", 0.0, D(2026, 4, 1), kind="DISCUSS")])
    add_tie(G, "ann", "cid", "praises", [fact("big", 45.0, D(2026, 4, 2), kind="SUPPORT")])
    edges = page_data(network_view(G))["edges"]
    got = [(e["id"], e["from"], e["to"], e["relation"], e["words"], e["color"], e["width"], e["arrows"]) for e in edges]
    assert got == [
        ("e0", "ann", "bob", "metWith", "met with", GREEN, pytest.approx(1 + 5 / 3), "to"),
        ("e1", "ann", "cid", "praises", "praises", GREEN, pytest.approx(11.0), "to"),  # strength capped at 30
        ("e2", "bob", "ann", "mentions", "mentions", GREY, pytest.approx(1.0), "to"),
        ("e3", "bob", "cid", "accuses", "accuses", RED, pytest.approx(1 + 2 / 3), "to"),
        ("e4", "cid", "ann", "sanctions", "sanctions", RED, pytest.approx(3.0), "to"),
    ]
    assert [e["command"] for e in edges][:2] == ["kg analyze path ann bob", "kg analyze path ann cid"]
    # the page's articles: those of every tie drawn (the example's art:x, the added ties' art:a)
    assert [a["id"] for a in page_data(network_view(G))["articles"]] == ["art:a", "art:x"]
    # relations in the dataset's words when given
    words = page_data(network_view(G, names=Names(relations={"metWith": "held talks with"})))["edges"][0]["words"]
    assert words == "held talks with"


def test_a_tie_carries_its_summary() -> None:
    G = graph(("a", {}), ("b", {}))
    facts = [
        fact(
            "m1",
            2.5,
            D(2026, 1, 10),
            evidence=[{"article": "art:2", "quote": "q1"}, {"article": "art:1", "quote": "q"}],
        ),
        fact("m2", 2.5, D(2026, 1, 10), evidence=[{"article": "art:1", "quote": "q2"}]),
        fact(
            "t1",
            -4.0,
            D(2026, 3, 1),
            D(2026, 3, 31),
            "2026-03",
            kind="THREATEN",
            evidence=[{"article": "art:3", "quote": "q3"}],
        ),
        fact("u1", 0.0, kind="DISCUSS", evidence=[{"article": "art:3", "quote": "q4"}]),  # undated
    ]
    add_tie(G, "a", "b", "metWith", facts)
    (edge,) = page_data(network_view(G))["edges"]
    assert edge["count"] == 4 and edge["score"] == pytest.approx(1.0)
    assert edge["types"] == {"CONSULT": 2, "DISCUSS": 1, "THREATEN": 1}
    assert list(edge["types"]) == ["CONSULT", "DISCUSS", "THREATEN"]
    assert (edge["cooperation"], edge["conflict"]) == (pytest.approx(5.0), pytest.approx(-4.0))
    assert (edge["first"], edge["last"]) == ("2026-01-10", "2026-03")
    assert edge["articles"] == ["art:1", "art:2", "art:3"]
    assert edge["spans"] == [["2026-01-10", "2026-01-10"], ["2026-03-01", "2026-03-31"]]
    assert edge["color"] == GREEN  # the balance is positive
    articles = page_data(network_view(G))["articles"]
    assert articles == [{"id": f"art:{i}", "title": f"art:{i}", "url": None} for i in (1, 2, 3)]


def test_a_tie_embeds_its_first_three_facts_in_time_and_counts_the_others() -> None:
    G = graph(("a", {}), ("b", {}))
    facts = [
        fact("f-undated", 1.0),
        fact("f-late", 1.0, D(2026, 5, 1)),
        fact("f-b", 1.0, D(2026, 2, 1)),
        fact("f-a", 1.0, D(2026, 2, 1)),  # the same day: by id
        fact("f-early", 1.0, D(2025, 12, 31)),
    ]
    add_tie(G, "a", "b", "metWith", facts)
    (edge,) = page_data(network_view(G))["edges"]
    assert [f["fact"] for f in edge["facts"]] == ["f-early", "f-a", "f-b"]
    assert edge["more"] == 2
    first = edge["facts"][0]
    assert {k: first[k] for k in ("label", "type", "modality", "when", "first", "last", "articles", "more")} == {
        "label": "label of f-early",
        "type": "CONSULT",
        "modality": "actual",
        "when": "2025-12-31",
        "first": "2025-12-31",
        "last": "2025-12-31",
        "articles": ["art:a"],
        "more": 0,
    }
    # undated facts come last, when there is room
    H = graph(("a", {}), ("b", {}))
    add_tie(H, "a", "b", "metWith", [fact("z-undated", 1.0), fact("y-dated", 1.0, D(2026, 1, 1))])
    (edge,) = page_data(network_view(H))["edges"]
    assert [f["fact"] for f in edge["facts"]] == ["y-dated", "z-undated"] and edge["more"] == 0
    assert (edge["facts"][1]["when"], edge["facts"][1]["first"], edge["facts"][1]["last"]) == (None, None, None)


def test_a_fact_embeds_one_quote_from_each_of_its_first_three_articles() -> None:
    evidence = [
        {"article": "art:1", "quote": "one", "modality": "planned", "when": "2026-01"},
        {"article": "art:1", "quote": "one again"},
        {"article": "art:2", "quote": "two"},
        {"article": "art:3", "quote": "three"},
        {"article": "art:4", "quote": "four"},
    ]
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 5), evidence=evidence)])
    (shown,) = page_data(network_view(G))["edges"][0]["facts"]
    assert shown["quotes"] == [
        {"quote": "one", "article": "art:1", "modality": "planned", "when": "2026-01"},
        {"quote": "two", "article": "art:2", "modality": "actual", "when": None},  # the fact's modality
        {"quote": "three", "article": "art:3", "modality": "actual", "when": None},
    ]
    assert shown["more"] == 2
    assert shown["articles"] == ["art:1", "art:2", "art:3", "art:4"]


def test_parallel_ties_are_bowed_apart_and_a_lone_tie_is_straight() -> None:
    G = graph(("a", {}), ("b", {}), ("c", {}))
    for key in ("k1", "k2", "k3"):
        add_tie(G, "a", "b", key, [fact(key, 1.0, D(2026, 1, 1))])
    add_tie(G, "b", "a", "k0", [fact("back", 1.0, D(2026, 1, 1))])
    add_tie(G, "a", "c", "alone", [fact("alone", 1.0, D(2026, 1, 1))])
    smooth = {(e["from"], e["to"], e["relation"]): e["smooth"] for e in page_data(network_view(G))["edges"]}
    # four ties between a and b, those from a first by relation: bends -0.45, -0.15, 0.15, 0.45
    assert smooth == {
        ("a", "b", "k1"): {"type": "curvedCCW", "roundness": 0.45},
        ("a", "b", "k2"): {"type": "curvedCCW", "roundness": 0.15},
        ("a", "b", "k3"): {"type": "curvedCW", "roundness": 0.15},
        ("b", "a", "k0"): {"type": "curvedCCW", "roundness": 0.45},  # seen from b: the same side as a's clockwise
        ("a", "c", "alone"): False,
    }
    # many ties: the steps shrink so that the outermost bends at most 0.45 (9 ties: steps of 0.9 / 4)
    H = graph(("a", {}), ("b", {}))
    for i in range(9):
        add_tie(H, "a", "b", f"k{i}", [fact(f"f{i}", 1.0, D(2026, 1, 1))])
    bends = [e["smooth"] for e in page_data(network_view(H))["edges"]]
    assert bends[0] == {"type": "curvedCCW", "roundness": 0.9} and bends[4] is False
    assert bends[5] == {"type": "curvedCW", "roundness": 0.225}


def test_parallel_ties_bend_by_steps_kept_to_four_decimals() -> None:
    # eight ties from a to b: middle 3.5, steps of min(0.3, 0.9 / 3.5) = 0.257142…, so the
    # bends are ±3.5, ±2.5, ±1.5, ±0.5 steps: ±0.9, ±0.642857…, ±0.385714…, ±0.128571…,
    # kept to four decimals; the first four bow one way, the last four the other
    G = graph(("a", {}), ("b", {}))
    for i in range(8):
        add_tie(G, "a", "b", f"k{i}", [fact(f"f{i}", 1.0, D(2026, 1, 1))])
    smooth = [e["smooth"] for e in page_data(network_view(G))["edges"]]
    assert smooth == [
        {"type": "curvedCCW", "roundness": 0.9},
        {"type": "curvedCCW", "roundness": 0.6429},
        {"type": "curvedCCW", "roundness": 0.3857},
        {"type": "curvedCCW", "roundness": 0.1286},
        {"type": "curvedCW", "roundness": 0.1286},
        {"type": "curvedCW", "roundness": 0.3857},
        {"type": "curvedCW", "roundness": 0.6429},
        {"type": "curvedCW", "roundness": 0.9},
    ]


# --------------------------------------------------------------------------- network: limits, legend, names


def test_top_actors_ranks_by_distinct_neighbours_then_id() -> None:
    G = star(3)  # h: 3 neighbours; each leaf 1
    add_tie(G, "l2", "h", "accuses", [fact("x", -1.0, D(2026, 1, 9))])  # a second tie, not a new neighbour
    add_tie(G, "l1", "l0", "accuses", [fact("y", -1.0, D(2026, 1, 9))])
    assert top_actors(G, 1) == ["h"]
    assert top_actors(G, 3) == ["h", "l0", "l1"]  # l0 and l1: 2 neighbours each; l2 has 1
    assert top_actors(G, 10) == ["h", "l0", "l1", "l2"]
    with pytest.raises(InputError):
        top_actors(G, 0)


def test_top_actors_refuses_fewer_than_one_and_says_what_it_expects() -> None:
    with pytest.raises(InputError, match="cannot draw the top 0 actors") as refused:
        top_actors(star(2), 0)
    assert refused.value.expected == "a number of actors of at least 1"
    assert "expected: a number of actors of at least 1" in str(refused.value)


def test_top_draws_the_actors_with_the_most_ties_and_says_so() -> None:
    G = star(5)  # 6 actors, 5 ties
    add_tie(G, "l0", "l1", "accuses", [fact("x", -1.0, D(2026, 1, 9))])
    data = page_data(network_view(G, top=3))
    assert sorted(n["id"] for n in data["nodes"]) == ["h", "l0", "l1"]
    assert sorted((e["from"], e["to"]) for e in data["edges"]) == [("h", "l0"), ("h", "l1"), ("l0", "l1")]
    assert data["note"].startswith("Showing the 3 actors with the most ties, of 6, and the 3 ties between them, of 6:")
    alone = page_data(network_view(G, top=1))["note"]
    assert alone.startswith("Showing the 1 actor with the most ties, of 6, and the 0 ties between them, of 6:")
    # as many actors as asked for, or more: every one, no note
    assert page_data(network_view(G, top=6))["note"] is None
    assert len(page_data(network_view(G, top=6))["nodes"]) == 6
    assert page_data(network_view(G))["note"] is None


def test_max_ties_keeps_the_most_actors_whose_ties_fit() -> None:
    # ranked h, l0, l1, l2, l3 (h has 4 neighbours, l0 and l1 two): ties among the first
    # 2 = 1, 3 = 3, 4 = 4, 5 = 5
    G = star(4)
    add_tie(G, "l0", "l1", "accuses", [fact("x", -1.0, D(2026, 1, 9))])

    def kept(m: int) -> list[str]:
        return sorted(n["id"] for n in page_data(network_view(G, max_ties=m))["nodes"])

    assert kept(5) == ["h", "l0", "l1", "l2", "l3"]  # all fit
    assert kept(4) == ["h", "l0", "l1", "l2"]
    assert kept(3) == ["h", "l0", "l1"]
    assert kept(2) == ["h", "l0"]
    assert kept(0) == ["h", "l0"]  # at least two actors
    assert page_data(network_view(G, max_ties=4))["note"].startswith("Showing the 4 actors with the most ties, of 5")


def test_max_ties_ranks_the_actors_whatever_order_they_came_in() -> None:
    # the hub comes last: l0, l1, l2, then h, tied to each; one tie fits, h's with l0 (ids break the tie)
    G = graph(("l0", {}), ("l1", {}), ("l2", {}), ("h", {}))
    for i in range(3):
        add_tie(G, "h", f"l{i}", "metWith", [fact(f"f{i}", 1.0, D(2026, 1, 1 + i))])
    for top in (None, 4, 5):
        data = page_data(network_view(G, top=top, max_ties=1))
        assert sorted(n["id"] for n in data["nodes"]) == ["h", "l0"], top
        assert data["note"].startswith("Showing the 2 actors with the most ties, of 4, and the 1 tie between"), top


def test_the_legend_lists_the_classes_drawn_and_the_signs() -> None:
    G = graph(("o", {"kind": "organisation"}), ("p", {"kind": "person"}), ("z", {"kind": "zeppelin"}))
    add_tie(G, "o", "p", "metWith", [fact("f", 1.0, D(2026, 1, 1))])
    legend = page_data(network_view(G))["legend"]
    assert legend == [
        {"label": "organisation", "color": "#f58518", "shape": "square"},
        {"label": "person", "color": "#4c78a8", "shape": "dot"},
        {"label": "zeppelin", "color": "#999999", "shape": "dot"},
        {"label": "cooperation", "color": GREEN, "shape": "line"},
        {"label": "conflict", "color": RED, "shape": "line"},
    ]
    add_tie(G, "p", "z", "mentions", [fact("g", 0.0, D(2026, 1, 1))])
    assert page_data(network_view(G))["legend"][-1] == {"label": "neither", "color": GREY, "shape": "line"}


def test_names_show_article_titles_and_only_web_addresses() -> None:
    G = graph(("a", {}), ("b", {}))
    evidence = [{"article": f"art:{i}", "quote": f"q{i}"} for i in range(1, 6)]
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1), evidence=evidence)])
    names = Names(
        articles={"art:1": "Talks held", "art:2": "Second"},
        urls={
            "art:1": "https://example.org/a?b=1",
            "art:2": "javascript:alert(1)",
            "art:3": "HTTP://EXAMPLE.ORG/X",
            "art:4": "https://example.org/a b",
            "art:5": "ftp://example.org/x",
        },
    )
    articles = page_data(network_view(G, names=names))["articles"]
    assert articles == [
        {"id": "art:1", "title": "Talks held", "url": "https://example.org/a?b=1"},
        {"id": "art:2", "title": "Second", "url": None},
        {"id": "art:3", "title": "art:3", "url": "HTTP://EXAMPLE.ORG/X"},
        {"id": "art:4", "title": "art:4", "url": None},
        {"id": "art:5", "title": "art:5", "url": None},
    ]
    assert Names().label("ent:x") == "ent:x" and Names(labels={"ent:x": "X"}).label("ent:x") == "X"


def test_the_page_title_data_and_library(tmp_path: Path) -> None:
    view = network_view(example_network(), title="Ann </script> & <b>Bob</b>")
    assert view.title == "Ann </script> & <b>Bob</b>"
    assert "<title>Ann &lt;/script&gt; &amp; &lt;b&gt;Bob&lt;/b&gt;</title>" in view.html
    data = page_data(view)
    assert data["title"] == "Ann </script> & <b>Bob</b>"
    assert (data["physics"], data["iterations"]) == (False, 0)
    assert "\\u003c/script\\u003e" in view.html  # the title closes no script
    assert vis_network_js()[:200] in view.html and "<script src=" not in view.html
    shared = network_view(example_network(), library="../assets/v&s.js").html
    assert '<script src="../assets/v&amp;s.js"></script>' in shared and vis_network_js()[:200] not in shared
    saved = view.save(tmp_path / "page.html")
    assert saved == tmp_path / "page.html" and saved.read_bytes() == view.html.encode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page.html"]
    frame = view._repr_html_()
    assert frame.startswith('<iframe sandbox="allow-scripts" ') and 'title="Ann &lt;/script&gt; &amp;' in frame
    assert 'srcdoc="' in frame and "<title>" not in frame  # the page is escaped into the attribute


def test_a_notebook_frame_escapes_quotes_in_its_title() -> None:
    # the title is an attribute in double quotes: its quotes are written as entities, so
    # that it neither ends the attribute nor adds one
    view = network_view(example_network(), title='Ann "the" O\'Neil')
    frame = view._repr_html_()
    assert ' title="Ann &quot;the&quot; O&#x27;Neil" srcdoc="' in frame


def test_a_large_network_warns_and_a_small_one_does_not(recwarn: pytest.WarningsRecorder) -> None:
    network_view(example_network(), warn_threshold=3)
    assert not [w for w in recwarn if "actors" in str(w.message)]
    with pytest.warns(UserWarning, match="3 actors: the page will be slow"):
        network_view(example_network(), warn_threshold=2)


def test_an_ego_view_draws_the_actors_near_one_and_is_named_after_it() -> None:
    G = star(2)  # h - l0, h - l1
    add_tie(G, "l1", "far", "metWith", [fact("far", 1.0, D(2026, 2, 1))])
    G.nodes["far"].update(label="FAR", kind="person", posts=[])
    view = ego_view(G, "l0")
    assert view.title == "L0 and the actors within 1 step"
    assert sorted(n["id"] for n in page_data(view)["nodes"]) == ["h", "l0"]
    two = ego_view(G, "l0", k=2)
    assert two.title == "L0 and the actors within 2 steps"
    assert sorted(n["id"] for n in page_data(two)["nodes"]) == ["h", "l0", "l1"]
    assert ego_view(G, "l0", title="Mine").title == "Mine"
    with pytest.raises(InputError):
        ego_view(G, "nobody")


def test_read_names_labels_countries_and_posts_and_titles_every_article_of_a_large_network(tiny: Path) -> None:
    import kg

    # Alice Arden, of Capital City, holds the posts Bob Brook (labelled in the tiny dataset)
    # and ent:nobody (not in it); she meets Bob Brook, as told by art:t1 (headline "Arden and
    # Brook hold talks"), art:missing (not in the dataset) and, in a large network, 2,000
    # articles of long ids: 3,000 and more ids, asked 1,000 at a time
    G = graph(
        ("ent:alice-arden", {"country": "ent:capital-city", "posts": ["ent:bob-brook", "ent:nobody"]}),
        ("ent:bob-brook", {}),
    )
    evidence = [{"article": a, "quote": "q"} for a in ("art:t1", "art:missing")]
    add_tie(G, "ent:alice-arden", "ent:bob-brook", "metWith", [fact("f", 1.0, D(2026, 3, 3), evidence=evidence)])
    kg.build_project(kg.Project.at(tiny))
    with kg.connect(tiny / "build") as conn:
        names = read_names(conn, G)
        assert dict(names.labels) == {"ent:capital-city": "Capital City", "ent:bob-brook": "Bob Brook"}
        assert dict(names.relations) == {"metWith": "met with"}
        assert dict(names.articles) == {"art:t1": "Arden and Brook hold talks", "art:missing": "Article missing"}
        assert dict(names.urls) == {}
        # ids of 160 characters and more, sorted before art:t1: each 1,000 of them ask more
        # than 128 KiB of query, which the package's own look-up may
        crowd = [{"article": f"art:{'a' * 120}{i:04d}", "quote": "q"} for i in range(2000)]
        add_tie(G, "ent:bob-brook", "ent:alice-arden", "accuses", [fact("g", -1.0, D(2026, 3, 10), evidence=crowd)])
        many = read_names(conn, G)
    assert (many.article("art:t1"), many.article(f"art:{'a' * 120}1999")) == (
        "Arden and Brook hold talks",
        f"Article {'a' * 120}1999",
    )
    assert dict(many.labels) == dict(names.labels)
    assert dict(many.relations) == {"accuses": "accuses", "metWith": "met with"}


def test_read_names_names_ids_written_as_http_iris_too() -> None:
    # a country, a post and an article written as full http:// IRIs (as a dataset linking
    # Wikidata might): each is looked up like the https:// ones and named from its triples
    country, post, article = (
        "http://www.wikidata.org/entity/Q739",
        "http://www.wikidata.org/entity/Q30461",
        "http://example.org/news/1",
    )
    store = ox.Store()
    store.load(
        f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix schema: <https://schema.org/> .
        <{country}> rdfs:label "Colombia" .
        <{post}> rdfs:label "President" .
        <{article}> schema:headline "Talks in Bogotá" ; schema:url <http://example.org/news/1.html> .
        """,
        format=ox.RdfFormat.TURTLE,
    )
    G = graph(("a", {"country": country, "posts": [post]}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1), evidence=[{"article": article, "quote": "q"}])])
    names = read_names(Connection(OxigraphEngine(store)), G)
    assert dict(names.labels) == {country: "Colombia", post: "President"}
    assert dict(names.articles) == {article: "Talks in Bogotá"}
    assert dict(names.urls) == {article: "http://example.org/news/1.html"}


class Stalled:
    """An engine that answers nothing until released: a look-up still being worked on."""

    name = "oxigraph"

    def __init__(self) -> None:
        self.release = threading.Event()

    def execute(self, sparql: str) -> Answer:
        self.release.wait(10)
        raise QueryError("released")


def test_reading_names_past_the_deadline_says_it_was_the_names() -> None:
    stalled = Stalled()
    conn = Connection(stalled, timeout=0.2)
    try:
        with pytest.raises(QueryError, match=r"^names: no answer within 0\.2 s"):
            read_names(conn, example_network())
    finally:
        stalled.release.set()


# --------------------------------------------------------------------------- timeline


def timeline_graph() -> nx.MultiDiGraph:
    """Ann, Bob and a very long-named Cid, with facts at every precision."""
    G = graph(("ann", {"label": "Ann"}), ("bob", {"label": "Bob"}), ("cid", {"label": "Cid " + "x" * 40}))
    add_tie(
        G,
        "ann",
        "bob",
        "metWith",
        [
            fact("f1-day", 2.5, D(2026, 1, 10), kind="CONSULT"),
            fact("f2-year", 2.5, D(2026, 1, 1), D(2026, 12, 31), "2026", kind="CONSULT"),
            fact("f5-undated", 1.0, kind="CONSULT"),
        ],
    )
    add_tie(
        G,
        "bob",
        "cid",
        "threatens",
        [
            fact("f3-month", -4.0, D(2026, 2, 1), D(2026, 2, 28), "2026-02", kind="THREATEN", modality="planned"),
            fact("f4-open", -4.0, D(2026, 6, 1), None, "2026-06/..", kind="THREATEN"),
            fact("f6-by", 0.0, None, D(2026, 9, 30), "../2026-09", kind="DISCUSS"),
        ],
    )
    return G


def test_timeline_items_say_what_happened_when_and_to_whom() -> None:
    items, undated = timeline_items(timeline_graph())
    assert undated == 1
    by = {i["fact"]: i for i in items}
    assert [i["fact"] for i in items] == ["f1-day", "f2-year", "f3-month", "f4-open", "f6-by"]
    day = by["f1-day"]
    assert (day["first"], day["last"], day["when"], day["time"]) == (
        "2026-01-10",
        "2026-01-10",
        "2026-01-10",
        "2026-01-10",
    )
    assert (day["words"], day["who"], day["text"], day["sign"]) == (
        "meeting or call",
        "Ann \u2192 Bob",
        "meeting or call: Ann \u2192 Bob",
        "cooperation",
    )
    assert day["actors"] == ["ann", "bob"] and day["label"] == "label of f1-day" and day["score"] == 2.5
    month = by["f3-month"]
    assert (month["first"], month["last"], month["time"], month["modality"]) == (
        "2026-02-01",
        "2026-02-28",
        "2026-02",
        "planned",
    )
    assert month["text"] == f"threat: Bob \u2192 Cid {'x' * 40} (planned)" and month["sign"] == "conflict"
    assert by["f2-year"]["time"] == "2026" and by["f2-year"]["last"] == "2026-12-31"
    assert (by["f4-open"]["first"], by["f4-open"]["last"], by["f4-open"]["time"]) == (
        "2026-06-01",
        None,
        "from 2026-06 on",
    )
    assert (by["f6-by"]["first"], by["f6-by"]["last"], by["f6-by"]["time"]) == (None, "2026-09-30", "by 2026-09")
    assert by["f6-by"]["sign"] == "neutral"


def test_an_interval_reads_from_to_and_a_fact_both_ways_lists_its_actors() -> None:
    G = graph(("b", {"label": "Bea"}), ("a", {"label": "Zed"}))
    talks = fact("talks", 1.0, D(2025, 9, 1), D(2026, 1, 31), "2025-09/2026-01")
    add_tie(G, "a", "b", "metWith", [talks])
    add_tie(G, "b", "a", "metWith", [talks])
    (item,), _ = timeline_items(G)
    assert item["time"] == "2025-09 to 2026-01"
    assert item["who"] == "Bea, Zed" and item["actors"] == ["b", "a"]  # by name, not by id


def test_a_fact_of_several_doers_lists_each_side_by_name() -> None:
    G = graph(("a", {"label": "Zed"}), ("b", {"label": "Amy"}), ("x", {"label": "Rex"}))
    threat = fact("threat", -4.0, D(2026, 1, 5), kind="THREATEN")
    add_tie(G, "a", "x", "threatens", [threat])
    add_tie(G, "b", "x", "threatens", [threat])
    (item,), _ = timeline_items(G)
    assert item["who"] == "Amy, Zed \u2192 Rex" and item["actors"] == ["b", "x", "a"]


def test_a_fact_given_its_days_alone_is_written_from_them() -> None:
    # a network made by hand, with no EDTF text: the days say it (EDTF, then in words)
    G = graph(("a", {}), ("b", {}))
    span = fact("span", 1.0, D(2026, 1, 5), D(2026, 1, 31), when="")
    add_tie(G, "a", "b", "metWith", [span, fact("open", 1.0, D(2026, 2, 1), None, when="")])
    items, _ = timeline_items(G)
    assert [(i["when"], i["time"]) for i in items] == [
        ("2026-02/..", "from 2026-02 on"),
        ("2026-01-05/2026-01-31", "2026-01-05 to 2026-01-31"),
    ]


def test_timeline_quotes_carry_their_article_title_and_date_and_are_counted() -> None:
    evidence = [
        {"article": "art:1", "quote": "q1", "modality": "planned", "when": "2026-01"},
        {"article": "art:1", "quote": "q1"},  # the same quote again: once
        *({"article": f"art:{i}", "quote": f"q{i}"} for i in range(2, 8)),
    ]
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 5), evidence=evidence)])
    info = {"art:1": {"title": "Talks", "date": "2026-01-06"}}
    (item,), _ = timeline_items(G, info)
    assert [q["quote"] for q in item["quotes"]] == ["q1", "q2", "q3", "q4", "q5"]
    assert item["more"] == 2  # q6 and q7
    assert item["quotes"][0] == {
        "quote": "q1",
        "article": "art:1",
        "title": "Talks",
        "date": "2026-01-06",
        "modality": "planned",
        "when": "2026-01",
    }
    assert item["quotes"][1] == {
        "quote": "q2",
        "article": "art:2",
        "title": None,
        "date": None,
        "modality": "actual",
        "when": None,
    }


def test_an_unknown_lane_is_refused_and_an_empty_timeline_says_so() -> None:
    with pytest.raises(InputError, match="no lanes 'month'"):
        timeline_view(example_network(), lanes="month")
    data = page_data(timeline_view(nx.MultiDiGraph()))
    assert (data["items"], data["figures"], data["note"]) == ([], {}, "No dated fact to draw.")
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("u", 1.0)])
    note = page_data(timeline_view(G))["note"]
    assert note == "No dated fact to draw. 1 undated fact is not drawn (the network view, kg view network, shows them)."
    add_tie(G, "a", "b", "accuses", [fact("v", -1.0)])
    assert page_data(timeline_view(G))["note"].endswith(
        "2 undated facts are not drawn (the network view, kg view network, shows them)."
    )
    full = page_data(timeline_view(example_network(), title="T & <b>", lanes="type"))
    assert (full["note"], full["title"], full["lanes"]) == (None, "T & <b>", "type")
    assert full["modes"] == {"actor": "by actor", "type": "by event type"}
    assert sorted(full["figures"]) == ["actor", "type"]


def figure(G: nx.MultiDiGraph, lanes: str = "actor") -> dict[str, Any]:
    fig: dict[str, Any] = page_data(timeline_view(G))["figures"][lanes]
    return fig


def ms(text: str) -> float:
    moment = datetime.datetime.fromisoformat(text)
    return (moment - datetime.datetime(1970, 1, 1)).total_seconds() * 1000


def test_actor_lanes_are_ordered_by_items_then_name_and_long_names_are_cut() -> None:
    fig = figure(timeline_graph())
    y = fig["layout"]["yaxis"]
    # Bob is in all five dated items, Ann in two, Cid in three: Bob, Cid, Ann
    cid = "Cid " + "x" * 25 + "\u2026"  # cut at 30 characters, the last an ellipsis
    assert y["ticktext"] == ["Bob", cid, "Ann"]
    # Bob's five items need rows: the year bar runs under the others
    rows: dict[int, list[int]] = {}
    for trace in fig["data"][:3]:
        for i, row in zip(trace["customdata"], trace["y"], strict=True):
            rows.setdefault(i, []).append(row)
    assert y["tickvals"][0] == 0 and y["tickvals"] == sorted(y["tickvals"])
    bob_rows = y["tickvals"][1] - y["tickvals"][0]
    assert bob_rows >= 2  # the year overlaps every other item of Bob's
    assert y["tickvals"][2] - y["tickvals"][1] >= 1
    total = sum(len(r) for r in rows.values())
    assert total == 5 + 3 + 2  # each item once in each lane of its actors
    bands = fig["layout"]["shapes"]
    assert [(b["y0"], b["fillcolor"]) for b in bands] == [
        (-0.5, "#f3f5f7"),
        (y["tickvals"][1] - 0.5, "#ffffff"),
        (y["tickvals"][2] - 0.5, "#f3f5f7"),
    ]
    height = bands[-1]["y1"] + 0.5
    assert y["range"] == [height - 0.5, -0.5]
    assert fig["layout"]["height"] == 70 + height * 24 + 20


def test_type_lanes_follow_the_scale_from_cooperation_to_conflict() -> None:
    fig = figure(timeline_graph(), "type")
    assert fig["layout"]["yaxis"]["ticktext"] == ["Meeting or call", "Threat", "Discuss"]
    # two rows for the meetings (the day of 10 January lies within the year), two for the
    # threats (the text of February's, cut to 44 characters of 6.8 px, runs 305 px, about
    # 197 days, past 1 June), one for the rest
    assert fig["layout"]["yaxis"]["tickvals"] == [0, 2, 4]


def bars(fig: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """Each drawn bar by item index: its sign trace, start, length, opacity and pattern."""
    found = {}
    for trace in fig["data"][:3]:
        for k, i in enumerate(trace["customdata"]):
            found[i] = {
                "sign": trace["name"],
                "start": ms(trace["base"][k]),
                "length": trace["x"][k],
                "opacity": trace["marker"]["opacity"][k],
                "pattern": trace["marker"]["pattern"]["shape"][k],
                "colour": trace["marker"]["color"],
            }
    return found


def test_bars_span_their_dates_at_least_a_readable_width() -> None:
    G = timeline_graph()
    items, _ = timeline_items(G)
    index = {item["fact"]: i for i, item in enumerate(items)}
    drawn = bars(figure(G))
    # the axis spans the year 2026 (the year item is the widest): 566 px for 365 days
    scale = (900 - 310 - 24) / (365 * DAY_MS)
    year = drawn[index["f2-year"]]
    assert year["start"] == ms("2026-01-01") and year["length"] == 365 * DAY_MS
    day = drawn[index["f1-day"]]  # a day is 1.55 px: drawn 6 px wide
    assert day["start"] == ms("2026-01-10") and day["length"] == pytest.approx(6 / scale, abs=1)
    month = drawn[index["f3-month"]]  # February is 43 px, wider than the least (14 px)
    assert month["start"] == ms("2026-02-01") and month["length"] == 28 * DAY_MS
    opened = drawn[index["f4-open"]]  # known from 1 June on: 16 px from it
    assert opened["start"] == ms("2026-06-01") and opened["length"] == pytest.approx(16 / scale, abs=1)
    closed = drawn[index["f6-by"]]  # known by 30 September: 16 px up to its end
    assert closed["start"] == pytest.approx(ms("2026-10-01") - 16 / scale, abs=1)
    assert closed["length"] == pytest.approx(16 / scale, abs=1)
    assert {i: (b["sign"], b["colour"]) for i, b in drawn.items()} == {
        index["f1-day"]: ("cooperation", GREEN),
        index["f2-year"]: ("cooperation", GREEN),
        index["f3-month"]: ("conflict", RED),
        index["f4-open"]: ("conflict", RED),
        index["f6-by"]: ("neutral", GREY),
    }
    assert {i: b["opacity"] for i, b in drawn.items()}[index["f3-month"]] == 0.42  # planned: pale
    assert drawn[index["f1-day"]]["opacity"] == 1.0
    assert {i for i, b in drawn.items() if b["pattern"] == "/"} == {index["f4-open"], index["f6-by"]}
    axis = figure(G)["layout"]["xaxis"]
    left, right = (ms(t) for t in axis["range"])
    assert left == pytest.approx(ms("2026-01-01") - 24 / scale, abs=1)
    assert right - left == pytest.approx(900 / scale, abs=1)
    assert axis["type"] == "date" and axis["side"] == "top"


def test_a_short_timeline_still_shows_a_month() -> None:
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 10))])
    left, right = (ms(t) for t in figure(G)["layout"]["xaxis"]["range"])
    scale = (900 - 310 - 24) / (30 * DAY_MS)
    middle = ms("2026-01-10") + DAY_MS / 2
    assert left == pytest.approx(middle - 15 * DAY_MS - 24 / scale, abs=1)
    assert right - left == pytest.approx(900 / scale, abs=1)


def test_item_texts_sit_inside_long_bars_and_after_short_ones() -> None:
    G = timeline_graph()
    items, _ = timeline_items(G)
    index = {item["fact"]: i for i, item in enumerate(items)}
    fig = figure(G)
    text = fig["data"][3]
    assert text["mode"] == "text" and text["textposition"] == "middle right"
    at: dict[int, tuple[float, str, str, str]] = {}
    for k, i in enumerate(text["customdata"]):
        at.setdefault(i, (ms(text["x"][k]), text["text"][k], text["textfont"]["color"][k], text["hovertext"][k]))
    scale = (900 - 310 - 24) / (365 * DAY_MS)
    year_x, year_text, year_colour, year_hover = at[index["f2-year"]]
    assert year_x == pytest.approx(ms("2026-01-01") + 3 / scale, abs=1)  # inside its bar, in white
    assert year_text == "meeting or call: Ann \u2192 Bob" and year_colour == "#ffffff"
    assert year_hover == "label of f2-year<br>meeting or call \u00b7 2026 \u00b7 actual<br>Ann \u2192 Bob"
    day_x, _, day_colour, _ = at[index["f1-day"]]
    assert day_x == pytest.approx(ms("2026-01-10") + 6 / scale, abs=1) and day_colour == "#222222"  # after it
    month_text = at[index["f3-month"]][1]
    assert month_text == "threat: Bob \u2192 Cid xxxxxxxxxxxxxxxxxxxxxxxxx\u2026"  # cut at 44 characters
    assert len(month_text) == 44
    month_hover = at[index["f3-month"]][3]
    assert month_hover.split("<br>")[1] == "threat \u00b7 2026-02 \u00b7 planned"


def test_hostile_text_reaches_plotly_escaped() -> None:
    G = graph(("a", {"label": "<b>A&B</b>"}), ("b", {"label": "B"}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 10))])
    fig = figure(G)
    assert fig["layout"]["yaxis"]["ticktext"][0] == "&lt;b&gt;A&amp;B&lt;/b&gt;"
    assert fig["data"][3]["text"][0].startswith("meeting or call: &lt;b&gt;A&amp;B&lt;/b&gt;")
    assert "&lt;b&gt;A&amp;B&lt;/b&gt; \u2192 B" in fig["data"][3]["hovertext"][0]
    assert "<b>" not in timeline_view(G).html.split('id="kg-data">')[1].split("</script>")[0]


def test_rows_keep_a_gap_between_items() -> None:
    # two half-years of talks between A and B, the second starting one day (1.6 px, less
    # than the 8 px gap) after the first ends: two rows; nine days (14 px) after: one row
    def rows(start: D) -> list[int]:
        G = graph(("a", {}), ("b", {}))
        talks = [
            fact("h1", 1.0, D(2026, 1, 1), D(2026, 6, 30), "2026-01/2026-06"),
            fact("h2", 1.0, start, D(2026, 12, 31), f"{start.isoformat()}/2026-12-31"),
        ]
        add_tie(G, "a", "b", "metWith", talks)
        trace = figure(G, "type")["data"][0]  # both cooperation, in one lane
        return [row for _, row in sorted(zip(trace["customdata"], trace["y"], strict=True))]

    assert rows(D(2026, 7, 2)) == [0, 1]
    assert rows(D(2026, 7, 10)) == [0, 0]


def test_a_text_drawn_after_its_bar_keeps_its_row_six_pixels_beyond_it() -> None:
    # an axis of 566 days for its 566 px: a day is 1 px. The day of talks on 1 January is
    # drawn 6 px wide; its text "meeting or call: A → B" (22 characters of 6.8 px, 149.6 px)
    # does not fit inside, so it follows the bar and the row is taken for 6 px after the
    # text: up to 6 + 149.6 + 6 = 161.6 px, and the next item keeps 8 px from that, 169.6.
    # A second talk starting 170 days on shares the row; one starting 169 days on does not.
    def rows(after: int) -> list[int]:
        G = graph(("a", {}), ("b", {}))
        start, last = D(2026, 1, 1) + datetime.timedelta(days=after), D(2026, 1, 1) + datetime.timedelta(days=565)
        talks = [
            fact("day", 1.0, D(2026, 1, 1)),
            fact("long", 1.0, start, last, f"{start.isoformat()}/{last.isoformat()}"),
        ]
        add_tie(G, "a", "b", "metWith", talks)
        trace = figure(G, "type")["data"][0]  # both cooperation, in one lane
        return [row for _, row in sorted(zip(trace["customdata"], trace["y"], strict=True))]

    assert rows(170) == [0, 0]
    assert rows(169) == [0, 1]


def test_bars_are_outlined_and_hatched_texts_are_one_trace_and_lanes_are_banded_across() -> None:
    fig = figure(timeline_graph())
    for trace, (sign, colour) in zip(
        fig["data"][:3], [("cooperation", GREEN), ("conflict", RED), ("neutral", GREY)], strict=True
    ):
        assert (trace["type"], trace["orientation"], trace["name"]) == ("bar", "h", sign)
        marker = trace["marker"]
        assert marker["line"] == {"color": colour, "width": 1}  # outlined in its own colour
        # a hatch of white lines over the bar's colour, where one bound is open
        assert {k: v for k, v in marker["pattern"].items() if k != "shape"} == {
            "fillmode": "overlay",
            "fgcolor": "#ffffff",
            "solidity": 0.45,
        }
    text = fig["data"][3]
    assert (text["type"], text["mode"], text["name"]) == ("scatter", "text", "text")
    assert len(fig["data"]) == 4
    # one band per lane (Bob, Cid, Ann), across the whole plot, below the bars, unframed
    bands = fig["layout"]["shapes"]
    assert len(bands) == 3
    for band in bands:
        assert {k: v for k, v in band.items() if k not in ("y0", "y1", "fillcolor")} == {
            "type": "rect",
            "xref": "paper",
            "yref": "y",
            "x0": 0,
            "x1": 1,
            "line": {"width": 0},
            "layer": "below",
        }


def test_a_timeline_shorter_than_a_month_is_widened_to_one() -> None:
    # 25 days from the first item to the end of the last: drawn as the 30 days around their middle
    G = graph(("a", {}), ("b", {}))
    add_tie(G, "a", "b", "metWith", [fact("f", 1.0, D(2026, 1, 1)), fact("g", 1.0, D(2026, 1, 25))])
    left, right = (ms(t) for t in figure(G)["layout"]["xaxis"]["range"])
    scale = (900 - 310 - 24) / (30 * DAY_MS)
    middle = ms("2026-01-01") + 25 * DAY_MS / 2
    assert left == pytest.approx(middle - 15 * DAY_MS - 24 / scale, abs=1)
    assert right - left == pytest.approx(900 / scale, abs=1)


def test_a_text_goes_inside_its_bar_only_with_room_to_spare() -> None:
    # on an axis of the year 2026 (566 px), 8 March to 15 June is 100 days, 155 px: the text
    # "meeting or call: C → D" (22 characters of 6.8 px, 150 px) needs 12 px more to sit inside
    G = graph(("a", {}), ("b", {}), ("c", {}), ("d", {}))
    add_tie(G, "a", "b", "metWith", [fact("year", 1.0, D(2026, 1, 1), D(2026, 12, 31), "2026")])
    add_tie(G, "c", "d", "metWith", [fact("spring", 1.0, D(2026, 3, 8), D(2026, 6, 15), "2026-03-08/2026-06-15")])
    text = figure(G)["data"][3]
    items, _ = timeline_items(G)
    spring = next(i for i, item in enumerate(items) if item["fact"] == "spring")
    k = text["customdata"].index(spring)
    assert text["text"][k] == "meeting or call: C \u2192 D"
    assert ms(text["x"][k]) == pytest.approx(ms("2026-06-16"), abs=1)  # after the bar
    assert text["textfont"]["color"][k] == "#222222"


def test_names_and_article_details_are_read_from_a_built_dataset(tiny: Path) -> None:
    import kg
    from kg.network import project as project_network
    from kg.views.timeline import article_info

    t1, t2 = (tiny / "data" / "articles" / f"{n}.ttl" for n in ("t1", "t2"))
    t1.write_text(
        t1.read_text(encoding="utf-8").replace(
            "kg:sourceFile", "schema:url <https://example.org/t1> ;\n    kg:sourceFile", 1
        ),
        encoding="utf-8",
    )
    t2.write_text(
        t2.read_text(encoding="utf-8").replace(
            'schema:headline "A promise broken?" ;',
            'kg:outlet "Daily Planet" ;\n    schema:datePublished "2026-03-11"^^xsd:date ;\n'
            '    schema:url "https://example.org/t2" ;',
        ),
        encoding="utf-8",
    )
    kg.build_project(kg.Project.at(tiny))
    with kg.connect(tiny / "build") as conn:
        G = project_network(conn)
        names = read_names(conn, G)
        info = article_info(conn)
        data = page_data(network_view(G, names=conn))  # names read through the view's own argument
    assert dict(names.articles) == {"art:t1": "Arden and Brook hold talks", "art:t2": "Daily Planet, 11 March 2026"}
    assert dict(names.urls) == {"art:t1": "https://example.org/t1", "art:t2": "https://example.org/t2"}
    assert dict(names.relations) == {"accuses": "accuses", "metWith": "met with"}
    assert info == {
        "art:t1": {"title": "Arden and Brook hold talks", "date": None, "outlet": None},
        "art:t2": {"title": "Daily Planet, 11 March 2026", "date": "2026-03-11", "outlet": "Daily Planet"},
    }
    # the page: each quote's article by its title, with its address
    assert data["articles"] == [
        {"id": "art:t1", "title": "Arden and Brook hold talks", "url": "https://example.org/t1"},
        {"id": "art:t2", "title": "Daily Planet, 11 March 2026", "url": "https://example.org/t2"},
    ]
    items = page_data(timeline_view(G, articles=info))["items"]
    accusation = next(i for i in items if i["type"] == "ACCUSE")
    assert [(q["title"], q["date"]) for q in accusation["quotes"]] == [("Daily Planet, 11 March 2026", "2026-03-11")]
