"""The shipped corpus: it checks clean, builds deterministically, exports faithfully."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import build_project
from kg.check import check_project
from kg.namespaces import GRAPHS, KG
from kg.project import Project
from kg.store import read_dataset, write_export
from tests.conftest import SEEDS


def test_corpus_checks_clean(project: Project, tmp_path: Path) -> None:
    corpus = check_project(project.with_build(tmp_path)).corpus
    assert [f.path.name for f in corpus.articles] == ["000.ttl", "001.ttl", "002.ttl", "003.ttl", "004.ttl"]


def test_two_builds_give_identical_bytes(project: Project, built: Path, tmp_path: Path) -> None:
    build_project(project.with_build(tmp_path))
    for name in ("dataset.nq", "dataset.trig"):
        assert (tmp_path / name).read_bytes() == (built / name).read_bytes(), name


def test_build_has_every_layer(built: Path) -> None:
    ds = Dataset()
    ds.parse(built / "dataset.trig", format="trig")
    sizes = {name: len(ds.graph(iri)) for name, iri in GRAPHS.items()}
    assert all(n > 0 for n in sizes.values()), sizes


@pytest.mark.parametrize("fmt", ["nquads", "trig", "jsonld"])
def test_export_reloads_isomorphic(built: Path, tmp_path: Path, fmt: str) -> None:
    expected = Dataset()
    expected.parse(built / "dataset.nq", format="nquads")
    out = write_export(read_dataset(built), fmt, tmp_path / f"export.{fmt}")
    got = Dataset()
    got.parse(out, format={"nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}[fmt])
    for iri in GRAPHS.values():
        assert isomorphic(got.graph(iri), expected.graph(iri)), iri


def test_turtle_export_is_the_union_of_the_layers(built: Path, tmp_path: Path) -> None:
    expected = Graph()
    ds = Dataset()
    ds.parse(built / "dataset.nq", format="nquads")
    for s, p, o, _ in ds.quads():
        expected.add((s, p, o))
    out = write_export(read_dataset(built), "turtle", tmp_path / "export.ttl")
    assert isomorphic(Graph().parse(out, format="turtle"), expected)


def test_every_quote_is_verbatim_and_short(built: Path) -> None:
    ds = Dataset(default_union=True)
    ds.parse(built / "dataset.nq", format="nquads")
    texts = {p.name: " ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt")}
    checked = 0
    for ev, quote in ds.subject_objects(KG.quote):
        article = ds.value(ev, KG.inArticle)
        text = texts[str(ds.value(article, KG.sourceFile))]
        assert " ".join(str(quote).split()) in text, f"{ev}: {quote!r}"
        assert len(str(quote).split()) <= 25, f"{ev}: {len(str(quote).split())} words"
        checked += 1
    assert checked >= 150


def test_every_fact_cites_evidence_from_an_article(built: Path) -> None:
    ds = Dataset(default_union=True)
    ds.parse(built / "dataset.nq", format="nquads")
    rows = ds.query("""
        PREFIX kg: <https://w3id.org/newskg/ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?f WHERE {
          ?f a ?c . ?c rdfs:subClassOf kg:Fact .
          FILTER NOT EXISTS { ?f prov:wasDerivedFrom/kg:inArticle/kg:sourceFile ?file }
        }""")
    assert list(rows) == []


def test_no_article_text_is_copied_whole(project: Project) -> None:
    # Evidence spans are short: no curated file holds a run of 40 words of any article.
    texts = [" ".join(p.read_text(encoding="utf-8").split()) for p in SEEDS.glob("*.txt")]
    for path in [project.registry, *project.article_files()]:
        words = re.findall(r"\S+", path.read_text(encoding="utf-8"))
        for i in range(0, max(len(words) - 40, 0), 10):
            window = " ".join(words[i : i + 40])
            assert not any(window in t for t in texts), f"{path.name}: long copied passage"
