"""Exports read back by independent readers: igraph, xml.etree, csv, pyld.

Each export of the seed build is reloaded by a reader that shares no code with the
writer, and its counts and attributes are checked against figures computed apart, from
the NetworkX network or by SPARQL over the built dataset.
"""

from __future__ import annotations

import csv
import json
import random
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from pyld import jsonld

import kg
from kg.cli import main
from kg.namespaces import PREFIXES
from kg.network import example_network, project, relation_words, to_export, write_network
from kg.store import export_dataset, read_dataset

GEXF = "{http://www.gexf.net/1.2draft}"
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"
CONTEXT = Path(__file__).resolve().parent.parent / "kg" / "assets" / "context.jsonld"
SPARQL_PREFIXES = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items())


@pytest.fixture(scope="module")
def seed(built: Path) -> nx.MultiDiGraph:
    return project(kg.connect(built))


@pytest.fixture(scope="module")
def exports(seed: nx.MultiDiGraph, built: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("exports")
    words = relation_words(kg.connect(built))  # as kg export-network does
    (graphml,) = write_network(seed, "graphml", folder / "net.graphml", relations=words)
    (gexf,) = write_network(seed, "gexf", folder / "net.gexf", relations=words)
    edges, nodes = write_network(seed, "csv", folder / "net.csv", relations=words)
    return {"graphml": graphml, "gexf": gexf, "edges": edges, "nodes": nodes}


def count(store: ox.Store, sparql: str) -> int:
    (row,) = list(store.query(SPARQL_PREFIXES + sparql))  # type: ignore[union-attr]
    return int(row[0].value)  # type: ignore[index,union-attr]


def facts_behind(G: nx.MultiDiGraph) -> set[tuple[str, str, str, str]]:
    return {(a, b, k, f["fact"]) for a, b, k, d in G.edges(keys=True, data=True) for f in d["facts"]}


# ---------------------------------------------------------------- GraphML


def test_graphml_reloads_in_igraph_with_the_networks_counts(exports: dict[str, Path], seed: nx.MultiDiGraph) -> None:
    g = igraph.Graph.Read_GraphML(str(exports["graphml"]))
    assert (g.vcount(), g.ecount()) == (seed.number_of_nodes(), seed.number_of_edges())
    assert g.is_directed()
    petro = g.vs.find(id="ent:gustavo-petro")
    assert petro["label"] == "Gustavo Petro" and petro["kind"] == "person"
    # the exported degree is the number of distinct neighbours, as igraph counts them itself
    for v in g.vs:
        assert v["degree"] == len(set(g.neighbors(v, mode="all"))), v["id"]
    # typed attributes: numbers read as numbers; a weight is the number of facts the edge lists
    for e in g.es:
        assert isinstance(e["weight"], float) and isinstance(e["score"], float)
        assert e["weight"] == len(e["facts"].split("; ")) == e["count"]
        assert e["label"] and "{" not in e["facts"]
    # 003 and 004: Trump sanctioned Petro and revoked his visa (SANCTION, -6 each)
    trump = g.vs.find(id="ent:donald-trump")
    (sanctions,) = [e for e in g.es.select(_source=trump.index, _target=petro.index) if e["relation"] == "sanctions"]
    assert (sanctions["weight"], sanctions["score"], sanctions["label"]) == (2.0, -12.0, "sanctions")


def test_graphml_edge_ids_are_unique_and_attributes_typed(exports: dict[str, Path], seed: nx.MultiDiGraph) -> None:
    root = ET.parse(exports["graphml"]).getroot()
    ids = [e.get("id") for e in root.iter(f"{GRAPHML}edge")]
    assert len(ids) == seed.number_of_edges() and None not in ids
    assert len(set(ids)) == len(ids), [i for i, n in Counter(ids).items() if n > 1]
    types = {(k.get("for"), k.get("attr.name")): k.get("attr.type") for k in root.iter(f"{GRAPHML}key")}
    assert types[("edge", "weight")] == types[("edge", "score")] == types[("node", "pagerank")] == "double"
    assert types[("edge", "count")] == types[("node", "degree")] == "long"
    assert types[("edge", "label")] == types[("node", "label")] == "string"


# ---------------------------------------------------------------- GEXF


def test_gexf_every_edge_has_a_numeric_weight(exports: dict[str, Path], seed: nx.MultiDiGraph) -> None:
    root = ET.parse(exports["gexf"]).getroot()
    nodes = list(root.iter(f"{GEXF}node"))
    edges = list(root.iter(f"{GEXF}edge"))
    assert (len(nodes), len(edges)) == (seed.number_of_nodes(), seed.number_of_edges())
    assert len({e.get("id") for e in edges}) == len(edges)
    titles = {a.get("id"): a.get("title") for a in root.iter(f"{GEXF}attribute")}
    assert "networkx_key" not in titles.values()
    expected = {(a, b, d["relation"]): len(d["facts"]) for a, b, d in seed.edges(data=True)}
    got = {}
    for e in edges:
        values = {titles[v.get("for")]: v.get("value") for v in e.iter(f"{GEXF}attvalue")}
        weight = float(e.get("weight", "nan"))
        assert weight > 0 and weight == int(values["count"]), e.get("id")
        got[e.get("source"), e.get("target"), values["relation"]] = weight
    assert got == expected
    # the same network, the same bytes: no date of writing
    assert root.find(f"{GEXF}meta").get("lastmodifieddate") is None  # type: ignore[union-attr]
    labels = {n.get("id"): n.get("label") for n in nodes}
    assert labels["ent:gustavo-petro"] == "Gustavo Petro"


# ---------------------------------------------------------------- CSV


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with path.open(encoding=encoding, newline="") as f:
        return list(csv.DictReader(f))


def test_csv_edges_are_one_row_per_edge_and_fact_without_json(
    exports: dict[str, Path], seed: nx.MultiDiGraph, store: ox.Store
) -> None:
    rows = read_csv(exports["edges"])
    expected = facts_behind(seed)
    assert len(rows) == len(expected)
    assert {(r["source"], r["target"], r["relation_id"], r["fact_id"]) for r in rows} == expected
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("[", "{")), (column, cell[:80])
        assert row["sign"] in {"-1", "0", "1"}
        assert row["articles"] and all(a.startswith("art:") for a in row["articles"].split("; "))
    # names are the actors' labels in the dataset
    labels = {
        r[0].value: r[1].value  # type: ignore[index,union-attr]
        for r in store.query("SELECT ?a ?l WHERE { ?a <http://www.w3.org/2000/01/rdf-schema#label> ?l }")  # type: ignore[union-attr]
    }
    ent = PREFIXES["ent"]
    assert all(r["source_name"] == labels[ent + r["source"].removeprefix("ent:")] for r in rows)
    # 004: "In January 2025, Petro refused to accept deportees": a month, said as a month
    refusal = [r for r in rows if r["fact_id"] == "fact:004-petro-refuses-deportees"]
    assert refusal and {(r["date"], r["sign"], r["relation"]) for r in refusal} == {("2025-01", "-1", "rejects")}
    # the relation in words: the ontology's label of its property
    words = {
        r[0].value.removeprefix(PREFIXES["kg"]): r[1].value  # type: ignore[index,union-attr]
        for r in store.query(SPARQL_PREFIXES + "SELECT ?p ?l WHERE { ?p a kg:DerivedEdge ; rdfs:label ?l }")  # type: ignore[union-attr]
    }
    assert {r["relation"] for r in rows} == {words[r["relation_id"]] for r in rows}
    assert all(r["relation"] == words[r["relation_id"]] for r in rows)


def test_relations_in_words_come_from_the_ontology(built: Path) -> None:
    words = relation_words(kg.connect(built))
    # ontology.ttl: kg:requested rdfs:label "made a request of", not its name split
    assert words["requested"] == "made a request of" and words["metWith"] == "met with"
    H = to_export(example_network(), {"metWith": "met (words given)"}, measures=False)
    assert H.edges["ann", "bob", "metWith"]["label"] == "met (words given)"
    assert H.edges["cid", "ann", "sanctions"]["label"] == "sanctions"
    assert "degree" not in H.nodes["ann"]


def test_csv_nodes_have_names_classes_and_measures(exports: dict[str, Path], seed: nx.MultiDiGraph) -> None:
    rows = read_csv(exports["nodes"])
    assert exports["nodes"].name == "net.nodes.csv"
    assert sorted(r["id"] for r in rows) == sorted(seed.nodes)
    assert {"id", "name", "class", "degree", "pagerank", "betweenness"} <= set(rows[0])
    by_id = {r["id"]: r for r in rows}
    assert by_id["ent:gustavo-petro"]["name"] == "Gustavo Petro"
    assert by_id["ent:colombia"]["class"] == "country"
    U = nx.Graph(seed.to_undirected())
    assert all(int(r["degree"]) == U.degree(r["id"]) for r in rows)
    assert sum(float(r["pagerank"]) for r in rows) == pytest.approx(1.0, abs=1e-4)
    assert not any(cell.startswith(("[", "{")) for r in rows for cell in r.values())


def test_export_network_help_names_the_files_it_writes() -> None:
    result = CliRunner().invoke(main, ["export-network", "--help"])
    assert result.exit_code == 0
    assert "NAME.nodes.csv" in result.output and "one row per edge and fact" in " ".join(result.output.split())


# ---------------------------------------------------------------- JSON-LD


def no_fetch(url: str, options: Any = None) -> Any:
    raise AssertionError(f"the export asked to fetch {url}")


def keys_of(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [*value, *(k for v in value.values() for k in keys_of(v))]
    if isinstance(value, list):
        return [k for v in value for k in keys_of(v)]
    return []


@pytest.fixture(scope="module")
def document(store: ox.Store) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(export_dataset(store, "jsonld"))
    return loaded


def test_jsonld_expands_to_exactly_the_datasets_quads(document: dict[str, Any], built: Path) -> None:
    jsonld.set_document_loader(no_fetch)  # the context is inline: nothing is fetched
    nquads = jsonld.to_rdf(jsonld.expand(document), {"format": "application/n-quads"})
    got = set(ox.parse(nquads.encode("utf-8"), format=ox.RdfFormat.N_QUADS))
    expected = set(ox.parse(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    assert len(got) == len(expected)
    assert got == expected


def test_jsonld_is_compacted_with_the_published_context(document: dict[str, Any], store: ox.Store) -> None:
    shipped = json.loads(CONTEXT.read_text(encoding="utf-8"))["@context"]
    assert shipped == PREFIXES and document["@context"] == shipped
    keys = set(keys_of(document["@graph"]))
    assert "@type" in keys and "rdf:type" not in keys and "kg:quote" in keys
    assert not [k for k in keys if k.startswith(("http:", "https:"))]  # every property by its prefixed name
    # each article's graph is a named graph of its own
    named = {item["@id"]: item["@graph"] for item in document["@graph"] if "@graph" in item}
    articles = {
        "art:" + r[0].value.removeprefix(PREFIXES["art"])  # type: ignore[index,union-attr]
        for r in store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a <https://w3id.org/newskg/ns#Article> } }")  # type: ignore[union-attr]
    }
    assert set(named) == articles and len(articles) == 5
    petro = next(n for n in document["@graph"] if n.get("@id") == "ent:gustavo-petro")
    assert petro["@type"] == "kg:Person" and petro["rdfs:label"] == "Gustavo Petro"
    # what pyld's own compaction with that context gives, but for the order of keys
    jsonld.set_document_loader(no_fetch)
    compacted = jsonld.compact(jsonld.expand(document), {"@context": shipped})
    assert json.dumps(compacted, sort_keys=True) == json.dumps(document, sort_keys=True)


# ---------------------------------------------------------------- facts CSV


@pytest.fixture
def project_dir(project: kg.Project, built: Path, tmp_path: Path) -> Path:
    (tmp_path / "build").symlink_to(built, target_is_directory=True)
    for name in ("ontology.ttl", "data", "pyproject.toml"):
        (tmp_path / name).symlink_to(project.root / name)
    return tmp_path


def test_facts_csv_has_a_row_per_fact_report(project_dir: Path, store: ox.Store, tmp_path: Path) -> None:
    target = tmp_path / "facts.csv"
    result = CliRunner().invoke(
        main, ["--project", str(project_dir), "export", "--format", "facts-csv", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")  # a byte-order mark: spreadsheets read the accents
    rows = read_csv(target, encoding="utf-8-sig")
    # a fact report: an article's graph types a node with a class of fact
    reports = """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?fact ?article WHERE {
      GRAPH ?article { ?article a kg:Article . ?fact a ?class %s } ?class rdfs:subClassOf+ kg:Fact } }"""
    everything, actual = reports % "", reports % "; kg:modality kg:Actual"
    assert len(rows) == count(store, everything) > 200
    assert sum(r["happened"] == "yes" for r in rows) == count(store, actual)
    assert len({(r["fact_id"], r["article_id"]) for r in rows}) == len(rows)
    assert all(r["quote"] and r["fact"] and r["type"] for r in rows)
    # 004 on the deportees: a month, the actor by name, the article's headline and the quote
    (refusal,) = [r for r in rows if r["fact_id"] == "fact:004-petro-refuses-deportees"]
    assert (refusal["date"], refusal["actors"], refusal["happened"]) == ("2025-01", "Gustavo Petro", "yes")
    assert refusal["type"].startswith("reject") and refusal["article"].startswith("To repair US-Colombia ties")
    assert "Petro refused to accept deportees" in refusal["quote"]
    # the meeting of 3 February: a row per article, as held in some and as planned in others
    meeting = [r for r in rows if r["fact_id"] == "fact:petro-trump-meeting-2026-02-03"]
    articles = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?a { fact:%s kg:modality ?m } }"
    assert len(meeting) == count(store, articles % "petro-trump-meeting-2026-02-03") > 1
    assert {r["happened"] for r in meeting} == {"yes", "no"}


# ---------------------------------------------------------------- the same bytes


def test_the_same_build_gives_the_same_bytes(built: Path, exports: dict[str, Path], tmp_path: Path) -> None:
    conn = kg.connect(built)
    again = project(conn)  # a projection of its own
    words = relation_words(conn)
    for fmt, key in (("graphml", "graphml"), ("gexf", "gexf"), ("csv", "edges")):
        (first, *_) = write_network(again, fmt, tmp_path / f"again.{fmt}", relations=words)
        assert first.read_bytes() == exports[key].read_bytes(), fmt
    # the dataset put into a store of its own in another order
    quads = list(ox.parse(path=str(built / "dataset.nq"), format=ox.RdfFormat.N_QUADS))
    random.Random(7).shuffle(quads)
    shuffled = ox.Store()
    shuffled.extend(quads)
    for fmt in ("jsonld", "facts-csv"):
        assert export_dataset(shuffled, fmt) == export_dataset(read_dataset(built), fmt), fmt


def test_example_network_exports_in_every_format(tmp_path: Path) -> None:
    G = example_network()
    edges, _ = write_network(G, "csv", tmp_path / "x.csv")
    rows = read_csv(edges)
    assert [(r["source"], r["target"], r["fact_id"], r["date"]) for r in rows] == [
        ("ann", "bob", "meeting-1", "2026-01-10"),
        ("ann", "bob", "meeting-2", "2026-02-05"),
        ("bob", "cid", "accusation", "2026-03-01"),
        ("cid", "ann", "sanction", "2026-03-02"),
    ]
    (graphml,) = write_network(G, "graphml", tmp_path / "x.graphml")
    assert igraph.Graph.Read_GraphML(str(graphml)).ecount() == 3
    with pytest.raises(kg.InputError, match="unknown network format 'dot'"):
        write_network(G, "dot", tmp_path / "x.dot")
