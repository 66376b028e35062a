"""The shapes compiled to SPARQL find exactly what pySHACL, the reference, finds."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import RDF, Graph
from rdflib.namespace import SH

from kg.check import file_graph, read_vocabulary
from kg.errors import InputError
from kg.load import Corpus, read_corpus
from kg.project import Project
from kg.shapes import compile_shapes, run_constraints
from tests.test_check_errors import CASES, break_file

Finding = tuple[str, str, str, str]  # file, focus node, path, constraint component


def by_pyshacl(corpus: Corpus) -> set[Finding]:
    """Each file validated alone by pySHACL, with the registry, the ontology and all types."""
    ontology = corpus.ontology.graph()
    types = Graph()
    for f in corpus.files[1:]:
        for s, p, o in f.graph().triples((None, RDF.type, None)):
            types.add((s, p, o))
    found = set()
    for f in corpus.files[1:]:
        own = f.graph()
        data = own + types + ontology
        if f is not corpus.registry:
            data += corpus.registry.graph()
        _, report, _ = pyshacl.validate(data, shacl_graph=ontology, inference="none")
        for r in report.subjects(RDF.type, SH.ValidationResult):
            focus = report.value(r, SH.focusNode)
            if (focus, RDF.type, None) not in own:
                continue
            component = str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1]
            found.add((f.display, str(focus), str(report.value(r, SH.resultPath)), component))
    return found


def by_compiled(corpus: Corpus) -> set[Finding]:
    store = ox.Store()
    store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, file_graph(f)) for f in corpus.files for t in f.triples)
    names = {file_graph(f).value: f.display for f in corpus.files}
    constraints = list(read_vocabulary(corpus.ontology).constraints)
    return {
        (names[v.graph], v.focus, v.constraint.path, v.constraint.component + "ConstraintComponent")
        for v in run_constraints(store, constraints)
        if names[v.graph] != corpus.ontology.display
    }


def test_the_seed_corpus_is_clean_for_both(project: Project) -> None:
    corpus = read_corpus(project)
    assert by_compiled(corpus) == by_pyshacl(corpus) == set()


SHACL_CASES = [
    c
    for c in CASES
    if c[0]
    in {
        "shacl-missing-modality",
        "shacl-two-labels",
        "shacl-wrong-datatype",
        "quote-too-long",
        "registry-shacl",
        "undefined-entity",
    }
]


@pytest.mark.parametrize(("case", "name", "old", "new"), [c[:4] for c in SHACL_CASES], ids=[c[0] for c in SHACL_CASES])
def test_broken_fixtures_give_the_same_findings(tiny: Path, case: str, name: str, old: str, new: str) -> None:
    break_file(tiny, name, old, new)
    corpus = read_corpus(Project.at(tiny))
    expected = by_pyshacl(corpus)
    assert expected, "the broken fixture must break a shape"
    assert by_compiled(corpus) == expected


def test_the_ontology_shapes_compile_to_every_constraint() -> None:
    corpus_ontology = Graph().parse(Path(__file__).resolve().parent.parent / "ontology.ttl")
    constraints = compile_shapes(corpus_ontology)
    components = {c.component for c in constraints}
    assert components == {"MinCount", "MaxCount", "Class", "Datatype", "Pattern", "Or"}
    property_shapes = sum(1 for _ in corpus_ontology.subject_objects(SH.property))
    assert len(constraints) >= property_shapes


SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:S a sh:NodeShape ; sh:targetClass ex:C ;
    sh:property [ sh:path ex:p ; sh:minCount 2 ; sh:maxCount 3 ; sh:message "two or three ex:p" ] ;
    sh:property [ sh:path ex:name ; sh:pattern "^ab" ; sh:flags "i" ; sh:message "starts with ab" ] .
ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:when ;
    sh:property [ sh:path ex:when ; sh:datatype xsd:date ; sh:message "a date" ] .
"""
DATA = """
@prefix ex: <http://example.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:one a ex:C ; ex:p 1 ; ex:name "Abc" .
ex:two a ex:C ; ex:p 1, 2 ; ex:name "xab" .
ex:four a ex:C ; ex:p 1, 2, 3, 4 ; ex:name "ab" .
ex:d ex:when "2026-02-30"^^xsd:date . ex:e ex:when "2026-02-03"^^xsd:date . ex:f ex:when "soon" .
"""


def test_hand_made_shapes_agree_with_pyshacl() -> None:
    shapes = Graph().parse(data=SHAPES, format="turtle")
    data = Graph().parse(data=DATA, format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    expected = {
        (str(report.value(r, SH.focusNode)), str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[1])
        for r in report.subjects(RDF.type, SH.ValidationResult)
    }
    store = ox.Store()
    store.load(input=DATA.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("urn:g"))
    found = {
        (v.focus, v.constraint.component + "ConstraintComponent")
        for v in run_constraints(store, compile_shapes(shapes))
    }
    assert found == expected
    assert ("http://example.org/one", "MinCountConstraintComponent") in found
    assert ("http://example.org/four", "MaxCountConstraintComponent") in found
    assert ("http://example.org/two", "PatternConstraintComponent") in found
    assert ("http://example.org/f", "DatatypeConstraintComponent") in found
    # scoped to another graph, nothing is looked at
    assert list(run_constraints(store, compile_shapes(shapes), {"urn:other"})) == []


def test_unsupported_shapes_are_refused() -> None:
    shapes = Graph().parse(
        data="""@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
        ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minLength 3 ] .""",
        format="turtle",
    )
    with pytest.raises(InputError, match="minLength, which kg check does not support"):
        compile_shapes(shapes)
