"""The shipped corpus: it checks clean, builds deterministically, exports faithfully.

The built dataset keeps one named graph per article (what that article says) and a
default graph that merges everything (ontology, registry, every article, derived).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import build_project
from kg.check import check_project
from kg.namespaces import ART, KG
from kg.project import Project
from kg.store import read_dataset, write_export

ARTICLES = [ART[n] for n in ("000", "001", "002", "003", "004")]


def test_corpus_checks_clean(project: Project, tmp_path: Path) -> None:
    corpus = check_project(project.with_build(tmp_path)).corpus
    assert [f.path.name for f in corpus.articles] == ["000.ttl", "001.ttl", "002.ttl", "003.ttl", "004.ttl"]


def test_two_builds_give_identical_bytes(project: Project, built: Path, tmp_path: Path) -> None:
    build_project(project.with_build(tmp_path))
    assert (tmp_path / "dataset.nq").read_bytes() == (built / "dataset.nq").read_bytes()


def test_build_has_one_graph_per_article_and_a_merged_default_graph(built: Path) -> None:
    ds = Dataset()
    ds.parse(built / "dataset.nq", format="nquads")
    named = sorted(g.identifier for g in ds.graphs() if g.identifier != ds.default_graph.identifier)
    assert named == ARTICLES
    merged = ds.default_graph
    for article in ARTICLES:
        graph = ds.graph(article)
        # each article graph describes its own article, and only its own quotes
        assert (article, RDF.type, KG.Article) in graph
        assert set(graph.objects(None, KG.inArticle)) == {article}
        # the default graph merges them: nothing an article says is missing there
        assert all(t in merged for t in graph), article
    # and holds the ontology, the registry and what the build derives: which articles report each fact
    assert (KG.Tie, RDF.type, OWL.Class) in merged
    assert len(set(merged.subjects(RDF.type, KG.Tie))) > 10
    fact_classes = set(merged.subjects(RDFS.subClassOf, KG.Fact))
    reported = {(f, a) for a in ARTICLES for f, c in ds.graph(a).subject_objects(RDF.type) if c in fact_classes}
    assert set(merged.subject_objects(KG.reportedIn)) == reported


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_export_reloads_isomorphic(built: Path, tmp_path: Path, fmt: str) -> None:
    expected = Dataset()
    expected.parse(built / "dataset.nq", format="nquads")
    out = write_export(read_dataset(built), fmt, tmp_path / f"export.{fmt}")
    got = Dataset()
    got.parse(out, format={"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
    assert isomorphic(got.default_graph, expected.default_graph)
    for iri in ARTICLES:
        assert isomorphic(got.graph(iri), expected.graph(iri)), iri


def test_turtle_export_is_the_union_of_the_graphs(built: Path, tmp_path: Path) -> None:
    expected = Graph()
    ds = Dataset()
    ds.parse(built / "dataset.nq", format="nquads")
    for s, p, o, _ in ds.quads():
        expected.add((s, p, o))
    out = write_export(read_dataset(built), "turtle", tmp_path / "export.ttl")
    assert isomorphic(Graph().parse(out, format="turtle"), expected)


def test_every_quote_is_verbatim_and_short(built: Path, texts: Path) -> None:
    ds = Dataset()
    ds.parse(built / "dataset.nq", format="nquads")
    texts_by_name = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in texts.glob("*.txt")}
    checked = 0
    for ev, quote in ds.subject_objects(KG.quote):
        article = ds.value(ev, KG.inArticle)
        text = texts_by_name[str(ds.value(article, KG.sourceFile))]
        assert " ".join(str(quote).split()) in text, f"{ev}: {quote!r}"
        assert len(str(quote).split()) <= 25, f"{ev}: {len(str(quote).split())} words"
        checked += 1
    assert checked >= 150


def test_every_fact_an_article_states_cites_a_quote_of_that_article(built: Path) -> None:
    ds = Dataset()
    ds.parse(built / "dataset.nq", format="nquads")
    rows = ds.query("""
        PREFIX kg: <https://w3id.org/newskg/ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?f ?article WHERE {
          GRAPH ?article { ?f a ?c }
          ?c rdfs:subClassOf kg:Fact .
          FILTER NOT EXISTS { GRAPH ?article { ?f prov:wasDerivedFrom/kg:inArticle ?article } }
        }""")
    assert list(rows) == []


def test_no_article_text_is_copied_whole(project: Project, texts: Path) -> None:
    # Evidence spans are short: no curated file holds a run of 40 words of any article.
    bodies = [" ".join(p.read_text(encoding="utf-8").split()) for p in texts.glob("*.txt")]
    for path in [project.registry, *project.article_files()]:
        words = re.findall(r"\S+", path.read_text(encoding="utf-8"))
        for i in range(0, max(len(words) - 40, 0), 10):
            window = " ".join(words[i : i + 40])
            assert not any(window in t for t in bodies), f"{path.name}: long copied passage"
