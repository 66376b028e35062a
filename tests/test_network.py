"""The actor network: measures checked against values worked out by hand, then the seed graph."""

from __future__ import annotations

import copy
import csv
import datetime
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli import main
from kg.errors import InputError
from kg.network import (
    Filters,
    add_tie,
    balance_by_month,
    brokers,
    centrality,
    communities,
    example_network,
    load_facts,
    path,
    project,
    signed,
    structural_balance,
    undirected,
    write_network,
)


def tie(G: nx.MultiDiGraph, a: str, b: str, relation: str, *scores_and_dates: tuple[float, str]) -> None:
    facts = [
        {
            "fact": f"{a}-{relation}-{b}-{i}",
            "label": "",
            "type": "X",
            "date": datetime.date.fromisoformat(d),
            "when": d,
            "first": datetime.date.fromisoformat(d),
            "last": datetime.date.fromisoformat(d),
            "modality": "actual",
            "score": s,
            "evidence": [{"article": "art:t", "quote": f"q{i}"}],
        }
        for i, (s, d) in enumerate(scores_and_dates)
    ]
    add_tie(G, a, b, relation, facts)


@pytest.fixture
def star() -> nx.MultiDiGraph:
    """a–b, b–c, c–d, b–e: b and c are brokers."""
    G = nx.MultiDiGraph()
    tie(G, "a", "b", "metWith", (2.5, "2026-01-01"))
    tie(G, "b", "c", "metWith", (2.5, "2026-01-02"))
    tie(G, "c", "d", "accuses", (-2.0, "2026-01-03"))
    tie(G, "e", "b", "sanctions", (-6.0, "2026-01-04"))
    return G


def test_centrality_by_hand(star: nx.MultiDiGraph) -> None:
    table = centrality(star).set_index("id")
    # shortest paths through b: a-c, a-d, a-e, c-e, d-e = 5 of the C(4,2) = 6 pairs of the others
    assert table.loc["b", "betweenness"] == pytest.approx(5 / 6)
    # through c: a-d, b-d, e-d = 3 of 6
    assert table.loc["c", "betweenness"] == pytest.approx(3 / 6)
    assert table.loc["a", "betweenness"] == 0
    assert table["degree"].to_dict() == {"a": 1, "b": 3, "c": 2, "d": 1, "e": 1}
    # b: met a and c (2.5 each, cooperation 5), sanctioned by e (-6)
    assert (table.loc["b", "cooperation"], table.loc["b", "conflict"]) == (5.0, -6.0)
    assert (table.loc["b", "in_facts"], table.loc["b", "out_facts"]) == (2, 1)
    assert table["pagerank"].sum() == pytest.approx(1.0, abs=1e-5)


def test_pagerank_of_a_cycle_is_even() -> None:
    # ann -> bob -> cid -> ann, each actor with one outgoing tie: the walk is uniform
    table = centrality(example_network())
    assert table["pagerank"].tolist() == pytest.approx([1 / 3] * 3, abs=1e-5)


def test_brokers_by_hand(star: nx.MultiDiGraph) -> None:
    table = brokers(star).set_index("id")
    # without b: a and e are cut off from everyone, c-d stay together: 5 of the 6 pairs
    assert table.loc["b", "separated"] == 5
    # without c: d is cut off from a, b and e
    assert table.loc["c", "separated"] == 3
    assert bool(table.loc["b", "cut"]) and bool(table.loc["c", "cut"]) and not bool(table.loc["a", "cut"])
    assert brokers(star)["id"].tolist()[:2] == ["b", "c"]


def test_signed_triads_by_hand() -> None:
    G = example_network()  # ann-bob +, ann-cid -, bob-cid -: the enemy of my enemy... balanced
    assert structural_balance(G)["balanced"].tolist() == [True]
    tie(G, "bob", "cid", "cooperatesWith", (9.5, "2026-03-05"))  # bob-cid now nets +7.5
    # + + - : two friends on opposite sides of a conflict — unbalanced
    table = structural_balance(G)
    assert (table["signs"].tolist(), table["balanced"].tolist()) == (["+-+"], [False])
    assert signed(G).edges["bob", "cid"]["sign"] == 1


def test_monthly_balance_by_hand(star: nx.MultiDiGraph) -> None:
    tie(star, "b", "a", "accuses", (-2.0, "2026-01-20"), (-2.0, "2026-02-01"))
    table = balance_by_month(star, "a", "b")
    # January: meeting a->b +2.5 and accusation b->a -2; February: accusation -2
    expected = [
        {"month": "2026-01", "cooperation": 2.5, "conflict": -2.0, "net": 0.5, "facts": 2},
        {"month": "2026-02", "cooperation": 0.0, "conflict": -2.0, "net": -2.0, "facts": 1},
    ]
    assert table.to_dict("records") == expected
    # a fact dated to the year only has no month: it is left out; so is one known only to
    # lie between two days of different months
    tie(star, "a", "b", "threatens", (-3.5, "2026-01-01"), (-3.5, "2026-01-25"))
    year, span = star.edges["a", "b", "threatens"]["facts"]
    year.update(when="2026", last=datetime.date(2026, 12, 31))
    span.update(when="2026-01-25/2026-02-03", last=datetime.date(2026, 2, 3))
    assert balance_by_month(star, "a", "b").to_dict("records") == expected
    # but a fact known to lie within one month counts in it
    span.update(when="2026-01-25/2026-01-31", last=datetime.date(2026, 1, 31))
    january = balance_by_month(star, "a", "b").to_dict("records")[0]
    assert (january["conflict"], january["facts"]) == (-5.5, 3)


def test_communities_split_two_cliques() -> None:
    G = nx.MultiDiGraph()
    for group in (("a", "b", "c"), ("x", "y", "z")):
        for i, u in enumerate(group):
            for v in group[i + 1 :]:
                tie(G, u, v, "metWith", (2.5, "2026-01-01"), (2.5, "2026-01-02"))
    tie(G, "c", "x", "metWith", (2.5, "2026-01-03"))
    for method in ("louvain", "greedy"):
        table = communities(G, method=method)
        assert sorted(table["ids"]) == ["a b c", "x y z"], method


def test_path_cites_the_facts_of_each_hop(star: nx.MultiDiGraph) -> None:
    table = path(star, "a", "d")
    assert table[["hop", "from", "to"]].drop_duplicates().values.tolist() == [
        [1, "a", "b"],
        [2, "b", "c"],
        [3, "c", "d"],
    ]
    assert table["quote"].tolist() == ["q0", "q0", "q0"]
    with pytest.raises(InputError, match="is not in the network"):
        path(star, "a", "nobody")


def test_undirected_view_sums_both_directions() -> None:
    G = example_network()
    tie(G, "bob", "ann", "accuses", (-2.0, "2026-03-03"))
    U = undirected(G)
    assert (U.edges["ann", "bob"]["score"], U.edges["ann", "bob"]["count"]) == (3.0, 3)
    assert U.edges["ann", "bob"]["relations"] == ["accuses", "metWith"]


# ---------------------------------------------------------------- the seed graph


@pytest.fixture(scope="module")
def conn(built: Path) -> kg.Connection:
    return kg.connect(built)


@pytest.fixture(scope="module")
def seed(conn: kg.Connection) -> nx.MultiDiGraph:
    return project(conn)


def relations(G: nx.MultiDiGraph, a: str, b: str) -> dict[str, Any]:
    return {**(G.get_edge_data(a, b) or {}), **{f"~{k}": v for k, v in (G.get_edge_data(b, a) or {}).items()}}


def test_trump_and_petro_have_both_conflict_and_cooperation(seed: nx.MultiDiGraph) -> None:
    ties = relations(seed, "ent:donald-trump", "ent:gustavo-petro")
    signs = {d["sign"] for d in ties.values()}
    assert {1, -1} <= signs  # 003: sanctions and an "illegal drug leader" insult, then a cordial meeting
    met = ties["~metWith"]  # Petro (the visitor) met Trump (the host)
    assert "fact:petro-trump-meeting-2026-02-03" in {f["fact"] for f in met["facts"]}
    assert datetime.date(2026, 2, 3) in {f["date"] for f in met["facts"]}
    assert ties["sanctions"]["sign"] == -1


def test_a_path_from_moreno_to_petro_cites_its_quote(seed: nx.MultiDiGraph) -> None:
    table = path(seed, "ent:bernie-moreno", "ent:gustavo-petro")
    assert table["hop"].max() == 1  # 003: Moreno, "one of Petro's strongest detractors", was at the meeting
    assert any("strongest detractors" in q for q in table["quote"])


def test_nodes_carry_labels_classes_countries_and_posts(seed: nx.MultiDiGraph) -> None:
    petro = seed.nodes["ent:gustavo-petro"]
    assert (petro["label"], petro["kind"], petro["country"]) == ("Gustavo Petro", "person", "ent:colombia")
    assert "ent:president-of-colombia" in petro["posts"]
    assert seed.nodes["ent:ofac"]["kind"] == "organisation"


def test_a_date_range_before_2026_leaves_out_the_white_house_meeting(conn: kg.Connection) -> None:
    G = project(conn, Filters(end=datetime.date(2025, 12, 31)))
    facts = {f["fact"] for _, _, d in G.edges(data=True) for f in d["facts"]}
    assert "fact:petro-trump-meeting-2026-02-03" not in facts
    assert "fact:us-sanctions-petro" in facts  # October 2025 (004)
    # every fact kept is placed before 2026 by at least one article (a day, a month, a bound)
    for _, _, d in G.edges(data=True):
        for f in d["facts"]:
            starts = [e["first"] for e in f["evidence"] if e["when"]]
            assert any(s is None or s <= datetime.date(2025, 12, 31) for s in starts), f["fact"]


def test_negated_facts_are_left_out_unless_asked_for(conn: kg.Connection, seed: nx.MultiDiGraph) -> None:
    every = project(conn, Filters(modalities=frozenset({"actual", "planned", "hypothetical", "negated"})))
    negated = {f["fact"] for _, _, d in every.edges(data=True) for f in d["facts"] if f["modality"] == "negated"}
    assert negated  # e.g. 003: the meeting ended "without announcing concrete agreements"
    kept = {f["fact"] for _, _, d in seed.edges(data=True) for f in d["facts"]}
    assert not negated & kept


def test_hypothetical_facts_weigh_half(conn: kg.Connection) -> None:
    only = project(conn, Filters(modalities=frozenset({"hypothetical"})))
    for _, _, d in only.edges(data=True):
        for f in d["facts"]:
            assert f["modality"] == "hypothetical"
    # 004: "the United States might stage military operations inside Colombia"; 003: "Colombia
    # could be the target of similar action" (ASSAULT, -9): -4.5
    scores = {f["fact"]: f["score"] for _, _, d in only.edges(data=True) for f in d["facts"]}
    assert scores["fact:possible-us-military-action-against-colombia"] == -4.5


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_reload_with_the_same_nodes_edges_and_attributes(
    seed: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    (written,) = write_network(seed, fmt, tmp_path / f"net.{fmt}")
    back = nx.read_graphml(written) if fmt == "graphml" else nx.read_gexf(written)
    assert set(back.nodes) == set(seed.nodes)
    assert back.number_of_edges() == seed.number_of_edges()
    # each edge has its own id, of its ends and relation; its facts are their ids
    edge = back.get_edge_data("ent:donald-trump", "ent:gustavo-petro")["ent:donald-trump--sanctions--ent:gustavo-petro"]
    assert int(edge["count"]) == 2 and float(edge["score"]) == -12.0 and edge["label"] == "sanctions"
    assert set(edge["facts"].split("; ")) == {"fact:us-sanctions-petro", "fact:us-revokes-petro-visa"}
    assert back.nodes["ent:gustavo-petro"]["label"] == "Gustavo Petro"


def test_csv_export_writes_edges_and_nodes(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    edges, nodes = write_network(seed, "csv", tmp_path / "net.csv")
    assert nodes.name == "net.nodes.csv"
    assert len(edges.read_text(encoding="utf-8").splitlines()) > seed.number_of_edges()  # header + quoted newlines
    assert "Gustavo Petro" in nodes.read_text(encoding="utf-8")


def test_analyze_commands(project_dir: Path) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(main, ["--project", str(project_dir), "analyze", *args, "--format", "csv"])
        assert result.exit_code == 0, result.output
        return result.output

    assert run("centrality", "--top", "3").splitlines()[1].startswith("ent:united-states,United States")
    months = run("timeline", "Trump", "Petro").splitlines()
    assert months[0] == "month,cooperation,conflict,net,facts"
    assert any(line.startswith("2026-02,") for line in months)  # the White House meeting
    assert "strongest detractors" in run("path", "Moreno", "Petro")
    assert run("communities").splitlines()[0] == "community,size,members,ids"
    bad = CliRunner().invoke(main, ["--project", str(project_dir), "analyze", "path", "Petro"])
    assert bad.exit_code == 2 and "path takes 2 actors, got 1" in bad.output


@pytest.fixture
def project_dir(project: kg.Project, built: Path, tmp_path: Path) -> Path:
    # the real project, reading the build made for the session
    (tmp_path / "build").symlink_to(built, target_is_directory=True)
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    return tmp_path


def test_eigenvector_of_a_balanced_triangle_is_even() -> None:
    # three actors each tied once to the two others: by symmetry each gets 1/sqrt(3)
    G = nx.MultiDiGraph()
    for a, b in (("a", "b"), ("b", "c"), ("c", "a")):
        tie(G, a, b, "metWith", (2.5, "2026-01-01"))
    assert centrality(G)["eigenvector"].tolist() == pytest.approx([3**-0.5] * 3, abs=1e-5)


def test_an_export_gives_each_facts_time_as_its_articles_give_it(conn: kg.Connection, tmp_path: Path) -> None:
    edges, _ = write_network(project(conn), "csv", tmp_path / "net.csv")
    # 004: "In January 2025, Petro refused to accept deportees from the United States" — a
    # month: the export says "2025-01", and no first-of-month date
    with edges.open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["fact_id"] == "fact:004-petro-refuses-deportees"]
    assert rows and {row["date"] for row in rows} == {"2025-01"}
    assert "2025-01-01" not in edges.read_text(encoding="utf-8")


def test_the_display_row_limit_never_cuts_the_network(built: Path, seed: nx.MultiDiGraph) -> None:
    # a connection that shows at most 5 rows still projects every fact: a limit for reading
    # tables must not silently drop edges from a computation
    small = project(kg.connect(built, max_rows=5))
    facts = {f["fact"] for _, _, d in seed.edges(data=True) for f in d["facts"]}
    assert len(facts) > 50
    assert {f["fact"] for _, _, d in small.edges(data=True) for f in d["facts"]} == facts
    assert small.number_of_nodes() == seed.number_of_nodes()


def test_places_are_not_actors_of_the_network(seed: nx.MultiDiGraph) -> None:
    # 001: the ELN and the Tren de Aragua are present "within Venezuela" (a relation to a
    # place, not to an actor): no tie leads to the territory, and every node is an actor
    assert "ent:venezuela-place" not in seed
    assert "ent:colombia-place" not in seed
    assert {d["kind"] for _, d in seed.nodes(data=True)} <= {"person", "organisation", "group", "country"}


def test_betweenness_is_exact_for_a_small_network_and_sampled_with_a_fixed_seed_above(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    G = example_network()
    exact = centrality(G)
    assert exact.attrs["betweenness"] == "exact"
    # Ann, Bob and Cid form a triangle (meets, accuses, sanctions): nobody brokers
    assert set(exact["betweenness"]) == {0.0}
    big = nx.path_graph(12)  # 0-1-...-11: the middle brokers most
    H = nx.MultiDiGraph()
    for a, b in big.edges():
        tie(H, f"n{a:02d}", f"n{b:02d}", "metWith", (2.5, "2026-01-01"))
    monkeypatch.setattr("kg.network.EXACT_BETWEENNESS_UP_TO", 5)
    monkeypatch.setattr("kg.network.BETWEENNESS_SAMPLES", 6)
    first, again = centrality(H), centrality(H)
    assert first.attrs["betweenness"] == "estimated from 6 of 12 actors"
    assert first["betweenness"].tolist() == again["betweenness"].tolist()  # the same seed, the same figures
    ranked = first.sort_values("betweenness", ascending=False)["id"].tolist()
    assert set(ranked[:4]) <= {"n03", "n04", "n05", "n06", "n07", "n08"}  # the middle, not the ends
    assert set(ranked[-2:]) == {"n00", "n11"}


# ---------------------------------------------------------------- read from the build's ties


def test_the_network_read_from_ties_is_the_one_read_from_every_claim(conn: kg.Connection) -> None:
    # by default the edges come from the ties the build derived (and the planned or
    # hypothetical facts, which make none); a filter that keeps every article reads every
    # claim instead: both must give the same network, facts and quotes included
    articles = frozenset(conn.query("SELECT ?a WHERE { ?a a kg:Article }")["a"])  # type: ignore[index]
    from_ties = project(conn)
    from_claims = project(conn, Filters(articles=articles))
    assert dict(from_ties.nodes(data=True)) == dict(from_claims.nodes(data=True))
    assert set(from_ties.edges(keys=True)) == set(from_claims.edges(keys=True))
    for a, b, k, d in from_claims.edges(keys=True, data=True):
        tied = from_ties.edges[a, b, k]
        assert {x: v for x, v in tied.items() if x != "facts"} == {x: v for x, v in d.items() if x != "facts"}, (
            a,
            b,
            k,
        )
        assert list(tied["facts"]) == d["facts"], (a, b, k)
    # both kinds of edge are there: one tie with a planned or hypothetical fact beside it
    # (the United States and Colombia cooperate, and may cooperate more)
    assert {"actual", "planned"} <= set(
        from_ties.edges["ent:colombia", "ent:united-states", "cooperatesWith"]["modalities"]
    )


def test_an_edge_stands_on_the_articles_that_give_its_facts_their_modality(seed: nx.MultiDiGraph) -> None:
    # Petro -> Trump, met with: 000's phone call (actual) and the 3 February meeting, which
    # 002 and 003 report as held and 000 and 004 anticipate: it counts as held, on the word
    # of 002 and 003; 004's quote stays beside it, but 004 is not counted
    edge = seed.edges["ent:gustavo-petro", "ent:donald-trump", "metWith"]
    assert (edge["count"], edge["articles"]) == (2, 3)
    meeting = next(f for f in edge["facts"] if f["fact"] == "fact:petro-trump-meeting-2026-02-03")
    assert {e["article"] for e in meeting["evidence"]} == {"art:000", "art:002", "art:003", "art:004"}
    assert edge["last"] == "2026-02-03"


def test_the_facts_of_a_few_edges_are_read_alone(conn: kg.Connection) -> None:
    G = project(conn)
    sanctions = ("ent:donald-trump", "ent:gustavo-petro", "sanctions")
    load_facts(G, [sanctions])
    source = G.edges[sanctions]["facts"]._source
    assert set(source.loaded) == {sanctions} and not source.complete
    assert {f["fact"] for f in G.edges[sanctions]["facts"]} == {"fact:us-sanctions-petro", "fact:us-revokes-petro-visa"}
    # another edge asked for reads every edge at once
    assert len(G.edges["ent:gustavo-petro", "ent:donald-trump", "metWith"]["facts"]) == 2
    assert source.complete and len(source.loaded) == G.number_of_edges()


def test_betweenness_on_arrays_is_networkx_betweenness(monkeypatch: pytest.MonkeyPatch) -> None:
    # a random graph with a hub and a loose actor: exact, then from a sample of sources
    H = nx.relabel_nodes(nx.barabasi_albert_graph(120, 2, seed=3), lambda n: f"n{n:03d}")
    H.add_node("loose")
    G = nx.MultiDiGraph()
    G.add_nodes_from(H)
    for a, b in H.edges():
        tie(G, a, b, "metWith", (2.5, "2026-01-01"))
    exact = centrality(G).set_index("id")["betweenness"]
    expected = nx.betweenness_centrality(H, normalized=True)
    assert exact.to_dict() == pytest.approx({n: round(v, 6) for n, v in expected.items()}, abs=1e-6)
    monkeypatch.setattr("kg.network.EXACT_BETWEENNESS_UP_TO", 50)
    monkeypatch.setattr("kg.network.BETWEENNESS_SAMPLES", 30)
    sampled = centrality(G).set_index("id")["betweenness"]
    expected = nx.betweenness_centrality(H, k=30, normalized=True, seed=0)
    assert sampled.to_dict() == pytest.approx({n: round(v, 6) for n, v in expected.items()}, abs=1e-6)


def test_betweenness_goes_to_an_installed_networkx_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    # a backend (nx-parallel, nx-cugraph) is found by its entry point; NetworkX's own stands in for one here
    H = nx.relabel_nodes(nx.path_graph(5), lambda n: f"n{n}")
    G = nx.MultiDiGraph()
    for a, b in H.edges():
        tie(G, a, b, "metWith", (2.5, "2026-01-01"))
    called = []
    real = nx.betweenness_centrality

    def spy(U: nx.Graph, **kwargs: object) -> dict[str, float]:
        called.append(kwargs.get("backend"))
        return real(U, k=kwargs.get("k"), seed=0)

    monkeypatch.setattr(
        "kg.network.backend_info", {"networkx": {}, "nx-fast": {"functions": {"betweenness_centrality": {}}}}
    )
    monkeypatch.setattr("kg.network.nx.betweenness_centrality", spy)
    frame = centrality(G)
    assert called == ["nx-fast"]
    assert frame.attrs["betweenness"] == "exact, by nx-fast"
    # on a path of five, the middle actor lies on 4 of the 6 shortest paths between the others
    assert frame.set_index("id")["betweenness"]["n2"] == pytest.approx(4 / 6)


def test_a_projected_network_copies_like_any_networkx_graph(conn: kg.Connection) -> None:
    # copies (to_undirected deep-copies every attribute) share the facts, read once
    G = project(conn)
    U = G.to_undirected()
    facts = {f["fact"] for d in U.get_edge_data("ent:donald-trump", "ent:gustavo-petro").values() for f in d["facts"]}
    assert {"fact:us-sanctions-petro", "fact:us-revokes-petro-visa"} <= facts
    assert copy.deepcopy(G).edges["ent:donald-trump", "ent:gustavo-petro", "sanctions"]["count"] == 2
