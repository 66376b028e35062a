"""The ontology: documented, closed, and carrying the PLOVER scores of the design."""

from __future__ import annotations

from decimal import Decimal

from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import OWL

from kg.namespaces import KG
from tests.conftest import ROOT

ONTOLOGY = Graph().parse(ROOT / "ontology.ttl")
NS = str(KG._NS)


def kg_terms() -> set[str]:
    return {str(s)[len(NS) :] for s in ONTOLOGY.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_namespace_class_declares_exactly_the_ontology_terms() -> None:
    declared = set(KG.__annotations__)
    assert declared == kg_terms()


def test_every_term_has_a_label_and_a_comment() -> None:
    for name in sorted(kg_terms()):
        term = URIRef(NS + name)
        assert ONTOLOGY.value(term, RDFS.label), f"kg:{name} has no rdfs:label"
        assert ONTOLOGY.value(term, RDFS.comment), f"kg:{name} has no rdfs:comment"


def test_plover_scores_follow_the_manual() -> None:
    # PLOVER manual v2.0 (DESIGN.md); ACCUSE is negative (the manual's +3 is a sign typo)
    expected = {
        "AGREE": "2.5",
        "CONSULT": "2.5",
        "SUPPORT": "5",
        "CONCEDE": "4.5",
        "COOPERATE": "9.5",
        "AID": "10",
        "RETREAT": "6.5",
        "REQUEST": "0",
        "ACCUSE": "-2",
        "REJECT": "-2",
        "THREATEN": "-3.5",
        "PROTEST": "-5",
        "SANCTION": "-6",
        "MOBILIZE": "-5.5",
        "COERCE": "-7",
        "ASSAULT": "-9",
    }
    found = {
        str(t)[len(NS) :]: Decimal(str(ONTOLOGY.value(t, KG.score))) for t in ONTOLOGY.subjects(RDF.type, KG.EventType)
    }
    assert found == {k: Decimal(v) for k, v in expected.items()}
    assert ONTOLOGY.value(KG.visit, KG.score).toPython() == Decimal("4")
    assert ONTOLOGY.value(KG.phoneCall, KG.score).toPython() == Decimal("1.5")


def test_every_event_type_and_relation_type_derives_an_edge() -> None:
    for kind in (KG.EventType, KG.RelationType):
        for t in ONTOLOGY.subjects(RDF.type, kind):
            edge = ONTOLOGY.value(t, KG.edgeProperty)
            assert (edge, RDF.type, KG.DerivedEdge) in ONTOLOGY, t


def test_classes_align_with_standard_vocabularies() -> None:
    parents = {str(o) for c in ONTOLOGY.subjects(RDF.type, OWL.Class) for o in ONTOLOGY.objects(c, RDFS.subClassOf)}
    for iri in (
        "http://www.w3.org/ns/prov#Entity",
        "https://schema.org/NewsArticle",
        "http://semanticweb.cs.vu.nl/2009/11/sem/Event",
        "http://www.w3.org/ns/org#Post",
        "http://www.w3.org/2004/02/skos/core#Concept",
    ):
        assert iri in parents
