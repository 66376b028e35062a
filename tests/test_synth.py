"""``kg synth``: a synthetic corpus shaped like real news, deterministic, passing the checks."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.build import build_project
from kg.cli import main
from kg.errors import InputError
from kg.namespaces import PREFIXES
from kg.project import Project
from kg.synth import synthesize
from tests.conftest import ROOT

ONTOLOGY = ROOT / "ontology.ttl"


def digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ox.Store]:
    dest = tmp_path_factory.mktemp("synth") / "corpus"
    synthesize(dest, articles=60, seed=11, ontology=ONTOLOGY)
    result = build_project(Project.at(dest, sources=dest / "sources"))  # checks first, quotes too
    assert result.counts["default graph"] > 10_000
    assert result.unverified == ()  # every quote was found in its text
    store = ox.Store()
    store.bulk_load(path=str(dest / "build" / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    return dest, store


def rows(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    result = store.query(sparql, prefixes=PREFIXES)
    assert isinstance(result, ox.QuerySolutions)
    return [tuple(term.value for term in row) for row in result]


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path) -> None:
    synthesize(tmp_path / "a", articles=8, seed=5, ontology=ONTOLOGY)
    synthesize(tmp_path / "b", articles=8, seed=5, ontology=ONTOLOGY)
    synthesize(tmp_path / "c", articles=8, seed=6, ontology=ONTOLOGY)
    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    assert digests(tmp_path / "a") != digests(tmp_path / "c")


def test_the_corpus_passes_the_checks_and_tells_every_kind_of_fact(corpus: tuple[Path, ox.Store]) -> None:
    _, store = corpus
    classes = {
        c for (c,) in rows(store, "SELECT DISTINCT ?c WHERE { GRAPH ?g { ?f a ?c } ?c rdfs:subClassOf kg:Fact }")
    }
    assert classes == {
        str(ox.NamedNode(f"https://w3id.org/newskg/ns#{c}").value)
        for c in ("Event", "Relation", "Tenure", "Measurement", "Position")
    }
    types = rows(store, "SELECT DISTINCT ?t WHERE { GRAPH ?g { ?f kg:eventType ?t } }")
    assert len(types) == 16  # every PLOVER category
    # two to five actors in an event, as each article tells it (one more where an article adds one)
    sizes = rows(
        store,
        """SELECT ?g ?f (COUNT(DISTINCT ?a) AS ?n) WHERE { GRAPH ?g { ?f a kg:Event ;
               kg:actor|kg:target|kg:participant ?a } } GROUP BY ?g ?f""",
    )
    counted = Counter(int(n) for _, _, n in sizes)
    assert set(counted) <= {2, 3, 4, 5, 6} and counted[6] < counted[5] and counted[2] > 0


def test_who_is_in_the_news_is_heavy_tailed(corpus: tuple[Path, ox.Store]) -> None:
    _, store = corpus
    counts = Counter(
        a
        for a, _ in rows(store, "SELECT DISTINCT ?a ?g WHERE { GRAPH ?g { ?f kg:actor|kg:target|kg:participant ?a } }")
    )
    ranked = sorted(counts.values(), reverse=True)
    assert ranked[0] >= 5 * ranked[len(ranked) // 2]  # the most cited is in many more articles than the median
    assert sum(1 for n in ranked if n <= 2) >= len(ranked) // 10  # and a tail appears once or twice


def test_stories_are_told_by_several_articles_that_disagree(corpus: tuple[Path, ox.Store]) -> None:
    _, store = corpus
    shared = rows(store, "SELECT ?f WHERE { ?f kg:articleCount ?n FILTER (?n >= 3) }")
    assert len(shared) >= 5
    disagreements = rows(store, "SELECT DISTINCT ?p WHERE { ?d a kg:Disagreement ; kg:onProperty ?p }")
    assert {p.rsplit("#", 1)[-1] for (p,) in disagreements} >= {"modality", "participant"}


def test_dates_spread_over_years_at_every_precision(corpus: tuple[Path, ox.Store]) -> None:
    _, store = corpus
    years = {w[:4] for (w,) in rows(store, "SELECT DISTINCT ?w WHERE { GRAPH ?g { ?f kg:when ?w } }") if w[:1] != "."}
    assert len(years) >= 8
    whens = [w for (w,) in rows(store, "SELECT ?w WHERE { GRAPH ?g { ?f kg:when ?w } }")]
    assert {len(w) for w in whens} >= {4, 7, 10} and any(w.startswith("../") for w in whens)


def test_places_form_a_hierarchy(corpus: tuple[Path, ox.Store]) -> None:
    _, store = corpus
    chains = rows(store, "SELECT ?p ?top WHERE { ?p kg:partOf ?mid . ?mid kg:partOf ?top }")
    assert chains  # a palace within a capital within a territory


def test_a_quote_is_a_sentence_of_its_text(corpus: tuple[Path, ox.Store]) -> None:
    dest, _ = corpus
    text = next((dest / "sources").glob("s00000_*.txt")).read_text(encoding="utf-8")
    turtle = (dest / "data" / "articles" / "s00000.ttl").read_text(encoding="utf-8")
    quotes = [line.split('kg:quote "', 1)[1].rsplit('"', 1)[0] for line in turtle.splitlines() if "kg:quote" in line]
    assert quotes and all(q in text and len(q.split()) <= 25 for q in quotes)


def test_a_folder_that_is_not_empty_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="exists and is not empty"):
        synthesize(tmp_path / "used", articles=3, ontology=ONTOLOGY)
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]
    with pytest.raises(InputError, match="no ontology"):
        synthesize(tmp_path / "new", articles=3, ontology=tmp_path / "missing.ttl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["used"]  # no half-written folder left


def test_the_command(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["--project", str(ROOT), "synth", "--articles", "4", "--seed", "2", str(tmp_path / "c")]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"wrote {tmp_path / 'c'}: 4 articles, ")
    refused = CliRunner().invoke(main, ["--project", str(ROOT), "synth", "--articles", "0", str(tmp_path / "d")])
    assert refused.exit_code == 2 and "--articles" in refused.output
